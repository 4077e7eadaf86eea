//! Byte layout of the encrypted secrets file: a clear header (authenticated as AEAD associated
//! data) followed by the XChaCha20-Poly1305 ciphertext of the secrets. No plaintext is stored.
//!
//! ```text
//! magic "TDSECRET" | version u8 | memory_kib u32 LE | iterations u32 LE | parallelism u32 LE
//! | salt [16] | verifier [32] | nonce [24] | ciphertext (JSON entries + 16-byte tag)
//! ```

use crate::KdfParams;

/// File signature.
pub(crate) const MAGIC: &[u8; 8] = b"TDSECRET";
/// Current layout version.
pub(crate) const VERSION: u8 = 1;
/// Salt length for argon2id.
pub(crate) const SALT_LEN: usize = 16;
/// Length of the password verifier (the second half of the argon2id output).
pub(crate) const VERIFIER_LEN: usize = 32;
/// XChaCha20-Poly1305 nonce length.
pub(crate) const NONCE_LEN: usize = 24;
/// Length of everything before the ciphertext.
pub(crate) const HEADER_LEN: usize = MAGIC.len() + 1 + 12 + SALT_LEN + VERIFIER_LEN + NONCE_LEN;

/// The clear part of the file.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Header {
    /// Key-derivation cost parameters.
    pub(crate) kdf: KdfParams,
    /// Random argon2id salt, fixed for the life of the file.
    pub(crate) salt: [u8; SALT_LEN],
    /// Derived value that tells a wrong password apart from a damaged file.
    pub(crate) verifier: [u8; VERIFIER_LEN],
    /// Random nonce, new on every write.
    pub(crate) nonce: [u8; NONCE_LEN],
}

impl Header {
    /// Serialises the header; these bytes are also the AEAD associated data.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN);
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.extend_from_slice(&self.kdf.memory_kib.to_le_bytes());
        out.extend_from_slice(&self.kdf.iterations.to_le_bytes());
        out.extend_from_slice(&self.kdf.parallelism.to_le_bytes());
        out.extend_from_slice(&self.salt);
        out.extend_from_slice(&self.verifier);
        out.extend_from_slice(&self.nonce);
        out
    }

    /// Splits a file into its header and ciphertext, or says what is wrong with it.
    pub(crate) fn decode(bytes: &[u8]) -> Result<(Header, &[u8]), String> {
        if bytes.len() < HEADER_LEN + 16 {
            return Err(format!("file is too short ({} bytes)", bytes.len()));
        }
        let (header, ciphertext) = bytes.split_at(HEADER_LEN);
        let mut reader = Reader { bytes: header };
        if reader.take(MAGIC.len()) != MAGIC {
            return Err("not a Tourdesk encrypted secrets file".to_owned());
        }
        let version = reader.take(1)[0];
        if version != VERSION {
            return Err(format!("unsupported file version {version}"));
        }
        let kdf = KdfParams {
            memory_kib: reader.u32(),
            iterations: reader.u32(),
            parallelism: reader.u32(),
        };
        kdf.check()
            .map_err(|reason| format!("implausible key-derivation parameters: {reason}"))?;
        let mut salt = [0u8; SALT_LEN];
        salt.copy_from_slice(reader.take(SALT_LEN));
        let mut verifier = [0u8; VERIFIER_LEN];
        verifier.copy_from_slice(reader.take(VERIFIER_LEN));
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(reader.take(NONCE_LEN));
        Ok((
            Header {
                kdf,
                salt,
                verifier,
                nonce,
            },
            ciphertext,
        ))
    }
}

/// Sequential reader over a header whose length was checked up front.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Takes the next `len` bytes (the caller checked the total length).
    fn take(&mut self, len: usize) -> &'a [u8] {
        let (head, rest) = self.bytes.split_at(len.min(self.bytes.len()));
        self.bytes = rest;
        head
    }

    /// Takes a little-endian u32.
    fn u32(&mut self) -> u32 {
        let mut buf = [0u8; 4];
        let taken = self.take(4);
        buf[..taken.len()].copy_from_slice(taken);
        u32::from_le_bytes(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::{Header, HEADER_LEN, NONCE_LEN, SALT_LEN, VERIFIER_LEN};
    use crate::KdfParams;

    fn header() -> Header {
        Header {
            kdf: KdfParams {
                memory_kib: 1024,
                iterations: 2,
                parallelism: 1,
            },
            salt: [1; SALT_LEN],
            verifier: [2; VERIFIER_LEN],
            nonce: [3; NONCE_LEN],
        }
    }

    #[test]
    fn a_header_survives_encoding_and_decoding() {
        let mut bytes = header().encode();
        assert_eq!(bytes.len(), HEADER_LEN);
        bytes.extend_from_slice(&[9; 20]);
        let (decoded, rest) = Header::decode(&bytes).expect("decodes");
        assert!(decoded == header());
        assert_eq!(rest, &[9; 20]);
    }

    #[test]
    fn a_foreign_file_is_rejected_by_its_magic() {
        let mut bytes = header().encode();
        bytes.extend_from_slice(&[0; 20]);
        bytes[0] = b'X';
        assert!(Header::decode(&bytes).is_err());
    }

    #[test]
    fn absurd_kdf_costs_are_rejected_before_deriving() {
        let mut h = header();
        h.kdf.memory_kib = u32::MAX;
        let mut bytes = h.encode();
        bytes.extend_from_slice(&[0; 20]);
        assert!(Header::decode(&bytes).is_err());
    }
}
