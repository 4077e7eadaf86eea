//! The chat translator in the app: inbound messages translated into the manager's language and
//! cached per (message, target language); the reply preview in the client's language with a
//! back-translation; language detection of messages.
//!
//! Model faults never become errors here: a failed translation is returned (and cached) with
//! status `failed` and its error code, so the message stays readable and the inbox never waits
//! on the model. Only tenant, session and storage problems are errors.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;
use std::time::Duration;

use tourdesk_ai::translate::{
    check_edited, CheckFlag, ClientContext, Direction as TrDirection, Formality,
    Language as AiLanguage, Protector, TranslationRequest, Translator,
};
use tourdesk_ai::LlmError;
use tourdesk_core::ai::AiFailure;
use tourdesk_core::client::{AddressForm, Diet};
use tourdesk_core::message::{Message, MessageKind};
use tourdesk_core::translation::{
    MessageTranslation, ReplyPreview, TranslationFlag, TranslationStatus,
};
use tourdesk_core::whatsapp::MAX_MESSAGE_CHARS;
use tourdesk_core::{
    AppError, AppResult, ChatId, ErrorCode, Language, MessageId, TenantId, UserId,
};
use tourdesk_langid::{ConversationDetector, Lang, CONFIDENT};
use tourdesk_store::{chats, clients, messages, tours, translations, users, Connection};

use crate::ai::{block_on, failure};
use crate::{App, Session};

/// How many of a chat's latest inbound messages tell the conversation's language.
const CONVERSATION_EVIDENCE: u32 = 20;
/// The longest client note passed to the prompt, in characters.
const MAX_PROMPT_NOTE: usize = 300;

/// Time-outs and retries of translation calls (tests shorten them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslatorLimits {
    /// Time allowed to open the connection.
    pub connect_timeout: Duration,
    /// Time allowed for one whole attempt.
    pub request_timeout: Duration,
    /// HTTP attempts per call (429, 5xx and connection failures are retried).
    pub max_attempts: u32,
    /// Wait before the second attempt; doubles each time.
    pub retry_base_delay: Duration,
}

impl Default for TranslatorLimits {
    /// Connect 5 s, 30 s per attempt, 3 attempts from 500 ms.
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            max_attempts: 3,
            retry_base_delay: Duration::from_millis(500),
        }
    }
}

/// The translator's language of a stored language (`None` for `unknown`).
fn ai_language(l: Language) -> Option<AiLanguage> {
    AiLanguage::from_code(l.code())
}

/// The stored language of a detected one (`None` for `unknown`).
fn core_language(l: Lang) -> Option<Language> {
    Language::from_code(l.code()).filter(|l| *l != Language::Unknown)
}

/// A language code as a known language (`None` for anything else).
fn known_language(code: &str) -> Option<Language> {
    Language::from_code(code).filter(|l| *l != Language::Unknown)
}

/// A checker flag as the UI sees it.
fn flag(f: &CheckFlag) -> TranslationFlag {
    let value = match f {
        CheckFlag::TokenMissing { token } | CheckFlag::TokenRepeated { token, .. } => {
            token.original.clone()
        }
        CheckFlag::UnknownPlaceholder { placeholder } => placeholder.clone(),
        CheckFlag::FactMissing { fact } | CheckFlag::FactAdded { fact } => fact.to_string(),
    };
    TranslationFlag {
        code: f.code().to_owned(),
        value,
    }
}

/// Whether a message carries text worth translating.
fn has_text(m: &Message) -> bool {
    m.deleted_at.is_none()
        && !matches!(m.kind, MessageKind::System | MessageKind::Deleted)
        && m.body.chars().any(char::is_alphabetic)
}

/// The language of a text: a confident detection; else `fallback` (the client's or the
/// conversation's language, for texts too short to tell); else a weak detection.
fn resolve_language(
    text: &str,
    fallback: impl FnOnce() -> AppResult<Option<Language>>,
) -> AppResult<Option<Language>> {
    let detection = tourdesk_langid::detect(text);
    if detection.is_confident() {
        return Ok(core_language(detection.lang));
    }
    if let Some(language) = fallback()? {
        return Ok(Some(language));
    }
    Ok(core_language(detection.lang))
}

/// The conversation's language from its latest inbound messages, if any evidence points to one.
fn conversation_language(
    conn: &Connection,
    tenant: TenantId,
    chat: ChatId,
) -> AppResult<Option<Language>> {
    let recent = messages::recent_inbound_texts(conn, tenant, chat, CONVERSATION_EVIDENCE)?;
    let mut detector = ConversationDetector::new();
    for (text, _) in &recent {
        if detector.add(text) {
            break;
        }
    }
    let result = detector.result();
    // Weak evidence ("ok", "👍") must not pick the language replies are translated into.
    if detector.is_confident() || (result.lang != Lang::Unknown && result.confidence >= CONFIDENT) {
        return Ok(core_language(result.lang));
    }
    // No evidence in the texts themselves: the languages stored for them (set from the client).
    Ok(recent.iter().find_map(|(_, l)| *l))
}

/// The language a user reads translations in: their own choice, else the UI language.
fn manager_language(conn: &Connection, tenant: TenantId, user: UserId) -> AppResult<Language> {
    let code = match users::manager_language(conn, tenant, user)? {
        Some(code) => code,
        None => users::ui_language(conn, tenant, user)?,
    };
    Ok(known_language(&code).unwrap_or(Language::Ru))
}

/// Fills each message's cached translation into the user's language (one indexed query for
/// the page). Used by the chat's message list.
pub(crate) fn attach_translations(
    conn: &Connection,
    tenant: TenantId,
    user: UserId,
    chat: ChatId,
    page: &mut [Message],
) -> AppResult<()> {
    let (Some(first), Some(last)) = (
        page.iter().map(|m| m.seq).min(),
        page.iter().map(|m| m.seq).max(),
    ) else {
        return Ok(());
    };
    let language = manager_language(conn, tenant, user)?;
    let mut found = translations::for_page(conn, tenant, chat, language, first, last)?;
    for m in page.iter_mut() {
        m.translation = found.remove(&m.id);
    }
    Ok(())
}

/// Each organisation's protector with a hash of the tour names it was built from: compiling
/// 200 names into one pattern costs about a millisecond, checking that they are unchanged a few
/// microseconds.
#[derive(Default)]
pub(crate) struct ProtectorCache(Mutex<HashMap<TenantId, (u64, Protector)>>);

/// What the prompt knows about the client of a chat, and the client's language.
struct ChatClient {
    context: ClientContext,
    language: Option<Language>,
}

impl App {
    /// The same app with other time-outs and retries for translation calls (tests).
    pub fn with_translator_limits(mut self, limits: TranslatorLimits) -> App {
        self.translator_limits = limits;
        self
    }

    /// A message's translation into the signed-in user's language. A cached one is returned
    /// without calling the model; `retry` asks again (after a failure, or for a fresh one).
    /// Text already in the user's language is `not_needed`; without a provider the answer is
    /// `not_configured` (no call, nothing cached). A model fault is returned and cached as
    /// `failed` with its error code.
    pub fn message_translation(
        &self,
        s: &Session,
        message_id: MessageId,
        retry: bool,
    ) -> AppResult<MessageTranslation> {
        let _span = tracing::info_span!("message_translation", retry).entered();
        let a = self.actor(s)?;
        let target = self.store.read(|c| manager_language(c, a.tenant, a.user))?;
        self.translate_message(a.tenant, message_id, target, retry)
    }

    /// The preview of a reply to `chat_id`: `text` (in the manager's language) translated into
    /// the client's, with a back-translation and the checker's flags. Not needed when the
    /// client's language is the manager's, unknown, or the text is already in it. A model fault
    /// comes back as status `failed` with its code: sending untranslated is then the manager's
    /// explicit choice.
    pub fn reply_preview(
        &self,
        s: &Session,
        chat_id: ChatId,
        text: &str,
    ) -> AppResult<ReplyPreview> {
        let _span = tracing::info_span!("reply_preview").entered();
        let a = self.actor(s)?;
        let text = reply_text(text, "text")?;
        let (manager, client) = self.store.read(|c| {
            let manager = manager_language(c, a.tenant, a.user)?;
            let client = chat_client(c, a.tenant, chat_id)?;
            Ok((manager, client))
        })?;
        let client_language = match client.language {
            Some(l) => Some(l),
            None => self
                .store
                .read(|c| conversation_language(c, a.tenant, chat_id))?,
        }
        .unwrap_or(Language::Unknown);
        let preview = |status, error, translated: String, back: String, flags| ReplyPreview {
            needed: status != TranslationStatus::NotNeeded,
            client_language,
            manager_language: manager,
            text: translated,
            back_translation: back,
            flags,
            status,
            error,
        };
        let typed_in_client_language = {
            let d = tourdesk_langid::detect(&text);
            d.is_confident() && core_language(d.lang) == Some(client_language)
        };
        let (Some(source), Some(target)) = (ai_language(manager), ai_language(client_language))
        else {
            return Ok(preview(
                TranslationStatus::NotNeeded,
                None,
                text.clone(),
                text,
                vec![],
            ));
        };
        if source == target || typed_in_client_language || !text.chars().any(char::is_alphabetic) {
            return Ok(preview(
                TranslationStatus::NotNeeded,
                None,
                text.clone(),
                text,
                vec![],
            ));
        }
        let Some(translator) = self.translator(a.tenant)? else {
            return Ok(preview(
                TranslationStatus::NotConfigured,
                Some(AiFailure::NotConfigured),
                String::new(),
                String::new(),
                vec![],
            ));
        };
        let context = client.context;
        let result = block_on(async move {
            translator
                .prepare_outbound(&text, source, target, &context)
                .await
        })?;
        Ok(match result {
            Ok(t) => preview(
                TranslationStatus::Ok,
                None,
                t.text,
                t.back_translation.unwrap_or_default(),
                t.flags.iter().map(flag).collect(),
            ),
            Err(e) => {
                tracing::warn!(code = e.code(), "reply translation failed");
                let (status, error) = fault(&e);
                preview(status, Some(error), String::new(), String::new(), vec![])
            }
        })
    }

    /// The organisation's token protector (tour names, links, e-mails, phones, emoji), built
    /// once per tour catalogue and reused until a tour name changes.
    pub fn tour_protector(&self, tenant: TenantId) -> AppResult<Protector> {
        let names = self.store.read(|c| tours::titles(c, tenant))?;
        let mut hasher = DefaultHasher::new();
        names.hash(&mut hasher);
        let hash = hasher.finish();
        let mut cache = self.protectors.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((built_from, protector)) = cache.get(&tenant) {
            if *built_from == hash {
                return Ok(protector.clone());
            }
        }
        let protector = Protector::new(&names);
        cache.insert(tenant, (hash, protector.clone()));
        Ok(protector)
    }

    /// Checks a translation the manager edited in the preview against their original text:
    /// tour names, links and emoji present once, numbers, prices and dates unchanged.
    pub fn reply_check(
        &self,
        s: &Session,
        original: &str,
        edited: &str,
    ) -> AppResult<Vec<TranslationFlag>> {
        let _span = tracing::info_span!("reply_check").entered();
        let a = self.actor(s)?;
        let original = reply_text(original, "original_body")?;
        let edited = reply_text(edited, "body")?;
        let protector = self.tour_protector(a.tenant)?;
        Ok(check_edited(&original, &edited, &protector)
            .iter()
            .map(flag)
            .collect())
    }

    /// For the WhatsApp host, right after a new message of `tenant` is stored: detects and
    /// stores its language and, for an inbound one, translates it into each language the
    /// organisation's active users read that differs from it. Model faults are cached as
    /// failed; only storage problems are returned.
    pub fn wa_translate_inbound(&self, tenant: TenantId, message_id: MessageId) -> AppResult<()> {
        let _span = tracing::debug_span!("wa_translate_inbound").entered();
        let message = self.store.read(|c| messages::get(c, tenant, message_id))?;
        let source = self.message_language(tenant, &message)?;
        if message.direction != tourdesk_core::message::Direction::In || !has_text(&message) {
            return Ok(());
        }
        let Some(source) = source else {
            return Ok(());
        };
        self.learn_client_language(tenant, message.chat_id)?;
        let mut targets: Vec<Language> = self
            .store
            .read(|c| users::manager_languages(c, tenant))?
            .iter()
            .filter_map(|code| known_language(code))
            .filter(|l| *l != source)
            .collect();
        targets.sort_by_key(|l| l.code());
        targets.dedup();
        for target in targets {
            let t = self.translate_message(tenant, message_id, target, false)?;
            if t.status == TranslationStatus::NotConfigured {
                break;
            }
        }
        Ok(())
    }

    /// A client whose language is still unknown gets the conversation's language once the
    /// detector is confident about their messages (so replies are previewed in it and the
    /// client card and filters show it). A language someone chose is never overwritten.
    fn learn_client_language(&self, tenant: TenantId, chat: ChatId) -> AppResult<()> {
        let now = self.now();
        self.store.write(|tx| {
            let Some(client) = chats::client_of(tx, tenant, chat)? else {
                return Ok(());
            };
            let recent = messages::recent_inbound_texts(tx, tenant, chat, CONVERSATION_EVIDENCE)?;
            let mut detector = ConversationDetector::new();
            for (text, _) in &recent {
                if detector.add(text) {
                    break;
                }
            }
            if !detector.is_confident() {
                return Ok(());
            }
            match core_language(detector.result().lang) {
                Some(lang) if lang != Language::Unknown => {
                    clients::set_language_if_unknown(tx, tenant, client, lang, now).map(|_| ())
                }
                _ => Ok(()),
            }
        })
    }

    /// Translates one message of `tenant` into `target` (see [`App::message_translation`]).
    fn translate_message(
        &self,
        tenant: TenantId,
        message_id: MessageId,
        target: Language,
        retry: bool,
    ) -> AppResult<MessageTranslation> {
        let message = self.store.read(|c| messages::get(c, tenant, message_id))?;
        if !retry {
            if let Some(cached) = self
                .store
                .read(|c| translations::get(c, tenant, message_id, target))?
            {
                return Ok(cached);
            }
        }
        let source = self.message_language(tenant, &message)?;
        let answer = |status, error| MessageTranslation {
            message_id,
            language: target,
            source_language: source,
            text: None,
            status,
            error,
            flags: vec![],
        };
        let (Some(from), Some(to)) = (source.and_then(ai_language), ai_language(target)) else {
            return Ok(answer(TranslationStatus::NotNeeded, None));
        };
        if from == to || !has_text(&message) {
            return Ok(answer(TranslationStatus::NotNeeded, None));
        }
        let Some(translator) = self.translator(tenant)? else {
            return Ok(answer(
                TranslationStatus::NotConfigured,
                Some(AiFailure::NotConfigured),
            ));
        };
        let context = self
            .store
            .read(|c| chat_client(c, tenant, message.chat_id))?
            .context;
        let request = TranslationRequest {
            text: message.body.clone(),
            source: from,
            target: to,
            direction: TrDirection::Inbound,
            context,
            with_back_translation: false,
        };
        let result = block_on(async move { translator.translate(&request).await })?;
        let translation = match result {
            Ok(t) => MessageTranslation {
                text: Some(t.text),
                flags: t.flags.iter().map(flag).collect(),
                ..answer(TranslationStatus::Ok, None)
            },
            Err(e) => {
                tracing::warn!(code = e.code(), "message translation failed");
                let (status, error) = fault(&e);
                if status == TranslationStatus::NotConfigured {
                    // Not a result: nothing is cached, the next view asks again.
                    return Ok(answer(status, Some(error)));
                }
                answer(status, Some(error))
            }
        };
        let now = self.now();
        self.store
            .write(|tx| translations::put(tx, tenant, &translation, now))?;
        Ok(translation)
    }

    /// The language of a message's text: the stored one, else detected now (with the client's
    /// or the conversation's language for texts too short to tell) and stored.
    fn message_language(&self, tenant: TenantId, m: &Message) -> AppResult<Option<Language>> {
        if m.language.is_some() {
            return Ok(m.language);
        }
        if !has_text(m) {
            return Ok(None);
        }
        let inbound = m.direction == tourdesk_core::message::Direction::In;
        let language = resolve_language(&m.body, || {
            if !inbound {
                return Ok(None);
            }
            self.store
                .read(|c| match chat_client(c, tenant, m.chat_id)?.language {
                    Some(l) => Ok(Some(l)),
                    None => conversation_language(c, tenant, m.chat_id),
                })
        })?;
        if language.is_some() {
            self.store
                .write(|tx| messages::set_language(tx, tenant, m.id, language))?;
        }
        Ok(language)
    }

    /// A translator for the organisation's provider with its tour names protected; `None` when
    /// no provider is set up (no settings, no model, or no key where one is needed).
    fn translator(&self, tenant: TenantId) -> AppResult<Option<Translator>> {
        let Some(provider) = self.llm_provider(tenant, &self.translator_limits)? else {
            return Ok(None);
        };
        let protector = self.tour_protector(tenant)?;
        Ok(Some(Translator::with_protector(provider, protector)))
    }
}

/// A fault's status and code: "not configured" is not a failure to retry.
fn fault(e: &LlmError) -> (TranslationStatus, AiFailure) {
    let error = failure(e);
    let status = if error == AiFailure::NotConfigured {
        TranslationStatus::NotConfigured
    } else {
        TranslationStatus::Failed
    };
    (status, error)
}

/// A reply text as sent: trailing space trimmed, not empty, not too long, no NUL.
fn reply_text(text: &str, field: &str) -> AppResult<String> {
    let text = text.trim_end().to_owned();
    if text.trim().is_empty() {
        return Err(AppError::field(
            ErrorCode::Required,
            field,
            "type a message",
        ));
    }
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(AppError::field(
            ErrorCode::TooLong,
            field,
            "the message is too long",
        ));
    }
    if text.contains('\0') {
        return Err(AppError::field(
            ErrorCode::InvalidText,
            field,
            "the message has a NUL character",
        ));
    }
    Ok(text)
}

/// The client of a chat as the prompt needs it; a chat of another organisation is not found.
fn chat_client(conn: &Connection, tenant: TenantId, chat: ChatId) -> AppResult<ChatClient> {
    let Some(client_id) = chats::client_of(conn, tenant, chat)? else {
        return Ok(ChatClient {
            context: ClientContext::default(),
            language: None,
        });
    };
    let client = match clients::get(conn, tenant, client_id) {
        Ok(c) => c,
        Err(e) if e.code == ErrorCode::NotFound => {
            return Ok(ChatClient {
                context: ClientContext::default(),
                language: None,
            })
        }
        Err(e) => return Err(e),
    };
    let culture = &client.fields.culture;
    let mut notes = Vec::new();
    let diet = match culture.diet {
        Diet::None => None,
        Diet::Halal => Some("observes halal"),
        Diet::Kosher => Some("keeps kosher"),
        Diet::Vegetarian => Some("vegetarian"),
        Diet::Vegan => Some("vegan"),
        Diet::Other => None,
    };
    notes.extend(diet.map(str::to_owned));
    if let Some(zone) = &culture.time_zone {
        notes.push(format!("time zone {zone}"));
    }
    let note: String = culture.notes.trim().chars().take(MAX_PROMPT_NOTE).collect();
    if !note.is_empty() {
        notes.push(note);
    }
    Ok(ChatClient {
        context: ClientContext {
            formality: match culture.address {
                AddressForm::Informal => Formality::Informal,
                AddressForm::Formal | AddressForm::Unknown => Formality::Formal,
            },
            notes,
            ..ClientContext::default()
        },
        language: Some(client.fields.language).filter(|l| *l != Language::Unknown),
    })
}
