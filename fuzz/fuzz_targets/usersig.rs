//! UserSig (TLSSigAPIv2) parsing and verification (`proto/src/usersig.rs`): base64 with
//! `*-_`, zlib inflate capped at 4 KiB, the JSON document, the HMAC-SHA256 check.
//!
//! 1. The input (lossy UTF-8, as the server receives a JSON string) is verified against a
//!    fixed key; it must be refused or, if accepted, be for the asked user/app and unexpired.
//! 2. The input is also raw zlib / raw JSON wrapped into a ticket, to reach the JSON and HMAC
//!    checks behind the inflate.
//! 3. A ticket generated from fuzzed (key, user, expire, now) verifies at `now` (when
//!    `expire` > 0) and is refused as expired at `now + expire`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use v2tim_proto::usersig::{gen_user_sig_at, verify_at, SigError};

const APP: u32 = 1400000001;
const KEY: &str = "fuzz-secret-key";
const NOW: i64 = 1_700_000_000;

fn b64url(bytes: &[u8]) -> String {
    let s = base64_std(bytes);
    s.replace('+', "*").replace('/', "-").replace('=', "_")
}

fn base64_std(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if c.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if c.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

fn zlib_stored(payload: &[u8]) -> Vec<u8> {
    // A zlib stream of stored (uncompressed) deflate blocks, so that the fuzzer's bytes reach
    // the JSON parser unchanged.
    let mut out = vec![0x78, 0x01];
    let mut chunks = payload.chunks(65535).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(c) = chunks.next() {
        out.push(u8::from(chunks.peek().is_none()));
        let len = c.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(c);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &x in payload {
        a = (a + x as u32) % 65521;
        b = (b + a) % 65521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

/// Length of the JSON document `gen_user_sig_at` deflates (the signature is 44 characters).
fn doc_len(user: &str, expire: u32, now: i64) -> usize {
    serde_json::json!({
        "TLS.ver": "2.0",
        "TLS.identifier": user,
        "TLS.sdkappid": APP,
        "TLS.expire": expire,
        "TLS.time": now,
        "TLS.sig": "x".repeat(44),
    })
    .to_string()
    .len()
}

fn check_verdict(sig: &str, user: &str) {
    match verify_at(sig, APP, KEY, user, NOW) {
        Ok(info) => {
            assert_eq!(info.user_id, user);
            assert_eq!(info.sdk_app_id, APP);
            assert!(NOW < info.expire_at);
        }
        Err(SigError::Expired { expired_at }) => assert!(NOW >= expired_at),
        Err(_) => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    check_verdict(&text, "alice");
    check_verdict(&text, "administrator");
    check_verdict(&b64url(data), "alice");
    check_verdict(&b64url(&zlib_stored(data)), "alice");

    // Generated tickets: [expire u32][now i40][key_len u8][key][user]
    if data.len() >= 10 {
        let expire = u32::from_le_bytes([data[0], data[1], data[2], data[3]]);
        let mut now_b = [0u8; 8];
        now_b[..5].copy_from_slice(&data[4..9]);
        let now = i64::from_le_bytes(now_b);
        let key_len = (data[9] as usize).min(data.len() - 10);
        let key = String::from_utf8_lossy(&data[10..10 + key_len]);
        let user = String::from_utf8_lossy(&data[10 + key_len..]);
        let sig = gen_user_sig_at(APP, &key, &user, expire, now);
        let got = verify_at(&sig, APP, &key, &user, now);
        let expire_at = now.saturating_add(expire.into());
        if expire > 0 {
            match got {
                Ok(info) => {
                    assert_eq!(info.user_id, *user);
                    assert_eq!(info.expire_at, expire_at);
                    assert_eq!(info.issued_at, now);
                }
                // Over the 8 KiB ticket or 4 KiB document cap: refused, as documented.
                Err(SigError::Invalid(_))
                    if sig.len() > 8192 || doc_len(&user, expire, now) > 4096 => {}
                Err(e) => panic!(
                    "generated sig refused: {e:?} (user {user:?}, expire {expire}, now {now})"
                ),
            }
        } else {
            assert!(got.is_err());
        }
        assert!(matches!(
            verify_at(&sig, APP, &key, &user, expire_at),
            Err(SigError::Expired { .. }) | Err(SigError::Invalid(_))
        ));
        if !key.is_empty() {
            assert!(verify_at(&sig, APP, &format!("{key}x"), &user, now).is_err());
        }
    }
});
