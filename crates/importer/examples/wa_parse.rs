//! Parses exports and prints one JSON line per file: message count, seconds, messages/second.
//! With `--dump`, prints every message instead. Used by `bench/compare.sh`.

use std::path::Path;
use std::time::Instant;

use tourdesk_importer::{parse_path, parse_reader, ImportOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut dump = false;
    let mut in_memory = false;
    let options = ImportOptions::default();
    for arg in std::env::args().skip(1) {
        if arg == "--dump" {
            dump = true;
            continue;
        }
        if arg == "--in-memory" {
            in_memory = true;
            continue;
        }
        // --in-memory: read the file first and time the parse of the bytes alone.
        let bytes = if in_memory {
            std::fs::read(&arg)?
        } else {
            Vec::new()
        };
        let t = Instant::now();
        let chat = if in_memory {
            parse_reader(&bytes[..], &options.parse)?
        } else {
            parse_path(Path::new(&arg), &options)?
        };
        let secs = t.elapsed().as_secs_f64();
        if dump {
            for m in chat.messages() {
                let at = m.at.map(|a| a.to_iso()).unwrap_or_default();
                let att = m.attachment.map(|a| a.file_name.as_str()).unwrap_or("");
                println!(
                    "{} | {at} | {:?} | {:?} | {:?} | {att}",
                    m.index, m.author, m.kind, m.text
                );
            }
            println!(
                "order {:?} ({:?}); warnings {:?}",
                chat.date_order(),
                chat.date_order_basis(),
                chat.warnings()
            );
        }
        println!(
            "{{\"parser\":\"tourdesk-importer\",\"file\":{:?},\"messages\":{},\"user_messages\":{},\"seconds\":{secs:.6},\"per_second\":{:.0}}}",
            arg,
            chat.len(),
            chat.user_message_count(),
            chat.len() as f64 / secs.max(1e-9)
        );
    }
    Ok(())
}
