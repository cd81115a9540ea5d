//! CNI-specific and cluster-scoped policies that also govern pod egress: Cilium
//! (`CiliumNetworkPolicy`, `CiliumClusterwideNetworkPolicy`), Calico (`projectcalico.org/v3`
//! and `crd.projectcalico.org/v1` `NetworkPolicy` / `GlobalNetworkPolicy`) and the
//! AdminNetworkPolicy API (`AdminNetworkPolicy`, `BaselineAdminNetworkPolicy`).
//!
//! Modelled: which pods a policy selects (Cilium `endpointSelector`, with `k8s:`/`any:` key
//! prefixes and the `io.kubernetes.pod.namespace` label; Calico selector expressions; ANP
//! `subject`) and whether it governs egress (Cilium `egress`/`egressDeny`; Calico `types`, else
//! Egress when egress rules exist; ANP `egress`). Not modelled: what their rules allow (L7,
//! FQDN, entities, CIDR groups, tiers and `order`, `Pass`/`Deny` actions, Calico
//! `namespaceSelector`/`serviceAccountSelector` on global policies, Cilium `nodeSelector` host
//! policies), so pods they select are reported at info, "governed by a CNI-specific policy, not
//! evaluated" (RULES-SPEC K8S010), never as having no egress policy.

use super::namespace::NsKey;
use super::selector::{self, Labels, Selector};
use crate::model::k8s::K8sObject;
use crate::syntax::yaml::Node;

/// How a CNI policy picks its pods.
#[derive(Debug, Clone)]
pub enum Endpoints {
    /// A Kubernetes-style label selector over pod labels (Cilium, keys normalised).
    Labels(Selector),
    /// A Calico selector expression.
    Calico(Result<Expr, String>),
    /// ANP `subject`: namespaces (over namespace labels) and pods.
    Subject {
        namespaces: Selector,
        pods: Selector,
    },
    /// Not evaluated (e.g. Cilium `nodeSelector` host policies): may select anything.
    Unknown(String),
}

/// A policy of one of the kinds above.
#[derive(Debug, Clone)]
pub struct CniPolicy {
    pub file: usize,
    pub object: usize,
    pub kind: String,
    pub name: String,
    /// `None` for cluster-wide kinds.
    pub namespace: Option<NsKey>,
    pub endpoints: Endpoints,
    /// True when it governs the selected pods' egress.
    pub egress: bool,
}

/// The kinds this module reads, by API group.
pub fn is_cni_policy(obj: &K8sObject) -> bool {
    let g = obj.api_group();
    match obj.kind.as_str() {
        "CiliumNetworkPolicy" | "CiliumClusterwideNetworkPolicy" => g == "cilium.io",
        "NetworkPolicy" | "GlobalNetworkPolicy" => {
            g == "projectcalico.org" || g == "crd.projectcalico.org"
        }
        "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy" => g == "policy.networking.k8s.io",
        _ => false,
    }
}

/// True for kinds without a namespace.
pub fn is_cluster_wide(kind: &str) -> bool {
    matches!(
        kind,
        "CiliumClusterwideNetworkPolicy"
            | "GlobalNetworkPolicy"
            | "AdminNetworkPolicy"
            | "BaselineAdminNetworkPolicy"
    )
}

impl CniPolicy {
    pub fn parse(obj: &K8sObject, fi: usize, oi: usize, namespace: Option<NsKey>) -> CniPolicy {
        let spec = obj.get(&["spec"]);
        let (endpoints, egress) = match obj.kind.as_str() {
            "CiliumNetworkPolicy" | "CiliumClusterwideNetworkPolicy" => {
                // `spec` or a list of `specs`; any of them counts.
                let specs: Vec<&Node> = spec
                    .into_iter()
                    .chain(obj.get(&["specs"]).map(Node::items).unwrap_or(&[]))
                    .collect();
                let egress = specs.iter().any(|s| {
                    ["egress", "egressDeny"]
                        .iter()
                        .any(|k| s.get(k).is_some_and(|e| !e.items().is_empty()))
                        || s.path(&["enableDefaultDeny", "egress"])
                            .and_then(Node::as_str)
                            == Some("true")
                });
                let sels: Vec<&Node> = specs
                    .iter()
                    .filter_map(|s| s.get("endpointSelector"))
                    .collect();
                let endpoints = match sels.as_slice() {
                    [] => Endpoints::Unknown("no endpointSelector (host or node policy)".into()),
                    [one] => Endpoints::Labels(cilium_selector(one)),
                    _ => Endpoints::Unknown("several specs with different selectors".into()),
                };
                (endpoints, egress)
            }
            "NetworkPolicy" | "GlobalNetworkPolicy" => {
                let text = spec
                    .and_then(|s| s.get("selector"))
                    .and_then(Node::as_str)
                    .unwrap_or("");
                let has_egress = spec
                    .and_then(|s| s.get("egress"))
                    .is_some_and(|e| !e.items().is_empty());
                let types = spec.and_then(|s| s.get("types")).map(Node::items);
                let egress = match types {
                    Some(t) if !t.is_empty() => t.iter().any(|i| i.as_str() == Some("Egress")),
                    _ => has_egress,
                };
                let mut endpoints = Endpoints::Calico(parse_calico(text));
                if obj.kind == "GlobalNetworkPolicy"
                    && spec
                        .and_then(|s| s.get("namespaceSelector"))
                        .and_then(Node::as_str)
                        .is_some_and(|n| !matches!(n.trim(), "" | "all()"))
                {
                    endpoints = Endpoints::Unknown("namespaceSelector not modelled".into());
                }
                (endpoints, egress)
            }
            _ => {
                let egress = spec
                    .and_then(|s| s.get("egress"))
                    .is_some_and(|e| !e.items().is_empty());
                let subject = spec.and_then(|s| s.get("subject"));
                let endpoints = match (
                    subject.and_then(|s| s.get("namespaces")),
                    subject.and_then(|s| s.get("pods")),
                ) {
                    (Some(ns), _) => Endpoints::Subject {
                        namespaces: selector::parse(ns, false),
                        pods: Selector::all(),
                    },
                    (None, Some(p)) => Endpoints::Subject {
                        namespaces: p
                            .get("namespaceSelector")
                            .map_or_else(Selector::all, |n| selector::parse(n, false)),
                        pods: p
                            .get("podSelector")
                            .map_or_else(Selector::all, |n| selector::parse(n, false)),
                    },
                    _ => Endpoints::Unknown("no subject".into()),
                };
                (endpoints, egress)
            }
        };
        CniPolicy {
            file: fi,
            object: oi,
            kind: obj.kind.clone(),
            name: obj.name.clone(),
            namespace,
            endpoints,
            egress,
        }
    }

    /// Whether the policy selects a pod with these labels in namespace `ns` (whose own
    /// labels are `ns_labels`); `None` when not known.
    pub fn selects(&self, labels: Option<&Labels>, ns: &NsKey, ns_labels: &Labels) -> Option<bool> {
        if let Some(own) = &self.namespace {
            if own != ns {
                return Some(false);
            }
        }
        match &self.endpoints {
            Endpoints::Unknown(_) => None,
            Endpoints::Labels(sel) => {
                let mut l = labels.cloned()?;
                if let Some(n) = ns.name() {
                    l.insert("io.kubernetes.pod.namespace".into(), n.into());
                } else if sel_mentions_namespace(sel) {
                    return None;
                }
                sel.matches(Some(&l))
            }
            Endpoints::Calico(Err(_)) => None,
            Endpoints::Calico(Ok(e)) => e.eval(labels?),
            Endpoints::Subject { namespaces, pods } => {
                let ns_match = if namespaces.is_everything() {
                    Some(true)
                } else if ns.name().is_some() {
                    namespaces.matches(Some(ns_labels))
                } else {
                    None
                };
                super::policy::and3(ns_match, pods.matches(labels))
            }
        }
    }
}

fn sel_mentions_namespace(sel: &Selector) -> bool {
    matches!(sel, Selector::Match(r) if r.iter().any(|r| r.key == "io.kubernetes.pod.namespace"))
}

/// A Cilium endpoint selector: a label selector whose keys may carry a source prefix
/// (`k8s:app`, `any:app`); `reserved:` labels are not pod labels.
fn cilium_selector(node: &Node) -> Selector {
    match selector::parse(node, false) {
        Selector::Match(mut reqs) => {
            for r in &mut reqs {
                if r.key.starts_with("reserved:") {
                    return Selector::Unknown(format!("reserved label {}", r.key));
                }
                if let Some(k) = r.key.strip_prefix("k8s:").or(r.key.strip_prefix("any:")) {
                    r.key = k.to_owned();
                }
            }
            Selector::Match(reqs)
        }
        u => u,
    }
}

/// A Calico selector expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    All,
    Has(String),
    Eq(String, String),
    Ne(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Contains(String, String),
    StartsWith(String, String),
    EndsWith(String, String),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// Evaluates over pod labels (always known here; `Option` for symmetry with selectors).
    pub fn eval(&self, l: &Labels) -> Option<bool> {
        let get = |k: &str| l.get(k).map(String::as_str);
        Some(match self {
            Expr::All => true,
            Expr::Has(k) => get(k).is_some(),
            Expr::Eq(k, v) => get(k) == Some(v.as_str()),
            // Calico: `a != 'x'` matches endpoints without `a` too.
            Expr::Ne(k, v) => get(k) != Some(v.as_str()),
            Expr::In(k, vs) => get(k).is_some_and(|x| vs.iter().any(|v| v == x)),
            Expr::NotIn(k, vs) => get(k).is_none_or(|x| !vs.iter().any(|v| v == x)),
            Expr::Contains(k, v) => get(k).is_some_and(|x| x.contains(v.as_str())),
            Expr::StartsWith(k, v) => get(k).is_some_and(|x| x.starts_with(v.as_str())),
            Expr::EndsWith(k, v) => get(k).is_some_and(|x| x.ends_with(v.as_str())),
            Expr::Not(e) => !e.eval(l)?,
            Expr::And(a, b) => a.eval(l)? && b.eval(l)?,
            Expr::Or(a, b) => a.eval(l)? || b.eval(l)?,
        })
    }
}

/// Parses a Calico selector (`app == 'web' && has(tier)`, `env in {'a','b'}`, `all()`); an
/// empty selector is `all()`.
pub fn parse_calico(text: &str) -> Result<Expr, String> {
    let mut p = CalicoParser {
        s: text.as_bytes(),
        i: 0,
    };
    p.ws();
    if p.i == p.s.len() {
        return Ok(Expr::All);
    }
    let e = p.or()?;
    p.ws();
    if p.i != p.s.len() {
        return Err(format!("unexpected text at {}", p.i));
    }
    Ok(e)
}

struct CalicoParser<'a> {
    s: &'a [u8],
    i: usize,
}

impl CalicoParser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }
    fn eat(&mut self, t: &str) -> bool {
        self.ws();
        if self.s[self.i..].starts_with(t.as_bytes()) {
            self.i += t.len();
            true
        } else {
            false
        }
    }
    fn or(&mut self) -> Result<Expr, String> {
        let mut e = self.and()?;
        while self.eat("||") {
            e = Expr::Or(Box::new(e), Box::new(self.and()?));
        }
        Ok(e)
    }
    fn and(&mut self) -> Result<Expr, String> {
        let mut e = self.unary()?;
        while self.eat("&&") {
            e = Expr::And(Box::new(e), Box::new(self.unary()?));
        }
        Ok(e)
    }
    fn unary(&mut self) -> Result<Expr, String> {
        if self.eat("!") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.eat("(") {
            let e = self.or()?;
            if !self.eat(")") {
                return Err("missing )".into());
            }
            return Ok(e);
        }
        if self.eat("all()") || self.eat("global()") {
            return Ok(Expr::All);
        }
        if self.eat("has(") {
            let k = self.ident()?;
            if !self.eat(")") {
                return Err("missing ) after has(".into());
            }
            return Ok(Expr::Has(k));
        }
        let k = self.ident()?;
        for (op, make) in [
            ("==", Expr::Eq as fn(String, String) -> Expr),
            ("!=", Expr::Ne),
            ("contains", Expr::Contains),
            ("starts with", Expr::StartsWith),
            ("ends with", Expr::EndsWith),
        ] {
            if self.eat(op) {
                return Ok(make(k, self.string()?));
            }
        }
        if self.eat("not in") {
            return Ok(Expr::NotIn(k, self.set()?));
        }
        if self.eat("in") {
            return Ok(Expr::In(k, self.set()?));
        }
        Err(format!("expected an operator after `{k}`"))
    }
    fn ident(&mut self) -> Result<String, String> {
        self.ws();
        let start = self.i;
        while self
            .s
            .get(self.i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || b"._-/".contains(c))
        {
            self.i += 1;
        }
        if start == self.i {
            return Err("expected a label name".into());
        }
        Ok(String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
    }
    fn string(&mut self) -> Result<String, String> {
        self.ws();
        let q = *self.s.get(self.i).ok_or("expected a string")?;
        if q != b'\'' && q != b'"' {
            return Err("expected a quoted string".into());
        }
        let start = self.i + 1;
        let end = self.s[start..]
            .iter()
            .position(|c| *c == q)
            .ok_or("unterminated string")?
            + start;
        self.i = end + 1;
        Ok(String::from_utf8_lossy(&self.s[start..end]).into_owned())
    }
    fn set(&mut self) -> Result<Vec<String>, String> {
        if !self.eat("{") {
            return Err("expected {".into());
        }
        let mut out = Vec::new();
        if self.eat("}") {
            return Ok(out);
        }
        loop {
            out.push(self.string()?);
            if self.eat("}") {
                return Ok(out);
            }
            if !self.eat(",") {
                return Err("expected , or }".into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn calico_selectors_evaluate_like_calico() {
        let e = parse_calico("app == 'web' && (tier in {'a', \"b\"} || has(legacy))").unwrap();
        assert_eq!(e.eval(&l(&[("app", "web"), ("tier", "b")])), Some(true));
        assert_eq!(e.eval(&l(&[("app", "web"), ("legacy", "x")])), Some(true));
        assert_eq!(e.eval(&l(&[("app", "web")])), Some(false));
        assert_eq!(parse_calico("").unwrap(), Expr::All);
        assert_eq!(
            parse_calico("!has(x) && env != 'prod'")
                .unwrap()
                .eval(&l(&[])),
            Some(true)
        );
        assert_eq!(
            parse_calico("env not in {'prod'}")
                .unwrap()
                .eval(&l(&[("env", "prod")])),
            Some(false)
        );
        assert!(parse_calico("app === 'x'").is_err());
    }
}
