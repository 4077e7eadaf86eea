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

    let out = cli(
        dir.path(),
        &[
            "org",
            "create",
            "--name",
            "Second",
            "--admin-name",
            "B",
            "--email",
            "b@second.example",
            "--password",
            "second password",
        ],
    );
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(created["recovery_code"].as_str().map(str::len), Some(23));
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
    let other: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        other["total"], 0,
        "the second organisation sees none of the first one's clients"
    );
}
