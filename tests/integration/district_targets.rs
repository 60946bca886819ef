//! District targets tables as bureaus keep them, and as no one should:
//! GBK and UTF-16 text, a workbook, a value in 万平方米, and any bytes or
//! cells, which read as a table or an error and never as a panic.

use carrier_quota::quota::{read_district_targets, DistrictTargets, TargetSource};
use carrier_quota::{Atlas, DistrictNames, Error, QuotaPlan, ReadOptions};
use proptest::prelude::*;

const TABLE: &str = "区县,面积（万平方米）,在孵企业\n渝北区,45,2000\n江北,12,800\n500101,3.5,400\n";

fn read(bytes: &[u8], excel: bool) -> Result<DistrictTargets, Error> {
    read_district_targets(bytes, "t", excel, &ReadOptions::new())
}

fn applied(table: &DistrictTargets) -> Result<QuotaPlan, Error> {
    let plan = QuotaPlan::chongqing_2021_2025();
    plan.with_district_targets(Atlas::chongqing(), DistrictNames::chongqing(), table)
        .map(|(plan, _)| plan)
}

#[test]
fn a_table_reads_the_same_in_utf8_gbk_utf16_and_a_workbook() {
    let utf8 = read(TABLE.as_bytes(), false).unwrap();
    assert_eq!(utf8.entries.len(), 6);
    assert_eq!(utf8.entries[0].required, 450_000.0);
    let (gbk, _, _) = encoding_rs::GBK.encode(TABLE);
    assert_eq!(read(&gbk, false).unwrap(), utf8);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(TABLE.encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(read(&utf16, false).unwrap(), utf8);

    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in TABLE.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            match cell.parse::<f64>() {
                Ok(x) if r > 0 && c > 0 => sheet.write_number(r as u32, c as u16, x),
                _ => sheet.write_string(r as u32, c as u16, cell),
            }
            .unwrap();
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    assert_eq!(read(&bytes, true).unwrap(), utf8);

    let plan = applied(&utf8).unwrap();
    let yubei = plan
        .targets
        .iter()
        .find(|t| t.id == "floor_area_main_urban/500112")
        .unwrap();
    assert_eq!(
        (yubei.minimum, &yubei.source),
        (450_000.0, &TargetSource::DistrictTable("t".into()))
    );
    let wanzhou = plan
        .targets
        .iter()
        .find(|t| t.id == "enterprises/500101")
        .unwrap();
    assert_eq!(wanzhou.minimum, 400.0);
}

#[test]
fn bytes_that_are_no_table_are_errors() {
    for bytes in [
        &b""[..],
        b"\x00\x01\x02",
        b"PK\x03\x04not a zip",
        b"\xff\xfe\x00",
    ] {
        assert!(read(bytes, false).is_err() || read(bytes, false).unwrap().entries.is_empty());
        assert!(read(bytes, true).is_err());
    }
    let negative = read("区县,面积\n渝北区,-3\n".as_bytes(), false).unwrap_err();
    assert!(negative.to_string().contains("row 2"), "{negative}");
    let infinite = read("区县,面积\n渝北区,1e400\n".as_bytes(), false).unwrap_err();
    assert!(infinite.to_string().contains("not a number"), "{infinite}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any cells under any of the headers read as a table or an error; a
    /// table that the plan takes has one part per entry, each marked as
    /// the table's.
    #[test]
    fn any_cells_read_as_a_table_or_an_error(
        header in prop::sample::select(vec!["面积", "在孵企业", "floor_area_total", "载体数", "绿化率"]),
        rows in prop::collection::vec(("[渝北江区县万州两新巴渝 0-9]{0,6}", "[0-9.,万 -]{0,8}"), 0..8),
    ) {
        let mut text = format!("区县,{header}\n");
        for (district, value) in &rows {
            text.push_str(&format!("{district},{value}\n"));
        }
        if let Ok(table) = read(text.as_bytes(), false) {
            match applied(&table) {
                Ok(plan) => {
                    let parts = plan.targets.iter().filter(|t| !t.source.is_plan()).count();
                    prop_assert_eq!(parts, table.entries.len());
                }
                Err(e) => prop_assert!(e.to_string().contains("row"), "{}", e),
            }
        }
    }
}
