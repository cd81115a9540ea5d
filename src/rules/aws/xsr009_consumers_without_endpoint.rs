//! XSR009 — AWS Secrets Manager consumers vs VPC endpoint: the scan set holds Secrets Manager
//! consumers (ESO stores with `provider.aws.service: SecretsManager`, Secrets Store CSI
//! `SecretProviderClass` with `provider: aws`, containers with `AWS_*` settings that name
//! Secrets Manager) and the cluster's VPC — `options: { XSR009: { cluster_vpcs: [vpc-…] } }`,
//! by id, Terraform address or Name tag — fails AWS001 (Internet-routed, no endpoint) or
//! AWS002 (endpoint without private DNS), in the live state or the Terraform model. Reported
//! at each consumer, with the VPC as related location. Without `cluster_vpcs` the join cannot
//! be made: a note says so when both sides are present.

use super::{exposure, internet_without_endpoint, listed, vpc_name, workloads_use_endpoint_dns};
use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};

pub struct ConsumersWithoutEndpoint;

/// A Secrets Manager consumer: where, what, and a logical identity.
struct Consumer {
    at: Location,
    what: String,
    identity: String,
}

fn consumers(inv: &Inventory) -> Vec<Consumer> {
    let mut out = Vec::new();
    for o in inv.objects_of_kind(&["SecretStore", "ClusterSecretStore"]) {
        if let Some(e) = o
            .get(&["spec", "provider", "aws"])
            .and_then(|a| a.entry("service"))
            .filter(|e| e.value.as_str() == Some("SecretsManager"))
        {
            out.push(Consumer {
                at: o.location(e.value.span),
                what: o.display().to_string(),
                identity: format!("{}/provider/aws/service", o.identity()),
            });
        }
    }
    for o in inv.objects_of_kind(&["SecretProviderClass"]) {
        if let Some(p) = o
            .get(&["spec", "provider"])
            .filter(|p| p.as_str() == Some("aws"))
        {
            out.push(Consumer {
                at: o.location(p.span),
                what: o.display().to_string(),
                identity: format!("{}/provider", o.identity()),
            });
        }
    }
    let names_sm = |s: &str| {
        let s = s.to_ascii_lowercase();
        s.contains("secretsmanager") || s.contains("secrets_manager")
    };
    for ce in inv.container_envs() {
        let has_aws = ce.vars.iter().any(|v| v.name.starts_with("AWS_"));
        let Some(v) = ce
            .vars
            .iter()
            .find(|v| names_sm(&v.name) || v.value.as_deref().is_some_and(names_sm))
        else {
            continue;
        };
        if !has_aws {
            continue;
        }
        let object = ce.object_in(inv);
        out.push(Consumer {
            at: object.location(v.span),
            what: object.display().to_string(),
            identity: format!("{}/env/{}", object.identity(), v.name),
        });
    }
    out
}

impl Rule for ConsumersWithoutEndpoint {
    fn id(&self) -> &'static str {
        "XSR009"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let states: Vec<_> = inv.aws_states().filter(|s| !s.vpcs.is_empty()).collect();
        if states.is_empty() {
            return;
        }
        let consumers = consumers(inv);
        if consumers.is_empty() {
            return;
        }
        if cx.config.option("XSR009", "cluster_vpcs").is_none() {
            out.not_evaluated(
                consumers[0].at.clone(),
                "Secrets Manager consumers and AWS VPCs are both in the scan, but `options: { XSR009: { cluster_vpcs: [...] } }` does not say which VPC hosts the cluster",
            );
            return;
        }
        let exempt_dns = workloads_use_endpoint_dns(inv);
        for st in states {
            for v in st
                .vpcs
                .iter()
                .filter(|v| listed(cx, "XSR009", "cluster_vpcs", v))
            {
                let e = exposure(st, v);
                let why = if internet_without_endpoint(&e)
                    && !listed(cx, "AWS001", "centralized_endpoint_vpcs", v)
                {
                    "routes to the Internet and has no Secrets Manager interface endpoint (AWS001)"
                        .to_owned()
                } else if let Some(ep) = st
                    .endpoints_of(&v.id)
                    .find(|x| x.is_secrets_manager() && !x.private_dns_enabled)
                    .filter(|_| !exempt_dns)
                {
                    format!(
                        "has Secrets Manager endpoint {} without private DNS (AWS002)",
                        ep.id
                    )
                } else {
                    continue;
                };
                for c in &consumers {
                    out.report(
                        c.at.clone(),
                        format!("{} reads AWS Secrets Manager from the cluster in {}, which {why}: its secrets travel the public endpoint", c.what, vpc_name(v)),
                    )
                    .identity(format!("{}@{}", c.identity, v.id))
                    .related(v.origin.at.clone(), format!("{} hosts the cluster", vpc_name(v)));
                }
            }
        }
    }
}
