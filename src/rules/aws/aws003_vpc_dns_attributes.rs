//! AWS003 — VPC DNS attributes block private DNS: a Secrets Manager endpoint with private DNS
//! enabled lives in a VPC whose `enableDnsSupport` or `enableDnsHostnames` (DescribeVpcAttribute)
//! is false; the private hosted zone needs both, so the public name keeps resolving to public
//! addresses. Live state only (Terraform does not show what the account ended up with).

use super::{at, vpc_name};
use crate::model::inventory::Inventory;
use crate::model::live::aws::AwsSource;
use crate::rules::{Context, Emitter, Rule};

pub struct VpcDnsAttributes;

impl Rule for VpcDnsAttributes {
    fn id(&self) -> &'static str {
        "AWS003"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for st in inv.aws_states().filter(|s| s.source == AwsSource::Live) {
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
                        out.report(
                            at(&v.origin, field, field),
                            format!("{} has {field} = false: the private DNS of Secrets Manager endpoint {} does not take effect and the public hostname keeps resolving to public addresses", vpc_name(v), ep.id),
                        )
                        .identity(v.origin.identity(&v.id, field))
                        .related(at(&ep.origin, "private_dns_enabled", "privateDnsEnabled"), "private DNS enabled here");
                    }
                }
            }
        }
    }
}
