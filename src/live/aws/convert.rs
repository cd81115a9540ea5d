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

#[cfg(test)]
mod tests {
    use super::*;

    fn cx(owners: &HashMap<String, String>) -> Cx<'_> {
        Cx {
            region: "eu-west-1",
            owners,
        }
    }

    fn owners() -> HashMap<String, String> {
        HashMap::from([("vpc-1".to_owned(), "111122223333".to_owned())])
    }

    #[test]
    fn objects_are_located_under_account_region_and_vpc() {
        let owners = owners();
        let g = ec2::SecurityGroup::builder()
            .group_id("sg-1")
            .vpc_id("vpc-1")
            .group_name("endpoint")
            .ip_permissions(
                ec2::IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(443)
                    .to_port(443)
                    .ip_ranges(ec2::IpRange::builder().cidr_ip("10.0.0.0/8").build())
                    .ip_ranges(ec2::IpRange::builder().cidr_ip("0.0.0.0/0").build())
                    .ipv6_ranges(ec2::Ipv6Range::builder().cidr_ipv6("::/0").build())
                    .build(),
            )
            .build();
        let sg = security_group(&g, &cx(&owners)).unwrap();
        assert_eq!(
            &*sg.origin.at.path,
            "aws://111122223333/eu-west-1/vpc-1/sg-1"
        );
        let p = &sg.ingress[0];
        assert!(p.allows_tcp_443());
        let open: Vec<_> = p
            .open_sources()
            .map(|(c, l)| (c.as_str(), l.path.to_string()))
            .collect();
        assert_eq!(
            open,
            [
                (
                    "0.0.0.0/0",
                    "aws://111122223333/eu-west-1/vpc-1/sg-1#ipPermissions[0].ipRanges[1]"
                        .to_owned()
                ),
                (
                    "::/0",
                    "aws://111122223333/eu-west-1/vpc-1/sg-1#ipPermissions[0].ipv6Ranges[0]"
                        .to_owned()
                )
            ]
        );
    }

    #[test]
    fn objects_of_unread_vpcs_are_dropped() {
        let owners = owners();
        let s = ec2::Subnet::builder()
            .subnet_id("subnet-2")
            .vpc_id("vpc-2")
            .build();
        assert!(subnet(&s, &cx(&owners)).is_none());
        let s = ec2::Subnet::builder()
            .subnet_id("subnet-1")
            .vpc_id("vpc-1")
            .availability_zone("eu-west-1a")
            .tags(ec2::Tag::builder().key("Name").value("app-a").build())
            .build();
        let s = subnet(&s, &cx(&owners)).unwrap();
        assert_eq!(s.name.as_deref(), Some("app-a"));
        assert_eq!(s.availability_zone.as_deref(), Some("eu-west-1a"));
    }

    #[test]
    fn routes_keep_targets_state_and_position() {
        let owners = owners();
        let t = ec2::RouteTable::builder()
            .route_table_id("rtb-1")
            .vpc_id("vpc-1")
            .routes(
                ec2::Route::builder()
                    .destination_cidr_block("10.0.0.0/16")
                    .gateway_id("local")
                    .build(),
            )
            .routes(
                ec2::Route::builder()
                    .destination_cidr_block("0.0.0.0/0")
                    .gateway_id("igw-1")
                    .state(ec2::RouteState::Blackhole)
                    .build(),
            )
            .associations(
                ec2::RouteTableAssociation::builder()
                    .main(true)
                    .association_state(
                        ec2::RouteTableAssociationState::builder()
                            .state(ec2::RouteTableAssociationStateCode::Associated)
                            .build(),
                    )
                    .build(),
            )
            .build();
        let t = route_table(&t, &cx(&owners)).unwrap();
        assert_eq!(t.routes.len(), 2);
        let r = &t.routes[1];
        assert_eq!(r.state.as_deref(), Some("blackhole"));
        assert_eq!(
            r.at.as_ref().unwrap().path.to_string(),
            "aws://111122223333/eu-west-1/vpc-1/rtb-1#routeSet[1]"
        );
        // A blackhole default route leads nowhere.
        assert_eq!(
            r.internet_path(),
            crate::model::live::aws::InternetPath::None
        );
        assert!(t.associations[0].main);
        assert_eq!(t.associations[0].state.as_deref(), Some("associated"));
    }

    #[test]
    fn endpoints_keep_policy_subnets_and_groups() {
        let owners = owners();
        let e = ec2::VpcEndpoint::builder()
            .vpc_endpoint_id("vpce-1")
            .vpc_id("vpc-1")
            .service_name("com.amazonaws.eu-west-1.secretsmanager")
            .vpc_endpoint_type(ec2::VpcEndpointType::Interface)
            .state(ec2::State::Available)
            .private_dns_enabled(true)
            .policy_document("{}")
            .subnet_ids("subnet-1")
            .groups(
                ec2::SecurityGroupIdentifier::builder()
                    .group_id("sg-1")
                    .build(),
            )
            .build();
        let e = endpoint(&e, &cx(&owners)).unwrap();
        assert!(e.is_secrets_manager() && e.available() && e.private_dns_enabled);
        assert_eq!(e.policy.as_deref(), Some("{}"));
        assert_eq!(e.subnet_ids, ["subnet-1"]);
        assert_eq!(e.group_ids, ["sg-1"]);
    }
}
