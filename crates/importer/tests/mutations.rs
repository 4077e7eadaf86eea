//! Nothing panics: 10 000+ seeded mutations of real exports go through the parser, the client
//! guess, the status suggestion and (a few hundred) the zip reader.

use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use tourdesk_importer::{
    identify_client, parse_reader, parse_zip, suggest_status, ParseOptions, ZipLimits,
};

/// Deterministic xorshift generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn seeds() -> Vec<Vec<u8>> {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    // The copied corpus and this project's fixtures (every header style, calendar, UTF-16).
    let mut stack = vec![
        crate_dir.join("tests/corpora/wa-exports"),
        crate_dir.join("tests/fixtures"),
    ];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "txt" || x == "jsonl") {
                out.push(std::fs::read(&p).unwrap_or_default());
            }
        }
    }
    out.push("\u{FEFF}١٣\u{200F}/٦\u{200F}/٢٠١٨ ١:٥٥ م - أحمد: مرحبا\r\n[3/6/18 1:55:00 p.\u{A0}m.] a: \u{200E}<attached: x.jpg>\r\n".as_bytes().to_vec());
    out.push("2018. 6. 13. 오후 1:55 - 민수: 안녕\n13.6.2018 klo 21.25.15 - a: IMG-1-WA0001.jpg (file attached)\ncaption".as_bytes().to_vec());
    assert!(
        out.len() >= 40,
        "corpus or fixtures not found: {} seeds",
        out.len()
    );
    out
}

const SNIPPETS: &[&str] = &[
    "\n",
    "\r\n",
    "[",
    "]",
    ":",
    ": ",
    " - ",
    "/",
    ".",
    "-",
    ",",
    "\u{200E}",
    "\u{200F}",
    "\u{202A}",
    "\u{2066}",
    "\u{A0}",
    "\u{202F}",
    "\u{FEFF}",
    "p. m.",
    "AM",
    "ص",
    "م",
    "12/31/99, 23:59 - ",
    "[2018/06/13, 21:25:15] ",
    "٣",
    "99",
    "0",
    "<attached: ",
    ">",
    " (file attached)",
    "null",
    "\u{FFFD}",
    "🤓",
    "\"",
    "\u{0}",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(8) {
        let len = data.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 => {
                let s = SNIPPETS[rng.below(SNIPPETS.len())].as_bytes();
                let i = rng.below(len + 1);
                data.splice(i..i, s.iter().copied());
            }
            2 if len > 0 => {
                let a = rng.below(len);
                let b = (a + rng.below(64)).min(len);
                data.drain(a..b);
            }
            3 if len > 0 => {
                let a = rng.below(len);
                let b = (a + rng.below(128)).min(len);
                let chunk = data[a..b].to_vec();
                let i = rng.below(len + 1);
                data.splice(i..i, chunk);
            }
            4 => data.truncate(rng.below(len + 1)),
            5 => {
                let other = &seeds[rng.below(seeds.len())];
                let a = rng.below(other.len() + 1);
                let i = rng.below(len + 1);
                data.splice(i..i, other[a..].iter().copied());
            }
            _ if len > 0 => {
                let i = rng.below(len);
                data[i] = rng.next() as u8;
            }
            _ => {}
        }
    }
    data
}

#[test]
fn ten_thousand_mutated_exports_never_panic() {
    let seeds = seeds();
    let mut rng = Rng(0x7D5E_ED01);
    let own = vec!["John Doe".to_string()];
    let mut parsed = 0usize;
    for round in 0..10_000 {
        let data = mutate(&mut rng, &seeds);
        let order = match round % 3 {
            0 => None,
            1 => Some(tourdesk_importer::DateOrder::DayFirst),
            _ => Some(tourdesk_importer::DateOrder::MonthFirst),
        };
        let result = catch_unwind(AssertUnwindSafe(|| {
            let options = ParseOptions {
                date_order: order,
                ..ParseOptions::default()
            };
            if let Ok(chat) = parse_reader(&data[..], &options) {
                let n = chat
                    .messages()
                    .filter(|m| !m.text.is_empty() || m.at.is_some())
                    .count();
                let _ = chat.span();
                let guess =
                    identify_client(&chat, &own, Some("WhatsApp Chat with +1 555 0100.txt"));
                let _ = suggest_status(&chat, guess.name.as_deref());
                return n > 0;
            }
            false
        }));
        match result {
            Ok(true) => parsed += 1,
            Ok(false) => {}
            Err(_) => panic!(
                "round {round} panicked on input {:?}",
                String::from_utf8_lossy(&data)
            ),
        }
    }
    // The mutations must mostly keep exports parseable, or the test exercises nothing.
    assert!(
        parsed > 5_000,
        "only {parsed} of 10000 mutated inputs parsed"
    );
}

#[test]
fn three_hundred_mutated_zip_archives_give_errors_or_chats_never_panics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        zip.start_file("_chat.txt", zip::write::SimpleFileOptions::default())
            .expect("start");
        zip.write_all(
            b"[13.06.18, 21:25:15] Ivan: hi\n[13.06.18, 21:26:15] Ivan: <attached: a.jpg>\n",
        )
        .expect("write");
        zip.start_file("a.jpg", zip::write::SimpleFileOptions::default())
            .expect("start");
        zip.write_all(&[1u8; 500]).expect("write");
        zip.finish().expect("finish");
        buf.into_inner()
    };
    let mut rng = Rng(0xB0B5);
    let path = dir.path().join("m.zip");
    let mut ok = 0;
    for round in 0..300 {
        let mut data = base.clone();
        for _ in 0..1 + rng.below(4) {
            let i = rng.below(data.len());
            data[i] = rng.next() as u8;
        }
        std::fs::write(&path, &data).expect("write");
        let result =
            catch_unwind(|| parse_zip(&path, &ParseOptions::default(), &ZipLimits::default()));
        match result {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(_)) => {}
            Err(_) => panic!("zip round {round} panicked"),
        }
    }
    assert!(ok > 0, "no mutated zip parsed at all");
}
