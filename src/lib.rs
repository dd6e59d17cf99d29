//! v2tim: a chat SDK with message recall, exposing a V2TIM-shaped C ABI.
//!
//! Layers, one direction of dependency: [`ffi`] (C ABI only) -> [`core`] (async core) ->
//! `v2tim_proto` (wire types) <- `v2tim_server`.

pub mod core;
pub mod ffi;
#[cfg(feature = "jni")]
pub mod jni;
// Not in the crate's unit-test build: napi-rs registers nothing under cfg(test), so all of
// it would be dead code there. tests/node.rs tests it from Node.
#[cfg(all(feature = "node", not(test)))]
pub mod node;
