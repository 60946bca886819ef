//! One register laid out as government workbooks lay them out
//! (`tests/data/registers/layout_*`): district cells merged down each
//! group with a 小计 after it, a 合计 and remarks at the bottom; one sheet
//! per kind beside a summary sheet and a sheet of withdrawn carriers;
//! categories written as offices write them; a column headed as no
//! vocabulary has it. Every layout must give the totals of the plain
//! register, and every row that is not a carrier must be told apart,
//! never rejected.
//!
//! The files are written by [`write_fixtures`] from the table below:
//! `cargo test --test integration -- --ignored write_layout_fixtures`
//! writes them again; [`the_layout_fixtures_are_the_table_below`] keeps
//! them in step. The property tests below lay out random registers the
//! same ways.

use std::path::{Path, PathBuf};

use carrier_quota::carrier::{ReadNote, RowRole};
use carrier_quota::place::FootprintRule;
use carrier_quota::read::{
    read_carriers_file, read_register_files, register_files_in, CarrierFormat, RegisterFile,
};
use carrier_quota::{Atlas, Carriers, Date, ReadOptions, Tally};
use proptest::prelude::*;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

const DIR: &str = "tests/data/registers";

/// One carrier of the register.
#[derive(Debug, Clone, PartialEq)]
struct Rec {
    id: u32,
    name: String,
    kind: &'static str,
    district: &'static str,
    area: u32,
    enterprises: u32,
}

fn rec(id: u32, name: &str, kind: &'static str, district: &'static str, area: u32, e: u32) -> Rec {
    Rec {
        id,
        name: name.into(),
        kind,
        district,
        area,
        enterprises: e,
    }
}

/// Ten carriers in four districts, grouped by district as offices list
/// them.
fn register() -> Vec<Rec> {
    vec![
        rec(1, "仙桃数据谷众创空间", "众创空间", "渝北区", 3000, 20),
        rec(2, "礼嘉智慧孵化器", "孵化器", "渝北区", 12000, 45),
        rec(3, "两江数字加速器", "加速器", "渝北区", 8000, 30),
        rec(4, "观音桥众创空间", "众创空间", "江北区", 2500, 15),
        rec(5, "江北嘴金融孵化器", "孵化器", "江北区", 6000, 22),
        rec(6, "鱼嘴智造孵化器", "孵化器", "江北区", 4500, 18),
        rec(7, "万州三峡众创空间", "众创空间", "万州区", 1800, 9),
        rec(8, "万州高新孵化器", "孵化器", "万州区", 5200, 21),
        rec(9, "黔江武陵众创空间", "众创空间", "黔江区", 900, 6),
        rec(10, "正阳孵化器", "孵化器", "黔江区", 2100, 8),
    ]
}

const TITLE: &str = "孵化载体名单（示例数据，非真实记录）";

/// How a workbook lays the register out.
#[derive(Debug, Clone, Copy, Default)]
struct Layout {
    /// The district written once, in a cell merged down its group.
    merge_districts: bool,
    /// A 小计 row after each district's rows.
    subtotals: bool,
    /// A 合计 row at the bottom, its floor area off by this much.
    total: Option<i64>,
    /// Remarks under the table.
    remarks: bool,
    /// One sheet per kind, without a kind column, beside a summary sheet.
    sheet_per_kind: bool,
}

/// The register as a workbook laid out as `layout` says; `withdrawn` are
/// carriers on a sheet of their own, named 已摘牌, with their date of
/// withdrawal when they have one.
fn workbook(recs: &[Rec], layout: Layout, withdrawn: &[(Rec, Option<&str>)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 1, 2).unwrap();
    book.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&day));
    if layout.sheet_per_kind {
        for kind in ["孵化器", "众创空间", "加速器"] {
            let rows: Vec<Rec> = recs.iter().filter(|r| r.kind == kind).cloned().collect();
            let sheet = book.add_worksheet();
            let name = match kind {
                "众创空间" => "2023年众创空间".to_string(),
                "加速器" => "加速器名单".to_string(),
                _ => kind.to_string(),
            };
            sheet.set_name(name).unwrap();
            write_sheet(sheet, &rows, layout, false);
        }
        let summary = book.add_worksheet();
        summary.set_name("汇总").unwrap();
        summary
            .write_row(0, 0, ["所在区县", "载体数量", "建筑面积（平方米）"])
            .unwrap();
        summary.write_row(1, 0, ["渝北区", "3", "23000"]).unwrap();
    } else {
        let sheet = book.add_worksheet();
        sheet.set_name("载体名单").unwrap();
        write_sheet(sheet, recs, layout, true);
    }
    if !withdrawn.is_empty() {
        let sheet = book.add_worksheet();
        sheet.set_name("已摘牌").unwrap();
        let headers = [
            "序号",
            "所在区县",
            "载体名称",
            "载体类型",
            "建筑面积（平方米）",
            "摘牌时间",
        ];
        sheet.write_row(0, 0, headers).unwrap();
        for (i, (r, date)) in withdrawn.iter().enumerate() {
            let row = i as u32 + 1;
            sheet.write_number(row, 0, r.id).unwrap();
            sheet
                .write_row(row, 1, [r.district, &r.name, r.kind])
                .unwrap();
            sheet.write_number(row, 4, r.area).unwrap();
            if let Some(date) = date {
                sheet.write_string(row, 5, *date).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// One sheet of the register: a title, the header, the rows grouped by
/// district with what `layout` adds.
fn write_sheet(sheet: &mut Worksheet, recs: &[Rec], layout: Layout, kind_column: bool) {
    let mut headers = vec!["序号", "所在区县", "载体名称"];
    if kind_column {
        headers.push("载体类型");
    }
    headers.extend(["建筑面积（平方米）", "在孵企业（家）"]);
    let (area_col, count_col) = (headers.len() as u16 - 2, headers.len() as u16 - 1);
    let last = headers.len() as u16 - 1;
    sheet
        .merge_range(0, 0, 0, last, TITLE, &Format::new().set_bold())
        .unwrap();
    sheet.write_row(1, 0, headers).unwrap();
    let mut row = 2u32;
    let mut groups: Vec<(&str, Vec<&Rec>)> = Vec::new();
    for r in recs {
        match groups.last_mut() {
            Some((d, group)) if *d == r.district => group.push(r),
            _ => groups.push((r.district, vec![r])),
        }
    }
    let (mut area_all, mut count_all) = (0i64, 0u32);
    for (district, group) in &groups {
        let first = row;
        for r in group {
            sheet.write_number(row, 0, r.id).unwrap();
            if !layout.merge_districts {
                sheet.write_string(row, 1, *district).unwrap();
            }
            sheet.write_string(row, 2, &r.name).unwrap();
            if kind_column {
                sheet.write_string(row, 3, r.kind).unwrap();
            }
            sheet.write_number(row, area_col, r.area).unwrap();
            sheet.write_number(row, count_col, r.enterprises).unwrap();
            row += 1;
        }
        if layout.merge_districts {
            if row - first > 1 {
                sheet
                    .merge_range(first, 1, row - 1, 1, district, &Format::new())
                    .unwrap();
            } else {
                sheet.write_string(first, 1, *district).unwrap();
            }
        }
        let area: u32 = group.iter().map(|r| r.area).sum();
        let count: u32 = group.iter().map(|r| r.enterprises).sum();
        (area_all, count_all) = (area_all + i64::from(area), count_all + count);
        if layout.subtotals {
            sheet.write_string(row, 0, "小计").unwrap();
            sheet.write_number(row, area_col, area).unwrap();
            sheet.write_number(row, count_col, count).unwrap();
            row += 1;
        }
    }
    if let Some(off) = layout.total {
        sheet.write_string(row, 0, "合计").unwrap();
        sheet
            .write_number(row, area_col, (area_all + off) as f64)
            .unwrap();
        sheet.write_number(row, count_col, count_all).unwrap();
        row += 1;
    }
    if layout.remarks {
        sheet
            .write_string(row + 1, 0, "注：场地面积为建筑面积，单位平方米。")
            .unwrap();
        sheet.write_string(row + 2, 0, "填表人：王五").unwrap();
        sheet
            .write_string(row + 2, 3, "联系电话：023-00000000")
            .unwrap();
        sheet.write_string(row + 3, 0, "2024年1月5日").unwrap();
    }
}

/// The plain register: one header, one carrier per row.
fn plain_csv(recs: &[Rec]) -> Vec<u8> {
    let mut text =
        String::from("序号,所在区县,载体名称,载体类型,建筑面积（平方米）,在孵企业（家）\n");
    for r in recs {
        text += &format!(
            "{},{},{},{},{},{}\n",
            r.id, r.district, r.name, r.kind, r.area, r.enterprises
        );
    }
    text.into_bytes()
}

/// The register with an address in place of its district column, written
/// the ways registers write addresses.
fn addresses_csv(recs: &[Rec]) -> Vec<u8> {
    let forms = [
        "重庆市{d}{n}街道示例路{i}号",
        "{d}示例大道{i}号",
        "中国重庆市{d}{n}产业园{i}栋",
        "重庆{d}某镇{i}号",
    ];
    let mut text =
        String::from("序号,载体名称,载体类型,详细地址,建筑面积（平方米）,在孵企业（家）\n");
    for (i, r) in recs.iter().enumerate() {
        let address = forms[i % forms.len()]
            .replace("{d}", r.district)
            .replace("{n}", "新华")
            .replace("{i}", &r.id.to_string());
        text += &format!(
            "{},{},{},{address},{},{}\n",
            r.id, r.name, r.kind, r.area, r.enterprises
        );
    }
    text.into_bytes()
}

/// A register whose categories are written as offices write them, and
/// whose enterprises column is headed as no vocabulary heads it.
fn categories_csv() -> Vec<u8> {
    let categories = [
        "专业化众创空间",
        "综合型",
        "大型孵化载体",
        "专业化孵化器",
        "综合孵化器",
        "新型研发平台",
        "",
        "新型研发平台",
        "环大学创新生态圈",
        "综合型",
    ];
    let mut text = String::from(
        "序号,所在区县,载体名称,载体类型,载体类别,建筑面积（平方米）,在孵企业及团队数,备注\n",
    );
    for (r, category) in register().iter().zip(categories) {
        text += &format!(
            "{},{},{},{},{category},{},{},\n",
            r.id, r.district, r.name, r.kind, r.area, r.enterprises
        );
    }
    text.into_bytes()
}

/// The carriers that lost their recognition: one in 2023, one with no
/// date given.
fn withdrawn() -> Vec<(Rec, Option<&'static str>)> {
    vec![
        (
            rec(11, "南坪众创空间", "众创空间", "南岸区", 1500, 0),
            Some("2023-06-30"),
        ),
        (rec(12, "沙坪坝孵化器", "孵化器", "沙坪坝区", 2600, 0), None),
    ]
}

const MERGED: Layout = Layout {
    merge_districts: true,
    subtotals: true,
    total: Some(100),
    remarks: true,
    sheet_per_kind: false,
};

const BY_KIND: Layout = Layout {
    merge_districts: false,
    subtotals: false,
    total: None,
    remarks: false,
    sheet_per_kind: true,
};

/// The layouts, by file name.
fn fixtures() -> Vec<(String, Vec<u8>)> {
    vec![
        ("layout_plain.csv", plain_csv(&register())),
        ("layout_merged.xlsx", workbook(&register(), MERGED, &[])),
        (
            "layout_sheets.xlsx",
            workbook(&register(), BY_KIND, &withdrawn()),
        ),
        ("layout_categories.csv", categories_csv()),
        ("layout_addresses.csv", addresses_csv(&register())),
    ]
    .into_iter()
    .map(|(name, bytes)| (name.to_string(), bytes))
    .chain(district_files())
    .collect()
}

/// The register kept as one file per district, as the district bureaus
/// keep it, each numbering its rows from 1: 渝北区 in a workbook with its
/// district cells merged, 江北区 as GBK CSV, 万州区 with 百度 (BD-09) points,
/// 黔江区 as UTF-8 CSV; and the sources file that names 万州区's datum.
fn district_files() -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for district in ["渝北区", "江北区", "万州区", "黔江区"] {
        let recs: Vec<Rec> = register()
            .into_iter()
            .filter(|r| r.district == district)
            .enumerate()
            .map(|(i, r)| Rec {
                id: i as u32 + 1,
                ..r
            })
            .collect();
        let (name, bytes) = match district {
            "渝北区" => ("渝北区.xlsx", workbook(&recs, MERGED_PLAIN, &[])),
            "江北区" => {
                let text = String::from_utf8(plain_csv(&recs)).unwrap();
                let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
                assert!(!unmappable);
                ("江北区.csv", gbk.into_owned())
            }
            "万州区" => ("万州区.csv", bd09_csv(&recs)),
            _ => ("黔江区.csv", plain_csv(&recs)),
        };
        files.push((format!("districts/{name}"), bytes));
    }
    let sources = "# 各区县名单：万州区的坐标取自百度地图\n\
                   [[file]]\npath = \"渝北区.xlsx\"\n\n\
                   [[file]]\npath = \"江北区.csv\"\n\n\
                   [[file]]\npath = \"万州区.csv\"\ndatum = \"bd09\"\n\n\
                   [[file]]\npath = \"黔江区.csv\"\n";
    files.push(("districts/sources.toml".into(), sources.as_bytes().to_vec()));
    files
}

/// The merged layout, without its total off by 100.
const MERGED_PLAIN: Layout = Layout {
    total: Some(0),
    ..MERGED
};

/// Records with a point each, in BD-09, and no district column: points in
/// 万州区 (GCJ-02 around its centre, converted).
fn bd09_csv(recs: &[Rec]) -> Vec<u8> {
    let atlas = Atlas::chongqing();
    let mut text =
        String::from("序号,载体名称,载体类型,经度,纬度,建筑面积（平方米）,在孵企业（家）\n");
    for (i, r) in recs.iter().enumerate() {
        let gcj = geo::Coord {
            x: 108.38 + 0.01 * i as f64,
            y: 30.80,
        };
        let district = atlas
            .locate(geo::Point(gcj))
            .map(|d| atlas.district(d).name.as_str());
        assert_eq!(district, Some("万州区"));
        let bd = carrier_quota::Datum::Gcj02.convert(gcj, carrier_quota::Datum::Bd09);
        text += &format!(
            "{},{},{},{:.6},{:.6},{},{}\n",
            r.id, r.name, r.kind, bd.x, bd.y, r.area, r.enterprises
        );
    }
    text.into_bytes()
}

fn path(name: &str) -> PathBuf {
    Path::new(DIR).join(name)
}

#[test]
#[ignore = "writes tests/data/registers"]
fn write_layout_fixtures() {
    std::fs::create_dir_all(path("districts")).unwrap();
    for (name, bytes) in fixtures() {
        std::fs::write(path(&name), bytes).unwrap();
    }
}

#[test]
fn the_layout_fixtures_are_the_table_below() {
    for (name, bytes) in fixtures() {
        let name = name.as_str();
        let kept = std::fs::read(path(name)).unwrap();
        if name.ends_with(".xlsx") {
            // The workbook by what it reads as, not its zip's bytes.
            let read = |b: &[u8]| format!("{:?}", read_bytes(name, b).map(|c| c.tables().to_vec()));
            assert_eq!(read(&kept), read(&bytes), "{name}");
            assert!(read_bytes(name, &kept).unwrap() == read_bytes(name, &bytes).unwrap());
        } else {
            assert!(
                kept == bytes,
                "{name} is not what write_layout_fixtures writes"
            );
        }
    }
}

fn read_bytes(name: &str, bytes: &[u8]) -> Result<Carriers, carrier_quota::Error> {
    let format = match name.ends_with(".xlsx") {
        true => CarrierFormat::Excel,
        false => CarrierFormat::Csv,
    };
    format.read(bytes, &ReadOptions::new())
}

fn read(name: &str) -> Carriers {
    read_carriers_file(&path(name), &ReadOptions::new()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn end_2025() -> Date {
    Date::new(2025, 12, 31).unwrap()
}

fn tally(carriers: Carriers) -> Tally {
    let placed = Atlas::chongqing().place(carriers, FootprintRule::SurfacePoint);
    Tally::open_on(&placed, end_2025())
}

/// Asserts that two tallies give every district, zone and the city the
/// same totals (their breakdowns by category aside).
fn same_totals(a: &Tally, b: &Tally) {
    let all = |t: &Tally| -> Vec<carrier_quota::Totals> {
        let rows = t
            .districts()
            .iter()
            .chain(t.zones())
            .chain([t.city(), t.outside()]);
        rows.map(|r| r.all).collect()
    };
    assert!(all(a) == all(b), "the totals differ");
}

fn notes(carriers: &Carriers) -> Vec<String> {
    carriers.notes().iter().map(ToString::to_string).collect()
}

#[test]
fn merged_districts_subtotals_and_remarks_read_as_the_plain_register() {
    let plain = read("layout_plain.csv");
    let merged = read("layout_merged.xlsx");
    assert_eq!(merged.rejections(), [], "no row is rejected");
    assert_eq!(merged.len(), 10);
    assert!(tally(merged.clone()) == tally(plain), "the same totals");
    let roles = |role| {
        merged
            .skipped_rows()
            .iter()
            .filter(|r| r.role == role)
            .count()
    };
    assert_eq!(roles(RowRole::Subtotal), 4);
    assert_eq!(roles(RowRole::Total), 1);
    assert_eq!(roles(RowRole::Remark), 3);
    let table = &merged.tables()[0];
    assert_eq!((table.records, table.sums, table.remarks), (10, 5, 3));
    // The subtotals agree with their groups; the total, off by 100 m², is
    // named.
    let notes = notes(&merged);
    let differ: Vec<&String> = notes.iter().filter(|n| n.contains("sum to")).collect();
    assert_eq!(
        differ,
        ["row 17 (合计) gives 46,100 m² in column \"建筑面积（平方米）\"; the rows it covers sum \
          to 46,000 m²"]
    );
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("rows 19, 20, 21 under the table hold remarks")),
        "{notes:?}"
    );
}

#[test]
fn a_figure_merged_over_several_carriers_counts_once() {
    // Two carriers of one building: its floor area and enterprises written
    // once, in cells merged over both rows.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .write_row(
            0,
            0,
            [
                "序号",
                "载体名称",
                "载体类型",
                "所在区县",
                "建筑面积",
                "在孵企业",
            ],
        )
        .unwrap();
    sheet
        .write_row(1, 0, ["1", "甲孵化器", "孵化器", "渝北区"])
        .unwrap();
    sheet
        .write_row(2, 0, ["2", "甲众创空间", "众创空间", "渝北区"])
        .unwrap();
    sheet
        .write_row(3, 0, ["3", "乙孵化器", "孵化器", "江北区", "700", "4"])
        .unwrap();
    sheet.merge_range(1, 4, 2, 4, "", &Format::new()).unwrap();
    sheet.write_number(1, 4, 5000).unwrap();
    sheet.merge_range(1, 5, 2, 5, "", &Format::new()).unwrap();
    sheet.write_number(1, 5, 30).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let carriers = CarrierFormat::Excel
        .read(&bytes[..], &ReadOptions::new())
        .unwrap();
    assert_eq!(carriers.rejections(), []);
    let areas: Vec<f64> = carriers.iter().map(|c| c.floor_area_m2()).collect();
    assert_eq!(areas, [5000.0, 0.0, 700.0]);
    let enterprises: Vec<u32> = carriers.iter().map(|c| c.enterprises()).collect();
    assert_eq!(enterprises, [30, 0, 4]);
    let notes = notes(&carriers);
    assert!(
        notes.contains(
            &"column \"建筑面积\" gives one figure in cells merged over rows 2–3: counted once, \
              in row 2"
                .to_string()
        ),
        "{notes:?}"
    );
}

#[test]
fn every_sheet_is_read_and_every_sheet_left_out_says_why() {
    let plain = read("layout_plain.csv");
    let sheets = read("layout_sheets.xlsx");
    assert_eq!(sheets.rejections(), []);
    // Ten carriers of the three kind sheets, and the one withdrawn in 2023
    // as a closing; the one withdrawn without a date is listed.
    assert_eq!(sheets.len(), 11);
    assert!(
        tally(sheets.clone()) == tally(plain),
        "the same totals at the end of 2025"
    );
    let kinds: Vec<(Option<&str>, usize)> = sheets
        .tables()
        .iter()
        .map(|t| (t.origin.sheet.as_deref(), t.records))
        .collect();
    assert_eq!(
        kinds,
        [
            (Some("孵化器"), 5),
            (Some("2023年众创空间"), 4),
            (Some("加速器名单"), 1),
            (Some("已摘牌"), 1),
            (Some("汇总"), 0),
        ]
    );
    let summary = &sheets.tables()[4];
    assert!(summary.skipped.as_deref().unwrap().contains("summary"));
    let delisted: Vec<(&str, usize)> = sheets
        .skipped_rows()
        .iter()
        .map(|r| (r.text.as_str(), r.row))
        .collect();
    assert_eq!(delisted, [("沙坪坝孵化器", 3)]);
    let withdrawn = sheets.iter().find(|c| c.id() == "11").unwrap();
    assert_eq!(withdrawn.closed().unwrap().to_string(), "2023-06-30");
    assert_eq!(withdrawn.origin().unwrap().sheet.as_deref(), Some("已摘牌"));
    let accelerator = sheets.iter().find(|c| c.id() == "3").unwrap();
    assert_eq!(accelerator.kind(), carrier_quota::Kind::Accelerator);
    let notes = notes(&sheets);
    for expected in [
        "sheet 汇总 not read: its name says it is a summary (汇总, 统计, 合计), not a register",
        "sheet 孵化器: no kind column: its name gives 5 records the kind incubator",
        "sheet 已摘牌: row 3 lost its recognition and gives no date of it (such as \"沙坪坝孵化器\"): \
         listed, not counted",
    ] {
        assert!(notes.iter().any(|n| n == expected), "{expected}\n{notes:#?}");
    }
}

#[test]
fn named_sheets_are_read_alone_and_an_unknown_one_is_an_error() {
    let path = path("layout_sheets.xlsx");
    let options = ReadOptions::new().sheet("孵化器").sheet("加速器名单");
    let carriers = read_carriers_file(&path, &options).unwrap();
    assert_eq!(carriers.len(), 6);
    assert_eq!(carriers.tables().len(), 2);
    let error = read_carriers_file(&path, &ReadOptions::new().sheet("Sheet9")).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("no sheet \"Sheet9\"; the sheets are 孵化器, "),
        "{error}"
    );
}

#[test]
fn a_sheet_error_names_its_sheet() {
    let mut book = Workbook::new();
    let first = book.add_worksheet();
    first
        .write_row(0, 0, ["序号", "载体类型", "建筑面积", "所在区县"])
        .unwrap();
    first
        .write_row(1, 0, ["1", "孵化器", "500", "渝北区"])
        .unwrap();
    let second = book.add_worksheet();
    second.set_name("新增").unwrap();
    second
        .write_row(0, 0, ["序号", "载体名称", "所在区县"])
        .unwrap();
    second.write_row(1, 0, ["1", "丙", "渝北区"]).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let error = CarrierFormat::Excel
        .read(&bytes[..], &ReadOptions::new())
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("sheet 新增: no column \"kind\""),
        "{error}"
    );
}

#[test]
fn an_unknown_category_keeps_its_row_and_a_resembling_header_is_read() {
    let carriers = read("layout_categories.csv");
    assert_eq!(carriers.rejections(), [], "no row is lost for its category");
    assert_eq!(carriers.len(), 10);
    same_totals(&tally(carriers.clone()), &tally(read("layout_plain.csv")));
    let enterprises: u32 = carriers.iter().map(|c| c.enterprises()).sum();
    assert_eq!(
        enterprises,
        register().iter().map(|r| r.enterprises).sum::<u32>()
    );
    use carrier_quota::Category::*;
    let categories: Vec<Option<carrier_quota::Category>> =
        carriers.iter().map(|c| c.category()).collect();
    assert_eq!(
        categories,
        [
            Some(Specialty),
            None,
            Some(Large),
            Some(Specialty),
            None,
            None,
            None,
            None,
            Some(UniversityEcosystem),
            None
        ]
    );
    let unclassified: Vec<&str> = carriers
        .iter()
        .filter(|c| c.category_unclassified())
        .map(|c| c.id())
        .collect();
    assert_eq!(unclassified, ["6", "8"]);
    let notes = notes(&carriers);
    for expected in [
        "column \"在孵企业及团队数\" read as enterprises",
        "column \"载体类别\" gives \"新型研发平台\", a value the reader does not know (2 records): \
         counted in every total, and as unclassified by the targets that filter on it",
    ] {
        assert!(notes.iter().any(|n| n == expected), "{expected}\n{notes:#?}");
    }
    let table = &carriers.tables()[0];
    assert_eq!(table.ignored, ["备注"]);
    // The targets that filter on categories count the two as unclassified;
    // the floor area counts them.
    let placed = Atlas::chongqing().place(carriers.clone(), FootprintRule::SurfacePoint);
    let checked = carrier_quota::PlanCheck::new(carrier_quota::QuotaPlan::chongqing_2021_2025())
        .run(placed)
        .unwrap();
    let target = |id: &str| checked.report.targets.iter().find(|t| t.id == id).unwrap();
    assert_eq!(target("specialty_carriers").unclassified, 2);
    assert_eq!(target("specialty_carriers").actual, Some(2.0));
    assert!(target("specialty_carriers")
        .note
        .as_deref()
        .unwrap()
        .contains("2 carriers in scope could not be classified"));
    assert_eq!(target("floor_area_total").unclassified, 0);
    assert_eq!(target("floor_area_total").actual, Some(46_000.0));
    // The column ignored on request: no category at all.
    let ignored = read_carriers_file(
        &path("layout_categories.csv"),
        &ReadOptions::new().ignore("载体类别"),
    )
    .unwrap();
    assert!(ignored
        .iter()
        .all(|c| c.category().is_none() && !c.category_unclassified()));
    assert_eq!(ignored.tables()[0].ignored, ["载体类别", "备注"]);
}

#[test]
fn addresses_place_records_as_district_cells_do() {
    let carriers = read("layout_addresses.csv");
    assert_eq!(carriers.rejections(), []);
    assert!(tally(carriers.clone()) == tally(read("layout_plain.csv")));
    let placed = Atlas::chongqing().place(carriers, FootprintRule::SurfacePoint);
    assert!(placed
        .iter()
        .all(|(_, p)| p.placed_by == carrier_quota::PlacedBy::Address));
    assert_eq!(placed.summary().placed_by_address, 10);

    // An address that names no district, or two, does not place; a district
    // cell decides against an address, with a note; a former name, a
    // managed area and a town the city has one of read as in a district
    // cell; a town column places as the address does.
    let text = "序号,载体类型,所在区县,地址,所在街道（镇）,面积\n\
                1,孵化器,,仙桃街道数据谷中路107号,,100\n\
                2,孵化器,,重庆市渝北区与江北区交界处,,100\n\
                3,孵化器,江北区,重庆市渝北区礼嘉街道,,100\n\
                4,孵化器,,重庆市开县汉丰街道,,100\n\
                5,孵化器,,重庆市两江新区礼嘉街道,,100\n\
                6,孵化器,,两江大道188号,,100\n\
                7,孵化器,,,汉丰街道,100\n\
                8,孵化器,,,龙沙镇,100\n\
                9,孵化器,,重庆市龙沙镇,,100\n";
    let carriers = CarrierFormat::Csv
        .read(text.as_bytes(), &ReadOptions::new())
        .unwrap();
    let rejected: Vec<String> = carriers
        .rejections()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        rejected,
        [
            "row 3 (id \"2\"): no location: the address \"重庆市渝北区与江北区交界处\" places it \
             nowhere: it names two districts, 渝北区 and 江北区",
            "row 7 (id \"6\"): no location: the address \"两江大道188号\" places it nowhere: it \
             names no district (a district's name today or before, or a managed area, after the \
             city's)",
            "row 9 (id \"8\"): no location: the address \"龙沙镇\" places it nowhere: 2 districts \
             have a town or street named 龙沙镇",
            "row 10 (id \"9\"): no location: the address \"重庆市龙沙镇\" places it nowhere: 2 \
             districts have a town or street named 龙沙镇",
        ]
    );
    let declared: Vec<(&str, Option<&str>)> = carriers
        .iter()
        .map(|c| (c.id(), c.declared().map(|(written, _)| written)))
        .collect();
    assert_eq!(
        declared,
        [
            ("1", Some("仙桃街道")),
            ("3", Some("江北区")),
            ("4", Some("开县")),
            ("5", Some("两江新区")),
            ("7", Some("汉丰街道")),
        ]
    );
    let placed = Atlas::chongqing().place(carriers, FootprintRule::SurfacePoint);
    let atlas = placed.atlas();
    let places: Vec<(Option<&str>, carrier_quota::PlacedBy)> = placed
        .iter()
        .map(|(_, p)| {
            (
                p.district.map(|d| atlas.district(d).name.as_str()),
                p.placed_by,
            )
        })
        .collect();
    use carrier_quota::PlacedBy::*;
    assert_eq!(
        places,
        [
            (Some("渝北区"), Address),
            (Some("江北区"), Declared),
            (Some("开州区"), Address),
            (None, ManagedArea),
            (Some("开州区"), Address),
        ]
    );
    let notes = notes(placed.carriers());
    assert!(
        notes.contains(
            &"row 4 gives a district and an address that names another (such as \"江北区\" \
              and \"重庆市渝北区礼嘉街道\"): counted in the district it gives"
                .to_string()
        ),
        "{notes:?}"
    );
}

#[test]
fn the_towns_are_the_citys_with_their_districts() {
    let towns = carrier_quota::chongqing::towns();
    assert_eq!(towns.len(), 1031);
    let atlas = Atlas::chongqing();
    assert!(towns
        .iter()
        .all(|t| atlas.find_district(t.district.as_str()).is_some()));
    assert!(towns
        .iter()
        .all(|t| t.code.starts_with(t.district.as_str()) && t.code.len() == 9));
    // Every district has towns, and 35 names are in more than one.
    for d in atlas.districts() {
        assert!(towns.iter().any(|t| t.district == d.code), "{}", d.name);
    }
    let mut names: Vec<&str> = towns.iter().map(|t| t.name.as_str()).collect();
    names.sort_unstable();
    let shared = names
        .chunk_by(|a, b| a == b)
        .filter(|g| g.len() > 1)
        .count();
    assert_eq!(shared, 35);
}

fn sources(files: &[&str], options: &ReadOptions) -> Vec<RegisterFile> {
    files
        .iter()
        .map(|f| RegisterFile::new(path(&format!("districts/{f}")), options.clone()))
        .collect()
}

#[test]
fn district_files_read_as_one_register() {
    let mut files = sources(
        &["渝北区.xlsx", "江北区.csv", "黔江区.csv"],
        &ReadOptions::new(),
    );
    files.extend(sources(
        &["万州区.csv"],
        &ReadOptions::new().datum(carrier_quota::Datum::Bd09),
    ));
    let carriers = read_register_files(&files).unwrap();
    assert_eq!(carriers.rejections(), []);
    assert_eq!(
        carriers.len(),
        10,
        "each file's 序号 1 is a carrier of its own"
    );
    assert!(tally(carriers.clone()) == tally(read("layout_plain.csv")));
    let files_read: Vec<(String, usize)> = carriers
        .tables()
        .iter()
        .map(|t| (t.origin.to_string(), t.records))
        .collect();
    let dir = path("districts");
    let file = |name: &str| format!("file {}", dir.join(name).display());
    assert_eq!(
        files_read,
        [
            (file("渝北区.xlsx"), 3),
            (file("江北区.csv"), 3),
            (file("黔江区.csv"), 2),
            (file("万州区.csv"), 2),
        ]
    );
    let first = carriers
        .iter()
        .find(|c| c.name() == Some("观音桥众创空间"))
        .unwrap();
    assert_eq!(first.id(), "1");
    assert_eq!(
        first.origin().unwrap().file,
        Some(dir.join("江北区.csv").display().to_string())
    );
    // The rows set aside name their file.
    let sums: Vec<String> = carriers
        .skipped_rows()
        .iter()
        .map(|r| r.origin.to_string())
        .collect();
    assert!(sums.iter().all(|o| o == &file("渝北区.xlsx")), "{sums:?}");

    // A file given twice is read once, and said so; one error names its
    // file.
    let twice = sources(&["黔江区.csv", "黔江区.csv"], &ReadOptions::new());
    let read_once = read_register_files(&twice).unwrap();
    assert_eq!(read_once.len(), 2);
    let said = notes(&read_once);
    assert_eq!(
        said,
        [format!(
            "{} not read: the same file as {}: read once",
            file("黔江区.csv"),
            dir.join("黔江区.csv").display()
        )]
    );
    let error = read_register_files(&sources(&["黔江区.csv", "万州区.csv"], &ReadOptions::new()))
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with(&format!("{}: ", file("万州区.csv"))),
        "{error}"
    );

    // One carrier in two files is named, each counted.
    let tmp = std::env::temp_dir().join(format!("cq-layouts-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(tmp.join("a.csv"), plain_csv(&register()[..2])).unwrap();
    std::fs::write(tmp.join("b.csv"), plain_csv(&register()[1..3])).unwrap();
    let both =
        [tmp.join("a.csv"), tmp.join("b.csv")].map(|p| RegisterFile::new(p, ReadOptions::new()));
    let both = read_register_files(&both).unwrap();
    assert_eq!(both.len(), 4);
    let said = notes(&both);
    assert!(
        said.iter()
            .any(|n| n.starts_with("carrier \"2\" (礼嘉智慧孵化器) appears in file ")),
        "{said:?}"
    );
    assert_eq!(register_files_in(&tmp).unwrap().len(), 2);
    // A copy under another name is the same register: read once.
    std::fs::copy(tmp.join("a.csv"), tmp.join("copy.csv")).unwrap();
    let copied =
        [tmp.join("a.csv"), tmp.join("copy.csv")].map(|p| RegisterFile::new(p, ReadOptions::new()));
    assert_eq!(read_register_files(&copied).unwrap().len(), 2);
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// A random register: carriers in a few districts, grouped by district.
fn registers() -> impl Strategy<Value = Vec<Rec>> {
    const DISTRICTS: [&str; 5] = ["渝北区", "江北区", "万州区", "黔江区", "开县"];
    const KINDS: [&str; 3] = ["众创空间", "孵化器", "加速器"];
    let rec = (0..DISTRICTS.len(), 0..KINDS.len(), 1u32..50_000, 0u32..200);
    proptest::collection::vec(rec, 1..30).prop_map(|mut recs| {
        recs.sort_by_key(|r| r.0);
        recs.into_iter()
            .enumerate()
            .map(|(i, (d, k, area, e))| Rec {
                id: i as u32 + 1,
                name: format!("载体{}", i + 1),
                kind: KINDS[k],
                district: DISTRICTS[d],
                area,
                enterprises: e,
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Merging the district cells, adding subtotals, a total and remarks,
    /// or splitting the register over sheets by kind leaves every tally
    /// as the plain register's.
    #[test]
    fn a_layout_leaves_every_tally_unchanged(
        recs in registers(),
        merge_districts: bool,
        subtotals: bool,
        total: bool,
        remarks: bool,
        sheet_per_kind: bool,
    ) {
        let plain = CarrierFormat::Csv.read(&plain_csv(&recs)[..], &ReadOptions::new()).unwrap();
        let layout = Layout {
            merge_districts,
            subtotals,
            total: total.then_some(0),
            remarks,
            sheet_per_kind,
        };
        let book = workbook(&recs, layout, &[]);
        let laid = CarrierFormat::Excel.read(&book[..], &ReadOptions::new()).unwrap();
        prop_assert_eq!(laid.rejections(), &[]);
        prop_assert_eq!(laid.len(), recs.len());
        prop_assert!(tally(laid.clone()) == tally(plain));
        let sums = laid.skipped_rows().iter().filter(|r| r.role != RowRole::Remark).count();
        let groups = recs.chunk_by(|a, b| a.district == b.district).count();
        let expected = match (sheet_per_kind, subtotals) {
            (false, true) => groups + usize::from(total),
            (false, false) => usize::from(total),
            // Each kind's sheet has its own groups.
            (true, _) => laid.tables().iter().map(|t| t.sums).sum(),
        };
        prop_assert_eq!(sums, expected);
        let differ = laid.notes().iter().any(|n| matches!(n, ReadNote::SumDiffers { .. }));
        prop_assert!(!differ, "a sum that agrees is not noted");
    }

    /// Splitting a register into one file per district, each numbering
    /// its rows from 1, leaves every tally unchanged.
    #[test]
    fn files_leave_every_tally_unchanged(recs in registers(), workbooks: bool) {
        let plain = CarrierFormat::Csv.read(&plain_csv(&recs)[..], &ReadOptions::new()).unwrap();
        let dir = std::env::temp_dir().join(format!(
            "cq-layout-files-{}-{}",
            std::process::id(),
            recs.len() * 2 + usize::from(workbooks)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let mut files = Vec::new();
        for (i, group) in recs.chunk_by(|a, b| a.district == b.district).enumerate() {
            let group: Vec<Rec> = group
                .iter()
                .enumerate()
                .map(|(n, r)| Rec { id: n as u32 + 1, ..r.clone() })
                .collect();
            let (name, bytes) = match workbooks {
                true => (format!("{i}.xlsx"), workbook(&group, MERGED_PLAIN, &[])),
                false => (format!("{i}.csv"), plain_csv(&group)),
            };
            std::fs::write(dir.join(&name), bytes).unwrap();
            files.push(RegisterFile::new(dir.join(name), ReadOptions::new()));
        }
        let read = read_register_files(&files).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        prop_assert_eq!(read.rejections(), &[]);
        prop_assert_eq!(read.len(), recs.len());
        prop_assert!(tally(read) == tally(plain));
    }

    /// Replacing the district column by addresses leaves every tally
    /// unchanged.
    #[test]
    fn addresses_leave_every_tally_unchanged(recs in registers()) {
        let plain = CarrierFormat::Csv.read(&plain_csv(&recs)[..], &ReadOptions::new()).unwrap();
        let by_address =
            CarrierFormat::Csv.read(&addresses_csv(&recs)[..], &ReadOptions::new()).unwrap();
        prop_assert_eq!(by_address.rejections(), &[]);
        prop_assert!(tally(by_address) == tally(plain));
    }
}
