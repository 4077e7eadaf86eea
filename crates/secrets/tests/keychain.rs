//! The OS keychain store against a real Secret Service (gnome-keyring in a D-Bus session).
//!
//! Without a keychain these tests print a loud SKIPPED notice and pass, unless
//! TOURDESK_REQUIRE_KEYCHAIN=1, in which case they fail. `run-keychain-tests.sh` starts a D-Bus
//! session with an unlocked gnome-keyring and sets that variable.

use std::time::{Duration, Instant};

use tourdesk_secrets::{Availability, KeychainStore, SecretError, SecretStore, SecretValue};

/// Each test uses its own service so parallel tests and earlier runs never collide.
fn service(test: &str) -> String {
    format!("tourdesk-test-{test}-{}", std::process::id())
}

/// Returns the store when a keychain is usable; otherwise skips loudly or fails when required.
fn keychain_or_skip(test: &str) -> Option<KeychainStore> {
    let store = KeychainStore::new();
    match store.availability(&service(test), Duration::from_secs(10)) {
        Availability::Available { .. } => Some(store),
        Availability::Unavailable { reason } => {
            let required = std::env::var("TOURDESK_REQUIRE_KEYCHAIN").is_ok_and(|v| v == "1");
            assert!(
                !required,
                "TOURDESK_REQUIRE_KEYCHAIN=1 but no keychain is available: {reason}"
            );
            eprintln!("\n!!!!!!!! SKIPPED keychain test `{test}`: no OS keychain ({reason}). Run crates/secrets/run-keychain-tests.sh !!!!!!!!\n");
            None
        }
    }
}

#[test]
fn the_probe_reports_the_secret_service_backend_when_a_keyring_is_unlocked() {
    let Some(store) = keychain_or_skip("probe") else {
        return;
    };
    let availability = store.availability(&service("probe"), Duration::from_secs(10));
    assert_eq!(
        availability,
        Availability::Available {
            backend: "secret-service"
        }
    );
    assert_eq!(store.backend_name(), "secret-service");
}

#[test]
fn a_secret_stored_in_the_keychain_reads_back_from_a_new_store() {
    let Some(store) = keychain_or_skip("roundtrip") else {
        return;
    };
    let service = service("roundtrip");
    store
        .set(
            &service,
            "llm-api-key",
            &SecretValue::new("sk-keychain-secret-1"),
        )
        .expect("set");
    let other = KeychainStore::new();
    let value = other
        .get(&service, "llm-api-key")
        .expect("get")
        .expect("present");
    assert_eq!(value.expose(), "sk-keychain-secret-1");
    store
        .set(
            &service,
            "llm-api-key",
            &SecretValue::new("sk-keychain-secret-2"),
        )
        .expect("replace");
    assert_eq!(
        other
            .get(&service, "llm-api-key")
            .expect("get")
            .expect("present")
            .expose(),
        "sk-keychain-secret-2"
    );
    store.delete(&service, "llm-api-key").expect("delete");
}

#[test]
fn a_missing_secret_reads_as_none_and_deleting_it_succeeds() {
    let Some(store) = keychain_or_skip("missing") else {
        return;
    };
    let service = service("missing");
    assert!(store.get(&service, "never-set").expect("get").is_none());
    store
        .delete(&service, "never-set")
        .expect("delete of a missing secret");
}

#[test]
fn a_deleted_secret_is_gone() {
    let Some(store) = keychain_or_skip("delete") else {
        return;
    };
    let service = service("delete");
    store
        .set(&service, "token", &SecretValue::new("tg-secret"))
        .expect("set");
    store.delete(&service, "token").expect("delete");
    assert!(store.get(&service, "token").expect("get").is_none());
}

#[test]
fn invalid_names_are_rejected_before_the_keychain_is_asked() {
    let store = KeychainStore::new();
    let error = store
        .set("", "x", &SecretValue::new("v"))
        .expect_err("empty service");
    assert!(
        matches!(error, SecretError::InvalidName { .. }),
        "{error:?}"
    );
}

/// Runs only without a session bus (e.g. `env -u DBUS_SESSION_BUS_ADDRESS cargo test`).
#[test]
fn without_a_session_bus_the_probe_says_so_in_its_reason() {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        eprintln!("(not applicable: a D-Bus session bus is set)");
        return;
    }
    let availability =
        KeychainStore::new().availability(&service("nobus"), Duration::from_secs(10));
    match availability {
        Availability::Unavailable { reason } => assert!(reason.contains("D-Bus"), "{reason}"),
        Availability::Available { .. } => {
            // A system-wide autolaunched bus can still make it work; that is not a failure.
        }
    }
}

/// Runs only when `run-keychain-tests.sh` starts a keyring daemon that was never unlocked.
#[test]
fn a_keyring_that_was_never_unlocked_is_reported_unavailable_with_a_reason() {
    if std::env::var("TOURDESK_EXPECT_LOCKED_KEYRING").as_deref() != Ok("1") {
        eprintln!("(not applicable: TOURDESK_EXPECT_LOCKED_KEYRING is not 1)");
        return;
    }
    let started = Instant::now();
    let availability =
        KeychainStore::new().availability(&service("locked"), Duration::from_secs(10));
    assert!(
        started.elapsed() < Duration::from_secs(11),
        "the probe is bounded by its time-out"
    );
    match availability {
        Availability::Unavailable { reason } => {
            assert!(
                reason.contains("locked") || reason.contains("did not answer"),
                "{reason}"
            );
        }
        Availability::Available { .. } => {
            panic!("a keyring that was never unlocked must not be usable")
        }
    }
    let error = KeychainStore::new()
        .set(
            &service("locked"),
            "k",
            &SecretValue::new("locked-secret-value"),
        )
        .expect_err("storing must fail");
    assert!(
        matches!(error, SecretError::KeychainUnavailable { .. }),
        "{error:?}"
    );
    assert!(!format!("{error} {error:?}").contains("locked-secret-value"));
}
