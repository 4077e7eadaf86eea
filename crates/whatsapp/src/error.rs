//! Errors of the supervisor and of requests to the sidecar.

use std::time::Duration;

use crate::protocol::WireError;

/// Why a request to the sidecar did not produce a result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// No sidecar is running now (not connected, restarting, failed or shut down).
    #[error("the WhatsApp sidecar is not running")]
    NotRunning,
    /// No reply arrived in time.
    #[error("no reply to {request} within {after:?}")]
    Timeout {
        /// Request type.
        request: String,
        /// The time-out that passed.
        after: Duration,
    },
    /// The sidecar exited (or its stdout closed) before replying.
    #[error("the sidecar stopped before replying to {request}")]
    Disconnected {
        /// Request type.
        request: String,
    },
    /// The sidecar answered with an error.
    #[error("the sidecar refused {request}: {} ({})", .error.code, .error.message)]
    Refused {
        /// Request type.
        request: String,
        /// The error the sidecar gave.
        error: WireError,
    },
    /// The reply did not have the documented shape.
    #[error("unexpected reply to {request}: {detail}")]
    Protocol {
        /// Request type.
        request: String,
        /// What was wrong.
        detail: String,
    },
    /// Writing the request to the sidecar's stdin failed.
    #[error("cannot write to the sidecar: {0}")]
    Write(String),
    /// The caller asked for something the supervisor cannot do in its current state.
    #[error("{0}")]
    InvalidState(String),
}

impl RequestError {
    /// Whether retrying the same request later can succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            RequestError::NotRunning
            | RequestError::Timeout { .. }
            | RequestError::Disconnected { .. }
            | RequestError::Write(_) => true,
            RequestError::Refused { error, .. } => error.transient,
            RequestError::Protocol { .. } | RequestError::InvalidState(_) => false,
        }
    }

    /// The sidecar's error code, if it refused the request.
    pub fn code(&self) -> Option<&str> {
        match self {
            RequestError::Refused { error, .. } => Some(&error.code),
            _ => None,
        }
    }
}

/// Why `send_message` failed, split the way the outbox needs it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Retrying cannot help (e.g. `not_on_whatsapp`, `invalid_number`, `media_unreadable`): fail the row.
    #[error("permanent send failure {code}: {message}")]
    Permanent {
        /// Sidecar error code or a supervisor code.
        code: String,
        /// Detail.
        message: String,
    },
    /// May succeed later (not ready, network, time-out, sidecar restart).
    #[error("transient send failure {code}: {message} (maybe sent: {maybe_sent})")]
    Transient {
        /// Sidecar error code, or `timeout` / `disconnected` / `not_running`.
        code: String,
        /// Detail.
        message: String,
        /// The message may have gone out: look it up (`find_sent_message`) before resending.
        maybe_sent: bool,
    },
}

impl SendError {
    /// True for errors that must not be retried.
    pub fn is_permanent(&self) -> bool {
        matches!(self, SendError::Permanent { .. })
    }

    /// True when the message may have been sent despite the error.
    pub fn maybe_sent(&self) -> bool {
        matches!(
            self,
            SendError::Transient {
                maybe_sent: true,
                ..
            }
        )
    }
}

impl From<RequestError> for SendError {
    fn from(e: RequestError) -> Self {
        let message = e.to_string();
        match e {
            RequestError::NotRunning => SendError::Transient {
                code: "not_running".into(),
                message,
                maybe_sent: false,
            },
            RequestError::Write(_) => SendError::Transient {
                code: "write_failed".into(),
                message,
                maybe_sent: false,
            },
            // The request was written: WhatsApp may have the message.
            RequestError::Timeout { .. } => SendError::Transient {
                code: "timeout".into(),
                message,
                maybe_sent: true,
            },
            RequestError::Disconnected { .. } => SendError::Transient {
                code: "disconnected".into(),
                message,
                maybe_sent: true,
            },
            RequestError::Refused { error, .. } if error.transient || error.maybe_sent => {
                SendError::Transient {
                    code: error.code,
                    message: error.message,
                    maybe_sent: error.maybe_sent,
                }
            }
            RequestError::Refused { error, .. } => SendError::Permanent {
                code: error.code,
                message: error.message,
            },
            RequestError::Protocol { .. } => SendError::Transient {
                code: "protocol".into(),
                message,
                maybe_sent: true,
            },
            RequestError::InvalidState(_) => SendError::Permanent {
                code: "invalid_state".into(),
                message,
            },
        }
    }
}

/// Why the sidecar could not be started at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LaunchError {
    /// No Node.js runtime was found.
    #[error("{0}")]
    NodeNotFound(String),
    /// The sidecar script does not exist.
    #[error("the WhatsApp sidecar script {0} does not exist; reinstall Tourdesk")]
    ScriptMissing(String),
    /// The OS refused to start the process.
    #[error("cannot start the WhatsApp sidecar: {0}")]
    Spawn(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(code: &str, transient: bool, maybe_sent: bool) -> RequestError {
        RequestError::Refused {
            request: "send_message".into(),
            error: WireError {
                code: code.into(),
                message: "m".into(),
                transient,
                maybe_sent,
            },
        }
    }

    #[test]
    fn not_on_whatsapp_is_a_permanent_send_failure() {
        let e = SendError::from(refused("not_on_whatsapp", false, false));
        assert!(e.is_permanent());
        assert!(!e.maybe_sent());
    }

    #[test]
    fn a_sidecar_timeout_that_may_have_sent_stays_transient_and_says_so() {
        let e = SendError::from(refused("timeout", true, true));
        assert!(!e.is_permanent());
        assert!(e.maybe_sent());
    }

    #[test]
    fn a_host_side_timeout_may_have_sent_but_not_running_did_not() {
        let t = SendError::from(RequestError::Timeout {
            request: "send_message".into(),
            after: Duration::from_millis(1),
        });
        assert!(t.maybe_sent());
        assert!(!SendError::from(RequestError::NotRunning).maybe_sent());
    }
}
