//! What an updater error means to the user: each `tauri-plugin-updater` error, per step, as one
//! [`UpdateFailure`] the page translates, plus the manual command when installing was refused.

use std::path::Path;

use tauri_plugin_updater::Error;
use tourdesk_app::core::desktop::{UpdateFailure, UpdateState};

/// Which step failed (the same error means different things in each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Asking the server for the manifest.
    Check,
    /// Downloading and verifying the package.
    Download,
    /// Handing the package to dpkg.
    Install,
}

/// The ENOSPC errno: no space left on the device.
const NO_SPACE: i32 = 28;

/// True when an I/O error means the disk is full.
pub fn is_disk_full(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(NO_SPACE) || e.kind() == std::io::ErrorKind::StorageFull
}

/// The failure an updater error stands for at `step`.
pub fn classify(step: Step, e: &Error) -> UpdateFailure {
    use UpdateFailure as F;
    match e {
        Error::EmptyEndpoints | Error::InsecureTransportProtocol | Error::UrlParse(_) => {
            F::NotConfigured
        }
        Error::Serialization(_) | Error::Semver(_) | Error::ReleaseNotFound => F::ManifestInvalid,
        // The manifest's body is read with reqwest's JSON decoder: not JSON is a decode error.
        Error::Reqwest(r) if r.is_decode() && step == Step::Check => F::ManifestInvalid,
        Error::TargetNotFound(_) | Error::TargetsNotFound(_) => F::NoPackageForThisComputer,
        Error::UnsupportedOs | Error::UnsupportedArch => F::NoPackageForThisComputer,
        Error::Minisign(_)
        | Error::Base64(_)
        | Error::SignatureUtf8(_)
        | Error::SignedVersionMismatch { .. }
        | Error::MissingSignedVersion => F::SignatureInvalid,
        Error::Network(text) if text.contains("404") || text.contains("410") => F::PackageMissing,
        Error::Io(io) if is_disk_full(io) => F::DiskFull,
        Error::TempDirNotFound => F::DiskFull,
        Error::Reqwest(_) | Error::Network(_) => match step {
            Step::Download => F::DownloadIncomplete,
            _ => F::Network,
        },
        Error::AuthenticationFailed
        | Error::DebInstallFailed
        | Error::PackageInstallFailed
        | Error::Io(_)
            if step == Step::Install =>
        {
            F::InstallRefused
        }
        Error::InvalidUpdaterFormat => F::ManifestInvalid,
        _ => F::Internal,
    }
}

/// The command that installs a downloaded package by hand (apt resolves its dependencies).
pub fn manual_command(package: &Path) -> String {
    format!("sudo apt install {}", package.display())
}

/// The `Failed` state for an updater error at `step`; `package` is the saved package, named in
/// the manual command when the install was refused.
pub fn failed(step: Step, e: &Error, package: Option<&Path>) -> UpdateState {
    let failure = classify(step, e);
    let command = match (failure, package) {
        (UpdateFailure::InstallRefused, Some(p)) => Some(manual_command(p)),
        _ => None,
    };
    UpdateState::Failed {
        failure,
        detail: e.to_string(),
        command,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use UpdateFailure as F;

    #[test]
    fn each_kind_of_bad_answer_has_its_own_failure() {
        let not_json = serde_json::from_str::<serde_json::Value>("<html>").unwrap_err();
        assert_eq!(
            classify(Step::Check, &Error::Serialization(not_json)),
            F::ManifestInvalid
        );
        assert_eq!(
            classify(Step::Check, &Error::ReleaseNotFound),
            F::ManifestInvalid
        );
        assert_eq!(
            classify(
                Step::Check,
                &Error::TargetsNotFound(vec!["linux-x86_64-deb".into()])
            ),
            F::NoPackageForThisComputer
        );
        assert_eq!(
            classify(
                Step::Download,
                &Error::Network("Download request failed with status: 404 Not Found".into())
            ),
            F::PackageMissing
        );
        assert_eq!(
            classify(Step::Download, &Error::MissingSignedVersion),
            F::SignatureInvalid
        );
        assert_eq!(
            classify(
                Step::Download,
                &Error::SignedVersionMismatch {
                    signed: "0.1.0".into(),
                    announced: "0.2.0".into()
                }
            ),
            F::SignatureInvalid
        );
    }

    #[test]
    fn a_full_disk_is_named_as_such_at_every_step() {
        let full = std::io::Error::from_raw_os_error(NO_SPACE);
        assert!(is_disk_full(&full));
        for step in [Step::Check, Step::Download, Step::Install] {
            let e = Error::Io(std::io::Error::from_raw_os_error(NO_SPACE));
            assert_eq!(classify(step, &e), F::DiskFull, "{step:?}");
        }
        assert!(!is_disk_full(&std::io::Error::from_raw_os_error(13)));
    }

    #[test]
    fn a_refused_install_names_the_package_manager_command() {
        let p =
            Path::new("/home/m/.local/share/app.tourdesk.desk/updates/Tourdesk_0.2.0_amd64.deb");
        match failed(Step::Install, &Error::PackageInstallFailed, Some(p)) {
            UpdateState::Failed {
                failure, command, ..
            } => {
                assert_eq!(failure, F::InstallRefused);
                assert_eq!(
                    command.as_deref(),
                    Some("sudo apt install /home/m/.local/share/app.tourdesk.desk/updates/Tourdesk_0.2.0_amd64.deb")
                );
            }
            other => panic!("{other:?}"),
        }
        let no_sudo = Error::Io(std::io::Error::from(std::io::ErrorKind::NotFound));
        assert_eq!(classify(Step::Install, &no_sudo), F::InstallRefused);
        assert_eq!(classify(Step::Download, &no_sudo), F::Internal);
    }
}
