//! The translator against the loopback mock: formality in the prompt, protected tokens,
//! value checks, back-translation, and provider faults passed through as typed errors.

mod common;

use std::sync::Arc;

use common::{fast_config, MockLlm, Scripted};
use serde_json::json;
use tourdesk_ai::translate::{
    check_edited, Addressee, CheckFlag, ClientContext, Direction, Fact, Formality, Language,
    TranslationRequest, Translator,
};
use tourdesk_ai::{LlmProvider, MemoryUsageSink, OpenAiCompatProvider};

const TOURS: [&str; 2] = ["Dubai Marina Deluxe", "Золотое кольцо"];

fn translator(mock: &MockLlm) -> (Translator, Arc<MemoryUsageSink>) {
    let sink = Arc::new(MemoryUsageSink::new());
    let provider: Arc<dyn LlmProvider> = Arc::new(
        OpenAiCompatProvider::new(fast_config(&mock.base_url()), sink.clone()).expect("provider"),
    );
    (Translator::new(provider, &TOURS), sink)
}

fn outbound(text: &str, target: Language, context: ClientContext) -> TranslationRequest {
    TranslationRequest {
        text: text.to_owned(),
        source: Language::Ru,
        target,
        direction: Direction::Outbound,
        context,
        with_back_translation: false,
    }
}

#[tokio::test]
async fn formal_and_informal_address_reach_the_prompt() {
    let mock = MockLlm::start(vec![
        Scripted::json(json!({"translation": "Guten Tag, wann möchten Sie reisen?"})),
        Scripted::json(json!({"translation": "Hallo, wann möchtest du reisen?"})),
        Scripted::json(json!({"translation": "Dzień dobry, kiedy Pani chciałaby jechać?"})),
        Scripted::json(json!({"translation": "مرحبا، متى تودين السفر؟"})),
    ])
    .await;
    let (translator, _) = translator(&mock);
    let formal = ClientContext {
        formality: Formality::Formal,
        ..ClientContext::default()
    };
    let informal = ClientContext {
        formality: Formality::Informal,
        ..ClientContext::default()
    };
    let woman = ClientContext {
        formality: Formality::Formal,
        addressee: Addressee::Woman,
        notes: vec!["observes halal".into()],
    };
    let text = "Здравствуйте, когда хотите поехать?";
    translator
        .translate(&outbound(text, Language::De, formal))
        .await
        .expect("de formal");
    translator
        .translate(&outbound(text, Language::De, informal))
        .await
        .expect("de informal");
    translator
        .translate(&outbound(text, Language::Pl, woman.clone()))
        .await
        .expect("pl");
    let arabic = translator
        .translate(&outbound(text, Language::Ar, woman))
        .await
        .expect("ar");
    assert!(arabic.target_is_rtl);

    let prompts: Vec<String> = mock
        .requests()
        .iter()
        .map(|r| r.message("system", 0))
        .collect();
    assert!(
        prompts[0].contains("formally with \"Sie\""),
        "{}",
        prompts[0]
    );
    assert!(
        prompts[1].contains("informally with \"du\""),
        "{}",
        prompts[1]
    );
    assert!(prompts[2].contains("\"Pani\""), "{}", prompts[2]);
    assert!(
        prompts[3].contains("حضرتكِ") && prompts[3].contains("observes halal"),
        "{}",
        prompts[3]
    );
    assert!(prompts[0].contains("from Russian into German"));
    assert_eq!(mock.requests()[0].message("user", 0), text);
}

#[tokio::test]
async fn tour_names_links_emails_phones_and_emoji_are_hidden_from_the_model_and_restored() {
    let source = "Тур Dubai Marina Deluxe 🌴 с 15 по 22 мая, цена 1 200 $ на двоих. Подробнее: https://tours.example/dubai?id=42 или sales@tours.example, +971 50 123 4567 👍";
    // The model sees: Тур ⟦1⟧ ⟦2⟧ … ⟦3⟧ или ⟦4⟧, ⟦5⟧ ⟦6⟧
    let reply =
        "Tour ⟦1⟧ ⟦2⟧ from May 15 to 22, price $1,200 for two. Details: ⟦3⟧ or ⟦4⟧, ⟦5⟧ ⟦6⟧";
    let mock = MockLlm::start(vec![Scripted::json(json!({"translation": reply}))]).await;
    let (translator, sink) = translator(&mock);
    let translation = translator
        .translate(&outbound(source, Language::En, ClientContext::default()))
        .await
        .expect("translated");

    let sent = mock.requests()[0].message("user", 0);
    for hidden in ["Dubai Marina", "🌴", "https://", "sales@", "+971", "👍"] {
        assert!(!sent.contains(hidden), "{hidden} reached the model: {sent}");
    }
    assert!(
        sent.contains("15 по 22 мая") && sent.contains("1 200 $"),
        "values are sent as written: {sent}"
    );
    assert_eq!(
        translation.text,
        "Tour Dubai Marina Deluxe 🌴 from May 15 to 22, price $1,200 for two. Details: https://tours.example/dubai?id=42 or sales@tours.example, +971 50 123 4567 👍"
    );
    assert_eq!(translation.flags, vec![]);
    assert_eq!(sink.records()[0].purpose, "translate.outbound");
}

#[tokio::test]
async fn a_translation_that_turns_15_may_into_16_may_is_flagged() {
    let mock = MockLlm::start(vec![Scripted::json(
        json!({"translation": "Departure on 16 May, price $1,200"}),
    )])
    .await;
    let (translator, _) = translator(&mock);
    let translation = translator
        .translate(&outbound(
            "Вылет 15 мая, цена 1 200 $",
            Language::En,
            ClientContext::default(),
        ))
        .await
        .expect("translated");
    assert!(translation.flags.contains(&CheckFlag::FactMissing {
        fact: Fact::Date {
            day: 15,
            month: 5,
            year: None
        }
    }));
    assert!(translation.flags.contains(&CheckFlag::FactAdded {
        fact: Fact::Date {
            day: 16,
            month: 5,
            year: None
        }
    }));
    assert_eq!(translation.flags.len(), 2, "{:?}", translation.flags);
}

#[tokio::test]
async fn a_dropped_or_duplicated_placeholder_is_flagged_and_never_silently_accepted() {
    let mock = MockLlm::start(vec![Scripted::json(
        json!({"translation": "The tour ⟦1⟧ is great ⟦1⟧"}),
    )])
    .await;
    let (translator, _) = translator(&mock);
    let translation = translator
        .translate(&outbound(
            "Тур Золотое кольцо отличный 🌞",
            Language::En,
            ClientContext::default(),
        ))
        .await
        .expect("translated");
    let codes: Vec<&str> = translation.flags.iter().map(CheckFlag::code).collect();
    assert_eq!(
        codes,
        vec!["token_repeated", "token_missing"],
        "{:?}",
        translation.flags
    );
}

#[tokio::test]
async fn an_inbound_arabic_message_with_arabic_digits_checks_clean_against_a_russian_translation() {
    let mock = MockLlm::start(vec![Scripted::json(
        json!({"translation": "Здравствуйте, хотим поехать 15 мая, бюджет 2 000 долларов 🙏"}),
    )])
    .await;
    let (translator, sink) = translator(&mock);
    let request = TranslationRequest {
        text: "مرحبا، نريد السفر في ١٥ مايو، الميزانية ٢٠٠٠ دولار 🙏".to_owned(),
        source: Language::Ar,
        target: Language::Ru,
        direction: Direction::Inbound,
        context: ClientContext::default(),
        with_back_translation: false,
    };
    let translation = translator.translate(&request).await.expect("translated");
    // The model kept the emoji placeholder out of its text: the emoji is missing, and flagged.
    assert_eq!(
        translation
            .flags
            .iter()
            .map(CheckFlag::code)
            .collect::<Vec<_>>(),
        vec!["token_missing"]
    );
    assert!(mock.requests()[0]
        .message("system", 0)
        .contains("The client wrote this message"));
    assert_eq!(sink.records()[0].purpose, "translate.inbound");
}

#[tokio::test]
async fn the_outbound_preview_carries_a_back_translation_with_tokens_restored() {
    let mock = MockLlm::start(vec![Scripted::json(json!({
        "translation": "يسعدنا أن نقدم لحضرتك ⟦1⟧ من 15 مايو مقابل 1200 دولار",
        "back_translation": "Рады предложить Вам ⟦1⟧ с 15 мая за 1200 долларов"
    }))])
    .await;
    let (translator, _) = translator(&mock);
    let context = ClientContext {
        formality: Formality::Formal,
        addressee: Addressee::Man,
        notes: vec![],
    };
    let preview = translator
        .prepare_outbound(
            "Рады предложить Вам Dubai Marina Deluxe с 15 мая за 1 200 $",
            Language::Ru,
            Language::Ar,
            &context,
        )
        .await
        .expect("preview");
    assert!(
        preview.text.contains("Dubai Marina Deluxe"),
        "{}",
        preview.text
    );
    assert_eq!(
        preview.back_translation.as_deref(),
        Some("Рады предложить Вам Dubai Marina Deluxe с 15 мая за 1200 долларов")
    );
    assert_eq!(preview.flags, vec![]);
    assert!(preview.target_is_rtl);
    let format = &mock.requests()[0].body["response_format"]["json_schema"]["schema"];
    assert_eq!(
        format["required"],
        json!(["translation", "back_translation"])
    );
}

#[tokio::test]
async fn a_reply_missing_the_required_back_translation_is_repaired_once() {
    let mock = MockLlm::start(vec![
        Scripted::json(json!({"translation": "Hello"})),
        Scripted::json(json!({"translation": "Hello", "back_translation": "Привет"})),
    ])
    .await;
    let (translator, _) = translator(&mock);
    let preview = translator
        .prepare_outbound(
            "Привет",
            Language::Ru,
            Language::En,
            &ClientContext::default(),
        )
        .await
        .expect("repaired");
    assert_eq!(preview.back_translation.as_deref(), Some("Привет"));
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn a_provider_fault_reaches_the_caller_as_a_typed_error() {
    let mock = MockLlm::start(vec![Scripted::status(500); 5]).await;
    let (translator, _) = translator(&mock);
    let error = translator
        .translate(&outbound("Привет", Language::En, ClientContext::default()))
        .await
        .expect_err("provider down");
    assert_eq!(error.code(), "server_error");
}

#[tokio::test]
async fn a_same_language_request_makes_no_call() {
    let mock = MockLlm::start(vec![]).await;
    let (translator, sink) = translator(&mock);
    let mut request = outbound("Привет", Language::Ru, ClientContext::default());
    request.with_back_translation = true;
    let translation = translator.translate(&request).await.expect("identity");
    assert_eq!(translation.text, "Привет");
    assert!(mock.requests().is_empty() && sink.records().is_empty());
}

#[test]
fn a_hand_edited_preview_is_rechecked_against_the_managers_text() {
    let protector = tourdesk_ai::translate::Protector::new(&TOURS);
    let source = "Dubai Marina Deluxe с 15 мая за 1 200 $";
    assert_eq!(
        check_edited(
            source,
            "Dubai Marina Deluxe from May 15 for $1,200",
            &protector
        ),
        vec![]
    );
    let flags = check_edited(
        source,
        "Dubai Marina Deluxe from May 15 for $1,250",
        &protector,
    );
    assert_eq!(
        flags.iter().map(CheckFlag::code).collect::<Vec<_>>(),
        vec!["fact_missing", "fact_added"]
    );
}
