//! Inputs: discovering files, reading them safely, and telling what kind of input each is.
pub mod classify;
pub mod discover;
pub mod paths;
pub mod read;
