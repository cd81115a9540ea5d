//! ROL009 — KV mount inventory (info; low for KV v1 mounts, which have no versioning or soft
//! delete). Sources: `vault|bao secrets enable [-path=P] [-version=2] kv|kv-v1|kv-v2`
//! (`-options=version=2` too), `vault kv enable-versioning P` (upgrades P to v2 in the same
//! scan set), Terraform `vault_mount { type = "kv" | "kv-v2", options = { version = "2" } }`
//! and `vault_kv_secret_backend_v2` (implies v2 on its mount). Version decoding per §1(f):
//! no version or `1` → 1, `2` → 2, anything else → 1.

use crate::location::{Location, Span};
use crate::model::inventory::Inventory;
use crate::model::vault_hcl::HclKind;
use crate::model::vault_roles::vault_args;
use crate::rules::{Context, Emitter, Rule, Severity};
use crate::syntax::hcl::Expr;
use std::sync::Arc;

pub struct KvMountInventory;

struct KvMount {
    path: Arc<str>,
    span: Span,
    mount: String,
    version: u8,
    how: &'static str,
}

fn version_of(s: &str) -> u8 {
    if s == "2" {
        2
    } else {
        1
    }
}

impl Rule for KvMountInventory {
    fn id(&self) -> &'static str {
        "ROL009"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        let mut mounts: Vec<KvMount> = Vec::new();
        let mut upgraded: Vec<String> = Vec::new();
        for doc in inv.hcl_docs(HclKind::Terraform) {
            for b in doc.body.blocks("resource").filter(|b| b.labels.len() == 2) {
                let attr = |k: &str| b.body.attr(k);
                match b.labels[0].as_str() {
                    "vault_mount" => {
                        let Some(ty) = attr("type") else { continue };
                        let Some(t) = ty.value.as_str() else { continue };
                        let opt_version = attr("options")
                            .and_then(|o| o.value.object())
                            .and_then(|o| o.iter().rev().find(|a| a.key == "version"))
                            .and_then(|a| match &a.value {
                                Expr::Str(s) => Some(s.clone()),
                                Expr::Number { raw, .. } => Some(raw.clone()),
                                _ => None,
                            });
                        let version = match t {
                            "kv-v2" => 2,
                            "kv-v1" => 1,
                            "kv" => version_of(opt_version.as_deref().unwrap_or("")),
                            _ => continue,
                        };
                        let mount = attr("path")
                            .and_then(|a| a.value.as_str())
                            .unwrap_or(t)
                            .trim_matches('/')
                            .to_owned();
                        mounts.push(KvMount {
                            path: doc.path.clone(),
                            span: ty.value_span,
                            mount,
                            version,
                            how: "vault_mount",
                        });
                    }
                    "vault_kv_secret_backend_v2" => {
                        if let Some(m) = attr("mount").and_then(|a| a.value.as_str()) {
                            upgraded.push(m.trim_matches('/').to_owned());
                        }
                    }
                    _ => {}
                }
            }
        }
        for file in &inv.files {
            for c in &file.script.commands {
                let Some(args) = vault_args(c) else { continue };
                let words: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
                match words.as_slice() {
                    ["secrets", "enable", rest @ ..] => {
                        let mut path = None;
                        let mut version = None;
                        let mut ty = None;
                        let mut skip = false;
                        for (i, w) in rest.iter().enumerate() {
                            if skip {
                                skip = false;
                                continue;
                            }
                            let Some(f) = w.strip_prefix("--").or_else(|| w.strip_prefix('-'))
                            else {
                                ty = Some((i + 2, *w));
                                break;
                            };
                            let (name, val) = match f.split_once('=') {
                                Some((n, v)) => (n, Some(v.to_owned())),
                                None => {
                                    skip = !matches!(
                                        f,
                                        "local"
                                            | "seal-wrap"
                                            | "external-entropy-access"
                                            | "force-no-cache"
                                    );
                                    (f, rest.get(i + 1).map(|s| (*s).to_owned()))
                                }
                            };
                            match name {
                                "path" => path = val,
                                "version" => version = val,
                                "options" | "o" => {
                                    if let Some(v) =
                                        val.as_deref().and_then(|v| v.strip_prefix("version="))
                                    {
                                        version = Some(v.to_owned());
                                    }
                                }
                                _ => {}
                            }
                        }
                        let Some((idx, t)) = ty else { continue };
                        let v = match t {
                            "kv-v2" => 2,
                            "kv-v1" => 1,
                            "kv" => version_of(version.as_deref().unwrap_or("")),
                            _ => continue,
                        };
                        let mount = path
                            .unwrap_or_else(|| t.to_owned())
                            .trim_matches('/')
                            .to_owned();
                        mounts.push(KvMount {
                            path: file.path.clone(),
                            span: args[idx].span,
                            mount,
                            version: v,
                            how: "vault secrets enable",
                        });
                    }
                    ["kv", "enable-versioning", rest @ ..] => {
                        if let Some(p) = rest.iter().rev().find(|w| !w.starts_with('-')) {
                            upgraded.push(p.trim_matches('/').to_owned());
                        }
                    }
                    _ => {}
                }
            }
        }
        for m in mounts {
            let v2 = m.version == 2 || upgraded.contains(&m.mount);
            let p = &m.mount;
            let f = if v2 {
                out.report(
                    Location::new(m.path.clone(), m.span),
                    format!("KV v2 mount `{p}/` ({}): API paths are `{p}/data/<key>` and `{p}/metadata/<key>`", m.how),
                )
                .severity(Severity::Info)
            } else {
                out.report(
                    Location::new(m.path.clone(), m.span),
                    format!("KV v1 mount `{p}/` ({}): no versioning or soft delete, an overwrite or delete is final; API paths are `{p}/<key>`", m.how),
                )
                .severity(Severity::Low)
            };
            f.identity(format!("{}#kv-mount:{p}", m.path));
        }
    }
}
