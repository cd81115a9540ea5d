//! Rules of the `aws` family (RULES-SPEC §1(g), §3 XSR009): the network path from a VPC to
//! AWS Secrets Manager. Each rule runs over every AWS state of the scan — the model of the
//! Terraform files ([`crate::model::aws_terraform`]) and the live EC2 state (`--aws`) — so a
//! plan is judged before it exists and an account as it is (endpoint `state`, AWS006's
//! medium case, exists only live).

mod aws001_no_secrets_manager_endpoint;
mod aws002_endpoint_without_private_dns;
mod aws003_vpc_dns_attributes;
mod aws004_endpoint_policy_full_access;
mod aws005_endpoint_security_group;
mod aws006_endpoint_health;
mod xsr009_consumers_without_endpoint;

use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::live::aws::{AwsState, InternetPath, Origin, Route, Vpc, VpcEndpoint};
use crate::rules::{Context, Rule};

pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(aws001_no_secrets_manager_endpoint::NoSecretsManagerEndpoint),
        Box::new(aws002_endpoint_without_private_dns::EndpointWithoutPrivateDns),
        Box::new(aws003_vpc_dns_attributes::VpcDnsAttributes),
        Box::new(aws004_endpoint_policy_full_access::EndpointPolicyFullAccess),
        Box::new(aws005_endpoint_security_group::EndpointSecurityGroup),
        Box::new(aws006_endpoint_health::EndpointHealth),
        Box::new(xsr009_consumers_without_endpoint::ConsumersWithoutEndpoint),
    ]
}

/// Where to report a field: Terraform argument `tf`, or the live field `live`.
pub(crate) fn at(o: &Origin, tf: &str, live: &str) -> Location {
    o.field(if o.is_live() { live } else { tf })
}

/// How `vpc-…`/`aws_vpc.main` is named in messages (with its Name tag when it has one).
pub(crate) fn vpc_name(v: &Vpc) -> String {
    match &v.name {
        Some(n) => format!("VPC {} ({n})", v.id),
        None => format!("VPC {}", v.id),
    }
}

/// True when a VPC is named (by id or Name tag) in a rule option list.
pub(crate) fn listed(cx: &Context, rule: &str, option: &str, v: &Vpc) -> bool {
    cx.config.option(rule, option).is_some_and(|list| {
        list.iter()
            .any(|x| *x == v.id || v.name.as_deref() == Some(x.as_str()))
    })
}

/// What a VPC offers its workloads on the way to Secrets Manager.
pub(crate) struct Exposure<'a> {
    /// The best Internet path of any of its subnets, and the route that gives it.
    pub path: InternetPath,
    pub route: Option<&'a Route>,
    /// Subnets read (a VPC without subnets hosts no workload).
    pub subnets: usize,
    /// An available Secrets Manager interface endpoint.
    pub endpoint: Option<&'a VpcEndpoint>,
}

pub(crate) fn exposure<'a>(st: &'a AwsState, v: &'a Vpc) -> Exposure<'a> {
    let mut path = InternetPath::None;
    let mut route = None;
    let mut subnets = 0;
    for s in st.subnets_of(&v.id) {
        subnets += 1;
        let (p, r) = st.internet_path(s);
        if p > path {
            path = p;
            route = r;
        }
    }
    let endpoint = st
        .endpoints_of(&v.id)
        .find(|e| e.is_secrets_manager() && e.available());
    Exposure {
        path,
        route,
        subnets,
        endpoint,
    }
}

/// AWS001's trigger: an Internet-routed VPC without an available endpoint.
pub(crate) fn internet_without_endpoint(e: &Exposure<'_>) -> bool {
    matches!(e.path, InternetPath::Igw | InternetPath::Nat) && e.endpoint.is_none()
}

/// AWS002's exemption: workloads address the endpoint by its own DNS name
/// (`https://vpce-….secretsmanager.<region>.vpce.amazonaws.com`), so private DNS is not needed.
pub(crate) fn workloads_use_endpoint_dns(inv: &Inventory) -> bool {
    inv.container_envs().iter().any(|ce| {
        ce.vars.iter().any(|v| {
            v.name.starts_with("AWS_ENDPOINT_URL")
                && v.value
                    .as_deref()
                    .is_some_and(|x| x.contains("vpce-") && x.contains("secretsmanager"))
        })
    })
}
