//! Chat translation between the seven client languages: the prompt with the client's
//! cultural context, token protection, and a number/date checker that runs in code.

mod calendar;
mod check;
mod context;
mod currency;
mod facts;
mod language;
mod lexer;
mod prompt;
mod protect;
mod translator;

pub use check::{check_edited, compare_facts, finish_translation, CheckFlag};
pub use context::{Addressee, ClientContext, Direction, Formality};
pub use facts::{extract_facts, Fact};
pub use language::Language;
pub use protect::{
    restore, ProtectedText, ProtectedToken, Protector, TokenKind, PLACEHOLDER_CLOSE,
    PLACEHOLDER_OPEN,
};
pub use translator::{Translation, TranslationRequest, Translator};
