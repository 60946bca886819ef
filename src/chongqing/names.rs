//! What registers call Chongqing's districts besides their names today:
//! the names and codes they had before the changes since 1997, and the
//! managed areas (功能区) that registers name in place of a district.
//!
//! These are administrative facts, kept as data: the reader resolves any
//! name against [`DistrictNames`](crate::DistrictNames), which takes them
//! as tables.
//!
//! # Sources
//!
//! Former names, codes and dates:
//! - 国务院关于同意重庆市撤销江津市合川市永川市南川市设立重庆市江津区合川区永川区南川区的批复,
//!   国函〔2006〕110号, 2006-10-22 (国务院公报 2006 年第 34 号).
//! - 国务院关于同意重庆市调整部分行政区划的批复, 国函〔2014〕58号, 2014-05-02
//!   (璧山县, 铜梁县).
//! - 国务院关于撤销万州移民开发区和黔江开发区及撤销黔江土家族苗族自治县设立黔江区的批复,
//!   国函〔2000〕88号, 2000-06-25.
//! - 重庆市档案馆, 唐润明: 直辖以来重庆行政区划的变迁 (2022), for the
//!   changes of 1997 (万县市, 涪陵市), 2001 (长寿县), 2011 (万盛区 and 綦江县
//!   into 綦江区, 双桥区 and 大足县 into 大足区, approved in October 2011),
//!   2015 (潼南县, 荣昌县) and 2016 (开县 in June; 梁平县, 武隆县).
//! - The county codes before each change are those of GB/T 2260 as the
//!   民政部 published them (500221 长寿县 … 500239 黔江土家族苗族自治县,
//!   500381–500384 for the four county-level cities). 万盛区 (500110) and
//!   双桥区 (500111) had the codes 綦江区 and 大足区 have now.
//!
//! A date is given as precisely as the sources give it: a day, a month or a
//! year.
//!
//! Managed areas and the districts they span:
//! - 两江新区: 国务院关于同意设立重庆两江新区的批复, 国函〔2010〕36号; its area
//!   takes in parts of 江北区, 渝北区 and 北碚区.
//! - 西部(重庆)科学城: 1,198 km² in parts of 北碚区, 沙坪坝区, 九龙坡区, 江津区
//!   and 璧山区, with 重庆高新区's directly managed park as its core
//!   (西部(重庆)科学城 press conference of 2020-09-16).
//! - 万盛经济技术开发区 covers the former 万盛区, now in 綦江区; 双桥经济技术开发区
//!   was set up in 2011 within the new 大足区 (the 2011 change above).
//! - The national development zones named after their district lie in it:
//!   长寿经开区, 万州经开区, 璧山高新区, 永川高新区, 荣昌高新区.

/// A name or code a district had before a change: the unit it named now
/// counts in the district with code `district`.
pub(crate) struct Former {
    /// The unit's name then.
    pub name: &'static str,
    /// Its code then, when it differs from today's district's.
    pub code: Option<&'static str>,
    /// The code of the district it is part of today.
    pub district: &'static str,
    /// When the change was approved: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub until: &'static str,
}

/// Names of Chongqing's county-level units before the changes since 1997.
pub(crate) const FORMER_NAMES: &[Former] = &[
    Former {
        name: "万县市",
        code: None,
        district: "500101",
        until: "1997-12",
    },
    Former {
        name: "万县区",
        code: None,
        district: "500101",
        until: "1998",
    },
    Former {
        name: "涪陵市",
        code: None,
        district: "500102",
        until: "1997-12",
    },
    Former {
        name: "黔江土家族苗族自治县",
        code: Some("500239"),
        district: "500114",
        until: "2000-06-25",
    },
    Former {
        name: "长寿县",
        code: Some("500221"),
        district: "500115",
        until: "2001",
    },
    Former {
        name: "江津市",
        code: Some("500381"),
        district: "500116",
        until: "2006-10-22",
    },
    Former {
        name: "合川市",
        code: Some("500382"),
        district: "500117",
        until: "2006-10-22",
    },
    Former {
        name: "永川市",
        code: Some("500383"),
        district: "500118",
        until: "2006-10-22",
    },
    Former {
        name: "南川市",
        code: Some("500384"),
        district: "500119",
        until: "2006-10-22",
    },
    Former {
        name: "万盛区",
        code: None,
        district: "500110",
        until: "2011-10",
    },
    Former {
        name: "綦江县",
        code: Some("500222"),
        district: "500110",
        until: "2011-10",
    },
    Former {
        name: "双桥区",
        code: None,
        district: "500111",
        until: "2011-10",
    },
    Former {
        name: "大足县",
        code: Some("500225"),
        district: "500111",
        until: "2011-10",
    },
    Former {
        name: "璧山县",
        code: Some("500227"),
        district: "500120",
        until: "2014-05-02",
    },
    Former {
        name: "铜梁县",
        code: Some("500224"),
        district: "500151",
        until: "2014-05-02",
    },
    Former {
        name: "潼南县",
        code: Some("500223"),
        district: "500152",
        until: "2015",
    },
    Former {
        name: "荣昌县",
        code: Some("500226"),
        district: "500153",
        until: "2015",
    },
    Former {
        name: "开县",
        code: Some("500234"),
        district: "500154",
        until: "2016-06",
    },
    Former {
        name: "梁平县",
        code: Some("500228"),
        district: "500155",
        until: "2016",
    },
    Former {
        name: "武隆县",
        code: Some("500232"),
        district: "500156",
        until: "2016",
    },
];

/// A managed area (功能区): the names registers give it, the districts its
/// area takes in part of, and the overlay of the plan it is, if any.
pub(crate) struct Area {
    /// Its name, then the other names registers use.
    pub names: &'static [&'static str],
    pub name_en: &'static str,
    /// Codes of the districts it lies in.
    pub districts: &'static [&'static str],
    /// The overlay id a carrier in it belongs to.
    pub overlay: Option<&'static str>,
}

/// The managed areas a register may name in place of a district.
pub(crate) const MANAGED_AREAS: &[Area] = &[
    Area {
        names: &["两江新区", "重庆两江新区"],
        name_en: "Liangjiang New Area",
        districts: &["500105", "500109", "500112"],
        overlay: Some("liangjiang_new_area"),
    },
    Area {
        names: &[
            "西部(重庆)科学城",
            "西部科学城",
            "重庆科学城",
            "西部科学城重庆高新区",
            "重庆高新区",
            "重庆高新技术产业开发区",
            "高新区",
        ],
        name_en: "Western (Chongqing) Science City",
        districts: &["500106", "500107", "500109", "500116", "500120"],
        overlay: Some("western_science_city"),
    },
    Area {
        names: &["万盛经开区", "万盛经济技术开发区", "万盛"],
        name_en: "Wansheng Economic and Technological Development Zone",
        districts: &["500110"],
        overlay: None,
    },
    Area {
        names: &["双桥经开区", "双桥经济技术开发区", "双桥"],
        name_en: "Shuangqiao Economic and Technological Development Zone",
        districts: &["500111"],
        overlay: None,
    },
    Area {
        names: &["长寿经开区", "长寿经济技术开发区"],
        name_en: "Changshou Economic and Technological Development Zone",
        districts: &["500115"],
        overlay: None,
    },
    Area {
        names: &["万州经开区", "万州经济技术开发区"],
        name_en: "Wanzhou Economic and Technological Development Zone",
        districts: &["500101"],
        overlay: None,
    },
    Area {
        names: &["璧山高新区", "璧山高新技术产业开发区"],
        name_en: "Bishan High-tech Zone",
        districts: &["500120"],
        overlay: None,
    },
    Area {
        names: &["永川高新区", "永川高新技术产业开发区"],
        name_en: "Yongchuan High-tech Zone",
        districts: &["500118"],
        overlay: None,
    },
    Area {
        names: &["荣昌高新区", "荣昌高新技术产业开发区"],
        name_en: "Rongchang High-tech Zone",
        districts: &["500153"],
        overlay: None,
    },
];
