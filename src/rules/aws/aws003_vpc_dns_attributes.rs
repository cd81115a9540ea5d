//! AWS003 — VPC DNS attributes block private DNS: a Secrets Manager endpoint with private DNS
//! enabled lives in a VPC whose `enableDnsSupport` or `enableDnsHostnames` (DescribeVpcAttribute)
//! is false; the private hosted zone needs both, so the public name keeps resolving to public
//! addresses. On Terraform the provider defaults apply (`enable_dns_support` true,
//! `enable_dns_hostnames` false), and EC2 refuses to create such an endpoint.

use super::{at, vpc_name};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};

pub struct VpcDnsAttributes;

impl Rule for VpcDnsAttributes {
    fn id(&self) -> &'static str {
        "AWS003"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for st in inv.aws_states() {
            for v in &st.vpcs {
                let Some(ep) = st
                    .endpoints_of(&v.id)
                    .find(|e| e.is_secrets_manager() && e.private_dns_enabled)
                else {
                    continue;
                };
                for (field, value) in [
                    ("enableDnsSupport", v.dns_support),
                    ("enableDnsHostnames", v.dns_hostnames),
                ] {
                    if value == Some(false) {
                        let tf = if field == "enableDnsSupport" {
                            "enable_dns_support"
                        } else {
                            "enable_dns_hostnames"
                        };
                        let how = if v.origin.is_live() || v.origin.has(tf) {
                            format!("{field} = false")
                        } else {
                            format!("no `{tf} = true` (the provider default is false)")
                        };
                        out.report(
                            at(&v.origin, tf, field),
                            format!("{} has {how}: the private DNS of Secrets Manager endpoint {} does not take effect and the public hostname keeps resolving to public addresses", vpc_name(v), ep.id),
                        )
                        .identity(v.origin.identity(&v.id, field))
                        .related(at(&ep.origin, "private_dns_enabled", "privateDnsEnabled"), "private DNS enabled here");
                    }
                }
            }
        }
    }
}
