//! The CLI binary against a real data folder.

use std::process::Command;

fn cli(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tourdesk-cli"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("TOURDESK_PASSWORD")
        .output()
        .expect("run tourdesk-cli")
}

#[test]
fn org_create_user_add_seed_demo_and_client_list_work_end_to_end() {
    let dir = tempfile::tempdir().expect("dir");
    let out = cli(dir.path(), &["seed-demo", "--email", "admin@soul.kg"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let demo: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let pw = demo["password"].as_str().expect("password").to_string();

    let out = cli(
        dir.path(),
        &[
            "client",
            "list",
            "--json",
            "--as",
            "admin@soul.kg",
            "--password",
            &pw,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(page["total"], 10);
    let langs: std::collections::BTreeSet<String> = page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["language"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        langs.into_iter().collect::<Vec<_>>(),
        ["ar", "de", "en", "es", "fr", "pl", "ru"]
    );

    let out = cli(
        dir.path(),
        &[
            "client",
            "list",
            "--json",
            "--as",
            "admin@soul.kg",
            "--password",
            &pw,
            "--status",
            "sold",
        ],
    );
    let sold: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(sold["total"], 1);

    let out = cli(
        dir.path(),
        &[
            "user",
            "add",
            "--as",
            "admin@soul.kg",
            "--password",
            &pw,
            "--name",
            "Elnura",
            "--email",
            "elnura@soul.kg",
            "--new-password",
            "manager password",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The new manager may not add users: the error is the core's {code, message}.
    let out = cli(
        dir.path(),
        &[
            "user",
            "add",
            "--as",
            "elnura@soul.kg",
            "--password",
            "manager password",
            "--name",
            "X",
            "--email",
            "x@soul.kg",
            "--new-password",
            "another password",
        ],
    );
    assert!(!out.status.success());
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).expect("error json");
    assert_eq!(err["code"], "forbidden");
}

fn org_create(dir: &std::path::Path, email: &str) -> std::process::Output {
    cli(
        dir,
        &[
            "org",
            "create",
            "--name",
            "Second",
            "--admin-name",
            "B",
            "--email",
            email,
            "--password",
            "second password",
        ],
    )
}

/// The CLI's error, parsed from stderr.
fn error_code(out: &std::process::Output) -> String {
    assert!(!out.status.success(), "it succeeded");
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).expect("error json");
    err["code"].as_str().expect("code").to_string()
}

#[test]
fn a_data_folder_holds_one_organisation_and_a_second_one_is_refused_clearly() {
    let dir = tempfile::tempdir().expect("dir");
    let out = org_create(dir.path(), "a@first.example");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(created["recovery_code"].as_str().map(str::len), Some(23));

    // A second organisation, by hand or as the demo: refused, nothing half-made.
    assert_eq!(
        error_code(&org_create(dir.path(), "b@second.example")),
        "one_org_per_folder"
    );
    assert_eq!(
        error_code(&cli(dir.path(), &["seed-demo", "--email", "demo@soul.kg"])),
        "one_org_per_folder"
    );
    let out = cli(
        dir.path(),
        &[
            "client",
            "list",
            "--json",
            "--as",
            "b@second.example",
            "--password",
            "second password",
        ],
    );
    assert_eq!(
        error_code(&out),
        "invalid_credentials",
        "no second admin exists"
    );

    // The demo first, then a hand-made one: refused the same way.
    let demo = tempfile::tempdir().expect("dir");
    let out = cli(demo.path(), &["seed-demo", "--email", "admin@soul.kg"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        error_code(&org_create(demo.path(), "b@second.example")),
        "one_org_per_folder"
    );
}

fn corpus(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../importer/tests/corpora")
        .join(rel)
}

#[test]
fn import_dry_run_prints_one_json_object_per_export_file() {
    let dir = tempfile::tempdir().expect("dir");
    let samples = corpus("wa-exports/Pustur-whatsapp-chat-parser/history/samples");
    let out = cli(
        dir.path(),
        &[
            "import",
            "--dry-run",
            "--json",
            samples.to_str().expect("utf-8 path"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(
        reports.len(),
        3,
        "empty.txt, not-a-whatsapp-chat.txt, short-chat.txt"
    );
    let by_name = |n: &str| {
        reports
            .iter()
            .find(|r| r["file"].as_str().is_some_and(|f| f.ends_with(n)))
            .expect(n)
            .clone()
    };
    let short = by_name("short-chat.txt");
    assert_eq!(
        short["messages"],
        short["user_messages"].as_u64().unwrap_or(0)
            + short["system_messages"].as_u64().unwrap_or(0)
    );
    assert!(short["user_messages"].as_u64().unwrap_or(0) > 0);
    for key in [
        "participants",
        "date_order",
        "first",
        "last",
        "language",
        "suggested_status",
        "errors",
    ] {
        assert!(short.get(key).is_some(), "missing {key}");
    }
    let not_chat = by_name("not-a-whatsapp-chat.txt");
    assert_eq!(not_chat["messages"], 0);
    assert!(!not_chat["errors"].as_array().expect("errors").is_empty());
    assert_eq!(by_name("empty.txt")["messages"], 0);
    let refused = cli(
        dir.path(),
        &["import", "--json", samples.to_str().expect("utf-8 path")],
    );
    assert!(
        !refused.status.success(),
        "without --dry-run nothing is imported yet, and it says so"
    );
}

#[test]
fn detect_language_prints_a_code_and_confidence_per_line() {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_tourdesk-cli"))
        .arg("detect-language")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all("Здравствуйте, сколько стоит тур?\nمرحبا، كم سعر الجولة؟\nGuten Tag, wir möchten im Juli kommen\n".as_bytes()).expect("write");
    let out = child.wait_with_output().expect("output");
    let lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect();
    let codes: Vec<&str> = lines
        .iter()
        .map(|l| l.split('\t').next().unwrap_or(""))
        .collect();
    assert_eq!(codes, ["ru", "ar", "de"], "{lines:?}");
    assert!(lines.iter().all(|l| l
        .split('\t')
        .nth(1)
        .and_then(|c| c.parse::<f64>().ok())
        .is_some_and(|c| (0.0..=1.0).contains(&c))));
}

#[test]
fn a_damaged_data_file_gives_one_clear_error_line_and_a_failing_exit() {
    let dir = tempfile::tempdir().expect("dir");
    let out = cli(dir.path(), &["seed-demo", "--email", "admin@soul.kg"]);
    assert!(out.status.success());
    let db = dir.path().join("tourdesk.sqlite3");
    let mut bytes = std::fs::read(&db).expect("read");
    for b in bytes.iter_mut().take(4096) {
        *b = 0x5a;
    }
    std::fs::write(&db, &bytes).expect("damage");
    let out = cli(
        dir.path(),
        &["client", "list", "--as", "admin@soul.kg", "--password", "x"],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let e: serde_json::Value = serde_json::from_str(err.trim()).expect("json error");
    assert_eq!(e["code"], "store_damaged", "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_data_folder_on_a_missing_disk_fails_with_its_code_and_is_not_created() {
    let dir = tempfile::tempdir().expect("dir");
    let gone = dir.path().join("unplugged").join("Tourdesk");
    let out = cli(&gone, &["seed-demo"]);
    assert!(!out.status.success());
    let e: serde_json::Value = serde_json::from_slice(out.stderr.trim_ascii()).expect("json error");
    assert_eq!(e["code"], "folder_missing");
    assert!(!gone.exists());
}

#[test]
fn seed_bench_with_messages_writes_a_long_chat_linked_to_the_first_client() {
    let dir = tempfile::tempdir().expect("dir");
    let out = cli(
        dir.path(),
        &[
            "seed-bench",
            "--clients",
            "3",
            "--changes",
            "3",
            "--messages",
            "120",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seeded: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let chats = seeded["chats"].as_array().expect("chats");
    assert_eq!(chats.len(), 1, "one chat when only --messages is given");
    let app =
        tourdesk_app::App::open(dir.path(), Box::new(tourdesk_app::SystemClock)).expect("open");
    let s = app
        .sign_in(
            seeded["admin_email"].as_str().expect("email"),
            seeded["password"].as_str().expect("password"),
        )
        .expect("sign in");
    let rows = app
        .chat_list(&s, &tourdesk_core::message::ChatFilter::default())
        .expect("chat list");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].id.0.to_string(), chats[0].as_str().expect("id"));
    assert!(
        rows[0].client_id.is_some(),
        "the chat is linked to the first client"
    );
    assert!(
        rows[0].last_message_seq.is_some(),
        "the chat has its messages"
    );
}
