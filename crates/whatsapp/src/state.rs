//! The connection state shown to users, and what subscribers receive.

use serde::Serialize;

use crate::process::ExitInfo;
use crate::protocol::{SidecarEvent, StateEvent};

/// Supervisor failure code: the sidecar crashed too often within the crash window.
pub const CODE_CRASH_LOOP: &str = "crash_loop";
/// Supervisor degraded code: the sidecar exited unexpectedly and will be restarted.
pub const CODE_SIDECAR_CRASHED: &str = "sidecar_crashed";
/// Supervisor degraded code: the sidecar stopped answering pings and was killed.
pub const CODE_SIDECAR_UNRESPONSIVE: &str = "sidecar_unresponsive";
/// Supervisor failure code: the sidecar could not be started (Node or script missing, spawn error).
pub const CODE_SIDECAR_START_FAILED: &str = "sidecar_start_failed";
/// Supervisor failure code: the sidecar refused `hello` or speaks another protocol version.
pub const CODE_HELLO_REJECTED: &str = "hello_rejected";

/// Connection state of one WhatsApp account, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ConnectionState {
    /// Not connected: before `connect` and after `shutdown`.
    Stopped,
    /// The sidecar is starting or connecting to WhatsApp.
    Starting,
    /// Waiting for the phone to scan this QR payload (it rotates).
    Qr {
        /// The QR payload to render.
        qr: String,
    },
    /// Waiting for this code to be typed on the phone.
    PairingCode {
        /// The pairing code.
        code: String,
        /// The phone being linked.
        phone: Option<String>,
    },
    /// The session was accepted; WhatsApp is loading.
    Authenticated,
    /// Connected: messages flow.
    Ready {
        /// Our account's digits.
        account: Option<String>,
    },
    /// Reconnecting (by the sidecar, or by the supervisor after a crash).
    Degraded {
        /// Why, e.g. `network_timeout`, `reconnecting`, `not_responding`, `proxy_blocked`,
        /// `browser_crashed`, `whatsapp_unreachable`, `sidecar_crashed`.
        code: String,
        /// Detail for the log and the settings page.
        reason: String,
        /// What the user can do, if anything.
        advice: Option<String>,
        /// Unix time (ms) of the next attempt, when known.
        next_retry_at: Option<u64>,
    },
    /// WhatsApp Web is open with this account in another browser: nothing is sent until the
    /// user takes it back ("use here"). The saved session is kept.
    Conflict {
        /// Detail.
        reason: String,
        /// What the user can do.
        advice: String,
    },
    /// WhatsApp banned the number (`tos_block`, `smb_tos_block`): sending is paused.
    Banned {
        /// `tos_block` or `smb_tos_block`.
        code: String,
        /// Detail.
        reason: String,
        /// What the user can do.
        advice: String,
    },
    /// Logged out: the saved session is gone; linking again needs a QR or code.
    LoggedOut {
        /// Why.
        reason: String,
    },
    /// Stopped trying: needs the user (e.g. `crash_loop`, `browser_not_found`, `auth_failure`,
    /// `deprecated_version`).
    Failed {
        /// Reason code.
        code: String,
        /// Detail.
        reason: String,
        /// What the user can do.
        advice: String,
    },
}

impl ConnectionState {
    /// The wire name of the state (`ready`, `degraded`, …).
    pub fn name(&self) -> &'static str {
        match self {
            ConnectionState::Stopped => "stopped",
            ConnectionState::Starting => "starting",
            ConnectionState::Qr { .. } => "qr",
            ConnectionState::PairingCode { .. } => "pairing_code",
            ConnectionState::Authenticated => "authenticated",
            ConnectionState::Ready { .. } => "ready",
            ConnectionState::Degraded { .. } => "degraded",
            ConnectionState::Conflict { .. } => "conflict",
            ConnectionState::Banned { .. } => "banned",
            ConnectionState::LoggedOut { .. } => "logged_out",
            ConnectionState::Failed { .. } => "failed",
        }
    }

    /// The state a sidecar `state` event means; `None` for a state this crate does not know.
    pub fn from_event(ev: &StateEvent) -> Option<Self> {
        let text = |o: &Option<String>| o.clone().unwrap_or_default();
        Some(match ev.state.as_str() {
            "starting" => ConnectionState::Starting,
            "qr" => ConnectionState::Qr { qr: text(&ev.qr) },
            "pairing_code" => ConnectionState::PairingCode {
                code: text(&ev.code),
                phone: ev.phone.clone(),
            },
            "authenticated" => ConnectionState::Authenticated,
            "ready" => ConnectionState::Ready {
                account: ev.account.clone(),
            },
            "degraded" => ConnectionState::Degraded {
                code: ev.code.clone().unwrap_or_else(|| "degraded".into()),
                reason: text(&ev.reason),
                advice: ev.advice.clone(),
                next_retry_at: ev.next_retry_at,
            },
            "conflict" => ConnectionState::Conflict {
                reason: text(&ev.reason),
                advice: text(&ev.advice),
            },
            "banned" => ConnectionState::Banned {
                code: ev.code.clone().unwrap_or_else(|| "tos_block".into()),
                reason: text(&ev.reason),
                advice: text(&ev.advice),
            },
            "logged_out" => ConnectionState::LoggedOut {
                reason: text(&ev.reason),
            },
            "failed" => ConnectionState::Failed {
                code: ev.code.clone().unwrap_or_else(|| "failed".into()),
                reason: text(&ev.reason),
                advice: ev.advice.clone().unwrap_or_default(),
            },
            _ => return None,
        })
    }
}

/// What subscribers receive from a supervisor.
#[derive(Debug, Clone, PartialEq)]
pub enum SupervisorEvent {
    /// The connection state changed.
    State(ConnectionState),
    /// An event from WhatsApp (message, ack, edit, revoke, reaction, or a sidecar `error`).
    Inbound(SidecarEvent),
    /// A sidecar process started.
    SidecarStarted {
        /// Its pid.
        pid: Option<u32>,
    },
    /// A sidecar process ended.
    SidecarExited {
        /// Its pid.
        pid: Option<u32>,
        /// How it ended.
        exit: ExitInfo,
        /// False for a crash or a kill after missed pings.
        expected: bool,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(state: &str) -> StateEvent {
        StateEvent {
            state: state.into(),
            qr: None,
            code: None,
            phone: None,
            account: None,
            reason: None,
            advice: None,
            next_retry_at: None,
            attempt: None,
        }
    }

    #[test]
    fn a_pairing_code_event_uses_code_as_the_code_to_type() {
        let mut e = ev("pairing_code");
        e.code = Some("ABCD1234".into());
        assert_eq!(
            ConnectionState::from_event(&e),
            Some(ConnectionState::PairingCode {
                code: "ABCD1234".into(),
                phone: None
            })
        );
    }

    #[test]
    fn a_failed_event_uses_code_as_the_reason_code() {
        let mut e = ev("failed");
        e.code = Some("browser_not_found".into());
        e.advice = Some("Install Chromium".into());
        let s = ConnectionState::from_event(&e).unwrap();
        assert!(
            matches!(s, ConnectionState::Failed { ref code, .. } if code == "browser_not_found")
        );
    }

    #[test]
    fn conflict_and_ban_are_states_of_their_own() {
        let mut e = ev("banned");
        e.code = Some("smb_tos_block".into());
        e.advice = Some("Appeal on the phone".into());
        let banned = ConnectionState::from_event(&e).unwrap();
        assert!(
            matches!(banned, ConnectionState::Banned { ref code, ref advice, .. } if code == "smb_tos_block" && advice == "Appeal on the phone")
        );
        assert_eq!(banned.name(), "banned");
        let conflict = ConnectionState::from_event(&ev("conflict")).unwrap();
        assert_eq!(conflict.name(), "conflict");
    }

    #[test]
    fn an_unknown_state_name_maps_to_nothing() {
        assert_eq!(ConnectionState::from_event(&ev("sleeping")), None);
    }

    #[test]
    fn states_serialise_with_their_wire_name_as_the_tag() {
        let v = serde_json::to_value(ConnectionState::Ready {
            account: Some("1".into()),
        })
        .unwrap();
        assert_eq!(v["state"], "ready");
        assert_eq!(ConnectionState::Ready { account: None }.name(), "ready");
    }
}
