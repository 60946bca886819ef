//! Carriers from (Geo)Parquet, record batch by record batch.
//!
//! Each row is read as the feature a GeoJSON file would hold (its cells as
//! the property values, its geometry as coordinates) and checked by the
//! same code, so a row becomes the same carrier, or the same rejection, as
//! that feature. Rows are numbered from 0 in file order, as features are.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::SyncSender;
use std::sync::{Condvar, Mutex};

use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReader,
    ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;
use parquet::file::reader::{ChunkReader, Length};

mod arrow;
mod columns;
mod layout;
mod pages;
mod source;
#[cfg(test)]
pub(crate) mod tests;
mod wkb;

pub use arrow::{read_carriers_arrow, LON_LAT_NAMES};
#[cfg(feature = "datafusion")]
pub(crate) use columns::binary;
use columns::Typed;
use layout::{with_dictionaries, Layout};
use source::Source;
#[cfg(feature = "datafusion")]
pub(crate) use wkb::wkb_anchor;

use super::feature::Checks;
use super::{finish, ReadOptions};
use crate::carrier::Carriers;
use crate::datum::Datum;
use crate::error::{Error, ErrorKind, InputKind};

/// Rows decoded at a time: a batch's rows are checked on rayon's threads.
const BATCH_ROWS: usize = 16 * 1024;
/// The largest row groups decoded side by side, one per thread: the rows in
/// flight are those of at most two row groups per thread, so larger ones are
/// read in one stream, whose memory does not depend on their size.
const SIDE_BY_SIDE_GROUP_ROWS: usize = 256 * 1024;
/// Rows per piece of a batch checked on one thread.
const PIECE_ROWS: usize = 2048;
/// Bytes of id text a row is given room for up front.
const ID_BYTES: usize = 16;

/// Reads a (Geo)Parquet carrier file, record batch by record batch, into a
/// store in the file's datum, with a rejection for every row that is not a
/// carrier, as [`read_carriers`](crate::read::read_carriers) does for GeoJSON.
///
/// The parquet and arrow crates can panic on a corrupt file (a schema with
/// an impossible type, say) where they should return an error; such a
/// panic is caught and returned as [`ErrorKind::Parquet`], so that a
/// hostile file cannot bring down a service.
pub(super) fn read<R: ChunkReader + 'static>(
    file: R,
    options: &ReadOptions,
) -> Result<Carriers, Error> {
    let read = std::panic::catch_unwind(AssertUnwindSafe(|| read_unguarded(file, options)));
    read.unwrap_or_else(|panic| Err(decoder_failed(&panic)))
}

/// The error for a panic inside the decoder.
fn decoder_failed(panic: &Box<dyn std::any::Any + Send>) -> Error {
    let why = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("no message");
    ErrorKind::Parquet {
        message: format!("the decoder failed on it ({why})"),
    }
    .into()
}

fn read_unguarded<R: ChunkReader + 'static>(
    file: R,
    options: &ReadOptions,
) -> Result<Carriers, Error> {
    let source = Source::new(file);
    let table = Table::open(&source, options)?;
    let declared = table.declared;
    // Sized for every row at once: growing by doubling would copy the
    // columns and, while copying, hold them twice. A file's metadata may
    // claim any number of rows, so no more than one per 8 bytes of file
    // (real files take 20 or more) is believed.
    let rows = table
        .rows()
        .min(usize::try_from(source.len() / 8).unwrap_or(usize::MAX));
    let mut out = table.store_for(rows);
    table.read(source, options, &mut out, |_| Ok(()))?;
    finish(out, declared, options, InputKind::ParquetFile)
}

/// A Parquet carrier file, opened: its metadata read and its columns
/// found, no row read.
struct Table {
    metadata: ArrowReaderMetadata,
    /// The columns a carrier is read from; others are never decoded.
    projection: ProjectionMask,
    /// Where those columns are in a decoded batch.
    layout: Layout,
    /// The datum its key-value metadata declares.
    declared: Option<Datum>,
}

impl Table {
    fn open<R: ChunkReader>(source: &R, options: &ReadOptions) -> Result<Table, Error> {
        // The Arrow schema some writers embed adds nothing the Parquet schema
        // lacks for the types read here, and its decoder is the one most
        // exposed to a corrupt file.
        let arrow = ArrowReaderOptions::new().with_skip_arrow_metadata(true);
        let metadata = ArrowReaderMetadata::load(source, arrow).map_err(parquet_error)?;
        let file = metadata.metadata().file_metadata();
        let value = |key: &str| {
            file.key_value_metadata()
                .and_then(|kv| kv.iter().find(|e| e.key == key))
                .and_then(|e| e.value.clone())
        };
        let declared = value("datum")
            .map(|name| {
                name.parse::<Datum>()
                    .map_err(|e| Error::from(ErrorKind::UnknownDatum(e)))
            })
            .transpose()?;
        let lon_lat = options
            .coordinate_columns
            .as_ref()
            .map(|(lon, lat)| (lon.as_str(), lat.as_str()));
        let layout = Layout::new(metadata.schema(), value("geo").as_deref(), lon_lat)?;
        // Top-level fields are the Parquet schema's root columns, in order.
        let needed = layout.columns();
        let projection = ProjectionMask::roots(metadata.parquet_schema(), needed.iter().copied());
        let limits = options.limits;
        if usize::try_from(file.num_rows()).map_or(true, |n| n > limits.max_features) {
            return Err(ErrorKind::TooManyFeatures {
                limit: limits.max_features,
            }
            .into());
        }
        let metadata = with_dictionaries(metadata, &layout)?;
        let layout = layout.within(&needed);
        Ok(Table {
            metadata,
            projection,
            layout,
            declared,
        })
    }

    /// The rows of the file, as its metadata says (checked against the
    /// feature limit on opening).
    fn rows(&self) -> usize {
        usize::try_from(self.metadata.metadata().file_metadata().num_rows()).unwrap_or(0)
    }

    /// An empty store with room for `rows` carriers.
    fn store_for(&self, rows: usize) -> Carriers {
        Carriers::with_capacity(Datum::Wgs84, rows, ID_BYTES * rows)
    }

    /// A decoder of the whole file, or of one row group.
    fn decoder<R: ChunkReader + 'static>(
        &self,
        source: R,
        row_group: Option<usize>,
    ) -> Result<ParquetRecordBatchReader, Error> {
        let metadata = self.metadata.metadata();
        let groups = match row_group {
            Some(group) => group..group + 1,
            None => 0..metadata.num_row_groups(),
        };
        for group in groups {
            pages::check_row_group(&source, metadata, group, |leaf| {
                self.projection.leaf_included(leaf)
            })?;
        }
        let builder =
            ParquetRecordBatchReaderBuilder::new_with_metadata(source, self.metadata.clone())
                .with_projection(self.projection.clone())
                .with_batch_size(BATCH_ROWS);
        let builder = match row_group {
            Some(group) => builder.with_row_groups(vec![group]),
            None => builder,
        };
        builder.build().map_err(parquet_error)
    }

    /// Checks every row into `out`, in row order, calling `batch_read`
    /// after each batch or row group (it may take the carriers out of
    /// `out`). A file or bytes of several row groups of at most
    /// [`SIDE_BY_SIDE_GROUP_ROWS`] rows are decoded a row group per thread;
    /// anything else in one stream.
    fn read<R: ChunkReader + 'static>(
        &self,
        source: Source<R>,
        options: &ReadOptions,
        out: &mut Carriers,
        batch_read: impl FnMut(&mut Carriers) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let checks = Checks::new(options);
        let groups = self.metadata.metadata().row_groups();
        let small = groups
            .iter()
            .all(|g| g.num_rows() <= SIDE_BY_SIDE_GROUP_ROWS as i64);
        if groups.len() > 1 && small && rayon::current_num_threads() > 1 && source.split().is_some()
        {
            self.read_row_groups(&source, &checks, out, batch_read)
        } else {
            self.read_stream(source, &checks, out, batch_read)
        }
    }

    /// One decoder: the next batch is decoded on a thread of its own while
    /// the rows of this one are checked on rayon's.
    fn read_stream<R: ChunkReader + 'static>(
        &self,
        source: Source<R>,
        checks: &Checks,
        out: &mut Carriers,
        mut batch_read: impl FnMut(&mut Carriers) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut reader = self.decoder(source, None)?;
        let mut next = reader.next();
        while let Some(batch) = next {
            let batch = batch.map_err(arrow_error)?;
            let (decoded, checked) = std::thread::scope(|scope| {
                let decoding = scope.spawn(|| reader.next());
                let first = out.features_read();
                let checked = self.layout.check_batch(&batch, checks, first, out);
                (decoding.join(), checked)
            });
            checked?;
            batch_read(out)?;
            next = decoded.map_err(|panic| decoder_failed(&panic))?;
        }
        Ok(())
    }

    /// A decoder per row group, each decoded and checked into a store of
    /// its own on one of as many threads as rayon has, which take the row
    /// groups in file order; meanwhile this thread appends the stores in row order as they
    /// come, so that no thread waits for the slowest of a set. A row group
    /// is taken only while fewer than two per thread wait to be appended:
    /// the rows in flight stay those of a few row groups.
    fn read_row_groups<R: ChunkReader + 'static>(
        &self,
        source: &Source<R>,
        checks: &Checks,
        out: &mut Carriers,
        mut batch_read: impl FnMut(&mut Carriers) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let row_groups = self.metadata.metadata().row_groups();
        let mut first_rows = Vec::with_capacity(row_groups.len());
        let mut rows = 0;
        for group in row_groups {
            first_rows.push(rows);
            rows += usize::try_from(group.num_rows()).unwrap_or(0);
        }
        let read_group = |group: usize| -> Result<Carriers, Error> {
            let source = source.split().expect("a source that splits");
            // At most SIDE_BY_SIDE_GROUP_ROWS, so believed.
            let group_rows = usize::try_from(row_groups[group].num_rows()).unwrap_or(0);
            let mut piece = self.store_for(group_rows);
            // Row groups are already side by side, one per thread: rows
            // are checked straight into the group's store.
            for batch in self.decoder(source, Some(group))? {
                let first = first_rows[group] + piece.features_read();
                let batch = batch.map_err(arrow_error)?;
                let typed = Typed::new(&self.layout, &batch);
                let rows = 0..batch.num_rows();
                (self.layout).check_rows(&batch, &typed, rows, checks, first, &mut piece)?;
            }
            Ok(piece)
        };
        let threads = rayon::current_num_threads();
        let (senders, receivers): (Vec<_>, Vec<_>) = (0..row_groups.len())
            .map(|_| std::sync::mpsc::sync_channel::<Result<Carriers, Error>>(1))
            .unzip();
        let next = AtomicUsize::new(0);
        // How many row groups are appended, and whether to stop.
        let appended = (Mutex::new((0, false)), Condvar::new());
        let worker = |senders: &[SyncSender<Result<Carriers, Error>>]| loop {
            let group = next.fetch_add(1, Ordering::Relaxed);
            let Some(sender) = senders.get(group) else {
                return;
            };
            let (lock, turn) = &appended;
            let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
            while group >= state.0 + 2 * threads && !state.1 {
                state = turn.wait(state).unwrap_or_else(|e| e.into_inner());
            }
            if state.1 {
                return;
            }
            drop(state);
            // A panic in the decoder is the group's error, so that the
            // appending thread, waiting for this group, is told.
            let piece = std::panic::catch_unwind(AssertUnwindSafe(|| read_group(group)));
            let _ = sender.send(piece.unwrap_or_else(|panic| Err(decoder_failed(&panic))));
        };
        let set_appended = |count: usize, stop: bool| {
            let (lock, turn) = &appended;
            *lock.lock().unwrap_or_else(|e| e.into_inner()) = (count, stop);
            turn.notify_all();
        };
        std::thread::scope(|scope| {
            // The senders go with the workers: should they end without
            // sending, the receiver below is told rather than left waiting.
            // Threads of their own, not rayon's: this thread blocks on them,
            // which would deadlock a pool whose threads all did so.
            scope.spawn(move || {
                let senders = &senders;
                std::thread::scope(|workers| {
                    for _ in 0..threads {
                        workers.spawn(|| worker(senders));
                    }
                })
            });
            for (group, receiver) in receivers.iter().enumerate() {
                let piece = receiver.recv().unwrap_or_else(|_| {
                    Err(ErrorKind::Parquet {
                        message: "a row group's decoder stopped".into(),
                    }
                    .into())
                });
                let appended = piece.and_then(|piece| {
                    let index = out.features_read();
                    out.append(piece)
                        .map_err(|_| Error::from(ErrorKind::StoreFull { index }))?;
                    batch_read(out)
                });
                if let Err(e) = appended {
                    set_appended(group, true);
                    return Err(e);
                }
                set_appended(group + 1, false);
            }
            Ok(())
        })
    }
}

/// Reads a (Geo)Parquet carrier file batch by batch, handing each batch
/// to `each` with the index of its first row and keeping none of them:
/// memory does not grow with the number of rows. A batch's carriers are in
/// the file's datum, and its rejections' indices count from its first row.
/// Rows are read and checked as [`read_carriers_parquet`] reads them,
/// except that duplicate ids are not looked for (that needs memory in
/// proportion to the rows). Returns the file's datum.
///
/// [`read_carriers_parquet`]: super::read_carriers_parquet
///
/// # Errors
///
/// As [`read_carriers_parquet`], the datum resolved before any row is
/// read; and the first error `each` returns, which stops the read.
pub fn for_each_batch<R: ChunkReader + 'static>(
    file: R,
    options: &ReadOptions,
    mut each: impl FnMut(usize, Carriers) -> Result<(), Error>,
) -> Result<Datum, Error> {
    let read = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let source = Source::new(file);
        let table = Table::open(&source, options)?;
        let datum = InputKind::ParquetFile.datum(table.declared, options.datum)?;
        let mut out = Carriers::new(datum);
        let mut first = 0;
        table.read(source, options, &mut out, |out| {
            let mut batch = std::mem::replace(out, Carriers::new(datum));
            batch.set_datum(datum);
            let rows = batch.features_read();
            each(first, batch)?;
            first += rows;
            Ok(())
        })?;
        Ok(datum)
    }));
    read.unwrap_or_else(|panic| Err(decoder_failed(&panic)))
}

fn arrow_error(e: arrow_schema::ArrowError) -> Error {
    ErrorKind::Parquet {
        message: e.to_string(),
    }
    .into()
}

fn parquet_error(e: parquet::errors::ParquetError) -> Error {
    ErrorKind::Parquet {
        message: e.to_string(),
    }
    .into()
}
