//! Workbooks laid out as offices lay them out, built from the fuzzer's
//! bytes: several sheets (some named for a kind, a summary, a withdrawn
//! one), cells merged over any rows and columns, 小计 and 合计 rows,
//! remarks. Every row written below a header must come back as one
//! carrier, one rejection or one row set aside, never lost; a sheet not
//! read must be listed with why.
#![no_main]

use carrier_quota::read::{read_carriers_excel, Limits};
use carrier_quota::{Datum, ReadOptions};
use libfuzzer_sys::fuzz_target;
use rust_xlsxwriter::{Format, Workbook};

const SHEETS: [&str; 6] = ["孵化器", "众创空间", "汇总", "已摘牌", "名单", "Sheet"];
const HEADERS: [&str; 7] = ["序号", "载体名称", "载体类型", "所在区县", "建筑面积", "在孵企业", "摘牌时间"];
const CELLS: [&str; 14] = [
    "1", "小计", "合计", "注：说明", "渝北区", "开县", "两江新区", "孵化器", "众创空间", "1200",
    "1.2万", "约500", "2023-06-30", "",
];

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.iter().copied();
    let mut next = move || bytes.next().unwrap_or(0);
    let mut book = Workbook::new();
    let sheets = 1 + usize::from(next() % 3);
    // The rows below the headers that may hold something.
    let mut written = 0usize;
    for s in 0..sheets {
        let sheet = book.add_worksheet();
        let name = format!("{}{s}", SHEETS[usize::from(next()) % SHEETS.len()]);
        sheet.set_name(&name).unwrap();
        let columns = 3 + usize::from(next() % 5) as u16;
        for c in 0..columns {
            sheet.write_string(0, c, HEADERS[usize::from(c)]).unwrap();
        }
        let rows = u32::from(next() % 12);
        for r in 1..=rows {
            for c in 0..columns {
                let text = CELLS[usize::from(next()) % CELLS.len()];
                if !text.is_empty() {
                    sheet.write_string(r, c, text).unwrap();
                }
            }
        }
        // Merged regions anywhere below the header, that do not overlap.
        let mut taken: Vec<(u32, u16)> = Vec::new();
        let mut last = rows;
        for _ in 0..next() % 4 {
            let (top, left) = (1 + u32::from(next() % 12), u16::from(next() % 7));
            let (bottom, right) = (top + u32::from(next() % 4), left + u16::from(next() % 2));
            let cells: Vec<(u32, u16)> =
                (top..=bottom).flat_map(|r| (left..=right).map(move |c| (r, c))).collect();
            if (top, left) == (bottom, right) || cells.iter().any(|c| taken.contains(c)) {
                continue;
            }
            let value = CELLS[usize::from(next()) % CELLS.len()];
            if sheet.merge_range(top, left, bottom, right, value, &Format::new()).is_ok() {
                taken.extend(cells);
                last = last.max(top);
            }
        }
        written += last as usize;
    }
    let Ok(workbook) = book.save_to_buffer() else {
        return;
    };
    let options = ReadOptions::new()
        .datum(Datum::Wgs84)
        .limits(Limits::new().max_features(10_000));
    let Ok(carriers) = read_carriers_excel(&workbook[..], &options) else {
        return;
    };
    assert_eq!(carriers.len() + carriers.rejections().len(), carriers.features_read());
    assert!(carriers.rejections().iter().all(|r| r.row.is_some()));
    let tables = carriers.tables();
    assert_eq!(tables.len(), sheets, "every sheet is listed, read or not");
    assert!(tables.iter().all(|t| t.skipped.is_none() || t.records == 0));
    let records: usize = tables.iter().map(|t| t.records).sum();
    assert_eq!(records, carriers.features_read());
    // Each row below a header is read once at most: a carrier, a
    // rejection or a row set aside. Merged cells fill rows; they add none.
    assert!(records + carriers.skipped_rows().len() <= written);
});
