//! Typed views over parsed inputs, and the inventory every rule queries.
pub mod aws_terraform;
pub mod env;
pub mod file;
pub mod helm;
pub mod helm_defaults;
pub mod inventory;
pub mod k8s;
pub mod kv_mounts;
pub mod live;
pub mod policies;
pub mod policy_sources;
pub mod script;
pub mod vault_hcl;
pub mod vault_roles;
