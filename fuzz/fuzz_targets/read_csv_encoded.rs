//! Any bytes as a CSV carrier table in each encoding the reader takes:
//! found from the text, and given as UTF-8, GB18030 and UTF-16. Every read
//! that succeeds has each record as one carrier or one rejection, with
//! rows rising; a read that found GB18030 reads the same when told so; and
//! UTF-8 text (without a byte-order mark) reads the same whether found or
//! given.
#![no_main]

use carrier_quota::read::{read_carriers_csv, Encoding, Limits, ReadNote};
use carrier_quota::{Carriers, Datum, ReadOptions};
use libfuzzer_sys::fuzz_target;

fn check(carriers: &Carriers) {
    assert_eq!(
        carriers.len() + carriers.rejections().len(),
        carriers.features_read()
    );
    let mut rows = vec![0; carriers.features_read()];
    for c in carriers.iter() {
        rows[carriers.feature_index(c.position())] = c.row().expect("a table row");
    }
    for r in carriers.rejections() {
        rows[r.index] = r.row.expect("a table row");
    }
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "{rows:?}");
}

/// The records of a read, without its notes.
fn same(a: &Carriers, b: &Carriers) -> bool {
    a.iter().eq(b.iter()) && a.rejections() == b.rejections()
}

fuzz_target!(|data: &[u8]| {
    let limits = Limits::new()
        .max_features(10_000)
        .max_feature_bytes(1 << 16);
    let options = ReadOptions::new().limits(limits).datum(Datum::Gcj02);
    let found = read_carriers_csv(data, &options);
    let given = |encoding| read_carriers_csv(data, &options.clone().encoding(encoding));
    for encoding in Encoding::ALL {
        if let Ok(carriers) = given(encoding) {
            check(&carriers);
        }
    }
    let Ok(found) = found else { return };
    check(&found);
    let gb18030 = found.notes().iter().any(|n| {
        matches!(
            n,
            ReadNote::Encoding {
                encoding: Encoding::Gb18030,
                detected: true
            }
        )
    });
    if gb18030 {
        let told = given(Encoding::Gb18030).expect("a read that found GB18030 reads when told");
        assert!(same(&found, &told));
    }
    if std::str::from_utf8(data).is_ok() && !data.starts_with(b"\xEF\xBB\xBF") {
        let told = given(Encoding::Utf8).expect("UTF-8 text reads when told");
        assert!(same(&found, &told));
    }
});
