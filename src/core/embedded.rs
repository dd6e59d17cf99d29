//! The in-process server used when no server URL is configured: one per SDKAppID, shared by
//! every manager of the process, reached through an in-memory duplex stream that speaks the
//! same WebSocket protocol as a real socket.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use once_cell::sync::Lazy;
use parking_lot::Mutex;
use v2tim_server::{AppConfig, Server, ServerConfig};

use super::error::{Error, Result};
use v2tim_proto::codes;

static SERVERS: Lazy<Mutex<HashMap<u32, Arc<Server>>>> = Lazy::new(|| Mutex::new(HashMap::new()));

/// The embedded server of `sdk_app_id`, started on first use. The first manager to start
/// it decides its secret key and data directory; later ones share it as it is.
pub(crate) fn server_for(
    sdk_app_id: u32,
    secret_key: Option<&str>,
    data_dir: Option<&Path>,
) -> Result<Arc<Server>> {
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
