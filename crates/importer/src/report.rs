//! The per-file dry-run report that the CLI prints as one JSON object per file.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use serde::Serialize;
use tourdesk_langid::ConversationDetector;

use crate::calendar::Calendar;
use crate::chat::Chat;
use crate::client::identify_client;
use crate::date::{date_of_unix_seconds, DateOrderBasis, DateOrderEvidence};
use crate::error::ImportError;
use crate::funnel::{suggest_status, FunnelStatus, StatusSuggestion};
use crate::kind::MessageKind;
use crate::parser::{parse_reader_sized, ParseOptions};
use crate::zip_export::{parse_zip, ZipLimits};

/// Everything an import needs to know besides the file.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The organisation's own names (managers' WhatsApp names), to tell the client apart.
    pub own_names: Vec<String>,
    /// Parsing choices (day/month order override).
    pub parse: ParseOptions,
    /// Zip safety limits.
    pub zip_limits: ZipLimits,
}

/// The language of the client's messages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguageGuess {
    /// ISO 639-1 code of one of the seven languages, or `unknown`.
    pub code: String,
    /// Posterior confidence 0..=1.
    pub confidence: f64,
    /// Messages fed before it was confident (or all of them).
    pub messages_used: usize,
}

/// Why a file could not be imported, as a stable code and the line it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportFailure {
    /// Stable code (see [`ImportError::code`]), translated by the UI.
    pub code: String,
    /// The first line that could not be read (from 1), when the code is about one.
    pub line: Option<usize>,
    /// That line's text (at most 120 characters).
    pub text: Option<String>,
}

impl ImportFailure {
    /// The code and line of `e`.
    pub fn of(e: &ImportError) -> ImportFailure {
        ImportFailure {
            code: e.code().to_string(),
            line: e.line().map(|l| l.0),
            text: e.line().map(|l| l.1.to_string()),
        }
    }
}

/// Dry-run summary of one export file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DryRunReport {
    /// The path as given.
    pub file: String,
    /// `user_messages + system_messages`.
    pub messages: usize,
    /// Messages written by participants.
    pub user_messages: usize,
    /// Events written by WhatsApp.
    pub system_messages: usize,
    /// Authors of user messages in order of appearance.
    pub participants: Vec<String>,
    /// `day_first` or `month_first`; `None` when nothing was parsed.
    pub date_order: Option<String>,
    /// Why that order: `component_above12`, `change_frequency`, `default`, `month_names`,
    /// `caller`; `None` when nothing was parsed.
    pub date_order_basis: Option<DateOrderBasis>,
    /// The headers' evidence for the order (`ambiguous`: every date ≤ 12, please check).
    pub date_order_evidence: DateOrderEvidence,
    /// The calendar the dates were written in (`first`/`last` are Gregorian).
    pub calendar: Calendar,
    /// Messages whose header had no year: their year was inferred and should be confirmed.
    pub years_inferred: usize,
    /// Earliest message, local ISO 8601 date-time as written (no zone).
    pub first: Option<String>,
    /// Latest message, local ISO 8601 date-time as written (no zone).
    pub last: Option<String>,
    /// Language of the client's messages.
    pub language: LanguageGuess,
    /// First funnel status with reason and message index.
    pub suggested_status: StatusSuggestion,
    /// Fatal error (then nothing parsed) and warnings, prefixed `warning: `.
    pub errors: Vec<String>,
    /// The fatal error as a code with the line it is about; `None` when the file parsed.
    pub failure: Option<ImportFailure>,
}

/// Parses a `.txt` or `.zip` export at `path`; headers without a year count back from the
/// file's modification date unless the options give one.
pub fn parse_path(path: &Path, options: &ImportOptions) -> Result<Chat, ImportError> {
    let mut options = options.clone();
    if options.parse.reference_date.is_none() {
        options.parse.reference_date = file_date(path);
    }
    let options = &options;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("zip") => parse_zip(path, &options.parse, &options.zip_limits),
        Some("txt") => {
            let file = File::open(path).map_err(|source| ImportError::Io {
                path: path.to_path_buf(),
                source,
            })?;
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            parse_reader_sized(
                BufReader::with_capacity(64 * 1024, file),
                &options.parse,
                size,
            )
        }
        _ => Err(ImportError::UnsupportedFile(path.to_path_buf())),
    }
}

/// The file's modification day (UTC), if the file system tells it.
fn file_date(path: &Path) -> Option<crate::date::LocalDateTime> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    let secs = modified
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    Some(date_of_unix_seconds(secs))
}

/// Detects the language over `author`'s text messages (all authors when `None`), stopping once
/// confident.
pub fn detect_language(chat: &Chat, author: Option<&str>) -> LanguageGuess {
    let mut conv = ConversationDetector::new();
    for m in chat.messages() {
        if m.kind != MessageKind::Text || (author.is_some() && m.author != author) {
            continue;
        }
        if conv.add(m.text) {
            break;
        }
    }
    let r = conv.result();
    LanguageGuess {
        code: r.lang.code().to_string(),
        confidence: (r.confidence * 1000.0).round() / 1000.0,
        messages_used: conv.messages(),
    }
}

/// Parses `path` and summarises it without importing anything; never fails (see `errors`).
/// Uses a second thread, when there is one, to build the language model while the file parses
/// and to detect the language while the first status is searched.
pub fn dry_run(path: &Path, options: &ImportOptions) -> DryRunReport {
    let file = path.display().to_string();
    let parsed = std::thread::scope(|s| {
        s.spawn(|| {
            tourdesk_langid::Detector::shared();
            crate::keywords::keywords();
        });
        parse_path(path, options)
    });
    match parsed {
        Ok(chat) => summarise(file, path, &chat, options),
        Err(e) => failed(file, &e),
    }
}

/// The report of a file that could not be parsed.
fn failed(file: String, e: &ImportError) -> DryRunReport {
    DryRunReport {
        file,
        messages: 0,
        user_messages: 0,
        system_messages: 0,
        participants: Vec::new(),
        date_order: None,
        date_order_basis: None,
        date_order_evidence: DateOrderEvidence::default(),
        calendar: Calendar::Gregorian,
        years_inferred: 0,
        first: None,
        last: None,
        language: LanguageGuess {
            code: "unknown".to_string(),
            confidence: 0.0,
            messages_used: 0,
        },
        suggested_status: StatusSuggestion {
            status: FunnelStatus::NewLead,
            reason: "nothing parsed".to_string(),
            signal: String::new(),
            signal_value: String::new(),
            message_index: None,
        },
        errors: vec![e.to_string()],
        failure: Some(ImportFailure::of(e)),
    }
}

/// The report of a parsed file: client, language and first status (the last two side by side).
fn summarise(file: String, path: &Path, chat: &Chat, options: &ImportOptions) -> DryRunReport {
    let file_name = path.file_name().and_then(|n| n.to_str());
    let client = identify_client(chat, &options.own_names, file_name);
    let participants = chat.participants();
    let client_author = if client.is_group {
        None
    } else {
        client.name.as_deref().filter(|n| participants.contains(n))
    };
    let (language, suggested_status) = std::thread::scope(|s| {
        let language = s.spawn(|| detect_language(chat, client_author));
        let status = suggest_status(chat, client_author);
        let language = language.join().unwrap_or_else(|_| LanguageGuess {
            code: "unknown".to_string(),
            confidence: 0.0,
            messages_used: 0,
        });
        (language, status)
    });
    let span = chat.span();
    DryRunReport {
        file,
        messages: chat.len(),
        user_messages: chat.user_message_count(),
        system_messages: chat.system_message_count(),
        participants: participants.iter().map(|p| p.to_string()).collect(),
        date_order: (!chat.is_empty()).then(|| chat.date_order().as_str().to_string()),
        date_order_basis: (!chat.is_empty()).then(|| chat.date_order_basis()),
        date_order_evidence: chat.date_order_evidence(),
        calendar: chat.calendar(),
        years_inferred: chat.years_inferred(),
        first: span.map(|s| s.0.to_iso()),
        last: span.map(|s| s.1.to_iso()),
        language,
        suggested_status,
        errors: chat
            .warnings()
            .iter()
            .map(|w| format!("warning: {}", w.english()))
            .collect(),
        failure: None,
    }
}
