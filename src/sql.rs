//! The atlas as DataFusion SQL functions (feature `datafusion`).
//!
//! [`register_carrier_functions`] adds two scalar functions to a
//! [`SessionContext`], backed by an atlas's prepared grid:
//!
//! | call | answer |
//! | --- | --- |
//! | `carrier_district(lon, lat)` | the district's region code |
//! | `carrier_district(lon, lat, datum)` | the same, for coordinates in `datum` |
//! | `carrier_district(geometry)` | the same, for a WKB point or footprint |
//! | `carrier_district(geometry, datum)` | the same, in `datum` |
//! | `carrier_zone(...)` | the code of the district's zone, same arguments |
//!
//! Both return `NULL` for a carrier outside every district (and
//! `carrier_zone` for a district in no zone), and when an argument is
//! `NULL`. Without a datum, coordinates are taken to be in the atlas's
//! datum (GCJ-02 for Chongqing); `datum` is `'wgs84'`, `'gcj02'` or
//! `'bd09'`. A footprint counts in the district of its surface point, as
//! [`FootprintRule::SurfacePoint`](crate::place::FootprintRule::SurfacePoint) places
//! it. Each answer is the one [`Atlas::place`] gives the same carrier.
//!
//! A geometry or coordinate the carrier reader would reject (a coordinate
//! out of range, invalid WKB, a line, an invalid footprint) fails the query
//! with the reason, rather than being counted as outside.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> datafusion::error::Result<()> {
//! use std::sync::Arc;
//! use carrier_quota::{sql, Atlas};
//! use datafusion::prelude::SessionContext;
//!
//! let ctx = SessionContext::new();
//! sql::register_carrier_functions(&ctx, Arc::new(Atlas::chongqing().clone()));
//! let batches = ctx
//!     .sql("SELECT carrier_district(106.5718, 29.5600, 'wgs84') AS d, carrier_zone(106.5718, 29.5600, 'wgs84') AS z")
//!     .await?
//!     .collect()
//!     .await?;
//! let text = datafusion::arrow::util::pretty::pretty_format_batches(&batches)?.to_string();
//! assert!(text.contains("500103") && text.contains("main_urban"));
//! # Ok(())
//! # }
//! ```

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, Float64Array};
use arrow_schema::DataType;
use datafusion::common::{exec_datafusion_err, plan_err, Result};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use datafusion::prelude::SessionContext;

use crate::atlas::{Atlas, DistrictId};
use crate::datum::Datum;
use crate::read::{binary, point_anchor, wkb_anchor, Checks, ReadOptions};

/// The SQL functions for `atlas`: `carrier_district` and `carrier_zone`.
/// Register them wherever plans that call them are made or run (a
/// session, or a distributed engine's scheduler and executors).
pub fn carrier_functions(atlas: Arc<Atlas>) -> [ScalarUDF; 2] {
    [Answer::District, Answer::Zone].map(|answer| {
        ScalarUDF::new_from_impl(CarrierFunction {
            answer,
            atlas: atlas.clone(),
            signature: Signature::user_defined(Volatility::Immutable),
        })
    })
}

/// Registers [`carrier_functions`] on `ctx`, replacing functions of the
/// same names.
pub fn register_carrier_functions(ctx: &SessionContext, atlas: Arc<Atlas>) {
    for function in carrier_functions(atlas) {
        ctx.register_udf(function);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Answer {
    District,
    Zone,
}

#[derive(Debug)]
struct CarrierFunction {
    answer: Answer,
    atlas: Arc<Atlas>,
    signature: Signature,
}

// Two functions are the same when they answer the same question from the
// same atlas (compared by address: an atlas has no cheap identity).
impl PartialEq for CarrierFunction {
    fn eq(&self, other: &Self) -> bool {
        self.answer == other.answer && Arc::ptr_eq(&self.atlas, &other.atlas)
    }
}

impl Eq for CarrierFunction {}

impl Hash for CarrierFunction {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.answer.hash(state);
        Arc::as_ptr(&self.atlas).hash(state);
    }
}

/// How a call gives its carriers.
enum Input<'a> {
    LonLat(&'a Float64Array, &'a Float64Array),
    Wkb(&'a ArrayRef),
}

impl ScalarUDFImpl for CarrierFunction {
    fn name(&self) -> &str {
        match self.answer {
            Answer::District => "carrier_district",
            Answer::Zone => "carrier_zone",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    /// `(number, number[, string])` or `(binary[, string])`; numbers are
    /// read as `Float64`, datums as `Utf8`.
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let text = |t: &DataType| {
            matches!(
                t,
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null
            )
        };
        let binary = |t: &DataType| {
            matches!(
                t,
                DataType::Binary | DataType::LargeBinary | DataType::BinaryView
            )
        };
        let number = |t: &DataType| t.is_numeric() || *t == DataType::Null;
        match arg_types {
            [g] if binary(g) => Ok(vec![g.clone()]),
            [g, d] if binary(g) && text(d) => Ok(vec![g.clone(), DataType::Utf8]),
            [x, y] if number(x) && number(y) => Ok(vec![DataType::Float64; 2]),
            [x, y, d] if number(x) && number(y) && text(d) => {
                Ok(vec![DataType::Float64, DataType::Float64, DataType::Utf8])
            }
            _ => {
                let found: Vec<String> = arg_types.iter().map(|t| t.to_string()).collect();
                plan_err!(
                    "{} takes (lon, lat), (lon, lat, datum), (geometry) or (geometry, datum), \
                     with numbers, a WKB binary and a datum name; found ({})",
                    self.name(),
                    found.join(", ")
                )
            }
        }
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let (input, datums) = match arrays.as_slice() {
            [g] => (Input::Wkb(g), None),
            [g, d] if d.data_type() == &DataType::Utf8 => (Input::Wkb(g), Some(d)),
            [x, y] => (Input::LonLat(x.as_primitive(), y.as_primitive()), None),
            [x, y, d] => (Input::LonLat(x.as_primitive(), y.as_primitive()), Some(d)),
            _ => unreachable!("the arguments were coerced"),
        };
        let datums = datums.map(|d| d.as_string::<i32>());

        // Each row's anchor in the atlas's datum, or why it has none.
        let options = ReadOptions::new();
        let checks = Checks::new(&options);
        let mut rows_with_anchor = Vec::with_capacity(rows);
        let mut anchors = Vec::with_capacity(rows);
        let mut datum = DatumCache::default();
        for row in 0..rows {
            let anchor = match &input {
                Input::LonLat(x, y) => {
                    if x.is_null(row) || y.is_null(row) {
                        continue;
                    }
                    point_anchor(x.value(row), y.value(row))
                }
                Input::Wkb(g) => {
                    if g.is_null(row) {
                        continue;
                    }
                    wkb_anchor(binary(g, row), &checks)
                }
            };
            let from = match datums {
                Some(d) if d.is_null(row) => continue,
                Some(d) => datum.parse(d.value(row))?,
                None => self.atlas.datum(),
            };
            let anchor =
                anchor.map_err(|reason| exec_datafusion_err!("{}: {reason}", self.name()))?;
            rows_with_anchor.push(row);
            anchors.push(from.convert(anchor, self.atlas.datum()));
        }

        let mut districts = vec![None; anchors.len()];
        self.atlas.locate_into(&anchors, &mut districts);
        let mut out = StringBuilder::with_capacity(rows, rows * 6);
        let mut next = rows_with_anchor.iter().zip(&districts).peekable();
        for row in 0..rows {
            let code = match next.next_if(|(r, _)| **r == row) {
                Some((_, district)) => district.and_then(|d| self.code(d)),
                None => None,
            };
            out.append_option(code);
        }
        Ok(ColumnarValue::Array(Arc::new(out.finish())))
    }
}

impl CarrierFunction {
    /// The answer for a carrier in `district`.
    fn code(&self, district: DistrictId) -> Option<&str> {
        let district = self.atlas.district(district);
        match self.answer {
            Answer::District => Some(district.code.as_str()),
            Answer::Zone => district.zone.map(|z| self.atlas.zone(z).code.as_str()),
        }
    }
}

/// Parses a column of datum names, which is nearly always one literal
/// repeated, once per distinct run.
#[derive(Default)]
struct DatumCache {
    last: Option<(String, Datum)>,
}

impl DatumCache {
    fn parse(&mut self, name: &str) -> Result<Datum> {
        if let Some((text, datum)) = &self.last {
            if text == name {
                return Ok(*datum);
            }
        }
        let datum: Datum = name.parse().map_err(|e| exec_datafusion_err!("{e}"))?;
        self.last = Some((name.to_string(), datum));
        Ok(datum)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, Int64Type};
    use arrow_array::{Array, RecordBatch};
    use bytes::Bytes;
    use datafusion::prelude::SessionContext;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use proptest::prelude::*;

    use super::register_carrier_functions;
    use crate::place::FootprintRule;
    use crate::read::read_carriers;
    use crate::synthetic::Synthetic;
    use crate::write::{write_carriers_parquet, GeometryEncoding};
    use crate::{Atlas, Carriers, ReadOptions, Tally};

    /// A session with the functions for Chongqing and these tables.
    fn session(tables: &[(&str, Vec<RecordBatch>)]) -> SessionContext {
        let ctx = SessionContext::new();
        register_carrier_functions(&ctx, Arc::new(Atlas::chongqing().clone()));
        for (name, batches) in tables {
            let schema = batches[0].schema();
            let table =
                datafusion::datasource::MemTable::try_new(schema, vec![batches.clone()]).unwrap();
            ctx.register_table(*name, Arc::new(table)).unwrap();
        }
        ctx
    }

    fn run(ctx: &SessionContext, sql: &str) -> datafusion::error::Result<Vec<RecordBatch>> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(async { ctx.sql(sql).await?.collect().await })
    }

    /// The text cells of column `i`, all batches in order.
    fn texts(batches: &[RecordBatch], i: usize) -> Vec<Option<String>> {
        batches
            .iter()
            .flat_map(|b| {
                let column = b.column(i).as_string::<i32>().clone();
                (0..column.len())
                    .map(move |r| column.is_valid(r).then(|| column.value(r).to_string()))
            })
            .collect()
    }

    fn numbers<T: arrow_array::ArrowPrimitiveType>(
        batches: &[RecordBatch],
        i: usize,
    ) -> Vec<T::Native> {
        batches
            .iter()
            .flat_map(|b| b.column(i).as_primitive::<T>().values().to_vec())
            .collect()
    }

    /// The record batches of the GeoParquet file of `carriers`.
    fn batches(carriers: &Carriers, encoding: GeometryEncoding) -> Vec<RecordBatch> {
        let mut file = Vec::new();
        write_carriers_parquet(&mut file, carriers, encoding).unwrap();
        ParquetRecordBatchReaderBuilder::try_new(Bytes::from(file))
            .unwrap()
            .build()
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// Each carrier's district and zone code, by id, as `place` gives them.
    fn placed_codes(carriers: &Carriers) -> HashMap<String, (Option<String>, Option<String>)> {
        let atlas = Atlas::chongqing();
        let placed = atlas.place(carriers.clone(), FootprintRule::SurfacePoint);
        carriers
            .iter()
            .zip(placed.districts())
            .map(|(c, d)| {
                let district = d.map(|d| atlas.district(d));
                let zone = district
                    .and_then(|d| d.zone)
                    .map(|z| atlas.zone(z).code.clone());
                (
                    c.id().to_string(),
                    (district.map(|d| d.code.as_str().to_string()), zone),
                )
            })
            .collect()
    }

    /// Checks that the query's rows of (id, district, zone) are the ones
    /// `place` gives.
    fn assert_placed_alike(
        ctx: &SessionContext,
        sql: &str,
        carriers: &Carriers,
    ) -> Result<(), TestCaseError> {
        let result = run(ctx, sql).unwrap();
        let expected = placed_codes(carriers);
        let ids = texts(&result, 0);
        let (districts, zones) = (texts(&result, 1), texts(&result, 2));
        prop_assert_eq!(ids.len(), expected.len());
        for ((id, district), zone) in ids.iter().zip(districts).zip(zones) {
            let id = id.as_ref().unwrap();
            prop_assert_eq!(&expected[id], &(district, zone), "carrier {}: {}", id, sql);
        }
        Ok(())
    }

    /// Checks that floor area and carriers grouped by the district function
    /// are the tally's. Floor areas must be whole m², so that SQL's
    /// floating-point sum is exact.
    fn assert_tally_alike(
        ctx: &SessionContext,
        call: &str,
        table: &str,
        carriers: &Carriers,
    ) -> Result<(), TestCaseError> {
        let atlas = Atlas::chongqing();
        let tally = Tally::new(&atlas.place(carriers.clone(), FootprintRule::SurfacePoint));
        let sql = format!(
            "SELECT {call} AS district, sum(floor_area_m2), count(*) FROM {table} GROUP BY district"
        );
        let result = run(ctx, &sql).unwrap();
        let (codes, areas, counts) = (
            texts(&result, 0),
            numbers::<Float64Type>(&result, 1),
            numbers::<Int64Type>(&result, 2),
        );
        let mut seen = 0;
        for ((code, area), count) in codes.iter().zip(areas).zip(counts) {
            let totals = match code {
                Some(code) => &tally.district(atlas.find_district(code).unwrap()).all,
                None => &tally.outside().all,
            };
            prop_assert_eq!(area, totals.floor_area_m2(), "floor area of {:?}", code);
            prop_assert_eq!(count as u64, totals.carriers, "carriers of {:?}", code);
            seen += count as u64;
        }
        prop_assert_eq!(seen, carriers.len() as u64);
        Ok(())
    }

    #[test]
    fn footprints_and_points_from_geoparquet_count_where_place_puts_them() {
        let atlas = Atlas::chongqing();
        let carriers = Synthetic::new(3_000, 11).footprints(0.3).generate(atlas);
        let ctx = session(&[("carriers", batches(&carriers, GeometryEncoding::Wkb))]);
        assert_placed_alike(
            &ctx,
            "SELECT id, carrier_district(geometry), carrier_zone(geometry) FROM carriers",
            &carriers,
        )
        .unwrap();
        assert_tally_alike(
            &ctx,
            "carrier_district(geometry, 'gcj02')",
            "carriers",
            &carriers,
        )
        .unwrap();

        let points = Synthetic::new(3_000, 12).generate(atlas);
        let ctx = session(&[("points", batches(&points, GeometryEncoding::Point))]);
        let sql = "SELECT id, carrier_district(get_field(geometry, 'x'), get_field(geometry, 'y')), carrier_zone(get_field(geometry, 'x'), get_field(geometry, 'y')) FROM points";
        assert_placed_alike(&ctx, sql, &points).unwrap();
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Random points in each datum, near the city and outside it, get
        /// the district and zone `place` gives them from longitude and
        /// latitude and from WKB, and grouping by district gives the tally.
        #[test]
        fn every_call_gives_the_district_place_gives(
            datum in prop::sample::select(vec!["wgs84", "gcj02", "bd09"]),
            points in prop::collection::vec((105.0..110.5f64, 28.0..32.5f64, 1..50_000u32), 1..150)
        ) {
            let features: Vec<String> = points
                .iter()
                .enumerate()
                .map(|(i, (x, y, area))| format!(
                    r#"{{"type": "Feature", "properties": {{"id": "p{i}", "kind": "incubator", "floor_area_m2": {area}}}, "geometry": {{"type": "Point", "coordinates": [{x:?}, {y:?}]}}}}"#
                ))
                .collect();
            let geojson = format!(
                r#"{{"type": "FeatureCollection", "datum": "{datum}", "features": [{}]}}"#,
                features.join(",")
            );
            let carriers = read_carriers(geojson.as_bytes(), &ReadOptions::new()).unwrap();
            let ctx = session(&[("carriers", batches(&carriers, GeometryEncoding::Wkb)), ("points", batches(&carriers, GeometryEncoding::Point))]);
            let lon_lat = format!("get_field(geometry, 'x'), get_field(geometry, 'y'), '{datum}'");
            assert_placed_alike(&ctx, &format!("SELECT id, carrier_district({lon_lat}), carrier_zone({lon_lat}) FROM points"), &carriers)?;
            let wkb = format!("geometry, '{datum}'");
            assert_placed_alike(&ctx, &format!("SELECT id, carrier_district({wkb}), carrier_zone({wkb}) FROM carriers"), &carriers)?;
            assert_tally_alike(&ctx, &format!("carrier_district({wkb})"), "carriers", &carriers)?;
        }
    }

    #[test]
    fn nulls_and_points_outside_give_null() {
        let ctx = session(&[]);
        let result = run(
            &ctx,
            "SELECT carrier_district(NULL, 29.5), carrier_district(106.5, 29.5, NULL), \
             carrier_district(0.0, 0.0), carrier_zone(0.0, 0.0), carrier_district(CAST(NULL AS BYTEA))",
        )
        .unwrap();
        for i in 0..5 {
            assert_eq!(texts(&result, i), [None], "column {i}");
        }
        let result = run(
            &ctx,
            "SELECT carrier_district(106, 29), carrier_zone(106.5::float, 29.5::float)",
        )
        .unwrap();
        assert!(
            texts(&result, 0)[0].is_some() && texts(&result, 1)[0].is_some(),
            "whole and 32-bit numbers are read as coordinates"
        );
    }

    #[test]
    fn bad_arguments_fail_the_query_with_the_reason() {
        let ctx = session(&[]);
        let error = |sql: &str| run(&ctx, sql).unwrap_err().to_string();
        let cases = [
            ("SELECT carrier_district(200.0, 29.5)", "carrier_district: coordinate [200, 29.5] is out of range"),
            ("SELECT carrier_zone(106.5, 29.5, 'utm')", "unknown datum \"utm\": expected wgs84, gcj02 or bd09"),
            ("SELECT carrier_district(X'0102')", "carrier_district: the geometry is not valid WKB"),
            // LINESTRING (106 29, 107 30)
            ("SELECT carrier_district(X'010200000002000000000000000000805A400000000000003D40000000000000C05A400000000000003E40')", "unsupported geometry LineString"),
            ("SELECT carrier_district('a', 'b')", "carrier_district takes (lon, lat), (lon, lat, datum), (geometry) or (geometry, datum)"),
            ("SELECT carrier_district(106.5)", "found (Float64)"),
        ];
        for (sql, expected) in cases {
            let message = error(sql);
            assert!(message.contains(expected), "{sql}: {message}");
        }
    }
}
