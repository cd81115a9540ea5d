//! POL011 — `list` on a KV v2 `data/` path is ineffective (RULES-SPEC §1(c)). KV v2 lists keys
//! with `LIST <mount>/metadata/<path>/`; `list` on `<mount>/data/…` (hashicorp/vault#9337's
//! `secret/data/*` with `read, list`) lets nothing be listed. Flagged when the mount is known
//! to be KV v2 (or, mount unknown, the path has a `/data/` segment) and the policy does not
//! grant `list` on the corresponding `metadata/` path — checked with the ACL evaluator, so a
//! glob elsewhere in the policy that covers it counts.

use super::{add_container, policy_label};
use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::kv_mounts::MountFact;
use crate::policy::Capability;
use crate::rules::{Context, Emitter, Rule};

pub struct ListOnKv2Data;

impl Rule for ListOnKv2Data {
    fn id(&self) -> &'static str {
        "POL011"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let mounts = inv.kv_mounts();
        for sp in inv.policies() {
            let (Ok(policy), Some(acl)) = (&sp.parsed, &sp.acl) else {
                continue;
            };
            let doc = inv.policy_doc(sp);
            for rule in policy
                .rules
                .iter()
                .filter(|r| !r.templated && !r.caps.is_deny())
            {
                let Some(list_span) = rule
                    .capabilities
                    .iter()
                    .find(|(c, _)| *c == Capability::List)
                    .map(|(_, s)| *s)
                else {
                    continue;
                };
                let path = rule.raw_path.strip_prefix('/').unwrap_or(&rule.raw_path);
                let fact: Option<MountFact> = mounts.lookup(cx.config, path);
                let mount = match &fact {
                    Some(f) if f.version == 2 => f.mount.clone(),
                    Some(_) => continue,
                    None => match path.find("/data/") {
                        Some(i) => path[..i].to_owned(),
                        None => continue,
                    },
                };
                let Some(key) = path
                    .strip_prefix(mount.as_str())
                    .and_then(|r| r.strip_prefix("/data/"))
                else {
                    continue;
                };
                // A representative LIST request on the metadata side.
                let concrete: String = key
                    .trim_end_matches('*')
                    .split('/')
                    .map(|s| if s == "+" { "x" } else { s })
                    .collect::<Vec<_>>()
                    .join("/");
                let mut probe = format!("{mount}/metadata/{concrete}");
                if !probe.ends_with('/') {
                    probe.push('/');
                }
                let granted = acl.decide(&probe, true).caps;
                if granted.contains(Capability::List) && !granted.is_deny() {
                    continue;
                }
                let suggestion = format!("{mount}/metadata/{key}");
                let on = match &fact {
                    Some(f) => format!(" ({})", f.describe()),
                    None => String::new(),
                };
                let f = out.report(
                    Location::new(doc.path.clone(), list_span),
                    format!(
                        "{}: `list` on `{}`{on} is ineffective: KV v2 lists keys with LIST `{probe}` and no rule of the policy grants `list` there; grant `list` on `{suggestion}` (or remove this `list`)",
                        policy_label(doc, policy),
                        rule.raw_path,
                    ),
                );
                f.identity(format!(
                    "{}#policy:{}:{}:list-on-data",
                    doc.path, policy.name, rule.raw_path
                ));
                add_container(f, doc);
            }
        }
    }
}
