//! The Vault/OpenBao HTTP API subset of RULES-SPEC §4.3, served from the world's `vault:`
//! section: `sys/health` (status codes and query overrides), `sys/mounts` and `sys/auth`
//! (+ `tune`, legacy top-level copies of `data`), `sys/audit`, `sys/policies/acl` (LIST and
//! read), `auth/<mount>/role` (LIST and read, with the plugin's defaults filled in), KV v2
//! `metadata` (LIST per folder, read) and `data` reads.
//!
//! Tokens are checked like Vault does: `X-Vault-Token` (or `Authorization: Bearer`), each
//! token holds world policies and the request is decided by sealant's ACL evaluator
//! ([`crate::policy::Acl`]) — `read` for GET, `list` for LIST / `?list=true`, plus `sudo` on
//! root-protected `sys/` paths. Denials are `403 {"errors":["permission denied"]}`, unknown
//! paths `404 {"errors":[]}`, a sealed node `503`. Response bodies mirror OpenBao 2.x: `data`
//! maps have sorted keys (Go's encoding), mount entries and tune responses carry the same
//! fields, so a scan of this server and of a real one seeded with the same world render the
//! same files.
//!
//! World section (every key optional):
//! ```yaml
//! vault:
//!   tokens: {root: [root], scanner-token: [linter-scanner]}
//!   default_lease_ttl: 2764800          # server config, seconds (768h)
//!   max_lease_ttl: 2764800
//!   health: {initialized: true, sealed: false, standby: false, version: "2.7.2"}
//!   mounts:   {"secret/": {type: kv, options: {version: "2"}, config: {max_lease_ttl: 0}}}
//!   auth:     {"kubernetes/": {type: kubernetes}}
//!   audit:    {"file/": {type: file, options: {file_path: /var/log/bao.log}}}
//!   policies: {app: 'path "secret/data/app/*" { capabilities = ["read"] }'}
//!   roles:    {kubernetes: {web: {bound_service_account_names: [web], token_ttl: 3600}}}
//!   secrets:  {"secret/app/db": {created_time: "2025-01-10T08:00:00Z", version: 3}}
//!   namespaces: {team-a: {policies: {…}, mounts: {…}}}   # X-Vault-Namespace: team-a
//! ```
//! `sys/`, `cubbyhole/`, `identity/` and the `token/` auth mount exist on every server and
//! are always served. Secrets never carry values unless the world gives `data`.

use crate::policy::{parse_policy_text, Acl, Capability};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// 768h, the system default for both lease TTLs.
const SYSTEM_TTL: i64 = 2_764_800;

struct World {
    tokens: HashMap<String, Acl>,
    /// Child namespaces (`X-Vault-Namespace`), each a world of its own.
    namespaces: HashMap<String, World>,
    health: Map<String, Value>,
    default_ttl: i64,
    max_ttl: i64,
    mounts: BTreeMap<String, Value>,
    auth: BTreeMap<String, Value>,
    audit: BTreeMap<String, Value>,
    policies: BTreeMap<String, String>,
    /// Auth mount path (no slashes) → role name → role data as returned.
    roles: BTreeMap<String, BTreeMap<String, Value>>,
    /// KV v2 mount (no slashes) → key → metadata `data`.
    secrets: BTreeMap<String, BTreeMap<String, (Value, Value)>>,
    started: String,
}

/// Recursively sorts object keys, as Go's `encoding/json` writes maps.
fn sorted(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let b: BTreeMap<String, Value> = m.into_iter().map(|(k, v)| (k, sorted(v))).collect();
            Value::Object(b.into_iter().collect())
        }
        Value::Array(xs) => Value::Array(xs.into_iter().map(sorted).collect()),
        other => other,
    }
}

fn obj(v: Option<&Value>) -> Map<String, Value> {
    v.and_then(Value::as_object).cloned().unwrap_or_default()
}

/// Seconds from a number or a Vault duration string (`1h`, `30m`, `3600`).
fn secs(v: &Value) -> Result<i64, String> {
    match v {
        Value::Number(n) => n.as_i64().ok_or_else(|| format!("bad seconds {n}")),
        Value::String(s) => crate::duration::parse_vault(s)
            .map(|d| d.map_or(0, |d| d.secs()))
            .map_err(|e| format!("bad duration {s:?}: {e}")),
        Value::Null => Ok(0),
        other => Err(format!("bad duration {other}")),
    }
}

fn mount_key(k: &str) -> String {
    format!("{}/", k.trim_matches('/'))
}

/// A mount entry as OpenBao lists it, from the world's sparse one.
fn mount_entry(path: &str, m: &Value, auth: bool, version: &str) -> Result<Value, String> {
    let ty = m
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("mount {path} has no type"))?
        .to_owned();
    let given = obj(m.get("config"));
    let mut config = Map::new();
    config.insert(
        "default_lease_ttl".into(),
        json!(secs(
            given.get("default_lease_ttl").unwrap_or(&Value::Null)
        )?),
    );
    config.insert(
        "force_no_cache".into(),
        json!(given
            .get("force_no_cache")
            .and_then(Value::as_bool)
            .unwrap_or(false)),
    );
    config.insert(
        "max_lease_ttl".into(),
        json!(secs(given.get("max_lease_ttl").unwrap_or(&Value::Null))?),
    );
    if let Some(h) = given.get("passthrough_request_headers") {
        config.insert("passthrough_request_headers".into(), h.clone());
    }
    if auth {
        config.insert("token_type".into(), json!("default-service"));
    }
    let core = matches!(ty.as_str(), "system" | "cubbyhole" | "identity" | "token");
    let mut e = Map::new();
    let accessor_prefix = if auth {
        format!("auth_{ty}")
    } else {
        ty.replace('-', "_")
    };
    e.insert(
        "accessor".into(),
        json!(format!("{accessor_prefix}_{:08x}", fnv(path))),
    );
    e.insert("config".into(), Value::Object(config));
    if !core && ty != "database" {
        e.insert("deprecation_status".into(), json!("supported"));
    }
    e.insert(
        "description".into(),
        m.get("description").cloned().unwrap_or(json!("")),
    );
    e.insert("external_entropy_access".into(), json!(false));
    e.insert(
        "local".into(),
        json!(m
            .get("local")
            .and_then(Value::as_bool)
            .unwrap_or(ty == "cubbyhole")),
    );
    let options = match m.get("options") {
        Some(o) => o.clone(),
        None if core => Value::Null,
        None => json!({}),
    };
    e.insert("options".into(), options);
    e.insert("plugin_version".into(), json!(""));
    e.insert(
        "running_plugin_version".into(),
        json!(format!("v{version}+builtin.bao")),
    );
    e.insert("running_sha256".into(), json!(""));
    e.insert(
        "seal_wrap".into(),
        json!(m
            .get("seal_wrap")
            .and_then(Value::as_bool)
            .unwrap_or(ty == "system")),
    );
    e.insert("type".into(), json!(ty));
    e.insert(
        "uuid".into(),
        json!(format!(
            "{:08x}-0000-4000-8000-{:012x}",
            fnv(path),
            fnv(&ty)
        )),
    );
    Ok(Value::Object(e))
}

/// A stable pseudo-random number for accessors and UUIDs.
fn fnv(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ b as u32).wrapping_mul(0x0100_0193)
    })
}

/// The fields a role read returns when not set (OpenBao 2.x plugins), per auth method.
fn role_defaults(method: &str) -> Value {
    let token = json!({
        "token_bound_cidrs": [], "token_explicit_max_ttl": 0, "token_max_ttl": 0,
        "token_no_default_policy": false, "token_num_uses": 0, "token_period": 0,
        "token_policies": [], "token_strictly_bind_ip": false, "token_ttl": 0,
        "token_type": "default",
    });
    let own = match method {
        "kubernetes" => json!({
            "alias_name_source": "serviceaccount_uid",
            "bound_service_account_names": [], "bound_service_account_namespace_selector": "",
            "bound_service_account_namespaces": [],
        }),
        "approle" => json!({
            "bind_secret_id": true, "local_secret_ids": false, "secret_id_bound_cidrs": null,
            "secret_id_num_uses": 0, "secret_id_ttl": 0,
        }),
        "jwt" | "oidc" => json!({
            "allowed_redirect_uris": null, "bound_audiences": null, "bound_claims": null,
            "bound_claims_type": "string", "bound_subject": "", "callback_mode": "client",
            "claim_mappings": null, "clock_skew_leeway": 0, "expiration_leeway": 0,
            "groups_claim": "", "max_age": 0, "not_before_leeway": 0, "oauth2_metadata": null,
            "oidc_disable_confirmation": false, "oidc_scopes": null, "role_type": "oidc",
            "token_policies_template_claims": false, "user_claim": "",
            "user_claim_json_pointer": false, "verbose_oidc_logging": false,
        }),
        _ => json!({}),
    };
    let mut m = obj(Some(&token));
    m.extend(obj(Some(&own)));
    Value::Object(m)
}

/// Legacy role keys and their `token_*` names: a legacy value is returned under both.
const LEGACY: &[(&str, &str)] = &[
    ("ttl", "token_ttl"),
    ("max_ttl", "token_max_ttl"),
    ("period", "token_period"),
    ("policies", "token_policies"),
    ("bound_cidrs", "token_bound_cidrs"),
    ("num_uses", "token_num_uses"),
];

const TTL_KEYS: &[&str] = &[
    "ttl",
    "max_ttl",
    "period",
    "token_ttl",
    "token_max_ttl",
    "token_period",
    "token_explicit_max_ttl",
    "secret_id_ttl",
];

fn role_data(method: &str, given: &Value) -> Result<Value, String> {
    let mut m = obj(Some(&role_defaults(method)));
    for (k, v) in obj(Some(given)) {
        let v = if TTL_KEYS.contains(&k.as_str()) {
            json!(secs(&v)?)
        } else {
            v
        };
        if let Some((_, canon)) = LEGACY.iter().find(|(l, _)| *l == k) {
            m.insert((*canon).to_owned(), v.clone());
        }
        m.insert(k, v);
    }
    Ok(sorted(Value::Object(m)))
}

fn load(section: &Value) -> Result<World, String> {
    let s = obj(Some(section));
    let health = obj(s.get("health"));
    let version = health
        .get("version")
        .and_then(Value::as_str)
        .unwrap_or("2.7.2")
        .to_owned();
    let mut policies: BTreeMap<String, String> = BTreeMap::new();
    policies.insert(
        "default".into(),
        crate::policy::cli::DEFAULT_POLICY.to_owned(),
    );
    for (name, text) in obj(s.get("policies")) {
        let text = text
            .as_str()
            .ok_or_else(|| format!("policy {name} is not a string"))?;
        policies.insert(name, text.to_owned());
    }
    let mut parsed = HashMap::new();
    for (name, text) in &policies {
        let p = parse_policy_text(name, &format!("world policy {name}"), text)
            .map_err(|e| format!("world policy {name}: {}", e.message))?;
        parsed.insert(name.clone(), p);
    }
    let tokens_v = s
        .get("tokens")
        .cloned()
        .unwrap_or(json!({"root": ["root"]}));
    let mut tokens = HashMap::new();
    for (tok, pols) in obj(Some(&tokens_v)) {
        let names: Vec<&str> = pols
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let acl = if names.contains(&"root") {
            Acl::root()
        } else {
            let mut ps = Vec::new();
            for n in names.iter().chain(std::iter::once(&"default")) {
                ps.push(
                    parsed
                        .get(*n)
                        .ok_or_else(|| format!("token policy {n} is not in vault.policies"))?
                        .clone(),
                );
            }
            Acl::new(&ps).map_err(|e| format!("token {tok}: {}", e.0))?
        };
        tokens.insert(tok, acl);
    }
    let mut mounts = BTreeMap::new();
    for (p, m) in [
        (
            "sys/",
            json!({"type": "system", "description": "system endpoints used for control, policy and debugging", "config": {"passthrough_request_headers": ["Accept"]}}),
        ),
        (
            "cubbyhole/",
            json!({"type": "cubbyhole", "description": "per-token private secret storage"}),
        ),
        (
            "identity/",
            json!({"type": "identity", "description": "identity store", "config": {"passthrough_request_headers": ["Authorization"]}}),
        ),
    ] {
        mounts.insert(p.to_owned(), mount_entry(p, &m, false, &version)?);
    }
    for (p, m) in obj(s.get("mounts")) {
        mounts.insert(mount_key(&p), mount_entry(&p, &m, false, &version)?);
    }
    let mut auth = BTreeMap::new();
    auth.insert(
        "token/".to_owned(),
        mount_entry(
            "token/",
            &json!({"type": "token", "description": "token based credentials"}),
            true,
            &version,
        )?,
    );
    for (p, m) in obj(s.get("auth")) {
        auth.insert(mount_key(&p), mount_entry(&p, &m, true, &version)?);
    }
    let mut audit = BTreeMap::new();
    for (p, d) in obj(s.get("audit")) {
        let key = mount_key(&p);
        let options: Map<String, Value> = obj(d.get("options"))
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    Value::String(s) => Value::String(s),
                    other => Value::String(other.to_string()),
                };
                (k, v)
            })
            .collect();
        audit.insert(
            key.clone(),
            sorted(json!({
                "type": d.get("type").cloned().unwrap_or(json!("file")),
                "description": d.get("description").cloned().unwrap_or(json!("")),
                "options": options,
                "local": d.get("local").and_then(Value::as_bool).unwrap_or(false),
                "path": key,
            })),
        );
    }
    let mut roles: BTreeMap<String, BTreeMap<String, Value>> = BTreeMap::new();
    for (mount, rs) in obj(s.get("roles")) {
        let mount = mount.trim_matches('/').to_owned();
        let method = auth
            .get(&format!("{mount}/"))
            .and_then(|m| m.get("type"))
            .and_then(Value::as_str)
            .ok_or_else(|| {
                format!("roles for auth mount {mount}/, which vault.auth does not enable")
            })?
            .to_owned();
        for (name, data) in obj(Some(&rs)) {
            roles
                .entry(mount.clone())
                .or_default()
                .insert(name, role_data(&method, &data)?);
        }
    }
    let started = now_rfc3339();
    let mut secrets: BTreeMap<String, BTreeMap<String, (Value, Value)>> = BTreeMap::new();
    for (path, sdef) in obj(s.get("secrets")) {
        let mount = mounts
            .keys()
            .filter(|m| path.starts_with(m.as_str()))
            .max_by_key(|m| m.len())
            .ok_or_else(|| format!("secret {path} is under no mount"))?
            .clone();
        let key = path[mount.len()..].to_owned();
        let version = sdef.get("version").and_then(Value::as_u64).unwrap_or(1);
        let created = sdef
            .get("created_time")
            .and_then(Value::as_str)
            .unwrap_or(&started)
            .to_owned();
        let mut versions = Map::new();
        for v in 1..=version {
            versions.insert(
                v.to_string(),
                json!({"created_time": created, "deletion_time": "", "destroyed": false}),
            );
        }
        let meta = sorted(json!({
            "cas_required": false, "created_time": created, "current_metadata_version": 0,
            "current_version": version, "custom_metadata": null, "delete_version_after": "0s",
            "max_versions": 0, "metadata_cas_required": false, "oldest_version": 0,
            "updated_time": created, "versions": versions,
        }));
        let data = sdef.get("data").cloned().unwrap_or(json!({}));
        secrets
            .entry(mount.trim_matches('/').to_owned())
            .or_default()
            .insert(key, (meta, data));
    }
    let mut namespaces = HashMap::new();
    for (ns, sub) in obj(s.get("namespaces")) {
        let mut child = load(&sub)?;
        // Tokens of the parent work in its children unless the child lists its own.
        if sub.get("tokens").is_none() {
            child.tokens.clone_from(&tokens);
        }
        namespaces.insert(ns.trim_matches('/').to_owned(), child);
    }
    Ok(World {
        tokens,
        namespaces,
        health,
        default_ttl: s
            .get("default_lease_ttl")
            .map(secs)
            .transpose()?
            .unwrap_or(SYSTEM_TTL),
        max_ttl: s
            .get("max_lease_ttl")
            .map(secs)
            .transpose()?
            .unwrap_or(SYSTEM_TTL),
        mounts,
        auth,
        audit,
        policies,
        roles,
        secrets,
        started,
    })
}

/// The current UTC time as RFC 3339 (seconds precision).
fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let rem = secs.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        crate::engine::suppress::civil_date(secs.div_euclid(86_400)),
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Builds the Vault API router from the world's `vault:` section.
pub fn router(section: &Value) -> Result<Router, String> {
    let world = Arc::new(load(section)?);
    Ok(Router::new()
        .route("/v1/{*path}", axum::routing::any(handle))
        .with_state(world))
}

fn errors(status: StatusCode, errs: &[&str]) -> Response {
    (status, axum::Json(json!({ "errors": errs }))).into_response()
}

fn request_id(path: &str) -> String {
    let h = fnv(path);
    format!(
        "{h:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        h >> 16,
        h & 0xffff,
        (h >> 8) & 0xffff,
        u64::from(h) * 31
    )
}

/// A logical response envelope; `legacy` copies `data`'s keys to the top level, as Vault's
/// `injectDataIntoTopRoutes` does for `sys/mounts`, `sys/auth`, `sys/audit`, ….
fn envelope(path: &str, data: Value, legacy: bool) -> Response {
    let mut body = Map::new();
    if legacy {
        for (k, v) in obj(Some(&data)) {
            body.insert(k, v);
        }
    }
    body.insert("request_id".into(), json!(request_id(path)));
    body.insert("lease_id".into(), json!(""));
    body.insert("renewable".into(), json!(false));
    body.insert("lease_duration".into(), json!(0));
    body.insert("data".into(), data);
    body.insert("wrap_info".into(), Value::Null);
    body.insert("warnings".into(), Value::Null);
    body.insert("auth".into(), Value::Null);
    (StatusCode::OK, axum::Json(Value::Object(body))).into_response()
}

fn keys_response(path: &str, mut keys: Vec<String>) -> Response {
    if keys.is_empty() {
        return errors(StatusCode::NOT_FOUND, &[]);
    }
    keys.sort();
    keys.dedup();
    envelope(path, json!({ "keys": keys }), false)
}

/// Paths Vault's system backend marks root-protected (`PathsSpecial.Root`): `sudo` needed.
fn needs_sudo(path: &str) -> bool {
    path == "sys/audit"
        || path.starts_with("sys/audit/")
        || path.starts_with("sys/auth/")
        || path.starts_with("sys/raw")
        || path == "sys/remount"
        || path.starts_with("sys/leases/lookup/")
        || path == "sys/rotate"
}

fn token(headers: &HeaderMap) -> Option<String> {
    if let Some(t) = headers.get("x-vault-token").and_then(|v| v.to_str().ok()) {
        return Some(t.to_owned());
    }
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned)
}

async fn handle(
    State(w): State<Arc<World>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let path = uri.path().trim_start_matches("/v1/").to_owned();
    if path == "sys/health" {
        return health(&w, &method, &q);
    }
    let ns = headers
        .get("x-vault-namespace")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim_matches('/');
    let w: &World = if ns.is_empty() {
        &w
    } else {
        match w.namespaces.get(ns) {
            Some(child) => child,
            None => return errors(StatusCode::NOT_FOUND, &["namespace not found"]),
        }
    };
    let list = method.as_str() == "LIST"
        || (method == Method::GET && q.get("list").is_some_and(|v| v == "true"));
    if !(list || method == Method::GET) {
        // Read-only emulation: writes are not part of the subset.
        return errors(StatusCode::METHOD_NOT_ALLOWED, &["unsupported operation"]);
    }
    if w.health.get("sealed").and_then(Value::as_bool) == Some(true) {
        return errors(StatusCode::SERVICE_UNAVAILABLE, &["Vault is sealed"]);
    }
    let Some(acl) = token(&headers).and_then(|t| w.tokens.get(&t)) else {
        return errors(StatusCode::FORBIDDEN, &["permission denied"]);
    };
    let clean = path.trim_end_matches('/');
    // Vault checks a LIST against the path with a trailing `/`.
    let checked = if list {
        format!("{clean}/")
    } else {
        clean.to_owned()
    };
    let d = acl.decide(&checked, list);
    let need = if list {
        Capability::List
    } else {
        Capability::Read
    };
    let allowed = d.root
        || (d.caps.contains(need) && (!needs_sudo(clean) || d.caps.contains(Capability::Sudo)));
    if !allowed {
        return errors(StatusCode::FORBIDDEN, &["permission denied"]);
    }
    serve(w, clean, list)
}

fn serve(w: &World, path: &str, list: bool) -> Response {
    let segs: Vec<&str> = path.split('/').collect();
    let table = |t: &BTreeMap<String, Value>| Value::Object(t.clone().into_iter().collect());
    match (list, segs.as_slice()) {
        (false, ["sys", "mounts"]) => envelope(path, table(&w.mounts), true),
        (false, ["sys", "auth"]) => envelope(path, table(&w.auth), true),
        (false, ["sys", "audit"]) => envelope(path, table(&w.audit), true),
        (false, ["sys", kind @ ("mounts" | "auth"), rest @ .., "tune"]) if !rest.is_empty() => {
            let t = if *kind == "mounts" {
                &w.mounts
            } else {
                &w.auth
            };
            match t.get(&format!("{}/", rest.join("/"))) {
                Some(m) => envelope(path, tune(w, m, *kind == "auth"), true),
                None => {
                    let msg = format!("cannot fetch sysview for path \"{}/\"", rest.join("/"));
                    errors(StatusCode::BAD_REQUEST, &[msg.as_str()])
                }
            }
        }
        (true, ["sys", "policies", "acl"]) => {
            let mut keys: Vec<String> = w.policies.keys().cloned().collect();
            keys.push("root".into());
            keys_response(path, keys)
        }
        (false, ["sys", "policies", "acl", name]) => match w.policies.get(*name) {
            Some(text) => envelope(
                path,
                // OpenBao 2.x's fields; `version` counts CAS writes.
                json!({"allow_slashes_in_identity_templates": false,
                       "allow_wildcards_in_identity_templates": false, "cas_required": false,
                       "modified": w.started, "name": name, "policy": text, "version": 1}),
                false,
            ),
            None => errors(StatusCode::NOT_FOUND, &[]),
        },
        (true, ["auth", mount @ .., "role"]) if !mount.is_empty() => {
            if !w.auth.contains_key(&format!("{}/", mount.join("/"))) {
                // What the router says for a mount that does not exist (OpenBao 2.7).
                let msg = format!("no handler for route \"{path}/\". route entry not found.");
                return errors(StatusCode::NOT_FOUND, &[msg.as_str()]);
            }
            let keys = w
                .roles
                .get(&mount.join("/"))
                .map(|r| r.keys().cloned().collect())
                .unwrap_or_default();
            keys_response(path, keys)
        }
        (false, ["auth", mount @ .., "role", name]) if !mount.is_empty() => {
            match w.roles.get(&mount.join("/")).and_then(|r| r.get(*name)) {
                Some(d) => envelope(path, d.clone(), false),
                None => errors(StatusCode::NOT_FOUND, &[]),
            }
        }
        _ => kv(w, path, list),
    }
}

/// The tune response: effective TTLs (0 → the server's), and what OpenBao adds per kind.
fn tune(w: &World, m: &Value, auth: bool) -> Value {
    let c = m.get("config");
    let get = |k: &str| {
        c.and_then(|c| c.get(k))
            .and_then(Value::as_i64)
            .unwrap_or(0)
    };
    let eff = |v: i64, d: i64| if v > 0 { v } else { d };
    let mut t = Map::new();
    t.insert(
        "default_lease_ttl".into(),
        json!(eff(get("default_lease_ttl"), w.default_ttl)),
    );
    t.insert(
        "description".into(),
        m.get("description").cloned().unwrap_or(json!("")),
    );
    t.insert("force_no_cache".into(), json!(false));
    t.insert(
        "max_lease_ttl".into(),
        json!(eff(get("max_lease_ttl"), w.max_ttl)),
    );
    if let Some(o) = m
        .get("options")
        .filter(|o| o.as_object().is_some_and(|o| !o.is_empty()))
    {
        t.insert("options".into(), o.clone());
    }
    if let Some(h) = c.and_then(|c| c.get("passthrough_request_headers")) {
        t.insert("passthrough_request_headers".into(), h.clone());
    }
    if auth {
        t.insert("token_type".into(), json!("default-service"));
    }
    Value::Object(t)
}

/// KV v2 `metadata` and `data` under a KV v2 mount.
fn kv(w: &World, path: &str, list: bool) -> Response {
    let Some((mount, rest)) = w
        .mounts
        .iter()
        .filter(|(m, e)| {
            path.starts_with(m.as_str())
                && e.get("type").and_then(Value::as_str) == Some("kv")
                && e.pointer("/options/version").and_then(Value::as_str) == Some("2")
        })
        .max_by_key(|(m, _)| m.len())
        .map(|(m, _)| (m.trim_matches('/'), &path[m.len()..]))
    else {
        return errors(StatusCode::NOT_FOUND, &[]);
    };
    let store = w.secrets.get(mount);
    if let Some(prefix) = rest
        .strip_prefix("metadata")
        .map(|r| r.trim_start_matches('/'))
    {
        if list {
            let prefix = if prefix.is_empty() {
                String::new()
            } else {
                format!("{prefix}/")
            };
            let keys: Vec<String> = store
                .map(|s| {
                    s.keys()
                        .filter_map(|k| k.strip_prefix(&prefix))
                        .map(|r| match r.split_once('/') {
                            Some((dir, _)) => format!("{dir}/"),
                            None => r.to_owned(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            return keys_response(path, keys);
        }
        return match store.and_then(|s| s.get(prefix)) {
            Some((meta, _)) => envelope(path, meta.clone(), false),
            None => errors(StatusCode::NOT_FOUND, &[]),
        };
    }
    if let Some(key) = rest.strip_prefix("data/") {
        if !list {
            if let Some((meta, data)) = store.and_then(|s| s.get(key)) {
                let v = meta.get("current_version").cloned().unwrap_or(json!(1));
                let created = meta
                    .get("updated_time")
                    .cloned()
                    .unwrap_or(json!(w.started));
                return envelope(
                    path,
                    json!({"data": data, "metadata": {
                    "created_time": created, "custom_metadata": null, "deletion_time": "",
                    "destroyed": false, "version": v}}),
                    false,
                );
            }
        }
    }
    errors(StatusCode::NOT_FOUND, &[])
}

/// `sys/health`: unauthenticated, not enveloped; status per node state and query overrides.
fn health(w: &World, method: &Method, q: &HashMap<String, String>) -> Response {
    let flag = |k: &str, d: bool| w.health.get(k).and_then(Value::as_bool).unwrap_or(d);
    let code = |k: &str, d: u16| q.get(k).and_then(|v| v.parse().ok()).unwrap_or(d);
    let truthy = |k: &str| {
        q.get(k)
            .is_some_and(|v| v.is_empty() || v == "true" || v == "1")
    };
    let (initialized, sealed, standby, perf) = (
        flag("initialized", true),
        flag("sealed", false),
        flag("standby", false),
        flag("performance_standby", false),
    );
    let dr = w.health.get("replication_dr_mode").and_then(Value::as_str) == Some("secondary");
    let status = if let Some(s) = w.health.get("status").and_then(Value::as_u64) {
        s as u16
    } else if !initialized {
        code("uninitcode", 501)
    } else if sealed {
        code("sealedcode", 503)
    } else if dr {
        code("drsecondarycode", 472)
    } else if perf {
        if truthy("perfstandbyok") {
            code("activecode", 200)
        } else {
            code("performancestandbycode", 473)
        }
    } else if standby {
        if truthy("standbyok") {
            code("activecode", 200)
        } else {
            code("standbycode", 429)
        }
    } else {
        code("activecode", 200)
    };
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    if method == Method::HEAD {
        return status.into_response();
    }
    let mut b = Map::new();
    b.insert("initialized".into(), json!(initialized));
    b.insert("sealed".into(), json!(sealed));
    b.insert("standby".into(), json!(standby));
    if perf {
        b.insert("performance_standby".into(), json!(true));
    }
    b.insert(
        "replication_performance_mode".into(),
        json!(w
            .health
            .get("replication_performance_mode")
            .cloned()
            .unwrap_or(json!("disabled"))),
    );
    b.insert(
        "replication_dr_mode".into(),
        json!(w
            .health
            .get("replication_dr_mode")
            .cloned()
            .unwrap_or(json!("disabled"))),
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    b.insert("server_time_utc".into(), json!(now));
    b.insert(
        "version".into(),
        w.health.get("version").cloned().unwrap_or(json!("2.7.2")),
    );
    b.insert(
        "cluster_name".into(),
        w.health
            .get("cluster_name")
            .cloned()
            .unwrap_or(json!("vault-cluster-5eed0000")),
    );
    b.insert(
        "cluster_id".into(),
        w.health
            .get("cluster_id")
            .cloned()
            .unwrap_or(json!("5eed0000-0000-4000-8000-000000000000")),
    );
    (status, axum::Json(Value::Object(b))).into_response()
}
