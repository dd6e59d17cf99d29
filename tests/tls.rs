//! wss://: the SDK reaches a server that speaks TLS, trusting a private CA given through
//! SSL_CERT_FILE (as apps with an in-house CA do), and refuses a server it cannot verify.

mod common;

use common::*;
use v2tim::core::{codes, Manager, SdkConfig};

struct Pki {
    _dir: tempfile::TempDir,
    ca: std::path::PathBuf,
    cert: std::path::PathBuf,
    key: std::path::PathBuf,
}

/// A CA and a certificate it signed for `localhost`.
fn pki() -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
    let dir = tempfile::tempdir().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &ca, &ca_key)
        .unwrap();
    let write = |name: &str, pem: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, pem).unwrap();
        p
    };
    Pki {
        ca: write("ca.pem", ca.pem()),
        cert: write("cert.pem", leaf.pem()),
        key: write("key.pem", leaf_key.serialize_pem()),
        _dir: dir,
    }
}

#[test]
fn sdk_chats_over_wss_and_refuses_an_untrusted_server() {
    let pki = pki();
    let srv = LocalServer::start_config(|c| {
        c.tls_cert = Some(pki.cert.clone());
        c.tls_key = Some(pki.key.clone());
    });
    let url = srv.url.replace("ws://127.0.0.1", "wss://localhost");

    // Before the CA is trusted the handshake fails and login reports it.
    let m = Manager::new();
    m.init_sdk(
        APP,
        SdkConfig {
            server_url: Some(url.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    let err = wait(|d| m.login("alice", &sig("alice"), d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_SDK_NET_CONN_REFUSE, "{err}");

    // This test binary runs alone in its process, so setting the variable is safe here.
    std::env::set_var("SSL_CERT_FILE", &pki.ca);
    let alice = login(&url, "alice");
    let bob = login(&url, "bob");
    let inbox = Inbox::attach(&bob);
    send_text(&alice, "bob", "", "over TLS").unwrap();
    assert_eq!(inbox.wait_for(1)[0].text(), "over TLS");

    // A plain ws:// client gets nowhere on the TLS port.
    let plain = Manager::new();
    plain
        .init_sdk(
            APP,
            SdkConfig {
                server_url: Some(srv.url.clone()),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(wait(|d| plain.login("carol", &sig("carol"), d)).is_err());
}
