//! Prints misdetected lines of one corpus file with the probabilities.
use tourdesk_langid::{Detector, Lang};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let code = args.next().unwrap_or_else(|| "en".into());
    let file = args.next().unwrap_or_else(|| "word-pairs".into());
    let lang = Lang::from_code(&code).ok_or("bad code")?;
    let d = Detector::new();
    let text = std::fs::read_to_string(format!(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/corpora/lingua-rs/{}/{}.txt"
        ),
        code, file
    ))?;
    for line in text.lines() {
        let r = d.detect(line);
        if r.lang != lang {
            let ps: Vec<String> = Lang::ALL
                .iter()
                .map(|l| format!("{}={:.2}", l.code(), r.probability(*l)))
                .collect();
            println!("{line:30} -> {} {}", r.lang, ps.join(" "));
        }
    }
    Ok(())
}
