//! What a Parquet file is read from, and whether several decoders can read
//! it at once.

use std::any::Any;
#[cfg(any(unix, windows))]
use std::fs::File;
use std::io::{self, BufReader, Read};
#[cfg(any(unix, windows))]
use std::sync::Arc;

use bytes::Bytes;
use parquet::errors::{ParquetError, Result};
use parquet::file::reader::{ChunkReader, Length};

/// A Parquet file's bytes. A [`File`] is read at offsets rather than
/// through its cursor (which every clone of it shares), so that, like
/// [`Bytes`], it can give each decoder a reader of its own; any other
/// reader is read by one decoder.
pub(super) enum Source<R> {
    #[cfg(any(unix, windows))]
    File(Arc<File>),
    Bytes(Bytes),
    Other(R),
}

impl<R: ChunkReader + 'static> Source<R> {
    pub(super) fn new(file: R) -> Source<R> {
        let file: Box<dyn Any> = Box::new(file);
        #[cfg(any(unix, windows))]
        let file = match file.downcast::<File>() {
            Ok(file) => return Source::File(Arc::new(*file)),
            Err(other) => other,
        };
        match file.downcast::<Bytes>() {
            Ok(bytes) => Source::Bytes(*bytes),
            Err(other) => Source::Other(*other.downcast::<R>().expect("the type it was made of")),
        }
    }

    /// A handle on the same bytes that reads independently of this one,
    /// when there can be one.
    pub(super) fn split(&self) -> Option<Source<R>> {
        match self {
            #[cfg(any(unix, windows))]
            Source::File(file) => Some(Source::File(Arc::clone(file))),
            Source::Bytes(bytes) => Some(Source::Bytes(bytes.clone())),
            Source::Other(_) => None,
        }
    }
}

impl<R: ChunkReader> Length for Source<R> {
    fn len(&self) -> u64 {
        match self {
            #[cfg(any(unix, windows))]
            Source::File(file) => file.len(),
            Source::Bytes(bytes) => bytes.len() as u64,
            Source::Other(other) => other.len(),
        }
    }
}

impl<R: ChunkReader> ChunkReader for Source<R> {
    type T = SourceRead<R::T>;

    fn get_read(&self, start: u64) -> Result<Self::T> {
        Ok(match self {
            #[cfg(any(unix, windows))]
            Source::File(file) => SourceRead::File(BufReader::new(FileAt {
                file: Arc::clone(file),
                offset: start,
            })),
            Source::Bytes(bytes) => SourceRead::Bytes(bytes.get_read(start)?),
            Source::Other(other) => SourceRead::Other(other.get_read(start)?),
        })
    }

    fn get_bytes(&self, start: u64, length: usize) -> Result<Bytes> {
        match self {
            #[cfg(any(unix, windows))]
            Source::File(file) => {
                let mut buffer = vec![0; length];
                let mut at = FileAt {
                    file: Arc::clone(file),
                    offset: start,
                };
                at.read_exact(&mut buffer).map_err(|e| match e.kind() {
                    io::ErrorKind::UnexpectedEof => ParquetError::EOF(format!(
                        "expected {length} bytes at offset {start}, the file ends first"
                    )),
                    _ => ParquetError::External(Box::new(e)),
                })?;
                Ok(buffer.into())
            }
            Source::Bytes(bytes) => bytes.get_bytes(start, length),
            Source::Other(other) => other.get_bytes(start, length),
        }
    }
}

/// A reader of a [`Source`] from an offset.
pub(super) enum SourceRead<T> {
    #[cfg(any(unix, windows))]
    File(BufReader<FileAt>),
    Bytes(bytes::buf::Reader<Bytes>),
    Other(T),
}

impl<T: Read> Read for SourceRead<T> {
    /// A read at the end of the file is an error, not the end of a
    /// stream: the decoder reads a page header from where the metadata
    /// points, and a corrupt header that declares a list of billions of
    /// fields would otherwise skip each of them in an empty read, taking
    /// minutes for a file of a few kilobytes. A sound file is never read
    /// past its end.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = match self {
            #[cfg(any(unix, windows))]
            SourceRead::File(file) => file.read(buf)?,
            SourceRead::Bytes(bytes) => bytes.read(buf)?,
            SourceRead::Other(other) => return other.read(buf),
        };
        if read == 0 && !buf.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file ends where its metadata says a page goes on",
            ));
        }
        Ok(read)
    }
}

/// A file read from an offset of its own.
#[cfg(any(unix, windows))]
pub(super) struct FileAt {
    file: Arc<File>,
    offset: u64,
}

#[cfg(any(unix, windows))]
impl Read for FileAt {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        #[cfg(unix)]
        let read = std::os::unix::fs::FileExt::read_at(&*self.file, buf, self.offset)?;
        #[cfg(windows)]
        let read = std::os::windows::fs::FileExt::seek_read(&*self.file, buf, self.offset)?;
        self.offset += read as u64;
        Ok(read)
    }
}
