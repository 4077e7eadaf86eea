//! The translator: protect tokens, ask the model for JSON, restore, check, flag.

use std::sync::Arc;

use super::check::{finish_translation, CheckFlag};
use super::prompt::{translation_messages, translation_schema, PromptInput};
use super::protect::{restore, Protector};
use super::{ClientContext, Direction, Language};
use crate::{ChatRequest, LlmError, LlmProvider};

/// One message to translate.
#[derive(Debug, Clone)]
pub struct TranslationRequest {
    /// The text as written.
    pub text: String,
    /// Its language.
    pub source: Language,
    /// The language wanted.
    pub target: Language,
    /// Client → manager or manager → client.
    pub direction: Direction,
    /// The client's cultural context (formality reaches the prompt for outbound text).
    pub context: ClientContext,
    /// Also ask for a back-translation into the source language.
    pub with_back_translation: bool,
}

/// A checked translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// The translated text with all protected tokens restored.
    pub text: String,
    /// The translation rendered back into the source language, when asked for.
    pub back_translation: Option<String>,
    /// Problems the checker found; empty means every token and value survived.
    pub flags: Vec<CheckFlag>,
    /// True when the target language is written right to left.
    pub target_is_rtl: bool,
}

/// Translates chat messages through an [`LlmProvider`], protecting tour names, links, e-mails,
/// phone numbers and emoji and checking numbers and dates in code.
#[derive(Clone)]
pub struct Translator {
    provider: Arc<dyn LlmProvider>,
    protector: Protector,
}

impl std::fmt::Debug for Translator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Translator")
            .field("model", &self.provider.model())
            .finish()
    }
}

impl Translator {
    /// A translator for the given tour catalogue names (protected verbatim).
    pub fn new<S: AsRef<str>>(provider: Arc<dyn LlmProvider>, tour_names: &[S]) -> Self {
        Self {
            provider,
            protector: Protector::new(tour_names),
        }
    }

    /// A translator with a protector built before (it compiles the tour names once; reuse it
    /// while the catalogue is unchanged).
    pub fn with_protector(provider: Arc<dyn LlmProvider>, protector: Protector) -> Self {
        Self {
            provider,
            protector,
        }
    }

    /// The token protector (for checking hand-edited translations with [`super::check_edited`]).
    pub fn protector(&self) -> &Protector {
        &self.protector
    }

    /// Translates one message; a same-language request returns the text unchanged without a call.
    pub async fn translate(&self, request: &TranslationRequest) -> Result<Translation, LlmError> {
        if request.source == request.target {
            return Ok(Translation {
                text: request.text.clone(),
                back_translation: request.with_back_translation.then(|| request.text.clone()),
                flags: Vec::new(),
                target_is_rtl: request.target.is_rtl(),
            });
        }
        let protected = self.protector.protect(&request.text);
        let messages = translation_messages(&PromptInput {
            protected_text: &protected.text,
            source: request.source,
            target: request.target,
            direction: request.direction,
            context: &request.context,
            with_back_translation: request.with_back_translation,
        });
        let purpose = match request.direction {
            Direction::Inbound => "translate.inbound",
            Direction::Outbound => "translate.outbound",
        };
        let mut chat = ChatRequest::new(purpose, messages).with_temperature(0.2);
        if let Some(schema) = translation_schema(request.with_back_translation) {
            chat = chat.with_schema(schema);
        }
        let response = self.provider.complete(chat).await?;
        let json = response.json.ok_or_else(|| LlmError::MalformedOutput {
            detail: "the provider returned no structured translation".to_owned(),
        })?;
        let translated = json
            .get("translation")
            .and_then(|v| v.as_str())
            .ok_or_else(|| LlmError::SchemaMismatch {
                errors: vec!["/: missing required property 'translation'".to_owned()],
            })?;
        let (text, flags) = finish_translation(&protected, translated);
        let back_translation = json
            .get("back_translation")
            .and_then(|v| v.as_str())
            .map(|back| restore(back, &protected.tokens));
        Ok(Translation {
            text,
            back_translation,
            flags,
            target_is_rtl: request.target.is_rtl(),
        })
    }

    /// The outbound preview: the manager's text in the client's language, plus a
    /// back-translation into the manager's language to check the meaning.
    pub async fn prepare_outbound(
        &self,
        text: &str,
        manager_language: Language,
        client_language: Language,
        context: &ClientContext,
    ) -> Result<Translation, LlmError> {
        self.translate(&TranslationRequest {
            text: text.to_owned(),
            source: manager_language,
            target: client_language,
            direction: Direction::Outbound,
            context: context.clone(),
            with_back_translation: true,
        })
        .await
    }
}
