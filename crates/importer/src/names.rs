//! Words that phones write into headers: AM/PM markers of every locale WhatsApp ships, month
//! names and their abbreviations, era marks of other calendars. All compared without case,
//! beyond ASCII (`ÖÖ` = `öö`, `Μ.Μ.` = `μ.μ.`).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::calendar::Calendar;

/// Day periods meaning "before noon" (CLDR abbreviated forms and the spellings phones use).
pub(crate) const AM: &[&str] = &[
    "a. m.",
    "a.m.",
    "a. m",
    "a.m",
    "am",
    "vorm.",
    "vorm",
    "vm.",
    "fm.",
    "fm",
    "ap.",
    "π.μ.",
    "π.μ",
    "πμ",
    "ص",
    "午前",
    "上午",
    "오전",
    "öö",
    "sa",
    "de.",
    "dop.",
    "дп",
    "пр.об.",
    "пр. об.",
    "f.h.",
    "ق.ظ.",
    "ق.ظ",
    "לפנה״צ",
    "לפנה\"צ",
    "ก่อนเที่ยง",
    "पूर्वाह्न",
    "म.पू.",
    "পূর্বাহ্ণ",
    "முற்பகல்",
    "ಪೂರ್ವಾಹ್ನ",
    "ਪੂ.ਦੁ.",
    "قبل دوپہر",
    "priešpiet",
    "priekšpusdienā",
    "pg",
    "to",
    "asubuhi",
    "ጥዋት",
    "ү.ө.",
    "пре подне",
];

/// Day periods meaning "after noon".
pub(crate) const PM: &[&str] = &[
    "p. m.",
    "p.m.",
    "p. m",
    "p.m",
    "pm",
    "nachm.",
    "nachm",
    "nm.",
    "em.",
    "em",
    "ip.",
    "μ.μ.",
    "μ.μ",
    "μμ",
    "م",
    "午後",
    "下午",
    "오후",
    "ös",
    "ch",
    "du.",
    "odp.",
    "пп",
    "сл.об.",
    "сл. об.",
    "e.h.",
    "ب.ظ.",
    "ب.ظ",
    "אחה״צ",
    "אחה\"צ",
    "หลังเที่ยง",
    "अपराह्न",
    "म.उ.",
    "অপরাহ্ণ",
    "பிற்பகல்",
    "ಅಪರಾಹ್ನ",
    "ਬਾ.ਦੁ.",
    "بعد دوپہر",
    "popiet",
    "pēcpusdienā",
    "ptg",
    "tk",
    "mchana",
    "ከሰዓት",
    "ү.х.",
    "по подне",
];

/// Month names and abbreviations (lower case, without a trailing dot) in the seven client
/// languages and in Italian, Portuguese, Dutch and Turkish; the number is the month.
pub(crate) const MONTHS: &[(&str, u8)] = &[
    // English
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
    // Russian: genitive (as dates are written), nominative and the CLDR abbreviations
    ("января", 1),
    ("январь", 1),
    ("янв", 1),
    ("февраля", 2),
    ("февраль", 2),
    ("февр", 2),
    ("фев", 2),
    ("марта", 3),
    ("март", 3),
    ("мар", 3),
    ("апреля", 4),
    ("апрель", 4),
    ("апр", 4),
    ("мая", 5),
    ("май", 5),
    ("июня", 6),
    ("июнь", 6),
    ("июн", 6),
    ("июля", 7),
    ("июль", 7),
    ("июл", 7),
    ("августа", 8),
    ("август", 8),
    ("авг", 8),
    ("сентября", 9),
    ("сентябрь", 9),
    ("сент", 9),
    ("сен", 9),
    ("октября", 10),
    ("октябрь", 10),
    ("окт", 10),
    ("ноября", 11),
    ("ноябрь", 11),
    ("нояб", 11),
    ("ноя", 11),
    ("декабря", 12),
    ("декабрь", 12),
    ("дек", 12),
    // Arabic (Egypt/Gulf names and the Levantine ones of one word)
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("أبريل", 4),
    ("ابريل", 4),
    ("إبريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يوليو", 7),
    ("أغسطس", 8),
    ("اغسطس", 8),
    ("سبتمبر", 9),
    ("أكتوبر", 10),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
    ("شباط", 2),
    ("آذار", 3),
    ("نيسان", 4),
    ("أيار", 5),
    ("حزيران", 6),
    ("تموز", 7),
    ("آب", 8),
    ("أيلول", 9),
    // French
    ("janvier", 1),
    ("janv", 1),
    ("février", 2),
    ("févr", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("avr", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("juil", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("déc", 12),
    // German
    ("januar", 1),
    ("jän", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("mär", 3),
    ("juni", 6),
    ("juli", 7),
    ("okt", 10),
    ("oktober", 10),
    ("dezember", 12),
    ("dez", 12),
    // Spanish
    ("enero", 1),
    ("ene", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("abr", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("ago", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("dic", 12),
    // Polish: genitive, nominative, abbreviations
    ("stycznia", 1),
    ("styczeń", 1),
    ("sty", 1),
    ("lutego", 2),
    ("luty", 2),
    ("lut", 2),
    ("marca", 3),
    ("marzec", 3),
    ("kwietnia", 4),
    ("kwiecień", 4),
    ("kwi", 4),
    ("maja", 5),
    ("maj", 5),
    ("czerwca", 6),
    ("czerwiec", 6),
    ("cze", 6),
    ("lipca", 7),
    ("lipiec", 7),
    ("lip", 7),
    ("sierpnia", 8),
    ("sierpień", 8),
    ("sie", 8),
    ("września", 9),
    ("wrzesień", 9),
    ("wrz", 9),
    ("października", 10),
    ("październik", 10),
    ("paź", 10),
    ("listopada", 11),
    ("listopad", 11),
    ("lis", 11),
    ("grudnia", 12),
    ("grudzień", 12),
    ("gru", 12),
    // Italian
    ("gennaio", 1),
    ("gen", 1),
    ("febbraio", 2),
    ("marzo", 3),
    ("aprile", 4),
    ("maggio", 5),
    ("mag", 5),
    ("giugno", 6),
    ("giu", 6),
    ("luglio", 7),
    ("lug", 7),
    ("settembre", 9),
    ("set", 9),
    ("ottobre", 10),
    ("ott", 10),
    ("dicembre", 12),
    // Portuguese
    ("janeiro", 1),
    ("fevereiro", 2),
    ("fev", 2),
    ("março", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("out", 10),
    ("novembro", 11),
    ("dezembro", 12),
    // Dutch
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mrt", 3),
    ("mei", 5),
    ("augustus", 8),
    // Turkish
    ("ocak", 1),
    ("oca", 1),
    ("şubat", 2),
    ("şub", 2),
    ("mart", 3),
    ("nisan", 4),
    ("nis", 4),
    ("mayıs", 5),
    ("haziran", 6),
    ("haz", 6),
    ("temmuz", 7),
    ("tem", 7),
    ("ağustos", 8),
    ("ağu", 8),
    ("eylül", 9),
    ("eyl", 9),
    ("ekim", 10),
    ("eki", 10),
    ("kasım", 11),
    ("kas", 11),
    ("aralık", 12),
    ("ara", 12),
];

/// Era marks written after the year (`2565 BE`, `1443 AH`, `١٤٤٣ هـ`, `1401 AP`, `1944 Saka`).
pub(crate) const ERA_SUFFIXES: &[(&str, Calendar)] = &[
    ("be", Calendar::Buddhist),
    ("b.e.", Calendar::Buddhist),
    ("พ.ศ.", Calendar::Buddhist),
    ("ah", Calendar::Islamic),
    ("a.h.", Calendar::Islamic),
    ("هـ", Calendar::Islamic),
    ("ه", Calendar::Islamic),
    ("ap", Calendar::Persian),
    ("ه‍.ش.", Calendar::Persian),
    ("saka", Calendar::Indian),
    ("minguo", Calendar::RepublicOfChina),
];

/// Era marks written before the year (`民國111/3/5`, `พ.ศ. 2565`); Japanese eras are separate.
pub(crate) const ERA_PREFIXES: &[(&str, Calendar)] = &[
    ("民國", Calendar::RepublicOfChina),
    ("民国", Calendar::RepublicOfChina),
    ("พ.ศ.", Calendar::Buddhist),
];

/// Length in bytes of `word` (lower case) at the start of `s`, compared without case
/// (Unicode simple lower-casing), or `None`.
pub(crate) fn starts_with_ci(s: &str, word: &str) -> Option<usize> {
    if s.len() >= word.len() && s.as_bytes()[..word.len()].eq_ignore_ascii_case(word.as_bytes()) {
        return Some(word.len());
    }
    if s.is_ascii() && word.is_ascii() {
        return None;
    }
    let mut want = word.chars().peekable();
    for (i, c) in s.char_indices() {
        // A character lower-casing to several ("İ" → "i̇") must match them all.
        for lower in c.to_lowercase() {
            if want.next() != Some(lower) {
                return None;
            }
        }
        if want.peek().is_none() {
            return Some(i + c.len_utf8());
        }
    }
    None
}

/// Longest month name in bytes (`października` and `priekšpusdienā`-like words stay below).
const MONTH_NAME_MAX_BYTES: usize = 24;

/// Month names keyed by their lower-case spelling, built once.
fn month_index() -> &'static HashMap<&'static str, u8> {
    static INDEX: OnceLock<HashMap<&'static str, u8>> = OnceLock::new();
    INDEX.get_or_init(|| MONTHS.iter().copied().collect())
}

/// The month named by the letters at the start of `s` (a whole word, an optional `.` after it),
/// and the bytes taken.
pub(crate) fn month_name(s: &str) -> Option<(u8, usize)> {
    let end = s
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(s.len(), |(i, _)| i);
    if !(3..=MONTH_NAME_MAX_BYTES).contains(&end) {
        return None;
    }
    let word = &s[..end];
    let month = if word.is_ascii() {
        // Lower-cased on the stack: this runs for every body line that starts with a letter.
        let mut buf = [0u8; MONTH_NAME_MAX_BYTES];
        buf[..end].copy_from_slice(word.as_bytes());
        buf[..end].make_ascii_lowercase();
        let lower = std::str::from_utf8(&buf[..end]).ok()?;
        *month_index().get(lower)?
    } else {
        *month_index().get(word.to_lowercase().as_str())?
    };
    let dot = usize::from(s.as_bytes().get(end) == Some(&b'.'));
    Some((month, end + dot))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_month_name_means_two_months() {
        let mut seen: HashMap<&str, u8> = HashMap::new();
        for (name, month) in MONTHS {
            if let Some(other) = seen.insert(name, *month) {
                assert_eq!(other, *month, "{name} names two months");
            }
            assert_eq!(name.to_lowercase(), *name, "{name} is stored lower case");
        }
    }

    #[test]
    fn month_names_match_without_case_beyond_ascii() {
        assert_eq!(month_name("Mar 5"), Some((3, 3)));
        assert_eq!(month_name("MÄRZ 2020"), Some((3, 5)));
        assert_eq!(
            month_name("ÉNERO"),
            None,
            "not a month (enero has no accent)"
        );
        assert_eq!(month_name("Aug. 2013"), Some((8, 4)));
        assert_eq!(month_name("марта 2023"), Some((3, 10)));
        assert_eq!(month_name("ŞUBAT"), Some((2, 6)));
        assert_eq!(month_name("Marching"), None, "a whole word only");
        assert_eq!(month_name("października"), Some((10, 13)));
    }

    #[test]
    fn markers_compare_without_case_beyond_ascii() {
        assert_eq!(starts_with_ci("ÖÖ - x", "öö"), Some(4));
        assert_eq!(starts_with_ci("Μ.Μ. - x", "μ.μ."), Some(6));
        assert_eq!(starts_with_ci("PM - x", "pm"), Some(2));
        assert_eq!(starts_with_ci("下午3:20", "下午"), Some(6));
        assert_eq!(starts_with_ci("Ö", "öö"), None);
        assert_eq!(starts_with_ci("ÖS", "öö"), None);
    }
}
