//! The import's rules that need the importer or the store rows (the pure ones are in
//! `tourdesk_core::import_rules`): file errors, own names, message direction, look-alikes.

use std::collections::{HashMap, HashSet};

use tourdesk_core::import::ImportFileError;
use tourdesk_core::message::Direction;
use tourdesk_core::validate::{self, MAX_NAME};
use tourdesk_core::{AppError, AppResult, ErrorCode};
use tourdesk_importer::ImportError;
use tourdesk_store::imports::{ItemRow, StoredKey};

pub(super) use tourdesk_core::import_rules::*;

use super::{ParsedFile, MAX_OWN_NAMES};

pub(super) fn file_error(
    file_name: &str,
    code: ErrorCode,
    message: impl Into<String>,
) -> ImportFileError {
    ImportFileError {
        file_name: file_name.to_string(),
        code,
        message: message.into(),
    }
}

pub(super) fn importer_error(file_name: &str, e: &ImportError) -> ImportFileError {
    let code = match e {
        ImportError::ZipRefused { reason, .. } if !reason.contains("unsafe") => {
            ErrorCode::ImportTooLarge
        }
        ImportError::Io { .. } | ImportError::Write { .. } => ErrorCode::Storage,
        _ => ErrorCode::NotAWhatsappExport,
    };
    file_error(file_name, code, e.to_string())
}

/// The managers' names: trimmed, non-empty, one line, de-duplicated (case-insensitively).
pub(super) fn clean_own_names(names: &[String]) -> AppResult<Vec<String>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for n in names {
        let Some(n) = validate::optional_text(Some(n), "own_names", MAX_NAME)? else {
            continue;
        };
        if seen.insert(name_key(&n)) {
            out.push(n);
        }
    }
    if out.len() > MAX_OWN_NAMES {
        return Err(AppError::field(
            ErrorCode::OutOfRange,
            "own_names",
            "too many names",
        ));
    }
    Ok(out)
}

/// The participant who writes in every one of at least two files is the manager (used for the
/// batch when the organisation's own names are not known yet).
pub(super) fn infer_own_names(parsed: &[ParsedFile]) -> Vec<String> {
    let chats: Vec<Vec<&str>> = parsed
        .iter()
        .map(|p| p.chat.participants())
        .filter(|p| p.len() == 2)
        .collect();
    if chats.len() < 2 {
        return Vec::new();
    }
    let mut counts: HashMap<String, (usize, &str)> = HashMap::new();
    for participants in &chats {
        for p in participants {
            counts.entry(name_key(p)).or_insert((0, p)).0 += 1;
        }
    }
    counts
        .into_values()
        .filter(|(n, _)| *n == chats.len())
        .map(|(_, p)| p.to_string())
        .collect()
}

/// Who wrote a message of a conversation: the client's messages come in, ours go out.
pub(super) fn direction_of(row: &ItemRow, author: Option<&str>) -> Direction {
    let author = author.map(name_key).unwrap_or_default();
    if !row.item.is_group {
        if let Some(client) = row.client_author.as_deref() {
            return if name_key(client) == author {
                Direction::In
            } else {
                Direction::Out
            };
        }
    }
    if row.own_names.iter().any(|o| name_key(o) == author) {
        Direction::Out
    } else {
        Direction::In
    }
}

/// Stored messages of a chat grouped by the duplicate key, each group in arrival order; an
/// imported message takes the first stored look-alike not taken yet (so the n-th identical
/// message of a minute matches the n-th stored one).
pub(super) struct LookAlikes {
    groups: HashMap<DedupeKey, Vec<(i64, bool, bool)>>,
}

impl LookAlikes {
    pub(super) fn new(stored: &[StoredKey]) -> Self {
        let mut groups: HashMap<DedupeKey, Vec<(i64, bool, bool)>> = HashMap::new();
        for s in stored {
            if let Some(class) = class_of(s.kind, &s.body, s.deleted) {
                groups
                    .entry(dedupe_key(s.direction, class, s.sent_at))
                    .or_default()
                    .push((s.seq, s.wa_message_id.is_some(), false));
            }
        }
        LookAlikes { groups }
    }

    /// The next stored look-alike; a message with a WhatsApp id only takes one without an id
    /// (two different ids are two different messages).
    pub(super) fn take(&mut self, key: &DedupeKey, has_wa_id: bool) -> Option<i64> {
        let group = self.groups.get_mut(key)?;
        let slot = group
            .iter_mut()
            .find(|(_, with_id, taken)| !*taken && (!has_wa_id || !*with_id))?;
        slot.2 = true;
        Some(slot.0)
    }
}
