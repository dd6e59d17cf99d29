//! TLS for the listener (wss://), with rustls on the ring provider.

use std::path::Path;
use std::sync::Arc;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

use crate::error::ServerError;

/// Loads the certificate chain and key; fails at start-up rather than at first connection.
pub(crate) fn acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor, ServerError> {
    let bad = |what: &str, path: &Path, e: &dyn std::fmt::Display| {
        ServerError::new_public(format!("TLS {what} {}: {e}", path.display()))
    };
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| bad("certificate", cert, &e))?
        .collect::<Result<_, _>>()
        .map_err(|e| bad("certificate", cert, &e))?;
    if chain.is_empty() {
        return Err(bad("certificate", cert, &"no certificate in the file"));
    }
    let key_der = PrivateKeyDer::from_pem_file(key).map_err(|e| bad("key", key, &e))?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| bad("setup for", cert, &e))?
    .with_no_client_auth()
    .with_single_cert(chain, key_der)
    .map_err(|e| bad("certificate/key pair", cert, &e))?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}
