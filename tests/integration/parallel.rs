//! The parallel reader gives exactly the streaming reader's answer.

use carrier_quota::{read_carriers, read_carriers_parallel, ReadOptions};
use proptest::prelude::*;

fn both(text: &[u8]) -> (Result<String, String>, Result<String, String>, usize) {
    let options = ReadOptions::default();
    let streaming = read_carriers(text, &options);
    let mut opened = 0;
    let parallel = read_carriers_parallel(
        || {
            opened += 1;
            Ok(text)
        },
        &options,
    );
    // Every carrier, rejection and the datum, or the error.
    let show = |r: Result<carrier_quota::Carriers, carrier_quota::Error>| match r {
        Ok(c) => Ok(serde_json::to_string(&c).unwrap()),
        Err(e) => Err(e.to_string()),
    };
    (show(streaming), show(parallel), opened)
}

fn sample() -> Vec<u8> {
    crate::synthetic_file(400, 8, 0.2).1
}

#[test]
fn agrees_on_the_bundled_sample_without_a_second_read() {
    let text = std::fs::read("data/sample/carriers.geojson").unwrap();
    let (streaming, parallel, opened) = both(&text);
    assert!(streaming.is_ok());
    assert_eq!(streaming, parallel);
    assert_eq!(opened, 1, "a well-formed file is read once");
}

#[test]
fn agrees_on_hand_written_cases() {
    let cases = [
        "\u{feff}{\"type\": \"FeatureCollection\", \"features\": [], \"datum\": \"wgs84\"}",
        r#"{"features": [42, [], {"type": "Feature"}], "type": "FeatureCollection", "datum": "gcj02"}"#,
        r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [
            {"type": "Feature", "id": "a", "properties": {"kind": "incubator", "floor_area_m2": 5,
             "name": "a \"quoted\" name, with [brackets] and {braces}"},
             "geometry": {"type": "Point", "coordinates": [106.5, 29.5, 12]}},
            {"type": "Feature", "id": "a", "properties": {"kind": "incubator", "floor_area_m2": 5},
             "geometry": {"type": "Point", "coordinates": [106.5, 29.5]}}]}"#,
        r#"{"type": "FeatureCollection", "features": []}"#,
        r#"{"type": "FeatureCollection", "datum": "utm", "features": []}"#,
        r#"{"type": "Feature", "features": []}"#,
        r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [{"type": "Feature",}]}"#,
        r#"{"type": "FeatureCollection", "datum": "gcj02", "features": []} x"#,
        r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [{"a": 1e999}]}"#,
        "{\"type\": \"FeatureCollection\", \"da\u{0}tum\": \"gcj02\", \"features\": []}",
        "{\"type\": \"FeatureCollection\", \"datum\": \"gcj02\", \"feat\tures\": []}",
        "",
    ];
    for text in cases {
        let (streaming, parallel, _) = both(text.as_bytes());
        assert_eq!(streaming, parallel, "{text}");
    }
    let deep = format!(
        r#"{{"type": "FeatureCollection", "datum": "gcj02", "features": [{}{}]}}"#,
        "[".repeat(127),
        "]".repeat(127)
    );
    let (streaming, parallel, _) = both(deep.as_bytes());
    assert_eq!(streaming, parallel);
}

/// A feature per line, except where a feature's own lines start with `{`
/// after a `,`: the first guess fails and the features are scanned instead.
#[test]
fn agrees_when_a_feature_spans_lines_that_look_like_features() {
    let feature = |id: &str, rooms: &str| {
        format!(
            r#"{{"type": "Feature", "id": "{id}", "properties": {{"kind": "incubator", "floor_area_m2": 5, "rooms": {rooms}}}, "geometry": {{"type": "Point", "coordinates": [106.5, 29.5]}}}}"#
        )
    };
    let spanning = "[\n{\"n\": 1},\n{\"n\": 2}]";
    for (first, last) in [(spanning, "[]"), ("[]", spanning)] {
        let text = format!(
            "{{\"type\": \"FeatureCollection\", \"datum\": \"gcj02\", \"features\": [\n{},\n{},\n{}\n]}}",
            feature("a", first),
            feature("b", "[]"),
            feature("c", last)
        );
        let (streaming, parallel, opened) = both(text.as_bytes());
        assert!(
            streaming.as_ref().is_ok_and(|s| s.contains("\"c\"")),
            "{streaming:?}"
        );
        assert_eq!(streaming, parallel);
        assert_eq!(opened, 2, "read again with every feature scanned:\n{text}");
    }
}

#[test]
fn agrees_on_a_pretty_printed_file_without_a_second_read() {
    let value: serde_json::Value = serde_json::from_slice(&sample()).unwrap();
    let text = serde_json::to_string_pretty(&value).unwrap();
    let (streaming, parallel, opened) = both(text.as_bytes());
    assert!(streaming.is_ok());
    assert_eq!(streaming, parallel);
    assert_eq!(opened, 1);
}

/// Coordinates nested far too deep are one bad feature, not a bad file.
#[test]
fn deeply_nested_coordinates_reject_only_their_feature() {
    let good = r#"{"type": "Feature", "id": "a", "properties": {"kind": "incubator", "floor_area_m2": 5}, "geometry": {"type": "Point", "coordinates": [106.5, 29.5]}}"#;
    let deep = format!(
        r#"{{"type": "Feature", "id": "b", "properties": {{"kind": "incubator", "floor_area_m2": 5}}, "geometry": {{"type": "Polygon", "coordinates": {}{}}}}}"#,
        "[".repeat(500),
        "]".repeat(500)
    );
    let text = format!(
        "{{\"type\": \"FeatureCollection\", \"datum\": \"gcj02\", \"features\": [\n{good},\n{deep}\n]}}"
    );
    let (streaming, parallel, _) = both(text.as_bytes());
    assert_eq!(streaming, parallel);
    let read = read_carriers(text.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(read.len(), 1);
    let reason = read.rejections()[0].reason.to_string();
    assert!(reason.contains("nested more than 16 deep"), "{reason}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Any damage to a file: both readers agree, on the carriers or on the error.
    #[test]
    fn agrees_on_damaged_files(cuts in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..4, any::<u8>()), 1..4)) {
        let mut text = sample();
        const NOISE: &[u8] = b"{}[],:\"\\ 0a-e";
        for (at, kind, byte) in cuts {
            if text.is_empty() {
                break;
            }
            let i = at.index(text.len());
            match kind {
                0 => { text.remove(i); }
                1 => text.insert(i, NOISE[byte as usize % NOISE.len()]),
                2 => text[i] = byte,
                _ => text.truncate(i),
            }
        }
        let (streaming, parallel, _) = both(&text);
        prop_assert_eq!(streaming, parallel);
    }
}
