use super::*;
use crate::carrier::CarrierId;
use crate::carrier::RejectReason;
use crate::date::Date;
use geo::Point;

fn record(id: &str, name: Option<&str>, overlay: Option<&str>) -> Carrier {
    Carrier {
        id: CarrierId::new(id).unwrap(),
        name: name.map(Into::into),
        kind: Kind::Incubator,
        category: Some(Category::Large),
        level: None,
        floor_area_m2: 100.0,
        enterprises: 1,
        tech_enterprises: 0,
        opened: None,
        closed: None,
        overlay: overlay.map(Into::into),
        district: None,
        location: Some(Location::Point(Point::new(106.5, 29.5))),
    }
}

#[test]
fn records_round_trip_through_the_columns() {
    let records = vec![
        record("a", Some("甲"), Some("x")),
        record("b", None, None),
        record("c", Some(""), Some("x")),
    ];
    let carriers = Carriers::from_records(Datum::Gcj02, records.clone());
    let back: Vec<Carrier> = carriers.iter().map(|c| c.to_carrier()).collect();
    assert_eq!(back, records);
    assert_eq!(carriers.overlay_names().collect::<Vec<_>>(), ["x"]);
    let json = serde_json::to_value(&carriers).unwrap();
    let records: Vec<Carrier> = serde_json::from_value(json["carriers"].clone()).unwrap();
    assert_eq!(records, back);
    assert_eq!(json["features_read"], 3);
}

#[test]
fn feature_indexes_skip_the_rejected_features() {
    let mut carriers = Carriers::new(Datum::Gcj02);
    // Features 0..7, of which 1, 2 and 5 are refused.
    for i in 0..7 {
        if [1, 2, 5].contains(&i) {
            carriers.reject(Rejection {
                index: i,
                row: None,
                origin: Default::default(),
                id: None,
                reason: RejectReason::MissingLocation,
            });
        } else {
            carriers
                .try_push(NewCarrier {
                    id: &i.to_string(),
                    name: None,
                    kind: Kind::Incubator,
                    category: None,
                    level: None,
                    floor_area_m2: 1.0,
                    enterprises: 0,
                    tech_enterprises: 0,
                    opened: None,
                    closed: None,
                    overlay: None,
                    district: None,
                    anchor: Some(Coord::zero()),
                    footprint: None,
                    unclassified: 0,
                    by_address: false,
                })
                .unwrap();
            carriers.accept(false);
        }
    }
    let expected = [0, 3, 4, 6];
    for (position, index) in expected.iter().enumerate() {
        assert_eq!(carriers.feature_index(position), *index);
    }
    assert_eq!(carriers.feature_indexes().collect::<Vec<_>>(), expected);
    assert_eq!(carriers.features_read(), 7);
}

#[test]
fn classes_and_opening_dates_pack_and_unpack() {
    for &kind in Kind::ALL {
        for category in std::iter::once(None).chain(Category::ALL.iter().copied().map(Some)) {
            for level in std::iter::once(None).chain(Level::ALL.iter().copied().map(Some)) {
                let class = Class::new(kind, category, level);
                assert_eq!(
                    (class.kind(), class.category(), class.level()),
                    (kind, category, level)
                );
            }
        }
    }
    for opened in [
        None,
        Some(RecordDate::Year(1)),
        Some(RecordDate::Year(9999)),
        Some(RecordDate::Day(Date::new(2024, 2, 29).unwrap())),
        Some(RecordDate::Day(Date::new(9999, 12, 31).unwrap())),
        Some(RecordDate::Day(Date::new(1, 1, 1).unwrap())),
    ] {
        assert_eq!(DateCode::new(opened).get(), opened);
    }
}

#[test]
fn bits_and_texts_keep_what_is_kept() {
    let mut bits = Bits::default();
    for i in 0..130 {
        bits.push(i % 3 == 0);
    }
    let keep: Vec<bool> = (0..130).map(|i| i != 1).collect();
    bits.retain(&keep);
    bits.push(true);
    assert_eq!(bits.len, 130);
    assert!(bits.get(0) && !bits.get(1) && bits.get(2) && bits.get(129));
    let mut texts = Texts::default();
    for text in ["ab", "渝", "c"] {
        texts.push(text);
    }
    texts.retain(&[false, true, true]);
    assert_eq!(
        (texts.get(0), texts.get(1), texts.bytes.as_str()),
        ("渝", "c", "渝c")
    );
}
