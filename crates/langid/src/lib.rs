//! Language detection for Tourdesk: seven client languages (en ru ar fr de es pl) or unknown,
//! for single chat messages and accumulated over a conversation.

#![warn(missing_docs)]

mod accumulator;
mod detector;
mod english;
mod lang;
mod russian;
mod script;

pub use accumulator::ConversationDetector;
pub use detector::{detect, Detection, Detector, CONFIDENT};
pub use lang::Lang;
pub use script::ScriptCensus;
