//! Messages WhatsApp holds at ack 0 while connected: after `HostConfig::stuck_after` of
//! connected time they are flagged `stuck`, and the badge and the conversation say so.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use crate::{status_of, Inner};

/// How often the flag is looked at, for a given threshold (a fifth of it, 50 ms to 30 s).
fn interval(stuck_after: Duration) -> Duration {
    (stuck_after / 5).clamp(Duration::from_millis(50), Duration::from_secs(30))
}

/// Flags stuck messages while the host runs; tells the UI when any were flagged.
pub(crate) async fn watch(inner: Arc<Inner>) {
    let mut stopping = inner.stopping.subscribe();
    let after = chrono::Duration::from_std(inner.config.stuck_after)
        .unwrap_or_else(|_| chrono::Duration::minutes(5));
    loop {
        tokio::select! {
            _ = tokio::time::sleep(interval(inner.config.stuck_after)) => {}
            _ = stopping.changed() => return,
        }
        let Some(since) = inner.ready_since() else {
            continue;
        };
        let _span = tracing::debug_span!("wa_flag_stuck").entered();
        match inner
            .app
            .outbox_flag_stuck(inner.tenant, since, Utc::now(), after)
        {
            Ok(0) => {}
            Ok(_) => {
                inner.changed();
                inner.listener.status_changed(&status_of(&inner));
            }
            Err(e) => tracing::error!(error = %e.message, "cannot flag stuck messages"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_is_looked_at_often_enough_but_not_in_a_busy_loop() {
        assert_eq!(interval(Duration::from_secs(300)), Duration::from_secs(30));
        assert_eq!(interval(Duration::from_secs(1)), Duration::from_millis(200));
        assert_eq!(
            interval(Duration::from_millis(10)),
            Duration::from_millis(50)
        );
    }
}
