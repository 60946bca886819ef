//! A register kept as several files (each district bureau's, a folder of
//! them), read as one: each record keeps its file, ids are unique per
//! file, and a file given twice is read once, with a note.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{note_repeats, read_carriers_file, ReadOptions};
use crate::carrier::{Carriers, Origin, TableRead};
use crate::error::{Error, ErrorKind};
use crate::format::CarrierFormat;

/// One file of a register kept as several, and how to read it (its datum,
/// sheets, headers, encoding).
#[derive(Debug, Clone)]
pub struct RegisterFile {
    /// The file.
    pub path: PathBuf,
    /// How to read it.
    pub options: ReadOptions,
}

impl RegisterFile {
    /// `path`, read with `options`.
    pub fn new(path: impl Into<PathBuf>, options: ReadOptions) -> RegisterFile {
        RegisterFile {
            path: path.into(),
            options,
        }
    }
}

/// The carrier files in `folder`, by name: those whose extension names a
/// format the readers read (`.csv`, `.xlsx`, `.geojson`, `.parquet`, …).
/// Files whose names start with `~$` (Excel's lock files) or `.` are left
/// out.
///
/// # Errors
///
/// When the folder cannot be listed.
pub fn register_files_in(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let hidden = name.starts_with("~$") || name.starts_with('.');
        if path.is_file() && !hidden && CarrierFormat::by_name(&path).is_some() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Reads several carrier files as one register, in parallel.
///
/// Each record keeps its file ([`CarrierRef::origin`](crate::carrier::CarrierRef::origin)); rejections
/// and notes name it. Ids are unique per file: two districts' 序号 1 are two
/// carriers. A file given twice, or with the same bytes as one before it,
/// is read once, and a note says so; one carrier (the same id and name) in
/// two files is named in a note ([`ReadNote::Repeated`](crate::carrier::ReadNote::Repeated)), each counted.
/// The carriers are converted to the datum of the first file whose
/// records have a location. [`Carriers::tables`] lists every file (and
/// sheet) with its records.
///
/// # Errors
///
/// The first file's error that stops its read, naming the file
/// ([`ErrorKind::In`]); an empty list.
///
/// # Examples
///
/// ```
/// use carrier_quota::read::{read_register_files, RegisterFile};
/// use carrier_quota::ReadOptions;
///
/// let dir = std::env::temp_dir().join(format!("cq-doc-several-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let header = "序号,载体类型,所在区县,建筑面积\n";
/// std::fs::write(dir.join("渝北区.csv"), format!("{header}1,孵化器,渝北区,1000\n"))?;
/// std::fs::write(dir.join("江北区.csv"), format!("{header}1,孵化器,江北区,500\n"))?;
/// let files = [dir.join("渝北区.csv"), dir.join("江北区.csv")]
///     .map(|path| RegisterFile::new(path, ReadOptions::new()));
/// let carriers = read_register_files(&files)?;
/// assert_eq!(carriers.len(), 2, "each file's 序号 1 is its own carrier");
/// assert_eq!(carriers.tables().len(), 2);
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_register_files(files: &[RegisterFile]) -> Result<Carriers, Error> {
    if files.is_empty() {
        return Err(ErrorKind::Io(std::io::Error::other("no carrier file given")).into());
    }
    let names: Vec<String> = files.iter().map(|f| f.path.display().to_string()).collect();
    let repeats = repeated_files(files);
    let reads: Vec<Option<Result<Carriers, Error>>> = files
        .par_iter()
        .enumerate()
        .map(|(i, file)| match repeats[i] {
            Some(_) => None,
            None => Some(read_carriers_file(&file.path, &file.options)),
        })
        .collect();
    let mut sets = Vec::new();
    let mut skipped = Vec::new();
    for (i, read) in reads.into_iter().enumerate() {
        let origin = Origin {
            file: Some(names[i].clone()),
            sheet: None,
        };
        match read {
            None => {
                let first = repeats[i].expect("a repeat");
                let why = format!("the same file as {}: read once", names[first]);
                skipped.push(TableRead::skipped(origin, why));
            }
            Some(Err(error)) => {
                let error = Box::new(error);
                return Err(ErrorKind::In { origin, error }.into());
            }
            Some(Ok(mut carriers)) => {
                if carriers.tables().is_empty() {
                    let mut table = TableRead::read(Origin::default());
                    table.records = carriers.features_read();
                    carriers.add_table(table);
                }
                carriers.set_file(&names[i]);
                sets.push(carriers);
            }
        }
    }
    let datum = sets
        .iter()
        .find(|c| c.anchors().iter().any(|a| a.x.is_finite()))
        .or(sets.first())
        .map(Carriers::datum);
    let mut sets = sets.into_iter();
    let mut out = match (sets.next(), datum) {
        (Some(first), Some(datum)) => first.into_datum(datum),
        _ => {
            let why = skipped.iter().filter_map(|t| t.skipped.clone());
            let why: Vec<String> = why.collect();
            return Err(ErrorKind::Io(std::io::Error::other(why.join("; "))).into());
        }
    };
    for set in sets {
        let index = out.features_read();
        out.append(set.into_datum(out.datum()))
            .map_err(|_| ErrorKind::StoreFull { index })?;
    }
    for table in skipped {
        out.add_table(table);
    }
    note_repeats(&mut out);
    Ok(out)
}

/// For each file, the earlier file it repeats: the same path, or the same
/// bytes. Only files of a size another has are read for their bytes. A
/// file that cannot be read is left to its reader to report.
fn repeated_files(files: &[RegisterFile]) -> Vec<Option<usize>> {
    let found: Vec<Option<(PathBuf, u64)>> = files
        .iter()
        .map(|f| {
            Some((
                f.path.canonicalize().ok()?,
                std::fs::metadata(&f.path).ok()?.len(),
            ))
        })
        .collect();
    let sized_alike = |i: usize| {
        let size = found[i].as_ref().map(|f| f.1);
        (0..files.len()).any(|j| j != i && size.is_some() && found[j].as_ref().map(|f| f.1) == size)
    };
    let hashes: Vec<Option<u64>> = (0..files.len())
        .into_par_iter()
        .map(|i| {
            let bytes = sized_alike(i).then(|| std::fs::read(&files[i].path).ok())??;
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut hasher);
            Some(hasher.finish())
        })
        .collect();
    (0..files.len())
        .map(|i| {
            let (path, size) = found[i].as_ref()?;
            (0..i).find(|&j| {
                let same_path = found[j].as_ref().is_some_and(|f| &f.0 == path);
                let same_bytes = hashes[i].is_some()
                    && hashes[j] == hashes[i]
                    && found[j].as_ref().is_some_and(|f| f.1 == *size);
                same_path || same_bytes
            })
        })
        .collect()
}

/// How reports name a register read from `paths`: the files' names, the
/// first three and how many more (`万州区.csv + 江北区.csv + 2 more`).
pub fn register_name(paths: &[PathBuf]) -> String {
    let name = |p: &PathBuf| {
        p.file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string()
    };
    let shown: Vec<String> = paths.iter().take(3).map(name).collect();
    match paths.len() {
        0..=3 => shown.join(" + "),
        n => format!("{} + {} more", shown.join(" + "), n - 3),
    }
}
