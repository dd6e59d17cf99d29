//! TLS for wss:// servers: one client configuration for the process, built on first use.
//!
//! It trusts the system's roots (rustls-native-certs, which also reads `SSL_CERT_FILE` and
//! `SSL_CERT_DIR`) plus the bundled Mozilla roots (webpki-roots: on Android the system store
//! cannot be read that way). TLS 1.3 only, ring's AES-GCM suites and key exchange groups.
//!
//! The SDK builds this itself rather than letting tokio-tungstenite do it per connection:
//! the system roots are read once (again only when `SSL_CERT_FILE` or `SSL_CERT_DIR`
//! changes) instead of at every reconnection, and the crypto provider
//! has no key provider (the SDK never presents a client certificate), so ring's RSA, ECDSA
//! and Ed25519 signing code is not in the library an app ships.

use std::sync::Arc;

use once_cell::sync::Lazy;
use parking_lot::Mutex;
use rustls::crypto::ring::{cipher_suite, kx_group};
use rustls::crypto::{
    CryptoProvider, GetRandomFailed, KeyProvider, SecureRandom, WebPkiSupportedAlgorithms,
};
use rustls::pki_types::PrivateKeyDer;
use rustls::sign::SigningKey;
use rustls::{ClientConfig, RootCertStore, SignatureScheme};
use webpki::ring as algs;

/// Refuses every private key: no client certificates.
#[derive(Debug)]
struct NoClientKeys;

impl KeyProvider for NoClientKeys {
    fn load_private_key(
        &self,
        _key: PrivateKeyDer<'static>,
    ) -> Result<Arc<dyn SigningKey>, rustls::Error> {
        Err(rustls::Error::General(
            "the SDK does not use client certificates".into(),
        ))
    }
}

fn roots() -> RootCertStore {
    let mut roots = RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    if !native.errors.is_empty() {
        tracing::warn!(
            "some system root certificates could not be read: {:?}",
            native.errors
        );
    }
    let (added, ignored) = roots.add_parsable_certificates(native.certs);
    tracing::debug!("{added} system root certificates ({ignored} unusable)");
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    roots
}

/// ring's randomness, as rustls's ring provider has it.
#[derive(Debug)]
struct SystemRandom;

impl SecureRandom for SystemRandom {
    fn fill(&self, buf: &mut [u8]) -> Result<(), GetRandomFailed> {
        use ring::rand::SecureRandom as _;
        ring::rand::SystemRandom::new()
            .fill(buf)
            .map_err(|_| GetRandomFailed)
    }
}

/// What rustls's ring provider verifies server signatures with (its `SUPPORTED_SIG_ALGS`,
/// which it does not export).
static VERIFY: WebPkiSupportedAlgorithms = WebPkiSupportedAlgorithms {
    all: &[
        algs::ECDSA_P256_SHA256,
        algs::ECDSA_P256_SHA384,
        algs::ECDSA_P384_SHA256,
        algs::ECDSA_P384_SHA384,
        algs::ED25519,
        algs::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
        algs::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
        algs::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
        algs::RSA_PKCS1_2048_8192_SHA256,
        algs::RSA_PKCS1_2048_8192_SHA384,
        algs::RSA_PKCS1_2048_8192_SHA512,
        algs::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
        algs::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
        algs::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
    ],
    mapping: &[
        (
            SignatureScheme::ECDSA_NISTP384_SHA384,
            &[algs::ECDSA_P384_SHA384, algs::ECDSA_P256_SHA384],
        ),
        (
            SignatureScheme::ECDSA_NISTP256_SHA256,
            &[algs::ECDSA_P256_SHA256, algs::ECDSA_P384_SHA256],
        ),
        (SignatureScheme::ED25519, &[algs::ED25519]),
        (
            SignatureScheme::RSA_PSS_SHA512,
            &[algs::RSA_PSS_2048_8192_SHA512_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PSS_SHA384,
            &[algs::RSA_PSS_2048_8192_SHA384_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PSS_SHA256,
            &[algs::RSA_PSS_2048_8192_SHA256_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA512,
            &[algs::RSA_PKCS1_2048_8192_SHA512],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA384,
            &[algs::RSA_PKCS1_2048_8192_SHA384],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA256,
            &[algs::RSA_PKCS1_2048_8192_SHA256],
        ),
    ],
};

fn build() -> Result<Arc<ClientConfig>, String> {
    let provider = CryptoProvider {
        // AES-GCM only: TLS_AES_128_GCM_SHA256 is mandatory for every TLS 1.3 server
        // (RFC 8446, 9.1), and without ChaCha20-Poly1305 ring's ChaCha and Poly1305 code
        // (53 KB on x86_64) is not in the library an app ships.
        cipher_suites: vec![
            cipher_suite::TLS13_AES_256_GCM_SHA384,
            cipher_suite::TLS13_AES_128_GCM_SHA256,
        ],
        kx_groups: vec![kx_group::X25519, kx_group::SECP256R1, kx_group::SECP384R1],
        signature_verification_algorithms: VERIFY,
        secure_random: &SystemRandom,
        key_provider: &NoClientKeys,
    };
    let config = ClientConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| format!("TLS is not available: {e}"))?
        .with_root_certificates(roots())
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Where rustls-native-certs looks besides the system's store: a change of either means the
/// roots are read again.
fn root_sources() -> [Option<std::ffi::OsString>; 2] {
    [
        std::env::var_os("SSL_CERT_FILE"),
        std::env::var_os("SSL_CERT_DIR"),
    ]
}

type Built = (
    [Option<std::ffi::OsString>; 2],
    Result<Arc<ClientConfig>, String>,
);

static CONFIG: Lazy<Mutex<Option<Built>>> = Lazy::new(|| Mutex::new(None));

/// The configuration of every wss:// connection; the reason if there can be none.
pub(crate) fn client_config() -> Result<Arc<ClientConfig>, String> {
    let sources = root_sources();
    let mut built = CONFIG.lock();
    match &*built {
        Some((s, config)) if *s == sources => config.clone(),
        _ => {
            let config = build();
            *built = Some((sources, config.clone()));
            config
        }
    }
}
