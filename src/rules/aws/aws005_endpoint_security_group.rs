//! AWS005 — Endpoint security group too open or unusable. Medium: an ingress permission of a
//! Secrets Manager endpoint's security group admits tcp/443 (or all protocols) from
//! `0.0.0.0/0` or `::/0`. Low: no ingress permission of its groups admits 443 at all — the
//! endpoint is unusable and teams fall back to the Internet path. Sources restricted to CIDRs,
//! prefix lists or security groups are fine.

use super::at;
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};
use std::collections::HashSet;

pub struct EndpointSecurityGroup;

impl Rule for EndpointSecurityGroup {
    fn id(&self) -> &'static str {
        "AWS005"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for st in inv.aws_states() {
            let mut reported = HashSet::new();
            for ep in st.secrets_manager_endpoints() {
                let groups_at = at(&ep.origin, "security_group_ids", "groupSet");
                if ep.group_ids.is_empty() {
                    if !ep.origin.is_live() {
                        out.not_evaluated(groups_at, format!("Secrets Manager endpoint {} names no security groups: the VPC's default group applies, whose rules are not in the scan set", ep.id));
                    }
                    continue;
                }
                let mut usable = false;
                let mut unknown = ep.refs_unknown;
                for gid in &ep.group_ids {
                    let Some(sg) = st.security_group(gid) else {
                        unknown = true;
                        continue;
                    };
                    for (i, p) in sg.ingress.iter().enumerate() {
                        if !p.allows_tcp_443() || !p.has_source() {
                            continue;
                        }
                        usable = true;
                        for (cidr, loc) in p.open_sources() {
                            if reported.insert((sg.id.clone(), i, cidr.clone())) {
                                out.report(
                                    loc.clone(),
                                    format!("security group {} of Secrets Manager endpoint {} admits {} from {cidr}: anyone who can reach the VPC's addresses can talk to the endpoint", sg.id, ep.id, if p.protocol == "-1" || p.protocol.eq_ignore_ascii_case("all") { "all traffic" } else { "tcp/443" }),
                                )
                                .identity(format!("{}.ingress[{i}].{cidr}", sg.origin.identity(&sg.id, "ipPermissions")))
                                .related(groups_at.clone(), format!("endpoint {} uses this group", ep.id));
                            }
                        }
                    }
                }
                if !usable && unknown {
                    out.not_evaluated(groups_at, format!("some security groups of Secrets Manager endpoint {} are not in the scan set", ep.id));
                } else if !usable {
                    out.report(
                        groups_at,
                        format!("no security group of Secrets Manager endpoint {} admits tcp/443: the endpoint is unusable and clients fall back to the public Secrets Manager endpoint", ep.id),
                    )
                    .severity(Severity::Low)
                    .identity(ep.origin.identity(&ep.id, "groupSet"));
                }
            }
        }
    }
}
