//! `import --dry-run --json` and `detect-language`: the importer and language detector from the
//! command line, with the stable output the README's command table documents.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use tourdesk_app::core::{AppError, ErrorCode};
use tourdesk_importer::{DateOrder, ImportOptions, ParseOptions};

/// Export files under `path`: the path itself, or the .txt/.zip files of a folder (sorted).
fn export_files(path: &Path) -> Vec<PathBuf> {
    if !path.is_dir() {
        return vec![path.to_path_buf()];
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && p.extension().is_some_and(|x| {
                            x.eq_ignore_ascii_case("txt") || x.eq_ignore_ascii_case("zip")
                        })
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Prints one dry-run report per file as a JSON line; nothing is stored.
pub fn dry_run(
    dry_run: bool,
    json: bool,
    own_names: &[String],
    date_order: Option<&str>,
    paths: &[PathBuf],
) -> Result<(), AppError> {
    if !dry_run || !json {
        return Err(AppError::field(
            ErrorCode::InvalidChoice,
            "dry_run",
            "only `import --dry-run --json` exists yet; committing an import comes with the review screen",
        ));
    }
    let options = ImportOptions {
        own_names: own_names.to_vec(),
        parse: ParseOptions {
            date_order: match date_order {
                Some("day_first") => Some(DateOrder::DayFirst),
                Some("month_first") => Some(DateOrder::MonthFirst),
                _ => None,
            },
            ..ParseOptions::default()
        },
        ..ImportOptions::default()
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in paths {
        if !path.exists() {
            return Err(AppError::field(
                ErrorCode::NotFound,
                "paths",
                format!("{} does not exist", path.display()),
            ));
        }
        for file in export_files(path) {
            let report = tourdesk_importer::dry_run(&file, &options);
            let line = serde_json::to_string(&report).map_err(AppError::internal)?;
            writeln!(out, "{line}")
                .map_err(|e| AppError::internal(format!("write output: {e}")))?;
        }
    }
    Ok(())
}

/// Reads lines on stdin and prints `<code>\t<confidence>` for each.
pub fn detect_language() -> Result<(), AppError> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in stdin.lock().lines() {
        let line = line.map_err(|e| {
            AppError::new(
                ErrorCode::InvalidText,
                format!("stdin is not UTF-8 text: {e}"),
            )
        })?;
        let d = tourdesk_langid::detect(&line);
        writeln!(out, "{}\t{:.3}", d.lang.code(), d.confidence)
            .map_err(|e| AppError::internal(format!("write output: {e}")))?;
    }
    Ok(())
}
