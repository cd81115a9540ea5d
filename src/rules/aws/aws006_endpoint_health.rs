//! AWS006 — Endpoint not healthy / AZ coverage gaps. Medium: a Secrets Manager endpoint whose
//! `state` is not `available` (pending, failed, rejected…). Low: a subnet of the VPC sits in
//! an Availability Zone where the endpoint has no subnet, so its calls cross AZs and fail
//! with that AZ. On Terraform only the AZ gap is judged, and only when every subnet involved
//! names its `availability_zone` literally.

use super::at;
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};
use std::collections::BTreeSet;

pub struct EndpointHealth;

impl Rule for EndpointHealth {
    fn id(&self) -> &'static str {
        "AWS006"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for st in inv.aws_states() {
            for ep in st.secrets_manager_endpoints() {
                if !ep.available() {
                    out.report(
                        at(&ep.origin, "state", "state"),
                        format!("Secrets Manager endpoint {} is `{}`, not available: clients in the VPC cannot use it", ep.id, ep.state.as_deref().unwrap_or("?")),
                    )
                    .identity(ep.origin.identity(&ep.id, "state"));
                }
                // Every AZ must be known, or a gap cannot be told from an unknown.
                let covered: Option<BTreeSet<&str>> = ep
                    .subnet_ids
                    .iter()
                    .map(|s| st.subnet(s)?.availability_zone.as_deref())
                    .collect();
                let used: Option<BTreeSet<&str>> = st
                    .subnets_of(&ep.vpc_id)
                    .map(|s| s.availability_zone.as_deref())
                    .collect();
                let (Some(covered), Some(used)) = (covered, used) else {
                    continue;
                };
                if ep.refs_unknown || (ep.subnet_ids.is_empty() && !ep.origin.is_live()) {
                    continue;
                }
                let missing: BTreeSet<&str> = used.difference(&covered).copied().collect();
                if !missing.is_empty() {
                    let list: Vec<&str> = missing.into_iter().collect();
                    out.report(
                        at(&ep.origin, "subnet_ids", "subnetIdSet"),
                        format!("Secrets Manager endpoint {} has no subnet in {}, where the VPC has subnets: calls from there cross Availability Zones and fail with the endpoint's AZ", ep.id, list.join(", ")),
                    )
                    .severity(Severity::Low)
                    .identity(ep.origin.identity(&ep.id, "subnetIdSet"));
                }
            }
        }
    }
}
