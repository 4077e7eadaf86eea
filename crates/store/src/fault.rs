//! What a failed SQLite or file-system call means for the user: a damaged file, a full or
//! read-only disk, a lock held elsewhere. Each maps to one [`ErrorCode`].

use rusqlite::ffi;
use tourdesk_core::{AppError, ErrorCode};

/// The code for a SQLite failure (`storage` when it is none of the known troubles).
pub fn sqlite_code(e: &rusqlite::Error) -> ErrorCode {
    let rusqlite::Error::SqliteFailure(f, _) = e else {
        return ErrorCode::Storage;
    };
    match f.extended_code & 0xff {
        ffi::SQLITE_FULL => ErrorCode::DiskFull,
        ffi::SQLITE_CORRUPT | ffi::SQLITE_NOTADB => ErrorCode::StoreDamaged,
        ffi::SQLITE_BUSY | ffi::SQLITE_LOCKED => ErrorCode::StoreLocked,
        ffi::SQLITE_READONLY | ffi::SQLITE_PERM | ffi::SQLITE_AUTH => ErrorCode::ReadOnlyStorage,
        ffi::SQLITE_IOERR => ErrorCode::DiskError,
        // The folder exists by the time SQLite opens the file: a refusal is about permission.
        ffi::SQLITE_CANTOPEN => ErrorCode::ReadOnlyStorage,
        _ => ErrorCode::Storage,
    }
}

/// The code for a file-system failure.
pub fn io_code(e: &std::io::Error) -> ErrorCode {
    const ENOSPC: i32 = 28;
    const EDQUOT: i32 = 122;
    const EROFS: i32 = 30;
    const EACCES: i32 = 13;
    const EPERM: i32 = 1;
    const EIO: i32 = 5;
    match e.raw_os_error() {
        Some(ENOSPC | EDQUOT) => ErrorCode::DiskFull,
        Some(EROFS | EACCES | EPERM) => ErrorCode::ReadOnlyStorage,
        Some(EIO) => ErrorCode::DiskError,
        _ => match e.kind() {
            std::io::ErrorKind::NotFound => ErrorCode::FolderMissing,
            std::io::ErrorKind::PermissionDenied => ErrorCode::ReadOnlyStorage,
            _ => ErrorCode::Storage,
        },
    }
}

/// Maps a file-system error to an [`AppError`] with context.
pub fn io_err(context: &str) -> impl FnOnce(std::io::Error) -> AppError + '_ {
    move |e| AppError::new(io_code(&e), format!("{context}: {e}"))
}

/// The code for any error, looking through its sources for a SQLite or file-system failure
/// (refinery wraps the SQLite error it met).
pub fn code_in_chain(e: &(dyn std::error::Error + 'static)) -> ErrorCode {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(s) = err.downcast_ref::<rusqlite::Error>() {
            return sqlite_code(s);
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return io_code(io);
        }
        cur = err.source();
    }
    ErrorCode::Storage
}

/// True for the codes that mean "the disk or the file failed", as opposed to bad input.
pub fn is_write_trouble(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::DiskFull
            | ErrorCode::DiskError
            | ErrorCode::ReadOnlyStorage
            | ErrorCode::StoreDamaged
            | ErrorCode::StoreLocked
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_errors_map_to_the_user_visible_codes() {
        let full = std::io::Error::from_raw_os_error(28);
        assert_eq!(io_code(&full), ErrorCode::DiskFull);
        assert_eq!(
            io_code(&std::io::Error::from_raw_os_error(30)),
            ErrorCode::ReadOnlyStorage
        );
        assert_eq!(
            io_code(&std::io::Error::from_raw_os_error(5)),
            ErrorCode::DiskError
        );
        let wrapped = std::io::Error::other(full);
        assert_eq!(code_in_chain(&wrapped), ErrorCode::Storage);
    }
}
