//! The bounds that keep clients without credentials (and clients that do not read) from
//! exhausting the server: connection counts, rates, deadlines and buffer sizes. They are
//! the `[limits]` table of the config file; every field has a default fit for one machine
//! serving phones, and `docs/RELIABILITY.md` lists the attack each one stops.

use std::time::Duration;

use serde::Deserialize;

use crate::error::ServerError;

/// Descriptors kept free for storage (SQLite's database, WAL, shared-memory and temporary
/// files), the listeners, logs and the runtime, whatever clients do.
pub const DEFAULT_FD_RESERVE: u64 = 64;

/// Every limit of the server. The config file's `[limits]` table; absent keys take the
/// defaults of [`Limits::default`].
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Open client connections (logged in or not). Lowered at start to the process's
    /// descriptor limit minus `fd_reserve` and the admin API's connections. Default 100,000.
    pub max_connections: usize,
    /// Open client connections from one source address (IPv6: one /64). Default 1,000.
    /// Phones behind one carrier NAT share an address: raise it for such networks.
    pub max_connections_per_ip: usize,
    /// Open client connections that have not logged in yet. Default 10,000.
    pub max_unauthenticated: usize,
    /// Descriptors never given to clients (see [`DEFAULT_FD_RESERVE`]). Default 64.
    pub fd_reserve: u64,
    /// New connections per second from one source address, with bursts of twice that.
    /// Connections over the rate are closed at once. Default 100.
    pub connections_per_ip_per_sec: u32,
    /// Failed logins per minute from one source address (bursts of as many); past it,
    /// logins from that address are refused with 7008 and their connection closed,
    /// without checking the UserSig. Default 30.
    pub failed_logins_per_ip_per_min: u32,
    /// Time from accepting a connection to an answered login: TLS and WebSocket
    /// handshakes plus the login request. Past it, the connection is closed. Default 10 s.
    pub login_timeout_secs: u64,
    /// Bytes a connection may send before it is logged in: the WebSocket handshake and the
    /// login frame (a few hundred bytes each). More closes the connection. Default 16 KiB.
    pub prelogin_max_bytes: usize,
    /// A write to a client's socket that makes no progress for this long ends the
    /// connection: the client does not read. Default 30 s.
    pub write_timeout_secs: u64,
    /// Frames queued for one connection and not yet written. Past it (or past
    /// `max_queued_bytes_per_conn`) the connection is closed; the device catches up by
    /// sync when it reconnects. Default 8,192.
    pub max_queued_frames_per_conn: usize,
    /// Bytes queued for one connection and not yet written. Default 4 MiB.
    pub max_queued_bytes_per_conn: usize,
    /// Bytes queued for all connections together. When a frame would take the total past
    /// it, the connection with the most bytes queued (the slowest reader) is closed.
    /// Default 512 MiB.
    pub max_queued_bytes_total: usize,
    /// Open connections to the admin API; more are closed at once. They count against
    /// the descriptor limit, not against `max_connections`. Default 64.
    pub admin_max_connections: usize,
    /// An admin request's head must arrive within this. Default 10 s.
    pub admin_header_timeout_secs: u64,
    /// An admin request's body must arrive within this after its head. Default 10 s.
    pub admin_body_timeout_secs: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 100_000,
            max_connections_per_ip: 1_000,
            max_unauthenticated: 10_000,
            fd_reserve: DEFAULT_FD_RESERVE,
            connections_per_ip_per_sec: 100,
            failed_logins_per_ip_per_min: 30,
            login_timeout_secs: 10,
            prelogin_max_bytes: 16 * 1024,
            write_timeout_secs: 30,
            max_queued_frames_per_conn: 8_192,
            max_queued_bytes_per_conn: 4 << 20,
            max_queued_bytes_total: 512 << 20,
            admin_max_connections: 64,
            admin_header_timeout_secs: 10,
            admin_body_timeout_secs: 10,
        }
    }
}

impl Limits {
    /// No limit is allowed to be zero: a zero would refuse everything or close at once.
    pub(crate) fn validate(&self) -> Result<(), ServerError> {
        let fields: [(&str, u64); 14] = [
            ("max_connections", self.max_connections as u64),
            ("max_connections_per_ip", self.max_connections_per_ip as u64),
            ("max_unauthenticated", self.max_unauthenticated as u64),
            (
                "connections_per_ip_per_sec",
                self.connections_per_ip_per_sec.into(),
            ),
            (
                "failed_logins_per_ip_per_min",
                self.failed_logins_per_ip_per_min.into(),
            ),
            ("login_timeout_secs", self.login_timeout_secs),
            ("prelogin_max_bytes", self.prelogin_max_bytes as u64),
            ("write_timeout_secs", self.write_timeout_secs),
            (
                "max_queued_frames_per_conn",
                self.max_queued_frames_per_conn as u64,
            ),
            (
                "max_queued_bytes_per_conn",
                self.max_queued_bytes_per_conn as u64,
            ),
            ("max_queued_bytes_total", self.max_queued_bytes_total as u64),
            ("admin_max_connections", self.admin_max_connections as u64),
            ("admin_header_timeout_secs", self.admin_header_timeout_secs),
            ("admin_body_timeout_secs", self.admin_body_timeout_secs),
        ];
        match fields.iter().find(|(_, v)| *v == 0) {
            Some((name, _)) => Err(ServerError::new(format!(
                "limits.{name} must be at least 1"
            ))),
            None => Ok(()),
        }
    }

    pub(crate) fn login_timeout(&self) -> Duration {
        Duration::from_secs(self.login_timeout_secs)
    }

    pub(crate) fn write_timeout(&self) -> Duration {
        Duration::from_secs(self.write_timeout_secs)
    }
}

/// The process's open-file limits after [`raise_fd_limit`]: (soft, hard).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FdLimits {
    pub soft: u64,
    pub hard: u64,
}

/// Raises the soft open-file limit to the hard one (the most an unprivileged process may
/// have) and logs both; the binary does this at start. Answers the limits now in force,
/// `None` where the platform has no such limit.
pub fn raise_fd_limit() -> Option<FdLimits> {
    let before = current_fd_limits()?;
    #[cfg(unix)]
    if before.soft < before.hard {
        let raised = libc::rlimit {
            rlim_cur: before.hard as libc::rlim_t,
            rlim_max: before.hard as libc::rlim_t,
        };
        // SAFETY: setrlimit only reads the struct passed. macOS refuses soft limits above
        // OPEN_MAX when the hard limit is infinite; the limit then stays where it was.
        unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) };
    }
    let now = current_fd_limits()?;
    tracing::info!(
        soft_at_start = before.soft,
        soft = now.soft,
        hard = now.hard,
        "open-file limit"
    );
    Some(now)
}

/// The process's open-file limits, `None` where the platform has none.
pub fn current_fd_limits() -> Option<FdLimits> {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit only writes the struct passed.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
            return None;
        }
        // rlim_t is u64 on the platforms built here, but not everywhere.
        #[allow(clippy::unnecessary_cast)]
        Some(FdLimits {
            soft: lim.rlim_cur as u64,
            hard: lim.rlim_max as u64,
        })
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The connection cap actually used: `max_connections`, lowered so that clients, admin
/// connections and the reserve fit in `fd` descriptors.
pub(crate) fn effective_max_connections(limits: &Limits, fd: Option<FdLimits>) -> usize {
    let Some(fd) = fd else {
        return limits.max_connections;
    };
    let room = fd
        .soft
        .saturating_sub(limits.fd_reserve)
        .saturating_sub(limits.admin_max_connections as u64);
    usize::try_from(room)
        .unwrap_or(usize::MAX)
        .min(limits.max_connections)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_leaves_the_reserve_free() {
        let l = Limits::default();
        let fd = FdLimits {
            soft: 1024,
            hard: 4096,
        };
        assert_eq!(effective_max_connections(&l, Some(fd)), 1024 - 64 - 64);
        assert_eq!(effective_max_connections(&l, None), 100_000);
        let big = FdLimits {
            soft: 1 << 20,
            hard: 1 << 20,
        };
        assert_eq!(effective_max_connections(&l, Some(big)), 100_000);
    }

    #[test]
    fn zero_limits_are_refused() {
        assert!(Limits::default().validate().is_ok());
        let l = Limits {
            write_timeout_secs: 0,
            ..Limits::default()
        };
        assert!(l
            .validate()
            .unwrap_err()
            .to_string()
            .contains("write_timeout_secs"));
    }
}
