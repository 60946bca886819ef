//! Placed carriers as Arrow record batches: whole, as the Parquet writer
//! writes them, or as three columns lined up with the rows they were read
//! from, to add to those rows without copying them.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema};

use super::parquet::{batch, geo_metadata, schema, GeometryEncoding};
use crate::place::Placed;

/// Rows per batch [`placed_batches`] gives.
const BATCH_ROWS: usize = 64 * 1024;

/// The columns that say where a row counts, as
/// [`write_placed_parquet`](super::write_placed_parquet) writes them.
pub const PLACED_COLUMNS: [&str; 3] = ["placed_district", "placed_zone", "placed_by"];

/// The placed carriers as record batches, in the layout
/// [`write_placed_parquet`](super::write_placed_parquet) writes: the
/// properties, `placed_district`, `placed_zone`, `placed_by`, and the
/// geometry as WKB in the atlas's datum. The schema's metadata holds the
/// GeoParquet `geo` key and the `datum`, so that
/// [`read_carriers_arrow`](crate::read::read_carriers_arrow) reads them back.
///
/// # Errors
///
/// When a footprint cannot be written as WKB.
pub fn placed_batches(placed: &Placed) -> Result<Vec<RecordBatch>, ArrowError> {
    let carriers = placed.carriers();
    let metadata = HashMap::from([
        (
            "geo".to_string(),
            geo_metadata(carriers, GeometryEncoding::Wkb),
        ),
        ("datum".to_string(), carriers.datum().to_string()),
    ]);
    let fields = schema(GeometryEncoding::Wkb, carriers.declares_districts(), true);
    let schema = Arc::new(fields.with_metadata(metadata));
    (0..carriers.len())
        .step_by(BATCH_ROWS)
        .map(|start| {
            let rows = start..carriers.len().min(start + BATCH_ROWS);
            batch(&schema, carriers, rows, GeometryEncoding::Wkb, Some(placed))
                .map_err(|e| ArrowError::ExternalError(Box::new(e)))
        })
        .collect()
}

/// Where each row of the input a placed set was read from counts, row by
/// row: a rejected row is no carrier, and counts nowhere. Made once for a
/// placed set; [`RowPlaces::append_to`] adds the columns to the input's
/// batches, whose own columns are shared, not copied.
#[derive(Debug)]
pub struct RowPlaces<'p> {
    placed: &'p Placed<'p>,
    /// The carrier each row became, by row; `u32::MAX` for a rejected row.
    positions: Vec<u32>,
}

impl<'p> RowPlaces<'p> {
    /// The rows of the input `placed` was read from, each with its carrier.
    pub fn new(placed: &'p Placed<'p>) -> RowPlaces<'p> {
        let carriers = placed.carriers();
        let mut positions = vec![u32::MAX; carriers.features_read()];
        for (position, row) in carriers.feature_indexes().enumerate() {
            // A store holds fewer than u32::MAX carriers.
            positions[row] = position as u32;
        }
        RowPlaces { placed, positions }
    }

    /// How many rows the input had.
    pub fn rows(&self) -> usize {
        self.positions.len()
    }

    /// The carrier row `row` became, or `None` for a rejected row.
    pub fn position(&self, row: usize) -> Option<usize> {
        let position = *self.positions.get(row)?;
        (position != u32::MAX).then_some(position as usize)
    }

    /// The three columns of [`PLACED_COLUMNS`] for `len` rows from row
    /// `first`: the codes of the district and zone each counts in, and by
    /// what (`point`, `declared`, `managed_area`); null outside every
    /// district, in no zone, or for a rejected row.
    pub fn columns(&self, first: usize, len: usize) -> [ArrayRef; 3] {
        let atlas = self.placed.atlas();
        let mut district = StringBuilder::with_capacity(len, 6 * len);
        let mut zone = StringBuilder::with_capacity(len, 4 * len);
        let mut by = StringBuilder::with_capacity(len, 5 * len);
        for row in first..first + len {
            let Some(position) = self.position(row) else {
                district.append_null();
                zone.append_null();
                by.append_null();
                continue;
            };
            let place = self.placed.place(position);
            district.append_option(place.district.map(|d| atlas.district(d).code.as_str()));
            zone.append_option(place.zone(atlas).map(|z| atlas.zone(z).code.as_str()));
            by.append_value(place.placed_by.as_str());
        }
        [
            Arc::new(district.finish()),
            Arc::new(zone.finish()),
            Arc::new(by.finish()),
        ]
    }

    /// `batch`, whose first row is row `first` of the input, with the
    /// three columns of [`PLACED_COLUMNS`] after its own. Its columns and
    /// its schema's metadata are kept as they are: the new batch shares
    /// their buffers.
    ///
    /// # Errors
    ///
    /// When `batch` already has a column of one of those names, or runs
    /// past the input's rows.
    pub fn append_to(&self, batch: &RecordBatch, first: usize) -> Result<RecordBatch, ArrowError> {
        let schema = batch.schema();
        if let Some(name) = PLACED_COLUMNS
            .iter()
            .find(|name| schema.index_of(name).is_ok())
        {
            return Err(ArrowError::SchemaError(format!(
                "the input already has a column {name:?}: rename or drop it before placing"
            )));
        }
        if first + batch.num_rows() > self.rows() {
            return Err(ArrowError::InvalidArgumentError(format!(
                "rows {first} to {} were not all read: the input had {} rows",
                first + batch.num_rows(),
                self.rows()
            )));
        }
        let mut fields: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
        fields.extend(PLACED_COLUMNS.map(|name| Field::new(name, DataType::Utf8, true)));
        let schema = Schema::new_with_metadata(fields, schema.metadata().clone());
        let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
        columns.extend(self.columns(first, batch.num_rows()));
        RecordBatch::try_new(Arc::new(schema), columns)
    }
}
