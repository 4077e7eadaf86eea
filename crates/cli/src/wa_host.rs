//! `tourdesk-cli wa-host`: the desktop's WhatsApp host without a window, for servers, scripts
//! and the crash tests (a process that can be killed with SIGKILL at any moment).

use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use serde_json::{json, Map, Value};
use tokio::io::AsyncReadExt as _;
use tourdesk_app::core::whatsapp::{InboxChange, WaState, WaStatus};
use tourdesk_app::core::{AppError, ErrorCode};
use tourdesk_app::{App, SystemClock};
use tourdesk_wahost::{find_sidecar, HostConfig, HostListener, WaHost};
use tourdesk_whatsapp::{find_node, AdapterKind};

#[derive(Args)]
pub struct WaHostArgs {
    /// `real` (WhatsApp Web in Chromium) or `fake` (the scripted test adapter).
    #[arg(long, default_value = "real", value_parser = ["real", "fake"])]
    adapter: String,
    /// Adapter options as a JSON object (e.g. `{"send_latency_ms":50}`).
    #[arg(long)]
    adapter_options: Option<String>,
    /// With the fake adapter: scan every QR at once (a phone that always says yes).
    #[arg(long)]
    fake_auto_scan: bool,
    /// The send-rate window in ms (60000; tests scale it down).
    #[arg(long, default_value_t = 60_000)]
    rate_window_ms: u64,
    /// Random gap between sends, `LO-HI` in ms.
    #[arg(long, default_value = "1500-4000")]
    gap_ms: String,
    /// First back-off after a transient failure, in ms.
    #[arg(long, default_value_t = 5_000)]
    retry_base_ms: u64,
}

struct Printer;

fn print_line(v: &Value) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{v}");
    let _ = out.flush();
}

impl HostListener for Printer {
    fn status_changed(&self, s: &WaStatus) {
        print_line(&json!({"event": "status", "status": s}));
    }
    fn inbox_changed(&self, c: &InboxChange) {
        if c.chat_id.is_some() {
            print_line(&json!({"event": "inbox", "change": c}));
        }
    }
}

fn bad(field: &str, msg: &str) -> AppError {
    AppError::field(ErrorCode::InvalidChoice, field, msg)
}

fn parse_gap(s: &str) -> Result<(u64, u64), AppError> {
    let (lo, hi) = s.split_once('-').unwrap_or((s, s));
    let lo = lo
        .trim()
        .parse::<u64>()
        .map_err(|_| bad("gap_ms", "expected LO-HI in ms"))?;
    let hi = hi
        .trim()
        .parse::<u64>()
        .map_err(|_| bad("gap_ms", "expected LO-HI in ms"))?;
    if hi < lo {
        return Err(bad("gap_ms", "HI must not be below LO"));
    }
    Ok((lo, hi))
}

/// The account folder of an organisation inside a data folder.
pub fn wa_dir(data_dir: &Path, tenant: &str) -> std::path::PathBuf {
    data_dir.join("whatsapp").join(tenant)
}

pub fn run(data_dir: &Path, args: &WaHostArgs) -> Result<(), AppError> {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TOURDESK_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .try_init();
    let app = Arc::new(App::open(data_dir, Box::new(SystemClock))?);
    let tenant = app
        .folder_org()?
        .ok_or_else(|| AppError::not_found("organisation"))?;
    let node =
        find_node().map_err(|e| AppError::new(ErrorCode::WhatsappUnavailable, e.to_string()))?;
    let script =
        find_sidecar(None).map_err(|e| AppError::new(ErrorCode::WhatsappUnavailable, e))?;
    let mut config = HostConfig::new(
        node,
        script,
        wa_dir(data_dir, &tenant.to_string()),
        app.media_dir().join("in"),
    );
    config.adapter = if args.adapter == "fake" {
        AdapterKind::Fake
    } else {
        AdapterKind::Real
    };
    if let Some(opts) = &args.adapter_options {
        let v: Map<String, Value> = serde_json::from_str(opts)
            .map_err(|_| bad("adapter_options", "expected a JSON object"))?;
        config.adapter_options = v;
    }
    config.rate_window = Duration::from_millis(args.rate_window_ms.max(1));
    config.gap_ms = parse_gap(&args.gap_ms)?;
    config.retry_base = Duration::from_millis(args.retry_base_ms.max(1));
    let rt = tokio::runtime::Runtime::new()
        .map_err(|e| AppError::internal(format!("start the async runtime: {e}")))?;
    let auto_scan = args.fake_auto_scan && config.adapter == AdapterKind::Fake;
    rt.block_on(async move {
        let host = WaHost::new(app, tenant, config, Arc::new(Printer));
        let mut states = auto_scan.then(|| host.supervisor().watch_state());
        host.connect().await?;
        let mut stdin = tokio::io::stdin();
        let mut buf = [0u8; 256];
        loop {
            tokio::select! {
                n = stdin.read(&mut buf) => {
                    if matches!(n, Ok(0) | Err(_)) { break; }
                }
                _ = tokio::signal::ctrl_c() => break,
                changed = async {
                    match states.as_mut() {
                        Some(s) => s.changed().await.is_ok(),
                        None => std::future::pending().await,
                    }
                } => {
                    if !changed { states = None; continue; }
                    let qr = states.as_mut().is_some_and(|s| {
                        matches!(*s.borrow_and_update(), tourdesk_whatsapp::ConnectionState::Qr { .. })
                    });
                    if qr {
                        if let Err(e) = host.supervisor().fake("fake_scan", Map::new()).await {
                            eprintln!("fake scan refused: {e}");
                        }
                    }
                }
            }
        }
        host.shutdown().await;
        print_line(&json!({"event": "stopped", "state": WaState::NotConnected.name()}));
        Ok(())
    })
}
