//! `.zip` exports: safety limits, finding the chat text, linking and copying attachments.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use zip::ZipArchive;

use crate::chat::Chat;
use crate::error::ImportError;
use crate::parser::{parse_reader_sized, ParseOptions};

/// Limits that make a hostile archive (zip bomb) fail early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZipLimits {
    /// Most entries an archive may hold.
    pub max_entries: usize,
    /// Most bytes all entries together may unpack to (declared and actually read).
    pub max_total_bytes: u64,
    /// Most bytes one entry may unpack to.
    pub max_entry_bytes: u64,
}

impl Default for ZipLimits {
    fn default() -> Self {
        ZipLimits {
            max_entries: 10_000,
            max_total_bytes: 4 << 30,
            max_entry_bytes: 2 << 30,
        }
    }
}

/// One file of an archive that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    index: usize,
    name: String,
    size: u64,
}

/// A checked archive: every entry name is safe and the declared sizes are within limits.
struct Checked {
    archive: ZipArchive<BufReader<File>>,
    entries: Vec<Entry>,
}

fn zip_err(path: &Path, e: impl std::fmt::Display) -> ImportError {
    ImportError::Zip {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

fn refused(path: &Path, reason: String) -> ImportError {
    ImportError::ZipRefused {
        path: path.to_path_buf(),
        reason,
    }
}

/// Opens `path` and checks entry count, declared sizes and entry names.
fn open_checked(path: &Path, limits: &ZipLimits) -> Result<Checked, ImportError> {
    let file = File::open(path).map_err(|source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut archive = ZipArchive::new(BufReader::new(file)).map_err(|e| zip_err(path, e))?;
    if archive.len() > limits.max_entries {
        return Err(refused(
            path,
            format!("{} entries, limit {}", archive.len(), limits.max_entries),
        ));
    }
    let mut entries = Vec::new();
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let f = archive.by_index_raw(index).map_err(|e| zip_err(path, e))?;
        let name = f.name().map_err(|e| zip_err(path, e))?.to_string();
        if !is_safe_entry_name(&name) || f.enclosed_name().is_none() {
            return Err(refused(path, format!("unsafe entry name {name:?}")));
        }
        if f.is_dir() {
            continue;
        }
        let size = f.size();
        if size > limits.max_entry_bytes {
            return Err(refused(
                path,
                format!(
                    "entry {name:?} declares {size} bytes, limit {}",
                    limits.max_entry_bytes
                ),
            ));
        }
        total = total.saturating_add(size);
        if total > limits.max_total_bytes {
            return Err(refused(
                path,
                format!(
                    "entries declare over {} bytes in total",
                    limits.max_total_bytes
                ),
            ));
        }
        entries.push(Entry { index, name, size });
    }
    Ok(Checked { archive, entries })
}

/// Rejects absolute paths, `..` components, drive letters and backslash tricks.
fn is_safe_entry_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.starts_with('\\')
        && !name.contains('\0')
        && !name.contains(':')
        && name
            .split(['/', '\\'])
            .all(|part| part != ".." && part != ".")
}

/// The last path component of an entry name.
fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// Picks the chat text: `_chat.txt` (iOS), else a `.txt` named like a chat, else the largest `.txt`.
fn chat_entry(entries: &[Entry]) -> Option<&Entry> {
    let txt: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.name.to_lowercase().ends_with(".txt"))
        .collect();
    txt.iter()
        .find(|e| base_name(&e.name) == "_chat.txt")
        .or_else(|| {
            txt.iter().find(|e| {
                let b = base_name(&e.name).to_lowercase();
                b.contains("whatsapp") || b.contains("chat") || b.contains("واتساب")
            })
        })
        .or_else(|| txt.iter().max_by_key(|e| e.size))
        .copied()
}

/// A reader that fails once more bytes come out than the entry declared or the limits allow.
struct Counted<R> {
    inner: R,
    allowed: u64,
    read: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.allowed {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "entry unpacks to more than {} bytes (declared size or limit)",
                    self.allowed
                ),
            ));
        }
        Ok(n)
    }
}

/// Parses the chat inside a `.zip` export and links the media files it holds to their messages.
pub fn parse_zip(
    path: &Path,
    options: &ParseOptions,
    limits: &ZipLimits,
) -> Result<Chat, ImportError> {
    let mut checked = open_checked(path, limits)?;
    let entry = chat_entry(&checked.entries)
        .cloned()
        .ok_or_else(|| ImportError::NoChatInZip(path.to_path_buf()))?;
    let mut chat = {
        let f = checked
            .archive
            .by_index(entry.index)
            .map_err(|e| zip_err(path, e))?;
        let reader = Counted {
            inner: f,
            allowed: entry.size.min(limits.max_entry_bytes),
            read: 0,
        };
        let size = entry.size;
        parse_reader_sized(BufReader::with_capacity(64 * 1024, reader), options, size).map_err(
            |e| match e {
                ImportError::Read(io) if io.kind() == io::ErrorKind::InvalidData => {
                    refused(path, format!("{}: {io}", entry.name))
                }
                other => other,
            },
        )?
    };
    let by_name: HashMap<&str, &Entry> = checked
        .entries
        .iter()
        .filter(|e| e.index != entry.index)
        .map(|e| (base_name(&e.name), e))
        .collect();
    for a in chat.attachments.iter_mut() {
        if let Some(e) = by_name.get(a.file_name.as_str()) {
            a.zip_entry = Some(e.name.clone());
            a.size = Some(e.size);
        }
    }
    Ok(chat)
}

/// One attachment copied out of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedAttachment {
    /// The file name the message names.
    pub file_name: String,
    /// Where it was written.
    pub path: PathBuf,
    /// Bytes written.
    pub bytes: u64,
}

/// Copies the attachments of `chat` (parsed from `zip_path`) into `dest_dir`, by file name.
///
/// Files are written only directly inside `dest_dir`; an existing file of the same size is kept;
/// the same size and entry limits as parsing apply to the bytes actually unpacked.
pub fn copy_attachments(
    zip_path: &Path,
    chat: &Chat,
    dest_dir: &Path,
    limits: &ZipLimits,
) -> Result<Vec<CopiedAttachment>, ImportError> {
    let mut checked = open_checked(zip_path, limits)?;
    let index_of: HashMap<&str, (usize, u64)> = checked
        .entries
        .iter()
        .map(|e| (e.name.as_str(), (e.index, e.size)))
        .collect();
    std::fs::create_dir_all(dest_dir).map_err(|source| ImportError::Write {
        path: dest_dir.to_path_buf(),
        source,
    })?;
    let mut copied = Vec::new();
    let mut budget = limits.max_total_bytes;
    for a in chat.attachments() {
        let Some(entry_name) = a.zip_entry.as_deref() else {
            continue;
        };
        let Some(&(index, size)) = index_of.get(entry_name) else {
            continue;
        };
        let file_name = base_name(entry_name);
        if !is_safe_entry_name(file_name) || file_name.contains(['/', '\\']) {
            return Err(refused(zip_path, format!("unsafe file name {file_name:?}")));
        }
        let dest = dest_dir.join(file_name);
        if std::fs::metadata(&dest).is_ok_and(|m| m.len() == size) {
            copied.push(CopiedAttachment {
                file_name: a.file_name.clone(),
                path: dest,
                bytes: size,
            });
            continue;
        }
        let allowed = size.min(limits.max_entry_bytes).min(budget);
        let f = checked
            .archive
            .by_index(index)
            .map_err(|e| zip_err(zip_path, e))?;
        let mut reader = Counted {
            inner: f,
            allowed,
            read: 0,
        };
        let write_err = |source| ImportError::Write {
            path: dest.clone(),
            source,
        };
        let mut out = File::create(&dest).map_err(write_err)?;
        let result = io::copy(&mut reader, &mut out);
        let bytes = match result {
            Ok(n) => n,
            Err(e) => {
                drop(out);
                let _ = std::fs::remove_file(&dest);
                return Err(if e.kind() == io::ErrorKind::InvalidData {
                    refused(zip_path, format!("{entry_name}: {e}"))
                } else {
                    zip_err(zip_path, e)
                });
            }
        };
        out.flush().map_err(write_err)?;
        budget = budget.saturating_sub(bytes);
        copied.push(CopiedAttachment {
            file_name: a.file_name.clone(),
            path: dest,
            bytes,
        });
    }
    Ok(copied)
}
