//! The error every core call reports: a V2TIM code and an English description.

use v2tim_proto::codes;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub code: i32,
    pub desc: String,
}

impl Error {
    pub fn new(code: i32, desc: impl Into<String>) -> Self {
        Error {
            code,
            desc: desc.into(),
        }
    }

    pub fn invalid(desc: impl Into<String>) -> Self {
        Error::new(codes::ERR_INVALID_PARAMETERS, desc)
    }

    pub fn not_initialized() -> Self {
        Error::new(
            codes::ERR_SDK_NOT_INITIALIZED,
            "the SDK is not initialized: call init_sdk first",
        )
    }

    pub fn not_logged_in() -> Self {
        Error::new(
            codes::ERR_SDK_NOT_LOGGED_IN,
            "not logged in: call login first",
        )
    }

    pub fn shutdown() -> Self {
        Error::new(
            codes::V2TIM_ERR_SHUTDOWN,
            "the SDK was shut down before the request finished",
        )
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.desc, self.code)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
