//! Reading a row by column name, where a value the store cannot read is an error naming the
//! column (never a nil id or a silent default).

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::types::Type;
use rusqlite::Row;
use serde::de::DeserializeOwned;

/// The error for a stored value that does not read as what the column holds.
#[derive(Debug)]
struct Unreadable {
    column: String,
    value: String,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut shown: String = self.value.chars().take(40).collect();
        if shown.len() < self.value.len() {
            shown.push('…');
        }
        write!(f, "unreadable value {shown:?} in column {}", self.column)
    }
}

impl std::error::Error for Unreadable {}

fn unreadable(r: &Row<'_>, column: &str, value: &str, ty: Type) -> rusqlite::Error {
    let index = r.as_ref().column_index(column).unwrap_or(0);
    rusqlite::Error::FromSqlConversionFailure(
        index,
        ty,
        Box::new(Unreadable {
            column: column.to_string(),
            value: value.to_string(),
        }),
    )
}

/// A text column converted by `parse` (an id's `parse`, an enum's `from_code`).
pub(crate) fn parsed<T>(
    r: &Row<'_>,
    column: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let text: String = r.get(column)?;
    parse(&text).ok_or_else(|| unreadable(r, column, &text, Type::Text))
}

/// A nullable text column converted by `parse`; NULL is `None`, an unreadable value an error.
pub(crate) fn parsed_opt<T>(
    r: &Row<'_>,
    column: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> rusqlite::Result<Option<T>> {
    match r.get::<_, Option<String>>(column)? {
        None => Ok(None),
        Some(text) => parse(&text)
            .map(Some)
            .ok_or_else(|| unreadable(r, column, &text, Type::Text)),
    }
}

/// A count or sum that cannot be negative, as `u64`.
pub(crate) fn count(r: &Row<'_>, column: &str) -> rusqlite::Result<u64> {
    let n: i64 = r.get(column)?;
    u64::try_from(n).map_err(|_| unreadable(r, column, &n.to_string(), Type::Integer))
}

/// A JSON text column.
pub(crate) fn json<T: DeserializeOwned>(r: &Row<'_>, column: &str) -> rusqlite::Result<T> {
    let text: String = r.get(column)?;
    serde_json::from_str(&text).map_err(|_| unreadable(r, column, &text, Type::Text))
}

/// A nullable JSON text column; NULL is `None`.
pub(crate) fn json_opt<T: DeserializeOwned>(
    r: &Row<'_>,
    column: &str,
) -> rusqlite::Result<Option<T>> {
    match r.get::<_, Option<String>>(column)? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|_| unreadable(r, column, &text, Type::Text)),
    }
}

/// A UTC time stored as milliseconds since the epoch.
pub(crate) fn time(r: &Row<'_>, column: &str) -> rusqlite::Result<DateTime<Utc>> {
    let ms: i64 = r.get(column)?;
    ms_to_time(ms).ok_or_else(|| unreadable(r, column, &ms.to_string(), Type::Integer))
}

/// A nullable UTC time stored as milliseconds.
pub(crate) fn time_opt(r: &Row<'_>, column: &str) -> rusqlite::Result<Option<DateTime<Utc>>> {
    match r.get::<_, Option<i64>>(column)? {
        None => Ok(None),
        Some(ms) => ms_to_time(ms)
            .map(Some)
            .ok_or_else(|| unreadable(r, column, &ms.to_string(), Type::Integer)),
    }
}

fn ms_to_time(ms: i64) -> Option<DateTime<Utc>> {
    Utc.timestamp_millis_opt(ms).single()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    fn one<T>(
        sql: &str,
        read: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        let c = Connection::open_in_memory().expect("memory db");
        c.query_row(sql, [], read)
    }

    #[test]
    fn an_unreadable_value_is_an_error_naming_its_column() {
        let err = one("SELECT 'not-a-number' AS amount", |r| {
            parsed(r, "amount", |s| s.parse::<u32>().ok())
        })
        .expect_err("unreadable");
        assert!(err.to_string().contains("column amount"), "{err}");
        assert!(err.to_string().contains("not-a-number"), "{err}");
    }

    #[test]
    fn null_reads_as_none_and_a_value_as_some() {
        let none = one("SELECT NULL AS v", |r| {
            parsed_opt(r, "v", |s| s.parse::<u32>().ok())
        });
        assert_eq!(none.expect("null"), None);
        let some = one("SELECT '7' AS v", |r| {
            parsed_opt(r, "v", |s| s.parse::<u32>().ok())
        });
        assert_eq!(some.expect("value"), Some(7));
        let bad_json = one("SELECT '[1,' AS v", |r| json::<Vec<u32>>(r, "v"));
        assert!(bad_json.is_err());
        let list = one("SELECT '[1,2]' AS v", |r| json::<Vec<u32>>(r, "v"));
        assert_eq!(list.expect("json"), vec![1, 2]);
    }

    #[test]
    fn times_read_back_and_out_of_range_is_an_error() {
        let t = one("SELECT 1700000000000 AS at", |r| time(r, "at")).expect("time");
        assert_eq!(t.timestamp(), 1_700_000_000);
        assert!(one("SELECT 9223372036854775807 AS at", |r| time(r, "at")).is_err());
        assert_eq!(
            one("SELECT NULL AS at", |r| time_opt(r, "at")).expect("null"),
            None
        );
    }
}
