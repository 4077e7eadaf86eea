//! Tourdesk importer: a streaming parser for WhatsApp "Export chat" files (.txt and .zip, Android
//! and iOS, any phone locale), client identification, a first funnel status and dry-run reports.

#![warn(missing_docs)]

mod calendar;
mod chat;
mod client;
mod cursor;
mod date;
mod encoding;
mod error;
mod funnel;
mod header;
mod header_date;
mod keywords;
mod kind;
mod names;
mod parser;
mod report;
mod text;
mod zip_export;

pub use calendar::Calendar;
pub use chat::{Attachment, Chat, MessageRef};
pub use client::{contact_from_file_name, identify_client, phone_from, ClientGuess};
pub use date::{DateOrder, DateOrderBasis, DateOrderEvidence, LocalDateTime};
pub use error::ImportError;
pub use funnel::{suggest_status, suggest_status_of, FunnelStatus, StatusSuggestion};
pub use header::{parse_header_bytes, RawHeader};
pub use kind::MessageKind;
pub use parser::{parse_reader, parse_str, ParseOptions};
pub use report::{
    detect_language, dry_run, parse_path, DryRunReport, ImportFailure, ImportOptions, LanguageGuess,
};
pub use zip_export::{copy_attachments, parse_zip, CopiedAttachment, ZipLimits};
