//! Configuration of one account's supervisor, and finding the Node.js runtime.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Map, Value};

use crate::error::LaunchError;
use crate::protocol::AdapterKind;

/// Environment variable that names the Node.js executable to use.
pub const NODE_ENV_OVERRIDE: &str = "TOURDESK_NODE";
/// Where the package keeps its own Node.js runtime, relative to the sidecar script's folder
/// (`whatsapp-sidecar/node/bin/node`, staged by `scripts/stage-sidecar.sh`).
pub const BUNDLED_NODE: &str = "node/bin/node";

/// How restarts are paced and when restarting stops.
#[derive(Debug, Clone, PartialEq)]
pub struct RestartPolicy {
    /// Delay before the first restart after a crash.
    pub base_delay: Duration,
    /// Longest delay between restarts.
    pub max_delay: Duration,
    /// Random share (0.0..=1.0) taken off each delay so accounts do not restart in lock-step.
    pub jitter: f64,
    /// This many crashes within `crash_window` means a crash loop: state `failed`, no more restarts.
    pub max_crashes: u32,
    /// Sliding window for crash-loop detection.
    pub crash_window: Duration,
}

impl Default for RestartPolicy {
    fn default() -> Self {
        RestartPolicy {
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            jitter: 0.2,
            max_crashes: 5,
            crash_window: Duration::from_secs(120),
        }
    }
}

/// Health pings and request time-outs.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthPolicy {
    /// Time between pings.
    pub ping_interval: Duration,
    /// A ping without a pong within this time is missed.
    pub ping_timeout: Duration,
    /// This many missed pings in a row kill and restart the sidecar.
    pub max_missed_pings: u32,
    /// Default time-out of requests (`send_message`, `get_chats`, `fetch_messages` have their own).
    pub request_timeout: Duration,
    /// Time-out of `get_chats` and `fetch_messages` (history loads from the phone).
    pub history_timeout: Duration,
    /// Time-out of `send_message`; the sidecar is given two thirds of it so it answers first.
    pub send_timeout: Duration,
    /// Time-out of `hello`.
    pub hello_timeout: Duration,
    /// How long a clean shutdown waits for the sidecar to exit before killing it.
    pub shutdown_grace: Duration,
}

impl Default for HealthPolicy {
    fn default() -> Self {
        HealthPolicy {
            ping_interval: Duration::from_secs(15),
            ping_timeout: Duration::from_secs(10),
            max_missed_pings: 1,
            request_timeout: Duration::from_secs(30),
            history_timeout: Duration::from_secs(120),
            send_timeout: Duration::from_secs(90),
            hello_timeout: Duration::from_secs(20),
            shutdown_grace: Duration::from_secs(3),
        }
    }
}

/// Everything needed to run one account's sidecar.
#[derive(Debug, Clone, PartialEq)]
pub struct SupervisorConfig {
    /// Label used in logs (e.g. the account's id in the database).
    pub account: String,
    /// The Node.js executable (see [`find_node`]).
    pub node: PathBuf,
    /// The sidecar entry script (bundle `sidecar.cjs` or `src/main.js`).
    pub script: PathBuf,
    /// Extra environment for the sidecar (e.g. `TOURDESK_CHROMIUM`, `TOURDESK_SIDECAR_LOG`).
    pub env: Vec<(String, String)>,
    /// Restart pacing.
    pub restart: RestartPolicy,
    /// Pings and time-outs.
    pub health: HealthPolicy,
    /// Capacity of the event broadcast channel.
    pub event_capacity: usize,
}

impl SupervisorConfig {
    /// A config with default policies.
    pub fn new(account: impl Into<String>, node: PathBuf, script: PathBuf) -> Self {
        SupervisorConfig {
            account: account.into(),
            node,
            script,
            env: Vec::new(),
            restart: RestartPolicy::default(),
            health: HealthPolicy::default(),
            event_capacity: 1024,
        }
    }
}

/// What `connect` hands to the sidecar's `hello` (again on every restart).
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectParams {
    /// Absolute account data dir (session, caches); unique per account.
    pub data_dir: PathBuf,
    /// Absolute media dir; `None` means `<data_dir>/media`.
    pub media_dir: Option<PathBuf>,
    /// `Real` or `Fake`.
    pub adapter: AdapterKind,
    /// Adapter options passed through (`browser_path`, `proxy_server`, fake `account`, …).
    pub options: Map<String, Value>,
}

impl ConnectParams {
    /// Params for an adapter with no options.
    pub fn new(data_dir: impl Into<PathBuf>, adapter: AdapterKind) -> Self {
        ConnectParams {
            data_dir: data_dir.into(),
            media_dir: None,
            adapter,
            options: Map::new(),
        }
    }
}

/// What to install, per OS, when Node.js is missing.
fn node_install_advice() -> &'static str {
    if cfg!(windows) {
        "install Node.js 20 or newer (winget install OpenJS.NodeJS.LTS)"
    } else if cfg!(target_os = "macos") {
        "install Node.js 20 or newer (brew install node)"
    } else {
        "install Node.js 20 or newer (Debian/Ubuntu: sudo apt install nodejs)"
    }
}

fn is_executable_file(p: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(p) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// Finds Node.js: `TOURDESK_NODE` if set, else `node` on `PATH`; the error names what to install.
pub fn find_node() -> Result<PathBuf, LaunchError> {
    find_node_in(
        std::env::var_os(NODE_ENV_OVERRIDE).map(PathBuf::from),
        std::env::var_os("PATH"),
    )
}

/// Finds the Node.js that runs `script`: `TOURDESK_NODE` if set, else the runtime shipped
/// beside the script ([`BUNDLED_NODE`], the installed package), else `node` on `PATH` (a
/// development tree).
pub fn find_node_beside(script: &Path) -> Result<PathBuf, LaunchError> {
    let override_path = std::env::var_os(NODE_ENV_OVERRIDE).map(PathBuf::from);
    if override_path
        .as_ref()
        .is_some_and(|p| !p.as_os_str().is_empty())
    {
        return find_node_in(override_path, None);
    }
    if let Some(bundled) = bundled_node(script) {
        return Ok(bundled);
    }
    find_node_in(None, std::env::var_os("PATH"))
}

/// The runtime shipped beside `script`, when it is there and executable.
pub fn bundled_node(script: &Path) -> Option<PathBuf> {
    let candidate = script.parent()?.join(BUNDLED_NODE);
    is_executable_file(&candidate).then_some(candidate)
}

/// [`find_node`] with the override and `PATH` given explicitly (for tests and callers).
pub fn find_node_in(
    override_path: Option<PathBuf>,
    path_var: Option<std::ffi::OsString>,
) -> Result<PathBuf, LaunchError> {
    if let Some(p) = override_path.filter(|p| !p.as_os_str().is_empty()) {
        if is_executable_file(&p) {
            return Ok(p);
        }
        return Err(LaunchError::NodeNotFound(format!(
            "{NODE_ENV_OVERRIDE} is set to {}, which is not an executable file; fix it or unset it and {}",
            p.display(),
            node_install_advice()
        )));
    }
    let names: &[&str] = if cfg!(windows) {
        &["node.exe", "node"]
    } else {
        &["node"]
    };
    if let Some(path_var) = path_var {
        for dir in std::env::split_paths(&path_var) {
            for name in names {
                let candidate = dir.join(name);
                if is_executable_file(&candidate) {
                    return Ok(candidate);
                }
            }
        }
    }
    Err(LaunchError::NodeNotFound(format!(
        "Node.js was not found on PATH: {}, or set {NODE_ENV_OVERRIDE} to the node executable",
        node_install_advice()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_is_found_on_a_path_that_contains_it() {
        let dir = tempfile::tempdir().unwrap();
        let node = dir.path().join("node");
        std::fs::write(&node, "#!/bin/sh\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&node, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let path = std::env::join_paths([Path::new("/nonexistent-dir"), dir.path()]).unwrap();
        assert_eq!(find_node_in(None, Some(path)).unwrap(), node);
    }

    #[test]
    fn a_missing_node_gives_an_error_that_says_what_to_install() {
        let dir = tempfile::tempdir().unwrap();
        let err = find_node_in(None, Some(dir.path().as_os_str().to_owned())).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("Node.js 20"), "{text}");
        assert!(text.contains(NODE_ENV_OVERRIDE), "{text}");
    }

    #[test]
    fn the_runtime_shipped_beside_the_sidecar_is_preferred_and_a_tree_without_one_has_none() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("sidecar.cjs");
        std::fs::write(&script, "").unwrap();
        assert_eq!(bundled_node(&script), None, "no runtime staged yet");
        let node = dir.path().join(BUNDLED_NODE);
        std::fs::create_dir_all(node.parent().unwrap()).unwrap();
        std::fs::write(&node, "#!/bin/sh\n").unwrap();
        assert_eq!(bundled_node(&script), None, "not executable: not a runtime");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&node, std::fs::Permissions::from_mode(0o755)).unwrap();
            assert_eq!(bundled_node(&script), Some(node.clone()));
            if std::env::var_os(NODE_ENV_OVERRIDE).is_none() {
                assert_eq!(find_node_beside(&script).unwrap(), node);
            }
        }
    }

    #[test]
    fn a_bad_override_is_reported_instead_of_silently_using_path() {
        let err = find_node_in(
            Some(PathBuf::from("/no/such/node")),
            Some("/usr/bin".into()),
        )
        .unwrap_err();
        assert!(err.to_string().contains("/no/such/node"));
    }
}
