//! HLM010 — Audit log storage not persisted: in standalone/ha mode the vault chart mounts an
//! audit volume only when `server.auditStorage.enabled` is "true" (`toString`, default
//! false). Without it, or a `server.volumeMounts` entry at or above the audit path
//! (`server.auditStorage.mountPath`, default `/vault/audit`), a file audit device writes into
//! the container's filesystem and the trail is lost with the pod.
//!
//! Declarative audit devices in the rendered server config (OpenBao `audit "<type>" "<path>"`
//! stanzas) decide instead when present: devices that ship elsewhere (`syslog`, `socket`,
//! `http`), file devices on `stdout`/`discard`, or files on a mounted volume (or on the data
//! PVC) are persisted or shipped; a file device elsewhere is the finding.

use super::{active_config, identify, server_charts};
use crate::model::helm::{go_to_string, Mode, Values};
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule};
use crate::syntax::hcl::{Block, Expr};
use crate::syntax::yaml::Node;

pub struct AuditStorageNotPersisted;

/// True when a file at `path` lives on the volume mounted at `mount`.
fn under(mount: &str, path: &str) -> bool {
    let m = mount.trim_end_matches('/');
    m.is_empty() || path == m || path.starts_with(&format!("{m}/"))
}

/// The mount paths of the server container's volumes that outlive the pod.
fn persistent_mounts(v: &Values<'_>) -> Vec<String> {
    let mut out: Vec<String> = v
        .get("server.volumeMounts")
        .node
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(|m| m.get("mountPath").and_then(Node::as_str))
        .map(str::to_owned)
        .collect();
    if v.get("server.dataStorage.enabled").to_go_string() == "true" {
        out.push(v.get("server.dataStorage.mountPath").to_go_string());
    }
    out
}

/// A declarative audit device's `options.file_path` (block or object form).
fn file_path(device: &Block) -> Option<&str> {
    if let Some(a) = device
        .body
        .blocks("options")
        .find_map(|o| o.body.attr("file_path"))
    {
        return a.value.as_str();
    }
    device
        .body
        .attr("options")
        .and_then(|a| a.value.object())?
        .iter()
        .rev()
        .find(|a| a.key == "file_path")
        .and_then(|a| match &a.value {
            Expr::Str(s) => Some(s.as_str()),
            _ => None,
        })
}

impl Rule for AuditStorageNotPersisted {
    fn id(&self) -> &'static str {
        "HLM010"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for v in server_charts(inv) {
            if !matches!(v.mode(), Mode::Standalone | Mode::Ha) {
                continue;
            }
            let enabled = v.get("server.auditStorage.enabled");
            if enabled.to_go_string() == "true" {
                continue;
            }
            let audit_path = match go_to_string(v.get("server.auditStorage.mountPath").node) {
                p if p.starts_with('/') => p,
                _ => "/vault/audit".to_owned(),
            };
            let vol_mounts: Vec<String> = v
                .get("server.volumeMounts")
                .node
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .filter_map(|m| m.get("mountPath").and_then(Node::as_str))
                .map(str::to_owned)
                .collect();
            if vol_mounts.iter().any(|m| under(m, &audit_path)) {
                continue;
            }
            let cfg = active_config(inv, &v);
            let devices: Vec<&Block> = cfg
                .as_ref()
                .and_then(|c| c.body().map(|b| b.blocks("audit").collect()))
                .unwrap_or_default();
            let why = if devices.is_empty() {
                format!("server.auditStorage.enabled is {} and no server.volumeMounts entry covers {audit_path}: a file audit device there writes into the container filesystem and the audit trail is lost when the pod restarts",
                    if enabled.in_file { enabled.to_go_string() } else { "false (chart default)".to_owned() })
            } else {
                let mounts = persistent_mounts(&v);
                let lost: Vec<&str> = devices
                    .iter()
                    .filter(|d| d.labels.first().map(String::as_str) == Some("file"))
                    .filter_map(|d| file_path(d))
                    .filter(|p| !matches!(*p, "stdout" | "discard"))
                    .filter(|p| !mounts.iter().any(|m| under(m, p)))
                    .collect();
                let Some(first) = lost.first() else { continue };
                format!("the server config's file audit device writes to {first}, which is on no persistent volume (server.auditStorage.enabled is not \"true\"): the audit trail is lost when the pod restarts")
            };
            let f = out.report(enabled.location.clone(), format!("{}: {why}", v.describe()));
            identify(f, &v, "server.auditStorage.enabled");
        }
    }
}
