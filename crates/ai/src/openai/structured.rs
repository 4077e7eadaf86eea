//! Structured output: how JSON is requested, how a reply is parsed and checked, and the repair turn.

use serde_json::{json, Value};

use crate::{ChatMessage, LlmError, OutputSchema};

/// The wire-level way of asking for JSON in one exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonRequest {
    /// `response_format: {type: json_schema, …}`.
    Schema,
    /// `response_format: {type: json_object}` plus the schema in a system message.
    Object,
}

/// The `response_format` value for a request.
pub(crate) fn response_format(schema: &OutputSchema, how: JsonRequest) -> Value {
    match how {
        JsonRequest::Schema => json!({
            "type": "json_schema",
            "json_schema": {"name": schema.name(), "schema": schema.schema(), "strict": false}
        }),
        JsonRequest::Object => json!({"type": "json_object"}),
    }
}

/// The system message that spells the schema out when the provider cannot enforce it.
pub(crate) fn schema_instruction(schema: &OutputSchema) -> ChatMessage {
    ChatMessage::system(format!(
        "Reply with one JSON object and nothing else (no prose, no code fences). \
         It must conform to this JSON Schema:\n{}",
        schema.schema()
    ))
}

/// Why a structured reply was refused.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Invalid {
    /// Not JSON at all; the detail is a position, never content.
    Malformed(String),
    /// JSON, but not what the schema wants.
    Mismatch(Vec<String>),
}

impl Invalid {
    /// The typed error when no repair is left.
    pub(crate) fn into_error(self) -> LlmError {
        match self {
            Invalid::Malformed(detail) => LlmError::MalformedOutput { detail },
            Invalid::Mismatch(errors) => LlmError::SchemaMismatch { errors },
        }
    }

    /// A short label for logs.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Invalid::Malformed(_) => "malformed_output",
            Invalid::Mismatch(_) => "schema_mismatch",
        }
    }

    /// The problems as lines for the repair prompt.
    fn describe(&self) -> String {
        match self {
            Invalid::Malformed(detail) => format!("- it is not valid JSON ({detail})"),
            Invalid::Mismatch(errors) => errors
                .iter()
                .map(|e| format!("- {e}"))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// Parses the content as JSON (tolerating a Markdown code fence) and validates it.
pub(crate) fn parse_and_validate(content: &str, schema: &OutputSchema) -> Result<Value, Invalid> {
    let body = strip_code_fence(content);
    let value: Value = serde_json::from_str(body).map_err(|e| {
        Invalid::Malformed(format!(
            "{:?} error at line {} column {}",
            e.classify(),
            e.line(),
            e.column()
        ))
    })?;
    schema.validate(&value).map_err(Invalid::Mismatch)?;
    Ok(value)
}

/// Removes a surrounding ```json … ``` fence that some models add despite instructions.
fn strip_code_fence(content: &str) -> &str {
    let trimmed = content.trim();
    let Some(rest) = trimmed.strip_prefix("```") else {
        return trimmed;
    };
    let rest = rest
        .strip_prefix("json")
        .or_else(|| rest.strip_prefix("JSON"))
        .unwrap_or(rest);
    rest.strip_suffix("```").unwrap_or(rest).trim()
}

/// The two extra messages of the repair turn: the invalid output and what is wrong with it.
pub(crate) fn repair_messages(
    invalid_output: &str,
    problem: &Invalid,
    schema: &OutputSchema,
) -> [ChatMessage; 2] {
    [
        ChatMessage::assistant(invalid_output),
        ChatMessage::user(format!(
            "Your previous reply cannot be accepted:\n{}\n\
             Send the corrected reply: one JSON object conforming to this JSON Schema, nothing else.\n{}",
            problem.describe(),
            schema.schema()
        )),
    ]
}

#[cfg(test)]
mod tests {
    use super::{parse_and_validate, Invalid};
    use crate::OutputSchema;
    use serde_json::json;

    fn schema() -> OutputSchema {
        OutputSchema::new("t", json!({"type": "object", "required": ["a"]})).expect("schema")
    }

    #[test]
    fn a_fenced_json_reply_is_accepted() {
        let value = parse_and_validate("```json\n{\"a\": 1}\n```", &schema()).expect("valid");
        assert_eq!(value, json!({"a": 1}));
    }

    #[test]
    fn prose_is_malformed_and_a_missing_field_is_a_mismatch() {
        assert!(matches!(
            parse_and_validate("Sure! Here it is", &schema()),
            Err(Invalid::Malformed(_))
        ));
        assert!(matches!(
            parse_and_validate("{\"b\": 1}", &schema()),
            Err(Invalid::Mismatch(_))
        ));
    }
}
