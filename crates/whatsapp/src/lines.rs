//! Reading newline-terminated lines with a length bound, so a runaway writer cannot exhaust memory.

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// What one call of [`read_line_bounded`] produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineRead {
    /// A complete line is in the buffer (without the newline).
    Line,
    /// The line was longer than the bound; it was discarded up to its newline.
    TooLong,
    /// End of input (a final unterminated line, if any, is in the buffer).
    Eof,
}

/// Reads one line into `buf` (cleared first), keeping at most `max` bytes of it.
pub async fn read_line_bounded<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<LineRead> {
    buf.clear();
    let mut too_long = false;
    loop {
        let available = reader.fill_buf().await?;
        if available.is_empty() {
            return Ok(if too_long {
                LineRead::TooLong
            } else {
                LineRead::Eof
            });
        }
        let (chunk, found) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..i], Some(i + 1)),
            None => (available, None),
        };
        if !too_long {
            if buf.len() + chunk.len() > max {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        let used = found.unwrap_or(available.len());
        reader.consume(used);
        if found.is_some() {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(if too_long {
                LineRead::TooLong
            } else {
                LineRead::Line
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::BufReader;

    #[tokio::test]
    async fn lines_are_split_and_an_overlong_one_is_dropped_without_losing_the_next() {
        let input: &[u8] = b"one\r\n0123456789\nthree";
        let mut r = BufReader::with_capacity(4, input);
        let mut buf = Vec::new();
        assert_eq!(
            read_line_bounded(&mut r, &mut buf, 5).await.unwrap(),
            LineRead::Line
        );
        assert_eq!(buf, b"one");
        assert_eq!(
            read_line_bounded(&mut r, &mut buf, 5).await.unwrap(),
            LineRead::TooLong
        );
        assert_eq!(
            read_line_bounded(&mut r, &mut buf, 5).await.unwrap(),
            LineRead::Eof
        );
        assert_eq!(buf, b"three");
    }
}
