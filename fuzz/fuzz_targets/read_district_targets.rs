//! Any bytes as a district targets table (CSV, or an Excel workbook): a
//! table or an error. A table that reads is applied to the built-in plan:
//! every target it gives becomes one district's part of a plan target, with
//! the table as its source, or the plan refuses it naming the row.
#![no_main]

use carrier_quota::quota::{read_district_targets, TargetSource};
use carrier_quota::{Atlas, DistrictNames, QuotaPlan, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let excel = data.starts_with(b"PK") || data.starts_with(&[0xD0, 0xCF]);
    let options = ReadOptions::new();
    let Ok(table) = read_district_targets(data, "t.csv", excel, &options) else {
        return;
    };
    let plan = QuotaPlan::chongqing_2021_2025();
    let atlas = Atlas::chongqing();
    let names = DistrictNames::chongqing();
    match plan.with_district_targets(atlas, names, &table) {
        Ok((with, _)) => {
            let assigned = (with.targets.iter())
                .filter(|t| t.source == TargetSource::DistrictTable("t.csv".into()))
                .count();
            assert_eq!(assigned, table.entries.len());
            assert_eq!(with.targets.len(), plan.targets.len() + assigned);
        }
        Err(e) => assert!(e.to_string().contains("row"), "{e}"),
    }
});
