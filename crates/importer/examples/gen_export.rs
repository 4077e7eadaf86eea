//! Writes a large synthetic export for benchmarks, with bodies taken from the text messages of
//! the project's own export files (the copied corpus and the fixtures, seven languages).
//!
//! Usage: gen_export <out.txt> <android|ios|locales> <megabytes> <export dir>...

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use tourdesk_importer::{parse_path, ImportOptions, MessageKind};

/// The `.txt` files under `dir`, sorted.
fn export_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "txt") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn corpus_bodies(dirs: &[String]) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut bodies = Vec::new();
    for dir in dirs {
        for file in export_files(Path::new(dir)) {
            let Ok(chat) = parse_path(&file, &ImportOptions::default()) else {
                continue;
            };
            bodies.extend(
                chat.messages()
                    .filter(|m| m.kind == MessageKind::Text && !m.text.contains('\n'))
                    .map(|m| m.text.to_string()),
            );
        }
    }
    if bodies.is_empty() {
        return Err(format!("no text messages in the exports under {dirs:?}").into());
    }
    Ok(bodies)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 5 {
        return Err(
            "usage: gen_export <out.txt> <android|ios|locales> <megabytes> <export dir>...".into(),
        );
    }
    let style = args[2].as_str();
    let target: u64 = args[3].parse::<u64>()? << 20;
    let bodies = corpus_bodies(&args[4..])?;
    let names = [
        "Иван Петров",
        "Tourdesk Sales",
        "+62 821-5555-0101",
        "Marie Dupont",
    ];
    let mut out = BufWriter::new(std::fs::File::create(&args[1])?);
    let (mut written, mut i) = (0u64, 0usize);
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    while written < target {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let r = seed as usize;
        let (d, mo, y) = (
            1 + (i / 40) % 28,
            1 + (i / 1120) % 12,
            2019 + (i / 13440) % 5,
        );
        let (h, mi, s) = ((i / 3) % 24, i % 60, r % 60);
        let name = names[r % names.len()];
        let body = match r % 20 {
            0 => "<Media omitted>".to_string(),
            1 => format!(
                "{}\n{}",
                bodies[r % bodies.len()],
                bodies[(r / 7) % bodies.len()]
            ),
            _ => bodies[r % bodies.len()].clone(),
        };
        let line = match style {
            "ios" => format!(
                "[{d:02}.{mo:02}.{:02}, {h:02}:{mi:02}:{s:02}] {name}: {body}\n",
                y % 100
            ),
            "locales" => match r % 4 {
                0 => format!(
                    "{d}/{mo}/{y}, {}:{mi:02}\u{202F}{} - {name}: {body}\n",
                    1 + h % 12,
                    if h < 12 { "AM" } else { "PM" }
                ),
                1 => format!(
                    "\u{200E}[{d:02}.{mo:02}.{:02}, {h:02}:{mi:02}:{s:02}] {name}: {body}\n",
                    y % 100
                ),
                2 => format!(
                    "{}\u{200F}/{}\u{200F}/{} {}:{} - {name}: {body}\n",
                    arabic(d),
                    arabic(mo),
                    arabic(y),
                    arabic(h),
                    arabic2(mi)
                ),
                _ => format!("{d:02}.{mo:02}.{y}, {h:02}:{mi:02} - {name}: {body}\n"),
            },
            _ => format!("{d:02}/{mo:02}/{y}, {h:02}:{mi:02} - {name}: {body}\n"),
        };
        out.write_all(line.as_bytes())?;
        written += line.len() as u64;
        i += 1;
    }
    out.flush()?;
    eprintln!("{}: {i} messages written", args[1]);
    Ok(())
}

fn arabic(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| char::from_u32(0x0660 + c.to_digit(10).unwrap_or(0)).unwrap_or(c))
        .collect()
}

fn arabic2(n: usize) -> String {
    arabic(n + 100).chars().skip(1).collect()
}
