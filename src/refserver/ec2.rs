//! The EC2 Query API of the reference server (RULES-SPEC §4.2), served from the world's `aws:`
//! section: `POST /` with a form body (`Action=…&Version=2016-11-15&…`; `GET /?…` too),
//! answering DescribeRegions, DescribeVpcs, DescribeVpcAttribute, DescribeSubnets,
//! DescribeRouteTables, DescribeVpcEndpoints and DescribeSecurityGroups with EC2's XML shapes,
//! the §4.2 filters, `MaxResults`/`NextToken` paging (with EC2's MaxResults ranges) and EC2's
//! XML error shape. The region of a request is read from its SigV4 credential scope (the SDK
//! signs every request; the signature itself is not checked).
//!
//! ```yaml
//! aws:
//!   account: "123456789012"
//!   pagination_loop: [DescribeSubnets]   # that Action's NextToken never advances
//!   regions:
//!     us-east-1:
//!       vpcs:
//!         - {id: vpc-0a1, name: prod, cidr: 10.0.0.0/16, enableDnsSupport: true, enableDnsHostnames: false}
//!       subnets:
//!         - {id: subnet-0a1, vpc: vpc-0a1, az: us-east-1a, cidr: 10.0.1.0/24, name: app-a}
//!       internetGateways: [{id: igw-0a1, vpc: vpc-0a1}]
//!       natGateways: [{id: nat-0a1, subnet: subnet-0a1}]
//!       routeTables:
//!         - id: rtb-0a1
//!           vpc: vpc-0a1
//!           main: true                   # the VPC's main table
//!           subnets: [subnet-0a1]        # explicit associations
//!           routes: [{destination: 0.0.0.0/0, gateway: igw-0a1}]   # or natGateway:, transitGateway:, networkInterface:
//!       vpcEndpoints:
//!         - {id: vpce-0a1, vpc: vpc-0a1, service: com.amazonaws.us-east-1.secretsmanager,
//!            type: Interface, state: available, privateDns: true, policy: '{"Statement": …}',
//!            subnets: [subnet-0a1], securityGroups: [sg-0a1]}
//!       securityGroups:
//!         - id: sg-0a1
//!           vpc: vpc-0a1
//!           name: secretsmanager-endpoint
//!           ingress: [{protocol: tcp, fromPort: 443, toPort: 443, cidrs: [10.0.0.0/16], ipv6Cidrs: [], groups: [sg-0b2], prefixLists: []}]
//! ```
//! An endpoint without `policy` reports the full-access default AWS attaches.

#![allow(clippy::result_large_err)]

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

const XMLNS: &str = "http://ec2.amazonaws.com/doc/2016-11-15/";
/// The policy AWS attaches to an endpoint created without one.
pub const DEFAULT_POLICY: &str = r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;

/// The `aws:` section of a world file.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AwsWorld {
    #[serde(default = "default_account")]
    pub account: String,
    #[serde(default)]
    pub regions: BTreeMap<String, RegionWorld>,
    /// Actions whose NextToken never advances.
    #[serde(default)]
    pub pagination_loop: Vec<String>,
}

fn default_account() -> String {
    "123456789012".into()
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RegionWorld {
    #[serde(default)]
    pub vpcs: Vec<VpcW>,
    #[serde(default)]
    pub subnets: Vec<SubnetW>,
    #[serde(default)]
    pub internet_gateways: Vec<IgwW>,
    #[serde(default)]
    pub nat_gateways: Vec<NatW>,
    #[serde(default)]
    pub route_tables: Vec<RouteTableW>,
    #[serde(default)]
    pub vpc_endpoints: Vec<EndpointW>,
    #[serde(default)]
    pub security_groups: Vec<SecurityGroupW>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VpcW {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default = "default_cidr")]
    pub cidr: String,
    #[serde(default = "yes")]
    pub enable_dns_support: bool,
    #[serde(default)]
    pub enable_dns_hostnames: bool,
    #[serde(default)]
    pub is_default: bool,
}

fn default_cidr() -> String {
    "10.0.0.0/16".into()
}
fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubnetW {
    pub id: String,
    pub vpc: String,
    pub az: String,
    #[serde(default = "default_subnet_cidr")]
    pub cidr: String,
    #[serde(default)]
    pub name: Option<String>,
}

fn default_subnet_cidr() -> String {
    "10.0.1.0/24".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgwW {
    pub id: String,
    pub vpc: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NatW {
    pub id: String,
    pub subnet: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteTableW {
    pub id: String,
    pub vpc: String,
    #[serde(default)]
    pub main: bool,
    #[serde(default)]
    pub subnets: Vec<String>,
    #[serde(default)]
    pub routes: Vec<RouteW>,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RouteW {
    pub destination: String,
    #[serde(default)]
    pub gateway: Option<String>,
    #[serde(default)]
    pub nat_gateway: Option<String>,
    #[serde(default)]
    pub transit_gateway: Option<String>,
    #[serde(default)]
    pub network_interface: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EndpointW {
    pub id: String,
    pub vpc: String,
    pub service: String,
    #[serde(default = "interface", rename = "type")]
    pub endpoint_type: String,
    #[serde(default = "available")]
    pub state: String,
    #[serde(default)]
    pub private_dns: bool,
    #[serde(default)]
    pub policy: Option<String>,
    #[serde(default)]
    pub subnets: Vec<String>,
    #[serde(default)]
    pub security_groups: Vec<String>,
    #[serde(default)]
    pub name: Option<String>,
}

fn interface() -> String {
    "Interface".into()
}
fn available() -> String {
    "available".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroupW {
    pub id: String,
    pub vpc: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub ingress: Vec<PermissionW>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PermissionW {
    pub protocol: String,
    #[serde(default)]
    pub from_port: Option<i64>,
    #[serde(default)]
    pub to_port: Option<i64>,
    #[serde(default)]
    pub cidrs: Vec<String>,
    #[serde(default)]
    pub ipv6_cidrs: Vec<String>,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub prefix_lists: Vec<String>,
}

impl AwsWorld {
    /// Reads and checks the section: every reference names an object of its region.
    pub fn parse(section: &serde_json::Value) -> Result<AwsWorld, String> {
        // A world without an `aws:` section serves an account with no VPCs.
        let section = match section {
            serde_json::Value::Null => serde_json::json!({}),
            other => other.clone(),
        };
        let w: AwsWorld = serde_json::from_value(section).map_err(|e| format!("aws: {e}"))?;
        for (name, r) in &w.regions {
            let vpc = |id: &str, what: &str| -> Result<(), String> {
                if r.vpcs.iter().any(|v| v.id == id) {
                    Ok(())
                } else {
                    Err(format!("aws.regions.{name}: {what} names unknown VPC {id}"))
                }
            };
            let subnet = |id: &str, what: &str| -> Result<(), String> {
                if r.subnets.iter().any(|s| s.id == id) {
                    Ok(())
                } else {
                    Err(format!(
                        "aws.regions.{name}: {what} names unknown subnet {id}"
                    ))
                }
            };
            for s in &r.subnets {
                vpc(&s.vpc, &s.id)?;
            }
            for g in &r.internet_gateways {
                vpc(&g.vpc, &g.id)?;
            }
            for n in &r.nat_gateways {
                subnet(&n.subnet, &n.id)?;
            }
            for t in &r.route_tables {
                vpc(&t.vpc, &t.id)?;
                for s in &t.subnets {
                    subnet(s, &t.id)?;
                }
            }
            for e in &r.vpc_endpoints {
                vpc(&e.vpc, &e.id)?;
                for s in &e.subnets {
                    subnet(s, &e.id)?;
                }
                for g in &e.security_groups {
                    if !r.security_groups.iter().any(|x| &x.id == g) {
                        return Err(format!(
                            "aws.regions.{name}: {} names unknown security group {g}",
                            e.id
                        ));
                    }
                }
            }
            for g in &r.security_groups {
                vpc(&g.vpc, &g.id)?;
            }
        }
        Ok(w)
    }
}

struct Ec2 {
    world: AwsWorld,
    requests: AtomicU64,
}

/// The EC2 routes (`POST /`, `GET /`) for the world's `aws:` section.
pub fn router(section: &serde_json::Value) -> Result<Router, String> {
    let world = AwsWorld::parse(section)?;
    let state = Arc::new(Ec2 {
        world,
        requests: AtomicU64::new(0),
    });
    Ok(Router::new()
        .route("/", post(handle_post).get(handle_get))
        .with_state(state))
}

async fn handle_post(
    State(s): State<Arc<Ec2>>,
    headers: HeaderMap,
    Form(params): Form<Vec<(String, String)>>,
) -> Response {
    answer(&s, &headers, &params)
}

async fn handle_get(
    State(s): State<Arc<Ec2>>,
    headers: HeaderMap,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    answer(&s, &headers, &params)
}

/// The request's parameters.
struct Params<'a>(&'a [(String, String)]);

impl Params<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    /// `Name.1`, `Name.2`, … in index order.
    fn list(&self, name: &str) -> Vec<String> {
        let mut items: Vec<(u32, String)> = self
            .0
            .iter()
            .filter_map(|(k, v)| {
                let n = k.strip_prefix(name)?.strip_prefix('.')?.parse().ok()?;
                Some((n, v.clone()))
            })
            .collect();
        items.sort();
        items.into_iter().map(|(_, v)| v).collect()
    }
    /// `Filter.N.Name` → its `Filter.N.Value.M` values.
    fn filters(&self) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        for n in 1.. {
            let Some(name) = self.get(&format!("Filter.{n}.Name")) else {
                break;
            };
            out.push((name.to_owned(), self.list(&format!("Filter.{n}.Value"))));
        }
        out
    }
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{}</Code><Message>{}</Message></Error></Errors><RequestID>{}</RequestID></Response>",
        esc(code),
        esc(message),
        request_id(0)
    );
    (status, [("content-type", "text/xml;charset=UTF-8")], body).into_response()
}

fn request_id(n: u64) -> String {
    format!("5eaf0c5e-0000-4000-8000-{n:012x}")
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// `<tag>text</tag>`, escaped.
fn el(tag: &str, text: &str) -> String {
    format!("<{tag}>{}</{tag}>", esc(text))
}

fn tag_set(name: Option<&str>) -> String {
    match name {
        Some(n) => format!(
            "<tagSet><item><key>Name</key><value>{}</value></item></tagSet>",
            esc(n)
        ),
        None => "<tagSet/>".into(),
    }
}

/// The region a request is for: the SigV4 credential scope
/// (`Credential=AKID/20260101/us-east-1/ec2/aws4_request`), else the world's only region.
fn region_of<'a>(world: &'a AwsWorld, headers: &HeaderMap) -> Option<(&'a str, &'a RegionWorld)> {
    let scope = headers
        .get("authorization")
        .and_then(|h| h.to_str().ok())
        .and_then(|a| a.split("Credential=").nth(1))
        .and_then(|c| c.split('/').nth(2));
    match scope {
        Some(r) => world.regions.get_key_value(r).map(|(k, v)| (k.as_str(), v)),
        None if world.regions.len() == 1 => {
            world.regions.iter().next().map(|(k, v)| (k.as_str(), v))
        }
        None => None,
    }
}

fn answer(s: &Ec2, headers: &HeaderMap, raw: &[(String, String)]) -> Response {
    let n = s.requests.fetch_add(1, Ordering::Relaxed) + 1;
    let p = Params(raw);
    let Some(action) = p.get("Action") else {
        return error(
            StatusCode::BAD_REQUEST,
            "MissingAction",
            "The request must contain the parameter Action",
        );
    };
    let world = &s.world;
    if action == "DescribeRegions" {
        let items: String = world
            .regions
            .keys()
            .map(|r| {
                format!(
                    "<item><regionName>{}</regionName><regionEndpoint>ec2.{}.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>",
                    esc(r),
                    esc(r)
                )
            })
            .collect();
        return ok(action, n, &format!("<regionInfo>{items}</regionInfo>"));
    }
    let empty = RegionWorld::default();
    let (region, r) = region_of(world, headers).unwrap_or(("", &empty));
    let cx = Cx {
        account: &world.account,
        region,
        r,
    };
    let listing = match action {
        "DescribeVpcAttribute" => return vpc_attribute(&cx, &p, n),
        "DescribeVpcs" => cx.vpcs(&p),
        "DescribeSubnets" => cx.subnets(&p),
        "DescribeRouteTables" => cx.route_tables(&p),
        "DescribeVpcEndpoints" => cx.endpoints(&p),
        "DescribeSecurityGroups" => cx.security_groups(&p),
        _ => {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidAction",
                &format!("The action {action} is not valid for this web service."),
            )
        }
    };
    let (set, items) = match listing {
        Ok(x) => x,
        Err(resp) => return resp,
    };
    let range = match action {
        "DescribeRouteTables" => Some((5, 100)),
        "DescribeVpcEndpoints" => None,
        _ => Some((5, 1000)),
    };
    let looped = world.pagination_loop.iter().any(|a| a == action);
    match page(&p, items.len(), range, looped) {
        Ok((from, to, next)) => {
            let body: String = items[from..to].concat();
            let next = next.map_or("<nextToken/>".into(), |t| el("nextToken", &t));
            ok(action, n, &format!("<{set}>{body}</{set}>{next}"))
        }
        Err(resp) => resp,
    }
}

fn ok(action: &str, n: u64, inner: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{action}Response xmlns=\"{XMLNS}\"><requestId>{}</requestId>{inner}</{action}Response>",
        request_id(n)
    );
    (
        StatusCode::OK,
        [("content-type", "text/xml;charset=UTF-8")],
        body,
    )
        .into_response()
}

/// The slice of a listing to return and the next token (`NextToken` = the offset, opaque to
/// clients). Without `MaxResults` EC2 returns everything in one page.
fn page(
    p: &Params<'_>,
    total: usize,
    range: Option<(usize, usize)>,
    looped: bool,
) -> Result<(usize, usize, Option<String>), Response> {
    let max = match p.get("MaxResults") {
        None => None,
        Some(m) => match m.parse::<usize>() {
            Ok(v) if range.is_none_or(|(lo, hi)| (lo..=hi).contains(&v)) => Some(v),
            _ => {
                let (lo, hi) = range.unwrap_or((1, usize::MAX));
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    "InvalidParameterValue",
                    &format!("Value ( {m} ) for parameter maxResults is invalid. Expecting a value between {lo} and {hi}."),
                ));
            }
        },
    };
    if looped {
        // The first page, and a token that leads back to it.
        let to = max.unwrap_or(total).min(total);
        return Ok((0, to, Some("loop-token".into())));
    }
    let from = match p.get("NextToken") {
        None | Some("") => 0,
        Some(t) => match t
            .strip_prefix("page-")
            .and_then(|o| o.parse::<usize>().ok())
        {
            Some(o) if o <= total => o,
            _ => {
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    "InvalidNextToken",
                    "The specified token is invalid",
                ))
            }
        },
    };
    let to = max.map_or(total, |m| (from + m).min(total));
    let next = (to < total).then(|| format!("page-{to}"));
    Ok((from, to, next))
}

struct Cx<'a> {
    account: &'a str,
    region: &'a str,
    r: &'a RegionWorld,
}

type Listing = Result<(&'static str, Vec<String>), Response>;

/// True when `value` passes every filter whose name `field` answers.
fn passes(filters: &[(String, Vec<String>)], field: impl Fn(&str) -> Option<Vec<String>>) -> bool {
    filters.iter().all(|(name, values)| match field(name) {
        Some(have) => have.iter().any(|h| values.iter().any(|v| glob(v, h))),
        // Unknown filter names match nothing, as EC2 rejects them.
        None => false,
    })
}

/// EC2 filter values accept `*` and `?` wildcards.
fn glob(pattern: &str, text: &str) -> bool {
    fn go(p: &[char], t: &[char]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some('*'), _) => go(&p[1..], t) || (!t.is_empty() && go(p, &t[1..])),
            (Some('?'), Some(_)) => go(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &t[1..]),
            _ => false,
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    go(&p, &t)
}

fn one(s: &str) -> Option<Vec<String>> {
    Some(vec![s.to_owned()])
}

fn tag_filter(name: &str, tag: Option<&str>) -> Option<Option<Vec<String>>> {
    let key = name.strip_prefix("tag:")?;
    Some(if key == "Name" {
        Some(tag.map(|t| vec![t.to_owned()]).unwrap_or_default())
    } else {
        Some(Vec::new())
    })
}

fn not_found(kind: &str, code: &str, ids: &[String], known: &[&str]) -> Result<(), Response> {
    if let Some(missing) = ids.iter().find(|i| !known.contains(&i.as_str())) {
        return Err(error(
            StatusCode::BAD_REQUEST,
            code,
            &format!("The {kind} ID '{missing}' does not exist"),
        ));
    }
    Ok(())
}

impl Cx<'_> {
    fn vpcs(&self, p: &Params<'_>) -> Listing {
        let ids = p.list("VpcId");
        let known: Vec<&str> = self.r.vpcs.iter().map(|v| v.id.as_str()).collect();
        not_found("vpc", "InvalidVpcID.NotFound", &ids, &known)?;
        let filters = p.filters();
        let items = self
            .r
            .vpcs
            .iter()
            .filter(|v| ids.is_empty() || ids.contains(&v.id))
            .filter(|v| {
                passes(&filters, |f| match f {
                    "vpc-id" => one(&v.id),
                    "is-default" => one(&v.is_default.to_string()),
                    "state" => one("available"),
                    "cidr" | "cidr-block-association.cidr-block" => one(&v.cidr),
                    "owner-id" => one(self.account),
                    _ => tag_filter(f, v.name.as_deref()).flatten(),
                })
            })
            .map(|v| {
                format!(
                    "<item>{}{}<state>available</state>{}<dhcpOptionsId>dopt-00000000</dhcpOptionsId><instanceTenancy>default</instanceTenancy><isDefault>{}</isDefault>{}</item>",
                    el("vpcId", &v.id),
                    el("ownerId", self.account),
                    el("cidrBlock", &v.cidr),
                    v.is_default,
                    tag_set(v.name.as_deref())
                )
            })
            .collect();
        Ok(("vpcSet", items))
    }

    fn subnets(&self, p: &Params<'_>) -> Listing {
        let ids = p.list("SubnetId");
        let known: Vec<&str> = self.r.subnets.iter().map(|v| v.id.as_str()).collect();
        not_found("subnet", "InvalidSubnetID.NotFound", &ids, &known)?;
        let filters = p.filters();
        let items = self
            .r
            .subnets
            .iter()
            .filter(|s| ids.is_empty() || ids.contains(&s.id))
            .filter(|s| {
                passes(&filters, |f| match f {
                    "vpc-id" => one(&s.vpc),
                    "subnet-id" => one(&s.id),
                    "availability-zone" => one(&s.az),
                    "cidr-block" => one(&s.cidr),
                    "state" => one("available"),
                    _ => tag_filter(f, s.name.as_deref()).flatten(),
                })
            })
            .map(|s| {
                format!(
                    "<item>{}{}<state>available</state>{}{}{}<availableIpAddressCount>250</availableIpAddressCount>{}<defaultForAz>false</defaultForAz><mapPublicIpOnLaunch>false</mapPublicIpOnLaunch>{}</item>",
                    el("subnetId", &s.id),
                    el("subnetArn", &format!("arn:aws:ec2:{}:{}:subnet/{}", self.region, self.account, s.id)),
                    el("vpcId", &s.vpc),
                    el("ownerId", self.account),
                    el("cidrBlock", &s.cidr),
                    el("availabilityZone", &s.az),
                    tag_set(s.name.as_deref())
                )
            })
            .collect();
        Ok(("subnetSet", items))
    }

    fn route_tables(&self, p: &Params<'_>) -> Listing {
        let ids = p.list("RouteTableId");
        let filters = p.filters();
        let cidr_of = |vpc: &str| {
            self.r
                .vpcs
                .iter()
                .find(|v| v.id == vpc)
                .map_or_else(default_cidr, |v| v.cidr.clone())
        };
        let items = self
            .r
            .route_tables
            .iter()
            .filter(|t| ids.is_empty() || ids.contains(&t.id))
            .filter(|t| {
                passes(&filters, |f| match f {
                    "vpc-id" => one(&t.vpc),
                    "route-table-id" => one(&t.id),
                    "association.subnet-id" => Some(t.subnets.clone()),
                    "association.main" => one(&t.main.to_string()),
                    "route.destination-cidr-block" => {
                        let mut d: Vec<String> =
                            t.routes.iter().map(|r| r.destination.clone()).collect();
                        d.push(cidr_of(&t.vpc));
                        Some(d)
                    }
                    "route.gateway-id" => {
                        Some(t.routes.iter().filter_map(|r| r.gateway.clone()).collect())
                    }
                    "route.nat-gateway-id" => Some(
                        t.routes
                            .iter()
                            .filter_map(|r| r.nat_gateway.clone())
                            .collect(),
                    ),
                    _ => tag_filter(f, t.name.as_deref()).flatten(),
                })
            })
            .map(|t| {
                let mut routes = format!(
                    "<item>{}<gatewayId>local</gatewayId><state>active</state><origin>CreateRouteTable</origin></item>",
                    el("destinationCidrBlock", &cidr_of(&t.vpc))
                );
                for r in &t.routes {
                    let dest = if r.destination.contains(':') {
                        el("destinationIpv6CidrBlock", &r.destination)
                    } else {
                        el("destinationCidrBlock", &r.destination)
                    };
                    let target = [
                        ("gatewayId", &r.gateway),
                        ("natGatewayId", &r.nat_gateway),
                        ("transitGatewayId", &r.transit_gateway),
                        ("networkInterfaceId", &r.network_interface),
                    ]
                    .iter()
                    .filter_map(|(k, v)| v.as_deref().map(|v| el(k, v)))
                    .collect::<String>();
                    routes.push_str(&format!(
                        "<item>{dest}{target}{}<origin>CreateRoute</origin></item>",
                        el("state", r.state.as_deref().unwrap_or("active"))
                    ));
                }
                let mut assoc = String::new();
                if t.main {
                    assoc.push_str(&format!(
                        "<item><routeTableAssociationId>rtbassoc-{}main</routeTableAssociationId>{}<main>true</main><associationState><state>associated</state></associationState></item>",
                        esc(t.id.trim_start_matches("rtb-")),
                        el("routeTableId", &t.id)
                    ));
                }
                for (i, s) in t.subnets.iter().enumerate() {
                    assoc.push_str(&format!(
                        "<item><routeTableAssociationId>rtbassoc-{}{i}</routeTableAssociationId>{}{}<main>false</main><associationState><state>associated</state></associationState></item>",
                        esc(t.id.trim_start_matches("rtb-")),
                        el("routeTableId", &t.id),
                        el("subnetId", s)
                    ));
                }
                format!(
                    "<item>{}{}{}<routeSet>{routes}</routeSet><associationSet>{assoc}</associationSet><propagatingVgwSet/>{}</item>",
                    el("routeTableId", &t.id),
                    el("vpcId", &t.vpc),
                    el("ownerId", self.account),
                    tag_set(t.name.as_deref())
                )
            })
            .collect();
        Ok(("routeTableSet", items))
    }

    fn endpoints(&self, p: &Params<'_>) -> Listing {
        let ids = p.list("VpcEndpointId");
        let known: Vec<&str> = self.r.vpc_endpoints.iter().map(|v| v.id.as_str()).collect();
        not_found(
            "VPC endpoint",
            "InvalidVpcEndpointId.NotFound",
            &ids,
            &known,
        )?;
        let filters = p.filters();
        let items = self
            .r
            .vpc_endpoints
            .iter()
            .filter(|e| ids.is_empty() || ids.contains(&e.id))
            .filter(|e| {
                passes(&filters, |f| match f {
                    "vpc-id" => one(&e.vpc),
                    "service-name" => one(&e.service),
                    "vpc-endpoint-id" => one(&e.id),
                    "vpc-endpoint-state" => one(&e.state),
                    "vpc-endpoint-type" => one(&e.endpoint_type),
                    _ => tag_filter(f, e.name.as_deref()).flatten(),
                })
            })
            .map(|e| {
                let subnets: String = e.subnets.iter().map(|s| el("item", s)).collect();
                let groups: String = e
                    .security_groups
                    .iter()
                    .map(|g| {
                        let name = self
                            .r
                            .security_groups
                            .iter()
                            .find(|x| &x.id == g)
                            .map_or("", |x| x.name.as_str());
                        format!("<item>{}{}</item>", el("groupId", g), el("groupName", name))
                    })
                    .collect();
                let service_tail = e.service.rsplit('.').next().unwrap_or("");
                format!(
                    "<item>{}{}{}{}{}{}<routeTableIdSet/><subnetIdSet>{subnets}</subnetIdSet><groupSet>{groups}</groupSet><privateDnsEnabled>{}</privateDnsEnabled><requesterManaged>false</requesterManaged><networkInterfaceIdSet/><dnsEntrySet><item>{}<hostedZoneId>Z7HUB22UULQXV</hostedZoneId></item></dnsEntrySet><creationTimestamp>2026-01-10T12:00:00.000Z</creationTimestamp>{}{}</item>",
                    el("vpcEndpointId", &e.id),
                    el("vpcEndpointType", &e.endpoint_type),
                    el("vpcId", &e.vpc),
                    el("serviceName", &e.service),
                    el("state", &e.state),
                    el("policyDocument", e.policy.as_deref().unwrap_or(DEFAULT_POLICY)),
                    e.private_dns,
                    el("dnsName", &format!("{}.{service_tail}.{}.vpce.amazonaws.com", e.id, self.region)),
                    el("ownerId", self.account),
                    tag_set(e.name.as_deref())
                )
            })
            .collect();
        Ok(("vpcEndpointSet", items))
    }

    fn security_groups(&self, p: &Params<'_>) -> Listing {
        let ids = p.list("GroupId");
        let known: Vec<&str> = self
            .r
            .security_groups
            .iter()
            .map(|v| v.id.as_str())
            .collect();
        not_found("security group", "InvalidGroup.NotFound", &ids, &known)?;
        let filters = p.filters();
        let items = self
            .r
            .security_groups
            .iter()
            .filter(|g| ids.is_empty() || ids.contains(&g.id))
            .filter(|g| {
                passes(&filters, |f| match f {
                    "group-id" => one(&g.id),
                    "vpc-id" => one(&g.vpc),
                    "group-name" => one(&g.name),
                    _ => None,
                })
            })
            .map(|g| {
                let perms: String = g.ingress.iter().map(|x| self.permission(x)).collect();
                format!(
                    "<item>{}{}{}{}{}<ipPermissions>{perms}</ipPermissions><ipPermissionsEgress><item><ipProtocol>-1</ipProtocol><groups/><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges><ipv6Ranges/><prefixListIds/></item></ipPermissionsEgress><tagSet/></item>",
                    el("ownerId", self.account),
                    el("groupId", &g.id),
                    el("groupName", &g.name),
                    el("groupDescription", g.description.as_deref().unwrap_or(&g.name)),
                    el("vpcId", &g.vpc)
                )
            })
            .collect();
        Ok(("securityGroupInfo", items))
    }

    fn permission(&self, x: &PermissionW) -> String {
        let all = x.protocol == "-1";
        let ports = if all {
            String::new()
        } else {
            format!(
                "{}{}",
                x.from_port
                    .map_or(String::new(), |p| el("fromPort", &p.to_string())),
                x.to_port
                    .map_or(String::new(), |p| el("toPort", &p.to_string()))
            )
        };
        let list = |tag: &str, inner: &str, xs: &[String]| {
            if xs.is_empty() {
                format!("<{tag}/>")
            } else {
                let items: String = xs
                    .iter()
                    .map(|v| format!("<item>{}</item>", el(inner, v)))
                    .collect();
                format!("<{tag}>{items}</{tag}>")
            }
        };
        let groups = if x.groups.is_empty() {
            "<groups/>".to_owned()
        } else {
            let items: String = x
                .groups
                .iter()
                .map(|g| {
                    format!(
                        "<item>{}{}</item>",
                        el("userId", self.account),
                        el("groupId", g)
                    )
                })
                .collect();
            format!("<groups>{items}</groups>")
        };
        format!(
            "<item>{}{ports}{groups}{}{}{}</item>",
            el("ipProtocol", &x.protocol),
            list("ipRanges", "cidrIp", &x.cidrs),
            list("ipv6Ranges", "cidrIpv6", &x.ipv6_cidrs),
            list("prefixListIds", "prefixListId", &x.prefix_lists)
        )
    }
}

fn vpc_attribute(cx: &Cx<'_>, p: &Params<'_>, n: u64) -> Response {
    let Some(id) = p.get("VpcId") else {
        return error(
            StatusCode::BAD_REQUEST,
            "MissingParameter",
            "The request must contain the parameter vpcId",
        );
    };
    let Some(v) = cx.r.vpcs.iter().find(|v| v.id == id) else {
        return error(
            StatusCode::BAD_REQUEST,
            "InvalidVpcID.NotFound",
            &format!("The vpc ID '{id}' does not exist"),
        );
    };
    let (attr, value) = match p.get("Attribute") {
        Some("enableDnsSupport") => ("enableDnsSupport", v.enable_dns_support),
        Some("enableDnsHostnames") => ("enableDnsHostnames", v.enable_dns_hostnames),
        other => {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidParameterValue",
                &format!(
                    "Value ({}) for parameter attribute is invalid.",
                    other.unwrap_or("")
                ),
            )
        }
    };
    ok(
        "DescribeVpcAttribute",
        n,
        &format!("{}<{attr}><value>{value}</value></{attr}>", el("vpcId", id)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_glob_and_pages_follow_ec2() {
        assert!(glob("vpc-*", "vpc-0a1"));
        assert!(!glob("vpc-?", "vpc-0a1"));
        let raw: Vec<(String, String)> = vec![
            ("MaxResults".into(), "5".into()),
            ("NextToken".into(), "page-5".into()),
        ];
        let (from, to, next) = page(&Params(&raw), 12, Some((5, 1000)), false).unwrap();
        assert_eq!((from, to, next.as_deref()), (5, 10, Some("page-10")));
        let raw: Vec<(String, String)> = vec![("MaxResults".into(), "4".into())];
        assert!(page(&Params(&raw), 12, Some((5, 1000)), false).is_err());
        let raw: Vec<(String, String)> = vec![
            ("Filter.1.Name".into(), "vpc-id".into()),
            ("Filter.1.Value.2".into(), "b".into()),
            ("Filter.1.Value.1".into(), "a".into()),
        ];
        assert_eq!(
            Params(&raw).filters(),
            [("vpc-id".to_owned(), vec!["a".to_owned(), "b".to_owned()])]
        );
    }

    #[test]
    fn references_to_unknown_objects_are_rejected() {
        let section = serde_json::json!({"regions": {"us-east-1": {
            "vpcs": [{"id": "vpc-1"}],
            "subnets": [{"id": "subnet-1", "vpc": "vpc-2", "az": "us-east-1a"}]}}});
        let err = AwsWorld::parse(&section).unwrap_err();
        assert!(err.contains("unknown VPC vpc-2"), "{err}");
    }
}
