//! One HTTP exchange with the provider, with time-outs and bounded retries on 429, 5xx and
//! connection failures (Retry-After in seconds honoured); no retry on other 4xx.

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;

use super::wire::{WireRequest, WireResponse};
use super::OpenAiCompatProvider;
use crate::{LlmError, TokenUsage};

/// What an exchange failed with.
#[derive(Debug)]
pub(crate) enum ExchangeError {
    /// HTTP 400: the caller may retry once without `json_schema`.
    BadRequest,
    /// Anything else, already typed.
    Final(LlmError),
}

/// Attempts and tokens accumulated over the exchanges of one call.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// HTTP attempts made.
    pub(crate) attempts: u32,
    /// Tokens reported by successful replies.
    pub(crate) usage: TokenUsage,
}

/// The outcome of one HTTP attempt.
enum Attempt {
    /// A 2xx reply body.
    Done(String),
    /// Worth another attempt after the wait (at least `retry_after` when given).
    Retry {
        error: LlmError,
        retry_after: Option<Duration>,
    },
    /// Not worth retrying.
    Stop(ExchangeError),
}

impl OpenAiCompatProvider {
    /// Posts `body` until it succeeds, fails for good, or the attempts run out; returns the
    /// reply's non-empty content.
    pub(crate) async fn exchange(
        &self,
        body: &WireRequest<'_>,
        tally: &mut Tally,
    ) -> Result<String, ExchangeError> {
        let policy = &self.config.retry;
        let max_attempts = policy.max_attempts.max(1);
        let mut attempt_in_call = 0;
        let text = loop {
            attempt_in_call += 1;
            tally.attempts += 1;
            match self.attempt(body, tally.attempts).await {
                Attempt::Done(text) => break text,
                Attempt::Stop(error) => return Err(error),
                Attempt::Retry { error, retry_after } => {
                    if attempt_in_call >= max_attempts {
                        return Err(ExchangeError::Final(error));
                    }
                    if retry_after.is_some_and(|wait| wait > policy.max_retry_after) {
                        tracing::warn!(
                            code = error.code(),
                            "llm provider asked to wait longer than allowed; giving up"
                        );
                        return Err(ExchangeError::Final(error));
                    }
                    let delay =
                        policy.delay(attempt_in_call + 1, retry_after, rand::random::<f64>());
                    tracing::warn!(
                        code = error.code(),
                        attempt = attempt_in_call,
                        delay_ms = delay.as_millis() as u64,
                        "llm attempt failed; retrying"
                    );
                    tokio::time::sleep(delay).await;
                }
            }
        };
        let reply: WireResponse = serde_json::from_str(&text).map_err(|e| {
            ExchangeError::Final(LlmError::MalformedOutput {
                detail: format!(
                    "the reply body is not a chat completion ({:?} error at line {} column {})",
                    e.classify(),
                    e.line(),
                    e.column()
                ),
            })
        })?;
        tally.usage.add(reply.token_usage());
        match reply.content() {
            Some(content) => Ok(content.to_owned()),
            None => Err(ExchangeError::Final(LlmError::EmptyOutput)),
        }
    }

    /// One HTTP attempt, classified.
    async fn attempt(&self, body: &WireRequest<'_>, attempts_so_far: u32) -> Attempt {
        let mut request = self.client.post(&self.endpoint).json(body);
        if let Some(key) = &self.config.api_key {
            request = request.bearer_auth(key.expose());
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(error) => return self.transport_failure(&error, attempts_so_far),
        };
        let status = response.status();
        if status.is_success() {
            return match response.text().await {
                Ok(text) => Attempt::Done(text),
                Err(error) => self.transport_failure(&error, attempts_so_far),
            };
        }
        let retry_after = retry_after(response.headers());
        classify_status(status, retry_after, attempts_so_far)
    }

    /// Maps a reqwest failure: connection problems are retried, time-outs are not.
    fn transport_failure(&self, error: &reqwest::Error, attempts: u32) -> Attempt {
        if error.is_connect() {
            return Attempt::Retry {
                error: LlmError::Unreachable {
                    endpoint: self.endpoint_label.clone(),
                    detail: error_chain(error),
                    attempts,
                },
                retry_after: None,
            };
        }
        if error.is_timeout() {
            return Attempt::Stop(ExchangeError::Final(LlmError::Timeout {
                after: self.config.request_timeout,
            }));
        }
        Attempt::Retry {
            error: LlmError::Unreachable {
                endpoint: self.endpoint_label.clone(),
                detail: error_chain(error),
                attempts,
            },
            retry_after: None,
        }
    }
}

/// Maps a non-success HTTP status to retry or stop.
fn classify_status(status: StatusCode, retry_after: Option<Duration>, attempts: u32) -> Attempt {
    let code = status.as_u16();
    match code {
        429 => Attempt::Retry {
            error: LlmError::RateLimited { retry_after, attempts },
            retry_after,
        },
        408 | 500..=599 => Attempt::Retry {
            error: LlmError::ServerError { status: code, attempts },
            retry_after,
        },
        400 => Attempt::Stop(ExchangeError::BadRequest),
        401 | 403 => Attempt::Stop(ExchangeError::Final(LlmError::Unauthorized { status: code })),
        404 => Attempt::Stop(ExchangeError::Final(LlmError::NotConfigured {
            reason: "the provider has no such endpoint or model (HTTP 404); check the base URL and the model".to_owned(),
        })),
        _ => Attempt::Stop(ExchangeError::Final(LlmError::ServerError { status: code, attempts })),
    }
}

/// Reads a Retry-After given in (possibly fractional) seconds; the HTTP-date form is ignored.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let seconds: f64 = text.parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds.min(86_400.0)))
}

/// The causes of a transport error without its URL.
fn error_chain(error: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    // Bounded walk: error chains are short, but never trust that.
    for _ in 0..8 {
        let Some(cause) = source else { break };
        let text = cause.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = cause.source();
    }
    if parts.is_empty() {
        "connection failed".to_owned()
    } else {
        parts.join(": ")
    }
}

#[cfg(test)]
mod tests {
    use super::{classify_status, retry_after, Attempt, ExchangeError};
    use crate::LlmError;
    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
    use reqwest::StatusCode;
    use std::time::Duration;

    #[test]
    fn retry_after_is_read_in_seconds_and_dates_are_ignored() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("2"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(2)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn client_errors_stop_and_server_errors_retry() {
        for code in [401u16, 403, 404, 422] {
            let status = StatusCode::from_u16(code).expect("status");
            assert!(
                matches!(classify_status(status, None, 1), Attempt::Stop(_)),
                "{code}"
            );
        }
        assert!(matches!(
            classify_status(StatusCode::BAD_REQUEST, None, 1),
            Attempt::Stop(ExchangeError::BadRequest)
        ));
        for code in [429u16, 500, 502, 503] {
            let status = StatusCode::from_u16(code).expect("status");
            assert!(
                matches!(classify_status(status, None, 1), Attempt::Retry { .. }),
                "{code}"
            );
        }
        match classify_status(StatusCode::UNAUTHORIZED, None, 1) {
            Attempt::Stop(ExchangeError::Final(LlmError::Unauthorized { status })) => {
                assert_eq!(status, 401)
            }
            _ => panic!("401 must be unauthorized"),
        }
    }
}
