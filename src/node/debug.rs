//! Debug builds only: an entry point that panics on purpose, so the tests can show that no
//! panic reaches Node (release builds do not export it).

use napi::bindgen_prelude::Object;
use napi::Env;
use napi_derive::napi;

use super::calls::Reply;

/// `mode` 0: panics in the entry point (a JavaScript exception); 1: a job on the SDK event
/// thread panics, then the returned Promise resolves from that same thread (it survived).
#[napi(catch_unwind)]
pub fn debug_panic(env: &Env, mode: u32) -> napi::Result<Object<'_>> {
    if mode == 0 {
        panic!("deliberate test panic (entry point)");
    }
    let (reply, promise) = Reply::new(env)?;
    crate::core::post(|| panic!("deliberate test panic (event thread)"));
    crate::core::post(move || reply.send(Ok(serde_json::Value::Null)));
    Ok(promise)
}
