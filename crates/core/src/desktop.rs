//! The desktop app itself, as the settings page and the update dialog show it: the update
//! channel, what closing the window does, start at login, and where an update stands.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The release line this computer follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum UpdateChannel {
    /// Releases everyone gets.
    #[default]
    Stable,
    /// Releases ahead of stable, for those who try them first.
    Beta,
}

impl UpdateChannel {
    /// The name used in update URLs (`{{channel}}`).
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateChannel::Stable => "stable",
            UpdateChannel::Beta => "beta",
        }
    }
}

/// Preferences of this computer's app (kept beside the data, not in the organisation's data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DesktopSettings {
    /// Which release line updates come from.
    pub update_channel: UpdateChannel,
    /// Closing the window keeps the app (and WhatsApp) running in the tray.
    pub close_to_tray: bool,
    /// The app starts when the user logs in to the computer.
    pub start_at_login: bool,
    /// The first close already explained the tray (not asked again).
    pub close_to_tray_explained: bool,
}

impl Default for DesktopSettings {
    fn default() -> Self {
        DesktopSettings {
            update_channel: UpdateChannel::Stable,
            close_to_tray: true,
            start_at_login: false,
            close_to_tray_explained: false,
        }
    }
}

/// Why an update step did not go through (the page translates it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UpdateFailure {
    /// This build has no update channel or no public key.
    NotConfigured,
    /// This copy was not installed from a package (a development build): it cannot update itself.
    NotPackaged,
    /// The update server could not be reached.
    Network,
    /// The server answered something that is not an update manifest.
    ManifestInvalid,
    /// The manifest has no package for this computer (linux-x86_64-deb).
    NoPackageForThisComputer,
    /// The package the manifest points at is not there.
    PackageMissing,
    /// The download stopped before the end.
    DownloadIncomplete,
    /// The package or its signature does not match the publisher's key.
    SignatureInvalid,
    /// There is no room on the disk for the package.
    DiskFull,
    /// The system refused to install the package (no rights, no pkexec/dpkg).
    InstallRefused,
    /// An update is already being downloaded or installed.
    Busy,
    /// No update was offered (check first).
    NothingToInstall,
    /// Something unexpected; details are in the log.
    Internal,
}

/// Where the updater stands; returned by the update commands and sent as `update:state`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum UpdateState {
    /// Not checked since the app started.
    Idle,
    /// Asking the update server.
    Checking,
    /// The installed version is the newest of the channel.
    UpToDate {
        /// The installed version.
        current: String,
    },
    /// A newer version can be installed.
    Available {
        /// The installed version.
        current: String,
        /// The version offered.
        version: String,
        /// What changed, from the manifest.
        #[ts(optional = nullable)]
        notes: Option<String>,
    },
    /// Downloading the package.
    Downloading {
        /// The version being downloaded.
        version: String,
        /// Bytes received so far.
        #[ts(type = "number")]
        received: u64,
        /// The package size, when the server says it.
        #[ts(type = "number | null")]
        total: Option<u64>,
    },
    /// The signature matched; the package is being installed.
    Installing {
        /// The version being installed.
        version: String,
    },
    /// Installed; the app restarts into it.
    Installed {
        /// The version now installed.
        version: String,
    },
    /// The last step failed; the installed version keeps working.
    Failed {
        /// Why.
        failure: UpdateFailure,
        /// Technical detail (for the log and support).
        detail: String,
        /// The command that installs the downloaded package by hand, when it was refused.
        #[ts(optional = nullable)]
        command: Option<String>,
    },
}

/// What the tray shows; the page sends it in the user's language when anything in it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TrayView {
    /// Label of the menu item that shows the window.
    pub open_label: String,
    /// The WhatsApp line of the menu (e.g. "WhatsApp: connected").
    pub whatsapp_label: String,
    /// Label of the menu item that quits the app.
    pub quit_label: String,
    /// Unread chats, shown next to the icon and in its tooltip.
    pub unread: u32,
    /// The tooltip (the page words it, e.g. "Tourdesk — 3 unread").
    pub tooltip: String,
}
