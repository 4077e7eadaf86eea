//! Prints the dry-run report of each file given as JSON, one object per line.
//! `--own NAME` (repeatable) names the organisation's own accounts; `--phases` prints instead
//! how long each step of the dry run takes (parse, client, language, first status).

use std::path::Path;
use std::time::Instant;

use tourdesk_importer::{
    detect_language, dry_run, identify_client, parse_path, suggest_status, ImportOptions,
};

fn phases(path: &Path, options: &ImportOptions) -> Result<String, Box<dyn std::error::Error>> {
    let t = Instant::now();
    let chat = parse_path(path, options)?;
    let parse = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let client = identify_client(&chat, &options.own_names, None);
    let who = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let language = detect_language(&chat, client.name.as_deref());
    let lang = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let status = suggest_status(&chat, client.name.as_deref());
    let first_status = t.elapsed().as_secs_f64();
    Ok(format!(
        "{{\"messages\":{},\"parse\":{parse:.4},\"client\":{who:.4},\"language\":{lang:.4},\"language_messages\":{},\"status\":{first_status:.4},\"suggested\":{:?}}}",
        chat.len(),
        language.messages_used,
        format!("{:?}", status.status)
    ))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut options = ImportOptions::default();
    let mut files = Vec::new();
    let mut show_phases = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--own" => options.own_names.extend(args.next()),
            "--phases" => show_phases = true,
            _ => files.push(a),
        }
    }
    for f in files {
        let line = if show_phases {
            phases(Path::new(&f), &options)?
        } else {
            serde_json::to_string(&dry_run(Path::new(&f), &options))?
        };
        println!("{line}");
    }
    Ok(())
}
