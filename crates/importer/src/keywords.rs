//! The funnel's keyword lists in the seven languages and one matcher that finds them all in one
//! pass over a message (Aho-Corasick), instead of one substring scan per keyword.

use std::borrow::Cow;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};

const PAID: &[&str] = &[
    "i paid",
    "i have paid",
    "i've paid",
    "we paid",
    "we have paid",
    "payment done",
    "payment sent",
    "payment made",
    "paid the deposit",
    "deposit paid",
    "booking confirmed",
    "booking is confirmed",
    "оплатил",
    "оплатила",
    "оплатили",
    "оплачено",
    "перевел деньги",
    "перевёл деньги",
    "перевела деньги",
    "бронь подтверждена",
    "бронирование подтверждено",
    "he pagado",
    "pagué",
    "ya pagamos",
    "pago realizado",
    "reserva confirmada",
    "j'ai payé",
    "nous avons payé",
    "paiement effectué",
    "virement effectué",
    "réservation confirmée",
    "habe bezahlt",
    "haben bezahlt",
    "bezahlt",
    "überwiesen",
    "buchung bestätigt",
    "zapłaciłem",
    "zapłaciłam",
    "zapłaciliśmy",
    "zapłacone",
    "przelew wysłany",
    "rezerwacja potwierdzona",
    "تم الدفع",
    "دفعت",
    "تم التحويل",
    "تم تأكيد الحجز",
];
const SERVICE: &[&str] = &[
    "voucher",
    "transfer",
    "check-in",
    "check in",
    "pickup",
    "pick-up",
    "we arrived",
    "ваучер",
    "трансфер",
    "заселени",
    "прилетели",
    "traslado",
    "llegamos",
    "bon d'échange",
    "transfert",
    "nous sommes arrivés",
    "angekommen",
    "dotarliśmy",
    "przylecieliśmy",
    "قسيمة",
    "وصلنا",
];
const NEGOTIATION: &[&str] = &[
    "discount",
    "cheaper",
    "too expensive",
    "best price",
    "how can i pay",
    "how do i pay",
    "how to pay",
    "want to book",
    "like to book",
    "book it",
    "скидк",
    "дешевле",
    "дорого",
    "как оплатить",
    "как можно оплатить",
    "хочу забронировать",
    "бронируем",
    "забронируйте",
    "descuento",
    "más barato",
    "mas barato",
    "muy caro",
    "cómo pago",
    "como pago",
    "quiero reservar",
    "réduction",
    "remise",
    "moins cher",
    "trop cher",
    "comment payer",
    "je veux réserver",
    "rabatt",
    "günstiger",
    "zu teuer",
    "wie kann ich bezahlen",
    "möchte buchen",
    "wir buchen",
    "zniżk",
    "rabat",
    "taniej",
    "za drogo",
    "jak zapłacić",
    "chcę zarezerwować",
    "خصم",
    "أرخص",
    "غالي",
    "كيف أدفع",
    "أريد الحجز",
];
pub(crate) const CURRENCY_WORDS: &[&str] = &[
    "usd",
    "eur",
    "euro",
    "euros",
    "dollars",
    "dollar",
    "rub",
    "руб",
    "рублей",
    "р",
    "долларов",
    "долл",
    "евро",
    "aed",
    "sar",
    "pln",
    "zł",
    "zl",
    "złotych",
    "gbp",
    "درهم",
    "ريال",
    "دولار",
    "يورو",
];
pub(crate) const CURRENCY_SIGNS: &[char] = &['$', '€', '£', '₽', '₺'];
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "январ",
    "феврал",
    "март",
    "апрел",
    "мая",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "janvier",
    "février",
    "mars",
    "avril",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "januar",
    "februar",
    "märz",
    "juni",
    "juli",
    "oktober",
    "dezember",
    "styczni",
    "lutego",
    "lipca",
    "sierpni",
    "wrześni",
    "październik",
    "listopad",
    "grudni",
    "czerwc",
    "kwietni",
    "marca",
    "maja",
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];
pub(crate) const PARTY: &[&str] = &[
    "adult",
    "people",
    "persons",
    "pax",
    "kids",
    "children",
    "child",
    "взросл",
    "человек",
    "детей",
    "ребен",
    "ребён",
    "adultos",
    "personas",
    "niños",
    "adultes",
    "personnes",
    "enfants",
    "erwachsene",
    "personen",
    "kinder",
    "dorosł",
    "osoby",
    "osób",
    "dzieci",
    "بالغين",
    "أشخاص",
    "أطفال",
];

/// `text` lower-cased, borrowed when it is ASCII without capitals.
pub(crate) fn lowercase(text: &str) -> Cow<'_, str> {
    if !text.is_ascii() {
        Cow::Owned(text.to_lowercase())
    } else if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// `text` lower-cased, borrowed when it is ASCII (the matcher ignores ASCII case itself).
fn fold_non_ascii(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

/// Which keyword list a pattern of the matcher comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Paid,
    Service,
    Negotiation,
    Month,
}

/// One multi-pattern matcher over every keyword list, built once.
pub(crate) struct Keywords {
    /// `None` only if the automaton could not be built (then each keyword is scanned alone).
    matcher: Option<AhoCorasick>,
    /// For each pattern id: its list and the word.
    patterns: Vec<(Group, &'static str)>,
}

/// The first keyword of each list found in one message (leftmost in the text).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) paid: Option<&'static str>,
    pub(crate) service: Option<&'static str>,
    pub(crate) negotiation: Option<&'static str>,
    pub(crate) month: Option<&'static str>,
}

impl Keywords {
    fn build() -> Keywords {
        let lists = [
            (Group::Paid, PAID),
            (Group::Service, SERVICE),
            (Group::Negotiation, NEGOTIATION),
            (Group::Month, MONTHS),
        ];
        let patterns: Vec<(Group, &'static str)> = lists
            .iter()
            .flat_map(|(g, words)| words.iter().map(move |w| (*g, *w)))
            .collect();
        // Standard semantics so that overlapping search reports every list's keyword; ASCII
        // case is ignored by the automaton, other letters are lower-cased before the scan.
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(patterns.iter().map(|(_, w)| w))
            .ok();
        Keywords { matcher, patterns }
    }

    /// One pass over `text` for every keyword list at once, without regard to case.
    pub(crate) fn scan(&self, text: &str) -> Found {
        let mut found = Found::default();
        match &self.matcher {
            Some(matcher) => {
                for m in matcher.find_overlapping_iter(fold_non_ascii(text).as_ref()) {
                    if let Some((group, word)) = self.patterns.get(m.pattern().as_usize()) {
                        found.note(*group, word);
                    }
                }
            }
            None => {
                let lower = text.to_lowercase();
                for (group, word) in self.patterns.iter().filter(|(_, w)| lower.contains(w)) {
                    found.note(*group, word);
                }
            }
        }
        found
    }
}

impl Found {
    /// Keeps `word` as its list's keyword unless one was found before.
    fn note(&mut self, group: Group, word: &'static str) {
        let slot = match group {
            Group::Paid => &mut self.paid,
            Group::Service => &mut self.service,
            Group::Negotiation => &mut self.negotiation,
            Group::Month => &mut self.month,
        };
        slot.get_or_insert(word);
    }
}

pub(crate) fn keywords() -> &'static Keywords {
    static KEYWORDS: OnceLock<Keywords> = OnceLock::new();
    KEYWORDS.get_or_init(Keywords::build)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pass_finds_a_keyword_of_every_list_even_when_they_overlap() {
        let k = keywords();
        assert!(k.matcher.is_some(), "the automaton builds");
        let found = k.scan("We PAID the deposit, is the Transfer in March with a discount?");
        assert_eq!(found.paid, Some("we paid"));
        assert_eq!(found.service, Some("transfer"));
        assert_eq!(found.negotiation, Some("discount"));
        assert_eq!(found.month, Some("march"));
        // "оплатили" contains "оплатил": overlapping search still reports the paid list once.
        let ru = k.scan("Мы ОПЛАТИЛИ, ждём Ваучер");
        assert_eq!(ru.paid, Some("оплатил"));
        assert_eq!(ru.service, Some("ваучер"));
        assert_eq!(k.scan("hello there"), Found::default());
    }

    #[test]
    fn the_fallback_scan_agrees_with_the_automaton() {
        let with = keywords();
        let without = Keywords {
            matcher: None,
            patterns: with.patterns.clone(),
        };
        for text in [
            "booking confirmed, voucher attached",
            "quiero reservar en agosto",
            "zapłaciłem, przelew wysłany",
            "تم الدفع",
            "nothing here",
        ] {
            let (a, b) = (with.scan(text), without.scan(text));
            assert_eq!(a.paid.is_some(), b.paid.is_some(), "{text}");
            assert_eq!(a.service.is_some(), b.service.is_some(), "{text}");
            assert_eq!(a.negotiation.is_some(), b.negotiation.is_some(), "{text}");
            assert_eq!(a.month.is_some(), b.month.is_some(), "{text}");
        }
    }

    #[test]
    fn ascii_text_is_scanned_as_it_is_and_other_text_lower_cased() {
        assert!(matches!(fold_non_ascii("OK See You"), Cow::Borrowed(_)));
        assert_eq!(fold_non_ascii("Привет ОК"), "привет ок");
        assert!(matches!(lowercase("price 100 usd"), Cow::Borrowed(_)));
        assert_eq!(lowercase("Price 100 USD"), "price 100 usd");
        assert_eq!(lowercase("Цена 100 EUR"), "цена 100 eur");
    }
}
