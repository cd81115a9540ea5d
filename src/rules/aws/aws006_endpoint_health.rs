//! AWS006 — Endpoint not healthy / AZ coverage gaps. Medium: a Secrets Manager endpoint whose
//! `state` is not `available` (pending, failed, rejected…). Low: a subnet of the VPC sits in
//! an Availability Zone where the endpoint has no subnet, so its calls cross AZs and fail
//! with that AZ. Live state only (Terraform knows neither state nor the resolved AZs).

use super::at;
use crate::model::inventory::Inventory;
use crate::model::live::aws::AwsSource;
use crate::rules::{Context, Emitter, Rule, Severity};
use std::collections::BTreeSet;

pub struct EndpointHealth;

impl Rule for EndpointHealth {
    fn id(&self) -> &'static str {
        "AWS006"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for st in inv.aws_states().filter(|s| s.source == AwsSource::Live) {
            for ep in st.secrets_manager_endpoints() {
                if !ep.available() {
                    out.report(
                        at(&ep.origin, "state", "state"),
                        format!("Secrets Manager endpoint {} is `{}`, not available: clients in the VPC cannot use it", ep.id, ep.state.as_deref().unwrap_or("?")),
                    )
                    .identity(ep.origin.identity(&ep.id, "state"));
                }
                let covered: BTreeSet<&str> = ep
                    .subnet_ids
                    .iter()
                    .filter_map(|s| st.subnet(s)?.availability_zone.as_deref())
                    .collect();
                let missing: BTreeSet<&str> = st
                    .subnets_of(&ep.vpc_id)
                    .filter_map(|s| s.availability_zone.as_deref())
                    .filter(|az| !covered.contains(az))
                    .collect();
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
