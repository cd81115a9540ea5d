//! The isolation model over whole inventories: namespaces across files, Helm release
//! namespaces kept apart, effective policy types, selection per direction, peers and ports.

use super::namespace::{NsKey, NsOrigin};
use super::policy::{Direction, Endpoint};
use super::selector::Labels;
use crate::model::file::load_text;
use crate::model::inventory::Inventory;
use crate::source::classify::Format;

fn inventory(files: &[(&str, &str)]) -> Inventory {
    let parsed = files
        .iter()
        .map(|(name, text)| load_text(name, (*text).to_owned(), Some(Format::Yaml)))
        .collect();
    Inventory::new(parsed, "team", &[])
}

const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n      - name: api\n        image: api\n";

#[test]
fn namespaces_come_from_metadata_or_the_scan_default_and_helm_releases_stay_apart() {
    let chart_deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  namespace: {{ .Release.Namespace }}\nspec:\n  template:\n    metadata:\n      labels:\n        {{- include \"x.labels\" . | nindent 8 }}\n    spec:\n      containers: []\n";
    let inv = inventory(&[
        ("d.yaml", DEPLOY),
        ("chart/templates/deploy.yaml", chart_deploy),
        (
            "np.yaml",
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: team\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n",
        ),
    ]);
    let m = inv.netpol();
    let plain = m.pods.iter().find(|p| p.file == 0).unwrap();
    assert_eq!(plain.namespace, NsKey::Known("team".into()));
    assert_eq!(plain.ns_origin, NsOrigin::ScanDefault);
    let chart = m.pods.iter().find(|p| p.file == 1).unwrap();
    assert!(matches!(&chart.namespace, NsKey::Unknown(s) if s.contains("chart chart")));
    assert_eq!(chart.ns_origin, NsOrigin::HelmRelease);
    assert_eq!(chart.labels, None, "templated labels are unknown");
    // The policy in `team` selects the plain pod, never the chart's.
    assert_eq!(m.selection(plain, Direction::Egress).isolating.len(), 1);
    assert!(m.selection(chart, Direction::Egress).open());
    let team = m.namespace(&NsKey::Known("team".into())).unwrap();
    assert!(team.has_egress_policy());
    assert!(!m.namespace(&chart.namespace).unwrap().has_egress_policy());
}

#[test]
fn effective_types_follow_the_api_defaults() {
    let np = |spec: &str| {
        format!("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: team\nspec:\n{spec}")
    };
    let cases = [
        ("  podSelector: {}\n", (true, false)),
        ("  podSelector: {}\n  egress: []\n", (true, false)),
        ("  podSelector: {}\n  egress:\n  - {}\n", (true, true)),
        (
            "  podSelector: {}\n  policyTypes: [Egress]\n",
            (false, true),
        ),
        (
            "  podSelector: {}\n  policyTypes: [Ingress]\n  egress:\n  - {}\n",
            (true, false),
        ),
        ("  podSelector: {}\n  policyTypes: []\n", (true, false)),
    ];
    for (spec, (ingress, egress)) in cases {
        let text = np(spec);
        let inv = inventory(&[("p.yaml", &text)]);
        let p = &inv.netpol().policies[0].1;
        assert_eq!(
            (p.types.ingress, p.types.egress),
            (ingress, egress),
            "{spec}"
        );
    }
}

#[test]
fn peers_combine_namespace_and_pod_selectors_in_one_peer() {
    let text = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: team\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: vault\n      podSelector:\n        matchLabels:\n          app: vault\n    ports:\n    - port: 8000\n      endPort: 8300\n  - to:\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: other\n    - podSelector:\n        matchLabels:\n          app: cache\n";
    let inv = inventory(&[("p.yaml", text)]);
    let (ns, p) = &inv.netpol().policies[0];
    let labels = |pairs: &[(&str, &str)]| -> Labels {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    };
    let vault_ns = NsKey::Known("vault".into());
    let vault_ns_labels = labels(&[("kubernetes.io/metadata.name", "vault")]);
    let vault = labels(&[("app", "vault")]);
    let e = Endpoint {
        labels: &vault,
        namespace: &vault_ns,
        namespace_labels: &vault_ns_labels,
    };
    assert_eq!(p.egress[0].admits(&e, ns, 8200, "TCP"), Some(true));
    assert_eq!(
        p.egress[0].admits(&e, ns, 8400, "TCP"),
        Some(false),
        "past endPort"
    );
    assert_eq!(p.egress[0].admits(&e, ns, 8200, "UDP"), Some(false));
    let other = labels(&[("app", "web")]);
    let e2 = Endpoint {
        labels: &other,
        ..e.clone()
    };
    assert_eq!(
        p.egress[0].admits(&e2, ns, 8200, "TCP"),
        Some(false),
        "both selectors must match"
    );
    // Separate peers: `other` namespace (any pod) or app=cache in the policy's namespace.
    let cache = labels(&[("app", "cache")]);
    let team_labels = labels(&[("kubernetes.io/metadata.name", "team")]);
    let e3 = Endpoint {
        labels: &cache,
        namespace: ns,
        namespace_labels: &team_labels,
    };
    assert_eq!(p.egress[1].admits(&e3, ns, 1, "TCP"), Some(true));
    assert_eq!(p.egress[1].admits(&e2, ns, 1, "TCP"), Some(false));
}

#[test]
fn secret_consumers_are_found_by_each_route() {
    let eso = "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: db\n  namespace: team\nspec:\n  target:\n    name: db-creds\n";
    let w = |name: &str, extra: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: team\n{extra}spec:\n  containers:\n  - name: c\n    image: c\n")
    };
    let injected = w(
        "injected",
        "  annotations:\n    vault.hashicorp.com/agent-inject: \"t\"\n",
    );
    let off = w(
        "off",
        "  annotations:\n    vault.hashicorp.com/agent-inject: \"yes\"\n",
    );
    let synced = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: synced\n  namespace: team\nspec:\n  containers:\n  - name: c\n    image: c\n    envFrom:\n    - secretRef:\n        name: db-creds\n";
    let addr = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: addr\n  namespace: team\nspec:\n  containers:\n  - name: c\n    image: c\n    env:\n    - name: BAO_ADDR\n      value: https://bao:8200\n";
    let inv = inventory(&[
        ("eso.yaml", eso),
        ("a.yaml", &injected),
        ("b.yaml", &off),
        ("c.yaml", synced),
        ("d.yaml", addr),
    ]);
    let m = inv.netpol();
    let reason = |file: usize| m.secret_consumer(file, 0).map(|r| r.describe());
    assert_eq!(
        reason(1).as_deref(),
        Some("Vault Agent injection is enabled")
    );
    assert_eq!(
        reason(2),
        None,
        "`yes` is not a Go boolean: the injector ignores the pod"
    );
    assert_eq!(
        reason(3).as_deref(),
        Some("uses Secret `db-creds` synced by External Secrets Operator")
    );
    assert_eq!(reason(4).as_deref(), Some("sets BAO_ADDR"));
}

/// Selection looks only at the policies indexed under a pod's own labels (plus the unindexed
/// ones); it must find exactly what checking every policy of the namespace finds, in order.
#[test]
fn indexed_selection_equals_checking_every_policy() {
    let np = |name: &str, selector: &str, types: &str| {
        format!("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {name}\n  namespace: team\nspec:\n  podSelector: {selector}\n  policyTypes: [{types}]\n")
    };
    let pod = |name: &str, labels: &str| {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: team\nspec:\n  template:\n    metadata:\n      labels: {labels}\n    spec:\n      containers: []\n")
    };
    let files = [
        np("api-egress", "{matchLabels: {app: api}}", "Egress"),
        np("all", "{}", "Egress"),
        np("web-ingress", "{matchLabels: {app: web}}", "Ingress"),
        np(
            "api-back",
            "{matchLabels: {app: api, tier: back}}",
            "Egress",
        ),
        np(
            "tier-in",
            "{matchExpressions: [{key: tier, operator: In, values: [back]}]}",
            "Egress, Ingress",
        ),
        np(
            "either",
            "{matchExpressions: [{key: app, operator: In, values: [api, web]}]}",
            "Egress",
        ),
        np(
            "not-web",
            "{matchExpressions: [{key: app, operator: NotIn, values: [web]}]}",
            "Egress",
        ),
        np("broken", "[not, a, map]", "Egress"),
        np("api-again", "{matchLabels: {app: api}}", "Ingress"),
        pod("api", "{app: api, tier: back}"),
        pod("web", "{app: web}"),
        pod("bare", "{}"),
        pod("other", "{app: other, tier: front}"),
    ];
    let named: Vec<(String, &str)> = files
        .iter()
        .enumerate()
        .map(|(i, text)| (format!("f{i}.yaml"), text.as_str()))
        .collect();
    let inv = inventory(
        &named
            .iter()
            .map(|(n, t)| (n.as_str(), *t))
            .collect::<Vec<_>>(),
    );
    let m = inv.netpol();
    assert_eq!(m.policies.len(), 9);
    assert_eq!(m.pods.len(), 4);
    let mut isolating_total = 0;
    for pod in &m.pods {
        for d in [Direction::Egress, Direction::Ingress] {
            let (mut isolating, mut maybe, mut other) = (vec![], vec![], vec![]);
            for (i, (_, p)) in m.policies.iter().enumerate() {
                match (p.pod_selector.matches(pod.labels.as_ref()), p.affects(d)) {
                    (Some(true), true) => isolating.push(i),
                    (None, true) => maybe.push(i),
                    (Some(true), false) => other.push(i),
                    _ => {}
                }
            }
            let s = m.selection(pod, d);
            assert_eq!(s.isolating, isolating, "pod {:?} {d:?}", pod.labels);
            assert_eq!(s.maybe, maybe, "pod {:?} {d:?}", pod.labels);
            assert_eq!(s.other_direction, other, "pod {:?} {d:?}", pod.labels);
            isolating_total += isolating.len();
        }
    }
    // The cases are not vacuous: the `api` pod alone is isolated for egress by five policies.
    assert!(isolating_total >= 10, "{isolating_total}");
}

/// CNI policies are looked up through the namespace's own list plus the cluster-wide one; that
/// must find exactly what a pass over every CNI policy of the scan finds, in scan order, for
/// each pod's egress selection and each namespace's egress coverage (namespaced and
/// cluster-wide kinds interleaved, ingress-only ones, policies of namespaces without pods).
#[test]
fn cni_lookup_by_namespace_equals_checking_every_cni_policy() {
    let cilium = |name: &str, ns: &str, app: &str, dir: &str| {
        format!("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  endpointSelector:\n    matchLabels: {{app: {app}}}\n  {dir}:\n  - toEntities: [world]\n")
    };
    let clusterwide = |name: &str, app: &str, dir: &str| {
        format!("apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata:\n  name: {name}\nspec:\n  endpointSelector:\n    matchLabels: {{app: {app}}}\n  {dir}:\n  - toEntities: [world]\n")
    };
    let pod = |name: &str, ns: &str, app: &str| {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  template:\n    metadata:\n      labels: {{app: {app}}}\n    spec:\n      containers: []\n")
    };
    let files = [
        cilium("a1", "team", "api", "egress"),
        clusterwide("c1", "api", "egress"),
        cilium("b1", "other", "api", "egress"),
        cilium("a2", "team", "web", "egress"),
        clusterwide("c2", "web", "ingress"),
        cilium("a3", "team", "api", "ingress"),
        cilium("e1", "empty", "api", "egress"),
        clusterwide("c3", "web", "egress"),
        cilium("b2", "other", "web", "egress"),
        cilium("a4", "team", "api", "egress"),
        pod("api", "team", "api"),
        pod("web", "team", "web"),
        pod("api2", "other", "api"),
        pod("web2", "other", "web"),
        pod("lone", "solo", "api"),
    ];
    let named: Vec<(String, &str)> = files
        .iter()
        .enumerate()
        .map(|(i, text)| (format!("f{i}.yaml"), text.as_str()))
        .collect();
    let inv = inventory(
        &named
            .iter()
            .map(|(n, t)| (n.as_str(), *t))
            .collect::<Vec<_>>(),
    );
    let m = inv.netpol();
    assert_eq!(m.cni.len(), 10);
    assert_eq!(m.pods.len(), 5);
    let mut selected_total = 0;
    for pod in &m.pods {
        let ns_labels = m.namespace(&pod.namespace).unwrap().ns.labels.clone();
        let want: Vec<usize> = (0..m.cni.len())
            .filter(|&i| {
                let c = &m.cni[i];
                c.egress
                    && c.selects(pod.labels.as_ref(), &pod.namespace, &ns_labels) != Some(false)
            })
            .collect();
        assert_eq!(
            m.selection(pod, Direction::Egress).cni,
            want,
            "pod {:?}",
            pod.labels
        );
        assert!(m.selection(pod, Direction::Ingress).cni.is_empty());
        selected_total += want.len();
    }
    let mut covering_total = 0;
    for view in m.namespaces() {
        let want: Vec<(&str, &str)> = m
            .cni
            .iter()
            .filter(|c| c.egress && c.namespace.as_ref().is_none_or(|n| n == view.key))
            .map(|c| (c.kind.as_str(), c.name.as_str()))
            .collect();
        let got: Vec<(&str, &str)> = view
            .cni_egress()
            .map(|c| (c.kind.as_str(), c.name.as_str()))
            .collect();
        assert_eq!(got, want, "namespace {}", view.key);
        covering_total += want.len();
    }
    // Not vacuous: pods and namespaces see several policies, in interleaved scan order.
    assert!(selected_total >= 8, "{selected_total}");
    assert!(covering_total >= 10, "{covering_total}");
}
