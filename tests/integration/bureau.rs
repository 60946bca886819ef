//! One register as a district science bureau keeps it, written five ways
//! (`tests/data/registers/`): CSV saved by Excel on Chinese Windows (GBK,
//! under a title line), CSV UTF-8 (with a byte-order mark), Unicode text
//! (UTF-16, tab-separated), a workbook in 万平方米 under merged title rows,
//! and the GeoJSON QGIS exports with the register's Chinese field names.
//!
//! Its sixteen rows name their districts as registers do (names before the
//! changes since 1997, short forms, managed areas, a name no one knows with
//! a point, the city's name before the district's) and write figures and
//! dates as registers do. Every row must land where it belongs, and every
//! form must give the same totals.
//!
//! The files are written by [`write_fixtures`] from the one table below:
//! `cargo test --test integration -- --ignored write_fixtures` writes them
//! again; [`the_fixtures_are_the_table_below`] keeps them in step.

use std::path::{Path, PathBuf};

use carrier_quota::place::FootprintRule;
use carrier_quota::read::read_carriers_file;
use carrier_quota::{Atlas, Carriers, Datum, PlacedBy, QuotaPlan, ReadOptions, Tally};

const DIR: &str = "tests/data/registers";

/// Jiefangbei (渝中区), Lijia (渝北区) and Shapingba: GCJ-02.
const YUZHONG: (&str, &str) = ("106.5775", "29.5575");
const YUBEI: (&str, &str) = ("106.526262", "29.598397");
const SHAPINGBA: (&str, &str) = ("106.457122", "29.650280");

/// One row as the register writes it, and where it belongs.
struct Row {
    id: u32,
    name: &'static str,
    kind: &'static str,
    level: &'static str,
    district: &'static str,
    /// The floor area as the m² register writes it.
    area: &'static str,
    /// The same in 万 m², as the workbook holds it.
    area_wan: f64,
    enterprises: &'static str,
    tech: &'static str,
    opened: &'static str,
    point: Option<(&'static str, &'static str)>,
    overlay: &'static str,
    /// The district it counts in (None: a managed area, in no one
    /// district), and the zone.
    expected: (Option<&'static str>, &'static str),
    /// Its floor area in m².
    area_m2: f64,
    /// Whether it counts in the dual core.
    dual_core: bool,
}

#[rustfmt::skip]
const ROWS: [Row; 16] = [
    Row { id: 1, name: "开州众创空间", kind: "众创空间", level: "市级", district: "开县", area: "1,234", area_wan: 0.1234, enterprises: "12家", tech: "3", opened: "2021年6月", point: None, overlay: "", expected: (Some("500154"), "northeast"), area_m2: 1234.0, dual_core: false },
    Row { id: 2, name: "两江孵化器", kind: "孵化器", level: "国家级", district: "两江新区", area: "12000", area_wan: 1.2, enterprises: "45", tech: "9", opened: "2019", point: None, overlay: "", expected: (None, "main_urban"), area_m2: 12000.0, dual_core: true },
    Row { id: 3, name: "礼嘉加速器", kind: "加速器", level: "市级", district: "两江新区", area: "30000", area_wan: 3.0, enterprises: "60", tech: "15", opened: "2020-05-01", point: Some(YUBEI), overlay: "", expected: (Some("500112"), "main_urban"), area_m2: 30000.0, dual_core: true },
    Row { id: 4, name: "科学城孵化器", kind: "孵化器", level: "国家级", district: "西部（重庆）科学城", area: "25000", area_wan: 2.5, enterprises: "80", tech: "20", opened: "2018", point: None, overlay: "", expected: (None, "main_urban"), area_m2: 25000.0, dual_core: true },
    Row { id: 5, name: "高新区众创空间", kind: "众创空间", level: "区县级", district: "重庆高新区", area: "3,500", area_wan: 0.35, enterprises: "20", tech: "4", opened: "2022/3/15", point: Some(SHAPINGBA), overlay: "", expected: (Some("500106"), "main_urban"), area_m2: 3500.0, dual_core: true },
    Row { id: 6, name: "万盛众创空间", kind: "众创空间", level: "区县级", district: "万盛经开区", area: "800", area_wan: 0.08, enterprises: "6", tech: "1", opened: "2020", point: None, overlay: "", expected: (Some("500110"), "main_urban"), area_m2: 800.0, dual_core: false },
    Row { id: 7, name: "双桥孵化器", kind: "孵化器", level: "市级", district: "双桥区", area: "5600", area_wan: 0.56, enterprises: "25", tech: "5", opened: "2017年", point: None, overlay: "", expected: (Some("500111"), "main_urban"), area_m2: 5600.0, dual_core: false },
    Row { id: 8, name: "酉阳众创空间", kind: "众创空间", level: "区县级", district: "酉阳县", area: "900", area_wan: 0.09, enterprises: "5", tech: "0", opened: "2023", point: None, overlay: "", expected: (Some("500242"), "southeast"), area_m2: 900.0, dual_core: false },
    Row { id: 9, name: "石柱孵化器", kind: "孵化器", level: "市级", district: "石柱县", area: "4200", area_wan: 0.42, enterprises: "18", tech: "2", opened: "2019", point: None, overlay: "", expected: (Some("500240"), "southeast"), area_m2: 4200.0, dual_core: false },
    Row { id: 10, name: "解放碑众创空间", kind: "众创空间", level: "市级", district: "渝中半岛", area: "2,100", area_wan: 0.21, enterprises: "15", tech: "3", opened: "2021", point: Some(YUZHONG), overlay: "", expected: (Some("500103"), "main_urban"), area_m2: 2100.0, dual_core: false },
    Row { id: 11, name: "两江众创空间", kind: "众创空间", level: "国家级", district: "渝北区", area: "3000", area_wan: 0.3, enterprises: "22", tech: "6", opened: "2020", point: Some(YUBEI), overlay: "两江新区", expected: (Some("500112"), "main_urban"), area_m2: 3000.0, dual_core: true },
    Row { id: 12, name: "璧山孵化器", kind: "孵化器", level: "区县级", district: "璧山县", area: "7,800", area_wan: 0.78, enterprises: "30", tech: "8", opened: "2016", point: None, overlay: "", expected: (Some("500120"), "main_urban"), area_m2: 7800.0, dual_core: false },
    Row { id: 13, name: "江津加速器", kind: "加速器", level: "市级", district: "江津市", area: "15000", area_wan: 1.5, enterprises: "40", tech: "12", opened: "2015", point: None, overlay: "", expected: (Some("500116"), "main_urban"), area_m2: 15000.0, dual_core: false },
    Row { id: 14, name: "九龙坡众创空间", kind: "众创空间", level: "区县级", district: "重庆市九龙坡区", area: "１，５００", area_wan: 0.15, enterprises: "１０", tech: "2", opened: "2022", point: None, overlay: "", expected: (Some("500107"), "main_urban"), area_m2: 1500.0, dual_core: false },
    Row { id: 15, name: "梁平众创空间", kind: "众创空间", level: "区县级", district: "梁平县", area: "650平方米", area_wan: 0.065, enterprises: "4", tech: "0", opened: "2021.6", point: None, overlay: "", expected: (Some("500155"), "northeast"), area_m2: 650.0, dual_core: false },
    Row { id: 16, name: "黔江孵化器", kind: "孵化器", level: "市级", district: "黔江区", area: "1.2万", area_wan: 1.2, enterprises: "8家", tech: "2", opened: "2020", point: None, overlay: "", expected: (Some("500114"), "southeast"), area_m2: 12000.0, dual_core: false },
];

const TITLE: &str = "重庆市孵化载体名单（示例数据，非真实记录）";
const HEADERS: [&str; 12] = [
    "序号",
    "载体名称",
    "载体类型",
    "认定级别",
    "所属区县",
    "建筑面积（平方米）",
    "在孵企业（家）",
    "科技型企业（家）",
    "认定时间",
    "经度",
    "纬度",
    "功能区",
];

impl Row {
    /// The row's cells as the m² register writes them.
    fn cells(&self) -> [String; 12] {
        let (lon, lat) = self.point.unwrap_or(("", ""));
        [
            self.id.to_string(),
            self.name.into(),
            self.kind.into(),
            self.level.into(),
            self.district.into(),
            self.area.into(),
            self.enterprises.into(),
            self.tech.into(),
            self.opened.into(),
            lon.into(),
            lat.into(),
            self.overlay.into(),
        ]
    }
}

/// The register as CSV text: a title line, the header, the rows; `sep`
/// between cells, `end` after each line.
fn table_text(sep: &str, end: &str) -> String {
    let quoted = |cell: &str| match cell.contains([',', '"']) && sep == "," {
        true => format!("\"{}\"", cell.replace('"', "\"\"")),
        false => cell.to_string(),
    };
    let mut text = format!("{TITLE}{}{end}", sep.repeat(HEADERS.len() - 1));
    text += &HEADERS.join(sep);
    text += end;
    for row in &ROWS {
        let cells: Vec<String> = row.cells().iter().map(|c| quoted(c)).collect();
        text += &cells.join(sep);
        text += end;
    }
    text
}

fn gbk_csv() -> Vec<u8> {
    let text = table_text(",", "\r\n");
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable, "the register is GBK text");
    bytes.into_owned()
}

fn utf8_csv() -> Vec<u8> {
    [
        b"\xEF\xBB\xBF".as_slice(),
        table_text(",", "\r\n").as_bytes(),
    ]
    .concat()
}

fn utf16_text() -> Vec<u8> {
    let text = table_text("\t", "\r\n");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

/// The GeoJSON QGIS writes for the register as a point layer: the
/// register's field names, numbers as numbers where a whole column is,
/// no datum, and a null geometry for rows without a point.
fn qgis_geojson() -> String {
    let mut features = Vec::new();
    for row in &ROWS {
        let c = row.cells();
        let mut properties = serde_json::Map::new();
        properties.insert(HEADERS[0].into(), row.id.into());
        for i in [1, 2, 3, 4, 5, 6, 8] {
            properties.insert(HEADERS[i].into(), c[i].clone().into());
        }
        let tech: u32 = row.tech.parse().unwrap();
        properties.insert(HEADERS[7].into(), tech.into());
        let overlay = (!row.overlay.is_empty()).then_some(row.overlay);
        properties.insert(HEADERS[11].into(), overlay.into());
        let geometry = row.point.map(|(lon, lat)| {
            let (x, y): (f64, f64) = (lon.parse().unwrap(), lat.parse().unwrap());
            serde_json::json!({"type": "Point", "coordinates": [x, y]})
        });
        features.push(serde_json::json!({
            "type": "Feature", "properties": properties, "geometry": geometry
        }));
    }
    let collection = serde_json::json!({
        "type": "FeatureCollection",
        "name": "孵化载体名单",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": features,
    });
    serde_json::to_string_pretty(&collection).unwrap() + "\n"
}

/// The workbook: two merged title rows, the header with 建筑面积 in 万平方米,
/// numbers as numbers, a day as a date cell.
fn workbook() -> Vec<u8> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let day = ExcelDateTime::from_ymd(2024, 1, 2).unwrap();
    book.set_properties(&DocProperties::new().set_creation_datetime(&day));
    let sheet = book.add_worksheet();
    sheet.set_name("载体名单").unwrap();
    let title = Format::new().set_bold();
    let last = HEADERS.len() as u16 - 1;
    sheet.merge_range(0, 0, 0, last, TITLE, &title).unwrap();
    let filed = "填报单位：示例区科技局　　填报日期：2024年1月";
    sheet
        .merge_range(1, 0, 1, last, filed, &Format::new())
        .unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, header) in HEADERS.iter().enumerate() {
        let header = header.replace("（平方米）", "（万平方米）");
        sheet.write_string(2, c as u16, header).unwrap();
    }
    for (r, row) in ROWS.iter().enumerate() {
        let r = r as u32 + 3;
        let cells = row.cells();
        sheet.write_number(r, 0, row.id).unwrap();
        for c in [1, 2, 3, 4, 11] {
            if !cells[c].is_empty() {
                sheet.write_string(r, c as u16, &cells[c]).unwrap();
            }
        }
        sheet.write_number(r, 5, row.area_wan).unwrap();
        match row.enterprises.parse::<u32>() {
            Ok(n) => sheet.write_number(r, 6, n).map(|_| ()),
            Err(_) => sheet.write_string(r, 6, row.enterprises).map(|_| ()),
        }
        .unwrap();
        sheet
            .write_number(r, 7, row.tech.parse::<u32>().unwrap())
            .unwrap();
        match row.opened.split('-').collect::<Vec<_>>()[..] {
            [y, m, d] => {
                let day = ExcelDateTime::from_ymd(
                    y.parse().unwrap(),
                    m.parse().unwrap(),
                    d.parse().unwrap(),
                );
                sheet
                    .write_datetime_with_format(r, 8, day.unwrap(), &date)
                    .unwrap();
            }
            _ => match row.opened.parse::<f64>() {
                Ok(x) => sheet.write_number(r, 8, x).map(|_| ()).unwrap(),
                Err(_) => sheet.write_string(r, 8, row.opened).map(|_| ()).unwrap(),
            },
        }
        if let Some((lon, lat)) = row.point {
            sheet
                .write_number(r, 9, lon.parse::<f64>().unwrap())
                .unwrap();
            sheet
                .write_number(r, 10, lat.parse::<f64>().unwrap())
                .unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// The five forms, by file name.
fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("register_gbk.csv", gbk_csv()),
        ("register_utf8.csv", utf8_csv()),
        ("register_utf16.txt", utf16_text()),
        ("register_wan.xlsx", workbook()),
        ("register_qgis.geojson", qgis_geojson().into_bytes()),
    ]
}

fn path(name: &str) -> PathBuf {
    Path::new(DIR).join(name)
}

#[test]
#[ignore = "writes tests/data/registers"]
fn write_fixtures() {
    std::fs::create_dir_all(DIR).unwrap();
    for (name, bytes) in fixtures() {
        std::fs::write(path(name), bytes).unwrap();
    }
}

#[test]
fn the_fixtures_are_the_table_below() {
    for (name, bytes) in fixtures() {
        let kept = std::fs::read(path(name)).unwrap();
        if name.ends_with(".xlsx") {
            // The workbook by its cells, not its zip's bytes.
            let read = |b: Vec<u8>| read_carriers_file_bytes(name, b);
            assert!(read(kept) == read(bytes), "{name}");
        } else {
            assert!(kept == bytes, "{name} is not what write_fixtures writes");
        }
    }
}

fn read_carriers_file_bytes(name: &str, bytes: Vec<u8>) -> Carriers {
    let file = std::env::temp_dir().join(format!("carrier-quota-{}-{name}", std::process::id()));
    std::fs::write(&file, bytes).unwrap();
    let read = read_carriers_file(&file, &gcj02()).unwrap();
    std::fs::remove_file(&file).unwrap();
    read
}

fn gcj02() -> ReadOptions {
    ReadOptions::new().datum(Datum::Gcj02)
}

fn read(name: &str) -> Carriers {
    read_carriers_file(&path(name), &gcj02()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_row_of_every_form_lands_where_it_belongs() {
    let atlas = Atlas::chongqing();
    for (name, _) in fixtures() {
        let carriers = read(name);
        assert_eq!(carriers.rejections(), [], "{name}");
        assert_eq!(carriers.len(), ROWS.len(), "{name}");
        let placed = atlas.place(carriers, FootprintRule::SurfacePoint);
        for ((carrier, place), row) in placed.iter().zip(&ROWS) {
            assert_eq!(carrier.id(), row.id.to_string(), "{name}");
            let district = place.district.map(|d| atlas.district(d).code.as_str());
            let zone = place.zone(atlas).map(|z| atlas.zone(z).code.as_str());
            assert_eq!(
                (district, zone),
                (row.expected.0, Some(row.expected.1)),
                "{name} row {}",
                row.id
            );
            assert_eq!(
                carrier.floor_area_m2(),
                row.area_m2,
                "{name} row {}",
                row.id
            );
            let by = match (row.point, row.expected.0) {
                (Some(_), _) => PlacedBy::Point,
                (None, Some(_)) => PlacedBy::Declared,
                (None, None) => PlacedBy::ManagedArea,
            };
            assert_eq!(place.placed_by, by, "{name} row {}", row.id);
            let in_dual_core = carrier
                .overlay()
                .is_some_and(|o| carrier_quota::chongqing::DUAL_CORE.contains(&o));
            assert_eq!(in_dual_core, row.dual_core, "{name} row {}", row.id);
        }
        // The row whose district no one knows counts by its point, listed.
        let mismatches: Vec<&str> = placed
            .mismatches()
            .iter()
            .map(|m| m.written.as_str())
            .collect();
        assert_eq!(mismatches, ["渝中半岛"], "{name}");
    }
}

#[test]
fn every_form_gives_the_same_totals() {
    let atlas = Atlas::chongqing();
    let tallies: Vec<(&str, Tally)> = fixtures()
        .into_iter()
        .map(|(name, _)| {
            (
                name,
                Tally::new(&atlas.place(read(name), FootprintRule::SurfacePoint)),
            )
        })
        .collect();
    let zone = |t: &Tally, code: &str| t.zone(atlas.find_zone(code).unwrap()).all;
    let expected = |zone: &str| -> f64 {
        ROWS.iter()
            .filter(|r| r.expected.1 == zone)
            .map(|r| r.area_m2)
            .sum()
    };
    for (name, tally) in &tallies {
        for code in ["main_urban", "northeast", "southeast"] {
            assert_eq!(
                zone(tally, code).floor_area_m2(),
                expected(code),
                "{name} {code}"
            );
            assert_eq!(
                zone(tally, code).carriers,
                ROWS.iter().filter(|r| r.expected.1 == code).count() as u64
            );
        }
        assert_eq!(tally.city().all.carriers, 16);
        assert_eq!(tally.outside().all.carriers, 0);
        // Exactly equal, in the tallies' fixed point: 万 m² scaled by its
        // decimal point, not by a multiplication.
        assert!(*tally == tallies[0].1, "{name} and {} differ", tallies[0].0);
    }
    assert_eq!(expected("main_urban"), 106_300.0);
}

#[test]
fn the_dual_core_is_evaluable_from_the_register() {
    let atlas = Atlas::chongqing();
    let placed = atlas.place(read("register_gbk.csv"), FootprintRule::SurfacePoint);
    let checked = carrier_quota::PlanCheck::new(QuotaPlan::chongqing_2021_2025())
        .run(placed)
        .unwrap();
    let target = |id: &str| checked.report.targets.iter().find(|t| t.id == id).unwrap();
    let dual_core: f64 = ROWS.iter().filter(|r| r.dual_core).map(|r| r.area_m2).sum();
    assert_eq!(target("floor_area_dual_core").actual, Some(dual_core));
    assert_eq!(
        target("floor_area_main_urban_other").actual,
        Some(106_300.0 - dual_core)
    );
    // Two rows of 两江新区 and 西部科学城 without a point count in the zone,
    // in no one district.
    let main_urban = atlas.find_zone("main_urban").unwrap();
    assert_eq!(
        checked.tally.zone_only()[main_urban.index()].all.carriers,
        2
    );
}

/// What each form's read decided that a total depends on is noted: the
/// encoding, a column's unit, cells with units of their own, an overlay
/// named by its name; the names of districts are in the placed carriers'
/// summary (`every_name_that_is_not_todays_is_listed`).
#[test]
fn every_reading_decision_is_in_the_notes() {
    let notes = |name: &str| -> Vec<String> {
        let mut notes: Vec<String> = read(name).notes().iter().map(|n| n.to_string()).collect();
        notes.sort();
        notes
    };
    let cells = [
        "2 cells of column \"在孵企业（家）\" carry a unit of their own (such as \"12家\"): \
         read as the count they stand for",
        "2 cells of column \"建筑面积（平方米）\" carry a unit of their own (such as \
         \"650平方米\"): read as the m² they stand for",
    ];
    let overlay = "overlay \"两江新区\" read as liangjiang_new_area (1 record)";
    let gbk = "read as GB18030: the text is not UTF-8, and decodes as GB18030 throughout";
    let mut expected = vec![cells[0], cells[1], overlay, gbk];
    expected.sort();
    assert_eq!(notes("register_gbk.csv"), expected);
    let mut expected = vec![cells[0], cells[1], overlay, "read as UTF-16"];
    expected.sort();
    assert_eq!(notes("register_utf16.txt"), expected);
    let mut expected = vec![cells[0], cells[1], overlay];
    expected.sort();
    assert_eq!(notes("register_utf8.csv"), expected);
    assert_eq!(notes("register_qgis.geojson"), expected);
    let mut expected = vec![
        "2 cells of column \"在孵企业（家）\" carry a unit of their own (such as \"12家\"): \
         read as the count they stand for",
        "column \"建筑面积（万平方米）\" is in 万平方米: its values are multiplied by 10,000 to \
         read m²",
        overlay,
    ];
    expected.sort();
    assert_eq!(notes("register_wan.xlsx"), expected);
}

/// Each district name that is not a name of today is listed, with what it
/// names and how many records give it.
#[test]
fn every_name_that_is_not_todays_is_listed() {
    let atlas = Atlas::chongqing();
    let placed = atlas.place(read("register_utf8.csv"), FootprintRule::SurfacePoint);
    let summary = placed.summary();
    let mut lines = Vec::new();
    carrier_quota::report::write_input_notes(&mut lines, atlas, &summary).unwrap();
    let lines = String::from_utf8(lines).unwrap();
    for expected in [
        "note: 开县 (开州区 500154 since 2016-06): 1 record counted there",
        "note: 两江新区 (a managed area in 江北区, 北碚区 and 渝北区): 2 records, in overlay \
         liangjiang_new_area; 1 without a location count in 主城都市区 and in no one district",
        "note: 西部（重庆）科学城 (a managed area in 沙坪坝区, 九龙坡区, 北碚区, 江津区 and 璧山区): \
         1 record, in overlay western_science_city; 1 without a location count in 主城都市区 and \
         in no one district",
        "note: 重庆高新区 (a managed area in 沙坪坝区, 九龙坡区, 北碚区, 江津区 and 璧山区): 1 \
         record, in overlay western_science_city; 0 without a location count in 主城都市区 and in \
         no one district",
        "note: 万盛经开区 (a managed area in 綦江区 500110): 1 record counted there",
        "note: 双桥区 (大足区 500111 since 2011-10): 1 record counted there",
        "note: 渝中半岛 (no district known by that name): 1 record placed by its point, the name \
         listed as a mismatch",
        "note: 璧山县 (璧山区 500120 since 2014-05-02): 1 record counted there",
        "note: 江津市 (江津区 500116 since 2006-10-22): 1 record counted there",
        "note: 梁平县 (梁平区 500155 since 2016): 1 record counted there",
    ] {
        assert!(lines.contains(expected), "{expected}\nnot in\n{lines}");
    }
    assert_eq!(summary.declared_names.len(), 10);
    assert_eq!(summary.placed_by_managed_area, 2);
}

/// A register's rows drawn at random, each cell in one of the forms
/// registers write.
fn register_rows() -> impl proptest::strategy::Strategy<Value = Vec<[String; 8]>> {
    use proptest::prelude::*;
    const DISTRICTS: &[&str] = &[
        "渝北区",
        "渝北",
        "500112",
        "开县",
        "开州区",
        "双桥区",
        "两江新区",
        "西部（重庆）科学城",
        "万盛经开区",
        "酉阳县",
        "石柱土家族自治县",
        "重庆市江北区",
        "某某新区",
        "",
    ];
    const NAMES: &[&str] = &[
        "示例",
        "众创",
        "孵化",
        "空间",
        "“渝”",
        "（二期）",
        "科技",
        "园",
    ];
    const KINDS: &[&str] = &["众创空间", "孵化器", "加速器", "incubator", "孵 化 器"];
    const OPENED: &[&str] = &[
        "2019",
        "2019年",
        "2021年6月",
        "2021.6",
        "2020-05-01",
        "2020/5/1",
        "",
    ];
    let area = (1u32..200_000, 0u32..100, 0usize..5).prop_map(|(whole, cents, form)| {
        let figure = format!("{whole}.{cents:02}");
        match form {
            0 => figure,
            1 => format!("{figure}平方米"),
            2 => grouped(whole) + &format!(".{cents:02}"),
            3 => figure.chars().map(full_width).collect(),
            _ => format!("约{whole}"),
        }
    });
    let row = (
        proptest::collection::vec(proptest::sample::select(NAMES), 1..4),
        proptest::sample::select(KINDS),
        proptest::sample::select(DISTRICTS),
        area,
        0u32..500,
        proptest::sample::select(OPENED),
        proptest::option::of((105.3f64..110.0, 28.2f64..32.0)),
    )
        .prop_map(|(name, kind, district, area, enterprises, opened, point)| {
            let (lon, lat) = point.map_or((String::new(), String::new()), |(x, y)| {
                (format!("{x:.6}"), format!("{y:.6}"))
            });
            [
                name.concat(),
                kind.to_string(),
                district.to_string(),
                area,
                format!("{enterprises}家"),
                opened.to_string(),
                lon,
                lat,
            ]
        });
    proptest::collection::vec(row, 1..40)
}

/// `1234567` as `1,234,567`.
fn grouped(n: u32) -> String {
    let digits = n.to_string();
    let groups: Vec<&str> = digits
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|g| std::str::from_utf8(g).unwrap())
        .collect();
    groups.join(",")
}

/// The full-width form of an ASCII character.
fn full_width(c: char) -> char {
    match c {
        '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
        c => c,
    }
}

fn register_csv(rows: &[[String; 8]], area_header: &str) -> String {
    let mut text = format!(
        "{TITLE},,,,,,,\n载体名称,载体类型,所属区县,{area_header},在孵企业（家）,认定时间,经度,纬度\n"
    );
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c.contains([',', '"']) {
                true => format!("\"{}\"", c.replace('"', "\"\"")),
                false => c.clone(),
            })
            .collect();
        text += &cells.join(",");
        text += "\n";
    }
    text
}

fn read_bytes(bytes: &[u8]) -> Carriers {
    carrier_quota::read::read_carriers_csv(bytes, &gcj02()).unwrap()
}

/// The carriers and rejections of two reads, without their notes.
fn same_records(a: &Carriers, b: &Carriers) -> bool {
    a.iter().eq(b.iter()) && a.rejections() == b.rejections()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    #[test]
    fn any_table_reads_the_same_in_gbk_utf8_and_utf16(rows in register_rows()) {
        let text = register_csv(&rows, "建筑面积（平方米）");
        let utf8 = read_bytes(text.as_bytes());
        let bom = read_bytes(&[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat());
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
        proptest::prop_assert!(!unmappable);
        let gbk = read_bytes(&gbk);
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let utf16 = read_bytes(&utf16);
        proptest::prop_assert_eq!(utf8.features_read(), rows.len());
        for other in [&bom, &gbk, &utf16] {
            proptest::prop_assert!(same_records(&utf8, other));
        }
    }

    #[test]
    fn totals_in_any_unit_equal_the_totals_in_square_metres(
        areas in proptest::collection::vec((1u32..5_000_000, 0u32..10_000), 1..60),
        district in 0usize..38,
    ) {
        let atlas = Atlas::chongqing();
        let name = &atlas.districts()[district].name;
        // 1234.5678 m² is 0.12345678 万 m²: the point moved, not multiplied.
        let m2: Vec<String> = areas.iter().map(|(w, f)| format!("{w}.{f:04}")).collect();
        let wan: Vec<String> = areas
            .iter()
            .map(|(w, f)| format!("{}.{:04}{f:04}", w / 10_000, w % 10_000))
            .collect();
        let table = |header: &str, values: &[String]| {
            let mut text = format!("类型,所属区县,{header}\n");
            for v in values {
                text += &format!("孵化器,{name},{v}\n");
            }
            text
        };
        let in_m2 = read_bytes(table("建筑面积（平方米）", &m2).as_bytes());
        let in_wan = read_bytes(table("建筑面积（万平方米）", &wan).as_bytes());
        let in_hectares = read_bytes(table("面积（公顷）", &wan).as_bytes());
        let tally = |c: Carriers| Tally::new(&atlas.place(c, FootprintRule::SurfacePoint));
        let expected = tally(in_m2);
        proptest::prop_assert_eq!(&tally(in_wan), &expected);
        proptest::prop_assert_eq!(&tally(in_hectares), &expected);
        // And a workbook holding the 万 figures as numbers.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (c, header) in ["类型", "所属区县", "建筑面积（万平方米）"].iter().enumerate() {
            sheet.write_string(0, c as u16, *header).unwrap();
        }
        for (r, v) in wan.iter().enumerate() {
            let r = r as u32 + 1;
            sheet.write_string(r, 0, "孵化器").unwrap();
            sheet.write_string(r, 1, name).unwrap();
            sheet.write_number(r, 2, v.parse::<f64>().unwrap()).unwrap();
        }
        let bytes = book.save_to_buffer().unwrap();
        let workbook = carrier_quota::read::read_carriers_excel(&bytes[..], &gcj02()).unwrap();
        proptest::prop_assert_eq!(&tally(workbook), &expected);
    }
}

/// A table whose points are in one datum, read as another, says which
/// datum its points agree with the districts it names in: synthetic
/// carriers, each naming the district it lies in.
#[test]
fn a_wrong_datum_is_named_by_the_districts_records_give() {
    let atlas = Atlas::chongqing();
    let table = |count: usize, written: Datum| {
        let synthetic = carrier_quota::synthetic::Synthetic::new(count, 2).generate(atlas);
        let placed = atlas.place(synthetic, FootprintRule::SurfacePoint);
        let mut rows = String::from("类型,面积,所属区县,经度,纬度\n");
        for (c, place) in placed.iter() {
            let Some(district) = place.district else {
                continue;
            };
            let point = Datum::Gcj02.convert(c.anchor().unwrap().0, written);
            let code = &atlas.district(district).code;
            rows += &format!("孵化器,100,{code},{},{}\n", point.x, point.y);
        }
        rows
    };
    let agreement = |rows: &str, given: Datum| {
        let options = ReadOptions::new().datum(given);
        let read = carrier_quota::read::read_carriers_csv(rows.as_bytes(), &options).unwrap();
        atlas
            .place(read, FootprintRule::SurfacePoint)
            .datum_agreement()
            .unwrap()
    };
    for written in Datum::ALL {
        let rows = table(500, written);
        for given in Datum::ALL {
            let found = agreement(&rows, given);
            let expected = (given != written).then_some(written);
            assert_eq!(found.suggested(), expected, "{found}");
            assert_eq!(found.agreeing(written), found.compared, "{found}");
        }
    }
    let wrong = agreement(&table(500, Datum::Bd09), Datum::Gcj02);
    assert_eq!(
        wrong.to_string(),
        "461 of 500 records with a point and a district lie in the district they name as \
         gcj02 (the datum given), 463 as wgs84, 500 as bd09: was the datum bd09?"
    );
    // Thirty rows: a datum is named only when it is the one written.
    for written in Datum::ALL {
        let rows = table(30, written);
        for given in Datum::ALL {
            let found = agreement(&rows, given);
            let right = found.suggested().is_none_or(|d| d == written && d != given);
            assert!(right, "{found}");
        }
    }
}
