//! Whole files the app writes outside SQLite (attachments, copies of backups): written to a side
//! file and renamed into place, so a full disk or an I/O error leaves nothing half-written.
//! Writing goes through a [`FileSink`]; tests give one that fails like a full disk.

use std::io::Write;
use std::path::{Path, PathBuf};

use tourdesk_core::AppResult;
use tourdesk_store::fault::io_err;

/// Opens files for writing.
pub trait FileSink: Send + Sync {
    /// Creates (or truncates) `path` for writing.
    fn create(&self, path: &Path) -> std::io::Result<Box<dyn Write>>;
}

/// The real disk.
pub struct DiskSink;

impl FileSink for DiskSink {
    fn create(&self, path: &Path) -> std::io::Result<Box<dyn Write>> {
        Ok(Box::new(std::fs::File::create(path)?))
    }
}

fn side_file(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

/// Writes everything `fill` produces to `path` whole or not at all.
fn write_via(
    sink: &dyn FileSink,
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> AppResult<()> {
    let tmp = side_file(path);
    let written = sink.create(&tmp).and_then(|mut w| {
        fill(&mut *w)?;
        w.flush()
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io_err("write file")(e));
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io_err("finish file")(e)
    })
}

/// Writes `bytes` to `path` whole or not at all.
pub(crate) fn write_whole(sink: &dyn FileSink, path: &Path, bytes: &[u8]) -> AppResult<()> {
    write_via(sink, path, |w| w.write_all(bytes))
}

/// Copies `from` to `to` whole or not at all.
pub(crate) fn copy_whole(sink: &dyn FileSink, from: &Path, to: &Path) -> AppResult<()> {
    let mut src = std::fs::File::open(from).map_err(io_err("read file"))?;
    write_via(sink, to, |w| std::io::copy(&mut src, w).map(|_| ()))
}
