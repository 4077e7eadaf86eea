//! Text encodings of exports: UTF-8 (with or without BOM) is read as it is; UTF-16 (little or
//! big endian, with a BOM or recognised from its zero bytes) is turned into UTF-8 as it streams.

use std::io::{self, BufRead, Read};

/// The encoding of an export's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// UTF-8, with or without a BOM.
    Utf8,
    /// UTF-16 little endian.
    Utf16Le,
    /// UTF-16 big endian.
    Utf16Be,
}

/// The encoding the first bytes show, and how many BOM bytes to skip.
pub(crate) fn sniff(head: &[u8]) -> (Encoding, usize) {
    match head {
        [0xFF, 0xFE, ..] => (Encoding::Utf16Le, 2),
        [0xFE, 0xFF, ..] => (Encoding::Utf16Be, 2),
        // No BOM: a header starts with an ASCII digit or '[' (or a mark), so one of each first
        // two bytes is zero in UTF-16.
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => (Encoding::Utf16Le, 0),
        [0, a, 0, b, ..] if *a != 0 && *b != 0 => (Encoding::Utf16Be, 0),
        _ => (Encoding::Utf8, 0),
    }
}

/// A `BufRead` that decodes UTF-16 from `inner` into UTF-8 (unpaired surrogates become U+FFFD).
pub(crate) struct Utf16Reader<R> {
    inner: R,
    big_endian: bool,
    out: Vec<u8>,
    pos: usize,
    /// A byte of a code unit split between two reads of `inner`.
    odd: Option<u8>,
    /// A high surrogate waiting for its low half from the next read.
    high: Option<u16>,
    /// Replacement characters written for broken input.
    pub(crate) replaced: usize,
}

impl<R: BufRead> Utf16Reader<R> {
    /// Decodes `inner`, whose BOM (if any) was already consumed.
    pub(crate) fn new(inner: R, encoding: Encoding) -> Utf16Reader<R> {
        Utf16Reader {
            inner,
            big_endian: encoding == Encoding::Utf16Be,
            out: Vec::with_capacity(96 * 1024),
            pos: 0,
            odd: None,
            high: None,
            replaced: 0,
        }
    }

    /// Decodes the next block of `inner` into `out`; false at the end of the input.
    fn refill(&mut self) -> io::Result<bool> {
        self.out.clear();
        self.pos = 0;
        let buf = self.inner.fill_buf()?;
        if buf.is_empty() {
            let dangling = self.odd.take().is_some() | self.high.take().is_some();
            if dangling {
                self.replaced += 1;
                self.out.extend_from_slice("\u{FFFD}".as_bytes());
            }
            return Ok(dangling);
        }
        let len = buf.len();
        let big = self.big_endian;
        let mut units: Vec<u16> = Vec::with_capacity(len / 2 + 2);
        units.extend(self.high.take());
        let mut bytes = buf;
        let joined;
        if let Some(first) = self.odd.take() {
            joined = [first, bytes[0]];
            units.push(unit(big, joined));
            bytes = &bytes[1..];
        }
        let mut pairs = bytes.chunks_exact(2);
        for p in &mut pairs {
            units.push(unit(big, [p[0], p[1]]));
        }
        self.odd = pairs.remainder().first().copied();
        if units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
            self.high = units.pop();
        }
        for c in char::decode_utf16(units) {
            let c = c.unwrap_or_else(|_| {
                self.replaced += 1;
                char::REPLACEMENT_CHARACTER
            });
            let mut tmp = [0u8; 4];
            self.out
                .extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
        }
        self.inner.consume(len);
        Ok(true)
    }
}

/// One UTF-16 code unit from its two bytes.
fn unit(big_endian: bool, b: [u8; 2]) -> u16 {
    if big_endian {
        u16::from_be_bytes(b)
    } else {
        u16::from_le_bytes(b)
    }
}

impl<R: BufRead> Read for Utf16Reader<R> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        let n = {
            let src = self.fill_buf()?;
            let n = src.len().min(dst.len());
            dst[..n].copy_from_slice(&src[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Utf16Reader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos >= self.out.len() {
            if !self.refill()? {
                break;
            }
        }
        Ok(&self.out[self.pos.min(self.out.len())..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.out.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
        for u in units {
            out.extend_from_slice(&if big {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        out
    }

    fn decode(bytes: &[u8], chunk: usize) -> String {
        let (enc, skip) = sniff(bytes);
        assert_ne!(enc, Encoding::Utf8);
        let inner = io::BufReader::with_capacity(chunk, &bytes[skip..]);
        let mut s = String::new();
        Utf16Reader::new(inner, enc)
            .read_to_string(&mut s)
            .expect("utf-8 out");
        s
    }

    #[test]
    fn both_byte_orders_with_and_without_bom_decode_across_any_split() {
        let text = "[05.03.22, 14:20:11] Олег: привет 👋 مرحبا\n";
        for big in [false, true] {
            for bom in [false, true] {
                let bytes = utf16(text, big, bom);
                // Odd chunk sizes split code units and surrogate pairs between reads.
                for chunk in [1, 3, 5, 7, 64] {
                    assert_eq!(
                        decode(&bytes, chunk),
                        text,
                        "big {big} bom {bom} chunk {chunk}"
                    );
                }
            }
        }
    }

    #[test]
    fn utf8_is_not_taken_for_utf16() {
        assert_eq!(sniff(b"13/06/2018, 21:25 - a: b").0, Encoding::Utf8);
        assert_eq!(sniff("\u{FEFF}[1".as_bytes()).0, Encoding::Utf8);
    }

    #[test]
    fn an_unpaired_surrogate_becomes_a_replacement_character() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in [0x0031u16, 0xD83D, 0x0032] {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&bytes, 64), "1\u{FFFD}2");
    }
}
