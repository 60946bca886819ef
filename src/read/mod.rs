//! Carrier files in: GeoJSON, CSV and Excel registers, (Geo)Parquet; every
//! record a carrier or a rejection. [`crate::CarrierFormat`]
//! reads any of them; the functions here are each format's reader.
//!
//! A carrier file is parsed as a stream: each element of `features` is turned
//! into a [`Carrier`](crate::Carrier) or a [`Rejection`] as soon as it has been read, so the
//! memory used is that of the carriers, not of the file.

mod cells;
pub(crate) mod encoding;
mod fast;
mod feature;
mod file;
pub(crate) mod header;
mod parallel;
mod several;
mod table;
pub use crate::carrier::{Column, ReadNote};
pub use crate::format::CarrierFormat;
pub use encoding::Encoding;
pub use file::read_carriers_file;
pub use several::{read_register_files, register_files_in, register_name, RegisterFile};
#[cfg(feature = "parquet")]
mod parquet;
#[cfg(all(test, feature = "parquet"))]
pub(crate) use parquet::tests as parquet_tests;
#[cfg(feature = "parquet")]
pub use parquet::{for_each_batch, read_carriers_arrow, LON_LAT_NAMES};
// What the SQL functions check a carrier's geometry with.
#[cfg(feature = "datafusion")]
pub(crate) use feature::{point_anchor, Checks};
#[cfg(feature = "datafusion")]
pub(crate) use parquet::{binary, wkb_anchor};

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

use rayon::slice::ParallelSliceMut;

use geo::MultiPolygon;

use crate::carrier::{Carriers, RejectReason, Rejection};
use crate::datum::Datum;
use crate::error::{Error, ErrorKind, InputKind};
use crate::names::{DistrictNames, OverlayNames};
use feature::RawFeature;

/// How to read a carrier file.
///
/// ```
/// use carrier_quota::read::Limits;
/// use carrier_quota::{Atlas, Datum, ReadOptions};
///
/// let options = ReadOptions::new()
///     .datum(Datum::Wgs84)
///     .expected_area(Atlas::chongqing().outline().clone())
///     .fix_swapped(true)
///     .limits(Limits::new().max_features(1_000_000));
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ReadOptions {
    /// The datum of the coordinates. When `None`, the file must declare it in
    /// a top-level `"datum"` member; when both are given they must agree.
    pub datum: Option<Datum>,
    /// Bounds on what the file may hold.
    pub limits: Limits,
    /// The area the carriers belong in, usually [`Atlas::outline`]. A point
    /// outside its bounding box (or out of range) that lies inside it with
    /// longitude and latitude swapped is rejected as
    /// [`RejectReason::SwappedCoordinates`], or read swapped when
    /// `fix_swapped` is set. Points inside the bounding box are not checked.
    ///
    /// [`Atlas::outline`]: crate::Atlas::outline
    pub expected_area: Option<MultiPolygon>,
    /// Read points that [`ReadOptions::expected_area`] shows to be swapped
    /// with their coordinates swapped back; their features are listed in
    /// [`Carriers::swapped`].
    pub fix_swapped: bool,
    /// The longitude and latitude columns of a table without a geometry
    /// column (plain Parquet): `(longitude, latitude)`. GeoJSON files, and
    /// GeoParquet files when this is `None`, have their own geometry.
    pub coordinate_columns: Option<(String, String)>,
    /// The districts a record's `district` may name. When `None`,
    /// Chongqing's, with their former names and the managed areas
    /// ([`DistrictNames::chongqing`]).
    pub districts: Option<DistrictNames>,
    /// The overlays a record's `overlay` may name, by id or name; any
    /// other value is a rejection. When `None`, the dual core of
    /// Chongqing's plan ([`OverlayNames::chongqing`]). Add the ids of an
    /// overlays file ([`OverlayNames::with_overlays`]) and of a plan's own
    /// overlays, or take [`OverlayNames::any`].
    pub overlays: Option<OverlayNames>,
    /// The text encoding of a CSV table. When `None`, the byte-order mark
    /// says, or else the text: UTF-8, or GB18030 when it is not UTF-8 and
    /// decodes as GB18030 throughout ([`Encoding`]). Other formats say
    /// their own.
    pub encoding: Option<Encoding>,
    /// Headers of a CSV or Excel table and the column each gives, for a
    /// layout the usual headers ([`Column::named`]) do not cover. They are
    /// compared as those are, and come first.
    pub headers: Vec<(String, Column)>,
    /// The sheets of a workbook to read; when empty, every sheet that
    /// holds a register (the others are listed in
    /// [`Carriers::tables`](crate::Carriers::tables) with why).
    pub sheets: Vec<String>,
    /// Headers of a CSV or Excel table not to read, though the reader
    /// knows them (a column of categories the plan does not use).
    pub ignored: Vec<String>,
}

impl ReadOptions {
    /// The defaults: datum from the file, default limits, no expected area.
    pub fn new() -> ReadOptions {
        ReadOptions::default()
    }

    /// Reads points from these longitude and latitude columns
    /// ([`ReadOptions::coordinate_columns`]).
    pub fn coordinate_columns(
        mut self,
        longitude: impl Into<String>,
        latitude: impl Into<String>,
    ) -> ReadOptions {
        self.coordinate_columns = Some((longitude.into(), latitude.into()));
        self
    }

    /// The districts a record's `district` may name
    /// ([`ReadOptions::districts`]): usually `DistrictNames::of(&atlas)` for
    /// the atlas the carriers will be placed in.
    pub fn districts(mut self, districts: DistrictNames) -> ReadOptions {
        self.districts = Some(districts);
        self
    }

    /// The overlays a record's `overlay` may name
    /// ([`ReadOptions::overlays`]).
    pub fn overlays(mut self, overlays: OverlayNames) -> ReadOptions {
        self.overlays = Some(overlays);
        self
    }

    /// The text encoding of a CSV table ([`ReadOptions::encoding`]).
    pub fn encoding(mut self, encoding: Encoding) -> ReadOptions {
        self.encoding = Some(encoding);
        self
    }

    /// Reads the table column headed `header` as `column`
    /// ([`ReadOptions::headers`]).
    pub fn header(mut self, header: impl Into<String>, column: Column) -> ReadOptions {
        self.headers.push((header.into(), column));
        self
    }

    /// Reads this sheet of a workbook, and the others named so
    /// ([`ReadOptions::sheets`]).
    pub fn sheet(mut self, name: impl Into<String>) -> ReadOptions {
        self.sheets.push(name.into());
        self
    }

    /// Does not read the column headed `header` ([`ReadOptions::ignored`]).
    pub fn ignore(mut self, header: impl Into<String>) -> ReadOptions {
        self.ignored.push(header.into());
        self
    }

    /// The datum of the coordinates ([`ReadOptions::datum`]).
    pub fn datum(mut self, datum: Datum) -> ReadOptions {
        self.datum = Some(datum);
        self
    }

    /// Bounds on what the file may hold.
    pub fn limits(mut self, limits: Limits) -> ReadOptions {
        self.limits = limits;
        self
    }

    /// The area the carriers belong in ([`ReadOptions::expected_area`]).
    pub fn expected_area(mut self, area: MultiPolygon) -> ReadOptions {
        self.expected_area = Some(area);
        self
    }

    /// Whether to read swapped points swapped back
    /// ([`ReadOptions::fix_swapped`]).
    pub fn fix_swapped(mut self, fix: bool) -> ReadOptions {
        self.fix_swapped = fix;
        self
    }
}

/// Bounds on what one carrier file may hold, so that a service reading files
/// it did not write can cap the memory and time one costs. The defaults
/// admit any real carrier file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Features per file: reading stops with [`ErrorKind::TooManyFeatures`]
    /// at the first feature past it. Default: no limit (`usize::MAX`).
    pub max_features: usize,
    /// Bytes of one feature's text (or of what comes before the first
    /// feature): reading stops with [`ErrorKind::FeatureTooLarge`] once a
    /// feature is longer, without holding more of it (counted as read, to
    /// within 8 KiB). Default: 64 MiB.
    pub max_feature_bytes: usize,
    /// Vertices of one geometry: a feature with more is rejected with
    /// [`RejectReason::TooManyVertices`]. Default: 1,000,000.
    pub max_vertices: usize,
    /// Bytes of one property's text (the id, `name`, `kind`, `opened`,
    /// ...): a feature with a longer one is rejected with
    /// [`RejectReason::PropertyTooLong`]. Default: 4,096.
    pub max_property_bytes: usize,
    /// Bytes a workbook's parts may expand to, as its zip declares them
    /// (the zip reader holds each part to its declared size): a larger
    /// workbook is refused with [`ErrorKind::WorkbookTooLarge`] before it
    /// is opened. calamine keeps a workbook's strings whole, so this bounds
    /// what one costs. Default: 1 GiB, past a full sheet of a million rows
    /// of a dozen columns.
    pub max_workbook_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_features: usize::MAX,
            max_feature_bytes: 64 << 20,
            max_vertices: 1_000_000,
            max_property_bytes: 4096,
            max_workbook_bytes: 1 << 30,
        }
    }
}

impl Limits {
    /// The default limits.
    pub fn new() -> Limits {
        Limits::default()
    }

    /// Features per file ([`Limits::max_features`]).
    pub fn max_features(mut self, n: usize) -> Limits {
        self.max_features = n;
        self
    }

    /// Bytes of one feature's text ([`Limits::max_feature_bytes`]).
    pub fn max_feature_bytes(mut self, n: usize) -> Limits {
        self.max_feature_bytes = n;
        self
    }

    /// Vertices of one geometry ([`Limits::max_vertices`]).
    pub fn max_vertices(mut self, n: usize) -> Limits {
        self.max_vertices = n;
        self
    }

    /// Bytes of one property's text ([`Limits::max_property_bytes`]).
    pub fn max_property_bytes(mut self, n: usize) -> Limits {
        self.max_property_bytes = n;
        self
    }

    /// Bytes a workbook may expand to ([`Limits::max_workbook_bytes`]).
    pub fn max_workbook_bytes(mut self, n: usize) -> Limits {
        self.max_workbook_bytes = n;
        self
    }
}

/// Reads a GeoJSON FeatureCollection of carriers from `reader`, feature by
/// feature.
///
/// The reader is buffered here; a UTF-8 byte-order mark is skipped.
/// [`read_carriers_parallel`] gives the same answer faster when the input
/// can be opened twice (a file, a buffer).
///
/// # Errors
///
/// A fatal [`Error`] when the input cannot be read, is not valid JSON, is not
/// a FeatureCollection, or has no declared datum (see [`ReadOptions::datum`]).
/// A feature that cannot become a carrier is not an error: it is returned in
/// [`Carriers::rejections`] with its position and the reason.
///
/// # Examples
///
/// ```
/// use carrier_quota::read::read_carriers;
/// use carrier_quota::{Datum, ReadOptions};
///
/// let file = r#"{"type": "FeatureCollection", "datum": "gcj02", "features": [
///   {"type": "Feature", "id": "a", "geometry": {"type": "Point", "coordinates": [106.5, 29.5]},
///    "properties": {"kind": "incubator", "floor_area_m2": 1200}},
///   {"type": "Feature", "id": "b", "geometry": {"type": "Point", "coordinates": [106.5, 29.5]},
///    "properties": {"kind": "incubator", "floor_area_m2": "1200"}}
/// ]}"#;
/// let carriers = read_carriers(file.as_bytes(), &ReadOptions::default())?;
/// assert_eq!(carriers.len(), 1);
/// assert_eq!(carriers.datum(), Datum::Gcj02);
/// assert_eq!(
///     carriers.rejections()[0].to_string(),
///     "feature 1 (id \"b\"): floor_area_m2 must be a number, found \"1200\" \
///      (write it as a JSON number, without quotes: 1200)"
/// );
/// # Ok::<(), carrier_quota::Error>(())
/// ```
pub fn read_carriers(reader: impl Read, options: &ReadOptions) -> Result<Carriers, Error> {
    let limits = options.limits;
    let checks = feature::Checks::new(options);
    let (budget, used) = Budget::new(reader, limits.max_feature_bytes);
    let mut out = Carriers::new(Datum::Wgs84);
    let (mut too_many, mut full) = (false, false);
    let declared = crate::json::parse_collection(budget, |index, mut raw: RawFeature| {
        if index >= limits.max_features {
            too_many = true;
            return false;
        }
        used.set(0);
        full = out.store(raw.check(&checks)).is_err();
        !full
    });
    // The parse stopped for a limit when the callback refused a feature or
    // the budget ran out; a parse that ended well stands.
    let stopped = match declared {
        Err(_) if too_many => ErrorKind::TooManyFeatures {
            limit: limits.max_features,
        },
        Err(_) if full => ErrorKind::StoreFull {
            index: out.features_read(),
        },
        Err(_) if used.get() > limits.max_feature_bytes => ErrorKind::FeatureTooLarge {
            index: out.features_read(),
            limit: limits.max_feature_bytes,
        },
        declared => return finish(out, declared?, options, InputKind::CarrierFile),
    };
    Err(stopped.into())
}

/// A reader that fails once more than `limit` bytes were read since `used`
/// was last reset (at each feature), so that one feature cannot take
/// unbounded memory.
pub(crate) struct Budget<R> {
    reader: R,
    used: Rc<Cell<usize>>,
    limit: usize,
}

impl<R> Budget<R> {
    /// `reader`, failing once `limit` bytes were read since the count
    /// (returned too) was last reset.
    pub(crate) fn new(reader: R, limit: usize) -> (Budget<R>, Rc<Cell<usize>>) {
        let used = Rc::new(Cell::new(0));
        let budget = Budget {
            reader,
            used: Rc::clone(&used),
            limit,
        };
        (budget, used)
    }
}

impl<R: Read> Read for Budget<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.used.get() > self.limit {
            return Err(io::Error::other("feature over the size limit"));
        }
        let n = self.reader.read(buf)?;
        self.used.set(self.used.get() + n);
        Ok(n)
    }
}

/// Reads a carrier file like [`read_carriers`], parsing its features on
/// rayon's threads: several times faster on large files.
///
/// `open` gives a fresh reader of the file. It is called once; a second
/// time only when the file is not well-formed GeoJSON (or nests deeper than
/// the streaming parser allows), so that the streaming parser reports the
/// error with its line and column. The answer is always the same as
/// [`read_carriers`]'s.
///
/// # Errors
///
/// As [`read_carriers`], and when `open` fails.
///
/// # Examples
///
/// ```no_run
/// use carrier_quota::read::read_carriers_parallel;
/// use carrier_quota::ReadOptions;
///
/// let path = "carriers.geojson";
/// let carriers = read_carriers_parallel(|| std::fs::File::open(path), &ReadOptions::default())?;
/// # Ok::<(), carrier_quota::Error>(())
/// ```
pub fn read_carriers_parallel<R: Read + Send>(
    mut open: impl FnMut() -> io::Result<R>,
    options: &ReadOptions,
) -> Result<Carriers, Error> {
    use parallel::{GiveUp, Split};
    let checks = feature::Checks::new(options);
    let limits = options.limits;
    let mut split = Split::Lines;
    loop {
        let mut out = Carriers::new(Datum::Wgs84);
        // Past a limit, the streaming reader below decides and reports it.
        let on_batch = |batch: Carriers| {
            out.features_read() + batch.features_read() <= limits.max_features
                && out.append(batch).is_ok()
        };
        match parallel::read(open()?, split, &checks, on_batch) {
            Ok(declared) => return finish(out, declared, options, InputKind::CarrierFile),
            Err(GiveUp::Io(e)) => return Err(ErrorKind::Io(e).into()),
            Err(GiveUp::NotLines) => split = Split::Scan,
            Err(GiveUp::Irregular) => {
                drop(out);
                return read_carriers(open()?, options);
            }
        }
    }
}

/// Reads a carrier file in (Geo)Parquet, record batch by record batch:
/// every row becomes a carrier or a [`Rejection`], numbered from 0, as a
/// GeoJSON feature with the same values would.
///
/// Columns are named as the GeoJSON properties (`id`, `kind`,
/// `floor_area_m2` required; `name`, `category`, `level`, `enterprises`,
/// `tech_enterprises`, `opened`, `overlay` optional; others ignored). The
/// geometry is the GeoParquet primary column (WKB, or native points), or
/// the columns [`ReadOptions::coordinate_columns`] names. The datum is the
/// caller's, or the value of a `datum` key in the file's key-value
/// metadata; nothing is assumed (GeoParquet's CRS is not read: Chinese data
/// labelled WGS-84 is often GCJ-02). `file` is a [`std::fs::File`] or
/// [`bytes::Bytes`](https://docs.rs/bytes).
///
/// # Errors
///
/// [`ErrorKind::Parquet`] for a file that is not readable Parquet (also
/// when a later page turns out corrupt or truncated);
/// [`ErrorKind::MissingColumn`] and [`ErrorKind::WrongColumnType`] for a
/// table no row of which could be a carrier; [`ErrorKind::NoGeometryColumn`]
/// and [`ErrorKind::GeoMetadata`] when the geometry cannot be found; and the
/// datum and limit errors of [`read_carriers`].
#[cfg(feature = "parquet")]
pub fn read_carriers_parquet<R: ::parquet::file::reader::ChunkReader + 'static>(
    file: R,
    options: &ReadOptions,
) -> Result<Carriers, Error> {
    parquet::read(file, options)
}

/// Reads a CSV carrier table, as registers keep them: a header row, then
/// one carrier per row.
///
/// Columns are found by their headers: the property names of the GeoJSON
/// reader, `lon`/`lat` (or `longitude`/`latitude`, `lng`, `x`/`y`),
/// `district`, and the usual Chinese headers ([`Column::named`]), or as
/// [`ReadOptions::headers`] maps them; other columns are ignored. A row
/// without coordinates counts in the district it names
/// ([`ReadOptions::districts`]). A table without an id column gives each
/// row its row number as id. Each row becomes a carrier or a rejection,
/// as a GeoJSON feature with the same values would, and a rejection names
/// its row ([`Rejection::row`]: the header is row 1). Rows with every cell
/// empty are skipped.
///
/// The text must be UTF-8 (a byte-order mark is skipped); cells are
/// separated by commas, or by tabs or semicolons when the header row holds
/// those and no comma. The datum must be given
/// ([`ReadOptions::datum`]) when the table has coordinate columns.
///
/// ```
/// use carrier_quota::read::read_carriers_csv;
/// use carrier_quota::{Datum, ReadOptions};
///
/// let table = "编号,名称,类型,所在区县,建筑面积（m²）,认定年份,经度,纬度
/// c-1,渝北众创空间,众创空间,渝北区,1200,2019,,
/// c-2,江北孵化器,孵化器,江北,3000,2020年5月1日,106.574,29.606
/// c-3,,孵化器,渝北新区,800,2021,,
/// ";
/// let options = ReadOptions::new().datum(Datum::Gcj02);
/// let carriers = read_carriers_csv(table.as_bytes(), &options)?;
/// assert_eq!(carriers.len(), 2);
/// assert_eq!(carriers.get(0).district(), Some("500112"));
/// assert_eq!(carriers.get(0).anchor(), None);
/// assert_eq!(
///     carriers.rejections()[0].to_string(),
///     "row 4 (id \"c-3\"): unknown district \"渝北新区\": not the name, short name, \
///      code or English name of a district (today or before a change), nor a managed area \
///      (did you mean \"渝北区\"?), and the record has no location to place it by"
/// );
/// # Ok::<(), carrier_quota::Error>(())
/// ```
///
/// # Errors
///
/// [`ErrorKind::Table`] for text that is not UTF-8 or an empty file;
/// [`ErrorKind::MissingColumn`] when no `kind` or floor-area column, or
/// neither coordinates nor a district column, is found;
/// [`ErrorKind::DuplicateColumn`] when two columns give one property;
/// [`ErrorKind::TableDatum`] for coordinates without a datum; and the limit
/// errors of [`read_carriers`] (a row is a feature).
pub fn read_carriers_csv(reader: impl Read, options: &ReadOptions) -> Result<Carriers, Error> {
    table::read_csv(reader, options)
}

/// Reads a carrier table from an Excel workbook (`.xlsx`, `.xlsm`,
/// `.xlsb`, `.xls`): its first
/// sheet, or the one [`ReadOptions::sheet`] names, as
/// [`read_carriers_csv`] reads a CSV table. Dates are read from date
/// cells, and years from number cells. The header row may come below a
/// title: it is the first of the first ten rows with two or more known
/// headers. The whole file is read into memory first; an `.xlsx` or
/// `.xlsb` sheet is then read cell by cell, so that a stray cell far from
/// the table costs no more than any other. [`Limits`] apply to rows as to
/// CSV records.
///
/// # Errors
///
/// [`ErrorKind::Table`] for a file that is not a readable workbook, or a
/// missing or empty sheet, and the table errors of [`read_carriers_csv`].
#[cfg(feature = "excel")]
pub fn read_carriers_excel(reader: impl Read, options: &ReadOptions) -> Result<Carriers, Error> {
    table::read_excel(reader, options)
}

/// A small table that is not a register (a district targets table) as
/// rows of text, each with its row number: CSV in the encodings registers
/// use, or the first sheet of a workbook (the first [`ReadOptions::sheets`]
/// names, when it names one).
///
/// # Errors
///
/// [`ErrorKind::Table`] for text or a workbook that cannot be read; a
/// workbook without the feature `excel`.
pub(crate) fn read_text_rows(
    reader: impl Read,
    excel: bool,
    options: &ReadOptions,
) -> Result<Vec<(usize, Vec<String>)>, Error> {
    match excel {
        #[cfg(feature = "excel")]
        true => table::excel_text_rows(reader, options),
        #[cfg(not(feature = "excel"))]
        true => Err(ErrorKind::Table {
            format: "Excel",
            row: None,
            message: "reading Excel workbooks needs the feature excel".into(),
        }
        .into()),
        false => table::csv_text_rows(reader, options),
    }
}

fn finish(
    mut out: Carriers,
    declared: Option<Datum>,
    options: &ReadOptions,
    input: InputKind,
) -> Result<Carriers, Error> {
    out.set_datum(input.datum(declared, options.datum)?);
    reject_duplicate_ids(&mut out);
    Ok(out)
}

/// Moves every carrier whose id an earlier feature (accepted or not) already
/// has into the rejections, naming that earlier feature.
///
/// Sorting slots (4 bytes per feature with an id) by id keeps the extra
/// memory small; duplicates are removed in place.
pub(crate) fn reject_duplicate_ids(out: &mut Carriers) {
    let accepted = out.len();
    // A slot below `accepted` is a carrier; above, a rejection with an id.
    let id_of = |slot: u32| -> &str {
        let slot = slot as usize;
        if slot < accepted {
            out.get(slot).id()
        } else {
            out.rejections()[slot - accepted]
                .id
                .as_deref()
                .unwrap_or_default()
        }
    };
    // The feature index, needed only to order features with one id.
    let index_of = |slot: u32| -> usize {
        let slot = slot as usize;
        if slot < accepted {
            out.feature_index(slot)
        } else {
            out.rejections()[slot - accepted].index
        }
    };
    let mut slots: Vec<u32> = (0..accepted as u32)
        .chain(
            out.rejections()
                .iter()
                .enumerate()
                .filter(|(_, r)| r.id.is_some())
                .map(|(i, _)| (accepted + i) as u32),
        )
        .collect();
    slots.par_sort_unstable_by(|&a, &b| {
        id_of(a)
            .cmp(id_of(b))
            .then_with(|| index_of(a).cmp(&index_of(b)))
    });
    // (carrier position, index of the first feature with its id)
    let mut duplicates: Vec<(usize, usize)> = Vec::new();
    for group in slots.chunk_by(|&a, &b| id_of(a) == id_of(b)) {
        let first_index = index_of(group[0]);
        duplicates.extend(
            group[1..]
                .iter()
                .filter(|&&slot| (slot as usize) < accepted)
                .map(|&slot| (slot as usize, first_index)),
        );
    }
    drop(slots);
    duplicates.sort_unstable();
    let positions: Vec<usize> = duplicates.iter().map(|&(p, _)| p).collect();
    out.remove_as_rejected(&positions, |carrier, index| {
        let at = positions
            .binary_search(&carrier.position())
            .expect("listed");
        Rejection {
            index,
            row: None,
            origin: Default::default(),
            id: Some(carrier.id().to_string()),
            reason: RejectReason::DuplicateId {
                first_index: duplicates[at].1,
                first_row: None,
            },
        }
    });
}

/// Notes each carrier (the same id and name) that appears in more than
/// one file or sheet of a read: each is counted, and the note says where.
pub(crate) fn note_repeats(carriers: &mut Carriers) {
    let mut keyed: Vec<(&str, &str, &crate::carrier::Origin)> = carriers
        .iter()
        .filter_map(|c| Some((c.id(), c.name()?, c.origin()?)))
        .collect();
    keyed.sort_unstable();
    let mut notes = Vec::new();
    for group in keyed.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let mut origins: Vec<crate::carrier::Origin> =
            group.iter().map(|(.., o)| (*o).clone()).collect();
        origins.dedup();
        if origins.len() > 1 {
            notes.push(ReadNote::Repeated {
                id: group[0].0.to_string(),
                name: group[0].1.to_string(),
                origins,
            });
        }
    }
    for note in notes {
        carriers.add_note(note);
    }
}
