//! AWS001 — Internet-routed VPC without a Secrets Manager interface endpoint: a subnet of the
//! VPC has a default route to an Internet gateway (public) or a NAT gateway (private, egress
//! still reaches the public endpoint) and the VPC has no `available` Interface endpoint for
//! `com.amazonaws.<region>.secretsmanager`, so secret values and signed requests cross the
//! Internet. Egress only through a transit gateway or an ENI is "indirect, unknown" (a note);
//! a VPC with no Internet path and no endpoint gets an info finding (SDK calls fail there).
//! `options: { AWS001: { centralized_endpoint_vpcs: [vpc-…] } }` exempts VPCs served by a
//! centrally shared endpoint (a Route 53 private hosted zone the EC2 API does not show).

use super::{exposure, internet_without_endpoint, listed, vpc_name};
use crate::model::inventory::Inventory;
use crate::model::live::aws::InternetPath;
use crate::rules::{Context, Emitter, Rule, Severity};

pub struct NoSecretsManagerEndpoint;

impl Rule for NoSecretsManagerEndpoint {
    fn id(&self) -> &'static str {
        "AWS001"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        for st in inv.aws_states() {
            for v in &st.vpcs {
                if listed(cx, "AWS001", "centralized_endpoint_vpcs", v) {
                    continue;
                }
                let e = exposure(st, v);
                if e.endpoint.is_some() || e.subnets == 0 {
                    continue;
                }
                let identity = v.origin.identity(&v.id, "secretsmanager-endpoint");
                if internet_without_endpoint(&e) {
                    let via = if e.path == InternetPath::Igw {
                        "an Internet gateway"
                    } else {
                        "a NAT gateway"
                    };
                    let f = out.report(
                        v.origin.at.clone(),
                        format!("{} routes to the Internet through {via} and has no available Secrets Manager interface endpoint: secret values and SigV4-signed requests leave through the public endpoint", vpc_name(v)),
                    );
                    f.identity(identity);
                    if let Some(at) = e.route.and_then(|r| r.at.clone()) {
                        f.related(at, "default route to the Internet");
                    }
                    for ep in st.endpoints_of(&v.id).filter(|x| {
                        crate::model::live::aws::is_secrets_manager_service(&x.service_name)
                    }) {
                        let why = if ep.is_secrets_manager() {
                            format!(
                                "endpoint {} is {}",
                                ep.id,
                                ep.state.as_deref().unwrap_or("not available")
                            )
                        } else {
                            format!("endpoint {} is of type {}, which Secrets Manager does not offer (Interface only)", ep.id, ep.endpoint_type)
                        };
                        f.related(super::at(&ep.origin, "vpc_endpoint_type", "state"), why);
                    }
                } else if e.path == InternetPath::Indirect {
                    out.not_evaluated(
                        v.origin.at.clone(),
                        format!("{} sends its default route through a transit gateway or network interface: whether Secrets Manager traffic reaches the Internet is unknown (indirect)", vpc_name(v)),
                    );
                } else {
                    out.report(
                        v.origin.at.clone(),
                        format!("{} has no Internet path and no Secrets Manager endpoint: no Secrets Manager reachability (SDK calls from it fail)", vpc_name(v)),
                    )
                    .severity(Severity::Info)
                    .identity(identity);
                }
            }
        }
    }
}
