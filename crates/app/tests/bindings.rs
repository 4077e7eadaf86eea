//! The TypeScript types in `ui/src/bindings` are generated from the Rust types with ts-rs and
//! committed. This test fails when they drift; `UPDATE_BINDINGS=1 cargo test -p tourdesk-app
//! --test bindings` rewrites them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tourdesk_app::core::ai::*;
use tourdesk_app::core::client::*;
use tourdesk_app::core::desktop::*;
use tourdesk_app::core::import::*;
use tourdesk_app::core::message::*;
use tourdesk_app::core::org::*;
use tourdesk_app::core::partner::*;
use tourdesk_app::core::tour::*;
use tourdesk_app::core::translation::*;
use tourdesk_app::core::whatsapp::*;
use tourdesk_app::core::{AppError, ErrorCode, FunnelStatus, Language, Role};
use tourdesk_app::{
    BackupCopy, BackupInfo, BackupSummary, ClientDetail, RecoveryAction, RecoveryState,
};
use ts_rs::{Config, TS};

fn export_all(dir: &Path) {
    let cfg = Config::new().with_out_dir(dir);
    macro_rules! export {
        ($($t:ty),* $(,)?) => { $( <$t as TS>::export_all(&cfg).expect(stringify!($t)); )* };
    }
    export!(
        Session,
        StartupState,
        OrgCreated,
        NewOrg,
        NewUser,
        User,
        OrgSettings,
        Client,
        ClientInput,
        ClientPage,
        ClientQuery,
        ClientRow,
        StatusChange,
        StatusChangeInput,
        BoardColumn,
        Tour,
        TourInput,
        Partner,
        PartnerInput,
        AppError,
        ErrorCode,
        BackupInfo,
        BackupCopy,
        BackupSummary,
        RecoveryAction,
        RecoveryState,
        ClientDetail,
        Language,
        FunnelStatus,
        Role,
        AiPreset,
        AiSettings,
        AiStatus,
        KeychainState,
        AiFailure,
        AiTestResult,
        AiUsageDay,
        ManagerLanguage,
        ChatKind,
        Direction,
        MessageKind,
        WaState,
        WaStatus,
        WaSettings,
        SendStatus,
        Attachment,
        SendInput,
        MediaData,
        InboxChange,
        Message,
        ChatRow,
        ChatFilter,
        MessageHit,
        MessageWindow,
        MessagePage,
        SyncProgress,
        TranslationStatus,
        TranslationFlag,
        MessageTranslation,
        ReplyPreview,
        ImportSource,
        ImportBatchStatus,
        ImportAction,
        ImportFile,
        ImportFileError,
        ImportItem,
        ImportItemUpdate,
        ImportSummary,
        UndoReport,
        ImportBatch,
        ImportSettings,
        ImportProgress,
        WaChatChoice,
        UpdateChannel,
        DesktopSettings,
        UpdateFailure,
        UpdateState,
        TrayView,
    );
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "ts"))
                .map(|e| {
                    let text = std::fs::read_to_string(e.path()).expect("read binding");
                    (e.file_name().to_string_lossy().to_string(), text)
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn typescript_bindings_match_the_rust_types() {
    let committed: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        let _ = std::fs::remove_dir_all(&committed);
        export_all(&committed);
        return;
    }
    let fresh = tempfile::tempdir().expect("temp dir");
    export_all(fresh.path());
    let want = read_dir(fresh.path());
    let have = read_dir(&committed);
    assert!(!want.is_empty(), "ts-rs produced no bindings");
    let missing: Vec<_> = want.keys().filter(|k| !have.contains_key(*k)).collect();
    let extra: Vec<_> = have.keys().filter(|k| !want.contains_key(*k)).collect();
    let changed: Vec<_> = want
        .iter()
        .filter(|(k, v)| have.get(*k).is_some_and(|h| h != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && changed.is_empty(),
        "ui/src/bindings drifted from the Rust types (run UPDATE_BINDINGS=1 cargo test -p tourdesk-app --test bindings): missing {missing:?}, extra {extra:?}, changed {changed:?}"
    );
}
