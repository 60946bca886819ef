//! The parallel reader gives exactly the streaming reader's answer.

use carrier_quota::read::{read_carriers, read_carriers_parallel};
use carrier_quota::ReadOptions;
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

/// A property as a file may give it: mostly `good` (`-` for absent), else
/// absent, null, or one of the values the lenient path refuses or reads
/// more into.
fn property(
    name: &'static str,
    good: &'static str,
    others: &'static [&'static str],
) -> impl Strategy<Value = String> {
    let value = prop_oneof![4 => Just(good), 1 => proptest::sample::select(others)];
    value.prop_map(move |v| match v {
        "-" => String::new(),
        v => format!(r#""{name}": {v}, "#),
    })
}

/// A feature whose members vary as hand-edited files do.
fn varied_feature() -> impl Strategy<Value = String> {
    let id = prop_oneof![
        4 => Just(r#""id": "c-1", "#),
        1 => proptest::sample::select(&[
            r#""id": 7, "#,
            r#""id": -3, "#,
            r#""id": 2.5, "#,
            r#""id": "", "#,
            r#""id": null, "#,
            r#""id": true, "#,
            r#""id": "c\u002d2", "#,
            "",
        ][..]),
    ];
    let properties = (
        property("id", "-", &["\"p-1\"", "null", "12", "\"\"", "[]"]),
        property("name", "\"甲\"", &["-", "\"\"", "null", "5", "\"a\\\"b\""]),
        property(
            "kind",
            "\"incubator\"",
            &[
                "-",
                "\"incubatr\"",
                "null",
                "{\"incubator\": null}",
                "1",
                "\"孵化器\"",
                "\"孵化\"",
            ],
        ),
        property("category", "-", &["\"large\"", "null", "\"huge\"", "2"]),
        property(
            "level",
            "\"national\"",
            &["-", "null", "\"nation\"", "\"市级\"", "\"区级\""],
        ),
        property(
            "floor_area_m2",
            "1200",
            &["1200.5", "\"1200\"", "0", "-3", "1e10", "null", "-"],
        ),
        property(
            "enterprises",
            "4",
            &["-", "4.0", "4.5", "-1", "5000000000", "\"4\"", "null"],
        ),
        property("tech_enterprises", "-", &["1", "null", "1.0"]),
        property(
            "opened",
            "\"2021-02-28\"",
            &["-", "\"2021\"", "\"2021-02-30\"", "2021", "null"],
        ),
        property(
            "overlay",
            "-",
            &["\"liangjiang_new_area\"", "\"\"", "null", "3"],
        ),
        property(
            "closed",
            "-",
            &[
                "\"2020\"",
                "\"2021\"",
                "\"2021-02-27\"",
                "\"2024-06-30\"",
                "\"2023-13-01\"",
                "2024",
                "null",
            ],
        ),
    );
    let geometry = prop_oneof![
        4 => Just(r#"{"type": "Point", "coordinates": [106.55, 29.56]}"#),
        1 => proptest::sample::select(&[
            r#"{"coordinates": [106.55, 29.56, 200], "type": "Point"}"#,
            r#"{"type": "Point", "coordinates": [29.56, 106.55]}"#,
            r#"{"type": "Point", "coordinates": [106.55]}"#,
            r#"{"type": "Point", "coordinates": null}"#,
            r#"{"type": "Point"}"#,
            r#"{"type": "Point", "coordinates": [106.55, 29.56], "type": "Point"}"#,
            r#"{"type": "LineString", "coordinates": [[106, 29], [107, 30]]}"#,
            r#"{"type": "Polygon", "coordinates": [[[106.55, 29.56], [106.551, 29.56], [106.551, 29.561], [106.55, 29.56]]]}"#,
            r#"{"type": "Polygon", "coordinates": [[[106.55, 29.56], [106.56, 29.57], [106.56, 29.56], [106.55, 29.57], [106.55, 29.56]]]}"#,
            "null",
        ][..]),
    ];
    let extra = prop_oneof![
        4 => Just(""),
        1 => proptest::sample::select(&[r#""extra": [1, {"a": null}], "#, r#""kind": "accelerator", "#][..]),
    ];
    let properties_null = proptest::bool::weighted(0.05);
    (id, properties, geometry, extra, properties_null).prop_map(
        |(
            id,
            (pid, name, kind, category, level, area, ent, tech, opened, overlay, closed),
            geometry,
            extra,
            null_properties,
        )| {
            let properties = if null_properties {
                "null".to_string()
            } else {
                let members = [
                    pid,
                    name,
                    kind,
                    category,
                    level,
                    area,
                    ent,
                    tech,
                    opened,
                    overlay,
                    closed,
                    extra.to_string(),
                ]
                .concat();
                format!("{{{}}}", members.trim_end_matches(", "))
            };
            format!(
                r#"{{"type": "Feature", {id}"properties": {properties}, "geometry": {geometry}}}"#
            )
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// Features that vary as hand-edited files do, one per line: the
    /// parallel reader (typed fast path first) and the streaming reader
    /// (lenient only) agree on every carrier and every rejection.
    #[test]
    fn agrees_on_varied_features(features in proptest::collection::vec(varied_feature(), 1..12)) {
        // Distinct ids, so that duplicates do not hide what else is wrong.
        let features: Vec<String> = features
            .iter()
            .enumerate()
            .map(|(i, f)| f.replacen("c-1", &format!("c-{i}"), 1).replacen("p-1", &format!("p-{i}"), 1))
            .collect();
        let text = format!(
            "{{\"type\": \"FeatureCollection\", \"datum\": \"gcj02\", \"features\": [\n{}\n]}}",
            features.join(",\n")
        );
        let (streaming, parallel, opened) = both(text.as_bytes());
        prop_assert_eq!(&streaming, &parallel, "{}", text);
        prop_assert!(streaming.is_ok());
        prop_assert_eq!(opened, 1, "a well-formed file is read once");
    }
}
