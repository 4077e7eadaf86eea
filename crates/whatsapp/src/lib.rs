//! Supervisor of the WhatsApp sidecar (a Node process per account speaking JSON lines).
//!
//! [`WhatsAppSupervisor`] starts the sidecar, says `hello`, pings it, restarts it with capped
//! exponential back-off, detects crash loops, and exposes the connection state and WhatsApp
//! events to the app. The wire contract is `docs/whatsapp-protocol.md`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use tourdesk_whatsapp::*;
//! let node = find_node()?;
//! let config = SupervisorConfig::new("account-1", node, "/opt/tourdesk/sidecar/whatsapp/dist/sidecar.cjs".into());
//! let sup = WhatsAppSupervisor::new(config);
//! let mut events = sup.subscribe();
//! sup.connect(ConnectParams::new("/home/u/.local/share/tourdesk/wa/account-1", AdapterKind::Real)).await?;
//! while let Ok(ev) = events.recv().await {
//!     match ev {
//!         SupervisorEvent::State(ConnectionState::Qr { qr }) => println!("show QR {qr}"),
//!         SupervisorEvent::State(ConnectionState::Ready { .. }) => break,
//!         _ => {}
//!     }
//! }
//! sup.shutdown().await?;
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

mod backoff;
mod client;
mod config;
mod error;
mod lines;
mod process;
mod protocol;
mod run_loop;
mod state;
mod supervisor;

pub use backoff::{restart_delay, CrashLoopDetector};
pub use client::{EventSink, ProtocolClient};
pub use config::{
    bundled_node, find_node, find_node_beside, find_node_in, ConnectParams, HealthPolicy,
    RestartPolicy, SupervisorConfig, BUNDLED_NODE, NODE_ENV_OVERRIDE,
};
pub use error::{LaunchError, RequestError, SendError};
pub use process::{
    pids_mentioning, sidecar_marker, sweep_orphans, ExitInfo, LaunchSpec, ProcessControl,
    ProcessLauncher, SpawnedProcess, TokioLauncher,
};
pub use protocol::{
    decode_line, AckEvent, AdapterKind, Chat, EditEvent, ErrorEvent, FetchedMessages, FoundSent,
    HelloResult, Incoming, OutgoingMedia, PingResult, QuotedRef, ReactionEvent, Recipient, Reply,
    Request, RevokeEvent, SentMessage, SidecarEvent, StateEvent, WaMessageId, WireError, WireMedia,
    WireMessage, PROTOCOL_VERSION,
};
pub use state::{
    ConnectionState, SupervisorEvent, CODE_CRASH_LOOP, CODE_HELLO_REJECTED, CODE_SIDECAR_CRASHED,
    CODE_SIDECAR_START_FAILED, CODE_SIDECAR_UNRESPONSIVE,
};
pub use supervisor::{OutgoingMessage, WhatsAppSupervisor};
