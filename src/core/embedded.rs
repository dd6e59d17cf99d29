//! The in-process server used when no server URL is configured: one per SDKAppID, shared by
//! every manager of the process, reached through an in-memory duplex stream that speaks the
//! same WebSocket protocol as a real socket.
//!
//! Only with the cargo feature `embedded` (on by default). Without it the library carries no
//! server (no SQLite, no admin API: the build an app ships to phones), and an empty
//! `server_url` is refused with `V2TIM_ERR_NO_EMBEDDED_SERVER`.

use std::path::Path;

#[cfg(feature = "embedded")]
pub(crate) use with_server::{connect, server_for, Handle};

#[cfg(not(feature = "embedded"))]
pub(crate) use without_server::{connect, server_for, Handle};

#[cfg(feature = "embedded")]
mod with_server {
    use std::collections::HashMap;
    use std::sync::Arc;

    use once_cell::sync::Lazy;
    use parking_lot::Mutex;
    use v2tim_proto::codes;
    use v2tim_server::{AppConfig, Server, ServerConfig};

    use super::super::connection::{net_error, ws_config, WsSink, WsStream};
    use super::super::error::{Error, Result};
    use super::super::runtime;
    use super::Path;

    /// The embedded server a manager talks to.
    pub(crate) type Handle = Arc<Server>;

    static SERVERS: Lazy<Mutex<HashMap<u32, Handle>>> = Lazy::new(|| Mutex::new(HashMap::new()));

    /// The embedded server of `sdk_app_id`, started on first use. The first manager to start
    /// it decides its secret key and data directory; later ones share it as it is.
    pub(crate) fn server_for(
        sdk_app_id: u32,
        secret_key: Option<&str>,
        data_dir: Option<&Path>,
    ) -> Result<Handle> {
        let mut servers = SERVERS.lock();
        if let Some(s) = servers.get(&sdk_app_id) {
            return Ok(Arc::clone(s));
        }
        let config = ServerConfig {
            apps: vec![AppConfig {
                sdk_app_id,
                secret_key: secret_key.map(str::to_owned),
                ..AppConfig::default()
            }],
            data_dir: data_dir.map(|d| d.join(format!("embedded-server-{sdk_app_id}"))),
            ..ServerConfig::default()
        };
        let server = Server::open(config).map_err(|e| {
            Error::new(
                codes::ERR_IO_OPERATION_FAILED,
                format!("the embedded server could not start: {e}"),
            )
        })?;
        servers.insert(sdk_app_id, Arc::clone(&server));
        Ok(server)
    }

    /// A new connection to the embedded server: a WebSocket over an in-memory stream.
    pub(crate) async fn connect(server: &Handle) -> Result<(WsSink, WsStream)> {
        use futures_util::StreamExt;
        let (client, server_side) = tokio::io::duplex(256 * 1024);
        runtime::spawn(Arc::clone(server).serve_stream(server_side));
        let (ws, _) = tokio_tungstenite::client_async_with_config(
            "ws://embedded.v2tim/",
            client,
            Some(ws_config()),
        )
        .await
        .map_err(|e| {
            net_error(
                codes::ERR_SDK_NET_CONN_REFUSE,
                "the embedded server refused",
                e,
            )
        })?;
        let (sink, stream) = ws.split();
        Ok((Box::pin(sink), Box::pin(stream)))
    }
}

#[cfg(not(feature = "embedded"))]
mod without_server {
    use v2tim_proto::codes;

    use super::super::connection::{WsSink, WsStream};
    use super::super::error::{Error, Result};
    use super::Path;

    /// No embedded server in this build: there is never a handle to one.
    #[derive(Clone)]
    pub(crate) enum Handle {}

    pub(crate) fn server_for(_: u32, _: Option<&str>, _: Option<&Path>) -> Result<Handle> {
        Err(Error::new(
            codes::V2TIM_ERR_NO_EMBEDDED_SERVER,
            "server_url is NULL or empty, and this build of libv2tim has no embedded server \
             (built without the cargo feature `embedded`): set server_url to a v2tim server",
        ))
    }

    pub(crate) async fn connect(server: &Handle) -> Result<(WsSink, WsStream)> {
        match *server {}
    }
}
