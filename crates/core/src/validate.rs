//! Input rules shared by every entity: trimmed names, e-mails, phones (E.164), time zones.

use crate::error::{AppError, AppResult, ErrorCode};

/// Longest name (client, tour, partner, user, organisation), in characters.
pub const MAX_NAME: usize = 200;
/// Longest free text (notes, descriptions), in characters.
pub const MAX_NOTES: usize = 20_000;
/// Longest short text (e-mail, Telegram chat, tags), in characters.
pub const MAX_SHORT: usize = 320;
/// Shortest password, in characters.
pub const MIN_PASSWORD: usize = 10;

/// A required single-line text: trimmed, non-empty, at most `max` characters, no control chars.
pub fn required_text(value: &str, field: &str, max: usize) -> AppResult<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::field(
            ErrorCode::Required,
            field,
            format!("{field} is required"),
        ));
    }
    single_line(v, field, max)
}

/// An optional single-line text: trimmed; empty becomes `None`.
pub fn optional_text(value: Option<&str>, field: &str, max: usize) -> AppResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => single_line(v, field, max).map(Some),
    }
}

/// Free multi-line text (notes): newlines and tabs allowed, other control chars refused.
pub fn notes(value: &str, field: &str) -> AppResult<String> {
    let v = value.trim_end();
    if v.chars().count() > MAX_NOTES {
        return Err(too_long(field, MAX_NOTES));
    }
    if v.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(AppError::field(
            ErrorCode::InvalidText,
            field,
            format!("{field} contains control characters"),
        ));
    }
    Ok(v.to_string())
}

fn single_line(v: &str, field: &str, max: usize) -> AppResult<String> {
    if v.chars().count() > max {
        return Err(too_long(field, max));
    }
    if v.chars().any(char::is_control) {
        return Err(AppError::field(
            ErrorCode::InvalidText,
            field,
            format!("{field} must be one line without control characters"),
        ));
    }
    Ok(v.to_string())
}

fn too_long(field: &str, max: usize) -> AppError {
    AppError::field(
        ErrorCode::TooLong,
        field,
        format!("{field} is longer than {max} characters"),
    )
}

/// An e-mail address: one `@`, a non-empty local part, a dotted domain, no spaces. Lower-cased.
pub fn email(value: &str, field: &str) -> AppResult<String> {
    let v = value.trim();
    let bad = || {
        AppError::field(
            ErrorCode::InvalidEmail,
            field,
            "the e-mail address is not valid",
        )
    };
    if v.is_empty() {
        return Err(AppError::field(
            ErrorCode::Required,
            field,
            "e-mail is required",
        ));
    }
    if v.chars().count() > MAX_SHORT || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    let (local, domain) = v.split_once('@').ok_or_else(bad)?;
    if local.is_empty() || domain.contains('@') || local.contains('"') {
        return Err(bad());
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2
        || labels
            .iter()
            .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
    {
        return Err(bad());
    }
    Ok(v.to_lowercase())
}

/// An optional e-mail: empty becomes `None`.
pub fn optional_email(value: Option<&str>, field: &str) -> AppResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => email(v, field).map(Some),
    }
}

/// Normalises a phone number to E.164, reading numbers without `+` in `default_region`.
pub fn phone(value: &str, default_region: &str, field: &str) -> AppResult<String> {
    let bad = || {
        AppError::field(
            ErrorCode::InvalidPhone,
            field,
            "the phone number is not valid; write it with the country code, e.g. +996 555 123 456",
        )
    };
    let v = value.trim();
    if v.chars().count() > 40 || !v.chars().any(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    if v.chars()
        .any(|c| !(c.is_ascii_digit() || " +-().\u{a0}/".contains(c)))
    {
        return Err(bad());
    }
    let region = default_region.parse::<phonenumber::country::Id>().ok();
    let number = phonenumber::parse(region, v).map_err(|_| bad())?;
    if !phonenumber::is_valid(&number) {
        return Err(bad());
    }
    Ok(number.format().mode(phonenumber::Mode::E164).to_string())
}

/// An optional phone: empty becomes `None`.
pub fn optional_phone(
    value: Option<&str>,
    default_region: &str,
    field: &str,
) -> AppResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => phone(v, default_region, field).map(Some),
    }
}

/// Checks an ISO 3166 region code known to the phone library (e.g. "KG").
pub fn region(value: &str, field: &str) -> AppResult<String> {
    let v = value.trim().to_uppercase();
    v.parse::<phonenumber::country::Id>()
        .map(|_| v.clone())
        .map_err(|_| AppError::field(ErrorCode::InvalidChoice, field, "unknown region code"))
}

/// An optional IANA time zone name, checked against the tz database.
pub fn time_zone(value: Option<&str>, field: &str) -> AppResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse::<chrono_tz::Tz>()
            .map(|tz| Some(tz.name().to_string()))
            .map_err(|_| {
                AppError::field(
                    ErrorCode::UnknownTimeZone,
                    field,
                    "unknown time zone; use a name such as Asia/Bishkek",
                )
            }),
    }
}

/// A password long enough to sign in with.
pub fn password(value: &str, field: &str) -> AppResult<()> {
    if value.chars().count() < MIN_PASSWORD {
        return Err(AppError::field(
            ErrorCode::PasswordTooShort,
            field,
            format!("the password must have at least {MIN_PASSWORD} characters"),
        ));
    }
    if value.chars().count() > 1024 {
        return Err(too_long(field, 1024));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_normalised_to_e164_with_and_without_country_code() {
        assert_eq!(
            phone("+996 555 123 456", "KG", "phone").ok().as_deref(),
            Some("+996555123456")
        );
        assert_eq!(
            phone("0555 123 456", "KG", "phone").ok().as_deref(),
            Some("+996555123456")
        );
        assert_eq!(
            phone("+7 (912) 345-67-89", "KG", "phone").ok().as_deref(),
            Some("+79123456789")
        );
        for bad in [
            "",
            "abc",
            "+996 555",
            "12",
            "+1 555 ☎ 1234",
            "0555 123 456 789 123 456 789",
        ] {
            assert_eq!(
                phone(bad, "KG", "phone").map_err(|e| e.code),
                Err(ErrorCode::InvalidPhone),
                "{bad}"
            );
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            required_text("  Айгуль  ", "name", MAX_NAME)
                .ok()
                .as_deref(),
            Some("Айгуль")
        );
        assert_eq!(
            required_text("   ", "name", MAX_NAME).map_err(|e| e.code),
            Err(ErrorCode::Required)
        );
        let long = "x".repeat(10_000);
        assert_eq!(
            required_text(&long, "name", MAX_NAME).map_err(|e| e.code),
            Err(ErrorCode::TooLong)
        );
        assert_eq!(
            required_text("a\u{7}b", "name", MAX_NAME).map_err(|e| e.code),
            Err(ErrorCode::InvalidText)
        );
        assert!(required_text("O'Brien \"Бек\" 🏔️ محمد", "name", MAX_NAME).is_ok());
    }

    #[test]
    fn emails_and_time_zones_are_checked() {
        assert_eq!(
            email(" Ana@Example.COM ", "email").ok().as_deref(),
            Some("ana@example.com")
        );
        for bad in [
            "ana",
            "ana@",
            "@x.com",
            "a b@x.com",
            "ana@x",
            "ana@@x.com",
            "ana@x..com",
        ] {
            assert!(email(bad, "email").is_err(), "{bad}");
        }
        assert_eq!(
            time_zone(Some("Asia/Bishkek"), "tz")
                .ok()
                .flatten()
                .as_deref(),
            Some("Asia/Bishkek")
        );
        assert_eq!(
            time_zone(Some("Mars/Olympus"), "tz").map_err(|e| e.code),
            Err(ErrorCode::UnknownTimeZone)
        );
    }
}
