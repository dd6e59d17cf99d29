//! Many nodes on one PostgreSQL database (SPEC §4.1; docs/SCALING.md §3).
//!
//! The database is the log; the broker (NATS) only wakes nodes up. After each commit a
//! node publishes "app A's log reached position P" on `v2tim.changed.A`; every other node
//! that has not pushed up to P reads the entries after its own position from the database
//! and pushes them to its connections, in order ([`relay::Relay`]). A notice lost, or a
//! broker down or restarting, delays pushes but loses nothing: each node also polls the
//! log (every [`broker::POLL_WITH_BROKER`], or [`broker::POLL_WITHOUT_BROKER`] when there is none), and a
//! node that commits reads whatever came before its own entries first.
//!
//! The broker connection and the poll run on a thread of their own ("v2tim-cluster", with
//! its own tokio runtime), so a server opened outside a runtime works the same.
//!
//! The broker and the poll ([`broker`]) exist with the cargo feature `postgres` (as the
//! PostgreSQL backend, the only one nodes can share); the relay is always there, empty on a
//! server alone.

#[cfg(feature = "postgres")]
pub(crate) mod broker;
pub(crate) mod relay;

#[cfg(feature = "postgres")]
pub(crate) use broker::Cluster;
