//! The client's cultural context as it reaches the prompt: formality, addressee, notes.

use super::Language;

/// How the client is addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Formality {
    /// Sie, vous, Вы, Pan/Pani, usted, حضرتك.
    #[default]
    Formal,
    /// du, tu, ты, ty, tú, أنتَ/أنتِ.
    Informal,
}

/// Who is addressed, for languages whose polite forms depend on it (Pan/Pani, Arabic gender).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Addressee {
    /// Not known: prefer neutral forms.
    #[default]
    Unknown,
    /// A man.
    Man,
    /// A woman.
    Woman,
    /// A couple, family or group.
    Group,
}

/// Which way a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the client, translated for the manager.
    Inbound,
    /// From the manager, translated for the client.
    Outbound,
}

/// What the translator knows about the client.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientContext {
    /// Formal or informal address.
    pub formality: Formality,
    /// Who is addressed.
    pub addressee: Addressee,
    /// Short facts that matter for tone (e.g. "observes halal", "time zone Asia/Dubai").
    pub notes: Vec<String>,
}

impl ClientContext {
    /// The instruction on how to address the client in `language`.
    pub fn address_instruction(&self, language: Language) -> String {
        let formal = self.formality == Formality::Formal;
        let who = self.addressee;
        match (language, formal) {
            (Language::De, true) => "Address the client formally with \"Sie\" (Ihnen, Ihr), never \"du\".".to_owned(),
            (Language::De, false) => "Address the client informally with \"du\" (dir, dein), never \"Sie\".".to_owned(),
            (Language::Fr, true) => "Address the client formally with \"vous\" (votre), never \"tu\".".to_owned(),
            (Language::Fr, false) => "Address the client informally with \"tu\" (ton, ta), never \"vous\" for one person.".to_owned(),
            (Language::Ru, true) => {
                "Address the client formally with a capitalised \"Вы\" (Вас, Вам, Ваш), never \"ты\".".to_owned()
            }
            (Language::Ru, false) => "Address the client informally with \"ты\" (тебя, тебе, твой), never \"Вы\".".to_owned(),
            (Language::Es, true) => match who {
                Addressee::Group => "Address the clients formally with \"ustedes\" (su, les), never \"vosotros\".".to_owned(),
                _ => "Address the client formally with \"usted\" (su, le), never \"tú\".".to_owned(),
            },
            (Language::Es, false) => "Address the client informally with \"tú\" (te, tu), never \"usted\".".to_owned(),
            (Language::Pl, true) => match who {
                Addressee::Man => "Address the client formally as \"Pan\" with third-person verbs (e.g. \"czy Pan chciałby\"), never \"ty\".".to_owned(),
                Addressee::Woman => "Address the client formally as \"Pani\" with third-person verbs (e.g. \"czy Pani chciałaby\"), never \"ty\".".to_owned(),
                Addressee::Group => "Address the clients formally as \"Państwo\" with third-person plural verbs, never \"wy\".".to_owned(),
                Addressee::Unknown => "Address the client formally (\"Pan\"/\"Pani\"/\"Państwo\" forms, never \"ty\"); the gender is unknown, so prefer \"Państwo\" or gender-neutral phrasing.".to_owned(),
            },
            (Language::Pl, false) => "Address the client informally with \"ty\" (ciebie, twój), never \"Pan\"/\"Pani\".".to_owned(),
            (Language::Ar, true) => {
                let form = match who {
                    Addressee::Man => "حضرتكَ and masculine forms",
                    Addressee::Woman => "حضرتكِ and feminine forms",
                    Addressee::Group => "حضراتكم and plural forms (أنتم)",
                    Addressee::Unknown => "حضرتك with polite, gender-neutral phrasing where possible",
                };
                format!("Address the client formally and respectfully in Modern Standard Arabic, using {form}; no familiar or dialect forms.")
            }
            (Language::Ar, false) => {
                let form = match who {
                    Addressee::Man => "أنتَ and masculine forms",
                    Addressee::Woman => "أنتِ and feminine forms",
                    Addressee::Group => "أنتم and plural forms",
                    Addressee::Unknown => "أنت with gender-neutral phrasing where possible",
                };
                format!("Address the client warmly and informally, using {form}, not حضرتك.")
            }
            (Language::En, true) => "Use a polite, formal register (no slang; title and surname if a name appears).".to_owned(),
            (Language::En, false) => "Use a friendly, informal register (first names are fine).".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Addressee, ClientContext, Formality};
    use crate::translate::Language;

    #[test]
    fn each_language_names_its_own_formal_and_informal_forms() {
        let formal = ClientContext::default();
        let informal = ClientContext {
            formality: Formality::Informal,
            ..ClientContext::default()
        };
        let cases = [
            (Language::De, "Sie", "du"),
            (Language::Fr, "vous", "tu"),
            (Language::Ru, "Вы", "ты"),
            (Language::Es, "usted", "tú"),
            (Language::Pl, "Państwo", "ty"),
            (Language::Ar, "حضرتك", "أنت"),
        ];
        for (language, polite, familiar) in cases {
            assert!(
                formal.address_instruction(language).contains(polite),
                "{language:?}"
            );
            assert!(
                informal.address_instruction(language).contains(familiar),
                "{language:?}"
            );
        }
        let woman = ClientContext {
            addressee: Addressee::Woman,
            ..ClientContext::default()
        };
        assert!(woman.address_instruction(Language::Pl).contains("\"Pani\""));
    }
}
