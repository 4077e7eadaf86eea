//! `tracing` into a daily-rotated log file in the data folder (the last 14 files kept).

use std::path::Path;

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber; on failure logs go to stderr only.
pub fn init(dir: &Path) {
    let filter = EnvFilter::try_from_env("TOURDESK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("tourdesk")
        .filename_suffix("log")
        .max_log_files(14)
        .build(dir);
    match appender {
        Ok(file) => {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_ansi(false)
                .with_writer(file)
                .try_init();
        }
        Err(e) => {
            eprintln!("cannot open log folder {}: {e}", dir.display());
            let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
        }
    }
}
