//! The columns of a carrier table.

use serde::{Deserialize, Serialize};

/// What a table column holds: a carrier property (named as the GeoJSON
/// reader names it), or a coordinate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Column {
    /// `id`, 编号, 序号, 载体编号.
    Id,
    /// `name`, 名称, 载体名称, 孵化载体名称.
    Name,
    /// `kind`, 类型, 载体类型, 孵化载体类型.
    Kind,
    /// `category`, 类别, 载体类别.
    Category,
    /// `level`, 级别, 认定级别.
    Level,
    /// `floor_area_m2`, 面积, 建筑面积, 载体面积, 场地面积; a unit in
    /// brackets (`建筑面积（万平方米）`) scales the values.
    FloorAreaM2,
    /// `enterprises`, 在孵企业, 在孵企业和团队, 在孵企业数.
    Enterprises,
    /// `tech_enterprises`, 科技型企业, 科技型企业数.
    TechEnterprises,
    /// `opened`, 认定时间, 认定年份, 认定日期.
    Opened,
    /// `closed`, 摘牌时间, 摘牌年份, 摘牌日期.
    Closed,
    /// `overlay`, 功能区, 所属功能区.
    Overlay,
    /// `district`, 所在区县, 所属区县, 区县, 所在区域, 区（县）.
    District,
    /// `address`, 地址, 详细地址, 载体地址, 所在地址, 注册地址: places a record
    /// without a point or a district by the district its address names.
    Address,
    /// `town`, 街道, 乡镇, 街镇, 所在街道（镇）: places a record without a point, a
    /// district or an address by the district of its town or street, when
    /// the city has one of that name.
    Town,
    /// `lon`, `longitude`, `lng`, `x`, 经度.
    #[serde(alias = "longitude")]
    Lon,
    /// `lat`, `latitude`, `y`, 纬度.
    #[serde(alias = "latitude")]
    Lat,
}

/// Every column, in declaration order: the order tables are written in.
pub(crate) const COLUMNS: [Column; 16] = [
    Column::Id,
    Column::Name,
    Column::Kind,
    Column::Category,
    Column::Level,
    Column::FloorAreaM2,
    Column::Enterprises,
    Column::TechEnterprises,
    Column::Opened,
    Column::Closed,
    Column::Overlay,
    Column::District,
    Column::Address,
    Column::Town,
    Column::Lon,
    Column::Lat,
];

impl Column {
    /// The property's name: `floor_area_m2`, `lon`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Column::Id => "id",
            Column::Name => "name",
            Column::Kind => "kind",
            Column::Category => "category",
            Column::Level => "level",
            Column::FloorAreaM2 => "floor_area_m2",
            Column::Enterprises => "enterprises",
            Column::TechEnterprises => "tech_enterprises",
            Column::Opened => "opened",
            Column::Closed => "closed",
            Column::Overlay => "overlay",
            Column::District => "district",
            Column::Address => "address",
            Column::Town => "town",
            Column::Lon => "lon",
            Column::Lat => "lat",
        }
    }

    /// The column whose property is named `name` (`floor_area_m2`).
    pub(crate) fn of_property(name: &str) -> Option<Column> {
        COLUMNS.into_iter().find(|c| c.as_str() == name)
    }
}
