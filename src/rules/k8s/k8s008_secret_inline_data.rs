//! K8S008 — Kubernetes Secret with inline data committed to the repo: a `kind: Secret` whose
//! `data`/`stringData` holds a non-empty value (base64 is not encryption). One finding per
//! Secret, at the first section with a real value; the key names are listed, never the values.
//! Not flagged: SOPS-encrypted documents (a top-level `sops:` key, `ENC[…]` values), values
//! that are placeholders or Helm template actions, and Secrets owned by ESO/VSO/Sealed Secrets
//! (an `ownerReferences` entry, as in `kubectl get -o yaml` dumps).

use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use crate::semantics::is_placeholder;
use crate::syntax::yaml::Node;

pub struct SecretInlineData;

const OWNERS: &[&str] = &[
    "ExternalSecret",
    "VaultStaticSecret",
    "VaultDynamicSecret",
    "VaultPKISecret",
    "SealedSecret",
];

impl Rule for SecretInlineData {
    fn id(&self) -> &'static str {
        "K8S008"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for s in inv
            .objects_of_kind(&["Secret"])
            .filter(|o| o.api_group().is_empty())
        {
            if s.get(&["sops"]).is_some() {
                continue;
            }
            let owned = s
                .get(&["metadata", "ownerReferences"])
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .any(|r| {
                    r.get("kind")
                        .and_then(Node::as_str)
                        .is_some_and(|k| OWNERS.contains(&k))
                });
            if owned {
                continue;
            }
            let mut first = None;
            let mut keys = Vec::new();
            for section in ["data", "stringData"] {
                let Some(e) = s.root().entry(section) else {
                    continue;
                };
                for (key, kv) in e.value.entries() {
                    let v = kv.value.as_str().unwrap_or("").trim();
                    if v.is_empty() || is_placeholder(v) || v.starts_with("ENC[") {
                        continue;
                    }
                    first.get_or_insert((section, e.key.span));
                    keys.push(key.to_owned());
                }
            }
            let Some((section, span)) = first else {
                continue;
            };
            keys.dedup();
            out.report(
                s.location(span),
                format!("{} commits {} value(s) inline in `{section}` ({}): base64 is not encryption, anyone with the repository has them", s.display(), keys.len(), keys.join(", ")),
            )
            .identity(format!("{}/inline-data", s.identity()));
        }
    }
}
