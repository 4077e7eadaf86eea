//! Evidence that a Cyrillic text is Russian rather than Ukrainian, Belarusian, Kazakh or Kyrgyz.

use crate::script::ScriptCensus;

/// Common Russian words whose spelling differs in Ukrainian (and that Kazakh/Kyrgyz do not use
/// as native words): one of them in a message is strong evidence for Russian.
const MARKERS: &[&str] = &[
    "что",
    "это",
    "как",
    "вы",
    "мы",
    "он",
    "она",
    "они",
    "нет",
    "если",
    "когда",
    "сколько",
    "стоит",
    "здравствуйте",
    "спасибо",
    "пожалуйста",
    "хочу",
    "хотим",
    "хотел",
    "хотела",
    "можно",
    "будет",
    "есть",
    "уже",
    "еще",
    "ещё",
    "или",
    "только",
    "где",
    "очень",
    "хорошо",
    "добрый",
    "привет",
    "меня",
    "мне",
    "его",
    "было",
    "был",
    "была",
    "были",
    "тоже",
    "чтобы",
    "почему",
    "сегодня",
    "надо",
    "нужно",
    "цена",
    "дети",
    "ребенок",
    "ребёнок",
    "нас",
    "вас",
    "ваш",
    "наш",
    "этот",
    "эта",
    "эти",
    "какой",
    "какая",
    "какие",
    "который",
    "которые",
    "здесь",
    "там",
    "тут",
    "всё",
    "ничего",
    "если",
    "потом",
    "сейчас",
    "скажите",
    "подскажите",
    "пришлите",
    "отправьте",
    "билеты",
    "гостиница",
    "неделю",
    "ночей",
    "человек",
    "также",
    "тоже",
    "через",
    "после",
    "перед",
    "между",
    "без",
    "под",
    "над",
    "при",
    "от",
    "из",
    "до",
    "его",
    "ее",
    "её",
    "их",
    "ли",
    "же",
    "бы",
    "ну",
    "вот",
    "да",
    "и",
    "с",
    "со",
    "к",
    "ко",
];

/// Highest probability of Russian when whatlang prefers a neighbouring language:
/// the label stays Russian (the corpus bar) but never confident.
const NEIGHBOUR_CAP: f64 = 0.6;

/// Probability that a mostly Cyrillic text is Russian.
pub(crate) fn russian_probability(
    text: &str,
    census: &ScriptCensus,
    neighbours: &whatlang::Detector,
) -> f64 {
    if census.non_russian_cyrillic > 0 {
        // і ї є ґ ў ә ғ қ ң ө ұ ү һ ј …: Ukrainian, Belarusian, Kazakh, Kyrgyz, Serbian… not Russian.
        return 0.02;
    }
    let p = letters_and_words(text, census);
    // Bulgarian (and Ukrainian or Belarusian written without their own letters) use only
    // letters Russian also has: ask whatlang, restricted to the Cyrillic neighbours.
    match neighbours.detect(text) {
        Some(info) if info.lang() != whatlang::Lang::Rus => p.min(NEIGHBOUR_CAP),
        _ => p,
    }
}

/// Russian probability from letters and marker words alone.
fn letters_and_words(text: &str, census: &ScriptCensus) -> f64 {
    let has_marker = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .any(|w| {
            let lower = w.to_lowercase();
            MARKERS.contains(&lower.as_str())
        });
    if has_marker {
        return 0.97;
    }
    // ы э ъ ё rule out Ukrainian but not Kazakh or Kyrgyz; stay just below `CONFIDENT`.
    if census.russian_only > 0 {
        return 0.78;
    }
    match census.cyrillic {
        0..=3 => 0.6,
        4..=9 => 0.7,
        _ => 0.75,
    }
}
