//! AWS networking state (RULES-SPEC §1(g)), filled by `crate::live::aws` from the EC2 API.

/// The VPCs, route tables, subnets, endpoints and security groups read.
#[derive(Debug, Clone, Default)]
pub struct AwsState {}
