//! Any text as the cells of a register row (district, floor area, count,
//! date, overlay): the same records from the table in UTF-8, GB18030 and
//! UTF-16, and, where the floor area reads, the same floor area from a
//! column in m² and from one in 万 m² holding the figure with its decimal
//! point moved four places.
#![no_main]

use carrier_quota::read::read_carriers_csv;
use carrier_quota::{Carriers, Datum, ReadOptions};
use libfuzzer_sys::fuzz_target;

/// A CSV cell holding `text` as written.
fn cell(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

fn read(bytes: &[u8]) -> Option<Carriers> {
    read_carriers_csv(bytes, &ReadOptions::new().datum(Datum::Gcj02)).ok()
}

/// `text` as a plain decimal with its point moved four places left, when
/// it is one.
fn in_wan(text: &str) -> Option<String> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || whole.len() > 12 {
        return None;
    }
    let padded = format!("{whole:0>5}");
    let (high, low) = padded.split_at(padded.len() - 4);
    Some(format!("{high}.{low}{fraction}"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parts: Vec<&str> = text.splitn(5, '\u{1f}').collect();
    let [district, area, count, opened, overlay] = parts[..] else {
        return;
    };
    let table = |unit: &str, area: &str| {
        let row = [district, area, count, opened, overlay].map(cell).join(",");
        format!(
            "类型,所属区县,建筑面积（{unit}）,在孵企业（家）,认定时间,功能区,经度,纬度\n\
             孵化器,{row},106.5775,29.5575\n"
        )
    };
    let in_m2 = table("平方米", area);
    let Some(utf8) = read(in_m2.as_bytes()) else {
        return;
    };
    let (gbk, _, unmappable) = encoding_rs::GB18030.encode(&in_m2);
    if !unmappable {
        let gbk = read(&gbk).expect("the GB18030 form reads as the UTF-8 one does");
        assert!(utf8.iter().eq(gbk.iter()) && utf8.rejections() == gbk.rejections());
    }
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(in_m2.encode_utf16().flat_map(u16::to_le_bytes));
    let utf16 = read(&utf16).expect("the UTF-16 form reads as the UTF-8 one does");
    assert!(utf8.iter().eq(utf16.iter()) && utf8.rejections() == utf16.rejections());

    let Some(wan) = in_wan(area.trim()) else {
        return;
    };
    let scaled = read(table("万平方米", &wan).as_bytes()).expect("the table in 万 m² reads");
    let area_of = |c: &Carriers| c.iter().next().map(|c| c.floor_area_m2());
    assert_eq!(area_of(&utf8), area_of(&scaled), "{area} and {wan}");
});
