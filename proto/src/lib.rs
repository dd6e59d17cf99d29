//! Wire types shared by the v2tim SDK and server.
//!
//! Every frame is one WebSocket text message holding one JSON object. The client sends
//! [`ClientFrame`]s (a request with an `id`); the server answers each with a
//! [`ServerFrame::Res`] carrying the same `id`, and sends [`ServerFrame::Push`] frames on its
//! own. `docs/PROTOCOL.md` describes every frame for implementers of other clients.

pub mod codes;
pub mod frames;
pub mod group;
pub mod limits;
pub mod model;
pub mod quote;
pub mod usersig;

pub use frames::*;
pub use group::*;
pub use model::*;

/// Protocol version sent in `login`; the server refuses a client whose major differs.
pub const PROTOCOL_VERSION: u32 = 2;
