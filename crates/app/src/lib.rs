//! Tourdesk use cases. Every user action is one method on [`App`]; role checks live in
//! [`access`], tenant scoping comes from the [`Session`] the caller signed in with. The Tauri
//! shell, the CLI and the tests all call these same methods.

pub mod access;
mod ai;
mod ai_fallback;
mod auth;
mod backup_copy;
mod backups;
mod clients;
mod clock;
mod files;
mod funnel;
mod import;
mod messages;
mod partners;
mod recovery;
pub mod seed;
mod settings;
mod tours;
mod translate;
mod users;
mod whatsapp;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rand::RngCore;
use tourdesk_core::{AppResult, Role, TenantId, UserId};
use tourdesk_secrets::SecretStore;
use tourdesk_store::{OpenOptions, Store};

pub use ai::{StoreUsageSink, SECRET_SERVICE, TEST_PURPOSE, USAGE_DAYS};
pub use ai_fallback::SECRET_FILE;
pub use backup_copy::{BackupCopy, BACKUP_COPY_FILE};
pub use backups::BackupInfo;
pub use clients::ClientDetail;
pub use clock::{Clock, ManualClock, SystemClock};
pub use files::{DiskSink, FileSink};
pub use import::{WaHistoryChat, DEFAULT_TIME_ZONE, IMPORT_MEDIA_DIR, MAX_IMPORT_FILE_BYTES};
pub use recovery::{
    BackupSummary, Recovery, RecoveryAction, RecoveryState, RUNNING_MARKER, SET_ASIDE_DIR,
};
pub use tourdesk_core as core;
pub use tourdesk_core::org::Session;
pub use tourdesk_secrets as secrets;
pub use tourdesk_store::outbox::OutboxCounts;
pub use tourdesk_store::outbox::OutboxRow;
pub use translate::TranslatorLimits;
pub use whatsapp::{
    phone_of_wa_id, rate_gate, wa_id_of_phone, FoundOwn, Handover, Inbound, Ingested, OutboxPlan,
    MEDIA_DIR, STUCK_AFTER,
};

/// The application: the store, the data folder, the clock and the secret store.
pub struct App {
    store: Arc<Store>,
    data_dir: PathBuf,
    clock: Arc<dyn Clock>,
    /// Where secrets (the LLM key) live; `None` until [`App::with_secrets`] gives one, and then
    /// every secret operation says "keychain unavailable" instead of falling back silently.
    secrets: Option<Arc<dyn SecretStore>>,
    /// The opt-in encrypted key file ([`SECRET_FILE`]) once unlocked with a sign-in password;
    /// used only while the keychain cannot be.
    secret_file: ai_fallback::UnlockedFile,
    /// Time-outs and retries of translation calls.
    translator_limits: TranslatorLimits,
    /// Each organisation's token protector, rebuilt when its tour names change.
    protectors: translate::ProtectorCache,
    /// Where attachments and backup copies are written (the disk; a failing one in tests).
    files: Arc<dyn FileSink>,
    /// The last copy of a daily backup into the second folder, when it failed.
    backup_copy_status: backup_copy::CopyStatus,
}

/// Who is acting, re-read from the store on every call (so deactivation and role changes apply
/// at once, whatever the caller holds).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Actor {
    pub tenant: TenantId,
    pub user: UserId,
    pub role: Role,
}

/// The database file name inside the data folder.
pub const DB_FILE: &str = "tourdesk.sqlite3";

impl App {
    /// Opens the data folder: creates it, backs up before pending migrations, migrates, and
    /// takes the daily backup when one is due.
    pub fn open(data_dir: &Path, clock: Box<dyn Clock>) -> AppResult<App> {
        Self::open_at_version(data_dir, clock, tourdesk_store::MIGRATION_VERSION)
    }

    /// Like [`App::open`] with the schema migrated only up to `version` (upgrade tests).
    /// The data file is checked for damage only when the last app did not close it cleanly.
    /// Errors say what the user faces: `store_damaged`, `store_too_new`, `disk_full`, ….
    pub fn open_at_version(data_dir: &Path, clock: Box<dyn Clock>, version: i32) -> AppResult<App> {
        let _span = tracing::info_span!("app_open").entered();
        recovery::check_folder(data_dir)?;
        let now = clock.now();
        let backups_dir = data_dir.join(backups::DIR);
        let db = data_dir.join(DB_FILE);
        let opts = OpenOptions {
            version,
            integrity_check: recovery::unclean_shutdown(data_dir),
        };
        if opts.integrity_check {
            tracing::warn!("the last run did not close the data file; checking it");
        }
        let store = Store::open_with(&db, opts, |conn| {
            backups::write_backup(conn, &backups_dir, now, backups::Reason::PreMigration)
                .map(|_| ())
        })
        .map_err(|e| recovery::diagnose(&db, e))?;
        recovery::mark_running(data_dir)?;
        let app = App {
            store: Arc::new(store),
            data_dir: data_dir.to_path_buf(),
            clock: Arc::from(clock),
            secrets: None,
            secret_file: ai_fallback::UnlockedFile::default(),
            translator_limits: TranslatorLimits::default(),
            protectors: translate::ProtectorCache::default(),
            files: Arc::new(DiskSink),
            backup_copy_status: backup_copy::CopyStatus::default(),
        };
        app.backup_if_due()?;
        Ok(app)
    }

    /// The same app keeping secrets in `store` (the desktop passes the OS keychain, tests a
    /// store of their own). Without one, secret operations fail with `keychain_unavailable`.
    pub fn with_secrets(mut self, store: Box<dyn SecretStore>) -> App {
        self.secrets = Some(Arc::from(store));
        self
    }

    /// Closes the data folder cleanly: the next start skips the integrity check.
    pub fn shutdown(&self) {
        match self.store.checkpoint() {
            Ok(()) => {
                let _ = std::fs::remove_file(self.data_dir.join(RUNNING_MARKER));
            }
            // Left for the next start to check the file.
            Err(e) => tracing::warn!(
                code = e.code.as_str(),
                "the data file did not close cleanly"
            ),
        }
    }

    /// The trouble the last write to the data file met (`disk_full`, …), `None` while writes
    /// work; the page shows a banner meanwhile.
    pub fn write_trouble(&self) -> Option<tourdesk_core::ErrorCode> {
        self.store.write_trouble()
    }

    /// Checks the data file for damage in the background (the shell runs it once the window
    /// shows); damage also shows as [`App::write_trouble`].
    pub fn integrity_check(&self) -> AppResult<()> {
        let _span = tracing::info_span!("integrity_check").entered();
        self.store.integrity_check()
    }

    /// The same app writing attachments and backup copies through `sink` (tests give one that
    /// fails like a full disk).
    pub fn with_file_sink(mut self, sink: Box<dyn FileSink>) -> App {
        self.files = Arc::from(sink);
        self
    }

    /// The data folder.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The store, for benchmarks and tests that inspect rows directly.
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Random bits for a new id.
    fn random10() -> [u8; 10] {
        let mut b = [0u8; 10];
        rand::thread_rng().fill_bytes(&mut b);
        b
    }

    /// A fresh UUID v7 at the current time.
    fn new_uuid(&self) -> uuid::Uuid {
        tourdesk_core::new_v7(self.now().timestamp_millis(), Self::random10())
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.shutdown();
    }
}
