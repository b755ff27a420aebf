//! Encryption at rest of petitioners' personal data: ChaCha20-Poly1305 with a 32-byte key from
//! the configuration, a random 96-bit nonce per write, and the case id as associated data (a
//! blob copied onto another case does not open). Sealed layout: `1 ‖ nonce(12) ‖ ciphertext+tag`.

use crate::AppError;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use luoshi_domain::ids::PetitionId;
use luoshi_domain::petition::{PersonalData, Petitioner};
use serde_json::{Value, json};

const FORMAT: u8 = 1;

/// The key that seals personal data. Its `Debug` never shows the key.
#[derive(Clone)]
pub struct PetitionKey([u8; 32]);

impl std::fmt::Debug for PetitionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PetitionKey(..)")
    }
}

fn bad_key(message: &str) -> AppError {
    AppError::invalid("petition_key", "invalid_key", message)
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn base64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.trim_end_matches('=').bytes() {
        acc = (acc << 6) | u32::from(base64_value(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

impl PetitionKey {
    /// A key written as 64 hex digits or as base64 (standard or URL-safe) of 32 bytes;
    /// surrounding whitespace is ignored.
    pub fn parse(text: &str) -> Result<Self, AppError> {
        let t = text.trim();
        let bytes = if t.len() == 64 && t.bytes().all(|c| hex_value(c).is_some()) {
            t.as_bytes()
                .chunks(2)
                .map(|p| Some(hex_value(p[0])? * 16 + hex_value(p[1])?))
                .collect::<Option<Vec<u8>>>()
        } else {
            decode_base64(t)
        };
        let bytes = bytes.ok_or_else(|| bad_key("the key is neither hex nor base64"))?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| bad_key("the petition key must be 32 bytes"))?;
        Ok(Self(key))
    }

    /// A new random key.
    pub fn generate() -> Result<Self, AppError> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| AppError::Internal(format!("random key: {e}")))?;
        Ok(Self(key))
    }

    /// The key as 64 hex digits (for writing a key file).
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Seal `data` for case `id`.
    pub fn seal(&self, id: PetitionId, data: &PersonalData) -> Result<Vec<u8>, AppError> {
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).map_err(|e| AppError::Internal(format!("nonce: {e}")))?;
        let plain = to_json(data).to_string();
        let cipher = ChaCha20Poly1305::new(&self.0.into());
        let aad = id.as_uuid();
        let sealed = cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| AppError::Internal("sealing personal data failed".into()))?;
        let mut out = Vec::with_capacity(1 + 12 + sealed.len());
        out.push(FORMAT);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Open what [`PetitionKey::seal`] wrote for case `id`. A wrong key, another case's blob or a
    /// changed byte is refused.
    pub fn open(&self, id: PetitionId, sealed: &[u8]) -> Result<PersonalData, AppError> {
        let refused = || AppError::Internal(format!("personal data of case {id} do not open"));
        let (format, rest) = sealed.split_first().ok_or_else(refused)?;
        if *format != FORMAT || rest.len() < 12 {
            return Err(refused());
        }
        let (nonce, body) = rest.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| refused())?;
        let cipher = ChaCha20Poly1305::new(&self.0.into());
        let aad = id.as_uuid();
        let plain = cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: body,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| refused())?;
        let v: Value = serde_json::from_slice(&plain).map_err(|_| refused())?;
        from_json(&v).ok_or_else(refused)
    }
}

fn to_json(d: &PersonalData) -> Value {
    Value::Array(
        d.petitioners
            .iter()
            .map(|p| {
                json!({"name": p.name, "id_number": p.id_number, "phone": p.phone, "address": p.address})
            })
            .collect(),
    )
}

fn from_json(v: &Value) -> Option<PersonalData> {
    let text = |p: &Value, k: &str| p.get(k).and_then(Value::as_str).map(str::to_owned);
    let petitioners = v
        .as_array()?
        .iter()
        .map(|p| {
            Some(Petitioner {
                name: text(p, "name")?,
                id_number: text(p, "id_number"),
                phone: text(p, "phone"),
                address: text(p, "address").unwrap_or_default(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(PersonalData { petitioners })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use uuid::Uuid;

    fn data() -> PersonalData {
        PersonalData {
            petitioners: vec![Petitioner {
                name: "李四".into(),
                id_number: Some("11010519491231002X".into()),
                phone: Some("13912345678".into()),
                address: "中滩镇东街3号".into(),
            }],
        }
    }

    #[test]
    fn keys_parse_from_hex_and_base64_of_32_bytes_only() {
        let hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
        // The same 32 bytes in base64 (standard alphabet, padded).
        let b64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
        let k1 = PetitionKey::parse(hex).unwrap();
        let k2 = PetitionKey::parse(&format!("  {b64}\n")).unwrap();
        assert_eq!(k1.0, k2.0);
        assert_eq!(k1.0[31], 0x1f);
        assert_eq!(k1.to_hex(), hex);
        for bad in ["", "abc", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd", "zz!"] {
            let e = PetitionKey::parse(bad).unwrap_err();
            assert_eq!(e.field(), Some("petition_key"), "{bad}");
        }
        assert_eq!(format!("{k1:?}"), "PetitionKey(..)");
    }

    #[test]
    fn sealed_data_open_only_with_the_same_key_and_case() {
        let key = PetitionKey::parse(&"ab".repeat(32)).unwrap();
        let (a, b) = (
            PetitionId::from_uuid(Uuid::from_u128(1)),
            PetitionId::from_uuid(Uuid::from_u128(2)),
        );
        let s1 = key.seal(a, &data()).unwrap();
        let s2 = key.seal(a, &data()).unwrap();
        assert_ne!(s1, s2, "a fresh nonce per write");
        assert_eq!(key.open(a, &s1).unwrap(), data());
        let text = String::from_utf8_lossy(&s1);
        for secret in ["李四", "11010519491231002X", "13912345678", "中滩镇"] {
            assert!(!text.contains(secret), "{secret} in the clear");
        }
        assert!(key.open(b, &s1).is_err(), "another case's id");
        let other = PetitionKey::parse(&"cd".repeat(32)).unwrap();
        assert!(other.open(a, &s1).is_err(), "another key");
        let mut tampered = s1.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(key.open(a, &tampered).is_err(), "a changed byte");
        assert!(key.open(a, &[]).is_err());
    }
}
