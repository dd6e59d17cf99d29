//! The async core.
