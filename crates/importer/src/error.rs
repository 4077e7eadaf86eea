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
    #[error("not a WhatsApp export: line {line} does not start with a date and time: {text:?} ({lines} lines read)")]
    NotAWhatsAppExport {
        /// Lines read.
        lines: usize,
        /// The first non-empty line that could not be read (from 1).
        line: usize,
        /// That line's text (at most 120 characters).
        text: String,
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

impl ImportError {
    /// Stable code for translated display: `not_a_whatsapp_export`, `unsupported_file`,
    /// `file_unreadable`, `read_failed`, `zip_invalid`, `zip_refused`, `zip_without_chat` or
    /// `write_failed`.
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::Io { .. } => "file_unreadable",
            ImportError::Read(_) => "read_failed",
            ImportError::NotAWhatsAppExport { .. } => "not_a_whatsapp_export",
            ImportError::UnsupportedFile(_) => "unsupported_file",
            ImportError::Zip { .. } => "zip_invalid",
            ImportError::ZipRefused { .. } => "zip_refused",
            ImportError::NoChatInZip(_) => "zip_without_chat",
            ImportError::Write { .. } => "write_failed",
        }
    }

    /// The line the error is about (number from 1, text), when there is one.
    pub fn line(&self) -> Option<(usize, &str)> {
        match self {
            ImportError::NotAWhatsAppExport { line, text, .. } => Some((*line, text.as_str())),
            _ => None,
        }
    }
}
