//! sealant: a linter and compliance scanner for the path between applications and their
//! secret stores (HashiCorp Vault / OpenBao, AWS Secrets Manager) on Kubernetes and AWS.
//!
//! Data flows one way: `source` (find and read inputs) → `syntax` (span-keeping trees) →
//! `model` (typed views, the inventory) → `rules` → `engine` (filters) → `report`.

pub mod cli;
pub mod diagnostic;
pub mod duration;
pub mod engine;
pub mod live;
pub mod location;
pub mod model;
pub mod netpol_cli;
pub mod policy;
#[cfg(feature = "refserver")]
pub mod refserver;
pub mod report;
pub mod rules;
pub mod semantics;
pub mod source;
pub mod syntax;
