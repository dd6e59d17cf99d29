//! The C ABI (`include/v2tim.h`, generated from this module by `build.rs` with cbindgen).
//!
//! Rules every entry point follows (they are restated in the header):
//!
//! - Every `extern "C"` function runs its body inside the one panic boundary in [`guard`]:
//!   a panic becomes `V2TIM_ERR_PANIC`, never an unwind across the boundary.
//! - Arguments are checked here (NULL, UTF-8, empty ids) before the core sees them. A
//!   function with a callback struct reports such errors through its `on_error`, posted to the
//!   SDK event thread like every other callback; a function returning `int32_t` returns the
//!   code; a function returning a pointer returns NULL. All of them also set the calling
//!   thread's last error ([`error`]).
//! - Handles are freed the way they were made: `V2TIMManager` is a `Box`, `V2TIMMessage` an
//!   `Arc` (retain/release), lists and user infos are only lent to callbacks.
//!
//! Every function is `unsafe`: the host promises that each pointer it passes is NULL or valid
//! for the documented use. The per-function contract is the doc comment, which is what the
//! C header shows; a separate `# Safety` section would only repeat it.

#![allow(clippy::missing_safety_doc)]

pub mod callbacks;
pub mod codes;
pub mod conversation;
pub mod enums;
pub mod error;
pub mod group;
pub mod group_info;
mod guard;
pub mod history;
pub mod list;
pub mod listeners;
pub mod manager;
pub mod message;
pub mod offline_push;
pub mod revoke;
pub mod strings;
pub mod user_info;

pub use callbacks::*;
pub use codes::*;
pub use conversation::*;
pub use enums::*;
pub use error::*;
pub use group::*;
pub use group_info::*;
pub use history::*;
pub use list::*;
pub use listeners::*;
pub use manager::*;
pub use message::*;
pub use revoke::*;
pub use strings::*;
pub use user_info::*;
