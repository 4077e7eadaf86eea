//! `tracing` into a daily-rotated log file in the data folder (the last 14 files kept).

use std::path::Path;

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber writing into `dir` (created first: tracing-appender prunes old
/// files before it creates the folder and would complain on a first start). Without a folder
/// (`None`: the data folder is missing) or when it cannot be created, logs go to stderr.
pub fn init(dir: Option<&Path>) {
    let filter = EnvFilter::try_from_env("TOURDESK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let Some(dir) = dir else {
        let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
        return;
    };
    let appender = std::fs::create_dir_all(dir)
        .map_err(|e| e.to_string())
        .and_then(|()| {
            tracing_appender::rolling::Builder::new()
                .rotation(tracing_appender::rolling::Rotation::DAILY)
                .filename_prefix("tourdesk")
                .filename_suffix("log")
                .max_log_files(14)
                .build(dir)
                .map_err(|e| e.to_string())
        });
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_first_start_creates_the_log_folder_before_the_appender_prunes_it() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("data").join("logs");
        super::init(Some(&logs));
        assert!(logs.is_dir());
    }
}
