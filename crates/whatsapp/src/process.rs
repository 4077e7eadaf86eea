//! Starting and killing the sidecar process, behind a small trait so other platforms can plug in.
//!
//! Linux (tested) and macOS: the sidecar gets its own process group (`setpgid(0, 0)`), so one
//! `killpg` ends Node and anything it started in that group. Puppeteer starts Chromium
//! *detached* (its own group) on Unix, so after the sidecar is gone [`sweep_orphans`] also kills
//! any process whose command line carries `--user-data-dir=<data dir>…`; it reads `/proc`, so on
//! macOS (no `/proc`) it is a no-op and a macOS port must list processes with `proc_listpids`
//! or `ps -axo pid,command` instead.
//!
//! Windows needs a job object: create one with `JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE`, assign the
//! child to it right after spawning (Chromium, started by Node, joins it too), keep the handle
//! for the life of the supervisor, and `TerminateJobObject` in `kill_tree`. Then even a killed
//! host leaves nothing running, because the OS closes the handle. The Unix code below compiles
//! on Windows but only kills the Node process itself.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{watch, Notify};

use crate::error::LaunchError;

/// What to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchSpec {
    /// The Node.js executable.
    pub program: PathBuf,
    /// Arguments (the script first).
    pub args: Vec<OsString>,
    /// Extra environment variables.
    pub env: Vec<(String, String)>,
}

/// How the process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExitInfo {
    /// Exit code, when it exited normally.
    pub code: Option<i32>,
    /// Signal number, when a signal ended it (Unix).
    pub signal: Option<i32>,
}

impl fmt::Display for ExitInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.code, self.signal) {
            (Some(c), _) => write!(f, "exit code {c}"),
            (None, Some(s)) => write!(f, "signal {s}"),
            (None, None) => write!(f, "unknown exit"),
        }
    }
}

/// Killing a started process (and everything it started).
pub trait ProcessControl: Send + Sync + fmt::Debug {
    /// The process id.
    fn pid(&self) -> Option<u32>;
    /// Kills the process and its whole tree at once; safe to call repeatedly and after exit.
    fn kill_tree(&self);
}

/// A started sidecar: its pipes, a way to kill it, and its exit.
pub struct SpawnedProcess {
    /// The child's stdin.
    pub stdin: Box<dyn AsyncWrite + Send + Unpin>,
    /// The child's stdout.
    pub stdout: Box<dyn AsyncRead + Send + Unpin>,
    /// The child's stderr.
    pub stderr: Box<dyn AsyncRead + Send + Unpin>,
    /// Kill switch.
    pub control: Arc<dyn ProcessControl>,
    /// Becomes `Some` when the process has exited (and been reaped).
    pub exited: watch::Receiver<Option<ExitInfo>>,
}

/// Starts processes; the seam for other platforms and for tests.
pub trait ProcessLauncher: Send + Sync {
    /// Starts the process with piped stdin, stdout and stderr.
    fn launch(&self, spec: &LaunchSpec) -> Result<SpawnedProcess, LaunchError>;
}

/// The launcher for this OS, built on `tokio::process`.
#[derive(Debug, Default, Clone, Copy)]
pub struct TokioLauncher;

#[derive(Debug)]
struct TokioControl {
    pid: Option<u32>,
    /// Set once the child is reaped; after that its pid (and group id) may belong to others.
    reaped: Arc<AtomicBool>,
    /// Asks the task that owns the child to kill it (the portable path, also on Windows).
    kill: Arc<Notify>,
}

impl ProcessControl for TokioControl {
    fn pid(&self) -> Option<u32> {
        self.pid
    }

    fn kill_tree(&self) {
        if self.reaped.load(Ordering::SeqCst) {
            return;
        }
        // The group first, synchronously (this also runs from Drop, where no task may run again).
        if let Some(pid) = self.pid {
            kill_group(pid);
        }
        self.kill.notify_one();
    }
}

impl ProcessLauncher for TokioLauncher {
    fn launch(&self, spec: &LaunchSpec) -> Result<SpawnedProcess, LaunchError> {
        let mut cmd = tokio::process::Command::new(&spec.program);
        cmd.args(&spec.args)
            .envs(spec.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        #[cfg(unix)]
        cmd.process_group(0);
        let mut child = cmd
            .spawn()
            .map_err(|e| LaunchError::Spawn(format!("{}: {e}", spec.program.display())))?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.start_kill();
            return Err(LaunchError::Spawn("the child's pipes are missing".into()));
        };
        let pid = child.id();
        let reaped = Arc::new(AtomicBool::new(false));
        let (exit_tx, exit_rx) = watch::channel(None);
        let reaped_in_task = Arc::clone(&reaped);
        let kill = Arc::new(Notify::new());
        let kill_in_task = Arc::clone(&kill);
        tokio::spawn(async move {
            let status = tokio::select! {
                s = child.wait() => s,
                _ = kill_in_task.notified() => {
                    let _ = child.start_kill();
                    child.wait().await
                }
            };
            // Leftovers in the sidecar's group die with it; the group id is still ours until
            // the last member is gone, so this cannot hit a stranger.
            if let Some(pid) = pid {
                kill_group(pid);
            }
            reaped_in_task.store(true, Ordering::SeqCst);
            let info = match status {
                Ok(s) => exit_info(&s),
                Err(e) => {
                    tracing::warn!("waiting for the sidecar failed: {e}");
                    ExitInfo {
                        code: None,
                        signal: None,
                    }
                }
            };
            let _ = exit_tx.send(Some(info));
        });
        Ok(SpawnedProcess {
            stdin: Box::new(stdin),
            stdout: Box::new(stdout),
            stderr: Box::new(stderr),
            control: Arc::new(TokioControl { pid, reaped, kill }),
            exited: exit_rx,
        })
    }
}

fn exit_info(s: &std::process::ExitStatus) -> ExitInfo {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        ExitInfo {
            code: s.code(),
            signal: s.signal(),
        }
    }
    #[cfg(not(unix))]
    {
        ExitInfo {
            code: s.code(),
            signal: None,
        }
    }
}

/// SIGKILL to the process group led by `pid` (Unix); elsewhere nothing (see the module doc).
fn kill_group(pid: u32) {
    #[cfg(unix)]
    {
        let Ok(pgid) = libc::pid_t::try_from(pid) else {
            return;
        };
        if pgid <= 1 {
            return;
        }
        // SAFETY: killpg only sends a signal; the group id is our child's (process_group(0)).
        unsafe {
            libc::killpg(pgid, libc::SIGKILL);
        }
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
    }
}

/// Command-line marker given to the sidecar so its process can be found by its data dir.
pub fn sidecar_marker(data_dir: &std::path::Path) -> String {
    format!("--tourdesk-data-dir={}", data_dir.display())
}

/// Kills processes left behind for `data_dir`: a sidecar carrying its marker and any browser
/// using a profile under it (with their process groups). Returns the pids signalled. Linux only.
pub fn sweep_orphans(data_dir: &std::path::Path) -> Vec<u32> {
    let dir = data_dir.display().to_string();
    if dir.len() < 2 {
        return Vec::new();
    }
    let needles = [sidecar_marker(data_dir), format!("--user-data-dir={dir}")];
    let mut killed = Vec::new();
    for (pid, cmdline) in list_processes() {
        if needles.iter().any(|n| cmdline_has_arg_prefix(&cmdline, n)) {
            kill_pid_and_group(pid);
            killed.push(pid);
        }
    }
    if !killed.is_empty() {
        tracing::warn!(?killed, "killed processes left behind for {dir}");
        wait_gone(&killed, std::time::Duration::from_secs(1));
    }
    killed
}

/// Waits (polling, at most `limit`) until none of `pids` runs; zombies count as gone.
fn wait_gone(pids: &[u32], limit: std::time::Duration) {
    let deadline = std::time::Instant::now() + limit;
    let running = |pid: &u32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|stat| {
                // The state letter follows the parenthesised command name.
                let state = stat
                    .rsplit_once(") ")
                    .and_then(|(_, rest)| rest.chars().next());
                !matches!(state, Some('Z') | Some('X') | None)
            })
            .unwrap_or(false)
    };
    while pids.iter().any(running) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// True when one NUL-separated argument starts with `prefix` followed by the end or a `/`.
fn cmdline_has_arg_prefix(cmdline: &[u8], prefix: &str) -> bool {
    cmdline.split(|&b| b == 0).any(|arg| {
        arg.starts_with(prefix.as_bytes())
            && matches!(arg.get(prefix.len()), None | Some(b'/') | Some(b'\\'))
    })
}

/// (pid, raw NUL-separated command line) of every other process we can see.
fn list_processes() -> Vec<(u32, Vec<u8>)> {
    let own = std::process::id();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()))
        .filter(|&pid| pid != own)
        .filter_map(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .ok()
                .map(|c| (pid, c))
        })
        .collect()
}

fn kill_pid_and_group(pid: u32) {
    #[cfg(unix)]
    {
        let Ok(p) = libc::pid_t::try_from(pid) else {
            return;
        };
        // SAFETY: plain signal sending; we never signal our own group or pid 0/1.
        unsafe {
            let own_group = libc::getpgrp();
            let group = libc::getpgid(p);
            if group > 1 && group != own_group {
                libc::killpg(group, libc::SIGKILL);
            }
            if p > 1 {
                libc::kill(p, libc::SIGKILL);
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
    }
}

/// Pids of processes whose command line mentions `needle` anywhere (for checks and tests).
pub fn pids_mentioning(needle: &str) -> Vec<u32> {
    list_processes()
        .into_iter()
        .filter(|(_, c)| {
            c.windows(needle.len().max(1))
                .any(|w| w == needle.as_bytes())
        })
        .map(|(pid, _)| pid)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_argument_matches_its_dir_or_a_path_below_but_not_a_sibling_with_a_longer_name() {
        let c = b"chromium\0--user-data-dir=/tmp/a/wwebjs-auth/session\0--x".to_vec();
        assert!(cmdline_has_arg_prefix(&c, "--user-data-dir=/tmp/a"));
        assert!(!cmdline_has_arg_prefix(
            &c,
            "--user-data-dir=/tmp/a/wwebjs-auth/sess"
        ));
        let d = b"node\0main.js\0--tourdesk-data-dir=/tmp/ab".to_vec();
        assert!(!cmdline_has_arg_prefix(&d, "--tourdesk-data-dir=/tmp/a"));
        assert!(cmdline_has_arg_prefix(&d, "--tourdesk-data-dir=/tmp/ab"));
    }
}
