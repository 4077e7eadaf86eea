//! Errors of the importer.

use std::io;
use std::path::PathBuf;

/// Why an export could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// Reading the stream failed midway.
    #[error("read error: {0}")]
    Read(#[from] io::Error),
    /// No line looks like a WhatsApp message header.
    #[error("not a WhatsApp export: no line starts with a date and time ({lines} lines read)")]
    NotAWhatsAppExport {
        /// Lines read.
        lines: usize,
    },
    /// Neither `.txt` nor `.zip`.
    #[error("unsupported file {0}: expected a .txt or .zip WhatsApp export")]
    UnsupportedFile(PathBuf),
    /// The zip archive is damaged or uses something unsupported.
    #[error("invalid zip archive {path}: {reason}")]
    Zip {
        /// The archive.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The zip archive was refused for safety (zip bomb, path traversal).
    #[error("zip archive {path} refused: {reason}")]
    ZipRefused {
        /// The archive.
        path: PathBuf,
        /// Which limit or rule it broke.
        reason: String,
    },
    /// The zip holds no chat `.txt` file.
    #[error("no WhatsApp chat .txt file inside {0}")]
    NoChatInZip(PathBuf),
    /// Writing an attachment into the destination failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The destination file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
}
