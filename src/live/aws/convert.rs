//! SDK shapes → the plain AWS model, each object at `aws://<account>/<region>/<vpc>/<id>`.

use crate::model::live::aws::{
    Association, IpPermission, Origin, Route, RouteTable, SecurityGroup, Subnet, Vpc, VpcEndpoint,
};
use aws_sdk_ec2::types as ec2;
use std::collections::HashMap;

/// The region being read and the owner account of each VPC.
pub(super) struct Cx<'a> {
    pub region: &'a str,
    pub owners: &'a HashMap<String, String>,
}

impl Cx<'_> {
    fn account(&self, vpc: &str) -> &str {
        self.owners.get(vpc).map_or("unknown", String::as_str)
    }
    fn origin(&self, vpc: &str, id: &str) -> Origin {
        Origin::live(self.account(vpc), self.region, vpc, id)
    }
    /// The logical location of an object, for diagnostics.
    pub fn path(&self, vpc: &str, id: &str) -> String {
        self.origin(vpc, id).at.path.to_string()
    }
    /// Objects of VPCs that were not read (filtered out by `--vpc`) are dropped.
    fn known(&self, vpc: &str) -> bool {
        self.owners.contains_key(vpc)
    }
}

fn name(tags: &[ec2::Tag]) -> Option<String> {
    tags.iter()
        .find(|t| t.key() == Some("Name"))
        .and_then(|t| t.value())
        .map(str::to_owned)
}

pub(super) fn vpc(
    v: &ec2::Vpc,
    cx: &Cx<'_>,
    dns: Option<&(Option<bool>, Option<bool>)>,
) -> Option<Vpc> {
    let id = v.vpc_id()?.to_owned();
    let (dns_support, dns_hostnames) = dns.copied().unwrap_or((None, None));
    Some(Vpc {
        account: cx.account(&id).to_owned(),
        region: cx.region.to_owned(),
        name: name(v.tags()),
        cidrs: v.cidr_block().map(str::to_owned).into_iter().collect(),
        dns_support,
        dns_hostnames,
        origin: cx.origin(&id, &id),
        id,
    })
}

pub(super) fn subnet(s: &ec2::Subnet, cx: &Cx<'_>) -> Option<Subnet> {
    let (id, vpc_id) = (s.subnet_id()?.to_owned(), s.vpc_id()?.to_owned());
    cx.known(&vpc_id).then(|| Subnet {
        origin: cx.origin(&vpc_id, &id),
        availability_zone: s.availability_zone().map(str::to_owned),
        name: name(s.tags()),
        id,
        vpc_id,
    })
}

pub(super) fn route_table(t: &ec2::RouteTable, cx: &Cx<'_>) -> Option<RouteTable> {
    let (id, vpc_id) = (t.route_table_id()?.to_owned(), t.vpc_id()?.to_owned());
    if !cx.known(&vpc_id) {
        return None;
    }
    let origin = cx.origin(&vpc_id, &id);
    let routes = t
        .routes()
        .iter()
        .enumerate()
        .map(|(i, r)| Route {
            destination_cidr: r.destination_cidr_block().map(str::to_owned),
            destination_ipv6_cidr: r.destination_ipv6_cidr_block().map(str::to_owned),
            gateway_id: r.gateway_id().map(str::to_owned),
            nat_gateway_id: r.nat_gateway_id().map(str::to_owned),
            transit_gateway_id: r.transit_gateway_id().map(str::to_owned),
            network_interface_id: r.network_interface_id().map(str::to_owned),
            state: r.state().map(|s| s.as_str().to_owned()),
            at: Some(origin.field(&format!("routeSet[{i}]"))),
        })
        .collect();
    let associations = t
        .associations()
        .iter()
        .map(|a| Association {
            main: a.main().unwrap_or(false),
            subnet_id: a.subnet_id().map(str::to_owned),
            state: a
                .association_state()
                .and_then(|s| s.state())
                .map(|s| s.as_str().to_owned()),
        })
        .collect();
    Some(RouteTable {
        id,
        vpc_id,
        routes,
        associations,
        origin,
    })
}

pub(super) fn endpoint(e: &ec2::VpcEndpoint, cx: &Cx<'_>) -> Option<VpcEndpoint> {
    let (id, vpc_id) = (e.vpc_endpoint_id()?.to_owned(), e.vpc_id()?.to_owned());
    cx.known(&vpc_id).then(|| VpcEndpoint {
        origin: cx.origin(&vpc_id, &id),
        service_name: e.service_name().unwrap_or("").to_owned(),
        endpoint_type: e
            .vpc_endpoint_type()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default(),
        state: e.state().map(|s| s.as_str().to_owned()),
        private_dns_enabled: e.private_dns_enabled().unwrap_or(false),
        policy: e.policy_document().map(str::to_owned),
        policy_unknown: false,
        subnet_ids: e.subnet_ids().to_vec(),
        group_ids: e
            .groups()
            .iter()
            .filter_map(|g| g.group_id().map(str::to_owned))
            .collect(),
        refs_unknown: false,
        id,
        vpc_id,
    })
}

pub(super) fn security_group(g: &ec2::SecurityGroup, cx: &Cx<'_>) -> Option<SecurityGroup> {
    let (id, vpc_id) = (g.group_id()?.to_owned(), g.vpc_id()?.to_owned());
    if !cx.known(&vpc_id) {
        return None;
    }
    let origin = cx.origin(&vpc_id, &id);
    let ingress = g
        .ip_permissions()
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let base = format!("ipPermissions[{i}]");
            let mut cidrs: Vec<_> = p
                .ip_ranges()
                .iter()
                .enumerate()
                .filter_map(|(j, r)| {
                    Some((
                        r.cidr_ip()?.to_owned(),
                        origin.field(&format!("{base}.ipRanges[{j}]")),
                    ))
                })
                .collect();
            cidrs.extend(p.ipv6_ranges().iter().enumerate().filter_map(|(j, r)| {
                Some((
                    r.cidr_ipv6()?.to_owned(),
                    origin.field(&format!("{base}.ipv6Ranges[{j}]")),
                ))
            }));
            IpPermission {
                protocol: p.ip_protocol().unwrap_or("").to_owned(),
                from_port: p.from_port().map(i64::from),
                to_port: p.to_port().map(i64::from),
                cidrs,
                group_ids: p
                    .user_id_group_pairs()
                    .iter()
                    .filter_map(|u| u.group_id().map(str::to_owned))
                    .collect(),
                prefix_list_ids: p
                    .prefix_list_ids()
                    .iter()
                    .filter_map(|x| x.prefix_list_id().map(str::to_owned))
                    .collect(),
                at: origin.field(&base),
            }
        })
        .collect();
    Some(SecurityGroup {
        name: g.group_name().map(str::to_owned),
        vpc_id: Some(vpc_id),
        ingress,
        origin,
        id,
    })
}
