//! Span-keeping syntax trees for every input format.
pub mod hcl;
pub mod hcl1;
pub mod mapping;
pub mod template;
pub mod yaml;
