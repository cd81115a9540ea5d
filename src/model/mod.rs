//! Typed views over parsed inputs, and the inventory every rule queries.
pub mod aws_terraform;
pub mod consumers;
pub mod env;
pub mod file;
pub mod helm;
pub mod helm_defaults;
pub mod inventory;
pub mod k8s;
pub mod kv_mounts;
pub mod live;
pub mod live_vault;
pub mod netpol;
pub mod policies;
pub mod policy_sources;
pub mod script;
pub mod vault_hcl;
pub mod vault_roles;
