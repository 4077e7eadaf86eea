//! JSON schemas for structured output and a validator for the subset Tourdesk uses.
//!
//! Supported keywords: `type` (one name or a list), `properties`, `required`,
//! `additionalProperties` (boolean), `items`, `enum`, `const`, `minLength`, `maxLength`,
//! `minimum`, `maximum`, `minItems`, `maxItems`, and the annotations `title`, `description`.
//! A schema using anything else is refused when built, so nothing is silently unchecked.

use serde_json::{Map, Value};

/// Keywords the validator understands.
const SUPPORTED: [&str; 15] = [
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "title",
    "description",
];

/// A schema that uses something the validator does not support.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported JSON schema at {pointer}: {reason}")]
pub struct InvalidSchema {
    /// Where in the schema.
    pub pointer: String,
    /// What is wrong.
    pub reason: String,
}

/// A named JSON schema the reply must satisfy.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputSchema {
    name: String,
    schema: Value,
}

impl OutputSchema {
    /// Checks that `schema` only uses supported keywords; `name` is sent to the provider
    /// (letters, digits, `_` and `-`).
    pub fn new(name: impl Into<String>, schema: Value) -> Result<Self, InvalidSchema> {
        let name = name.into();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(InvalidSchema {
                pointer: String::new(),
                reason: "the name must be non-empty ASCII letters, digits, '_' or '-'".to_owned(),
            });
        }
        check_schema(&schema, "")?;
        Ok(Self { name, schema })
    }

    /// The schema's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The schema document.
    pub fn schema(&self) -> &Value {
        &self.schema
    }

    /// Validates `value`; the errors name JSON pointers and rules, never the values.
    pub fn validate(&self, value: &Value) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        validate(&self.schema, value, "", &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Recursively refuses unsupported keywords and malformed keyword values.
fn check_schema(schema: &Value, pointer: &str) -> Result<(), InvalidSchema> {
    let fail = |reason: String| InvalidSchema {
        pointer: if pointer.is_empty() {
            "/".to_owned()
        } else {
            pointer.to_owned()
        },
        reason,
    };
    let Some(object) = schema.as_object() else {
        return Err(fail("a schema must be an object".to_owned()));
    };
    for (keyword, value) in object {
        if !SUPPORTED.contains(&keyword.as_str()) {
            return Err(fail(format!("keyword '{keyword}' is not supported")));
        }
        match keyword.as_str() {
            "properties" => {
                let Some(properties) = value.as_object() else {
                    return Err(fail("'properties' must be an object".to_owned()));
                };
                for (name, sub) in properties {
                    check_schema(sub, &format!("{pointer}/properties/{name}"))?;
                }
            }
            "items" => check_schema(value, &format!("{pointer}/items"))?,
            "additionalProperties" if !value.is_boolean() => {
                return Err(fail("'additionalProperties' must be a boolean".to_owned()));
            }
            "required"
                if !value
                    .as_array()
                    .is_some_and(|a| a.iter().all(Value::is_string)) =>
            {
                return Err(fail("'required' must be a list of names".to_owned()));
            }
            "enum" if !value.is_array() => return Err(fail("'enum' must be a list".to_owned())),
            "type" => {
                let names: Vec<&Value> = match value {
                    Value::Array(items) => items.iter().collect(),
                    other => vec![other],
                };
                for name in names {
                    let known = name.as_str().is_some_and(|n| {
                        [
                            "string", "number", "integer", "boolean", "object", "array", "null",
                        ]
                        .contains(&n)
                    });
                    if !known {
                        return Err(fail(format!("unknown type {name}")));
                    }
                }
            }
            "minLength" | "maxLength" | "minItems" | "maxItems" if value.as_u64().is_none() => {
                return Err(fail(format!("'{keyword}' must be a non-negative integer")));
            }
            "minimum" | "maximum" if !value.is_number() => {
                return Err(fail(format!("'{keyword}' must be a number")));
            }
            _ => {}
        }
    }
    Ok(())
}

/// The JSON type name of a value, with integers told apart.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// True when `value` is of the named schema type.
fn has_type(value: &Value, name: &str) -> bool {
    let actual = type_name(value);
    actual == name || (name == "number" && actual == "integer")
}

/// Validates `value` against a checked `schema`, pushing errors.
fn validate(schema: &Value, value: &Value, pointer: &str, errors: &mut Vec<String>) {
    let Some(rules) = schema.as_object() else {
        return;
    };
    let at = if pointer.is_empty() { "/" } else { pointer };
    if let Some(expected) = rules.get("type") {
        let ok = match expected {
            Value::String(name) => has_type(value, name),
            Value::Array(names) => names
                .iter()
                .filter_map(Value::as_str)
                .any(|n| has_type(value, n)),
            _ => true,
        };
        if !ok {
            errors.push(format!(
                "{at}: expected type {expected}, found {}",
                type_name(value)
            ));
            return;
        }
    }
    if let Some(options) = rules.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            errors.push(format!("{at}: value is not one of the allowed options"));
        }
    }
    if let Some(constant) = rules.get("const") {
        if constant != value {
            errors.push(format!("{at}: value differs from the required constant"));
        }
    }
    match value {
        Value::String(text) => validate_string(rules, text, at, errors),
        Value::Number(number) => {
            validate_number(rules, number.as_f64().unwrap_or(f64::NAN), at, errors)
        }
        Value::Array(items) => validate_array(rules, items, pointer, errors),
        Value::Object(object) => validate_object(rules, object, pointer, errors),
        Value::Null | Value::Bool(_) => {}
    }
}

/// Length rules of a string (counted in characters).
fn validate_string(rules: &Map<String, Value>, text: &str, at: &str, errors: &mut Vec<String>) {
    let length = text.chars().count() as u64;
    if let Some(min) = rules.get("minLength").and_then(Value::as_u64) {
        if length < min {
            errors.push(format!("{at}: shorter than {min} characters"));
        }
    }
    if let Some(max) = rules.get("maxLength").and_then(Value::as_u64) {
        if length > max {
            errors.push(format!("{at}: longer than {max} characters"));
        }
    }
}

/// Range rules of a number.
fn validate_number(rules: &Map<String, Value>, number: f64, at: &str, errors: &mut Vec<String>) {
    if let Some(min) = rules.get("minimum").and_then(Value::as_f64) {
        if number.is_nan() || number < min {
            errors.push(format!("{at}: below the minimum {min}"));
        }
    }
    if let Some(max) = rules.get("maximum").and_then(Value::as_f64) {
        if number.is_nan() || number > max {
            errors.push(format!("{at}: above the maximum {max}"));
        }
    }
}

/// Size and item rules of an array.
fn validate_array(
    rules: &Map<String, Value>,
    items: &[Value],
    pointer: &str,
    errors: &mut Vec<String>,
) {
    let at = if pointer.is_empty() { "/" } else { pointer };
    let count = items.len() as u64;
    if let Some(min) = rules.get("minItems").and_then(Value::as_u64) {
        if count < min {
            errors.push(format!("{at}: fewer than {min} items"));
        }
    }
    if let Some(max) = rules.get("maxItems").and_then(Value::as_u64) {
        if count > max {
            errors.push(format!("{at}: more than {max} items"));
        }
    }
    if let Some(item_schema) = rules.get("items") {
        for (index, item) in items.iter().enumerate() {
            validate(item_schema, item, &format!("{pointer}/{index}"), errors);
        }
    }
}

/// Property rules of an object.
fn validate_object(
    rules: &Map<String, Value>,
    object: &Map<String, Value>,
    pointer: &str,
    errors: &mut Vec<String>,
) {
    let at = if pointer.is_empty() { "/" } else { pointer };
    if let Some(required) = rules.get("required").and_then(Value::as_array) {
        for name in required.iter().filter_map(Value::as_str) {
            if !object.contains_key(name) {
                errors.push(format!("{at}: missing required property '{name}'"));
            }
        }
    }
    let properties = rules.get("properties").and_then(Value::as_object);
    for (name, value) in object {
        match properties.and_then(|p| p.get(name)) {
            Some(sub) => validate(sub, value, &format!("{pointer}/{name}"), errors),
            None if rules.get("additionalProperties") == Some(&Value::Bool(false)) => {
                errors.push(format!("{at}: property '{name}' is not allowed"));
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OutputSchema;
    use serde_json::json;

    fn schema() -> OutputSchema {
        OutputSchema::new(
            "reply",
            json!({
                "type": "object",
                "properties": {
                    "text": {"type": "string", "minLength": 1},
                    "score": {"type": "integer", "minimum": 0, "maximum": 10},
                    "tags": {"type": "array", "items": {"enum": ["a", "b"]}, "maxItems": 2}
                },
                "required": ["text"],
                "additionalProperties": false
            }),
        )
        .expect("valid schema")
    }

    #[test]
    fn a_conforming_value_passes() {
        assert_eq!(
            schema().validate(&json!({"text": "hi", "score": 3, "tags": ["a"]})),
            Ok(())
        );
    }

    #[test]
    fn each_broken_rule_is_reported_with_its_pointer() {
        let errors = schema()
            .validate(&json!({"score": 11.5, "tags": ["c", "a", "b"], "extra": true}))
            .expect_err("invalid");
        let joined = errors.join("\n");
        assert!(
            joined.contains("missing required property 'text'"),
            "{joined}"
        );
        assert!(joined.contains("/score: expected type"), "{joined}");
        assert!(joined.contains("/tags: more than 2 items"), "{joined}");
        assert!(joined.contains("/tags/0: value is not one of"), "{joined}");
        assert!(
            joined.contains("property 'extra' is not allowed"),
            "{joined}"
        );
    }

    #[test]
    fn error_messages_do_not_quote_the_invalid_values() {
        let errors = OutputSchema::new(
            "s",
            json!({"type": "object", "properties": {"a": {"type": "integer"}}}),
        )
        .expect("valid")
        .validate(&json!({"a": "secret-value"}))
        .expect_err("invalid");
        assert!(!errors.join(" ").contains("secret-value"));
    }

    #[test]
    fn unsupported_keywords_are_refused_when_the_schema_is_built() {
        let error = OutputSchema::new("s", json!({"type": "string", "pattern": "^a"}))
            .expect_err("refused");
        assert!(error.reason.contains("pattern"), "{error}");
        assert!(OutputSchema::new("bad name", json!({"type": "string"})).is_err());
    }
}
