//! `networking.k8s.io/v1` NetworkPolicy as the API server stores it and the CNI enforces it:
//! the pod selector (absent = all pods), the effective `policyTypes` (RULES-SPEC K8S010: the
//! list if non-empty, else Ingress plus Egress when an `egress` section is present), and the
//! rules with their peers (`namespaceSelector` + `podSelector` in one peer select pods
//! matching both; in separate peers either; `ipBlock` with `except`) and ports (numbers,
//! named ports, `endPort` ranges).

use super::selector::{self, Selector};
use crate::location::Span;
use crate::model::file::ParsedFile;
use crate::syntax::yaml::{Entry, Node};

/// Which directions a policy isolates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Types {
    pub ingress: bool,
    pub egress: bool,
}

/// A traffic direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ingress,
    Egress,
}

/// One side of a rule (`to[]`/`from[]` item).
#[derive(Debug, Clone)]
pub enum Peer {
    /// Pods: `namespace` absent means the policy's own namespace; `pods` absent means every
    /// pod of the selected namespaces.
    Pods {
        namespaces: Option<Selector>,
        pods: Option<Selector>,
        span: Span,
        /// The `namespaceSelector` key, when present.
        ns_key: Option<Span>,
    },
    /// An IP range, minus the `except` ranges.
    IpBlock {
        cidr: String,
        except: Vec<String>,
        span: Span,
    },
    /// A peer the API server would reject or that is templated.
    Unknown { why: String, span: Span },
}

/// A port entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    /// `TCP` (default), `UDP`, `SCTP`.
    pub protocol: String,
    /// Absent = every port of the protocol.
    pub port: Option<PortValue>,
    pub end_port: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortValue {
    Number(u32),
    /// A named container port (resolved per destination pod by the CNI).
    Named(String),
}

/// One ingress or egress rule.
#[derive(Debug, Clone)]
pub struct PolicyRule {
    /// `None` when `to`/`from` is absent or empty: every peer (RULES-SPEC K8S012).
    pub peers: Option<Vec<Peer>>,
    /// Empty = every port.
    pub ports: Vec<Port>,
    /// The rule (sequence item).
    pub span: Span,
    pub templated: bool,
}

/// A NetworkPolicy, parsed.
#[derive(Debug, Clone)]
pub struct NetworkPolicy {
    /// Index into `Inventory::files` and that file's `objects`.
    pub file: usize,
    pub object: usize,
    pub name: String,
    pub pod_selector: Selector,
    /// The `podSelector` entry, when written.
    pub pod_selector_key: Option<Span>,
    pub types: Types,
    /// The `policyTypes` entry when written (and non-empty).
    pub policy_types: Option<Span>,
    /// The `egress` entry, when written.
    pub egress_key: Option<Span>,
    pub ingress: Vec<PolicyRule>,
    pub egress: Vec<PolicyRule>,
}

impl NetworkPolicy {
    pub fn parse(file: &ParsedFile, fi: usize, oi: usize) -> NetworkPolicy {
        let obj = &file.objects[oi];
        let spec = obj.get(&["spec"]);
        let entry = |k: &str| spec.and_then(|s| s.entry(k));
        let pod_selector = match entry("podSelector") {
            // Optional in the current API; absent means every pod of the namespace.
            None => Selector::all(),
            Some(e) => selector::parse(&e.value, super::namespace::templated(file, e.key.span)),
        };
        let egress_entry = entry("egress");
        let ingress = rules(file, entry("ingress"), Direction::Ingress);
        let egress = rules(file, egress_entry, Direction::Egress);
        let listed = entry("policyTypes").filter(|e| !e.value.items().is_empty());
        let types = match listed {
            Some(e) => {
                let has = |t: &str| e.value.items().iter().any(|i| i.as_str() == Some(t));
                Types {
                    ingress: has("Ingress"),
                    egress: has("Egress"),
                }
            }
            None => Types {
                ingress: true,
                // "policies that contain an Egress section are assumed to affect Egress";
                // a templated egress section may render rules.
                egress: !egress.is_empty()
                    || egress_entry.is_some_and(|e| super::namespace::templated(file, e.key.span)),
            },
        };
        NetworkPolicy {
            file: fi,
            object: oi,
            name: obj.name.clone(),
            pod_selector,
            pod_selector_key: entry("podSelector").map(|e| e.key.span),
            types,
            policy_types: listed.map(|e| e.key.span),
            egress_key: egress_entry.map(|e| e.key.span),
            ingress,
            egress,
        }
    }
    /// The rules of one direction.
    pub fn rules(&self, d: Direction) -> &[PolicyRule] {
        match d {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }
    /// True when the policy isolates this direction.
    pub fn affects(&self, d: Direction) -> bool {
        match d {
            Direction::Ingress => self.types.ingress,
            Direction::Egress => self.types.egress,
        }
    }
}

/// Parses the rules of an `ingress`/`egress` entry (also used for chart values that render
/// into one, e.g. vault-helm `server.networkPolicy.ingress`).
fn rules(file: &ParsedFile, entry: Option<&Entry>, d: Direction) -> Vec<PolicyRule> {
    match entry {
        Some(e) => rules_of(Some(file), &e.value, d),
        None => Vec::new(),
    }
}

/// Parses a list of ingress/egress rules. `file` is the file the node is in (to notice
/// Helm template actions); `None` for nodes that are not in a scanned file (chart defaults).
pub fn rules_of(file: Option<&ParsedFile>, node: &Node, d: Direction) -> Vec<PolicyRule> {
    let templated = |span: Span| file.is_some_and(|f| super::namespace::templated(f, span));
    let peer_key = match d {
        Direction::Ingress => "from",
        Direction::Egress => "to",
    };
    node.items()
        .iter()
        .map(|rule| {
            let peers_node = rule.entry(peer_key);
            let templated = peers_node.is_some_and(|p| templated(p.key.span))
                || rule.entry("ports").is_some_and(|p| templated(p.key.span));
            let peers = peers_node
                .map(|p| p.value.items())
                .filter(|items| !items.is_empty())
                .map(|items| items.iter().map(|p| peer(file, p)).collect());
            PolicyRule {
                peers,
                ports: rule
                    .get("ports")
                    .map(Node::items)
                    .unwrap_or(&[])
                    .iter()
                    .map(port)
                    .collect(),
                span: rule.span,
                templated,
            }
        })
        .collect()
}

fn peer(file: Option<&ParsedFile>, p: &Node) -> Peer {
    if let Some(ip) = p.get("ipBlock") {
        let Some(cidr) = ip.get("cidr").and_then(Node::as_str) else {
            return Peer::Unknown {
                why: "ipBlock without cidr".into(),
                span: p.span,
            };
        };
        return Peer::IpBlock {
            cidr: cidr.to_owned(),
            except: ip
                .get("except")
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .filter_map(|e| e.as_str().map(str::to_owned))
                .collect(),
            span: p.span,
        };
    }
    let sel = |k: &str| {
        p.entry(k).map(|e| {
            let templated = file.is_some_and(|f| super::namespace::templated(f, e.key.span));
            selector::parse(&e.value, templated)
        })
    };
    let namespaces = sel("namespaceSelector");
    let pods = sel("podSelector");
    if namespaces.is_none() && pods.is_none() {
        return Peer::Unknown {
            why: "peer with neither podSelector, namespaceSelector nor ipBlock".into(),
            span: p.span,
        };
    }
    Peer::Pods {
        namespaces,
        pods,
        span: p.span,
        ns_key: p.entry("namespaceSelector").map(|e| e.key.span),
    }
}

fn port(p: &Node) -> Port {
    let port = p.get("port").and_then(|v| {
        let s = v.as_str()?;
        Some(match s.parse::<u32>() {
            Ok(n) => PortValue::Number(n),
            Err(_) => PortValue::Named(s.to_owned()),
        })
    });
    Port {
        protocol: p
            .get("protocol")
            .and_then(Node::as_str)
            .unwrap_or("TCP")
            .to_owned(),
        port,
        end_port: p
            .get("endPort")
            .and_then(Node::as_str)
            .and_then(|s| s.parse().ok()),
    }
}

impl Port {
    /// `53/UDP`, `8000-8100/TCP`, `http/TCP`, `all TCP ports`.
    pub fn describe(&self) -> String {
        match (&self.port, self.end_port) {
            (None, _) => format!("every {} port", self.protocol),
            (Some(PortValue::Number(n)), Some(e)) => format!("{n}-{e}/{}", self.protocol),
            (Some(PortValue::Number(n)), None) => format!("{n}/{}", self.protocol),
            (Some(PortValue::Named(n)), _) => format!("named port `{n}`/{}", self.protocol),
        }
    }
    /// True when the entry admits exactly DNS (port 53, any protocol, no range beyond 53).
    pub fn is_dns_only(&self) -> bool {
        matches!(self.port, Some(PortValue::Number(53))) && self.end_port.is_none_or(|e| e == 53)
    }
    /// Whether the entry admits `port`/`protocol` (named ports: unknown, `None`).
    pub fn admits(&self, port: u32, protocol: &str) -> Option<bool> {
        if !self.protocol.eq_ignore_ascii_case(protocol) {
            return Some(false);
        }
        match &self.port {
            None => Some(true),
            Some(PortValue::Number(n)) => Some(match self.end_port {
                Some(e) => (*n..=e).contains(&port),
                None => *n == port,
            }),
            Some(PortValue::Named(_)) => None,
        }
    }
}

impl Peer {
    pub fn span(&self) -> Span {
        match self {
            Peer::Pods { span, .. } | Peer::IpBlock { span, .. } | Peer::Unknown { span, .. } => {
                *span
            }
        }
    }
    /// True when the peer is every pod of every namespace (`namespaceSelector: {}` with no
    /// or an empty `podSelector`).
    pub fn all_pods_everywhere(&self) -> bool {
        matches!(self, Peer::Pods { namespaces: Some(n), pods, .. }
            if n.is_everything() && pods.as_ref().is_none_or(Selector::is_everything))
    }
    /// True for `0.0.0.0/0` or `::/0` with no `except` (RULES-SPEC K8S012: "without except
    /// covering cluster CIDRs" — any `except` is taken as the author carving the cluster out,
    /// since the cluster CIDRs are not known offline).
    pub fn whole_internet(&self) -> bool {
        matches!(self, Peer::IpBlock { cidr, except, .. }
            if (cidr == "0.0.0.0/0" || cidr == "::/0") && except.is_empty())
    }
    pub fn describe(&self) -> String {
        match self {
            Peer::Pods {
                namespaces, pods, ..
            } => {
                let ns = describe_side(
                    namespaces.as_ref(),
                    "this namespace",
                    "every namespace",
                    "namespaces",
                );
                let p = describe_side(pods.as_ref(), "every pod", "every pod", "pods");
                format!("{p} in {ns}")
            }
            Peer::IpBlock { cidr, except, .. } if except.is_empty() => format!("ipBlock {cidr}"),
            Peer::IpBlock { cidr, except, .. } => {
                format!("ipBlock {cidr} except {}", except.join(", "))
            }
            Peer::Unknown { why, .. } => format!("<not evaluated: {why}>"),
        }
    }
}

/// One side of a pod peer: absent, `{}`, or a selector.
fn describe_side(s: Option<&Selector>, absent: &str, everything: &str, what: &str) -> String {
    match s {
        None => absent.to_owned(),
        Some(s) if s.is_everything() => everything.to_owned(),
        Some(s) => format!("{what} [{}]", s.describe()),
    }
}

impl PolicyRule {
    /// "every destination" / the peers, and the ports.
    pub fn describe(&self, d: Direction) -> String {
        let peers = match &self.peers {
            None => match d {
                Direction::Egress => "every destination".to_owned(),
                Direction::Ingress => "every source".to_owned(),
            },
            Some(p) => p
                .iter()
                .map(Peer::describe)
                .collect::<Vec<_>>()
                .join(" or "),
        };
        let ports = if self.ports.is_empty() {
            "every port".to_owned()
        } else {
            self.ports
                .iter()
                .map(Port::describe)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let t = if self.templated { " (templated)" } else { "" };
        format!("{peers} on {ports}{t}")
    }
    /// True when the rule admits only DNS (every port entry is port 53).
    pub fn dns_only(&self) -> bool {
        !self.ports.is_empty() && self.ports.iter().all(Port::is_dns_only)
    }
}

/// Why a rule admits every peer.
#[derive(Debug, Clone, Copy)]
pub enum Everything<'a> {
    /// `to`/`from` absent or empty.
    NoPeers,
    /// A peer that is everything (see [`Peer::all_pods_everywhere`], [`Peer::whole_internet`]).
    Peer(&'a Peer),
}

impl PolicyRule {
    /// When the rule admits every peer (ports aside); `None` for templated rules.
    pub fn everything(&self) -> Option<Everything<'_>> {
        if self.templated {
            return None;
        }
        match &self.peers {
            None => Some(Everything::NoPeers),
            Some(peers) => peers
                .iter()
                .find(|x| x.whole_internet() || x.all_pods_everywhere())
                .map(Everything::Peer),
        }
    }
}

impl Everything<'_> {
    /// "has no `to`, which matches every destination", "allows ipBlock 0.0.0.0/0 …".
    pub fn describe(&self, d: Direction) -> String {
        match self {
            Everything::NoPeers => match d {
                Direction::Egress => "has no `to`, which matches every destination".into(),
                Direction::Ingress => "has no `from`, which admits every source".into(),
            },
            Everything::Peer(Peer::IpBlock { cidr, .. }) => {
                format!(
                    "allows ipBlock {cidr} without `except`: every address, cluster pods included"
                )
            }
            Everything::Peer(_) => {
                "allows `namespaceSelector: {}` without a podSelector: every pod in every namespace"
                    .into()
            }
        }
    }
    /// The span to report: the peer, else the rule.
    pub fn span(&self, rule: &PolicyRule) -> Span {
        match self {
            Everything::NoPeers => rule.span,
            Everything::Peer(p) => p.span(),
        }
    }
}

/// A destination (or source) pod, for "would this rule admit it" questions.
#[derive(Debug, Clone)]
pub struct Endpoint<'a> {
    pub labels: &'a super::selector::Labels,
    pub namespace: &'a super::namespace::NsKey,
    /// Labels of its namespace (with `kubernetes.io/metadata.name`).
    pub namespace_labels: &'a super::selector::Labels,
}

impl Peer {
    /// Whether the peer covers the pod; `policy_ns` is the policy's own namespace. `None`
    /// when it cannot be known (templated selectors, IP ranges other than everything).
    pub fn admits(&self, e: &Endpoint<'_>, policy_ns: &super::namespace::NsKey) -> Option<bool> {
        match self {
            Peer::Pods {
                namespaces, pods, ..
            } => {
                let ns_ok = match namespaces {
                    None => Some(e.namespace == policy_ns),
                    Some(s) => s.matches(Some(e.namespace_labels)),
                };
                let pod_ok = pods
                    .as_ref()
                    .map_or(Some(true), |s| s.matches(Some(e.labels)));
                match (ns_ok, pod_ok) {
                    (Some(false), _) | (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                }
            }
            // Pod IPs are not known offline; only "everything" is certain.
            Peer::IpBlock { .. } if self.whole_internet() => Some(true),
            Peer::IpBlock { .. } | Peer::Unknown { .. } => None,
        }
    }
}

impl PolicyRule {
    /// Whether the rule admits traffic with the endpoint on `port`/`protocol`.
    pub fn admits(
        &self,
        e: &Endpoint<'_>,
        policy_ns: &super::namespace::NsKey,
        port: u32,
        protocol: &str,
    ) -> Option<bool> {
        if self.templated {
            return None;
        }
        let port_ok = if self.ports.is_empty() {
            Some(true)
        } else {
            any3(self.ports.iter().map(|p| p.admits(port, protocol)))
        };
        let peer_ok = match &self.peers {
            None => Some(true),
            Some(peers) => any3(peers.iter().map(|p| p.admits(e, policy_ns))),
        };
        and3(peer_ok, port_ok)
    }
}

/// Three-valued AND: false if either is false, true if both are true, else unknown.
pub fn and3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// Three-valued OR: true if any is true, false if all are false, else unknown.
pub fn any3(values: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut unknown = false;
    for v in values {
        match v {
            Some(true) => return Some(true),
            None => unknown = true,
            Some(false) => {}
        }
    }
    if unknown {
        None
    } else {
        Some(false)
    }
}
