//! `sealant netpol explain WORKLOAD [PATHS...]`: for one workload, the NetworkPolicies (and
//! CNI-specific policies) that select its pods and what egress and ingress remain allowed —
//! the view needed to fix a K8S010/XSR001/K8S013 finding.

use crate::engine::config::Config;
use crate::model::file::{self, Loaded};
use crate::model::inventory::Inventory;
use crate::model::netpol::namespace::NsKey;
use crate::model::netpol::policy::{any3, Direction, Endpoint, NetworkPolicy};
use crate::model::netpol::selector::Labels;
use crate::model::netpol::{NetpolModel, Pod};
use crate::source::discover::{self, DiscoverOptions};
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(clap::Subcommand, Debug)]
pub enum NetpolCommand {
    /// Show which policies select a workload's pods and what traffic remains allowed.
    Explain {
        /// `[namespace/]Kind/name` (e.g. `production/Deployment/api`) or just the name.
        workload: String,
        /// Files or directories to read (default `.`); policies in every file count.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Namespace for objects that name none (default: config `namespace`, else `default`).
        #[arg(long, value_name = "NS")]
        namespace: Option<String>,
    },
}

/// Runs the subcommand; returns the exit code (2 when the workload is not found or ambiguous).
pub fn run(cmd: NetpolCommand) -> i32 {
    let NetpolCommand::Explain {
        workload,
        paths,
        namespace,
    } = cmd;
    let config = Config::discover(paths.first().map_or(std::path::Path::new("."), |p| p))
        .unwrap_or_default();
    let inv = match load(&paths, &config, namespace) {
        Ok(inv) => inv,
        Err(e) => {
            eprintln!("sealant: {e}");
            return 2;
        }
    };
    let m = inv.netpol();
    let found: Vec<&Pod> = m
        .pods
        .iter()
        .filter(|p| matches(&inv, p, &workload))
        .collect();
    match found.as_slice() {
        [] => {
            eprintln!("sealant: no workload `{workload}` in the scanned files (use [namespace/]Kind/name or name)");
            2
        }
        [pod] => {
            print!("{}", explain(&inv, m, pod));
            0
        }
        many => {
            eprintln!("sealant: `{workload}` is ambiguous; name one of:");
            for p in many {
                let o = &inv.files[p.file].objects[p.object];
                eprintln!("  {}/{}/{}", p.namespace, o.kind, o.name);
            }
            2
        }
    }
}

fn load(
    paths: &[PathBuf],
    config: &Config,
    namespace: Option<String>,
) -> Result<Inventory, String> {
    let excludes = discover::exclude_set(&config.exclude)?;
    let (candidates, _) = discover::discover(paths, &DiscoverOptions::default(), &excludes);
    let mut files = Vec::new();
    for c in &candidates {
        if let Loaded::File(f) = file::load_path(&c.path, &c.display, c.explicit) {
            for d in f
                .diagnostics
                .iter()
                .filter(|d| d.level == crate::diagnostic::Level::Error)
            {
                eprintln!("sealant: {}: {}", d.path, d.message);
            }
            files.push(*f);
        }
    }
    let ns = namespace
        .or_else(|| config.namespace.clone())
        .unwrap_or_else(|| "default".into());
    Ok(Inventory::new(files, &ns, &[]))
}

/// `[namespace/]Kind/name` or `name`.
fn matches(inv: &Inventory, p: &Pod, spec: &str) -> bool {
    let o = &inv.files[p.file].objects[p.object];
    let parts: Vec<&str> = spec.split('/').collect();
    match parts.as_slice() {
        [name] => o.name == *name,
        [kind, name] => o.kind.eq_ignore_ascii_case(kind) && o.name == *name,
        [ns, kind, name] => {
            p.namespace.to_string() == *ns && o.kind.eq_ignore_ascii_case(kind) && o.name == *name
        }
        _ => false,
    }
}

fn labels_text(l: Option<&Labels>) -> String {
    match l {
        None => "<templated, not known offline>".into(),
        Some(l) if l.is_empty() => "<none>".into(),
        Some(l) => l
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn at(inv: &Inventory, p: &NetworkPolicy) -> String {
    let o = &inv.files[p.file].objects[p.object];
    format!("{}:{}", o.path, o.kind_span().start.line)
}

/// The explanation text.
pub fn explain(inv: &Inventory, m: &NetpolModel, pod: &Pod) -> String {
    let o = &inv.files[pod.file].objects[pod.object];
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} {}/{} ({}:{})",
        o.kind, pod.namespace, o.name, pod.anchor.path, pod.anchor.span.start.line
    );
    let _ = writeln!(
        s,
        "  namespace: {} — {}",
        pod.namespace,
        pod.ns_origin.describe()
    );
    let _ = writeln!(s, "  pod labels: {}", labels_text(pod.labels.as_ref()));
    match m.secret_consumer(pod.file, pod.object) {
        Some(r) => {
            let _ = writeln!(s, "  secret consumer: yes — {}", r.describe());
        }
        None => {
            let _ = writeln!(s, "  secret consumer: no");
        }
    }
    if pod.host_network {
        let _ = writeln!(s, "  hostNetwork: true — NetworkPolicy generally does not apply to these pods (CNI-dependent)");
    }
    for d in [Direction::Egress, Direction::Ingress] {
        section(&mut s, inv, m, pod, d);
    }
    vault_reachability(&mut s, m, pod);
    s
}

fn section(s: &mut String, inv: &Inventory, m: &NetpolModel, pod: &Pod, d: Direction) {
    let (title, verb) = match d {
        Direction::Egress => ("Egress", "to"),
        Direction::Ingress => ("Ingress", "from"),
    };
    let sel = m.selection(pod, d);
    let _ = writeln!(s);
    if sel.open() {
        let _ = writeln!(
            s,
            "{title}: NOT isolated — no NetworkPolicy of {} selects these pods for {}; all traffic {verb} anywhere is allowed",
            pod.namespace,
            title.to_ascii_lowercase()
        );
    } else {
        let _ = writeln!(
            s,
            "{title}: isolated — allowed is the union of these policies' {} rules:",
            title.to_ascii_lowercase()
        );
    }
    for &i in sel.isolating.iter().chain(&sel.maybe) {
        let (ns, p) = &m.policies[i];
        let maybe = if sel.maybe.contains(&i) {
            " (selector not evaluated: may select)"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "  NetworkPolicy {ns}/{} ({}) podSelector {}{maybe}",
            p.name,
            at(inv, p),
            p.pod_selector.describe()
        );
        if p.rules(d).is_empty() {
            let _ = writeln!(
                s,
                "    allows nothing (deny all {})",
                title.to_ascii_lowercase()
            );
        }
        for r in p.rules(d) {
            let _ = writeln!(s, "    allows {verb} {}", r.describe(d));
        }
    }
    for &i in &sel.other_direction {
        let (ns, p) = &m.policies[i];
        let _ = writeln!(s, "  (NetworkPolicy {ns}/{} ({}) selects these pods but does not govern {}: effective policyTypes {})", p.name, at(inv, p), title.to_ascii_lowercase(), types_text(p));
    }
    for &i in &sel.cni {
        let c = &m.cni[i];
        let _ = writeln!(
            s,
            "  {} {} also governs egress (CNI-specific, rules not evaluated)",
            c.kind, c.name
        );
    }
}

fn types_text(p: &NetworkPolicy) -> String {
    let mut t = Vec::new();
    if p.types.ingress {
        t.push("Ingress");
    }
    if p.types.egress {
        t.push("Egress");
    }
    format!("[{}]", t.join(", "))
}

/// Can the pod open a connection to Vault on 8200/TCP? Judged against the Vault server pods
/// of the scan set, else against the vault-helm defaults (namespace `vault`).
fn vault_reachability(s: &mut String, m: &NetpolModel, pod: &Pod) {
    let default_labels: Labels = [("app.kubernetes.io/name", "vault"), ("component", "server")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let (labels, ns, assumed) = match m.pods.iter().find(|p| {
        p.labels
            .as_ref()
            .is_some_and(crate::model::netpol::is_vault_server_labels)
    }) {
        Some(v) => (
            v.labels.clone().unwrap_or_default(),
            v.namespace.clone(),
            false,
        ),
        None => (default_labels, NsKey::Known("vault".into()), true),
    };
    let mut ns_labels = m
        .namespace(&ns)
        .map(|v| v.ns.labels.clone())
        .unwrap_or_default();
    if let Some(n) = ns.name() {
        ns_labels.insert("kubernetes.io/metadata.name".into(), n.to_owned());
    }
    let e = &Endpoint {
        labels: &labels,
        namespace: &ns,
        namespace_labels: &ns_labels,
    };
    let sel = m.selection(pod, Direction::Egress);
    let verdict = if sel.open() {
        Some(true)
    } else {
        any3(sel.isolating.iter().chain(&sel.maybe).flat_map(|&i| {
            let (pns, p) = &m.policies[i];
            p.egress.iter().map(move |r| r.admits(e, pns, 8200, "TCP"))
        }))
    };
    let target = format!(
        "Vault server pods in namespace {ns} ({}){}",
        labels_text(Some(&labels)),
        if assumed {
            ", assumed: none in the scan set"
        } else {
            ""
        }
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Egress to {target} on 8200/TCP: {}",
        match verdict {
            Some(true) => "allowed",
            Some(false) => "blocked (a Vault client here cannot reach Vault)",
            None => "not known offline (templated selectors or IP ranges)",
        }
    );
}
