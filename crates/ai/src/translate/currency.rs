//! Currency symbols, codes and words of the seven languages, mapped to ISO codes.

/// The ISO code of a currency symbol.
pub(crate) fn currency_of_symbol(symbol: char) -> Option<&'static str> {
    match symbol {
        '$' => Some("USD"),
        '€' => Some("EUR"),
        '£' => Some("GBP"),
        '₽' => Some("RUB"),
        '₺' => Some("TRY"),
        '¥' => Some("JPY"),
        _ => None,
    }
}

/// The ISO code of a lower-case currency word or code (inflected forms included).
pub(crate) fn currency_of_word(word: &str) -> Option<&'static str> {
    let exact = match word {
        "usd" | "dollar" | "dollars" | "dólar" | "dólares" | "dolar" | "dolara" | "dolary"
        | "dolarów" | "долл" => Some("USD"),
        "eur" | "euro" | "euros" | "евро" | "يورو" => Some("EUR"),
        "gbp" | "pound" | "pounds" | "фунт" | "фунтов" | "фунта" | "جنيه" => {
            Some("GBP")
        }
        "rub" | "руб" | "rouble" | "roubles" | "ruble" | "rubles" | "rubel" | "rubli" | "روبل" => {
            Some("RUB")
        }
        "pln" | "zł" | "zl" | "zloty" | "zlotys" | "złoty" | "złotych" | "złote" | "злотых"
        | "злотый" | "زلوتي" => Some("PLN"),
        "aed" | "dirham" | "dirhams" | "dírhams" | "дирхам" | "дирхамов" | "дирхама" | "درهم"
        | "دراهم" => Some("AED"),
        "chf" => Some("CHF"),
        _ => None,
    };
    exact.or_else(|| {
        const STEMS: [(&str, &str); 5] = [
            ("доллар", "USD"),
            ("دولار", "USD"),
            ("рубл", "RUB"),
            ("złot", "PLN"),
            ("euro", "EUR"),
        ];
        STEMS
            .iter()
            .find(|(stem, _)| word.starts_with(stem))
            .map(|&(_, code)| code)
    })
}

#[cfg(test)]
mod tests {
    use super::{currency_of_symbol, currency_of_word};

    #[test]
    fn symbols_codes_and_words_name_the_same_currency() {
        assert_eq!(currency_of_symbol('$'), Some("USD"));
        for word in ["usd", "долларов", "dólares", "dolarów", "دولار"] {
            assert_eq!(currency_of_word(word), Some("USD"), "{word}");
        }
        assert_eq!(currency_of_word("рублей"), Some("RUB"));
        assert_eq!(currency_of_word("tour"), None);
    }
}
