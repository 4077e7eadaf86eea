//! Month names of the seven languages (full, inflected and abbreviated forms), lower case.

/// The month (1–12) named by a lower-case word, or `None`.
pub(crate) fn month_of_word(word: &str) -> Option<u8> {
    exact_month(word).or_else(|| prefixed_month(word))
}

/// The month named by an Arabic (Levantine) two-word name such as "كانون الثاني".
pub(crate) fn month_of_two_words(first: &str, second: &str) -> Option<u8> {
    let second = second.replace(['أ', 'إ'], "ا");
    match (first, second.as_str()) {
        ("كانون", "الثاني") => Some(1),
        ("كانون", "الاول") => Some(12),
        ("تشرين", "الاول") => Some(10),
        ("تشرين", "الثاني") => Some(11),
        _ => None,
    }
}

/// Whole-word forms: English, German, French, Spanish, short forms, and uninflected ones.
fn exact_month(word: &str) -> Option<u8> {
    let month = match word {
        "january" | "jan" | "januar" | "jänner" | "janvier" | "janv" | "enero" | "ene"
        | "يناير" | "جانفي" => 1,
        "february" | "feb" | "februar" | "février" | "fevrier" | "févr" | "fevr" | "febrero"
        | "فبراير" | "شباط" | "فيفري" => 2,
        "march" | "mar" | "märz" | "maerz" | "mär" | "mars" | "marzo" | "marzec" | "marca"
        | "marcu" | "مارس" | "آذار" | "اذار" => 3,
        "april" | "apr" | "avril" | "avr" | "abril" | "abr" | "أبريل" | "ابريل" | "إبريل"
        | "نيسان" | "أفريل" => 4,
        "may" | "mai" | "mayo" | "maj" | "maja" | "maju" | "май" | "мая" | "мае" | "مايو"
        | "أيار" | "ايار" | "ماي" => 5,
        "june" | "jun" | "juni" | "juin" | "junio" | "يونيو" | "يونيه" | "حزيران" | "جوان" => {
            6
        }
        "july" | "jul" | "juli" | "juillet" | "juil" | "julio" | "يوليو" | "يوليه" | "تموز"
        | "جويلية" => 7,
        "august" | "aug" | "août" | "aout" | "agosto" | "ago" | "أغسطس" | "اغسطس" | "آب"
        | "أوت" => 8,
        "september" | "sep" | "sept" | "septembre" | "septiembre" | "setiembre" | "سبتمبر"
        | "أيلول" | "ايلول" => 9,
        "october" | "oct" | "oktober" | "okt" | "octobre" | "octubre" | "أكتوبر" | "اكتوبر" => {
            10
        }
        "november" | "nov" | "novembre" | "noviembre" | "نوفمبر" => 11,
        "december" | "dec" | "dezember" | "dez" | "décembre" | "decembre" | "déc" | "diciembre"
        | "dic" | "ديسمبر" => 12,
        _ => return None,
    };
    Some(month)
}

/// Stems of inflected Russian and Polish forms (января, lutego, września…).
const STEMS: [(&str, u8); 23] = [
    ("январ", 1),
    ("феврал", 2),
    ("март", 3),
    ("апрел", 4),
    ("июн", 6),
    ("июл", 7),
    ("август", 8),
    ("сентябр", 9),
    ("октябр", 10),
    ("ноябр", 11),
    ("декабр", 12),
    ("styczeń", 1),
    ("styczni", 1),
    ("lut", 2),
    ("kwie", 4),
    ("czerw", 6),
    ("lip", 7),
    ("sierp", 8),
    ("wrze", 9),
    ("październik", 10),
    ("pazdziernik", 10),
    ("listopad", 11),
    ("grud", 12),
];

/// Matches a stem at the start of the word.
fn prefixed_month(word: &str) -> Option<u8> {
    STEMS
        .iter()
        .find(|(stem, _)| word.starts_with(stem))
        .map(|&(_, month)| month)
}

#[cfg(test)]
mod tests {
    use super::{month_of_two_words, month_of_word};

    #[test]
    fn may_is_recognised_in_all_seven_languages() {
        for word in ["may", "мая", "mai", "mayo", "maja", "مايو", "أيار"] {
            assert_eq!(month_of_word(word), Some(5), "{word}");
        }
    }

    #[test]
    fn inflected_and_two_word_forms_are_recognised() {
        assert_eq!(month_of_word("сентября"), Some(9));
        assert_eq!(month_of_word("września"), Some(9));
        assert_eq!(month_of_word("lutego"), Some(2));
        assert_eq!(month_of_two_words("تشرين", "الأول"), Some(10));
        assert_eq!(month_of_word("tour"), None);
    }
}
