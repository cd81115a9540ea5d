//! Turns the raw responses of one Vault/OpenBao server ([`VaultSnapshot`]) into what the scan
//! consumes: a [`VirtualFile`] per response a finding can point at, and the plain
//! [`VaultState`] facts. Compiled without the `live-vault` feature, so rule fixtures can feed
//! recorded responses (`testdata/rules/LVT*/live-vault.json`) through the same code the
//! collector uses.
//!
//! Files: ACL policies as HCL (or JSON when written as JSON), so the POL rules read them like
//! any policy file; everything else as JSON text parsed as YAML — the static classifiers must
//! not mistake a tune response (`max_lease_ttl` at top level) or `sys/health`
//! (`cluster_name`) for a server config.

use crate::live::VirtualFile;
use crate::model::live::vault::{AuditDevice, Health, KvSecret, LiveMount, LiveRole, VaultState};
use crate::source::classify::Format;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The auth method types whose roles are read (`auth/<mount>/role`).
pub const ROLE_METHODS: &[&str] = &["kubernetes", "approle", "jwt", "oidc"];

/// Everything read from one server, as the API returned it (`data` objects, not envelopes).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct VaultSnapshot {
    /// The address as given (`https://vault.example:8200`).
    pub addr: String,
    pub insecure: bool,
    pub health: Option<HealthResponse>,
    /// `sys/mounts` `data`.
    pub mounts: Option<Value>,
    /// `sys/mounts/<path>/tune` `data`, by mount path without slashes.
    pub mount_tunes: BTreeMap<String, Value>,
    /// `sys/auth` `data`.
    pub auth: Option<Value>,
    pub auth_tunes: BTreeMap<String, Value>,
    /// `sys/audit` `data`.
    pub audit: Option<Value>,
    /// `sys/policies/acl/<name>` `data.policy`, by name.
    pub policies: BTreeMap<String, String>,
    pub roles: Vec<RawRole>,
    pub kv_metadata: Vec<RawKv>,
}

/// `sys/health`: status code and (unenveloped) body.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct HealthResponse {
    pub status: u16,
    pub body: Value,
}

/// One `auth/<mount>/role/<name>` response `data`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RawRole {
    pub method: String,
    pub mount: String,
    pub name: String,
    pub data: Value,
}

/// One `<mount>/metadata/<key>` response `data`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RawKv {
    pub mount: String,
    pub key: String,
    pub data: Value,
}

/// `host:port` of an address (scheme, path and userinfo dropped).
pub fn host_of(addr: &str) -> String {
    let rest = addr.split_once("://").map_or(addr, |(_, r)| r);
    let host = rest.split('/').next().unwrap_or(rest);
    host.rsplit('@').next().unwrap_or(host).to_owned()
}

/// Mount keys end with `/`; the model keeps them without slashes at either end.
pub fn trim_mount(key: &str) -> &str {
    key.trim_matches('/')
}

/// KV version per RULES-SPEC §1(f): `kv-v2` → 2, `kv-v1` → 1, `kv` with `options.version`
/// `"2"` → 2, other `kv` → 1, other engines → none.
pub fn kv_version(mount_type: &str, options: Option<&Value>) -> Option<u8> {
    match mount_type {
        "kv-v2" => Some(2),
        "kv-v1" => Some(1),
        "kv" => {
            let v = options.and_then(|o| o.get("version"));
            let v = match v {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            Some(if v == "2" { 2 } else { 1 })
        }
        _ => None,
    }
}

/// An integer seconds field (Vault sends numbers; some proxies send strings).
pub fn seconds(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn json_file(path: String, v: &Value) -> VirtualFile {
    VirtualFile {
        path,
        text: serde_json::to_string_pretty(v).unwrap_or_else(|_| "{}".into()) + "\n",
        // JSON is YAML: parsed with spans, never classified as Vault config HCL.
        format: Format::Yaml,
    }
}

fn mounts(
    base: &str,
    prefix: &str,
    data: &Value,
    tunes: &BTreeMap<String, Value>,
    files: &mut Vec<VirtualFile>,
) -> Vec<LiveMount> {
    let mut out = Vec::new();
    let empty = Map::new();
    for (key, m) in data.as_object().unwrap_or(&empty) {
        let path = trim_mount(key).to_owned();
        let mount_type = m
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let config = m.get("config");
        let tune = tunes.get(&path).map(|t| {
            files.push(json_file(format!("{base}/{prefix}/{path}/tune"), t));
            (
                seconds(t.get("default_lease_ttl")).unwrap_or(0),
                seconds(t.get("max_lease_ttl")).unwrap_or(0),
            )
        });
        out.push(LiveMount {
            kv_version: kv_version(&mount_type, m.get("options")),
            mount_type,
            default_lease_ttl: seconds(config.and_then(|c| c.get("default_lease_ttl")))
                .unwrap_or(0),
            max_lease_ttl: seconds(config.and_then(|c| c.get("max_lease_ttl"))).unwrap_or(0),
            tune,
            path,
        });
    }
    files.push(json_file(format!("{base}/{prefix}"), data));
    out
}

/// The virtual files and facts of one server.
pub fn render(s: &VaultSnapshot) -> (Vec<VirtualFile>, VaultState) {
    let base = format!("vault://{}", host_of(&s.addr));
    let mut files = Vec::new();
    let mut state = VaultState {
        addr: s.addr.clone(),
        base: base.clone(),
        insecure: s.insecure,
        ..Default::default()
    };
    if let Some(h) = &s.health {
        let b = &h.body;
        let flag = |k: &str| b.get(k).and_then(Value::as_bool).unwrap_or(false);
        let text = |k: &str| b.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
        state.health = Some(Health {
            status: h.status,
            initialized: flag("initialized"),
            sealed: flag("sealed"),
            standby: flag("standby"),
            performance_standby: flag("performance_standby"),
            version: text("version"),
            cluster_name: text("cluster_name"),
        });
        files.push(json_file(format!("{base}/sys/health"), b));
    }
    if let Some(data) = &s.mounts {
        state.secret_mounts = Some(mounts(
            &base,
            "sys/mounts",
            data,
            &s.mount_tunes,
            &mut files,
        ));
    }
    if let Some(data) = &s.auth {
        state.auth_mounts = Some(mounts(&base, "sys/auth", data, &s.auth_tunes, &mut files));
    }
    if let Some(data) = &s.audit {
        let empty = Map::new();
        let devices = data
            .as_object()
            .unwrap_or(&empty)
            .iter()
            .map(|(path, d)| AuditDevice {
                path: path.clone(),
                device_type: d.get("type").and_then(Value::as_str).unwrap_or("").into(),
                options: d
                    .get("options")
                    .and_then(Value::as_object)
                    .map(|o| {
                        o.iter()
                            .map(|(k, v)| {
                                let v = match v {
                                    Value::String(s) => s.clone(),
                                    other => other.to_string(),
                                };
                                (k.clone(), v)
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect();
        state.audit = Some(devices);
        files.push(json_file(format!("{base}/sys/audit"), data));
    }
    for (name, text) in &s.policies {
        let json = text.trim_start().starts_with('{');
        files.push(VirtualFile {
            path: format!("{base}/sys/policies/acl/{name}"),
            text: text.clone(),
            format: if json { Format::Json } else { Format::Hcl },
        });
    }
    for r in &s.roles {
        files.push(json_file(
            format!("{base}/auth/{}/role/{}", r.mount, r.name),
            &r.data,
        ));
        state.roles.push(LiveRole {
            method: r.method.clone(),
            mount: r.mount.clone(),
            name: r.name.clone(),
        });
    }
    for k in &s.kv_metadata {
        let current = k.data.get("current_version").and_then(Value::as_u64);
        let Some(current) = current.filter(|c| *c > 0) else {
            continue;
        };
        let version = k
            .data
            .get("versions")
            .and_then(|v| v.get(current.to_string()));
        let created = version
            .and_then(|v| v.get("created_time"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let destroyed = version
            .and_then(|v| v.get("destroyed"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        // Only what staleness needs: custom_metadata is user text and stays out of reports.
        let shown = serde_json::json!({
            "current_version": current,
            "created_time": k.data.get("created_time").cloned().unwrap_or(Value::Null),
            "updated_time": k.data.get("updated_time").cloned().unwrap_or(Value::Null),
            "versions": { current.to_string(): {
                "created_time": created,
                "destroyed": destroyed,
            }},
        });
        files.push(json_file(
            format!("{base}/{}/metadata/{}", k.mount, k.key),
            &shown,
        ));
        state.kv_secrets.push(KvSecret {
            mount: k.mount.clone(),
            key: k.key.clone(),
            current_version: current,
            created_time: created.to_owned(),
            destroyed,
        });
    }
    (files, state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kv_versions_and_hosts() {
        assert_eq!(
            kv_version("kv", Some(&serde_json::json!({"version": "2"}))),
            Some(2)
        );
        assert_eq!(kv_version("kv", Some(&Value::Null)), Some(1));
        assert_eq!(
            kv_version("kv", Some(&serde_json::json!({"version": "3"}))),
            Some(1)
        );
        assert_eq!(kv_version("kv-v2", None), Some(2));
        assert_eq!(kv_version("database", None), None);
        assert_eq!(
            host_of("https://user@vault.example:8200/x"),
            "vault.example:8200"
        );
        assert_eq!(host_of("http://127.0.0.1:8200"), "127.0.0.1:8200");
    }

    #[test]
    fn renders_files_and_facts() {
        let snap: VaultSnapshot = serde_json::from_value(serde_json::json!({
            "addr": "http://127.0.0.1:8200",
            "mounts": {"secret/": {"type": "kv", "options": {"version": "2"},
                                   "config": {"default_lease_ttl": 0, "max_lease_ttl": 0}}},
            "mount_tunes": {"secret": {"default_lease_ttl": 2764800, "max_lease_ttl": 2764800}},
            "audit": {},
            "policies": {"app": "path \"secret/data/x\" { capabilities = [\"read\"] }\n"},
        }))
        .unwrap();
        let (files, state) = render(&snap);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "vault://127.0.0.1:8200/sys/mounts/secret/tune",
                "vault://127.0.0.1:8200/sys/mounts",
                "vault://127.0.0.1:8200/sys/audit",
                "vault://127.0.0.1:8200/sys/policies/acl/app",
            ]
        );
        let m = &state.secret_mounts.unwrap()[0];
        assert_eq!(
            (m.path.as_str(), m.kv_version, m.tune),
            ("secret", Some(2), Some((2764800, 2764800)))
        );
        assert_eq!(state.audit.unwrap().len(), 0);
        assert!(state.auth_mounts.is_none(), "not read is not empty");
    }
}
