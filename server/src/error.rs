//! The error type of the server's public API (opening storage, reading configuration).
//! Refusals of client requests are not errors of the server: see [`crate::rules::Refusal`].

use std::fmt;

/// Why the server could not start or read its configuration. The message is English and
/// names the file or setting involved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError {
    message: String,
}

impl ServerError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ServerError {
            message: message.into(),
        }
    }

    /// An error with this message (for front ends such as the binary).
    pub fn new_public(message: impl Into<String>) -> Self {
        ServerError::new(message)
    }

    /// The English description.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ServerError {}

impl From<rusqlite::Error> for ServerError {
    fn from(e: rusqlite::Error) -> Self {
        ServerError::new(format!("storage: {e}"))
    }
}
