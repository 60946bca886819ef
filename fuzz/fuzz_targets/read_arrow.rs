//! Arrow tables built from the fuzzer's bytes, as DataFrames hand them
//! over: columns named as properties, as register headers or not at all,
//! of the types pandas, polars and GeoPandas give (plain, large and view
//! strings, categoricals, integers, floats, timestamps, WKB, GeoArrow
//! points), split into batches anywhere. Every row must come back as one
//! carrier or one rejection, numbered as it stands in the table, and the
//! same table read in one batch must read the same.
#![no_main]

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{FixedSizeListBuilder, Float64Builder};
use arrow_array::types::Int8Type;
use arrow_array::{
    ArrayRef, BinaryArray, DictionaryArray, Float64Array, Int64Array, LargeStringArray,
    RecordBatch, RecordBatchIterator, StringArray, StringViewArray, TimestampNanosecondArray,
};
use arrow_schema::{ArrowError, Field, Schema};
use carrier_quota::read::{read_carriers_arrow, Limits};
use carrier_quota::{Datum, ReadOptions};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 12] = [
    "id", "kind", "floor_area_m2", "lon", "lat", "opened", "closed", "名称", "载体类型",
    "面积（万平方米）", "geometry", "district",
];
const TEXTS: [&str; 10] = [
    "c-1", "incubator", "孵化器", "maker_space", "2023-06-30", "渝北区", "", "1200", "x", "c-1",
];

/// `rows` texts of [`TEXTS`], as the bytes choose them.
fn texts(rows: usize, next: &mut impl FnMut() -> u8) -> Vec<&'static str> {
    (0..rows).map(|_| TEXTS[usize::from(next()) % TEXTS.len()]).collect()
}

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.iter().copied();
    let mut next = move || bytes.next().unwrap_or(0);
    let rows = usize::from(next() % 24);
    let mut fields = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for _ in 0..1 + next() % 7 {
        let name = NAMES[usize::from(next()) % NAMES.len()];
        if fields.iter().any(|f: &Field| f.name() == name) {
            continue;
        }
        let kind = next() % 9;
        let mut text = || texts(rows, &mut next);
        let array: ArrayRef = match kind {
            0 => Arc::new(StringArray::from(text())),
            1 => Arc::new(LargeStringArray::from(text())),
            2 => Arc::new(StringViewArray::from(text())),
            3 => Arc::new(text().into_iter().collect::<DictionaryArray<Int8Type>>()),
            4 => Arc::new(Int64Array::from((0..rows).map(|_| i64::from(next()) * 100 - 50).collect::<Vec<_>>())),
            5 => Arc::new(Float64Array::from(
                (0..rows).map(|_| 100.0 + f64::from(next()) * 0.05 + if next() % 7 == 0 { f64::NAN } else { 0.0 }).collect::<Vec<_>>(),
            )),
            6 => Arc::new(TimestampNanosecondArray::from(
                (0..rows).map(|_| i64::from(next()) * 86_400_000_000_000 * 30).collect::<Vec<_>>(),
            )),
            7 => {
                let wkb: Vec<Vec<u8>> = (0..rows)
                    .map(|_| {
                        let mut point = vec![1, 1, 0, 0, 0];
                        point.extend((105.0 + f64::from(next()) / 50.0).to_le_bytes());
                        point.extend((28.0 + f64::from(next()) / 60.0).to_le_bytes());
                        point.truncate(usize::from(next() % 4) * 7 + 1);
                        point
                    })
                    .collect();
                Arc::new(BinaryArray::from_iter_values(wkb.iter().map(Vec::as_slice)))
            }
            _ => {
                let mut points = FixedSizeListBuilder::new(Float64Builder::new(), 2);
                for _ in 0..rows {
                    points.values().append_value(105.0 + f64::from(next()) / 50.0);
                    points.values().append_value(28.0 + f64::from(next()) / 60.0);
                    points.append(next() % 5 != 0);
                }
                Arc::new(points.finish())
            }
        };
        let mut field = Field::new(name, array.data_type().clone(), true);
        let extension = match kind {
            7 => Some("geoarrow.wkb"),
            8 => Some("geoarrow.point"),
            _ => None,
        };
        if let Some(extension) = extension.filter(|_| next() % 2 == 0) {
            let metadata = HashMap::from([("ARROW:extension:name".to_string(), extension.to_string())]);
            field = field.with_metadata(metadata);
        }
        fields.push(field);
        columns.push(array);
    }
    let schema = Arc::new(Schema::new(fields));
    let Ok(whole) = RecordBatch::try_new(Arc::clone(&schema), columns) else {
        return;
    };
    let cut = usize::from(next()) % (rows + 1);
    let batches = vec![whole.slice(0, cut), whole.slice(cut, rows - cut)];
    let limits = Limits::new().max_features(1_000);
    let options = ReadOptions::new().datum(Datum::Gcj02).limits(limits);
    let read = |batches: Vec<RecordBatch>| {
        let batches: Vec<Result<RecordBatch, ArrowError>> = batches.into_iter().map(Ok).collect();
        read_carriers_arrow(RecordBatchIterator::new(batches, Arc::clone(&schema)), &options)
    };
    let in_two = read(batches);
    let in_one = read(vec![whole]);
    match (&in_two, &in_one) {
        (Ok(two), Ok(one)) => {
            assert_eq!(two.features_read(), rows);
            assert_eq!(two.len() + two.rejections().len(), rows);
            let indices = |c: &carrier_quota::Carriers| -> Vec<usize> {
                c.rejections().iter().map(|r| r.index).collect()
            };
            assert_eq!(indices(two), indices(one));
            assert_eq!(two.len(), one.len());
        }
        (Err(two), Err(one)) => assert_eq!(two.to_string(), one.to_string()),
        _ => panic!("one batch and two read differently: {in_two:?} / {in_one:?}"),
    }
});
