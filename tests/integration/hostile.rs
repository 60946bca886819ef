//! Hostile input: limits, swapped coordinates and oversized values. Each
//! case is read by both readers, which must agree.

use std::io::Read;

use carrier_quota::read::{read_carriers, read_carriers_parallel, Limits};
use carrier_quota::{Atlas, Carriers, Error, ErrorKind, ReadOptions, RejectReason};

/// Reads `text` with both readers, checks that they agree, and returns the
/// answer.
fn read_both(text: &[u8], options: &ReadOptions) -> Result<Carriers, Error> {
    let streaming = read_carriers(text, options);
    let parallel = read_carriers_parallel(|| Ok(text), options);
    crate::assert_same(&streaming, &parallel);
    streaming
}

fn collection(features: &[String]) -> String {
    format!(
        "{{\"type\": \"FeatureCollection\", \"datum\": \"gcj02\", \"features\": [\n{}\n]}}",
        features.join(",\n")
    )
}

fn point(id: &str, lon: f64, lat: f64, extra: &str) -> String {
    format!(
        r#"{{"type": "Feature", "id": "{id}", "geometry": {{"type": "Point", "coordinates": [{lon}, {lat}]}}, "properties": {{"kind": "incubator", "floor_area_m2": 100{extra}}}}}"#
    )
}

fn with_limits(limits: Limits) -> ReadOptions {
    ReadOptions::new().limits(limits)
}

#[test]
fn more_features_than_the_limit_stop_the_read() {
    let features: Vec<String> = (0..5)
        .map(|i| point(&format!("c{i}"), 106.5, 29.5, ""))
        .collect();
    let text = collection(&features);
    let options = with_limits(Limits::new().max_features(3));
    let e = read_both(text.as_bytes(), &options).unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::TooManyFeatures { limit: 3 }),
        "{e}"
    );
    assert_eq!(
        e.to_string(),
        "the file holds more than 3 features (the limit)"
    );
    let options = with_limits(Limits::new().max_features(5));
    assert_eq!(read_both(text.as_bytes(), &options).unwrap().len(), 5);
}

#[test]
fn a_feature_longer_than_the_limit_stops_the_read_at_that_feature() {
    let long_name = format!(r#", "name": "{}""#, "x".repeat(200_000));
    let text = collection(&[
        point("a", 106.5, 29.5, ""),
        point("b", 106.5, 29.5, &long_name),
    ]);
    let options = with_limits(
        Limits::new()
            .max_feature_bytes(100_000)
            .max_property_bytes(1 << 20),
    );
    let e = read_both(text.as_bytes(), &options).unwrap_err();
    assert!(
        matches!(
            e.kind(),
            ErrorKind::FeatureTooLarge {
                index: 1,
                limit: 100_000
            }
        ),
        "{e}"
    );
}

/// A carrier file whose second feature's name (or, `at_top`, a member of
/// the collection) is a string of `len` bytes, produced as it is read.
struct EndlessName {
    head: std::io::Cursor<Vec<u8>>,
    left: u64,
}

impl EndlessName {
    fn new(len: u64, at_top: bool) -> EndlessName {
        let head = if at_top {
            "{\"type\": \"FeatureCollection\", \"description\": \"".to_string()
        } else {
            format!(
                "{{\"type\": \"FeatureCollection\", \"datum\": \"gcj02\", \"features\": [\n{},\n{{\"type\": \"Feature\", \"properties\": {{\"name\": \"",
                point("a", 106.5, 29.5, "")
            )
        };
        EndlessName {
            head: std::io::Cursor::new(head.into_bytes()),
            left: len,
        }
    }
}

impl Read for EndlessName {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.head.read(buf)?;
        if n > 0 {
            return Ok(n);
        }
        let n = buf.len().min(self.left as usize);
        buf[..n].fill(b'x');
        self.left -= n as u64;
        Ok(n)
    }
}

#[test]
fn a_one_gigabyte_string_stops_the_read_without_holding_it() {
    let gigabyte = 1 << 30;
    let options = ReadOptions::default();
    let limit = Limits::default().max_feature_bytes;
    // In the second feature, and before the first.
    for (at_top, index) in [(false, 1), (true, 0)] {
        for e in [
            read_carriers(EndlessName::new(gigabyte, at_top), &options).unwrap_err(),
            read_carriers_parallel(|| Ok(EndlessName::new(gigabyte, at_top)), &options)
                .unwrap_err(),
        ] {
            assert!(
                matches!(e.kind(), ErrorKind::FeatureTooLarge { index: i, limit: l } if *i == index && *l == limit),
                "{e}"
            );
        }
    }
}

#[test]
fn geometries_over_the_vertex_limit_are_rejected() {
    let ring: Vec<String> = (0..=10)
        .map(|i| {
            let a = std::f64::consts::TAU * f64::from(i % 10) / 10.0;
            format!("[{}, {}]", 106.5 + 0.01 * a.cos(), 29.5 + 0.01 * a.sin())
        })
        .collect();
    let footprint = format!(
        r#"{{"type": "Feature", "id": "f", "geometry": {{"type": "Polygon", "coordinates": [[{}]]}}, "properties": {{"kind": "incubator", "floor_area_m2": 100}}}}"#,
        ring.join(", ")
    );
    let text = collection(&[footprint]);
    let options = with_limits(Limits::new().max_vertices(10));
    let read = read_both(text.as_bytes(), &options).unwrap();
    assert_eq!(read.rejections().len(), 1);
    assert_eq!(read.rejections()[0].index, 0);
    assert_eq!(read.rejections()[0].id.as_deref(), Some("f"));
    assert_eq!(
        read.rejections()[0].reason,
        RejectReason::TooManyVertices {
            found: 11,
            limit: 10
        }
    );
    let read = read_both(text.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(read.len(), 1);
}

#[test]
fn property_texts_over_the_limit_are_rejected_without_keeping_them() {
    let long = "长".repeat(2000); // 6,000 bytes
    let text = collection(&[
        point("a", 106.5, 29.5, &format!(r#", "name": "{long}""#)),
        point("b", 106.5, 29.5, &format!(r#", "opened": "{long}""#)),
        point(&"i".repeat(5000), 106.5, 29.5, ""),
        point(
            "d",
            106.5,
            29.5,
            &format!(r#", "name": "{}""#, "n".repeat(4096)),
        ),
    ]);
    let read = read_both(text.as_bytes(), &ReadOptions::default()).unwrap();
    let reasons: Vec<(usize, Option<&str>, &RejectReason)> = read
        .rejections()
        .iter()
        .map(|r| (r.index, r.id.as_deref(), &r.reason))
        .collect();
    let too_long = |property: &'static str, bytes| RejectReason::PropertyTooLong {
        property: property.into(),
        bytes,
        limit: 4096,
    };
    assert_eq!(
        reasons,
        [
            (0, Some("a"), &too_long("name", 6000)),
            (1, Some("b"), &too_long("opened", 6000)),
            (2, None, &too_long("id", 5000)),
        ]
    );
    assert_eq!(read.len(), 1, "4,096 bytes are within the limit");
}

fn chongqing_area() -> ReadOptions {
    ReadOptions::new().expected_area(Atlas::chongqing().outline().clone())
}

#[test]
fn swapped_coordinates_are_named_and_fixed_only_when_asked() {
    let text = collection(&[
        point("ok", 106.55, 29.56, ""),
        point("swapped", 29.56, 106.55, ""),
        point("far", 10.0, 80.0, ""),
    ]);
    // Without an expected area, a swapped point is only out of range.
    let read = read_both(text.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(
        read.rejections()[0].reason,
        RejectReason::CoordinateOutOfRange {
            lon: 29.56,
            lat: 106.55
        }
    );

    let read = read_both(text.as_bytes(), &chongqing_area()).unwrap();
    assert_eq!(read.len(), 2);
    assert_eq!(read.rejections().len(), 1);
    let r = &read.rejections()[0];
    assert_eq!((r.index, r.id.as_deref()), (1, Some("swapped")));
    assert_eq!(
        r.reason,
        RejectReason::SwappedCoordinates {
            lon: 29.56,
            lat: 106.55
        }
    );
    assert!(r.to_string().contains("look swapped"), "{r}");
    assert!(read.swapped().is_empty());

    let fix = chongqing_area().fix_swapped(true);
    let read = read_both(text.as_bytes(), &fix).unwrap();
    assert!(read.rejections().is_empty());
    assert_eq!(read.swapped(), [1]);
    assert_eq!(read.feature_indexes().collect::<Vec<_>>(), [0, 1, 2]);
    assert_eq!(read.get(1).anchor(), Some(geo::Point::new(106.55, 29.56)));
    // A point that is merely outside is not swapped.
    assert_eq!(read.get(2).anchor(), Some(geo::Point::new(10.0, 80.0)));
}

#[test]
fn nan_infinity_and_overflowing_numbers_are_json_errors_with_their_position() {
    for (value, column, message) in [
        ("NaN", 125, "expected value"),
        ("Infinity", 125, "expected value"),
        ("-Infinity", 126, "invalid number"),
        ("1e999", 130, "number out of range"),
    ] {
        let text = format!(
            r#"{{"type": "FeatureCollection", "datum": "gcj02", "features": [{{"type": "Feature", "id": "a", "properties": {{"floor_area_m2": {value}}}}}]}}"#
        );
        let e = read_both(text.as_bytes(), &ReadOptions::default()).unwrap_err();
        let ErrorKind::Json {
            position,
            message: found,
        } = e.kind()
        else {
            panic!("{value}: {e}");
        };
        assert_eq!(
            (position.line, position.column),
            (1, column),
            "{value}: {e}"
        );
        assert_eq!(found, message, "{value}");
    }
}

#[test]
fn deeply_nested_arrays_anywhere_are_read_without_overflowing_the_stack() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let text = collection(&[
        point("a", 106.5, 29.5, &format!(r#", "extra": {deep}"#)),
        point("b", 106.5, 29.5, &format!(r#", "name": {deep}"#)),
        format!(
            r#"{{"type": "Feature", "id": "c", "geometry": {{"type": "Point", "coordinates": {deep}}}, "properties": {{"kind": "incubator", "floor_area_m2": 1}}}}"#
        ),
        deep.clone(),
    ]);
    let read = read_both(text.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(read.len(), 1, "an unknown property is ignored");
    let reasons: Vec<String> = read.rejections().iter().map(|r| r.to_string()).collect();
    assert_eq!(
        reasons,
        [
            "feature 1 (id \"b\"): name must be a string, found an array",
            "feature 2 (id \"c\"): malformed Point coordinates: arrays are nested more than 16 deep",
            "feature 3: a feature must be a JSON object, found an array",
        ]
    );
}

/// A limit just above the features' size does not trip, though the reader
/// takes the file in blocks larger than the limit.
#[test]
fn a_file_within_the_feature_limit_reads_whole() {
    let features: Vec<String> = (0..40)
        .map(|i| point(&format!("c{i}"), 106.5, 29.5, ""))
        .collect();
    let text = collection(&features);
    let longest = features.iter().map(String::len).max().unwrap();
    for max_feature_bytes in longest..longest + 50 {
        let options = with_limits(Limits::new().max_feature_bytes(max_feature_bytes));
        let read = read_both(text.as_bytes(), &options).unwrap();
        assert_eq!(read.len(), 40, "limit {max_feature_bytes}");
    }
}

/// A carrier set interns at most 65,535 overlay names: a file with more
/// stops the read at the first carrier past it, with an error saying so.
#[test]
fn more_overlay_names_than_a_set_holds_stop_the_read() {
    let features: Vec<String> = (0..65_536)
        .map(|i| {
            point(
                &format!("c{i}"),
                106.5,
                29.5,
                &format!(r#", "overlay": "area-{i}""#),
            )
        })
        .collect();
    // Overlay ids of the service's own: any is taken.
    let any = ReadOptions::default().overlays(carrier_quota::names::OverlayNames::any());
    let e = read_both(collection(&features).as_bytes(), &any).unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::StoreFull { index: 65_535 }),
        "{e}"
    );
    assert!(
        e.to_string().contains("65,535 distinct overlay names"),
        "{e}"
    );
    let within = read_both(collection(&features[..65_535]).as_bytes(), &any);
    assert_eq!(within.unwrap().overlay_names().len(), 65_535);
}

/// Found by fuzzing the region reader: a ring that repeats a vertex as
/// `-0` and `0` made geo's `InteriorPoint` panic. Negative zeros are read as
/// zeros, so such a footprint is an ordinary carrier.
#[test]
fn a_ring_repeating_a_vertex_as_negative_zero_is_read() {
    let footprint = r#"{"type": "Feature", "id": "f", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [-0.0, 0], [0, 0]]]}, "properties": {"kind": "incubator", "floor_area_m2": 100}}"#;
    let read = read_both(
        collection(&[footprint.to_string()]).as_bytes(),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(read.len(), 1, "{:?}", read.rejections());
    let region = r#"{"type": "FeatureCollection", "datum": "wgs84", "features": [{"type": "Feature", "properties": {"code": "bow"}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [-0.0, 0], [0, 0]]]}}]}"#;
    let (atlas, _) =
        carrier_quota::atlas::read_regions(region.as_bytes(), &Default::default()).unwrap();
    let shape = &atlas.districts()[0].shape;
    let inside = geo::InteriorPoint::interior_point(shape).unwrap();
    assert_eq!(
        atlas.locate(inside),
        Some(atlas.district_ids().next().unwrap())
    );
}

/// Text that is no table in any encoding, or a table whose encoding
/// changes part way, stops the read with where and why; nothing is read
/// as something else.
#[test]
fn csv_text_no_encoding_reads_is_refused_with_its_place() {
    use carrier_quota::read::{read_carriers_csv, Encoding};
    let error = |bytes: &[u8], encoding: Option<Encoding>| {
        let mut options = ReadOptions::new();
        options.encoding = encoding;
        read_carriers_csv(bytes, &options).unwrap_err().to_string()
    };
    // Zero bytes: UTF-16 without its mark, or not text.
    let utf16: Vec<u8> = "kind,floor_area_m2,district\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert!(error(&utf16, None).contains("line 1: the text holds zero bytes"));
    assert!(error(&[0xFF; 4096], None).contains("are neither UTF-8 nor GB18030"));
    // ASCII reads the same in UTF-8 and GB18030: the first byte that is
    // not ASCII decides, here GB18030, however far into the file.
    let mut late = b"kind,floor_area_m2,district\n".to_vec();
    for _ in 0..5_000 {
        late.extend(b"incubator,100,500112\n");
    }
    late.extend(b"incubator,100,\xd3\xe5\xb1\xb1\n");
    assert_eq!(
        read_carriers_csv(&late[..], &ReadOptions::new())
            .unwrap()
            .len(),
        5_001
    );
    // UTF-8 for more than the 64 KiB that decide, then GBK: the first
    // byte that is not UTF-8 is named by its row and column.
    let mut mixed = "kind,floor_area_m2,district\n".as_bytes().to_vec();
    for _ in 0..5_000 {
        mixed.extend("incubator,100,渝北区\n".as_bytes());
    }
    mixed.extend(b"incubator,100,\xd3\xe5\xb1\xb1\n");
    assert_eq!(
        error(&mixed, None),
        "not a readable CSV table at row 5002: column 3 (district): the bytes D3 E5 B1 B1 are \
         not UTF-8, which the text before them was; if the file is in another encoding, give \
         it (gb18030 or utf-16)"
    );
    // Read as GB18030, its UTF-8 text does not decode either.
    assert_eq!(
        error(&mixed, Some(Encoding::Gb18030)),
        "not a readable CSV table at row 2: column 3 (district): the bytes BA cannot be read \
         as GB18030"
    );
    // A byte-order mark against the encoding given.
    let marked = [b"\xEF\xBB\xBF".as_slice(), b"kind,floor_area_m2,district\n"].concat();
    assert_eq!(
        error(&marked, Some(Encoding::Utf16)),
        "not a readable CSV table: the file starts with a utf-8 byte-order mark, but utf-16 \
         was given"
    );
    // UTF-16 cut in the middle of a character, and a lone surrogate.
    let mut cut = vec![0xFF, 0xFE];
    cut.extend(utf16.iter());
    cut.extend("incubator,1,渝北".encode_utf16().flat_map(u16::to_le_bytes));
    cut.push(0x41);
    assert!(
        error(&cut, None).contains("cannot be read as UTF-16"),
        "{}",
        error(&cut, None)
    );
    let mut lone = vec![0xFF, 0xFE];
    lone.extend(utf16.iter());
    lone.extend("incubator,1,".encode_utf16().flat_map(u16::to_le_bytes));
    lone.extend([0x00, 0xD8, b'\n', 0]);
    assert!(error(&lone, None)
        .starts_with("not a readable CSV table at row 2: column 3 (district): the bytes"));
}
