//! Per-conversation detection: accumulate evidence over messages until confident.

use crate::detector::{Detection, Detector, OTHER};
use crate::lang::Lang;

/// Smallest probability a message may give a language, so one odd message cannot veto it.
const FLOOR: f64 = 0.01;
/// Posterior probability of the leading language needed to call the conversation confident.
const CONFIDENT_POSTERIOR: f64 = 0.985;
/// Evidence (roughly: letters / 10, capped per message) needed before calling it confident.
const MIN_EVIDENCE: f64 = 1.5;

/// Accumulates evidence over a conversation's messages; feed messages until `is_confident`.
pub struct ConversationDetector<'d> {
    detector: &'d Detector,
    log_scores: [f64; 8],
    evidence: f64,
    messages: usize,
}

impl ConversationDetector<'static> {
    /// A conversation detector backed by the shared detector.
    pub fn new() -> Self {
        ConversationDetector::with_detector(Detector::shared())
    }
}

impl Default for ConversationDetector<'static> {
    fn default() -> Self {
        ConversationDetector::new()
    }
}

impl<'d> ConversationDetector<'d> {
    /// A conversation detector backed by `detector`.
    pub fn with_detector(detector: &'d Detector) -> Self {
        ConversationDetector {
            detector,
            log_scores: [0.0; 8],
            evidence: 0.0,
            messages: 0,
        }
    }

    /// Adds one message; returns true once the conversation's language is confident.
    pub fn add(&mut self, text: &str) -> bool {
        let detection = self.detector.detect(text);
        self.add_detection(&detection)
    }

    /// Adds an already computed single-message detection; returns `is_confident()`.
    pub fn add_detection(&mut self, detection: &Detection) -> bool {
        if detection.weight > 0.0 {
            let w = (detection.weight / 10.0).min(1.5);
            for (score, p) in self.log_scores.iter_mut().zip(detection.probs) {
                *score += w * p.max(FLOOR).ln();
            }
            self.evidence += w;
            self.messages += 1;
        }
        self.is_confident()
    }

    /// True once enough evidence points to one of the seven languages.
    pub fn is_confident(&self) -> bool {
        let r = self.result();
        r.lang != Lang::Unknown
            && self.evidence >= MIN_EVIDENCE
            && r.confidence >= CONFIDENT_POSTERIOR
    }

    /// Messages that carried evidence so far.
    pub fn messages(&self) -> usize {
        self.messages
    }

    /// The conversation's language so far, with the posterior probability as confidence.
    pub fn result(&self) -> Detection {
        if self.messages == 0 {
            return Detection::unknown();
        }
        let max = self
            .log_scores
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let mut probs = [0.0; 8];
        let mut sum = 0.0;
        for (p, s) in probs.iter_mut().zip(self.log_scores) {
            *p = (s - max).exp();
            sum += *p;
        }
        for p in probs.iter_mut() {
            *p /= sum;
        }
        let mut best = OTHER;
        for (i, p) in probs.iter().enumerate() {
            if *p > probs[best] {
                best = i;
            }
        }
        let lang = Lang::ALL.get(best).copied().unwrap_or(Lang::Unknown);
        Detection {
            lang,
            confidence: if lang == Lang::Unknown {
                0.0
            } else {
                probs[best]
            },
            probs,
            weight: self.evidence,
        }
    }
}
