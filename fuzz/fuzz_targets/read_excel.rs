//! Any bytes as an Excel workbook: an error or carriers, and every record
//! read is either a carrier or a rejection.
//!
//! calamine and the zip and XML crates under it may panic on a corrupt
//! file; the reader turns such a panic into an error. So a panic raised
//! inside those crates is let through to the reader here, and any other
//! panic (this crate's) is a crash.
#![no_main]

use std::sync::Once;

use carrier_quota::read::{read_carriers_excel, Limits};
use carrier_quota::{Datum, ReadOptions};
use libfuzzer_sys::fuzz_target;

fn allow_reader_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let file = info.location().map_or("", |l| l.file());
            let reader = [
                "/calamine-",
                "/zip-",
                "/quick-xml-",
                "/encoding_rs-",
                "/codepage-",
            ]
            .iter()
            .any(|d| file.contains(d));
            if !reader {
                fuzzer_hook(info);
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    allow_reader_panics();
    let limits = Limits::new().max_features(10_000);
    let options = ReadOptions::new().datum(Datum::Wgs84).limits(limits);
    if let Ok(carriers) = read_carriers_excel(data, &options) {
        assert_eq!(
            carriers.len() + carriers.rejections().len(),
            carriers.features_read()
        );
        assert!(carriers.rejections().iter().all(|r| r.row.is_some()));
    }
});
