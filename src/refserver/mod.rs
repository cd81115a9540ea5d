//! The in-process reference server: Kubernetes, EC2, Vault and GitHub code-scanning APIs
//! served from one "world" file, for end-to-end tests and `sealant serve-reference`.
pub mod ec2;
