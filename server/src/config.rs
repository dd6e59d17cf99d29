//! Server and per-app settings, and the TOML file that holds them.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::ServerError;
use crate::limits::Limits;

/// Default recall time limit, seconds (V2TIM's default).
pub const DEFAULT_RECALL_TIME_LIMIT_SECS: u32 = 120;
/// Longest recall time limit an app may set: 7 days.
pub const MAX_RECALL_TIME_LIMIT_SECS: u32 = 7 * 24 * 3600;
/// Default for [`ServerConfig::max_devices_per_user`].
pub const DEFAULT_MAX_DEVICES_PER_USER: usize = 10;
/// Default for [`ServerConfig::idle_timeout_secs`]: three of the SDK's 30 s heartbeats.
pub const DEFAULT_IDLE_TIMEOUT_SECS: u64 = 90;
/// Address the binary listens on when neither the config file nor `--listen` names one.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:9000";

/// One SDKAppID the server serves.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AppConfig {
    pub sdk_app_id: u32,
    /// Key UserSigs are checked against. `None` = UserSigs are not checked at all (for the
    /// SDK's embedded mode, tests and demos; never for a server reachable by others).
    pub secret_key: Option<String>,
    /// How long after sending a message may be recalled, seconds; 0 switches recall off.
    pub recall_time_limit_secs: u32,
}

impl Default for AppConfig {
    /// App id 0, no UserSig check, 120 s recall limit. Set `sdk_app_id` to the app's id.
    fn default() -> Self {
        AppConfig {
            sdk_app_id: 0,
            secret_key: None,
            recall_time_limit_secs: DEFAULT_RECALL_TIME_LIMIT_SECS,
        }
    }
}

impl AppConfig {
    /// An app with the default recall limit.
    pub fn new(sdk_app_id: u32, secret_key: Option<String>) -> Self {
        AppConfig {
            sdk_app_id,
            secret_key,
            ..AppConfig::default()
        }
    }
}

/// Everything [`crate::Server::open`] needs.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    pub apps: Vec<AppConfig>,
    /// Directory of the database file `v2tim.db`. `None` = in-memory (lost on exit).
    /// Unused when `database_url` is set.
    pub data_dir: Option<PathBuf>,
    /// A PostgreSQL database (`postgres://USER[:PASSWORD]@HOST:PORT/DB`, libpq's URL
    /// form) instead of SQLite: every node of a cluster names the same one (SPEC §4.1).
    pub database_url: Option<String>,
    /// A NATS server (`nats://HOST:PORT`) that tells the nodes sharing `database_url` when
    /// another committed something. `None`: nodes learn of each other's commits by polling
    /// the database (every 200 ms).
    pub broker_url: Option<String>,
    /// This node's name in the cluster (notices, logs). Default: `node-<pid>-<random>`.
    pub node_id: Option<String>,
    /// Distinct devices a user may have online at once; logging in one more signs out
    /// (`Push::Kicked`) the device that logged in longest ago.
    pub max_devices_per_user: usize,
    /// A logged-in connection from which nothing arrives for this long is closed: the SDK
    /// pings after 30 s of silence, so only a client that is gone without a FIN or RST
    /// (a black hole) reaches it. 0 = never.
    pub idle_timeout_secs: u64,
    /// Address the binary listens on (the library only listens when asked to).
    pub listen: Option<SocketAddr>,
    /// Address of the admin (REST) API's HTTP listener; `None` = no admin API. The binary
    /// binds it; in-process servers call [`crate::Server::listen_admin`].
    pub admin_listen: Option<SocketAddr>,
    /// PEM certificate chain; with `tls_key`, [`crate::Server::listen`] speaks wss://.
    pub tls_cert: Option<PathBuf>,
    /// PEM private key (PKCS#8, PKCS#1 or SEC1) of `tls_cert`.
    pub tls_key: Option<PathBuf>,
    /// Connection caps, rates, deadlines and buffer bounds (the `[limits]` table).
    pub limits: Limits,
}

impl Default for ServerConfig {
    /// No apps, in-memory storage, 10 devices per user, 90 s idle timeout, no listen
    /// address, the default [`Limits`].
    fn default() -> Self {
        ServerConfig {
            apps: Vec::new(),
            data_dir: None,
            database_url: None,
            broker_url: None,
            node_id: None,
            max_devices_per_user: DEFAULT_MAX_DEVICES_PER_USER,
            idle_timeout_secs: DEFAULT_IDLE_TIMEOUT_SECS,
            listen: None,
            admin_listen: None,
            tls_cert: None,
            tls_key: None,
            limits: Limits::default(),
        }
    }
}

impl ServerConfig {
    /// In-memory server for one app without UserSig checks: the SDK's embedded mode.
    pub fn embedded(sdk_app_id: u32) -> Self {
        ServerConfig {
            apps: vec![AppConfig::new(sdk_app_id, None)],
            ..ServerConfig::default()
        }
    }

    /// Refuses settings the server cannot run with.
    pub fn validate(&self) -> Result<(), ServerError> {
        if self.max_devices_per_user == 0 {
            return Err(ServerError::new("max_devices_per_user must be at least 1"));
        }
        self.limits.validate()?;
        if self.broker_url.is_some() && self.database_url.is_none() {
            return Err(ServerError::new(
                "broker_url needs database_url: only nodes sharing a PostgreSQL database form a cluster",
            ));
        }
        if let Some(id) = &self.node_id {
            if id.is_empty() || id.len() > 64 || id.chars().any(|c| c.is_whitespace()) {
                return Err(ServerError::new(
                    "node_id must be 1 to 64 characters without spaces",
                ));
            }
        }
        let mut seen = HashSet::new();
        for app in &self.apps {
            if !seen.insert(app.sdk_app_id) {
                return Err(ServerError::new(format!(
                    "sdk_app_id {} is configured twice",
                    app.sdk_app_id
                )));
            }
            if app.recall_time_limit_secs > MAX_RECALL_TIME_LIMIT_SECS {
                return Err(ServerError::new(format!(
                    "recall_time_limit_secs of app {} is {}, the most is {} (7 days)",
                    app.sdk_app_id, app.recall_time_limit_secs, MAX_RECALL_TIME_LIMIT_SECS
                )));
            }
            if app.secret_key.as_deref() == Some("") {
                return Err(ServerError::new(format!(
                    "secret_key of app {} is empty; omit it to switch UserSig checks off",
                    app.sdk_app_id
                )));
            }
        }
        Ok(())
    }

    pub(crate) fn app(&self, sdk_app_id: u32) -> Option<&AppConfig> {
        self.apps.iter().find(|a| a.sdk_app_id == sdk_app_id)
    }
}

/// Parses `--app` values: `<sdkappid>:<secretkey>`, or `<sdkappid>` alone for an app whose
/// UserSigs are not checked.
pub fn parse_app_arg(s: &str) -> Result<AppConfig, ServerError> {
    let (id, key) = match s.split_once(':') {
        Some((id, key)) => (id, Some(key)),
        None => (s, None),
    };
    let id: u32 = id.trim().parse().map_err(|_| {
        ServerError::new(format!(
            "--app {s:?}: expected <sdkappid>:<secretkey>, sdkappid a number"
        ))
    })?;
    let key = key.filter(|k| !k.is_empty()).map(str::to_string);
    Ok(AppConfig::new(id, key))
}

/// Reads a TOML configuration file (format: see the binary's `--help`).
pub fn load_config(path: &Path) -> Result<ServerConfig, ServerError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ServerError::new(format!("cannot read {}: {e}", path.display())))?;
    let config = parse_config(&text)
        .map_err(|e| ServerError::new(format!("{}: {}", path.display(), e.message())))?;
    Ok(config)
}

/// Parses and validates configuration text.
pub fn parse_config(text: &str) -> Result<ServerConfig, ServerError> {
    let config: ServerConfig =
        toml::from_str(text).map_err(|e| ServerError::new(format!("bad configuration: {e}")))?;
    config.validate()?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_file() {
        let c = parse_config(
            r#"
            listen = "127.0.0.1:0"
            admin_listen = "127.0.0.1:0"
            data_dir = "/tmp/x"
            database_url = "postgres://v2tim@127.0.0.1:5432/v2tim"
            max_devices_per_user = 3
            [limits]
            max_connections_per_ip = 5
            write_timeout_secs = 7
            [[apps]]
            sdk_app_id = 1400000001
            secret_key = "k"
            recall_time_limit_secs = 60
            [[apps]]
            sdk_app_id = 7
            "#,
        )
        .unwrap();
        assert_eq!(c.max_devices_per_user, 3);
        assert_eq!(
            c.database_url.as_deref(),
            Some("postgres://v2tim@127.0.0.1:5432/v2tim")
        );
        assert_eq!(c.limits.max_connections_per_ip, 5);
        assert_eq!(c.limits.write_timeout_secs, 7);
        assert_eq!(c.limits.max_connections, Limits::default().max_connections);
        assert_eq!(
            c.apps[0],
            AppConfig {
                sdk_app_id: 1400000001,
                secret_key: Some("k".into()),
                recall_time_limit_secs: 60
            }
        );
        assert_eq!(c.apps[1], AppConfig::new(7, None));
        assert_eq!(c.listen, Some("127.0.0.1:0".parse().unwrap()));
    }

    #[test]
    fn refuses_bad_files() {
        assert!(parse_config("bogus = 1").is_err());
        assert!(parse_config("[[apps]]\nsdk_app_id = 1\n[[apps]]\nsdk_app_id = 1").is_err());
        assert!(parse_config("[[apps]]\nsdk_app_id = 1\nrecall_time_limit_secs = 604801").is_err());
        assert!(parse_config("max_devices_per_user = 0").is_err());
        assert!(parse_config("[limits]\nlogin_timeout_secs = 0").is_err());
        assert!(parse_config("[limits]\nbogus = 1").is_err());
        assert!(parse_config("").is_ok());
        assert!(parse_config("broker_url = \"nats://127.0.0.1:4222\"").is_err());
        assert!(parse_config("database_url = \"postgres://h/d\"\nnode_id = \"a b\"").is_err());
        assert!(parse_config(
            "database_url = \"postgres://h/d\"\nbroker_url = \"nats://h:4222\"\nnode_id = \"n1\""
        )
        .is_ok());
    }

    #[test]
    fn app_args() {
        assert_eq!(
            parse_app_arg("5:key").unwrap(),
            AppConfig::new(5, Some("key".into()))
        );
        assert_eq!(
            parse_app_arg("5:a:b").unwrap().secret_key.as_deref(),
            Some("a:b")
        );
        assert_eq!(parse_app_arg("5").unwrap(), AppConfig::new(5, None));
        assert_eq!(parse_app_arg("5:").unwrap(), AppConfig::new(5, None));
        assert!(parse_app_arg("x:key").is_err());
    }
}
