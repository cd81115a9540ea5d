//! AWS002 — Secrets Manager endpoint without private DNS: SDKs keep resolving the public
//! `secretsmanager.<region>.amazonaws.com`, so traffic still takes the Internet path. In
//! Terraform `private_dns_enabled` defaults to false. Not reported when workloads address the
//! endpoint by its own `vpce-…` DNS name (an `AWS_ENDPOINT_URL*` override in the scan set).

use super::{at, workloads_use_endpoint_dns};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};

pub struct EndpointWithoutPrivateDns;

impl Rule for EndpointWithoutPrivateDns {
    fn id(&self) -> &'static str {
        "AWS002"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        let mut exempt = None;
        for st in inv.aws_states() {
            for ep in st.secrets_manager_endpoints() {
                if ep.private_dns_enabled
                    || *exempt.get_or_insert_with(|| workloads_use_endpoint_dns(inv))
                {
                    continue;
                }
                let how = if ep.origin.is_live() || ep.origin.has("private_dns_enabled") {
                    "has private DNS disabled"
                } else {
                    "does not set `private_dns_enabled = true` (the provider default is false)"
                };
                out.report(
                    at(&ep.origin, "private_dns_enabled", "privateDnsEnabled"),
                    format!("Secrets Manager endpoint {} {how}: SDKs still resolve the public secretsmanager hostname and send secrets over the Internet path", ep.id),
                )
                .identity(ep.origin.identity(&ep.id, "privateDnsEnabled"));
            }
        }
    }
}
