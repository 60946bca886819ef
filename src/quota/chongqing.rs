//! Chongqing's 2021–2025 plan for high-quality incubation carriers.

use super::{Figure, Filter, Measure, QuotaPlan, Scope, Target, TargetSource};
use crate::carrier::Category;
use crate::chongqing::DUAL_CORE;
use crate::date::Date;

impl QuotaPlan {
    /// Every target of Chongqing's 2021–2025 plan for high-quality
    /// incubation carriers, all due on 2025-12-31, counted from 2021-12-31.
    ///
    /// | id | target |
    /// | --- | --- |
    /// | `floor_area_total` | floor area, whole city ≥ 10,000,000 m² |
    /// | `floor_area_dual_core` | floor area in the dual core (overlays `western_science_city`, `liangjiang_new_area`) ≥ 5,600,000 m² |
    /// | `floor_area_main_urban_other` | floor area in the main urban area outside the dual core ≥ 4,300,000 m² |
    /// | `floor_area_main_urban` | floor area in the main urban area ≥ 9,900,000 m² (the two above together) |
    /// | `floor_area_outer_clusters` | floor area in the northeast and southeast zones together ≥ 350,000 m² |
    /// | `enterprises` | enterprises and start-up teams in incubation ≥ 80,000 (22,397 at the start) |
    /// | `tech_enterprises` | tech enterprises incubated ≥ 12,000 |
    /// | `university_ecosystems` | carriers of category `university_ecosystem` ≥ 15 (6 at the start) |
    /// | `large_carriers` | carriers of category `large` ≥ 10 |
    /// | `specialty_carriers` | carriers of category `specialty` ≥ 100 |
    ///
    /// The plan's own figures for its starting point are in
    /// [`QuotaPlan::starting_point`]; it names the dual-core ids
    /// ([`DUAL_CORE`]) in [`QuotaPlan::overlays`],
    /// so carriers may name them without an overlays file.
    pub fn chongqing_2021_2025() -> QuotaPlan {
        let start = Date::new(2021, 12, 31).expect("valid date");
        let deadline = Date::new(2025, 12, 31).expect("valid date");
        let mut targets = floor_area_targets(deadline);
        targets.extend(count_targets(deadline));
        QuotaPlan {
            name: "重庆市高质量孵化载体建设方案（2021—2025年）".into(),
            name_en: Some("Chongqing plan for high-quality incubation carriers, 2021–2025".into()),
            start,
            overlays: DUAL_CORE.iter().map(|s| s.to_string()).collect(),
            starting_point: starting_point(),
            targets,
        }
    }
}

/// A target of the whole city, due on `deadline`, with no minimum yet.
fn target(id: &str, name: &str, name_en: &str, measure: Measure, deadline: Date) -> Target {
    Target {
        id: id.into(),
        name: name.into(),
        name_en: Some(name_en.into()),
        scope: Scope::default(),
        measure,
        filter: Filter::default(),
        minimum: 0.0,
        deadline,
        baseline: None,
        part_of: None,
        source: TargetSource::Plan,
    }
}

fn zones(codes: &[&str]) -> Scope {
    Scope {
        zones: codes.iter().map(|s| s.to_string()).collect(),
        ..Scope::default()
    }
}

/// The floor-area targets: the city, the dual core, the rest of the main
/// urban area, the main urban area, the outer clusters.
fn floor_area_targets(deadline: Date) -> Vec<Target> {
    let dual_core: Vec<String> = DUAL_CORE.iter().map(|s| s.to_string()).collect();
    let floor_area = |id, name, name_en| target(id, name, name_en, Measure::FloorArea, deadline);
    vec![
        Target {
            minimum: 10_000_000.0,
            ..floor_area(
                "floor_area_total",
                "孵化载体总面积",
                "Total carrier floor area",
            )
        },
        Target {
            scope: Scope {
                overlays: dual_core.clone(),
                ..Scope::default()
            },
            minimum: 5_600_000.0,
            ..floor_area(
                "floor_area_dual_core",
                "“双核”孵化载体面积",
                "Floor area in the dual core",
            )
        },
        Target {
            scope: Scope {
                exclude_overlays: dual_core,
                ..zones(&["main_urban"])
            },
            minimum: 4_300_000.0,
            ..floor_area(
                "floor_area_main_urban_other",
                "主城都市区其他区域孵化载体面积",
                "Floor area in the rest of the main urban area",
            )
        },
        Target {
            scope: zones(&["main_urban"]),
            minimum: 9_900_000.0,
            ..floor_area(
                "floor_area_main_urban",
                "主城都市区孵化载体面积",
                "Floor area in the main urban area",
            )
        },
        Target {
            scope: zones(&["northeast", "southeast"]),
            minimum: 350_000.0,
            ..floor_area(
                "floor_area_outer_clusters",
                "渝东北、渝东南城镇群孵化载体面积",
                "Floor area in the northeast and southeast clusters",
            )
        },
    ]
}

/// The targets that count enterprises and carriers of a category.
fn count_targets(deadline: Date) -> Vec<Target> {
    let category = |id, name, name_en, category, minimum| Target {
        filter: Filter {
            categories: vec![category],
            ..Filter::default()
        },
        minimum,
        ..target(id, name, name_en, Measure::Carriers, deadline)
    };
    vec![
        Target {
            minimum: 80_000.0,
            baseline: Some(22_397.0),
            ..target(
                "enterprises",
                "在孵企业和团队",
                "Incubated enterprises and teams",
                Measure::Enterprises,
                deadline,
            )
        },
        Target {
            minimum: 12_000.0,
            ..target(
                "tech_enterprises",
                "孵化科技型企业",
                "Tech enterprises incubated",
                Measure::TechEnterprises,
                deadline,
            )
        },
        Target {
            baseline: Some(6.0),
            ..category(
                "university_ecosystems",
                "环大学创新生态圈",
                "University innovation ecosystems",
                Category::UniversityEcosystem,
                15.0,
            )
        },
        category(
            "large_carriers",
            "大型孵化载体",
            "Large carriers",
            Category::Large,
            10.0,
        ),
        category(
            "specialty_carriers",
            "专业化、国际化、平台型孵化载体",
            "Specialty carriers",
            Category::Specialty,
            100.0,
        ),
    ]
}

/// The figures the plan states for its starting point.
fn starting_point() -> Vec<Figure> {
    let figure = |id: &str, value: f64, description: &str| Figure {
        id: id.into(),
        value,
        description: description.into(),
    };
    vec![
        figure(
            "incubators_municipal_or_above",
            99.0,
            "incubators at municipal level or above",
        ),
        figure("incubators_national", 22.0, "national incubators"),
        figure(
            "maker_spaces_municipal_or_above",
            307.0,
            "maker spaces at municipal level or above",
        ),
        figure(
            "maker_spaces_national",
            55.0,
            "nationally registered maker spaces",
        ),
        figure(
            "enterprises_in_incubators",
            3_786.0,
            "enterprises in incubation in incubators",
        ),
        figure(
            "enterprises_graduated",
            3_126.0,
            "enterprises graduated from incubators",
        ),
        figure(
            "enterprises_and_teams_in_maker_spaces",
            18_611.0,
            "enterprises and teams in maker spaces",
        ),
        figure("workstations", 160_000.0, "workstations (over)"),
        figure(
            "university_ecosystems",
            6.0,
            "university innovation ecosystems built since 2018",
        ),
        figure(
            "ecosystem_platforms",
            65.0,
            "platforms in the university ecosystems",
        ),
        figure(
            "ecosystem_teams",
            3_275.0,
            "teams in the university ecosystems",
        ),
        figure(
            "ecosystem_enterprises",
            746.0,
            "enterprises in the university ecosystems",
        ),
        figure(
            "ecosystem_high_tech_enterprises",
            55.0,
            "high-tech enterprises in the university ecosystems",
        ),
        figure(
            "ecosystem_graduates",
            4_852.0,
            "graduates in start-ups or jobs in the university ecosystems",
        ),
    ]
}
