//! The AWS networking model (RULES-SPEC §1(g)) read from Terraform, so the AWS rules judge a
//! plan's VPCs before they exist: `aws_vpc`, `aws_subnet`, `aws_route_table` (inline
//! `route`), `aws_default_route_table`, `aws_route`, `aws_route_table_association`,
//! `aws_main_route_table_association`, `aws_vpc_endpoint`, `aws_security_group` (inline
//! `ingress`), `aws_security_group_rule` and `aws_vpc_security_group_ingress_rule`.
//!
//! Ids are resource addresses (`aws_vpc.main`); a reference `aws_vpc.main.id` resolves to
//! it, a literal id (`vpc-0abc…`) stays as written. Provider defaults apply where an
//! argument is omitted: `enable_dns_support` true, `enable_dns_hostnames` false,
//! `vpc_endpoint_type` `Gateway`, `private_dns_enabled` false, no `policy` = the full-access
//! default policy. A VPC's main route table is the one named by
//! `aws_main_route_table_association` or managed as `aws_default_route_table`; otherwise it
//! is the table AWS creates with only the local route.

use crate::location::Span;
use crate::model::live::aws::{
    Association, AwsSource, AwsState, IpPermission, Origin, Route, RouteTable, SecurityGroup,
    Subnet, Vpc, VpcEndpoint,
};
use crate::model::vault_hcl::HclDoc;
use crate::syntax::hcl::{Attr, Block, Body, Expr};
use std::collections::HashMap;
use std::sync::Arc;

/// Builds the model from every Terraform document of the scan set.
pub fn build<'a>(docs: impl Iterator<Item = &'a HclDoc>) -> AwsState {
    let mut st = AwsState::new(AwsSource::Terraform);
    let docs: Vec<&HclDoc> = docs.collect();
    // Routes and associations attach to tables, rules to groups: objects first.
    let mut late: Vec<(&Arc<str>, &Block)> = Vec::new();
    for doc in &docs {
        for b in resources(&doc.body) {
            if !object(&doc.path, b, &mut st) {
                late.push((&doc.path, b));
            }
        }
    }
    let mut ids = Ids::new(&st);
    for (path, b) in late {
        attachment(path, b, &mut st, &mut ids);
    }
    st
}

/// Route tables and security groups by id (the first of an id, as a search of the list would
/// find), so that each route, association and rule finds its object without a pass over all.
#[derive(Debug, Default)]
struct Ids {
    route_tables: HashMap<String, usize>,
    security_groups: HashMap<String, usize>,
}

impl Ids {
    fn new(st: &AwsState) -> Ids {
        let mut ids = Ids::default();
        for (i, t) in st.route_tables.iter().enumerate() {
            ids.route_tables.entry(t.id.clone()).or_insert(i);
        }
        for (i, g) in st.security_groups.iter().enumerate() {
            ids.security_groups.entry(g.id.clone()).or_insert(i);
        }
        ids
    }
}

fn resources(body: &Body) -> impl Iterator<Item = &Block> {
    body.blocks("resource").filter(|b| b.labels.len() == 2)
}

fn address(b: &Block) -> String {
    format!("{}.{}", b.labels[0], b.labels[1])
}

/// `resource "aws_vpc" "main"`: the keyword and both labels.
fn anchor(b: &Block) -> Span {
    b.label_spans
        .last()
        .map_or(b.ident_span, |l| b.ident_span.join(*l))
}

/// The id an argument names: a literal id, or the address of a referenced resource
/// (`aws_vpc.main.id`, `"${aws_vpc.main.id}"`); `None` for anything else (variables, module
/// outputs, data sources).
fn reference(e: &Expr) -> Option<String> {
    match e {
        Expr::Str(s) => Some(s.clone()),
        Expr::Other(r) | Expr::Template(r) => {
            let r = r.trim();
            let r = r
                .strip_prefix("${")
                .and_then(|r| r.strip_suffix('}'))
                .unwrap_or(r)
                .trim();
            let mut parts = r.split('.');
            let (ty, name) = (parts.next()?, parts.next()?);
            if !ty.starts_with("aws_") || name.is_empty() || name.contains(['[', '(', ' ']) {
                return None;
            }
            Some(format!("{ty}.{name}"))
        }
        _ => None,
    }
}

fn attr_ref(b: &Block, key: &str) -> Option<String> {
    b.body.attr(key).and_then(|a| reference(&a.value))
}

fn literal_bool(a: &Attr) -> Option<bool> {
    match a.value.weak_bool() {
        crate::semantics::BoolReading::True => Some(true),
        crate::semantics::BoolReading::False => Some(false),
        _ => None,
    }
}

fn int(a: &Attr) -> Option<i64> {
    match &a.value {
        Expr::Number { value, .. } if value.fract() == 0.0 => Some(*value as i64),
        Expr::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn text(a: &Attr) -> Option<String> {
    match &a.value {
        Expr::Str(s) => Some(s.clone()),
        Expr::Number { raw, .. } => Some(raw.clone()),
        _ => None,
    }
}

/// A list of ids: each item resolved; the flag says some item was not resolvable.
fn id_list(a: &Attr) -> (Vec<(String, Span)>, bool) {
    match &a.value {
        Expr::Array(xs) => {
            let ids: Vec<_> = xs
                .iter()
                .filter_map(|(x, s)| reference(x).map(|r| (r, *s)))
                .collect();
            let unknown = ids.len() < xs.len();
            (ids, unknown)
        }
        _ => (Vec::new(), true),
    }
}

fn origin(path: &Arc<str>, b: &Block) -> Origin {
    let mut o = Origin::file(path.clone(), anchor(b));
    for a in &b.body.attrs {
        o.set(&a.key, a.value_span);
    }
    o
}

fn name_tag(b: &Block) -> Option<String> {
    let tags = b.body.attr("tags")?.value.object()?;
    tags.iter()
        .find(|a| a.key == "Name")
        .and_then(|a| a.value.as_str())
        .map(str::to_owned)
}

/// Reads an object resource; false when `b` attaches to others (routes, rules).
fn object(path: &Arc<str>, b: &Block, st: &mut AwsState) -> bool {
    let id = address(b);
    let attr = |k: &str| b.body.attr(k);
    match b.labels[0].as_str() {
        "aws_vpc" => st.vpcs.push(Vpc {
            id,
            account: String::new(),
            region: String::new(),
            name: name_tag(b),
            cidrs: attr("cidr_block").and_then(text).into_iter().collect(),
            dns_support: attr("enable_dns_support").map_or(Some(true), literal_bool),
            dns_hostnames: attr("enable_dns_hostnames").map_or(Some(false), literal_bool),
            origin: origin(path, b),
        }),
        "aws_subnet" => st.subnets.push(Subnet {
            id,
            vpc_id: attr_ref(b, "vpc_id").unwrap_or_default(),
            availability_zone: attr("availability_zone").and_then(text),
            name: name_tag(b),
            origin: origin(path, b),
        }),
        "aws_route_table" | "aws_default_route_table" => {
            let default = b.labels[0] == "aws_default_route_table";
            let vpc_id = if default {
                // default_route_table_id = aws_vpc.main.default_route_table_id
                attr_ref(b, "default_route_table_id").unwrap_or_default()
            } else {
                attr_ref(b, "vpc_id").unwrap_or_default()
            };
            let routes = b
                .body
                .blocks("route")
                .map(|r| inline_route(path, r))
                .collect();
            st.route_tables.push(RouteTable {
                id,
                vpc_id,
                routes,
                associations: if default {
                    vec![Association {
                        main: true,
                        ..Default::default()
                    }]
                } else {
                    Vec::new()
                },
                origin: origin(path, b),
            });
        }
        "aws_vpc_endpoint" => {
            let (subnets, su) = attr("subnet_ids").map_or((Vec::new(), false), id_list);
            let (groups, gu) = attr("security_group_ids").map_or((Vec::new(), false), id_list);
            let (policy, policy_unknown) = match attr("policy") {
                None => (None, false),
                Some(a) => match policy_json(&a.value) {
                    Some(p) => (Some(p), false),
                    None => (None, true),
                },
            };
            st.endpoints.push(VpcEndpoint {
                id,
                vpc_id: attr_ref(b, "vpc_id").unwrap_or_default(),
                service_name: attr("service_name")
                    .and_then(|a| a.value.as_text().map(str::to_owned))
                    .map(|s| normalise_region(&s))
                    .unwrap_or_default(),
                endpoint_type: attr("vpc_endpoint_type")
                    .and_then(text)
                    .unwrap_or_else(|| "Gateway".into()),
                state: None,
                private_dns_enabled: attr("private_dns_enabled")
                    .and_then(literal_bool)
                    .unwrap_or(false),
                policy,
                policy_unknown,
                subnet_ids: subnets.into_iter().map(|(s, _)| s).collect(),
                group_ids: groups.into_iter().map(|(g, _)| g).collect(),
                refs_unknown: su || gu,
                origin: origin(path, b),
            });
        }
        "aws_security_group" | "aws_default_security_group" => {
            st.security_groups.push(SecurityGroup {
                id,
                vpc_id: attr_ref(b, "vpc_id"),
                name: attr("name").and_then(text),
                ingress: b
                    .body
                    .blocks("ingress")
                    .map(|r| sg_block_rule(path, &r.body, r.ident_span))
                    .collect(),
                origin: origin(path, b),
            })
        }
        _ => return false,
    }
    true
}

/// `service_name = "com.amazonaws.${var.region}.secretsmanager"`: the region part does not
/// matter to the rules, the service does.
fn normalise_region(s: &str) -> String {
    match (s.find("${"), s.rfind('}')) {
        (Some(a), Some(b)) if a < b => format!("{}region{}", &s[..a], &s[b + 1..]),
        _ => s.to_owned(),
    }
}

fn route_from(path: &Arc<str>, body: &Body, at: Span, dest: &str, dest6: &str) -> Route {
    Route {
        destination_cidr: body.attr(dest).and_then(text),
        destination_ipv6_cidr: body.attr(dest6).and_then(text),
        gateway_id: body.attr("gateway_id").and_then(|a| reference(&a.value)),
        nat_gateway_id: body
            .attr("nat_gateway_id")
            .map(|a| reference(&a.value).unwrap_or_else(|| "nat-?".into())),
        transit_gateway_id: body
            .attr("transit_gateway_id")
            .map(|a| reference(&a.value).unwrap_or_else(|| "tgw-?".into())),
        network_interface_id: body
            .attr("network_interface_id")
            .map(|a| reference(&a.value).unwrap_or_else(|| "eni-?".into())),
        state: None,
        at: Some(crate::location::Location::new(path.clone(), at)),
    }
}

fn inline_route(path: &Arc<str>, r: &Block) -> Route {
    route_from(path, &r.body, r.ident_span, "cidr_block", "ipv6_cidr_block")
}

/// An `ingress { … }` block or an `aws_security_group_rule`.
fn sg_block_rule(path: &Arc<str>, body: &Body, at: Span) -> IpPermission {
    let loc = |s: Span| crate::location::Location::new(path.clone(), s);
    let mut cidrs = Vec::new();
    for key in ["cidr_blocks", "ipv6_cidr_blocks"] {
        if let Some(Expr::Array(xs)) = body.attr(key).map(|a| &a.value) {
            cidrs.extend(
                xs.iter()
                    .filter_map(|(x, s)| x.as_str().map(|c| (c.to_owned(), loc(*s)))),
            );
        }
    }
    let mut group_ids: Vec<String> = body
        .attr("security_groups")
        .map(|a| id_list(a).0.into_iter().map(|(g, _)| g).collect())
        .unwrap_or_default();
    if let Some(g) = body.attr("source_security_group_id") {
        group_ids.push(reference(&g.value).unwrap_or_else(|| "sg-?".into()));
    }
    if body.attr("self").and_then(literal_bool) == Some(true) {
        group_ids.push("self".into());
    }
    let prefix_list_ids = match body.attr("prefix_list_ids").map(|a| &a.value) {
        Some(Expr::Array(xs)) => xs
            .iter()
            .map(|(x, _)| reference(x).unwrap_or_else(|| "pl-?".into()))
            .collect(),
        _ => Vec::new(),
    };
    IpPermission {
        protocol: body.attr("protocol").and_then(text).unwrap_or_default(),
        from_port: body.attr("from_port").and_then(int),
        to_port: body.attr("to_port").and_then(int),
        cidrs,
        group_ids,
        prefix_list_ids,
        at: loc(at),
    }
}

/// `aws_vpc_security_group_ingress_rule`: one source per rule.
fn vpc_ingress_rule(path: &Arc<str>, b: &Block) -> IpPermission {
    let loc = |s: Span| crate::location::Location::new(path.clone(), s);
    let body = &b.body;
    let cidrs = ["cidr_ipv4", "cidr_ipv6"]
        .iter()
        .filter_map(|k| body.attr(k))
        .filter_map(|a| a.value.as_str().map(|c| (c.to_owned(), loc(a.value_span))))
        .collect();
    IpPermission {
        protocol: body.attr("ip_protocol").and_then(text).unwrap_or_default(),
        from_port: body.attr("from_port").and_then(int),
        to_port: body.attr("to_port").and_then(int),
        cidrs,
        group_ids: body
            .attr("referenced_security_group_id")
            .map(|a| reference(&a.value).unwrap_or_else(|| "sg-?".into()))
            .into_iter()
            .collect(),
        prefix_list_ids: body
            .attr("prefix_list_id")
            .map(|a| reference(&a.value).unwrap_or_else(|| "pl-?".into()))
            .into_iter()
            .collect(),
        at: loc(anchor(b)),
    }
}

/// Routes, associations and rules that are resources of their own.
fn attachment(path: &Arc<str>, b: &Block, st: &mut AwsState, ids: &mut Ids) {
    let table = |ids: &Ids, key: &str| -> Option<usize> {
        let id = attr_ref(b, key)?;
        ids.route_tables.get(&id).copied()
    };
    match b.labels[0].as_str() {
        "aws_route" => {
            let route = route_from(
                path,
                &b.body,
                anchor(b),
                "destination_cidr_block",
                "destination_ipv6_cidr_block",
            );
            if let Some(i) = table(ids, "route_table_id") {
                st.route_tables[i].routes.push(route);
            } else if let Some(vpc) =
                attr_ref(b, "route_table_id").filter(|r| r.starts_with("aws_vpc."))
            {
                // `route_table_id = aws_vpc.main.main_route_table_id`: the VPC's main table.
                let id = format!("{vpc}.main_route_table_id");
                let i = *ids.route_tables.entry(id.clone()).or_insert_with(|| {
                    st.route_tables.push(RouteTable {
                        id: id.clone(),
                        vpc_id: vpc,
                        routes: Vec::new(),
                        associations: vec![Association {
                            main: true,
                            ..Default::default()
                        }],
                        origin: Origin::file(path.clone(), anchor(b)),
                    });
                    st.route_tables.len() - 1
                });
                st.route_tables[i].routes.push(route);
            }
        }
        "aws_route_table_association" => {
            if let (Some(i), Some(subnet)) =
                (table(ids, "route_table_id"), attr_ref(b, "subnet_id"))
            {
                st.route_tables[i].associations.push(Association {
                    main: false,
                    subnet_id: Some(subnet),
                    state: None,
                });
            }
        }
        "aws_main_route_table_association" => {
            if let Some(i) = table(ids, "route_table_id") {
                st.route_tables[i].associations.push(Association {
                    main: true,
                    ..Default::default()
                });
            }
        }
        "aws_security_group_rule" => {
            let ingress = b.body.attr("type").and_then(text).as_deref() == Some("ingress");
            let group = attr_ref(b, "security_group_id");
            if let (true, Some(g)) = (ingress, group) {
                let rule = sg_block_rule(path, &b.body, anchor(b));
                if let Some(&i) = ids.security_groups.get(&g) {
                    st.security_groups[i].ingress.push(rule);
                }
            }
        }
        "aws_vpc_security_group_ingress_rule" => {
            if let Some(g) = attr_ref(b, "security_group_id") {
                let rule = vpc_ingress_rule(path, b);
                if let Some(&i) = ids.security_groups.get(&g) {
                    st.security_groups[i].ingress.push(rule);
                }
            }
        }
        _ => {}
    }
}

/// The endpoint policy as JSON text: a literal JSON string or heredoc, or `jsonencode({…})`
/// with literal keys (references inside become their source text, which never equals `*`).
fn policy_json(e: &Expr) -> Option<String> {
    match e {
        Expr::Str(s) => Some(s.clone()),
        Expr::Template(t) if !t.contains("${") => Some(t.clone()),
        Expr::Other(raw) => {
            let inner = raw.trim().strip_prefix("jsonencode(")?.strip_suffix(')')?;
            let expr = hcl_edit::parser::parse_expr(inner).ok()?;
            Some(to_json(&expr, inner).to_string())
        }
        _ => None,
    }
}

fn to_json(e: &hcl_edit::expr::Expression, src: &str) -> serde_json::Value {
    use hcl_edit::expr::{Expression, ObjectKey};
    use hcl_edit::Span as _;
    use serde_json::Value;
    let raw = |e: &Expression| {
        e.span()
            .and_then(|r| src.get(r))
            .unwrap_or("")
            .trim()
            .to_owned()
    };
    match e {
        Expression::Null(_) => Value::Null,
        Expression::Bool(b) => Value::Bool(*b.value()),
        Expression::Number(n) => serde_json::to_value(n.value().as_f64()).unwrap_or(Value::Null),
        Expression::String(s) => Value::String(s.value().clone()),
        Expression::Array(a) => Value::Array(a.iter().map(|x| to_json(x, src)).collect()),
        Expression::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_owned(),
                        ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                        ObjectKey::Expression(x) => raw(x),
                    };
                    (key, to_json(v.expr(), src))
                })
                .collect(),
        ),
        Expression::Parenthesis(p) => to_json(p.inner(), src),
        other => Value::String(raw(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::vault_hcl::HclKind;
    use crate::syntax::mapping::FileMap;

    fn state(text: &str) -> AwsState {
        let body = crate::syntax::hcl::parse(text, &FileMap::new(text)).unwrap();
        let doc = HclDoc {
            path: Arc::from("main.tf"),
            kind: HclKind::Terraform,
            body,
            container: None,
            origin: None,
            name: None,
        };
        build(std::iter::once(&doc))
    }

    const NET: &str = r#"
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1a"
}
resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
}
resource "aws_route" "default" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.gw.id
}
resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.public.id
}
resource "aws_vpc_endpoint" "sm" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.${var.region}.secretsmanager"
  vpc_endpoint_type   = "Interface"
  security_group_ids  = [aws_security_group.ep.id]
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = "*", Action = "*", Resource = aws_secretsmanager_secret.x.arn }]
  })
}
resource "aws_security_group" "ep" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;

    #[test]
    fn references_resolve_into_one_network() {
        let st = state(NET);
        let vpc = st.vpc("aws_vpc.main").unwrap();
        assert_eq!(vpc.dns_support, Some(true));
        assert_eq!(vpc.dns_hostnames, Some(false), "the provider default");
        let subnet = st.subnet("aws_subnet.a").unwrap();
        assert_eq!(subnet.vpc_id, "aws_vpc.main");
        let (path, route) = st.internet_path(subnet);
        assert_eq!(path, crate::model::live::aws::InternetPath::Igw);
        assert_eq!(route.unwrap().at.as_ref().unwrap().span.start.line, 15);
        let ep = &st.endpoints[0];
        assert!(ep.is_secrets_manager(), "{}", ep.service_name);
        assert!(!ep.private_dns_enabled, "the provider default");
        assert_eq!(ep.group_ids, ["aws_security_group.ep"]);
        let policy: serde_json::Value =
            serde_json::from_str(ep.policy.as_deref().unwrap()).unwrap();
        assert_eq!(policy["Statement"][0]["Principal"], "*");
        assert_eq!(
            policy["Statement"][0]["Resource"],
            "aws_secretsmanager_secret.x.arn"
        );
        let sg = st.security_group("aws_security_group.ep").unwrap();
        assert!(sg.ingress[0].allows_tcp_443());
        assert_eq!(sg.ingress[0].open_sources().count(), 1);
        assert_eq!(
            ep.origin.field("private_dns_enabled").span,
            ep.origin.at.span,
            "an omitted argument is reported at the resource"
        );
    }

    #[test]
    fn a_subnet_without_association_uses_the_main_table() {
        let st = state(
            r#"
resource "aws_vpc" "v" {}
resource "aws_subnet" "s" { vpc_id = aws_vpc.v.id }
resource "aws_default_route_table" "d" {
  default_route_table_id = aws_vpc.v.default_route_table_id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.n.id
  }
}
"#,
        );
        let s = st.subnet("aws_subnet.s").unwrap();
        assert_eq!(
            st.internet_path(s).0,
            crate::model::live::aws::InternetPath::Nat
        );
    }

    /// Attachments find their table or group by id: the first of a duplicated id, a main
    /// table created by one route and found by the next, tables and groups declared after
    /// the routes and rules that name them, and unknown ids dropped.
    #[test]
    fn attachments_find_the_first_object_of_their_id() {
        let st = state(
            r#"
resource "aws_route" "r1" {
  route_table_id         = aws_route_table.t.id
  destination_cidr_block = "10.1.0.0/16"
}
resource "aws_route_table" "t" { vpc_id = aws_vpc.v.id }
resource "aws_route_table" "t" { vpc_id = aws_vpc.w.id }
resource "aws_route_table" "u" { vpc_id = aws_vpc.v.id }
resource "aws_route" "r2" {
  route_table_id         = aws_route_table.u.id
  destination_cidr_block = "10.2.0.0/16"
}
resource "aws_route" "m1" {
  route_table_id         = aws_vpc.v.main_route_table_id
  destination_cidr_block = "10.3.0.0/16"
}
resource "aws_route" "m2" {
  route_table_id         = aws_vpc.v.main_route_table_id
  destination_cidr_block = "10.4.0.0/16"
}
resource "aws_route" "lost" {
  route_table_id         = aws_route_table.nowhere.id
  destination_cidr_block = "10.5.0.0/16"
}
resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.t.id
}
resource "aws_main_route_table_association" "m" {
  vpc_id         = aws_vpc.v.id
  route_table_id = aws_route_table.u.id
}
resource "aws_security_group_rule" "in" {
  type              = "ingress"
  security_group_id = aws_security_group.g.id
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}
resource "aws_security_group_rule" "out" {
  type              = "egress"
  security_group_id = aws_security_group.g.id
}
resource "aws_vpc_security_group_ingress_rule" "v" {
  security_group_id = aws_security_group.h.id
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}
resource "aws_vpc_security_group_ingress_rule" "lost" {
  security_group_id = aws_security_group.nowhere.id
  cidr_ipv4         = "0.0.0.0/0"
}
resource "aws_security_group" "g" { vpc_id = aws_vpc.v.id }
resource "aws_security_group" "h" { vpc_id = aws_vpc.v.id }
resource "aws_security_group" "g" { vpc_id = aws_vpc.w.id }
"#,
        );
        let tables: Vec<(&str, usize, usize)> = st
            .route_tables
            .iter()
            .map(|t| (t.id.as_str(), t.routes.len(), t.associations.len()))
            .collect();
        assert_eq!(
            tables,
            [
                ("aws_route_table.t", 1, 1),
                ("aws_route_table.t", 0, 0),
                ("aws_route_table.u", 1, 1),
                ("aws_vpc.v.main_route_table_id", 2, 1),
            ]
        );
        let dests: Vec<Option<&str>> = st.route_tables[3]
            .routes
            .iter()
            .map(|r| r.destination_cidr.as_deref())
            .collect();
        assert_eq!(dests, [Some("10.3.0.0/16"), Some("10.4.0.0/16")]);
        let groups: Vec<(&str, usize)> = st
            .security_groups
            .iter()
            .map(|g| (g.id.as_str(), g.ingress.len()))
            .collect();
        assert_eq!(
            groups,
            [
                ("aws_security_group.g", 1),
                ("aws_security_group.h", 1),
                ("aws_security_group.g", 0),
            ]
        );
    }
}
