use std::sync::Arc;

use arrow_array::{ArrayRef, BinaryArray, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{Field, Schema};
use bytes::Bytes;
use parquet::arrow::ArrowWriter;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use proptest::prelude::*;

use crate::synthetic::Synthetic;
use arrow_array::cast::AsArray;

use crate::place::FootprintRule;
use crate::read::{read_carriers, read_carriers_parquet};
use crate::stream::tally_parquet;
use crate::write::{write_carriers_parquet, write_placed_parquet, GeometryEncoding};
use crate::{Atlas, Datum, ErrorKind, ReadOptions, RejectReason, Tally};

pub(crate) fn parquet_of(carriers: &crate::Carriers, encoding: GeometryEncoding) -> Bytes {
    let mut file = Vec::new();
    write_carriers_parquet(&mut file, carriers, encoding).unwrap();
    Bytes::from(file)
}

/// A plain Parquet file of these columns, with this key-value metadata.
pub(crate) fn table(columns: Vec<(&str, ArrayRef)>, metadata: &[(&str, &str)]) -> Bytes {
    table_in_row_groups(columns, metadata, None)
}

/// [`table`] with at most `rows_per_group` rows in a row group.
fn table_in_row_groups(
    columns: Vec<(&str, ArrayRef)>,
    metadata: &[(&str, &str)],
    rows_per_group: Option<usize>,
) -> Bytes {
    let fields: Vec<Field> = columns
        .iter()
        .map(|(name, a)| Field::new(*name, a.data_type().clone(), true))
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(
        Arc::clone(&schema),
        columns.into_iter().map(|c| c.1).collect(),
    )
    .unwrap();
    let kv = metadata
        .iter()
        .map(|(k, v)| KeyValue::new(k.to_string(), v.to_string()))
        .collect();
    let properties = WriterProperties::builder()
        .set_key_value_metadata(Some(kv))
        .set_max_row_group_row_count(rows_per_group)
        .build();
    let mut file = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut file, schema, Some(properties)).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    Bytes::from(file)
}

pub(crate) fn strings(values: &[Option<&str>]) -> ArrayRef {
    Arc::new(StringArray::from(values.to_vec()))
}

pub(crate) fn floats(values: &[Option<f64>]) -> ArrayRef {
    Arc::new(Float64Array::from(values.to_vec()))
}

pub(crate) fn lon_lat() -> ReadOptions {
    ReadOptions::new().coordinate_columns("lon", "lat")
}

proptest! {
    /// The fast path for WKB points reads what the wkb crate reads, in
    /// both byte orders, empty and half-empty points included.
    #[test]
    fn wkb_points_read_as_the_wkb_crate_reads_them(
        big_endian: bool,
        kind in prop::sample::select(vec![0u32, 1, 2, 1001, 0x2000_0001, 0x0100_0000]),
        x in prop::sample::select(vec![f64::NAN, 0.0, -0.0, 106.5, f64::INFINITY, -1e300]),
        y in prop::sample::select(vec![f64::NAN, 29.5, -90.0, 1e-310]),
        cut in 0usize..3,
    ) {
        let mut bytes = vec![u8::from(!big_endian)];
        if big_endian {
            bytes.extend(kind.to_be_bytes().into_iter().chain(x.to_be_bytes()).chain(y.to_be_bytes()));
        } else {
            bytes.extend(kind.to_le_bytes().into_iter().chain(x.to_le_bytes()).chain(y.to_le_bytes()));
        }
        bytes.truncate(bytes.len() - cut);
        let fast = super::wkb::wkb_point(&bytes);
        let general = super::wkb::any_wkb_geometry(&bytes);
        if let Some(c) = fast {
            match general {
                Ok((Ok(crate::read::feature::GeometryType::Point), crate::json::Coords::Position(g))) => {
                    prop_assert_eq!((c.x.to_bits(), c.y.to_bits()), (g.x.to_bits(), g.y.to_bits()));
                }
                _ => prop_assert!(false, "only the fast path reads {:?}", bytes),
            }
        }
    }
}

#[test]
fn row_groups_decoded_side_by_side_give_every_row_in_order() {
    let rows = 5_000;
    let ids: Vec<String> = (0..rows).map(|i| format!("c{i}")).collect();
    // Every 97th row is rejected (no floor area), every 89th a
    // duplicate of the row before.
    let id = |i: usize| {
        ids[if i.is_multiple_of(89) && i > 0 {
            i - 1
        } else {
            i
        }]
        .as_str()
    };
    let columns = || {
        vec![
            (
                "id",
                strings(&(0..rows).map(|i| Some(id(i))).collect::<Vec<_>>()),
            ),
            ("kind", strings(&vec![Some("incubator"); rows])),
            (
                "floor_area_m2",
                floats(
                    &(0..rows)
                        .map(|i| (i % 97 != 0).then_some(100.0 + i as f64))
                        .collect::<Vec<_>>(),
                ),
            ),
            (
                "lon",
                floats(
                    &(0..rows)
                        .map(|i| Some(106.0 + (i % 300) as f64 * 0.01))
                        .collect::<Vec<_>>(),
                ),
            ),
            (
                "lat",
                floats(
                    &(0..rows)
                        .map(|i| Some(29.0 + (i % 170) as f64 * 0.01))
                        .collect::<Vec<_>>(),
                ),
            ),
        ]
    };
    let metadata = [("datum", "gcj02")];
    let one = table(columns(), &metadata);
    let many = table_in_row_groups(columns(), &metadata, Some(700));
    let groups = parquet::file::reader::FileReader::metadata(
        &parquet::file::serialized_reader::SerializedFileReader::new(many.clone()).unwrap(),
    )
    .num_row_groups();
    assert_eq!(groups, 8);

    let expected = read_carriers_parquet(one, &lon_lat()).unwrap();
    assert_eq!(expected.len() + expected.rejections().len(), rows);
    assert!(expected.rejections().len() > 100);
    let dir = std::env::temp_dir().join(format!("carrier-quota-row-groups-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("many.parquet");
    std::fs::write(&path, &many).unwrap();
    let from_file = read_carriers_parquet(std::fs::File::open(&path).unwrap(), &lon_lat()).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    for read in [
        read_carriers_parquet(many.clone(), &lon_lat()).unwrap(),
        from_file,
    ] {
        assert!(read == expected, "the carriers differ");
        assert_eq!(read.rejections(), expected.rejections());
    }

    let atlas = Atlas::chongqing();
    let streamed = tally_parquet(many, &lon_lat(), atlas, FootprintRule::default()).unwrap();
    // The streamed tally does not look for duplicate ids.
    let without_duplicates: Vec<_> = expected
        .rejections()
        .iter()
        .filter(|r| !matches!(r.reason, RejectReason::DuplicateId { .. }))
        .cloned()
        .collect();
    assert_eq!(streamed.rejections, without_duplicates);
    assert_eq!(streamed.rows_read, rows);
    assert_eq!(streamed.carriers + streamed.rejected, rows);
}

/// A row group that cannot be decoded, read side by side with others,
/// stops the read with its error; the others are not waited for in
/// vain.
#[test]
fn a_row_group_that_cannot_be_decoded_stops_the_read() {
    let rows = 5_000;
    let ids: Vec<String> = (0..rows).map(|i| format!("c{i}")).collect();
    let columns = vec![
        (
            "id",
            strings(&ids.iter().map(|i| Some(i.as_str())).collect::<Vec<_>>()),
        ),
        ("kind", strings(&vec![Some("incubator"); rows])),
        ("floor_area_m2", floats(&vec![Some(100.0); rows])),
        (
            "lon",
            floats(
                &(0..rows)
                    .map(|i| Some(106.0 + i as f64 * 1e-4))
                    .collect::<Vec<_>>(),
            ),
        ),
        ("lat", floats(&vec![Some(29.5); rows])),
    ];
    let file = table_in_row_groups(columns, &[("datum", "gcj02")], Some(700));
    let metadata = parquet::file::metadata::ParquetMetaDataReader::new()
        .parse_and_finish(&file)
        .unwrap();
    assert_eq!(metadata.num_row_groups(), 8);
    let chunk = metadata.row_group(5).column(3);
    assert_eq!(chunk.column_path().string(), "lon");
    let (start, _) = chunk.byte_range();
    // The first page header of the chunk begins with a field of no
    // type Thrift knows.
    let mut broken = file.to_vec();
    broken[start as usize] = 0xff;
    let read = read_carriers_parquet(Bytes::from(broken), &lon_lat());
    let message = read.unwrap_err().to_string();
    assert!(
        message.starts_with("not a readable Parquet file"),
        "{message}"
    );
    assert!(read_carriers_parquet(file, &lon_lat()).is_ok());
}

#[test]
fn closings_read_and_write_as_in_geojson() {
    let rows = [
        ("a", Some("2021-03-01"), Some("2023-06-30")),
        ("b", Some("2022"), Some("2021")),
        ("c", None, Some("2023-02-30")),
        ("d", Some("2021"), None),
    ];
    let features: Vec<String> = rows
        .iter()
        .map(|(id, opened, closed)| {
            let date = |k: &str, v: &Option<&str>| v.map(|v| format!(r#", "{k}": "{v}""#)).unwrap_or_default();
            format!(
                r#"{{"type": "Feature", "properties": {{"id": "{id}", "kind": "incubator", "floor_area_m2": 100{}{}}}, "geometry": {{"type": "Point", "coordinates": [106.5, 29.5]}}}}"#,
                date("opened", opened),
                date("closed", closed)
            )
        })
        .collect();
    let geojson = format!(
        r#"{{"type": "FeatureCollection", "datum": "gcj02", "features": [{}]}}"#,
        features.join(",")
    );
    let expected = read_carriers(geojson.as_bytes(), &ReadOptions::new()).unwrap();
    assert_eq!((expected.len(), expected.rejections().len()), (2, 2));

    type Row = (&'static str, Option<&'static str>, Option<&'static str>);
    let column =
        |f: fn(&Row) -> Option<&'static str>| strings(&rows.iter().map(f).collect::<Vec<_>>());
    let closed_days: ArrayRef = Arc::new(arrow_array::Date32Array::from(vec![
        Some(19538), // 2023-06-30
        None,
        None,
        None,
    ]));
    for closed in [column(|r| r.2), closed_days] {
        let file = table(
            vec![
                ("id", column(|r| Some(r.0))),
                ("kind", strings(&[Some("incubator"); 4])),
                ("floor_area_m2", floats(&[Some(100.0); 4])),
                ("opened", column(|r| r.1)),
                ("closed", closed.clone()),
                ("lon", floats(&[Some(106.5); 4])),
                ("lat", floats(&[Some(29.5); 4])),
            ],
            &[("datum", "gcj02")],
        );
        let read = read_carriers_parquet(file, &lon_lat()).unwrap();
        assert_eq!(read.get(0).closed(), expected.get(0).closed());
        if closed.data_type() == &arrow_schema::DataType::Utf8 {
            assert!(read == expected);
            assert_eq!(read.rejections(), expected.rejections());
        }
    }

    let mut geojson_out = Vec::new();
    crate::write::write_carriers(&mut geojson_out, &expected, None).unwrap();
    let from_geojson = read_carriers(geojson_out.as_slice(), &ReadOptions::new()).unwrap();
    let from_parquet = read_carriers_parquet(
        parquet_of(&expected, GeometryEncoding::Wkb),
        &ReadOptions::new(),
    )
    .unwrap();
    for written in [from_geojson, from_parquet] {
        assert_eq!(written.get(0).closed(), expected.get(0).closed());
        assert!(written.iter().eq(expected.iter()));
    }
}

#[test]
fn declared_districts_read_and_write_as_in_geojson() {
    let geojson = r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [
        {"type": "Feature", "id": "by-name", "geometry": null,
         "properties": {"kind": "incubator", "floor_area_m2": 1, "district": "渝北"}},
        {"type": "Feature", "id": "both", "geometry": {"type": "Point", "coordinates": [106.5775, 29.5575]},
         "properties": {"kind": "incubator", "floor_area_m2": 2, "district": "Yubei"}},
        {"type": "Feature", "id": "point", "geometry": {"type": "Point", "coordinates": [106.5775, 29.5575]},
         "properties": {"kind": "incubator", "floor_area_m2": 3}},
        {"type": "Feature", "id": "bad", "geometry": null,
         "properties": {"kind": "incubator", "floor_area_m2": 4, "district": "渝北新区"}}]}"#;
    let expected = read_carriers(geojson.as_bytes(), &ReadOptions::new()).unwrap();
    assert_eq!((expected.len(), expected.rejections().len()), (3, 1));
    let file = table(
        vec![
            (
                "id",
                strings(&[Some("by-name"), Some("both"), Some("point"), Some("bad")]),
            ),
            ("kind", strings(&[Some("incubator"); 4])),
            (
                "floor_area_m2",
                floats(&[Some(1.0), Some(2.0), Some(3.0), Some(4.0)]),
            ),
            (
                "district",
                strings(&[Some("渝北"), Some("Yubei"), None, Some("渝北新区")]),
            ),
            ("lon", floats(&[None, Some(106.5775), Some(106.5775), None])),
            ("lat", floats(&[None, Some(29.5575), Some(29.5575), None])),
        ],
        &[("datum", "gcj02")],
    );
    let read = read_carriers_parquet(file, &lon_lat()).unwrap();
    assert!(read == expected);
    assert_eq!(read.rejections(), expected.rejections());
    for encoding in [GeometryEncoding::Wkb, GeometryEncoding::Point] {
        let written = parquet_of(&expected, encoding);
        let read = read_carriers_parquet(written, &ReadOptions::new()).unwrap();
        assert_eq!(read.rejections(), []);
        assert!(read.iter().eq(expected.iter()), "{encoding:?}");
    }
    // The placed file says where each counts, and by what.
    let placed = Atlas::chongqing().place(expected, FootprintRule::SurfacePoint);
    let mut out = Vec::new();
    crate::write::write_placed_parquet(&mut out, &placed).unwrap();
    let batches: Vec<RecordBatch> =
        parquet::arrow::arrow_reader::ParquetRecordBatchReader::try_new(Bytes::from(out), 1024)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    let column = |name: &str| -> Vec<Option<String>> {
        let array = batches[0].column_by_name(name).unwrap();
        let array = array
            .as_any()
            .downcast_ref::<arrow_array::StringArray>()
            .unwrap();
        array.iter().map(|v| v.map(String::from)).collect()
    };
    let some = |v: &[&str]| v.iter().map(|s| Some(s.to_string())).collect::<Vec<_>>();
    // The district as each record writes it.
    assert_eq!(
        column("district"),
        [Some("渝北".into()), Some("Yubei".into()), None]
    );
    assert_eq!(
        column("placed_district"),
        some(&["500112", "500103", "500103"])
    );
    assert_eq!(column("placed_by"), some(&["declared", "point", "point"]));
    // Points alone are written without the column, so that a query's
    // `AS district ... GROUP BY district` keeps meaning the located one.
    let points =
        crate::Carriers::from_records(Datum::Gcj02, [placed.carriers().get(2).to_carrier()]);
    let bytes = parquet_of(&points, GeometryEncoding::Wkb);
    let reader =
        parquet::arrow::arrow_reader::ParquetRecordBatchReader::try_new(bytes, 1024).unwrap();
    let schema = arrow_array::RecordBatchReader::schema(&reader);
    assert!(schema.column_with_name("district").is_none());
}

#[test]
fn geoparquet_reads_back_what_was_written_in_both_encodings() {
    let atlas = Atlas::chongqing();
    let carriers = Synthetic::new(3_000, 4).footprints(0.2).generate(atlas);
    let read = read_carriers_parquet(
        parquet_of(&carriers, GeometryEncoding::Wkb),
        &ReadOptions::new(),
    )
    .unwrap();
    assert_eq!(read.datum(), Datum::Gcj02);
    assert!(
        read == carriers,
        "the WKB file reads back different carriers"
    );

    let points = Synthetic::new(3_000, 5).generate(atlas);
    let read = read_carriers_parquet(
        parquet_of(&points, GeometryEncoding::Point),
        &ReadOptions::new(),
    )
    .unwrap();
    assert!(
        read == points,
        "the native point file reads back different carriers"
    );

    // Footprints have no native point form: nothing is dropped silently.
    let mut file = Vec::new();
    let err = write_carriers_parquet(&mut file, &carriers, GeometryEncoding::Point).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
}

#[test]
fn placed_output_has_each_carriers_district_and_zone() {
    let atlas = Atlas::chongqing();
    let carriers = Synthetic::new(500, 6).footprints(0.1).generate(atlas);
    let placed = atlas.place(carriers, FootprintRule::default());
    let mut file = Vec::new();
    write_placed_parquet(&mut file, &placed).unwrap();
    let reader =
        parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(Bytes::from(file))
            .unwrap()
            .build()
            .unwrap();
    let mut row = 0;
    for batch in reader {
        let batch = batch.unwrap();
        let column = |name: &str| {
            let i = batch.schema().index_of(name).unwrap();
            batch.column(i).as_string::<i32>().clone()
        };
        let (ids, districts, zones) = (
            column("id"),
            column("placed_district"),
            column("placed_zone"),
        );
        for r in 0..batch.num_rows() {
            let carrier = placed.carriers().get(row);
            assert_eq!(ids.value(r), carrier.id());
            let district = placed.districts()[row].map(|d| atlas.district(d));
            assert_eq!(districts.value(r), district.unwrap().code.as_str());
            let zone = district.and_then(|d| d.zone).map(|z| atlas.zone(z));
            assert_eq!(zones.value(r), zone.unwrap().code.as_str());
            row += 1;
        }
    }
    assert_eq!(row, 500);
}

/// A 5 KB file whose page header declares lists of billions of fields
/// (found by fuzzing; it took 111 s) is refused at once: the decoder's
/// reads past the end of the file fail rather than return nothing.
#[test]
fn a_page_header_past_the_end_of_the_file_is_refused_at_once() {
    let file = include_bytes!("../../../fuzz/seeds/read_parquet/page-header-lists.parquet");
    let start = std::time::Instant::now();
    let read = read_carriers_parquet(Bytes::from_static(file), &ReadOptions::new());
    let message = read.unwrap_err().to_string();
    assert!(
        message.starts_with("not a readable Parquet file"),
        "{message}"
    );
    assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
}

/// Columns no carrier is read from are never decoded; the rest are
/// found where the projection puts them.
#[test]
fn only_the_columns_a_carrier_is_read_from_are_decoded() {
    let wide = |extra: bool| {
        let mut columns = vec![];
        if extra {
            columns.push(("address", strings(&[Some("解放碑"), None])));
        }
        columns.extend([
            ("id", strings(&[Some("a"), Some("b")])),
            ("kind", strings(&[Some("incubator"), Some("incubater")])),
        ]);
        if extra {
            columns.push(("notes", strings(&[Some("x"), Some("y")])));
        }
        columns.extend([
            ("floor_area_m2", floats(&[Some(100.0), Some(200.0)])),
            ("lon", floats(&[Some(106.5775); 2])),
            ("lat", floats(&[Some(29.5575); 2])),
        ]);
        if extra {
            columns.push(("score", floats(&[Some(1.0), Some(2.0)])));
        }
        table(columns, &[("datum", "gcj02")])
    };
    let file = wide(true);
    let table = super::Table::open(&super::Source::new(file.clone()), &lon_lat()).unwrap();
    let decoded: Vec<usize> = (0..8)
        .filter(|&i| table.projection.leaf_included(i))
        .collect();
    assert_eq!(
        decoded,
        [1, 2, 4, 5, 6],
        "id, kind, floor_area_m2, lon, lat"
    );
    let read = read_carriers_parquet(file, &lon_lat()).unwrap();
    assert!(read == read_carriers_parquet(wide(false), &lon_lat()).unwrap());
    assert_eq!(read.len(), 1);
    assert_eq!(read.rejections()[0].id.as_deref(), Some("b"));
}

/// Text columns whose every page is dictionary-encoded are read as
/// dictionaries, parsed once per distinct text; the carriers and
/// rejections are those of the same file written without dictionaries.
#[test]
fn texts_kept_once_each_are_read_as_dictionaries() {
    let rows = 3000;
    let kinds = ["incubator", "maker_space", "accelerator", "incubater"];
    let opened = ["2021-03-01", "2024", "2023-02-30"];
    let columns: Vec<(&str, ArrayRef)> = vec![
        (
            "id",
            Arc::new(StringArray::from_iter_values(
                (0..rows).map(|i| format!("c-{i}")),
            )),
        ),
        (
            "kind",
            Arc::new(StringArray::from_iter_values(
                (0..rows).map(|i| kinds[i % 4]),
            )),
        ),
        (
            "opened",
            Arc::new(StringArray::from_iter(
                (0..rows).map(|i| (i % 5 != 0).then_some(opened[i % 3])),
            )),
        ),
        ("floor_area_m2", floats(&vec![Some(100.0); rows])),
        ("lon", floats(&vec![Some(106.5775); rows])),
        ("lat", floats(&vec![Some(29.5575); rows])),
    ];
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let written = |dictionaries: bool| {
        let kv = vec![KeyValue::new("datum".into(), "gcj02".to_string())];
        let properties = WriterProperties::builder()
            .set_key_value_metadata(Some(kv))
            .set_dictionary_enabled(dictionaries)
            .set_column_dictionary_enabled("id".into(), false)
            .set_max_row_group_row_count(Some(1000))
            .build();
        let mut file = Vec::new();
        let mut writer = ArrowWriter::try_new(&mut file, batch.schema(), Some(properties)).unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();
        Bytes::from(file)
    };
    let file = written(true);
    let table = super::Table::open(&super::Source::new(file.clone()), &lon_lat()).unwrap();
    let types: Vec<String> = ["id", "kind", "opened"]
        .iter()
        .map(|name| {
            let schema = table.metadata.schema();
            schema
                .field_with_name(name)
                .unwrap()
                .data_type()
                .to_string()
        })
        .collect();
    assert_eq!(
        types,
        ["Utf8", "Dictionary(Int32, Utf8)", "Dictionary(Int32, Utf8)"]
    );
    let read = read_carriers_parquet(file, &lon_lat()).unwrap();
    let plain = read_carriers_parquet(written(false), &lon_lat()).unwrap();
    assert!(read == plain);
    // Every fourth kind is misspelt, every third date impossible
    // (unless the fifth row's null): 1,650 rows are carriers.
    let expected = (0..rows).filter(|i| i % 4 != 3 && (i % 5 == 0 || i % 3 != 2));
    assert_eq!(read.len(), expected.count());
    assert_eq!(read.len() + read.rejections().len(), rows);
}

#[test]
fn plain_parquet_reads_longitude_and_latitude_columns() {
    let file = table(
        vec![
            ("id", Arc::new(Int64Array::from(vec![7, 8, 9, 10]))),
            ("kind", strings(&[Some("incubator"); 4])),
            (
                "floor_area_m2",
                floats(&[Some(1200.0), Some(900.5), Some(10.0), Some(5.0)]),
            ),
            (
                "opened",
                strings(&[Some("2021-05-01"), None, Some("2022"), Some("May")]),
            ),
            (
                "lon",
                floats(&[Some(106.55), None, Some(106.5), Some(106.5)]),
            ),
            ("lat", floats(&[Some(29.56), Some(29.5), None, Some(29.5)])),
        ],
        &[("datum", "gcj02")],
    );
    let carriers = read_carriers_parquet(file, &lon_lat()).unwrap();
    assert_eq!(carriers.datum(), Datum::Gcj02);
    assert_eq!(carriers.len(), 1);
    assert_eq!(carriers.get(0).id(), "7");
    let reasons: Vec<(usize, Option<&str>, String)> = carriers
        .rejections()
        .iter()
        .map(|r| (r.index, r.id.as_deref(), r.reason.to_string()))
        .collect();
    assert_eq!(
        reasons,
        [
            (
                1,
                Some("8"),
                "malformed Point coordinates: the longitude is null".into()
            ),
            (
                2,
                Some("9"),
                "malformed Point coordinates: the latitude is null".into()
            ),
            (
                3,
                Some("10"),
                "opened must be YYYY, YYYY-MM or YYYY-MM-DD, found \"May\"".into()
            ),
        ]
    );
}

#[test]
fn rows_are_rejected_as_the_same_geojson_features_are() {
    // Each bad row, and the same feature in GeoJSON: the same reason.
    let file = table(
        vec![
            (
                "id",
                strings(&[Some("a"), Some("b"), Some("a"), None, Some("e")]),
            ),
            (
                "kind",
                strings(&[
                    Some("incubator"),
                    Some("hatchery"),
                    Some("incubator"),
                    Some("incubator"),
                    Some("incubator"),
                ]),
            ),
            (
                "floor_area_m2",
                floats(&[Some(-1.0), Some(5.0), Some(5.0), Some(5.0), Some(5.0)]),
            ),
            (
                "enterprises",
                floats(&[Some(1.0), Some(1.0), Some(1.0), Some(1.0), Some(2.5)]),
            ),
            ("x", floats(&[Some(106.5); 5])),
            ("y", floats(&[Some(29.5); 5])),
        ],
        &[],
    );
    let options = ReadOptions::new()
        .datum(Datum::Wgs84)
        .coordinate_columns("x", "y");
    let from_parquet = read_carriers_parquet(file, &options).unwrap();
    let features = [
        r#"{"type": "Feature", "properties": {"id": "a", "kind": "incubator", "floor_area_m2": -1.0, "enterprises": 1.0}, "geometry": {"type": "Point", "coordinates": [106.5, 29.5]}}"#,
        r#"{"type": "Feature", "properties": {"id": "b", "kind": "hatchery", "floor_area_m2": 5.0, "enterprises": 1.0}, "geometry": {"type": "Point", "coordinates": [106.5, 29.5]}}"#,
        r#"{"type": "Feature", "properties": {"id": "a", "kind": "incubator", "floor_area_m2": 5.0, "enterprises": 1.0}, "geometry": {"type": "Point", "coordinates": [106.5, 29.5]}}"#,
        r#"{"type": "Feature", "properties": {"kind": "incubator", "floor_area_m2": 5.0, "enterprises": 1.0}, "geometry": {"type": "Point", "coordinates": [106.5, 29.5]}}"#,
        r#"{"type": "Feature", "properties": {"id": "e", "kind": "incubator", "floor_area_m2": 5.0, "enterprises": 2.5}, "geometry": {"type": "Point", "coordinates": [106.5, 29.5]}}"#,
    ];
    let geojson = format!(
        r#"{{"type": "FeatureCollection", "datum": "wgs84", "features": [{}]}}"#,
        features.join(",")
    );
    let from_geojson = read_carriers(geojson.as_bytes(), &ReadOptions::new()).unwrap();
    // The row without an id is not refused: its position is its id.
    assert_eq!(
        from_parquet.rejections().len(),
        4,
        "{:?}",
        from_parquet.rejections()
    );
    assert_eq!(from_parquet.get(0).id(), "3");
    assert_eq!(from_parquet.rejections(), from_geojson.rejections());
    assert!(from_parquet == from_geojson);
}

#[test]
fn bad_files_get_clear_errors() {
    let kind = || strings(&[Some("incubator")]);
    let area = || floats(&[Some(5.0)]);
    let id = || strings(&[Some("a")]);
    let error = |file: Bytes, options: &ReadOptions| {
        read_carriers_parquet(file, options)
            .unwrap_err()
            .to_string()
    };

    // A missing column, named with the columns there are.
    let file = table(
        vec![
            ("id", id()),
            ("kind", kind()),
            ("lon", area()),
            ("lat", area()),
        ],
        &[("datum", "wgs84")],
    );
    assert_eq!(
        error(file, &lon_lat()),
        "no column \"floor_area_m2\": the columns are id, kind, lon, lat"
    );
    // A column of a type no value of which could do.
    let file = table(
        vec![
            ("id", id()),
            ("kind", kind()),
            ("floor_area_m2", strings(&[Some("5")])),
            ("lon", area()),
            ("lat", area()),
        ],
        &[("datum", "wgs84")],
    );
    assert_eq!(
        error(file, &lon_lat()),
        "column \"floor_area_m2\" has type Utf8: it must be a number"
    );
    let file = table(
        vec![
            ("id", id()),
            ("kind", kind()),
            ("floor_area_m2", area()),
            ("lon", strings(&[Some("106")])),
            ("lat", area()),
        ],
        &[("datum", "wgs84")],
    );
    assert_eq!(
        error(file, &lon_lat()),
        "column \"lon\" has type Utf8: it must be a number"
    );
    // No geometry, and no columns named.
    let columns = || vec![("id", id()), ("kind", kind()), ("floor_area_m2", area())];
    let file = table(columns(), &[("datum", "wgs84")]);
    assert!(
        error(file, &ReadOptions::new()).starts_with("the file has no GeoParquet \"geo\" metadata")
    );
    // GeoParquet metadata naming an encoding not read, or not JSON.
    let mut with_geometry = columns();
    with_geometry.push((
        "geometry",
        Arc::new(BinaryArray::from(vec![&[1u8, 2, 3][..]])),
    ));
    let geo = r#"{"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": {"encoding": "linestring"}}}"#;
    let file = table(with_geometry.clone(), &[("geo", geo), ("datum", "wgs84")]);
    assert!(error(file, &ReadOptions::new())
        .contains("encoding \"linestring\" of column \"geometry\" is not read"));
    let file = table(with_geometry.clone(), &[("geo", "{"), ("datum", "wgs84")]);
    assert!(error(file, &ReadOptions::new()).starts_with("GeoParquet metadata: not JSON"));
    // No datum anywhere; an unknown one.
    let file = table(
        vec![
            ("id", id()),
            ("kind", kind()),
            ("floor_area_m2", area()),
            ("lon", area()),
            ("lat", area()),
        ],
        &[],
    );
    assert!(matches!(
        read_carriers_parquet(file, &lon_lat()).unwrap_err().kind(),
        ErrorKind::MissingDatum {
            input: crate::error::InputKind::ParquetFile
        }
    ));
    let file = table(
        vec![
            ("id", id()),
            ("kind", kind()),
            ("floor_area_m2", area()),
            ("lon", area()),
            ("lat", area()),
        ],
        &[("datum", "itrf")],
    );
    assert!(error(file, &lon_lat()).contains("itrf"));

    // Bad WKB is a rejection of its row, not of the file.
    let geo = r#"{"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": {"encoding": "WKB"}}}"#;
    let file = table(with_geometry, &[("geo", geo), ("datum", "wgs84")]);
    let carriers = read_carriers_parquet(file, &ReadOptions::new()).unwrap();
    assert!(matches!(
        carriers.rejections()[0].reason,
        RejectReason::InvalidWkb { .. }
    ));

    // A truncated file, and bytes that are not Parquet.
    let whole = parquet_of(
        &Synthetic::new(100, 1).generate(Atlas::chongqing()),
        GeometryEncoding::Wkb,
    );
    for cut in [0, 4, 100, whole.len() / 2, whole.len() - 9] {
        let err = read_carriers_parquet(whole.slice(..cut), &ReadOptions::new()).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Parquet { .. }),
            "cut at {cut}: {err}"
        );
    }
    // Found by fuzzing: an embedded Arrow schema with a 28-bit integer
    // made arrow-ipc panic, and a corrupt page made the column decoder
    // panic (the read turns that panic into an error).
    let schema: &[u8] = include_bytes!("../../../tests/data/corrupt_arrow_schema.parquet");
    let page: &[u8] = include_bytes!("../../../tests/data/corrupt_page.parquet");
    let err = read_carriers_parquet(Bytes::from_static(page), &ReadOptions::new()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Parquet { .. }), "{err}");
    for (corrupt, options) in [
        (schema, ReadOptions::new()),
        (schema, lon_lat()),
        (page, lon_lat()),
    ] {
        match read_carriers_parquet(Bytes::from_static(corrupt), &options) {
            Ok(c) => assert_eq!(c.len() + c.rejections().len(), c.features_read()),
            Err(e) => assert!(
                matches!(
                    e.kind(),
                    ErrorKind::Parquet { .. } | ErrorKind::MissingColumn { .. }
                ),
                "{e}"
            ),
        }
    }
    let err = read_carriers_parquet(
        Bytes::from_static(b"{\"type\": \"FeatureCollection\"}"),
        &ReadOptions::new(),
    )
    .unwrap_err();
    assert!(
        err.to_string().starts_with("not a readable Parquet file"),
        "{err}"
    );
}

/// One random row: id, kind, floor area, enterprises, opened, and
/// longitude and latitude (both null or neither), each sometimes null
/// or invalid.
type RandomRow = (
    Option<i64>,
    Option<&'static str>,
    Option<f64>,
    Option<f64>,
    Option<&'static str>,
    Option<(f64, f64)>,
);

fn random_row() -> impl Strategy<Value = RandomRow> {
    (
        prop::option::weighted(0.9, -3i64..40),
        prop::option::weighted(
            0.9,
            prop::sample::select(vec!["incubator", "accelerator", "hatchery", ""]),
        ),
        prop::option::weighted(
            0.9,
            prop::sample::select(vec![1200.0, 0.5, -1.0, 0.0, 2e9, f64::NAN]),
        ),
        prop::option::weighted(0.7, prop::sample::select(vec![3.0, 2.5, -1.0, 5e9])),
        prop::option::weighted(
            0.7,
            prop::sample::select(vec!["2021", "2021-05-01", "2021-02-30", "May", "0999"]),
        ),
        prop::option::weighted(
            0.9,
            (
                prop::sample::select(vec![106.5, 29.5, 200.0, -0.0]),
                prop::sample::select(vec![29.5, 106.5, 95.0]),
            ),
        ),
    )
}

/// The property columns of random rows: id, kind, floor area,
/// enterprises, opened.
fn property_columns(rows: &[RandomRow]) -> Vec<(&'static str, ArrayRef)> {
    let text = |f: fn(&RandomRow) -> Option<&'static str>| {
        strings(&rows.iter().map(f).collect::<Vec<_>>())
    };
    let number = |f: fn(&RandomRow) -> Option<f64>| floats(&rows.iter().map(f).collect::<Vec<_>>());
    let ids: Vec<Option<i64>> = rows.iter().map(|r| r.0).collect();
    vec![
        ("id", Arc::new(Int64Array::from(ids))),
        ("kind", text(|r| r.1)),
        ("floor_area_m2", number(|r| r.2)),
        ("enterprises", number(|r| r.3)),
        ("opened", text(|r| r.4)),
    ]
}

/// A JSON value for a cell: null for a null cell.
fn json<T: serde::Serialize>(value: Option<T>) -> String {
    serde_json::to_string(&value).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Random rows, good and bad: the fast path and the lenient one
    /// together read each as the GeoJSON feature with the same values
    /// (null cells as absent properties), carrier or rejection.
    #[test]
    #[allow(clippy::type_complexity)]
    fn rows_read_as_the_same_features_whatever_their_values(
        rows in prop::collection::vec(random_row(), 1..40)
    ) {
        let mut columns = property_columns(&rows);
        let number = |f: fn(&RandomRow) -> Option<f64>| floats(&rows.iter().map(f).collect::<Vec<_>>());
        columns.push(("lon", number(|r| r.5.map(|c| c.0))));
        columns.push(("lat", number(|r| r.5.map(|c| c.1))));
        let file = table(columns, &[("datum", "gcj02")]);
        let options = lon_lat().expected_area(Atlas::chongqing().outline().clone());
        let from_parquet = read_carriers_parquet(file, &options).unwrap();
        let features: Vec<String> = rows
            .iter()
            .map(|r| {
                // NaN has no JSON form: the lenient path sees it as the
                // number it is, so the GeoJSON side writes it as a
                // value out of range with the same verdict.
                let area = r.2.map(|a| if a.is_nan() { -1.0 } else { a });
                let geometry = match r.5 {
                    None => "null".to_string(),
                    Some((x, y)) => format!(r#"{{"type": "Point", "coordinates": [{x:?}, {y:?}]}}"#),
                };
                let mut properties = vec![];
                let mut put = |k: &str, v: String| if v != "null" { properties.push(format!("{k:?}: {v}")) };
                put("id", json(r.0));
                put("kind", json(r.1));
                put("floor_area_m2", json(area));
                put("enterprises", json(r.3));
                put("opened", json(r.4));
                format!(r#"{{"type": "Feature", "properties": {{{}}}, "geometry": {geometry}}}"#, properties.join(", "))
            })
            .collect();
        let geojson = format!(
            r#"{{"type": "FeatureCollection", "datum": "gcj02", "features": [{}]}}"#,
            features.join(",")
        );
        let from_geojson = read_carriers(geojson.as_bytes(), &options).unwrap();
        let nan_rows: Vec<usize> = rows.iter().enumerate().filter(|(_, r)| r.2.is_some_and(f64::is_nan)).map(|(i, _)| i).collect();
        for (a, b) in from_parquet.rejections().iter().zip(from_geojson.rejections()) {
            prop_assert_eq!(a.index, b.index);
            prop_assert_eq!(&a.id, &b.id);
            if !nan_rows.contains(&a.index) {
                prop_assert_eq!(&a.reason, &b.reason);
            }
        }
        prop_assert_eq!(from_parquet.rejections().len(), from_geojson.rejections().len());
        prop_assert!(from_parquet.iter().eq(from_geojson.iter()));
    }

    /// Random points anywhere near the city (and some outside it) give
    /// the same districts and tallies from GeoJSON, from GeoParquet in
    /// both encodings and from plain Parquet.
    #[test]
    fn every_format_gives_the_same_districts_and_tallies(
        points in prop::collection::vec((105.0..110.5f64, 28.0..32.5f64, 1.0..5e4f64), 1..200)
    ) {
        let atlas = Atlas::chongqing();
        let features: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, (x, y, area))| format!(
                r#"{{"type": "Feature", "properties": {{"id": "p{i}", "kind": "incubator", "floor_area_m2": {area:?}}}, "geometry": {{"type": "Point", "coordinates": [{x:?}, {y:?}]}}}}"#
            ))
            .collect();
        let geojson = format!(
            r#"{{"type": "FeatureCollection", "datum": "gcj02", "features": [{}]}}"#,
            features.join(",")
        );
        let from_geojson = read_carriers(geojson.as_bytes(), &ReadOptions::new()).unwrap();
        let plain = table(
            vec![
                ("id", strings(&(0..points.len()).map(|i| format!("p{i}")).collect::<Vec<_>>().iter().map(|s| Some(s.as_str())).collect::<Vec<_>>())),
                ("kind", strings(&vec![Some("incubator"); points.len()])),
                ("floor_area_m2", floats(&points.iter().map(|p| Some(p.2)).collect::<Vec<_>>())),
                ("lon", floats(&points.iter().map(|p| Some(p.0)).collect::<Vec<_>>())),
                ("lat", floats(&points.iter().map(|p| Some(p.1)).collect::<Vec<_>>())),
            ],
            &[("datum", "gcj02")],
        );
        let reads = [
            read_carriers_parquet(parquet_of(&from_geojson, GeometryEncoding::Wkb), &ReadOptions::new()).unwrap(),
            read_carriers_parquet(parquet_of(&from_geojson, GeometryEncoding::Point), &ReadOptions::new()).unwrap(),
            read_carriers_parquet(plain, &lon_lat()).unwrap(),
        ];
        let expected = atlas.place(from_geojson.clone(), FootprintRule::default());
        for read in reads {
            prop_assert!(read == from_geojson);
            let placed = atlas.place(read, FootprintRule::default());
            prop_assert_eq!(placed.districts(), expected.districts());
            prop_assert_eq!(Tally::new(&placed), Tally::new(&expected));
        }
    }
}

/// A geometry cell of a random row, as WKB (or null, or bytes that are
/// not WKB).
#[derive(Debug, Clone)]
enum RandomGeometry {
    Null,
    Point(f64, f64),
    Square(f64, f64),
    Bowtie(f64, f64),
    Line(f64, f64),
    NotWkb,
}

impl RandomGeometry {
    fn wkb(&self) -> Option<Vec<u8>> {
        let mut out = vec![1u8];
        let put = |values: &[f64], out: &mut Vec<u8>| {
            values.iter().for_each(|v| out.extend(v.to_le_bytes()))
        };
        let ring = |x: f64, y: f64, bowtie: bool| -> Vec<f64> {
            let (a, b) = if bowtie { (0.01, 0.0) } else { (0.0, 0.01) };
            vec![
                x,
                y,
                x + 0.01,
                y + a,
                x + 0.01,
                y + 0.01,
                x + b,
                y + 0.01,
                x,
                y,
            ]
        };
        match *self {
            RandomGeometry::Null => return None,
            RandomGeometry::NotWkb => return Some(vec![7, 7, 7]),
            RandomGeometry::Point(x, y) => {
                out.extend(1u32.to_le_bytes());
                put(&[x, y], &mut out);
            }
            RandomGeometry::Line(x, y) => {
                out.extend(2u32.to_le_bytes());
                out.extend(2u32.to_le_bytes());
                put(&[x, y, x + 0.01, y], &mut out);
            }
            RandomGeometry::Square(x, y) | RandomGeometry::Bowtie(x, y) => {
                let bowtie = matches!(self, RandomGeometry::Bowtie(..));
                out.extend(3u32.to_le_bytes());
                out.extend(1u32.to_le_bytes());
                out.extend(5u32.to_le_bytes());
                put(&ring(x, y, bowtie), &mut out);
            }
        }
        Some(out)
    }
}

fn random_geometry() -> impl Strategy<Value = RandomGeometry> {
    let x = prop::sample::select(vec![106.5, 108.3, f64::NAN, 200.0, 29.5, 116.4]);
    let y = prop::sample::select(vec![29.5, 30.8, f64::NAN, 106.5, 39.9, -95.0]);
    (0..6usize, x, y).prop_map(|(kind, x, y)| match kind {
        0 => RandomGeometry::Null,
        1 => RandomGeometry::Square(x, y),
        2 => RandomGeometry::Bowtie(x, y),
        3 => RandomGeometry::Line(x, y),
        4 => RandomGeometry::NotWkb,
        _ => RandomGeometry::Point(x, y),
    })
}

/// Reads a file as the fast path would if it declined every row: each
/// row through the lenient path alone.
fn read_row_by_row(file: Bytes, options: &ReadOptions) -> crate::Carriers {
    use super::Checks;
    let table = super::Table::open(&super::Source::new(file.clone()), options).unwrap();
    let checks = Checks::new(options);
    let mut out = crate::Carriers::new(Datum::Wgs84);
    for batch in table.decoder(super::Source::new(file), None).unwrap() {
        let batch = batch.unwrap();
        for row in 0..batch.num_rows() {
            out.store(table.layout.check_row(&batch, row, &checks))
                .unwrap();
        }
    }
    super::finish(
        out,
        table.declared,
        options,
        crate::error::InputKind::ParquetFile,
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Random rows with null, NaN and out-of-range values and every
    /// kind of WKB geometry: the fast path with the lenient one behind
    /// it reads the same carriers and rejections, row for row, as the
    /// lenient path alone, in one row group or in many.
    #[test]
    fn the_fast_path_reads_what_the_row_path_reads(
        rows in prop::collection::vec((random_row(), random_geometry()), 1..60),
        groups in prop::option::of(1usize..8),
    ) {
        let properties: Vec<RandomRow> = rows.iter().map(|r| r.0).collect();
        let mut columns = property_columns(&properties);
        let wkb: Vec<Option<Vec<u8>>> = rows.iter().map(|r| r.1.wkb()).collect();
        let geometry = BinaryArray::from_iter(wkb.iter().map(|w| w.as_deref()));
        columns.push(("geometry", Arc::new(geometry)));
        let geo = r#"{"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": {"encoding": "WKB"}}}"#;
        let file = table_in_row_groups(columns, &[("geo", geo), ("datum", "gcj02")], groups);
        let options = ReadOptions::new().expected_area(Atlas::chongqing().outline().clone());
        let fast = read_carriers_parquet(file.clone(), &options).unwrap();
        let row_by_row = read_row_by_row(file, &options);
        // NaN found in a cell is not equal to itself: compare as text.
        let reasons = |c: &crate::Carriers| format!("{:?}", c.rejections());
        prop_assert_eq!(reasons(&fast), reasons(&row_by_row));
        prop_assert_eq!(fast.swapped(), row_by_row.swapped());
        prop_assert!(fast.iter().eq(row_by_row.iter()), "the carriers differ");
        prop_assert_eq!(fast.features_read(), rows.len());
    }
}
