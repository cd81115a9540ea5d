//! AWS networking state (RULES-SPEC §1(g)): VPCs with their DNS attributes, route tables,
//! subnets, VPC endpoints and security groups — filled by `crate::live::aws` from the EC2 API,
//! or by [`crate::model::aws_terraform`] from Terraform resources. Both produce this one shape,
//! so the AWS rules are written once.
//!
//! Ids are the EC2 ids for live state (`vpc-0a1b…`) and the resource addresses for Terraform
//! (`aws_vpc.main`); references between objects use the same ids. Every object carries an
//! [`Origin`] that gives the place to report a field at: the Terraform attribute's exact span,
//! or for live state the logical location `aws://<account>/<region>/<vpc-id>/<resource-id>`
//! with the field after `#`.

use crate::location::{Location, Span};
use std::collections::HashMap;
use std::sync::Arc;

/// Where the state came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AwsSource {
    #[default]
    Live,
    Terraform,
}

/// Where an object was read, and where each of its fields is.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The object as a whole: the resource's labels, or the live object's logical location.
    pub at: Location,
    /// Fields read from a file, by name (Terraform attribute spans).
    fields: Vec<(String, Location)>,
    live: bool,
}

impl Origin {
    /// A live object at `aws://<account>/<region>/<vpc-id>/<resource-id>`.
    pub fn live(account: &str, region: &str, vpc: &str, resource: &str) -> Origin {
        let path = if vpc == resource {
            format!("aws://{account}/{region}/{vpc}")
        } else {
            format!("aws://{account}/{region}/{vpc}/{resource}")
        };
        Origin {
            at: Location::new(Arc::from(path), Span::file_start()),
            fields: Vec::new(),
            live: true,
        }
    }
    /// A Terraform resource whose labels are at `span`.
    pub fn file(path: Arc<str>, span: Span) -> Origin {
        Origin {
            at: Location::new(path, span),
            fields: Vec::new(),
            live: false,
        }
    }
    /// Records where a field is written.
    pub fn set(&mut self, field: &str, span: Span) {
        self.fields
            .push((field.to_owned(), Location::new(self.at.path.clone(), span)));
    }
    pub fn is_live(&self) -> bool {
        self.live
    }
    /// Where to report `field`: its recorded span; for live objects the object's logical
    /// location with `#field`; for a field a file does not write (a default), the object.
    pub fn field(&self, field: &str) -> Location {
        if let Some((_, l)) = self.fields.iter().rev().find(|(f, _)| f == field) {
            return l.clone();
        }
        if self.live {
            return Location::new(
                Arc::from(format!("{}#{field}", self.at.path)),
                Span::file_start(),
            );
        }
        self.at.clone()
    }
    /// True when the file writes `field` itself.
    pub fn has(&self, field: &str) -> bool {
        self.fields.iter().any(|(f, _)| f == field)
    }
    /// A line-independent identity for `field` of this object.
    pub fn identity(&self, id: &str, field: &str) -> String {
        if self.live {
            format!("{}#{field}", self.at.path)
        } else {
            format!("{}#{id}.{field}", self.at.path)
        }
    }
}

/// The networking state of one or more regions/accounts, or of a Terraform scan set.
#[derive(Debug, Clone, Default)]
pub struct AwsState {
    pub source: AwsSource,
    pub vpcs: Vec<Vpc>,
    pub route_tables: Vec<RouteTable>,
    pub subnets: Vec<Subnet>,
    pub endpoints: Vec<VpcEndpoint>,
    pub security_groups: Vec<SecurityGroup>,
    /// Which table each subnet uses, built on the first [`AwsState::route_table_of`]: the
    /// fields above are complete by then (filled while the state is read, queried after).
    route_index: std::sync::OnceLock<RouteIndex>,
}

/// The route tables by VPC, so that a subnet's table is one lookup rather than a pass over
/// every table and association of its VPC.
#[derive(Debug, Clone, Default)]
struct RouteIndex {
    /// VPC id → subnet id → the first table with an explicit association of that subnet.
    explicit: HashMap<String, HashMap<String, usize>>,
    /// VPC id → its first table marked main.
    main: HashMap<String, usize>,
}

impl RouteIndex {
    fn new(tables: &[RouteTable]) -> RouteIndex {
        let mut ix = RouteIndex::default();
        for (i, t) in tables.iter().enumerate() {
            let live = t.associations.iter().filter(|a| a.associated());
            for a in live {
                if let Some(subnet) = &a.subnet_id {
                    let by_subnet = ix.explicit.entry(t.vpc_id.clone()).or_default();
                    by_subnet.entry(subnet.clone()).or_insert(i);
                }
                if a.main {
                    ix.main.entry(t.vpc_id.clone()).or_insert(i);
                }
            }
        }
        ix
    }

    /// The table index a subnet uses: its explicit association, else its VPC's main table.
    fn of(&self, vpc: &str, subnet: &str) -> Option<usize> {
        let explicit = self.explicit.get(vpc).and_then(|m| m.get(subnet));
        explicit.or_else(|| self.main.get(vpc)).copied()
    }
}

#[derive(Debug, Clone)]
pub struct Vpc {
    pub id: String,
    pub account: String,
    pub region: String,
    /// The `Name` tag.
    pub name: Option<String>,
    pub cidrs: Vec<String>,
    /// `enableDnsSupport` (DescribeVpcAttribute); `None` when it could not be read.
    pub dns_support: Option<bool>,
    /// `enableDnsHostnames`.
    pub dns_hostnames: Option<bool>,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct Subnet {
    pub id: String,
    pub vpc_id: String,
    pub availability_zone: Option<String>,
    pub name: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct RouteTable {
    pub id: String,
    pub vpc_id: String,
    pub routes: Vec<Route>,
    pub associations: Vec<Association>,
    pub origin: Origin,
}

/// One route; target ids as EC2 reports them (Terraform: a literal id, or the referenced
/// resource address such as `aws_internet_gateway.main`).
#[derive(Debug, Clone, Default)]
pub struct Route {
    pub destination_cidr: Option<String>,
    pub destination_ipv6_cidr: Option<String>,
    pub gateway_id: Option<String>,
    pub nat_gateway_id: Option<String>,
    pub transit_gateway_id: Option<String>,
    pub network_interface_id: Option<String>,
    /// `active` | `blackhole` | `filtered`; `None` = active (Terraform).
    pub state: Option<String>,
    /// Where the route is written (Terraform) or `routeSet[i]` (live).
    pub at: Option<Location>,
}

#[derive(Debug, Clone, Default)]
pub struct Association {
    pub main: bool,
    pub subnet_id: Option<String>,
    /// `associated`, …; `None` = associated (Terraform).
    pub state: Option<String>,
}

impl Association {
    /// True unless a state other than `associated` is recorded (Terraform records none).
    pub fn associated(&self) -> bool {
        self.state
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case("associated"))
    }
}

#[derive(Debug, Clone)]
pub struct VpcEndpoint {
    pub id: String,
    pub vpc_id: String,
    pub service_name: String,
    /// `Interface`, `Gateway`, … as written (Terraform's default is `Gateway`).
    pub endpoint_type: String,
    /// `available`, `pending`, …; `None` when not known (Terraform).
    pub state: Option<String>,
    pub private_dns_enabled: bool,
    /// The endpoint policy: JSON text, or `None` when none is set (the default full-access
    /// policy applies) or it is not literal (see `policy_unknown`).
    pub policy: Option<String>,
    /// The policy is set but not evaluable (a reference, an interpolated template).
    pub policy_unknown: bool,
    pub subnet_ids: Vec<String>,
    pub group_ids: Vec<String>,
    /// Some of `group_ids`/`subnet_ids` are not literal (Terraform expressions).
    pub refs_unknown: bool,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct SecurityGroup {
    pub id: String,
    pub vpc_id: Option<String>,
    pub name: Option<String>,
    pub ingress: Vec<IpPermission>,
    pub origin: Origin,
}

/// One ingress permission (`ipPermissions.item`; a Terraform `ingress` block or rule
/// resource).
#[derive(Debug, Clone)]
pub struct IpPermission {
    /// `tcp`, `udp`, `icmp`, `-1` (all) or a protocol number, as written.
    pub protocol: String,
    pub from_port: Option<i64>,
    pub to_port: Option<i64>,
    /// IPv4 and IPv6 CIDR sources, each with where it is written.
    pub cidrs: Vec<(String, Location)>,
    pub group_ids: Vec<String>,
    pub prefix_list_ids: Vec<String>,
    /// The permission as a whole.
    pub at: Location,
}

impl IpPermission {
    /// True when this permission admits TCP port 443.
    pub fn allows_tcp_443(&self) -> bool {
        let p = self.protocol.to_ascii_lowercase();
        if matches!(p.as_str(), "-1" | "all") {
            return true;
        }
        if !matches!(p.as_str(), "tcp" | "6") {
            return false;
        }
        match (self.from_port, self.to_port) {
            (Some(f), Some(t)) => f <= 443 && 443 <= t,
            // EC2 omits ports only for "all"; a file that omits them is invalid anyway.
            _ => false,
        }
    }
    /// The world-open sources (`0.0.0.0/0`, `::/0`).
    pub fn open_sources(&self) -> impl Iterator<Item = &(String, Location)> {
        self.cidrs
            .iter()
            .filter(|(c, _)| c == "0.0.0.0/0" || c == "::/0")
    }
    /// True when any source is given (a CIDR, a group or a prefix list).
    pub fn has_source(&self) -> bool {
        !self.cidrs.is_empty() || !self.group_ids.is_empty() || !self.prefix_list_ids.is_empty()
    }
}

/// How a subnet reaches the Internet (§1(g) resolution model).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum InternetPath {
    None,
    /// Egress through a transit gateway or an ENI (inspection VPC): reachability unknown.
    Indirect,
    /// A NAT gateway default route.
    Nat,
    /// An Internet gateway default route (public subnet).
    Igw,
}

impl Route {
    fn is_default(&self) -> bool {
        self.destination_cidr.as_deref() == Some("0.0.0.0/0")
            || self.destination_ipv6_cidr.as_deref() == Some("::/0")
    }
    fn active(&self) -> bool {
        self.state
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case("active"))
    }
    /// What a default route leads to.
    pub fn internet_path(&self) -> InternetPath {
        if !self.is_default() || !self.active() {
            return InternetPath::None;
        }
        if self.gateway_id.as_deref().is_some_and(is_igw) {
            InternetPath::Igw
        } else if self.nat_gateway_id.is_some() {
            InternetPath::Nat
        } else if self.transit_gateway_id.is_some() || self.network_interface_id.is_some() {
            InternetPath::Indirect
        } else {
            InternetPath::None
        }
    }
}

/// An Internet gateway id: `igw-…`, or a Terraform `aws_internet_gateway` address.
fn is_igw(id: &str) -> bool {
    id.starts_with("igw-") || id.starts_with("aws_internet_gateway.")
}

/// `com.amazonaws.<region>.secretsmanager` (or `-fips`).
pub fn is_secrets_manager_service(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("com.amazonaws.") else {
        return false;
    };
    rest.ends_with(".secretsmanager") || rest.ends_with(".secretsmanager-fips")
}

impl VpcEndpoint {
    /// A Secrets Manager endpoint of type Interface (the only kind the service offers).
    pub fn is_secrets_manager(&self) -> bool {
        is_secrets_manager_service(&self.service_name)
            && self.endpoint_type.eq_ignore_ascii_case("interface")
    }
    /// `state` available (case-insensitive: the model enum is `Available`, the wire value
    /// `available`); Terraform endpoints count as available (what apply creates).
    pub fn available(&self) -> bool {
        self.state
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case("available"))
    }
}

impl AwsState {
    /// An empty state read from `source`.
    pub fn new(source: AwsSource) -> AwsState {
        AwsState {
            source,
            ..AwsState::default()
        }
    }
    pub fn vpc(&self, id: &str) -> Option<&Vpc> {
        self.vpcs.iter().find(|v| v.id == id)
    }
    pub fn subnet(&self, id: &str) -> Option<&Subnet> {
        self.subnets.iter().find(|s| s.id == id)
    }
    pub fn security_group(&self, id: &str) -> Option<&SecurityGroup> {
        self.security_groups.iter().find(|g| g.id == id)
    }
    pub fn subnets_of<'a>(&'a self, vpc: &'a str) -> impl Iterator<Item = &'a Subnet> + 'a {
        self.subnets.iter().filter(move |s| s.vpc_id == vpc)
    }
    pub fn endpoints_of<'a>(&'a self, vpc: &'a str) -> impl Iterator<Item = &'a VpcEndpoint> + 'a {
        self.endpoints.iter().filter(move |e| e.vpc_id == vpc)
    }
    /// The Secrets Manager interface endpoints of every VPC.
    pub fn secrets_manager_endpoints(&self) -> impl Iterator<Item = &VpcEndpoint> {
        self.endpoints.iter().filter(|e| e.is_secrets_manager())
    }
    /// The route table a subnet uses: its explicit association, else the VPC's main table
    /// (DescribeRouteTables does not list implicit associations).
    pub fn route_table_of(&self, subnet: &Subnet) -> Option<&RouteTable> {
        let ix = self
            .route_index
            .get_or_init(|| RouteIndex::new(&self.route_tables));
        ix.of(&subnet.vpc_id, &subnet.id)
            .map(|i| &self.route_tables[i])
    }
    /// The subnet's Internet path and the route that gives it.
    pub fn internet_path(&self, subnet: &Subnet) -> (InternetPath, Option<&Route>) {
        let Some(table) = self.route_table_of(subnet) else {
            return (InternetPath::None, None);
        };
        table
            .routes
            .iter()
            .map(|r| (r.internet_path(), Some(r)))
            .max_by(|a, b| a.0.cmp(&b.0))
            .unwrap_or((InternetPath::None, None))
    }
}

#[cfg(test)]
mod route_index_tests {
    use super::*;

    /// The answer before the index: a pass over the VPC's tables and their associations.
    fn brute<'a>(st: &'a AwsState, subnet: &Subnet) -> Option<&'a RouteTable> {
        let in_vpc = || st.route_tables.iter().filter(|t| t.vpc_id == subnet.vpc_id);
        in_vpc()
            .find(|t| {
                t.associations
                    .iter()
                    .any(|a| a.associated() && a.subnet_id.as_deref() == Some(subnet.id.as_str()))
            })
            .or_else(|| in_vpc().find(|t| t.associations.iter().any(|a| a.associated() && a.main)))
    }

    fn origin() -> Origin {
        Origin::file(Arc::from("main.tf"), Span::file_start())
    }

    fn assoc(main: bool, subnet: Option<&str>, state: Option<&str>) -> Association {
        Association {
            main,
            subnet_id: subnet.map(str::to_owned),
            state: state.map(str::to_owned),
        }
    }

    fn table(id: &str, vpc: &str, associations: Vec<Association>) -> RouteTable {
        RouteTable {
            id: id.into(),
            vpc_id: vpc.into(),
            routes: Vec::new(),
            associations,
            origin: origin(),
        }
    }

    /// Several tables naming one subnet (the first associated one wins), disassociated and
    /// differently-cased states, the same subnet id in another VPC, several main tables, a
    /// VPC without a main table and subnets of unknown VPCs: the index answers as the pass.
    #[test]
    fn route_table_of_answers_as_a_pass_over_the_vpc() {
        let st = AwsState {
            route_tables: vec![
                table(
                    "t0",
                    "v1",
                    vec![assoc(false, Some("s1"), Some("disassociated"))],
                ),
                table("t1", "v2", vec![assoc(false, Some("s1"), None)]),
                table("t2", "v1", vec![assoc(true, None, Some("disassociating"))]),
                table(
                    "t3",
                    "v1",
                    vec![assoc(false, Some("s2"), Some("Associated"))],
                ),
                table(
                    "t4",
                    "v1",
                    vec![assoc(false, Some("s1"), None), assoc(true, None, None)],
                ),
                table("t5", "v1", vec![assoc(false, Some("s1"), None)]),
                table("t6", "v1", vec![assoc(true, None, None)]),
                table("t7", "v3", vec![assoc(false, Some("s3"), None)]),
                table(
                    "t8",
                    "v2",
                    vec![assoc(true, Some("s9"), Some("associated"))],
                ),
            ],
            ..AwsState::default()
        };
        let mut answered = 0;
        for vpc in ["v1", "v2", "v3", "v4"] {
            for id in ["s1", "s2", "s3", "s9", "none"] {
                let subnet = Subnet {
                    id: id.into(),
                    vpc_id: vpc.into(),
                    availability_zone: None,
                    name: None,
                    origin: origin(),
                };
                let want = brute(&st, &subnet).map(|t| t.id.as_str());
                assert_eq!(st.route_table_of(&subnet).map(|t| t.id.as_str()), want);
                answered += usize::from(want.is_some());
            }
        }
        assert!(answered >= 10, "{answered}");
    }
}
