//! The password-encrypted fallback store: round trip, wrong password, tampering, no plaintext.

use tourdesk_secrets::{EncryptedFileStore, KdfParams, SecretError, SecretStore, SecretValue};

/// Cheap argon2id costs so the tests stay fast; the default is far stronger.
fn cheap_kdf() -> KdfParams {
    KdfParams {
        memory_kib: 256,
        iterations: 1,
        parallelism: 1,
    }
}

fn password() -> SecretValue {
    SecretValue::new("correct horse battery staple")
}

const API_KEY: &str = "sk-test-0123456789abcdefSECRET";

#[test]
fn a_secret_written_to_the_file_reads_back_after_reopening() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("secrets.bin");
    let store = EncryptedFileStore::create(&path, &password(), cheap_kdf()).expect("create");
    store
        .set("tourdesk", "llm-api-key", &SecretValue::new(API_KEY))
        .expect("set");
    store
        .set("tourdesk", "telegram-token", &SecretValue::new("tg-123"))
        .expect("set second");
    drop(store);

    let reopened = EncryptedFileStore::open(&path, &password()).expect("open");
    let value = reopened
        .get("tourdesk", "llm-api-key")
        .expect("get")
        .expect("present");
    assert_eq!(value.expose(), API_KEY);
    assert_eq!(
        reopened
            .get("tourdesk", "telegram-token")
            .expect("get")
            .expect("present")
            .expose(),
        "tg-123"
    );
    assert!(reopened.get("tourdesk", "missing").expect("get").is_none());
    assert_eq!(reopened.backend_name(), "encrypted-file");
}

#[test]
fn replacing_and_deleting_a_secret_is_reflected_on_the_next_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = EncryptedFileStore::create(dir.path().join("s.bin"), &password(), cheap_kdf())
        .expect("create");
    store
        .set("tourdesk", "k", &SecretValue::new("one"))
        .expect("set");
    store
        .set("tourdesk", "k", &SecretValue::new("two"))
        .expect("replace");
    assert_eq!(
        store
            .get("tourdesk", "k")
            .expect("get")
            .expect("present")
            .expose(),
        "two"
    );
    store.delete("tourdesk", "k").expect("delete");
    assert!(store.get("tourdesk", "k").expect("get").is_none());
    store
        .delete("tourdesk", "k")
        .expect("deleting a missing secret succeeds");
}

#[test]
fn the_file_on_disk_holds_no_plaintext_and_a_new_nonce_on_every_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("secrets.bin");
    let store = EncryptedFileStore::create(&path, &password(), cheap_kdf()).expect("create");
    store
        .set("tourdesk", "llm-api-key", &SecretValue::new(API_KEY))
        .expect("set");
    let first = std::fs::read(&path).expect("read");
    store
        .set("tourdesk", "llm-api-key", &SecretValue::new(API_KEY))
        .expect("set again");
    let second = std::fs::read(&path).expect("read");

    for bytes in [&first, &second] {
        let haystack = String::from_utf8_lossy(bytes);
        assert!(
            !haystack.contains(API_KEY),
            "the key is in the file in clear"
        );
        assert!(
            !haystack.contains("llm-api-key"),
            "the secret name is in the file in clear"
        );
        assert!(
            !haystack.contains("correct horse"),
            "the password is in the file"
        );
    }
    assert_ne!(
        first, second,
        "two writes of the same content must differ (fresh nonce)"
    );
}

#[test]
fn a_wrong_password_is_a_typed_error_that_names_the_file_and_not_the_secret() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("secrets.bin");
    let store = EncryptedFileStore::create(&path, &password(), cheap_kdf()).expect("create");
    store
        .set("tourdesk", "llm-api-key", &SecretValue::new(API_KEY))
        .expect("set");
    drop(store);

    let error = EncryptedFileStore::open(&path, &SecretValue::new("wrong password"))
        .expect_err("must fail");
    assert!(
        matches!(error, SecretError::WrongPassword { .. }),
        "{error:?}"
    );
    let shown = format!("{error} {error:?}");
    assert!(shown.contains("secrets.bin"), "{shown}");
    assert!(
        !shown.contains(API_KEY) && !shown.contains("wrong password\""),
        "{shown}"
    );
}

#[test]
fn a_tampered_ciphertext_is_reported_as_damaged_not_as_a_wrong_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("secrets.bin");
    let store = EncryptedFileStore::create(&path, &password(), cheap_kdf()).expect("create");
    store
        .set("tourdesk", "llm-api-key", &SecretValue::new(API_KEY))
        .expect("set");

    let mut bytes = std::fs::read(&path).expect("read");
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    std::fs::write(&path, &bytes).expect("tamper");

    let open_error = EncryptedFileStore::open(&path, &password()).expect_err("must fail");
    assert!(
        matches!(open_error, SecretError::Corrupted { .. }),
        "{open_error:?}"
    );
    let read_error = store
        .get("tourdesk", "llm-api-key")
        .expect_err("an open store notices too");
    assert!(
        matches!(read_error, SecretError::Corrupted { .. }),
        "{read_error:?}"
    );
    assert!(!format!("{read_error}").contains(API_KEY));
}

#[test]
fn a_tampered_nonce_fails_authentication() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("secrets.bin");
    let store = EncryptedFileStore::create(&path, &password(), cheap_kdf()).expect("create");
    store
        .set("tourdesk", "k", &SecretValue::new("v"))
        .expect("set");
    let mut bytes = std::fs::read(&path).expect("read");
    // The nonce is the last 24 header bytes: 8 magic + 1 version + 12 kdf + 16 salt + 32 verifier.
    bytes[8 + 1 + 12 + 16 + 32] ^= 0xff;
    std::fs::write(&path, &bytes).expect("tamper");
    let error = EncryptedFileStore::open(&path, &password()).expect_err("must fail");
    assert!(matches!(error, SecretError::Corrupted { .. }), "{error:?}");
}

#[test]
fn a_truncated_or_foreign_file_is_reported_as_damaged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("secrets.bin");
    std::fs::write(&path, b"just some plain text, not ours").expect("write");
    let error = EncryptedFileStore::open(&path, &password()).expect_err("must fail");
    assert!(matches!(error, SecretError::Corrupted { .. }), "{error:?}");
}

#[test]
fn creating_over_an_existing_file_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("secrets.bin");
    EncryptedFileStore::create(&path, &password(), cheap_kdf()).expect("create");
    let error =
        EncryptedFileStore::create(&path, &password(), cheap_kdf()).expect_err("must refuse");
    assert!(matches!(error, SecretError::Io { .. }), "{error:?}");
    EncryptedFileStore::open_or_create(&path, &password(), cheap_kdf())
        .expect("open_or_create opens it");
}

#[test]
fn the_store_debug_output_hides_the_derived_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = EncryptedFileStore::create(dir.path().join("s.bin"), &password(), cheap_kdf())
        .expect("create");
    let shown = format!("{store:?}");
    assert!(shown.contains("[redacted]"), "{shown}");
}

#[cfg(unix)]
#[test]
fn the_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("s.bin");
    EncryptedFileStore::create(&path, &password(), cheap_kdf()).expect("create");
    let mode = std::fs::metadata(&path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn after_a_password_change_only_the_new_password_opens_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("secrets.bin");
    let mut store = EncryptedFileStore::create(&path, &password(), cheap_kdf()).expect("create");
    store
        .set("tourdesk", "llm-api-key", &SecretValue::new(API_KEY))
        .expect("set");
    let new_password = SecretValue::new("a brand new sign-in password");
    store
        .change_password(&new_password, cheap_kdf())
        .expect("change");
    assert_eq!(
        store
            .get("tourdesk", "llm-api-key")
            .expect("get")
            .expect("present")
            .expose(),
        API_KEY
    );
    drop(store);

    let old = EncryptedFileStore::open(&path, &password()).expect_err("old password");
    assert!(matches!(old, SecretError::WrongPassword { .. }), "{old:?}");
    let reopened = EncryptedFileStore::open(&path, &new_password).expect("new password");
    assert_eq!(
        reopened
            .get("tourdesk", "llm-api-key")
            .expect("get")
            .expect("present")
            .expose(),
        API_KEY
    );
}
