//! Prints the dry-run report of each file given as JSON, one object per line.
//! `--own NAME` (repeatable) names the organisation's own accounts.

use std::path::Path;

use tourdesk_importer::{dry_run, ImportOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut options = ImportOptions::default();
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--own" {
            options.own_names.extend(args.next());
        } else {
            files.push(a);
        }
    }
    for f in files {
        println!(
            "{}",
            serde_json::to_string(&dry_run(Path::new(&f), &options))?
        );
    }
    Ok(())
}
