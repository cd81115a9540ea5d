//! Live Vault state in the static models: auth roles and mount tuning read with `--vault`
//! join the role model ([`crate::model::vault_roles`]), live KV mounts join the KV mount model
//! ([`crate::model::kv_mounts`]) — so ROL*, POL011, XSR005 and friends run on live objects
//! unchanged. Every field keeps the span of its value in the response's `vault://` file.

use crate::location::{Location, Span};
use crate::model::inventory::Inventory;
use crate::model::kv_mounts::{KvMount, KvMounts};
use crate::model::live::vault::VaultState;
use crate::model::vault_roles::{DurSyntax, Field, Item, Mount, Role, RoleKind, RoleSet, Source};
use crate::syntax::yaml::{Node, Value};
use std::sync::Arc;

/// The parsed JSON body of one of the server's virtual files.
pub fn root<'a>(inv: &'a Inventory, state: &VaultState, api_path: &str) -> Option<&'a Node> {
    let f = inv.file(&state.file(api_path))?;
    f.documents.first().map(|d| &d.root)
}

/// The location of a node of one of the server's files, or the file's start.
pub fn at(state: &VaultState, api_path: &str, node: Option<&Node>) -> Location {
    Location::new(
        Arc::from(state.file(api_path)),
        node.map_or(Span::file_start(), |n| n.span),
    )
}

/// A JSON value as a role-model field: scalars as their text, arrays as items (joined with
/// `,` as the text, like a Terraform list), objects as their source text.
fn field(key: &Node, value: &Node, text_of: &str) -> Field {
    let (text, items) = match &value.value {
        Value::Scalar(s) => (Some(s.text.to_string()), Vec::new()),
        Value::Seq(xs) => {
            let items: Vec<Item> = xs
                .iter()
                .filter_map(|x| {
                    Some(Item {
                        text: x.as_str()?.to_owned(),
                        span: x.span,
                        unquoted: false,
                    })
                })
                .collect();
            let joined = items.iter().map(|i| i.text.as_str()).collect::<Vec<_>>();
            (Some(joined.join(",")), items)
        }
        Value::Map(_) => (
            Some(slice(text_of, value.span).unwrap_or("{}").to_owned()),
            Vec::new(),
        ),
    };
    Field {
        key: key.as_str().unwrap_or("").to_owned(),
        key_span: key.span,
        span: value.span,
        text,
        items,
        syntax: DurSyntax::Vault,
        unquoted: false,
    }
}

/// The text a span covers (line/col are 1-based; col counts chars).
fn slice(text: &str, span: Span) -> Option<&str> {
    let offset = |line: u32, col: u32| -> Option<usize> {
        let mut pos = 0;
        for (i, l) in text.split_inclusive('\n').enumerate() {
            if i + 1 == line as usize {
                let c = l
                    .char_indices()
                    .nth(col.saturating_sub(1) as usize)
                    .map_or(l.len(), |(b, _)| b);
                return Some(pos + c);
            }
            pos += l.len();
        }
        None
    };
    let a = offset(span.start.line, span.start.col)?;
    let b = offset(span.end.line, span.end.col)?;
    text.get(a..b)
}

fn role_kind(method: &str) -> RoleKind {
    match method {
        "kubernetes" => RoleKind::Kubernetes,
        "approle" => RoleKind::AppRole,
        "jwt" | "oidc" => RoleKind::Jwt,
        _ => RoleKind::OtherAuth,
    }
}

/// One mount's tuning: the tune endpoint's effective values when read (they already include
/// the server's defaults), else the listing's `config` (0 = system default).
fn tune_mount(inv: &Inventory, state: &VaultState, prefix: &str, path: &str, ty: &str) -> Mount {
    let mut m = Mount {
        mount_type: Some(ty.to_owned()),
        ..Default::default()
    };
    let tune_path = format!("{prefix}/{path}/tune");
    let (file, node) = match root(inv, state, &tune_path) {
        Some(n) => (tune_path, Some(n)),
        None => (
            prefix.to_owned(),
            root(inv, state, prefix)
                .and_then(|r| r.get(&format!("{path}/")))
                .and_then(|e| e.get("config")),
        ),
    };
    let Some(node) = node else { return m };
    let path_arc: Arc<str> = Arc::from(state.file(&file));
    for (key, slot) in [
        ("default_lease_ttl", &mut m.default_ttl),
        ("max_lease_ttl", &mut m.max_ttl),
    ] {
        if let Some(e) = node.entry(key) {
            let text = inv.file(&path_arc).map_or("", |f| f.text.as_str());
            *slot = Some((path_arc.clone(), field(&e.key, &e.value, text)));
        }
    }
    m
}

/// Adds a server's auth roles and mount tuning to the role model.
pub fn add_to_roles(inv: &Inventory, state: &VaultState, set: &mut RoleSet) {
    for (prefix, mounts, table) in [
        ("sys/auth", &state.auth_mounts, &mut set.auth_mounts),
        ("sys/mounts", &state.secret_mounts, &mut set.secret_mounts),
    ] {
        for m in mounts.iter().flatten() {
            table.insert(
                m.path.clone(),
                tune_mount(inv, state, prefix, &m.path, &m.mount_type),
            );
        }
    }
    for r in &state.roles {
        let api_path = format!("auth/{}/role/{}", r.mount, r.name);
        let path: Arc<str> = Arc::from(state.file(&api_path));
        let Some(file) = inv.file(&path) else {
            continue;
        };
        let Some(doc) = file.documents.first().map(|d| &d.root) else {
            continue;
        };
        set.roles.push(Role {
            path: path.clone(),
            source: Source::Live,
            kind: role_kind(&r.method),
            mount: r.mount.clone(),
            name: r.name.clone(),
            // The opening `{`: a finding about a field the role lacks points at the role,
            // not at every line of it.
            anchor: Span::new(
                doc.span.start,
                crate::location::Pos {
                    line: doc.span.start.line,
                    col: doc.span.start.col + 1,
                },
            ),
            fields: doc
                .as_map()
                .unwrap_or(&[])
                .iter()
                .map(|e| field(&e.key, &e.value, &file.text))
                .collect(),
        });
    }
}

/// `KvMount::how` of mounts read from a live server.
pub const LIVE: &str = "live sys/mounts";

/// The live KV mounts of every server read, for the KV mount model: each at its `type` (or
/// `options.version`) value in `sys/mounts`; other engines as non-KV mounts. Called first, so
/// at equal length a live mount wins over a declaration in files.
pub fn kv_mounts(inv: &Inventory, out: &mut KvMounts) {
    for state in &inv.live.vault {
        let Some(mounts) = &state.secret_mounts else {
            continue;
        };
        out.live = true;
        let listing = root(inv, state, "sys/mounts");
        for m in mounts {
            let entry = listing.and_then(|r| r.get(&format!("{}/", m.path)));
            let node = entry
                .and_then(|e| e.path(&["options", "version"]))
                .or_else(|| entry.and_then(|e| e.get("type")));
            match m.kv_version {
                Some(version) => out.mounts.push(KvMount {
                    mount: m.path.clone(),
                    version,
                    at: at(state, "sys/mounts", node),
                    how: LIVE,
                }),
                None => out.other.push(m.path.clone()),
            }
        }
    }
}
