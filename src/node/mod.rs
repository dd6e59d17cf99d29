//! Node-API glue for the npm package `v2tim` (`bindings/node`), compiled into the same
//! library with the `node` feature; Node loads that library as `v2tim.node`.
//!
//! A sibling of [`crate::ffi`] and [`crate::jni`]: it calls the core directly. The native
//! surface is small on purpose: a handle per `chat`, one asynchronous `call` taking the
//! operation's arguments as JSON, message handles for messages not sent yet, and one event
//! function per `chat`. `bindings/node/index.js` builds Tencent's web SDK API
//! (`TencentCloudChat.create`, `chat.revokeMessage`, `EVENT`, `TYPES`, message objects) on top.
//!
//! Rules every entry point follows:
//!
//! - It is a `#[napi(catch_unwind)]` function: a panic becomes a JavaScript exception, never
//!   an unwind into Node.
//! - Asynchronous work answers a Promise that always resolves, with `{"code":0,"data":...}`
//!   or `{"code":N,"message":"..."}` (V2TIM's codes); the JavaScript layer turns the second
//!   into a rejection with `{ code, message }`. Each pending Promise keeps Node's event loop
//!   alive until it settles, as a pending socket read would.
//! - Completions and events come from the SDK event thread (`v2tim-events`) and reach
//!   JavaScript through Node-API thread-safe functions, queued without blocking, so they run
//!   on Node's event loop thread in the order the SDK reported them; nothing blocks that loop.
//! - A chat's events keep the event loop alive only while it is logged in; after
//!   `destroy` the event function is released and no event reaches JavaScript again.

mod calls;
mod chat;
#[cfg(debug_assertions)]
mod debug;
mod events;
mod json;
