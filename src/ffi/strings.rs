//! Strings crossing the boundary: checked `const char *` in, owned or borrowed `char *` out.

use std::ffi::{c_char, CStr, CString};

use crate::core::Error;

/// A required string argument: NULL or invalid UTF-8 is `V2TIM_ERR_INVALID_PARAMETERS`.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that outlives `'a`.
pub(crate) unsafe fn arg_str<'a>(p: *const c_char, name: &str) -> Result<&'a str, Error> {
    if p.is_null() {
        return Err(Error::invalid(format!("{name} is NULL")));
    }
    // SAFETY: non-NULL, and the caller guarantees a NUL-terminated string living for 'a.
    let s = unsafe { CStr::from_ptr(p) };
    s.to_str()
        .map_err(|_| Error::invalid(format!("{name} is not valid UTF-8")))
}

/// A required, non-empty id (user, group): as [`arg_str`], and "" is invalid too.
///
/// # Safety
/// As [`arg_str`].
pub(crate) unsafe fn arg_id<'a>(p: *const c_char, name: &str) -> Result<&'a str, Error> {
    // SAFETY: same contract as ours.
    let s = unsafe { arg_str(p, name) }?;
    if s.is_empty() {
        return Err(Error::invalid(format!("{name} is empty")));
    }
    Ok(s)
}

/// An optional string argument: NULL reads as "" (still invalid if not UTF-8).
///
/// # Safety
/// As [`arg_str`].
pub(crate) unsafe fn arg_opt_str<'a>(p: *const c_char, name: &str) -> Result<&'a str, Error> {
    if p.is_null() {
        return Ok("");
    }
    // SAFETY: same contract as ours.
    unsafe { arg_str(p, name) }
}

/// A C string holding `s`. Text from the network could in principle hold a NUL, which a C
/// string cannot: it is cut there rather than refused, since a getter has no error path.
pub(crate) fn cstring_lossy(s: &str) -> CString {
    let bytes = s.as_bytes();
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    CString::new(&bytes[..end]).expect("no NUL before `end`")
}

/// Hands an owned string to the host; it frees it with `v2tim_string_free`.
pub(crate) fn to_owned_c(s: &str) -> *mut c_char {
    cstring_lossy(s).into_raw()
}

/// Frees a string the SDK returned as owned (`char *` results documented "free with
/// v2tim_string_free": `v2tim_gen_user_sig`, `v2tim_get_login_user`, the `_to_json`
/// functions). NULL is a no-op. Never pass a borrowed (`const char *`) string.
/// Thread-safe: may be called from any thread.
#[no_mangle]
pub unsafe extern "C" fn v2tim_string_free(s: *mut c_char) {
    super::guard::call(
        "v2tim_string_free",
        |_| (),
        || {
            if !s.is_null() {
                // SAFETY: the host passes back a pointer we made with `CString::into_raw`, once.
                drop(unsafe { CString::from_raw(s) });
            }
            Ok(())
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args() {
        unsafe {
            assert_eq!(
                arg_str(std::ptr::null(), "x").unwrap_err().desc,
                "x is NULL"
            );
            assert_eq!(arg_str(c"ab".as_ptr(), "x").unwrap(), "ab");
            let bad = c"\xff".as_ptr();
            assert_eq!(arg_str(bad, "x").unwrap_err().desc, "x is not valid UTF-8");
            assert_eq!(arg_id(c"".as_ptr(), "id").unwrap_err().code, 6017);
            assert_eq!(arg_opt_str(std::ptr::null(), "x").unwrap(), "");
        }
        assert_eq!(cstring_lossy("a\0b").as_bytes(), b"a");
    }
}
