//! v2tim: a chat SDK with message recall, exposing a V2TIM-shaped C ABI.
//!
//! Layers, one direction of dependency: [`ffi`] (C ABI only) -> [`core`] (async core) ->
//! `v2tim_proto` (wire types) <- `v2tim_server`.

pub mod core;
pub mod ffi;
#[cfg(feature = "jni")]
pub mod jni;
