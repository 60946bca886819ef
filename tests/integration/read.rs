//! Reading carrier files: every rejection reason, every fatal error, and the
//! details a hand-edited file brings (byte-order marks, altitudes, ids).

use carrier_quota::date::RecordDate;
use carrier_quota::read::read_carriers;
use carrier_quota::{
    Carrier, Carriers, Datum, ErrorKind, Kind, Location, Position, ReadOptions, RejectReason,
};

fn read(text: &str) -> Carriers {
    read_carriers(text.as_bytes(), &ReadOptions::default()).expect("readable")
}

/// The carriers of a read as owned records.
fn records(read: &Carriers) -> Vec<Carrier> {
    read.iter().map(|c| c.to_carrier()).collect()
}

/// A collection in GCJ-02 holding `features`.
fn collection(features: &[&str]) -> String {
    format!(
        r#"{{"type": "FeatureCollection", "datum": "gcj02", "features": [{}]}}"#,
        features.join(",\n")
    )
}

/// A point feature with the given id member and properties.
fn point(id: &str, properties: &str) -> String {
    format!(
        r#"{{"type": "Feature", {id} "geometry": {{"type": "Point", "coordinates": [106.55, 29.56]}},
            "properties": {{{properties}}}}}"#
    )
}

const VALID: &str = r#""kind": "incubator", "floor_area_m2": 1200"#;

/// The reason the single feature of `feature` is rejected for.
fn rejection(feature: &str) -> (Option<String>, RejectReason, String) {
    let read = read(&collection(&[feature]));
    assert!(read.is_empty(), "accepted: {feature}");
    let r = read.rejections()[0].clone();
    assert_eq!(r.index, 0);
    let message = r.to_string();
    (r.id, r.reason, message)
}

/// A category or level the reader does not know keeps the feature: it
/// counts in every total, unclassified, and the read says so.
#[test]
fn an_unknown_category_or_level_keeps_the_feature() {
    let features = [
        point(r#""id": "a","#, &format!(r#"{VALID}, "category": "univ""#)),
        point(r#""id": "b","#, &format!(r#"{VALID}, "level": "city""#)),
        point(
            r#""id": "c","#,
            &format!(r#"{VALID}, "category": "综合型""#),
        ),
    ];
    let read = read(&collection(&features.each_ref().map(String::as_str)));
    assert_eq!(read.rejections(), []);
    let flags: Vec<(bool, bool)> = read
        .iter()
        .map(|c| (c.category_unclassified(), c.level_unclassified()))
        .collect();
    assert_eq!(flags, [(true, false), (false, true), (false, false)]);
    assert!(read
        .iter()
        .all(|c| c.category().is_none() && c.level().is_none()));
    let notes: Vec<String> = read.notes().iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        [
            "column \"category\" gives \"univ\", a value the reader does not know (1 record): \
             counted in every total, and as unclassified by the targets that filter on it",
            "column \"level\" gives \"city\", a value the reader does not know (1 record): \
             counted in every total, and as unclassified by the targets that filter on it",
        ]
    );
}

#[test]
fn reads_every_property() {
    let feature = r#"{"type": "Feature", "id": "x-1",
        "geometry": {"type": "Point", "coordinates": [106.55, 29.56, 250.0]},
        "properties": {"name": "两江孵化器", "kind": "accelerator", "category": "large",
          "level": "national", "floor_area_m2": 12000.5, "enterprises": 40,
          "tech_enterprises": 12, "opened": "2019-05-01", "extra": {"nested": [1, 2]}}}"#;
    let read = read(&collection(&[feature]));
    assert_eq!(read.rejections(), []);
    let c = &records(&read)[0];
    assert_eq!(c.id.as_str(), "x-1");
    assert_eq!(c.name.as_deref(), Some("两江孵化器"));
    assert_eq!(c.kind, Kind::Accelerator);
    assert_eq!(c.category, Some(carrier_quota::Category::Large));
    assert_eq!(c.level, Some(carrier_quota::Level::National));
    assert_eq!(c.floor_area_m2, 12000.5);
    assert_eq!((c.enterprises, c.tech_enterprises), (40, 12));
    assert_eq!(
        c.opened,
        Some(RecordDate::Day("2019-05-01".parse().unwrap()))
    );
    assert_eq!(
        c.location,
        Some(Location::Point(geo::Point::new(106.55, 29.56)))
    );
    assert_eq!(read.feature_indexes().collect::<Vec<_>>(), [0]);
    assert_eq!(read.features_read(), 1);
}

#[test]
fn defaults_optional_properties() {
    let read = read(&collection(&[&point(r#""id": 7,"#, VALID)]));
    let c = &records(&read)[0];
    assert_eq!(
        c.id.as_str(),
        "7",
        "a numeric id is taken as its decimal text"
    );
    assert_eq!(
        (c.name.as_ref(), c.category, c.level, c.opened),
        (None, None, None, None)
    );
    assert_eq!((c.enterprises, c.tech_enterprises), (0, 0));
}

#[test]
fn property_id_comes_before_the_feature_id() {
    let read = read(&collection(&[&point(
        r#""id": "outer","#,
        &format!(r#""id": "inner", {VALID}"#),
    )]));
    assert_eq!(read.get(0).id(), "inner");
}

#[test]
fn reads_year_only_openings_and_footprints() {
    let feature = r#"{"type": "Feature", "id": "f", "properties": {"kind": "maker_space",
        "floor_area_m2": 300, "opened": "2020"},
        "geometry": {"type": "Polygon", "coordinates": [[[106.55, 29.56], [106.551, 29.56],
          [106.551, 29.561], [106.55, 29.561], [106.55, 29.56]]]}}"#;
    let read = read(&collection(&[feature]));
    let c = &records(&read)[0];
    assert_eq!(c.opened, Some(RecordDate::Year(2020)));
    match &c.location {
        Some(Location::Footprint(f)) => {
            assert_eq!(f.shape.0.len(), 1);
            assert!(geo::Contains::contains(&f.shape, &f.surface_point));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn accepts_a_byte_order_mark_and_an_empty_collection() {
    let text = format!("\u{feff}{}", collection(&[]));
    let read = read(&text);
    assert_eq!(
        (read.len(), read.rejections().len(), read.features_read()),
        (0, 0, 0)
    );
}

#[test]
fn each_rejection_reason_names_the_feature_and_the_fix() {
    use RejectReason as R;
    let cases: Vec<(String, &str)> = vec![
        ("42".into(), "feature 0: a feature must be a JSON object, found 42"),
        (
            point(r#""id": "a", "type": "Topic","#, VALID).replacen(r#""type": "Feature", "#, "", 1),
            "feature 0 (id \"a\"): \"type\" must be \"Feature\", found \"Topic\"",
        ),
        (
            point(r#""id": true,"#, VALID),
            "feature 0: id must be a non-empty string or a number, found true",
        ),
        (
            point(r#""id": "",""#, VALID).replacen(r#",""#, ",", 1),
            "feature 0: id must be a non-empty string or a number, found \"\"",
        ),
        (
            point(r#""id": "a","#, r#""floor_area_m2": 100"#),
            "feature 0 (id \"a\"): missing property \"kind\"",
        ),
        (
            point(r#""id": "a","#, r#""kind": "incubator""#),
            "feature 0 (id \"a\"): missing property \"floor_area_m2\"",
        ),
        (
            point(r#""id": "a","#, r#""kind": "incubator", "floor_area_m2": "1200""#),
            "feature 0 (id \"a\"): floor_area_m2 must be a number, found \"1200\" \
             (write it as a JSON number, without quotes: 1200)",
        ),
        (
            point(r#""id": "a","#, r#""kind": "incubator", "floor_area_m2": "large""#),
            "feature 0 (id \"a\"): floor_area_m2 must be a number, found \"large\"",
        ),
        (
            point(r#""id": "a","#, r#""kind": "incubator", "floor_area_m2": 0"#),
            "feature 0 (id \"a\"): floor_area_m2 must be > 0 and at most 1e9 m², found 0 m²",
        ),
        (
            point(r#""id": "a","#, r#""kind": "incubator", "floor_area_m2": -3"#),
            "feature 0 (id \"a\"): floor_area_m2 must be > 0 and at most 1e9 m², found -3 m²",
        ),
        (
            point(r#""id": "a","#, r#""kind": "incubator", "floor_area_m2": 2e9"#),
            "feature 0 (id \"a\"): floor_area_m2 must be > 0 and at most 1e9 m², found 2000000000 m²",
        ),
        (
            point(r#""id": "a","#, r#""kind": "Incubator ", "floor_area_m2": 5"#),
            "feature 0 (id \"a\"): unknown kind \"Incubator \": expected one of maker_space, \
             incubator, accelerator (did you mean \"incubator\"?)",
        ),
        (
            point(r#""id": "a","#, r#""kind": 3, "floor_area_m2": 5"#),
            "feature 0 (id \"a\"): kind must be a string, found 3",
        ),
        (
            point(r#""id": "a","#, &format!(r#"{VALID}, "category": 3"#)),
            "feature 0 (id \"a\"): category must be a string or null, found 3",
        ),
        (
            point(r#""id": "a","#, &format!(r#"{VALID}, "enterprises": -1"#)),
            "feature 0 (id \"a\"): enterprises must be a whole number from 0 to 4294967295, found -1",
        ),
        (
            point(r#""id": "a","#, &format!(r#"{VALID}, "tech_enterprises": 2.5"#)),
            "feature 0 (id \"a\"): tech_enterprises must be a whole number from 0 to 4294967295, found 2.5",
        ),
        (
            point(r#""id": "a","#, &format!(r#"{VALID}, "enterprises": "12""#)),
            "feature 0 (id \"a\"): enterprises must be a whole number, found \"12\" \
             (write it as a JSON number, without quotes: 12)",
        ),
        (
            point(r#""id": "a","#, &format!(r#"{VALID}, "opened": "2021-02-30""#)),
            "feature 0 (id \"a\"): opened must be YYYY, YYYY-MM or YYYY-MM-DD, found \"2021-02-30\"",
        ),
        (
            point(r#""id": "a","#, &format!(r#"{VALID}, "opened": 2021"#)),
            "feature 0 (id \"a\"): opened must be a string, found 2021 (write the date as text: \"2021\")",
        ),
        (
            point(r#""id": "a","#, &format!(r#"{VALID}, "name": 5"#)),
            "feature 0 (id \"a\"): name must be a string, found 5",
        ),
        (
            point(r#""id": "a","#, &format!(r#"{VALID}, "kind": "incubator""#)),
            "feature 0 (id \"a\"): \"kind\" appears twice",
        ),
        (
            point(r#""id": "a","#, &format!(r#"{VALID}, "overlay": "渝中半岛""#)),
            "feature 0 (id \"a\"): unknown overlay \"渝中半岛\": not the id or name of an overlay \
             (western_science_city, liangjiang_new_area); give an overlays file with it, or leave \
             the cell empty",
        ),
        (
            point(
                r#""id": "a","#,
                &format!(r#"{VALID}, "district": "两江新区", "overlay": "western_science_city""#),
            ),
            "feature 0 (id \"a\"): its district \"两江新区\" lies in overlay \
             \"liangjiang_new_area\", but its overlay is \"western_science_city\"",
        ),
        (
            point(r#""id": "a","#, r#""kind": "incubator", "建筑面积": "约6000""#),
            "feature 0 (id \"a\"): 建筑面积 is approximate (\"约6000\"): a register total needs \
             the exact figure",
        ),
        (
            point(r#""id": "a","#, &format!(r#"{VALID}, "认定时间": "2021.1""#)),
            "feature 0 (id \"a\"): 认定时间 \"2021.1\" could be January or October 2021 (a \
             spreadsheet writes 2021.10 as 2021.1): write 2021-01 or 2021-10",
        ),
        (
            point(r#""id": "a","#, r#""kind": "incubator", "面积（亩）": 3"#),
            "feature 0 (id \"a\"): 面积（亩） is in \"亩\", a unit the reader does not know",
        ),
        (
            r#"{"type": "Feature", "id": "a", "properties": 5, "geometry": null}"#.into(),
            "feature 0 (id \"a\"): properties must be an object or null, found 5",
        ),
        (
            format!(r#"{{"type": "Feature", "id": "a", "properties": {{{VALID}}}, "geometry": null}}"#),
            "feature 0 (id \"a\"): no location: a carrier needs a geometry (a Point, Polygon or MultiPolygon; in a table, longitude and latitude) or a district",
        ),
        (
            format!(
                r#"{{"type": "Feature", "id": "a", "properties": {{{VALID}}},
                    "geometry": {{"type": "LineString", "coordinates": [[106, 29], [107, 30]]}}}}"#
            ),
            "feature 0 (id \"a\"): unsupported geometry LineString: a carrier needs a Point, \
             Polygon or MultiPolygon",
        ),
        (
            format!(
                r#"{{"type": "Feature", "id": "a", "properties": {{{VALID}}},
                    "geometry": {{"type": "Point", "coordinates": [106]}}}}"#
            ),
            "feature 0 (id \"a\"): malformed Point coordinates: a position must be [longitude, \
             latitude] or [longitude, latitude, altitude], found 1 number",
        ),
        (
            format!(
                r#"{{"type": "Feature", "id": "a", "properties": {{{VALID}}},
                    "geometry": {{"type": "Point", "coordinates": [206.5, 29.5]}}}}"#
            ),
            "feature 0 (id \"a\"): coordinate [206.5, 29.5] is out of range: longitude must be in \
             [-180, 180] and latitude in [-90, 90]",
        ),
        (
            format!(
                r#"{{"type": "Feature", "id": "a", "properties": {{{VALID}}},
                    "geometry": {{"type": "Polygon", "coordinates": [[[106, 29], [107, 29], [107, 30], [106, 30]]]}}}}"#
            ),
            "feature 0 (id \"a\"): malformed Polygon coordinates: ring 0 is not closed: its last \
             position must equal its first",
        ),
        (
            format!(
                r#"{{"type": "Feature", "id": "a", "properties": {{{VALID}}},
                    "geometry": {{"type": "Polygon", "coordinates": [[[106, 29], [107, 29], [106, 29]]]}}}}"#
            ),
            "feature 0 (id \"a\"): malformed Polygon coordinates: ring 0 has 3 positions; a ring \
             needs at least 4",
        ),
        (
            format!(
                r#"{{"type": "Feature", "id": "a", "properties": {{{VALID}}},
                    "geometry": {{"type": "Polygon", "coordinates": [[[106, 29], [107, 30], [107, 29], [106, 30], [106, 29]]]}}}}"#
            ),
            "feature 0 (id \"a\"): invalid footprint: polygon at index 0 is invalid: exterior ring \
             has a self-intersection",
        ),
    ];
    let mut reasons = std::collections::HashSet::new();
    for (feature, message) in &cases {
        let (_, reason, got) = rejection(feature);
        assert_eq!(&got, message, "{feature}");
        reasons.insert(std::mem::discriminant(&reason));
        // A rejection names the id whenever the feature has a usable one.
        if let R::InvalidId { .. } | R::NotAnObject { .. } = reason {
        } else {
            assert!(got.contains("(id \"a\")"), "{got}");
        }
    }
    // Every reason but DuplicateId (tested below) and those of tables and
    // Parquet (unknown districts without a location, invalid WKB) is
    // covered.
    assert_eq!(reasons.len(), 20, "{reasons:?}");
}

#[test]
fn of_two_features_with_one_id_the_later_is_rejected_naming_the_earlier() {
    let file = collection(&[
        &point(r#""id": "a","#, VALID),
        &point(r#""id": "b","#, VALID),
        &point(r#""id": "a","#, VALID),
        &point(
            r#""id": "b","#,
            r#""kind": "incubator", "floor_area_m2": -1"#,
        ),
        &point(r#""id": "b","#, VALID),
    ]);
    let read = read(&file);
    let ids: Vec<&str> = read.iter().map(|c| c.id()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(read.feature_indexes().collect::<Vec<_>>(), [0, 1]);
    let messages: Vec<String> = read.rejections().iter().map(|r| r.to_string()).collect();
    assert_eq!(
        messages,
        [
            "feature 2 (id \"a\"): duplicate id: feature 0 already has it",
            "feature 3 (id \"b\"): floor_area_m2 must be > 0 and at most 1e9 m², found -1 m²",
            "feature 4 (id \"b\"): duplicate id: feature 1 already has it",
        ]
    );
    assert_eq!(read.features_read(), read.len() + read.rejections().len());
}

#[test]
fn an_id_claimed_by_a_rejected_feature_is_still_taken() {
    let file = collection(&[
        &point(
            r#""id": "a","#,
            r#""kind": "incubator", "floor_area_m2": 0"#,
        ),
        &point(r#""id": "a","#, VALID),
    ]);
    let read = read(&file);
    assert!(read.is_empty());
    assert_eq!(
        read.rejections()[1].reason,
        RejectReason::DuplicateId {
            first_index: 0,
            first_row: None
        }
    );
}

fn fatal(text: &str) -> carrier_quota::Error {
    read_carriers(text.as_bytes(), &ReadOptions::default()).expect_err("fatal")
}

#[test]
fn invalid_json_names_line_and_column() {
    let e =
        fatal("{\"type\": \"FeatureCollection\",\n  \"features\": [\n    {\"type\": Feature}]}");
    assert_eq!(
        e.position(),
        Some(Position {
            line: 3,
            column: 14
        })
    );
    assert_eq!(
        e.to_string(),
        "invalid JSON at line 3, column 14: expected value"
    );
    let truncated = fatal(&collection(&[&point(r#""id": "a","#, VALID)])[..60]);
    assert!(
        truncated
            .to_string()
            .starts_with("invalid JSON at line 1, column 60: EOF while parsing"),
        "{truncated}"
    );
    let e = fatal("");
    assert!(matches!(e.kind(), ErrorKind::Json { .. }), "{e}");
}

#[test]
fn a_top_level_that_is_not_a_feature_collection_is_an_error() {
    for (text, found) in [
        ("[1, 2]", "an array"),
        ("\"text\"", "\"text\""),
        (
            r#"{"type": "Feature", "geometry": null}"#,
            "\"type\": \"Feature\"",
        ),
        (r#"{"features": []}"#, "an object without \"type\""),
        (
            r#"{"type": "FeatureCollection"}"#,
            "a FeatureCollection without \"features\"",
        ),
        (
            r#"{"type": "FeatureCollection", "features": {}}"#,
            "\"features\": an object",
        ),
    ] {
        let e = fatal(text);
        match e.kind() {
            ErrorKind::NotFeatureCollection { found: f, position } => {
                assert_eq!(f, found, "{text}");
                assert_eq!(position.line, 1);
            }
            other => panic!("{text}: {other:?}"),
        }
    }
    let e = fatal("\n\n  [1]");
    assert_eq!(e.position().unwrap().line, 3);
}

#[test]
fn trailing_content_after_the_collection_is_an_error() {
    let e = fatal(&format!("{} {{}}", collection(&[])));
    assert!(e.to_string().contains("trailing characters"), "{e}");
}

#[test]
fn the_datum_must_be_declared_once_and_consistently() {
    let bare = r#"{"type": "FeatureCollection", "features": []}"#;
    let e = read_carriers(bare.as_bytes(), &ReadOptions::default()).unwrap_err();
    assert!(matches!(
        e.kind(),
        ErrorKind::MissingDatum {
            input: carrier_quota::error::InputKind::CarrierFile
        }
    ));
    let given = ReadOptions::new().datum(Datum::Wgs84);
    assert_eq!(
        read_carriers(bare.as_bytes(), &given).unwrap().datum(),
        Datum::Wgs84
    );

    let conflict = read_carriers(collection(&[]).as_bytes(), &given).unwrap_err();
    assert_eq!(
        conflict.to_string(),
        "the carrier file declares datum gcj02 but wgs84 was given: remove one or make them agree"
    );
    let unknown = fatal(r#"{"type": "FeatureCollection", "datum": "utm50", "features": []}"#);
    assert_eq!(
        unknown.to_string(),
        "unknown datum \"utm50\" at line 1, column 47: expected wgs84, gcj02 or bd09"
    );
    // The datum may come after the features.
    let late = r#"{"type": "FeatureCollection", "features": [], "datum": "BD-09"}"#;
    assert_eq!(read(late).datum(), Datum::Bd09);
}

#[test]
fn conversion_moves_points_into_the_atlas_datum() {
    let wgs = r#"{"type": "FeatureCollection", "datum": "wgs84", "features": [
        {"type": "Feature", "id": "a", "geometry": {"type": "Point", "coordinates": [106.55, 29.56]},
         "properties": {"kind": "incubator", "floor_area_m2": 1}}]}"#;
    let read = read(wgs);
    let before = read.get(0).anchor().unwrap();
    let converted = read.into_datum(Datum::Gcj02);
    assert_eq!(converted.datum(), Datum::Gcj02);
    assert_eq!(converted.source_datum(), Datum::Wgs84);
    let after = converted.get(0).anchor().unwrap();
    let moved = geo::Distance::distance(&geo::Haversine, before, after);
    assert!((300.0..700.0).contains(&moved), "moved {moved} m");
    assert_eq!(after.0, Datum::Wgs84.convert(before.0, Datum::Gcj02));
}

#[test]
fn written_carriers_read_back_unchanged() {
    let (carriers, file) = crate::synthetic_file(300, 3, 0.3);
    let read = read_carriers(file.as_slice(), &ReadOptions::default()).unwrap();
    assert_eq!(read.rejections(), []);
    assert_eq!(records(&read), records(&carriers));
}

#[test]
fn a_closed_carrier_counts_from_its_opening_to_the_day_before_its_closing() {
    use carrier_quota::place::FootprintRule;
    use carrier_quota::{Atlas, CheckOptions, Date, QuotaPlan, Tally};
    let file = collection(&[
        &point(
            r#""id": "a","#,
            &format!(r#"{VALID}, "opened": "2021-03-01", "closed": "2023-06-30""#),
        ),
        // A year means its first day for a closing, its last for an opening.
        &point(
            r#""id": "b","#,
            &format!(r#"{VALID}, "opened": "2021", "closed": "2024""#),
        ),
        // Opened and closed in one year: never certainly open, not an error.
        &point(
            r#""id": "c","#,
            &format!(r#"{VALID}, "opened": "2022", "closed": "2022""#),
        ),
        &point(r#""id": "d","#, VALID),
    ]);
    let read = read(&file);
    assert!(read.rejections().is_empty(), "{:?}", read.rejections());
    let a = read.get(0);
    assert_eq!(
        a.closed(),
        Some(RecordDate::Day("2023-06-30".parse().unwrap()))
    );
    assert_eq!(read.get(3).closed(), None);

    let placed = Atlas::chongqing().place(read, FootprintRule::SurfacePoint);
    let counted = |date: &str| {
        let date: Date = date.parse().unwrap();
        let open: Vec<&str> = placed
            .carriers()
            .iter()
            .filter(|c| c.is_open_on(date))
            .map(|c| c.id())
            .collect();
        assert_eq!(
            Tally::open_on(&placed, date).city().all.carriers,
            open.len() as u64
        );
        open
    };
    assert_eq!(counted("2021-02-28"), ["d"]);
    assert_eq!(counted("2021-03-01"), ["a", "d"]);
    assert_eq!(counted("2021-12-31"), ["a", "b", "d"]);
    assert_eq!(counted("2022-12-31"), ["a", "b", "d"]);
    assert_eq!(counted("2023-06-29"), ["a", "b", "d"]);
    assert_eq!(counted("2023-06-30"), ["b", "d"]);
    assert_eq!(counted("2023-12-31"), ["b", "d"]);
    assert_eq!(counted("2024-01-01"), ["d"]);

    // The plan check counts the same carriers on its date.
    let plan = QuotaPlan::chongqing_2021_2025();
    let on = |date: &str| CheckOptions::new().as_of(date.parse().unwrap());
    let total = |date: &str| plan.check(&placed, &on(date)).unwrap().targets[0].actual;
    assert_eq!(total("2023-06-29"), Some(3.0 * 1200.0));
    assert_eq!(total("2023-06-30"), Some(2.0 * 1200.0));
}

#[test]
fn a_closing_before_the_opening_or_not_a_date_is_rejected() {
    let (id, reason, message) = rejection(&point(
        r#""id": "x","#,
        &format!(r#"{VALID}, "opened": "2022-05-01", "closed": "2021""#),
    ));
    assert_eq!(id.as_deref(), Some("x"));
    assert_eq!(
        reason,
        RejectReason::ClosedBeforeOpened {
            opened: "2022-05-01".parse().unwrap(),
            closed: "2021".parse().unwrap()
        }
    );
    assert_eq!(
        message,
        "feature 0 (id \"x\"): closed 2021 is before opened 2022-05-01"
    );
    let (_, _, message) = rejection(&point(
        r#""id": "y","#,
        &format!(r#"{VALID}, "closed": "2023-02-30""#),
    ));
    assert!(
        message.contains("closed must be YYYY, YYYY-MM or YYYY-MM-DD, found \"2023-02-30\""),
        "{message}"
    );
    let (_, _, message) = rejection(&point(
        r#""id": "z","#,
        &format!(r#"{VALID}, "closed": 2023"#),
    ));
    assert!(
        message.contains("write the date as text: \"2023\""),
        "{message}"
    );
}

#[test]
fn chinese_kind_and_level_names_are_read() {
    let names = [
        (
            "众创空间",
            "国家级",
            Kind::MakerSpace,
            carrier_quota::Level::National,
        ),
        (
            "孵化器",
            "市级",
            Kind::Incubator,
            carrier_quota::Level::Municipal,
        ),
        (
            "加速器",
            "区县级",
            Kind::Accelerator,
            carrier_quota::Level::District,
        ),
        (
            "加速器",
            "区级",
            Kind::Accelerator,
            carrier_quota::Level::District,
        ),
    ];
    for (kind, level, expected_kind, expected_level) in names {
        let read = read(&collection(&[&point(
            r#""id": "a","#,
            &format!(r#""kind": "{kind}", "level": "{level}", "floor_area_m2": 100"#),
        )]));
        let c = read.get(0);
        assert_eq!((c.kind(), c.level()), (expected_kind, Some(expected_level)));
    }
    // Written back in the file form.
    assert_eq!(Kind::Incubator.as_str(), "incubator");
    let (_, _, message) = rejection(&point(
        r#""id": "b","#,
        r#""kind": "孵化", "floor_area_m2": 100"#,
    ));
    assert!(message.contains("unknown kind \"孵化\""), "{message}");
}

/// A feature without an id has its position in `features` as id, as a
/// table's row has its row number; one that repeats it later is refused.
#[test]
fn a_feature_without_an_id_has_its_position_as_id() {
    let features = [
        point(r#""id": "a","#, VALID),
        point("", VALID),
        point(r#""id": "1","#, VALID),
    ];
    let file = collection(&features.iter().map(String::as_str).collect::<Vec<_>>());
    let read = read(&file);
    let ids: Vec<&str> = read.iter().map(|c| c.id()).collect();
    assert_eq!(ids, ["a", "1"]);
    assert_eq!(
        read.rejections()[0].to_string(),
        "feature 2 (id \"1\"): duplicate id: feature 1 already has it"
    );
    // The parallel reader numbers it in the whole file, not in its batch.
    let many: Vec<String> = (0..5_000)
        .map(|i| match i % 2 {
            0 => point("", VALID),
            _ => point(&format!(r#""id": "n{i}","#), VALID),
        })
        .collect();
    let text = collection(&many.iter().map(String::as_str).collect::<Vec<_>>());
    let parallel =
        carrier_quota::read::read_carriers_parallel(|| Ok(text.as_bytes()), &ReadOptions::new())
            .unwrap();
    let streamed = read_carriers(text.as_bytes(), &ReadOptions::new()).unwrap();
    assert!(parallel == streamed);
    assert_eq!(parallel.get(4096).id(), "4096");
}
