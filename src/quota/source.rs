//! Where a target's minimum comes from: the plan, a table of the targets
//! assigned to each district, or a share the tool computed. Every output
//! says which, so that a computed share is never read as an assigned target.

use serde::{Deserialize, Serialize};

/// Where a target's minimum comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetSource {
    /// The plan states it.
    #[default]
    Plan,
    /// A table of the targets assigned to each district (指标分解), by its
    /// file name.
    DistrictTable(String),
    /// Computed: the district's share of a zone target, split by a
    /// weighting. Not a target anyone assigned.
    Split(SplitMethod),
}

/// How a computed share was split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SplitMethod {
    /// By the districts' land area.
    LandArea,
    /// By the floor area the districts hold.
    FloorArea,
    /// Equally.
    Equal,
    /// By weights the user gave.
    Weights,
}

impl SplitMethod {
    /// `按土地面积`, `按载体面积`, `平均`, `按所给权重`.
    pub fn zh(self) -> &'static str {
        match self {
            SplitMethod::LandArea => "按土地面积",
            SplitMethod::FloorArea => "按载体面积",
            SplitMethod::Equal => "平均",
            SplitMethod::Weights => "按所给权重",
        }
    }

    /// `by land area`, `by floor area`, `equally`, `by your weights`.
    pub fn en(self) -> &'static str {
        match self {
            SplitMethod::LandArea => "by land area",
            SplitMethod::FloorArea => "by floor area",
            SplitMethod::Equal => "equally",
            SplitMethod::Weights => "by your weights",
        }
    }
}

impl TargetSource {
    /// Whether the tool computed it (a split), rather than anyone assigning it.
    pub fn is_computed(&self) -> bool {
        matches!(self, TargetSource::Split(_))
    }

    /// Whether the plan states it.
    pub fn is_plan(&self) -> bool {
        *self == TargetSource::Plan
    }

    /// The source in Chinese: `方案`, `区县指标表 targets.xlsx`, `测算：按土地面积分解`.
    pub fn zh(&self) -> String {
        match self {
            TargetSource::Plan => "方案".to_string(),
            TargetSource::DistrictTable(file) => format!("区县指标表 {file}"),
            TargetSource::Split(method) => format!("测算：{}分解", method.zh()),
        }
    }

    /// The source in English: `plan`, `district targets table targets.xlsx`,
    /// `computed: split by land area`.
    pub fn en(&self) -> String {
        match self {
            TargetSource::Plan => "plan".to_string(),
            TargetSource::DistrictTable(file) => format!("district targets table {file}"),
            TargetSource::Split(method) => format!("computed: split {}", method.en()),
        }
    }

    /// The marker a table puts after the figure: `*` for a computed
    /// share, `†` for a district targets table, none for the plan.
    pub fn marker(&self) -> &'static str {
        match self {
            TargetSource::Plan => "",
            TargetSource::DistrictTable(_) => "†",
            TargetSource::Split(_) => "*",
        }
    }

    /// The legend of the marker, in Chinese and English: for a computed
    /// share, that it is not a target assigned to the district.
    pub fn legend(&self, plan: &str) -> String {
        match self {
            TargetSource::Plan => format!("目标来源：{plan} — targets from: {plan}"),
            TargetSource::DistrictTable(file) => {
                format!("† 区县指标表 {file} 下达的指标 — assigned by the district targets table {file}")
            }
            TargetSource::Split(method) => format!(
                "* 测算值：区域目标{}分解的份额，不是下达给区县的指标 — computed: the district's share of a zone target, split {} by carrier-quota; not a target assigned to it",
                method.zh(),
                method.en()
            ),
        }
    }
}
