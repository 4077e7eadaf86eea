//! Cyrillic neighbours of Russian must not be reported confidently as Russian, and a few
//! single-message and conversation behaviours.

use tourdesk_langid::{detect, ConversationDetector, Lang};

const UKRAINIAN: [&str; 5] = [
    "Доброго дня! Скільки коштує тур до Єгипту?",
    "Я хочу їхати у вересні з дружиною",
    "Дякую, чекаю на відповідь",
    "Чи є знижка для дітей?",
    "Ґанок готелю біля моря?",
];
const KAZAKH: [&str; 4] = [
    "Сәлеметсіз бе, турдың бағасы қанша?",
    "Біз екеуміз барамыз",
    "Рақмет, жауап күтемін",
    "Қашан ұшамыз?",
];
const KYRGYZ: [&str; 4] = [
    "Саламатсызбы, бул тур канча турат?",
    "Мен үйдөмүн, эртең жазам",
    "Биз төрт адам барабыз",
    "Рахмат, жооп күтөм",
];

/// Bulgarian uses no letter outside the Russian alphabet; whatlang tells it apart.
const BULGARIAN: [&str; 3] = [
    "Здравейте, колко струва екскурзията до Гърция през юли?",
    "Благодаря, ще чакам отговор от вас утре",
    "Искаме да резервираме хотел за двама души",
];

#[test]
fn ukrainian_kazakh_kyrgyz_and_bulgarian_messages_are_not_confidently_russian() {
    for text in UKRAINIAN
        .iter()
        .chain(&KAZAKH)
        .chain(&KYRGYZ)
        .chain(&BULGARIAN)
    {
        let d = detect(text);
        assert!(
            !(d.lang == Lang::Ru && d.is_confident()),
            "{text:?} reported as confident Russian ({})",
            d.confidence
        );
    }
}

#[test]
fn a_ukrainian_conversation_never_becomes_confident_russian() {
    for sample in [&UKRAINIAN[..], &KAZAKH[..]] {
        let mut conv = ConversationDetector::new();
        for text in sample {
            conv.add(text);
        }
        let r = conv.result();
        assert!(
            !(r.lang == Lang::Ru && conv.is_confident()),
            "conversation {sample:?} became confident Russian"
        );
    }
}

#[test]
fn a_russian_message_with_russian_only_letters_is_confident() {
    let d = detect("Здравствуйте, сколько стоит тур в Турцию?");
    assert_eq!(d.lang, Lang::Ru);
    assert!(d.is_confident(), "confidence {}", d.confidence);
}

#[test]
fn arabic_and_latin_one_word_messages_get_their_language() {
    assert_eq!(detect("مرحبا").lang, Lang::Ar);
    assert_eq!(detect("Dzień dobry").lang, Lang::Pl);
    assert_eq!(detect("Grüß Gott").lang, Lang::De);
}

#[test]
fn text_without_letters_is_unknown_with_zero_confidence() {
    for text in ["", "   ", "👍👍", "+62 821 555 01 02", "?!"] {
        let d = detect(text);
        assert_eq!(d.lang, Lang::Unknown, "{text:?}");
        assert_eq!(d.confidence, 0.0);
    }
}

#[test]
fn a_conversation_becomes_confident_and_says_so_so_callers_can_stop() {
    let mut conv = ConversationDetector::new();
    assert!(!conv.is_confident());
    let mut fed = 0;
    for text in [
        "Hello, how much is the tour to Bali?",
        "We are two adults and one child",
        "Thanks, waiting for your answer",
        "Is breakfast included?",
    ] {
        fed += 1;
        if conv.add(text) {
            break;
        }
    }
    assert!(conv.is_confident());
    assert!(fed < 4, "needed {fed} messages");
    assert_eq!(conv.result().lang, Lang::En);
    assert_eq!(Lang::from_code("EN"), Some(Lang::En));
    assert_eq!(Lang::Es.to_string(), "es");
}
