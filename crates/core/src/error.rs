//! The one error shape crossing every boundary: `{ code, message, field?, existing_id? }`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The closed set of error codes; the UI turns each into a translated sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A required text is empty.
    Required,
    /// A text is longer than allowed.
    TooLong,
    /// A text contains control characters.
    InvalidText,
    /// The phone number cannot be understood.
    InvalidPhone,
    /// The e-mail address is malformed.
    InvalidEmail,
    /// The time zone is not an IANA zone name.
    UnknownTimeZone,
    /// The currency is not an ISO-4217 code.
    InvalidCurrency,
    /// A number is below zero or otherwise out of range.
    OutOfRange,
    /// The value is not one of the allowed choices.
    InvalidChoice,
    /// A date is malformed.
    InvalidDate,
    /// The password is shorter than the minimum.
    PasswordTooShort,
    /// Another client of the organisation already has this phone.
    DuplicatePhone,
    /// Another user of the organisation already has this e-mail.
    DuplicateEmail,
    /// The thing does not exist (or belongs to another organisation).
    NotFound,
    /// The signed-in user's role does not allow the action.
    Forbidden,
    /// Nobody is signed in.
    NotSignedIn,
    /// E-mail or password is wrong.
    InvalidCredentials,
    /// The user was deactivated by an admin.
    UserInactive,
    /// The recovery code is wrong.
    InvalidRecoveryCode,
    /// The change would leave the organisation without an active admin.
    LastAdmin,
    /// The data folder already has an organisation: the desktop and the CLI serve one per folder.
    OneOrgPerFolder,
    /// The action makes no sense in the current state (e.g. merging a client into itself).
    Conflict,
    /// No usable OS keychain (or other secret store) to keep a secret in.
    KeychainUnavailable,
    /// WhatsApp cannot run or is not connected for what was asked (e.g. a pairing code).
    WhatsappUnavailable,
    /// An attached file is empty, unreadable or not a file we can send.
    InvalidAttachment,
    /// A file given to the history import is not a WhatsApp chat export (.txt or .zip).
    NotAWhatsappExport,
    /// A file given to the history import is larger than allowed (or unpacks to more).
    ImportTooLarge,
    /// The data file is damaged (it does not open, or its integrity check fails).
    StoreDamaged,
    /// Another process holds the data folder or the data file.
    StoreLocked,
    /// The data file was written by a newer Tourdesk than this one.
    StoreTooNew,
    /// The disk holding the data is full; nothing was saved.
    DiskFull,
    /// The data folder or file cannot be written (read-only disk or no permission).
    ReadOnlyStorage,
    /// The data folder (or the disk it is on) is not there.
    FolderMissing,
    /// The disk reported a read or write error; nothing was saved.
    DiskError,
    /// The data file could not be read or written.
    Storage,
    /// Something unexpected; details are in the log.
    Internal,
}

impl ErrorCode {
    /// The stable snake_case name of the code (the same text serde writes).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Required => "required",
            ErrorCode::TooLong => "too_long",
            ErrorCode::InvalidText => "invalid_text",
            ErrorCode::InvalidPhone => "invalid_phone",
            ErrorCode::InvalidEmail => "invalid_email",
            ErrorCode::UnknownTimeZone => "unknown_time_zone",
            ErrorCode::InvalidCurrency => "invalid_currency",
            ErrorCode::OutOfRange => "out_of_range",
            ErrorCode::InvalidChoice => "invalid_choice",
            ErrorCode::InvalidDate => "invalid_date",
            ErrorCode::PasswordTooShort => "password_too_short",
            ErrorCode::DuplicatePhone => "duplicate_phone",
            ErrorCode::DuplicateEmail => "duplicate_email",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotSignedIn => "not_signed_in",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::UserInactive => "user_inactive",
            ErrorCode::InvalidRecoveryCode => "invalid_recovery_code",
            ErrorCode::LastAdmin => "last_admin",
            ErrorCode::OneOrgPerFolder => "one_org_per_folder",
            ErrorCode::Conflict => "conflict",
            ErrorCode::KeychainUnavailable => "keychain_unavailable",
            ErrorCode::WhatsappUnavailable => "whatsapp_unavailable",
            ErrorCode::InvalidAttachment => "invalid_attachment",
            ErrorCode::NotAWhatsappExport => "not_a_whatsapp_export",
            ErrorCode::ImportTooLarge => "import_too_large",
            ErrorCode::StoreDamaged => "store_damaged",
            ErrorCode::StoreLocked => "store_locked",
            ErrorCode::StoreTooNew => "store_too_new",
            ErrorCode::DiskFull => "disk_full",
            ErrorCode::ReadOnlyStorage => "read_only_storage",
            ErrorCode::FolderMissing => "folder_missing",
            ErrorCode::DiskError => "disk_error",
            ErrorCode::Storage => "storage",
            ErrorCode::Internal => "internal",
        }
    }
}

/// Every code, for tests that check the UI translates each one.
pub const ALL_CODES: &[ErrorCode] = &[
    ErrorCode::Required,
    ErrorCode::TooLong,
    ErrorCode::InvalidText,
    ErrorCode::InvalidPhone,
    ErrorCode::InvalidEmail,
    ErrorCode::UnknownTimeZone,
    ErrorCode::InvalidCurrency,
    ErrorCode::OutOfRange,
    ErrorCode::InvalidChoice,
    ErrorCode::InvalidDate,
    ErrorCode::PasswordTooShort,
    ErrorCode::DuplicatePhone,
    ErrorCode::DuplicateEmail,
    ErrorCode::NotFound,
    ErrorCode::Forbidden,
    ErrorCode::NotSignedIn,
    ErrorCode::InvalidCredentials,
    ErrorCode::UserInactive,
    ErrorCode::InvalidRecoveryCode,
    ErrorCode::LastAdmin,
    ErrorCode::OneOrgPerFolder,
    ErrorCode::Conflict,
    ErrorCode::KeychainUnavailable,
    ErrorCode::WhatsappUnavailable,
    ErrorCode::InvalidAttachment,
    ErrorCode::NotAWhatsappExport,
    ErrorCode::ImportTooLarge,
    ErrorCode::StoreDamaged,
    ErrorCode::StoreLocked,
    ErrorCode::StoreTooNew,
    ErrorCode::DiskFull,
    ErrorCode::ReadOnlyStorage,
    ErrorCode::FolderMissing,
    ErrorCode::DiskError,
    ErrorCode::Storage,
    ErrorCode::Internal,
];

/// An error as the UI and CLI see it. `message` is English for logs and the CLI; the UI
/// translates `code` (with `field`) instead of showing `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{code:?}: {message}")]
pub struct AppError {
    /// What went wrong, from the closed set.
    pub code: ErrorCode,
    /// An English sentence with details, free of secrets.
    pub message: String,
    /// The input field the error is about, when there is one.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub field: Option<String>,
    /// For duplicates: the id of the row that already exists, so the UI can link to it.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub existing_id: Option<String>,
}

/// Result with [`AppError`].
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// An error with a code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            existing_id: None,
        }
    }
    /// An error about one input field.
    pub fn field(code: ErrorCode, field: &str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: Some(field.to_string()),
            existing_id: None,
        }
    }
    /// "Not found" for an entity kind.
    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} not found"))
    }
    /// Refused by role.
    pub fn forbidden(action: &str) -> Self {
        Self::new(
            ErrorCode::Forbidden,
            format!("your role does not allow: {action}"),
        )
    }
    /// Storage failure with context.
    pub fn storage(context: impl std::fmt::Display) -> Self {
        Self::new(ErrorCode::Storage, context.to_string())
    }
    /// Unexpected failure with context.
    pub fn internal(context: impl std::fmt::Display) -> Self {
        Self::new(ErrorCode::Internal, context.to_string())
    }
}
