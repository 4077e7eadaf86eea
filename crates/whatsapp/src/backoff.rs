//! Restart pacing: capped exponential back-off with jitter, and crash-loop detection.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use rand::Rng;

use crate::config::RestartPolicy;

/// Delay before restart number `attempt` (1-based): `base * 2^(attempt-1)`, capped, minus jitter.
pub fn restart_delay(policy: &RestartPolicy, attempt: u32, rng: &mut impl Rng) -> Duration {
    let exp = attempt.saturating_sub(1).min(30);
    let raw = policy.base_delay.saturating_mul(1u32 << exp);
    let capped = raw.min(policy.max_delay);
    let jitter = policy.jitter.clamp(0.0, 1.0);
    if jitter == 0.0 {
        return capped;
    }
    let cut: f64 = rng.gen_range(0.0..=jitter);
    capped.mul_f64(1.0 - cut)
}

/// Remembers recent crashes and says when they amount to a crash loop.
#[derive(Debug, Clone)]
pub struct CrashLoopDetector {
    max_crashes: u32,
    window: Duration,
    crashes: VecDeque<Instant>,
}

impl CrashLoopDetector {
    /// A detector for `max_crashes` crashes within `window`.
    pub fn new(max_crashes: u32, window: Duration) -> Self {
        CrashLoopDetector {
            max_crashes: max_crashes.max(1),
            window,
            crashes: VecDeque::new(),
        }
    }

    /// Records a crash at `now`; true when this makes a crash loop.
    pub fn record(&mut self, now: Instant) -> bool {
        while let Some(&first) = self.crashes.front() {
            if now.saturating_duration_since(first) > self.window {
                self.crashes.pop_front();
            } else {
                break;
            }
        }
        self.crashes.push_back(now);
        self.crashes.len() >= self.max_crashes as usize
    }

    /// Crashes currently inside the window.
    pub fn recent(&self) -> usize {
        self.crashes.len()
    }

    /// Forgets all crashes (after the user asks to try again).
    pub fn reset(&mut self) {
        self.crashes.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::mock::StepRng;

    fn policy(jitter: f64) -> RestartPolicy {
        RestartPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            jitter,
            max_crashes: 3,
            crash_window: Duration::from_secs(10),
        }
    }

    #[test]
    fn the_delay_doubles_per_attempt_until_the_cap() {
        let mut rng = StepRng::new(0, 0);
        let p = policy(0.0);
        let ms: Vec<u128> = (1..=6)
            .map(|a| restart_delay(&p, a, &mut rng).as_millis())
            .collect();
        assert_eq!(ms, vec![100, 200, 400, 800, 1000, 1000]);
    }

    #[test]
    fn a_huge_attempt_number_does_not_overflow() {
        let mut rng = StepRng::new(0, 0);
        assert_eq!(
            restart_delay(&policy(0.0), u32::MAX, &mut rng),
            Duration::from_millis(1000)
        );
    }

    #[test]
    fn jitter_only_shortens_the_delay_and_by_at_most_its_share() {
        let mut rng = rand::thread_rng();
        let p = policy(0.5);
        for _ in 0..200 {
            let d = restart_delay(&p, 3, &mut rng);
            assert!(d <= Duration::from_millis(400) && d >= Duration::from_millis(200));
        }
    }

    #[test]
    fn crashes_within_the_window_make_a_loop_and_old_ones_expire() {
        let mut d = CrashLoopDetector::new(3, Duration::from_secs(10));
        let t0 = Instant::now();
        assert!(!d.record(t0));
        assert!(!d.record(t0 + Duration::from_secs(1)));
        // The first crash has left the window: two remain.
        assert!(!d.record(t0 + Duration::from_millis(10_500)));
        assert_eq!(d.recent(), 2);
        assert!(d.record(t0 + Duration::from_secs(11)));
        d.reset();
        assert_eq!(d.recent(), 0);
    }
}
