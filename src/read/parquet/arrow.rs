//! Carriers from any Arrow record batch stream: a table in memory, a
//! DataFrame handed over by the Arrow C stream interface, a query's result.
//! Each batch is checked by the Parquet reader's batch path, so a row
//! becomes the same carrier, or the same rejection, as in a Parquet file.

use arrow_array::RecordBatchReader;
use arrow_schema::{Field, Schema};

use super::layout::{
    geometry_source, lon_lat_source, primary_column, properties, Encoding, GeometrySource, Layout,
};
use super::{arrow_error, decoder_failed, ID_BYTES};
use crate::carrier::{Carriers, Column};
use crate::datum::Datum;
use crate::error::{Error, ErrorKind, InputKind};
use crate::read::feature::Checks;
use crate::read::header::Header;
use crate::read::{finish, ReadOptions};

/// The names a longitude column goes by, and its latitude's, when no
/// geometry column and no `coordinate_columns` say where points are.
pub const LON_LAT_NAMES: [(&str, &str); 4] = [
    ("lon", "lat"),
    ("lng", "lat"),
    ("longitude", "latitude"),
    ("经度", "纬度"),
];

/// Reads carriers from an Arrow record batch stream, checking each row as
/// [`read_carriers_parquet`](super::super::read_carriers_parquet) checks a
/// Parquet row: rows are numbered from 0 across the batches, and a
/// rejection names its row.
///
/// The columns are the GeoJSON properties (`id`, `kind`, `floor_area_m2`,
/// ...), or a header that [`ReadOptions::headers`] or the registers' usual
/// headers ([`Column::named`]: `名称`, `载体类型`) give one of them; a
/// header with a unit in brackets (`面积（万平方米）`) must be converted
/// first. Text may be dictionary-encoded (categoricals), dates may be
/// timestamps. The geometry is found in this order:
///
/// 1. the columns [`ReadOptions::coordinate_columns`] names;
/// 2. the primary column of GeoParquet metadata under the schema's `geo` key;
/// 3. a field whose GeoArrow extension (`ARROW:extension:name`) is
///    `geoarrow.wkb` (WKB) or `geoarrow.point` (separated or interleaved);
/// 4. numeric columns `lon` and `lat` (or `lng`, `longitude` and
///    `latitude`, `经度` and `纬度`).
///
/// The datum is [`ReadOptions::datum`], or the one the schema's metadata
/// declares under a `datum` key (as [`write_placed_parquet`] writes it);
/// they must agree when both are given.
///
/// [`write_placed_parquet`]: crate::write::write_placed_parquet
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, Float64Array, RecordBatch, RecordBatchIterator, StringArray};
/// use carrier_quota::read::read_carriers_arrow;
/// use carrier_quota::{Datum, ReadOptions};
///
/// let columns: Vec<(&str, ArrayRef)> = vec![
///     ("id", Arc::new(StringArray::from(vec!["c-1", "c-2"]))),
///     ("kind", Arc::new(StringArray::from(vec!["incubator", "no such kind"]))),
///     ("floor_area_m2", Arc::new(Float64Array::from(vec![5000.0, 800.0]))),
///     ("lon", Arc::new(Float64Array::from(vec![106.5775, 106.55]))),
///     ("lat", Arc::new(Float64Array::from(vec![29.5575, 29.56]))),
/// ];
/// let batch = RecordBatch::try_from_iter(columns).unwrap();
/// let stream = RecordBatchIterator::new([Ok(batch.clone())], batch.schema());
/// let carriers = read_carriers_arrow(stream, &ReadOptions::new().datum(Datum::Gcj02))?;
/// assert_eq!(carriers.len(), 1);
/// assert_eq!(carriers.rejections()[0].index, 1);
/// # Ok::<(), carrier_quota::Error>(())
/// ```
///
/// # Errors
///
/// A missing `id`, `kind` or `floor_area_m2` column, a column of a type
/// no value of which could be valid, no geometry, a datum neither given nor
/// declared (or two that differ), more rows than [`ReadOptions::limits`]
/// allow, and a batch the stream fails to give.
pub fn read_carriers_arrow(
    reader: impl RecordBatchReader,
    options: &ReadOptions,
) -> Result<Carriers, Error> {
    let schema = reader.schema();
    let layout = layout(&schema, options)?;
    let declared = schema
        .metadata()
        .get("datum")
        .map(|name| {
            name.parse::<Datum>()
                .map_err(|e| Error::from(ErrorKind::UnknownDatum(e)))
        })
        .transpose()?;
    let checks = Checks::new(options);
    let mut out = Carriers::new(Datum::Wgs84);
    for batch in reader {
        let batch = batch.map_err(arrow_error)?;
        let first = out.features_read();
        if first == 0 {
            // Sized for the first batch, often the whole table (a
            // DataFrame's): growing by doubling would copy the columns.
            let rows = batch.num_rows().min(options.limits.max_features);
            out = Carriers::with_capacity(Datum::Wgs84, rows, ID_BYTES * rows);
        }
        if first + batch.num_rows() > options.limits.max_features {
            return Err(ErrorKind::TooManyFeatures {
                limit: options.limits.max_features,
            }
            .into());
        }
        // The decoder's guard: arrow can panic on a malformed array.
        let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            layout.check_batch(&batch, &checks, first, &mut out)
        }));
        checked.unwrap_or_else(|panic| Err(decoder_failed(&panic)))?;
    }
    finish(out, declared, options, InputKind::ArrowStream)
}

/// The columns of an Arrow stream's schema: the properties, by name or
/// header, and the geometry, found in the order [`read_carriers_arrow`]
/// gives.
fn layout(schema: &Schema, options: &ReadOptions) -> Result<Layout, Error> {
    let columns = (schema.fields().iter())
        .map(|field| column_of(field.name(), options))
        .collect::<Result<Vec<_>, Error>>()?;
    let properties = properties(schema, |name| {
        // A property's own name first, then a header that gives it.
        (schema.index_of(name).ok())
            .filter(|&i| columns[i].is_some_and(|c| c.as_str() == name))
            .or_else(|| {
                columns
                    .iter()
                    .position(|c| c.is_some_and(|c| c.as_str() == name))
            })
    })?;
    let geometry = geometry(schema, options, &columns)?;
    Ok(Layout {
        properties,
        geometry,
    })
}

/// The property a column's header gives: its own name, the caller's map,
/// or the registers' usual headers. Figures in a unit other than the
/// property's own are refused: an Arrow column is read as it is.
fn column_of(header: &str, options: &ReadOptions) -> Result<Option<Column>, Error> {
    if options.ignored.iter().any(|h| h == header) {
        return Ok(None);
    }
    if let Some(column) = Column::of_property(header) {
        return Ok(Some(column));
    }
    match Header::checked(header, options) {
        None => Ok(None),
        Some(Ok(Header {
            unit: Some((unit, scale)),
            column,
        })) if scale > 0 => Err(ErrorKind::ScaledColumn {
            column: header.to_string(),
            property: column.as_str(),
            unit,
        }
        .into()),
        Some(Ok(found)) => Ok(Some(found.column)),
        Some(Err(unknown)) => Err(ErrorKind::UnknownUnit {
            column: unknown.header,
            property: unknown.column.as_str(),
            unit: unknown.unit,
        }
        .into()),
    }
}

/// Where an Arrow stream's rows keep their geometry.
fn geometry(
    schema: &Schema,
    options: &ReadOptions,
    columns: &[Option<Column>],
) -> Result<GeometrySource, Error> {
    if let Some((lon, lat)) = &options.coordinate_columns {
        return lon_lat_source(schema, lon, lat);
    }
    if let Some(geo) = schema.metadata().get("geo") {
        let (name, encoding) = primary_column(geo)?;
        let i = super::layout::index_of(schema, &name)?;
        return geometry_source(schema, i, encoding);
    }
    let extension = |field: &Field| match field.extension_type_name() {
        Some("geoarrow.wkb") => Some(Encoding::Wkb),
        Some("geoarrow.point") => Some(Encoding::Point),
        _ => None,
    };
    if let Some((i, encoding)) = (schema.fields().iter().enumerate())
        .find_map(|(i, f)| extension(f).map(|encoding| (i, encoding)))
    {
        return geometry_source(schema, i, encoding);
    }
    let named = |column: Column| {
        let i = columns.iter().position(|c| *c == Some(column))?;
        Some(schema.field(i).name().clone())
    };
    let by_name = LON_LAT_NAMES.iter().find_map(|(lon, lat)| {
        let has = |name: &str| schema.fields().iter().any(|f| f.name() == name);
        (has(lon) && has(lat)).then(|| (lon.to_string(), lat.to_string()))
    });
    match by_name.or_else(|| named(Column::Lon).zip(named(Column::Lat))) {
        Some((lon, lat)) => lon_lat_source(schema, &lon, &lat),
        None => Err(ErrorKind::NoGeometry {
            columns: super::layout::column_list(schema),
        }
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use arrow_array::builder::{FixedSizeListBuilder, Float64Builder};
    use arrow_array::types::Int8Type;
    use arrow_array::{
        Array, ArrayRef, BinaryArray, DictionaryArray, Float64Array, RecordBatch,
        RecordBatchIterator, StringArray, TimestampNanosecondArray,
    };
    use arrow_schema::{ArrowError, DataType, Field, Schema};

    use super::read_carriers_arrow;
    use crate::place::FootprintRule;
    use crate::synthetic::Synthetic;
    use crate::write::{placed_batches, RowPlaces};
    use crate::{Atlas, Datum, ErrorKind, ReadOptions};

    fn stream(batches: Vec<RecordBatch>) -> impl arrow_array::RecordBatchReader {
        let schema = batches[0].schema();
        let batches: Vec<Result<RecordBatch, ArrowError>> = batches.into_iter().map(Ok).collect();
        RecordBatchIterator::new(batches, schema)
    }

    fn batch(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
        RecordBatch::try_from_iter(columns).unwrap()
    }

    fn texts(values: &[&str]) -> ArrayRef {
        Arc::new(StringArray::from(values.to_vec()))
    }

    fn numbers(values: &[f64]) -> ArrayRef {
        Arc::new(Float64Array::from(values.to_vec()))
    }

    fn gcj02() -> ReadOptions {
        ReadOptions::new().datum(Datum::Gcj02)
    }

    #[test]
    fn placed_batches_read_back_as_the_same_carriers_in_the_same_districts() {
        let atlas = Atlas::chongqing();
        let carriers = Synthetic::new(2_000, 11).footprints(0.2).generate(atlas);
        let placed = atlas.place(carriers, FootprintRule::SurfacePoint);
        let batches = placed_batches(&placed).unwrap();
        // The schema says its datum: no option needed.
        let again = read_carriers_arrow(stream(batches), &ReadOptions::new()).unwrap();
        assert_eq!(again.len(), placed.carriers().len());
        assert!(again.rejections().is_empty());
        let replaced = atlas.place(again, FootprintRule::SurfacePoint);
        for (position, (carrier, place)) in replaced.iter().enumerate() {
            assert_eq!(carrier.id(), placed.carriers().get(position).id());
            assert_eq!(place.district, placed.place(position).district);
        }
    }

    #[test]
    fn rows_are_numbered_across_batches_and_rejections_name_theirs() {
        let first = batch(vec![
            ("id", texts(&["a", "b"])),
            ("kind", texts(&["incubator", "incubator"])),
            ("floor_area_m2", numbers(&[1000.0, 2000.0])),
            ("lon", numbers(&[106.55, 106.56])),
            ("lat", numbers(&[29.56, 29.57])),
        ]);
        let second = batch(vec![
            ("id", texts(&["c", "d"])),
            ("kind", texts(&["incubator", "greenhouse"])),
            ("floor_area_m2", numbers(&[1000.0, 2000.0])),
            ("lon", numbers(&[106.55, 106.56])),
            ("lat", numbers(&[29.56, 29.57])),
        ]);
        let carriers = read_carriers_arrow(stream(vec![first, second]), &gcj02()).unwrap();
        assert_eq!(carriers.len(), 3);
        assert_eq!(carriers.features_read(), 4);
        let rejected = &carriers.rejections()[0];
        assert_eq!((rejected.index, rejected.id.as_deref()), (3, Some("d")));
        assert!(rejected.to_string().contains("greenhouse"), "{rejected}");
    }

    #[test]
    fn geoarrow_wkb_categoricals_timestamps_and_register_headers_are_read() {
        let atlas = Atlas::chongqing();
        let carriers = Synthetic::new(3, 12).generate(atlas);
        let wkb: Vec<Vec<u8>> = (carriers.iter())
            .map(|c| {
                let mut bytes = Vec::new();
                let point = geo::Geometry::Point(c.anchor().unwrap());
                wkb::writer::write_geometry(&mut bytes, &point, &Default::default()).unwrap();
                bytes
            })
            .collect();
        let geometry = BinaryArray::from_iter_values(wkb.iter().map(Vec::as_slice));
        let kinds: DictionaryArray<Int8Type> = vec!["incubator", "accelerator", "incubator"]
            .into_iter()
            .collect();
        // 2024-03-01 at noon, as pandas writes a datetime64[ns].
        let noon = 1_709_294_400_000_000_000_i64;
        let opened = TimestampNanosecondArray::from(vec![Some(noon), None, Some(noon)]);
        let extension = HashMap::from([(
            "ARROW:extension:name".to_string(),
            "geoarrow.wkb".to_string(),
        )]);
        let columns: Vec<ArrayRef> = vec![
            texts(&["x-1", "x-2", "x-3"]),
            Arc::new(kinds),
            numbers(&[1000.0, 2000.0, 3000.0]),
            Arc::new(opened),
            Arc::new(geometry),
        ];
        let fields: Vec<Field> = ["载体编号", "载体类型", "floor_area_m2", "opened", "geom"]
            .iter()
            .zip(&columns)
            .map(|(name, a)| Field::new(*name, a.data_type().clone(), true))
            .collect();
        let mut fields = fields;
        fields[4] = fields[4].clone().with_metadata(extension);
        let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap();
        let options = gcj02().header("载体编号", crate::read::Column::Id);
        let read = read_carriers_arrow(stream(vec![batch]), &options).unwrap();
        assert!(read.rejections().is_empty(), "{:?}", read.rejections());
        assert_eq!(read.get(1).id(), "x-2");
        assert_eq!(read.get(1).kind(), crate::Kind::Accelerator);
        assert_eq!(read.get(0).opened().unwrap().to_string(), "2024-03-01");
        assert_eq!(read.get(2).anchor(), carriers.get(2).anchor());
    }

    #[test]
    fn interleaved_geoarrow_points_are_read() {
        let mut points = FixedSizeListBuilder::new(Float64Builder::new(), 2);
        points.values().append_slice(&[106.55, 29.56]);
        points.append(true);
        let points = points.finish();
        let extension = HashMap::from([(
            "ARROW:extension:name".to_string(),
            "geoarrow.point".to_string(),
        )]);
        let field =
            Field::new("geometry", points.data_type().clone(), true).with_metadata(extension);
        let schema = Schema::new(vec![
            Field::new("id", DataType::Utf8, false),
            Field::new("kind", DataType::Utf8, false),
            Field::new("floor_area_m2", DataType::Float64, false),
            field,
        ]);
        let columns: Vec<ArrayRef> = vec![
            texts(&["p"]),
            texts(&["incubator"]),
            numbers(&[10.0]),
            Arc::new(points),
        ];
        let batch = RecordBatch::try_new(Arc::new(schema), columns).unwrap();
        let read = read_carriers_arrow(stream(vec![batch]), &gcj02()).unwrap();
        assert_eq!(read.get(0).anchor().unwrap().x(), 106.55);
    }

    #[test]
    fn a_table_the_reader_cannot_use_is_one_clear_error() {
        let error = |columns: Vec<(&str, ArrayRef)>, options: &ReadOptions| {
            read_carriers_arrow(stream(vec![batch(columns)]), options).unwrap_err()
        };
        let missing = error(vec![("kind", texts(&["incubator"]))], &gcj02());
        assert!(
            matches!(missing.kind(), ErrorKind::MissingColumn { column, .. } if column == "id")
        );
        let base = || {
            vec![
                ("id", texts(&["a"])),
                ("kind", texts(&["incubator"])),
                ("floor_area_m2", numbers(&[1.0])),
            ]
        };
        let none = error(base(), &gcj02());
        assert!(
            matches!(none.kind(), ErrorKind::NoGeometry { .. }),
            "{none}"
        );
        let mut scaled = base();
        scaled[2].0 = "面积（万平方米）";
        let scaled = error(scaled, &gcj02());
        assert!(
            matches!(scaled.kind(), ErrorKind::ScaledColumn { .. }),
            "{scaled}"
        );
        let mut no_datum = base();
        no_datum.extend([("lon", numbers(&[106.5])), ("lat", numbers(&[29.5]))]);
        let no_datum = error(no_datum, &ReadOptions::new());
        assert!(
            matches!(no_datum.kind(), ErrorKind::MissingDatum { .. }),
            "{no_datum}"
        );
        let mut wrong = base();
        wrong[2].1 = texts(&["many"]);
        wrong.extend([("lon", numbers(&[106.5])), ("lat", numbers(&[29.5]))]);
        let wrong = error(wrong, &gcj02());
        assert!(
            matches!(wrong.kind(), ErrorKind::WrongColumnType { .. }),
            "{wrong}"
        );
    }

    #[test]
    fn placed_columns_line_up_with_the_input_rows_and_share_its_buffers() {
        let input = batch(vec![
            ("id", texts(&["a", "b", "c"])),
            ("kind", texts(&["incubator", "nonsense", "incubator"])),
            ("floor_area_m2", numbers(&[1000.0, 2000.0, 3000.0])),
            ("lon", numbers(&[106.5775, 106.56, 108.4])),
            ("lat", numbers(&[29.5575, 29.57, 30.8])),
        ]);
        let carriers = read_carriers_arrow(stream(vec![input.clone()]), &gcj02()).unwrap();
        let atlas = Atlas::chongqing();
        let placed = atlas.place(carriers, FootprintRule::SurfacePoint);
        let rows = RowPlaces::new(&placed);
        let out = rows.append_to(&input, 0).unwrap();
        assert_eq!(out.num_columns(), input.num_columns() + 3);
        for i in 0..input.num_columns() {
            assert!(Arc::ptr_eq(out.column(i), input.column(i)));
        }
        let district = out.column_by_name("placed_district").unwrap();
        let district = district.as_any().downcast_ref::<StringArray>().unwrap();
        let expected = |i: usize| {
            let at = geo::Coord {
                x: input_lon(&input, i),
                y: input_lat(&input, i),
            };
            let at = Datum::Gcj02.convert(at, atlas.datum());
            atlas
                .locate(at.into())
                .map(|d| atlas.district(d).code.to_string())
        };
        assert_eq!(district.value(0), expected(0).unwrap());
        assert!(district.is_null(1), "a rejected row counts nowhere");
        assert_eq!(district.value(2), expected(2).unwrap());
        let by = out.column_by_name("placed_by").unwrap();
        assert_eq!(by.null_count(), 1);
        assert!(
            rows.append_to(&out, 0).is_err(),
            "the columns are there already"
        );
    }

    fn input_lon(batch: &RecordBatch, row: usize) -> f64 {
        let lon = batch.column_by_name("lon").unwrap();
        lon.as_any()
            .downcast_ref::<Float64Array>()
            .unwrap()
            .value(row)
    }

    fn input_lat(batch: &RecordBatch, row: usize) -> f64 {
        let lat = batch.column_by_name("lat").unwrap();
        lat.as_any()
            .downcast_ref::<Float64Array>()
            .unwrap()
            .value(row)
    }
}
