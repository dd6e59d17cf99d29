//! UserSig tickets in Tencent's TLSSigAPIv2 format.
//!
//! A ticket is the JSON document `{"TLS.ver":"2.0","TLS.identifier":..,"TLS.sdkappid":..,
//! "TLS.expire":..,"TLS.time":..,"TLS.sig":..}` deflated with zlib and base64-encoded with
//! `+`, `/`, `=` replaced by `*`, `-`, `_`. `TLS.sig` is base64 of HMAC-SHA256, keyed with the
//! SDKAppID's secret key, over
//! `"TLS.identifier:{id}\nTLS.sdkappid:{app}\nTLS.time:{time}\nTLS.expire:{expire}\n"`.

use std::io::{Read, Write};

use base64::{engine::general_purpose::STANDARD, Engine};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Decompressed tickets larger than this are refused (a deflate bomb must not cost memory).
const MAX_DOC_BYTES: u64 = 4096;

/// Why a ticket was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SigError {
    /// Not a well-formed ticket, or the signature does not match (forged).
    Invalid(String),
    /// Well-formed and genuine, but for another user.
    IdentifierMismatch,
    /// Well-formed and genuine, but for another SDKAppID.
    AppMismatch,
    /// Genuine, but past its expiry.
    Expired { expired_at: i64 },
}

/// A verified ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigInfo {
    pub user_id: String,
    pub sdk_app_id: u32,
    pub issued_at: i64,
    /// Seconds since the Unix epoch after which the ticket is refused.
    pub expire_at: i64,
}

fn content(user_id: &str, sdk_app_id: u64, time: i64, expire: i64) -> String {
    format!(
        "TLS.identifier:{user_id}\nTLS.sdkappid:{sdk_app_id}\nTLS.time:{time}\nTLS.expire:{expire}\n"
    )
}

fn mac(key: &str) -> HmacSha256 {
    HmacSha256::new_from_slice(key.as_bytes()).expect("HMAC accepts keys of any length")
}

/// Issues a ticket valid from `now` (seconds since the Unix epoch) for `expire` seconds.
pub fn gen_user_sig_at(sdk_app_id: u32, key: &str, user_id: &str, expire: u32, now: i64) -> String {
    let mut m = mac(key);
    m.update(content(user_id, sdk_app_id.into(), now, expire.into()).as_bytes());
    let sig = STANDARD.encode(m.finalize().into_bytes());
    let doc = serde_json::json!({
        "TLS.ver": "2.0",
        "TLS.identifier": user_id,
        "TLS.sdkappid": sdk_app_id,
        "TLS.expire": expire,
        "TLS.time": now,
        "TLS.sig": sig,
    });
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(doc.to_string().as_bytes())
        .expect("writing to a Vec cannot fail");
    let packed = z.finish().expect("writing to a Vec cannot fail");
    STANDARD
        .encode(packed)
        .replace('+', "*")
        .replace('/', "-")
        .replace('=', "_")
}

/// Issues a ticket valid for `expire` seconds from now.
pub fn gen_user_sig(sdk_app_id: u32, key: &str, user_id: &str, expire: u32) -> String {
    gen_user_sig_at(sdk_app_id, key, user_id, expire, now_secs())
}

/// Checks a ticket for `user_id` of `sdk_app_id` against `key` at time `now`.
pub fn verify_at(
    sig: &str,
    sdk_app_id: u32,
    key: &str,
    user_id: &str,
    now: i64,
) -> Result<SigInfo, SigError> {
    let bad = |why: &str| SigError::Invalid(why.to_string());
    if sig.is_empty() || sig.len() > 8192 {
        return Err(bad("empty or oversized UserSig"));
    }
    let b64 = sig.replace('*', "+").replace('-', "/").replace('_', "=");
    let packed = STANDARD
        .decode(b64)
        .map_err(|_| bad("UserSig is not base64"))?;
    let mut doc = Vec::new();
    flate2::read::ZlibDecoder::new(&packed[..])
        .take(MAX_DOC_BYTES + 1)
        .read_to_end(&mut doc)
        .map_err(|_| bad("UserSig is not zlib data"))?;
    if doc.len() as u64 > MAX_DOC_BYTES {
        return Err(bad("UserSig document too large"));
    }
    let v: serde_json::Value =
        serde_json::from_slice(&doc).map_err(|_| bad("UserSig document is not JSON"))?;
    if v["TLS.ver"].as_str() != Some("2.0") {
        return Err(bad("UserSig version is not 2.0"));
    }
    let ident = v["TLS.identifier"]
        .as_str()
        .ok_or_else(|| bad("UserSig lacks identifier"))?;
    let app = num(&v["TLS.sdkappid"]).ok_or_else(|| bad("UserSig lacks sdkappid"))?;
    let time = num(&v["TLS.time"]).ok_or_else(|| bad("UserSig lacks time"))?;
    let expire = num(&v["TLS.expire"]).ok_or_else(|| bad("UserSig lacks expire"))?;
    let given = v["TLS.sig"]
        .as_str()
        .ok_or_else(|| bad("UserSig lacks signature"))?;
    let given = STANDARD
        .decode(given)
        .map_err(|_| bad("UserSig signature is not base64"))?;
    let (Ok(app_u), Ok(time_i), Ok(expire_i)) = (
        u64::try_from(app),
        i64::try_from(time),
        i64::try_from(expire),
    ) else {
        return Err(bad("UserSig numbers out of range"));
    };
    let mut m = mac(key);
    m.update(content(ident, app_u, time_i, expire_i).as_bytes());
    m.verify_slice(&given)
        .map_err(|_| bad("UserSig signature does not match (forged)"))?;
    if ident != user_id {
        return Err(SigError::IdentifierMismatch);
    }
    if app_u != u64::from(sdk_app_id) {
        return Err(SigError::AppMismatch);
    }
    let expire_at = time_i.saturating_add(expire_i);
    if now >= expire_at {
        return Err(SigError::Expired {
            expired_at: expire_at,
        });
    }
    Ok(SigInfo {
        user_id: ident.to_string(),
        sdk_app_id,
        issued_at: time_i,
        expire_at,
    })
}

/// Checks a ticket at the current time.
pub fn verify(sig: &str, sdk_app_id: u32, key: &str, user_id: &str) -> Result<SigInfo, SigError> {
    verify_at(sig, sdk_app_id, key, user_id, now_secs())
}

/// Numbers are accepted as JSON numbers or decimal strings (other TLSSigAPIv2 ports differ).
fn num(v: &serde_json::Value) -> Option<i128> {
    match v {
        serde_json::Value::Number(n) => n.as_i64().map(i128::from).or(n.as_u64().map(i128::from)),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let s = gen_user_sig_at(1400000001, "key", "alice", 3600, 1_000);
        let info = verify_at(&s, 1400000001, "key", "alice", 1_500).unwrap();
        assert_eq!(info.expire_at, 4_600);
        assert!(!s.contains('+') && !s.contains('/') && !s.contains('='));
    }

    #[test]
    fn refusals() {
        let s = gen_user_sig_at(1, "key", "alice", 10, 1_000);
        assert!(matches!(
            verify_at(&s, 1, "other", "alice", 1_001),
            Err(SigError::Invalid(_))
        ));
        assert_eq!(
            verify_at(&s, 1, "key", "bob", 1_001),
            Err(SigError::IdentifierMismatch)
        );
        assert_eq!(
            verify_at(&s, 2, "key", "alice", 1_001),
            Err(SigError::AppMismatch)
        );
        assert_eq!(
            verify_at(&s, 1, "key", "alice", 1_010),
            Err(SigError::Expired { expired_at: 1_010 })
        );
        for junk in ["", "abc", "eJw_", "****"] {
            assert!(matches!(
                verify_at(junk, 1, "key", "alice", 0),
                Err(SigError::Invalid(_))
            ));
        }
    }

    /// A ticket made by Tencent's reference algorithm (computed here step by step, the way
    /// TLSSigAPIv2 ports do) verifies.
    #[test]
    fn accepts_reference_layout_with_string_numbers() {
        let mut m = mac("k");
        m.update(content("u", 7, 100, 50).as_bytes());
        let sig = STANDARD.encode(m.finalize().into_bytes());
        let doc = format!(
            "{{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"u\",\"TLS.sdkappid\":7,\
             \"TLS.expire\":\"50\",\"TLS.time\":\"100\",\"TLS.sig\":\"{sig}\"}}"
        );
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(doc.as_bytes()).unwrap();
        let t = STANDARD
            .encode(z.finish().unwrap())
            .replace('+', "*")
            .replace('/', "-")
            .replace('=', "_");
        assert!(verify_at(&t, 7, "k", "u", 120).is_ok());
    }
}
