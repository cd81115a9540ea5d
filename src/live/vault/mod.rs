//! The Vault collector (`--vault`): reads one Vault/OpenBao server through its HTTP API —
//! `sys/health`, `sys/mounts` (+ tune), `sys/auth` (+ tune), `sys/audit`, ACL policies, the
//! roles of kubernetes/approle/jwt/oidc auth mounts, and KV v2 metadata — and hands the
//! responses to [`render`], which makes the virtual files and facts the rules read.
//!
//! Independent reads run concurrently, at most [`CONCURRENCY`] requests at a time. Anything
//! that could not be read is an error diagnostic (`live-incomplete`), never a silent gap.

pub mod render;

#[cfg(feature = "live-vault")]
pub mod client;

#[cfg(feature = "live-vault")]
pub use collector::*;

#[cfg(feature = "live-vault")]
mod collector {
    use super::client::{Api, Got, VaultTarget};
    use super::render::{self, RawKv, RawRole, VaultSnapshot, ROLE_METHODS};
    use crate::live::{LiveInput, LiveOptions};
    use serde_json::Value;
    use std::sync::atomic::Ordering;
    use std::sync::Arc;
    use tokio::sync::Semaphore;

    /// Requests in flight at once, across mounts, roles, policies and secrets.
    pub const CONCURRENCY: usize = 8;
    /// KV v2 secrets whose metadata is read per mount (a bound on huge stores).
    pub const MAX_KV_KEYS: usize = 5_000;
    /// Folder depth followed below a KV v2 mount.
    const MAX_KV_DEPTH: usize = 16;

    /// Reads the Vault server named by the environment.
    pub async fn collect(opts: &LiveOptions) -> LiveInput {
        collect_target(VaultTarget::from_env(opts.vault_insecure, opts.timeout())).await
    }

    /// Reads one server.
    pub async fn collect_target(target: VaultTarget) -> LiveInput {
        let logical = format!("vault://{}", render::host_of(&target.addr));
        let insecure = target.insecure;
        let has_token = target.token.is_some();
        let addr = target.addr.clone();
        let api = match Api::new(target, logical.clone()) {
            Ok(api) => Arc::new(api),
            Err(e) => return LiveInput::failed(&logical, e),
        };
        let mut snap = VaultSnapshot {
            addr,
            insecure,
            ..Default::default()
        };
        if has_token {
            read_all(&api, &mut snap).await;
        } else {
            snap.health = api
                .health()
                .await
                .map(|(status, body)| render::HealthResponse { status, body });
            api.incomplete(
                "",
                "no token: set VAULT_TOKEN or BAO_TOKEN (only sys/health was read)",
            );
        }
        let (files, state) = render::render(&snap);
        let mut input = LiveInput {
            files,
            ..Default::default()
        };
        input.facts.vault.push(state);
        input
            .api_calls
            .push(("vault", api.calls.load(Ordering::Relaxed)));
        input.diagnostics =
            std::mem::take(&mut *api.diagnostics.lock().unwrap_or_else(|e| e.into_inner()));
        input
    }

    async fn read_all(api: &Arc<Api>, snap: &mut VaultSnapshot) {
        let sem = Arc::new(Semaphore::new(CONCURRENCY));
        // Health first: a server that cannot be reached is one diagnostic, not one per path.
        snap.health = api
            .health()
            .await
            .map(|(status, body)| render::HealthResponse { status, body });
        if api.unreachable.load(Ordering::Relaxed) {
            return;
        }
        let mounts = api.data("sys/mounts", false);
        let auth = api.data("sys/auth", false);
        let audit = api.data("sys/audit", false);
        let policies = read_policies(api, &sem);
        let (mounts, auth, audit, policies) = tokio::join!(mounts, auth, audit, policies);
        snap.mounts = table(api, "sys/mounts", mounts);
        snap.auth = table(api, "sys/auth", auth);
        snap.audit = table(api, "sys/audit", audit);
        snap.policies = policies;
        let secret_mounts = mount_list(snap.mounts.as_ref());
        let auth_mounts = mount_list(snap.auth.as_ref());
        let mount_tunes = tunes(api, &sem, "sys/mounts", &secret_mounts);
        let auth_tunes = tunes(api, &sem, "sys/auth", &auth_mounts);
        let roles = read_roles(api, &sem, &auth_mounts);
        let kv = read_kv(api, &sem, &secret_mounts);
        let (mount_tunes, auth_tunes, roles, kv) = tokio::join!(mount_tunes, auth_tunes, roles, kv);
        snap.mount_tunes = mount_tunes;
        snap.auth_tunes = auth_tunes;
        snap.roles = roles;
        snap.kv_metadata = kv;
    }

    /// A system table's `data`. Vault answers an empty table with 200 and `{}`; a 404 here
    /// means the address is not a Vault API or the namespace does not exist.
    fn table(api: &Api, path: &str, g: Option<Got>) -> Option<Value> {
        match g? {
            Got::Ok(v) => Some(v),
            Got::NotFound => {
                api.incomplete(
                    path,
                    format!(
                        "GET /v1/{path}: 404 — not a Vault API, or the namespace does not exist"
                    ),
                );
                None
            }
        }
    }

    /// (path without slashes, type, KV version) of every mount in a listing.
    fn mount_list(data: Option<&Value>) -> Vec<(String, String, Option<u8>)> {
        let Some(obj) = data.and_then(Value::as_object) else {
            return Vec::new();
        };
        obj.iter()
            .map(|(k, m)| {
                let ty = m
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                let v = render::kv_version(&ty, m.get("options"));
                (render::trim_mount(k).to_owned(), ty, v)
            })
            .collect()
    }

    /// Runs `f` for every item with at most `CONCURRENCY` requests in flight; results keep
    /// the items' order.
    async fn each<T, R, F, Fut>(sem: &Arc<Semaphore>, items: Vec<T>, f: F) -> Vec<R>
    where
        T: Send + 'static,
        R: Send + 'static,
        F: Fn(T) -> Fut,
        Fut: std::future::Future<Output = R> + Send + 'static,
    {
        let mut set = tokio::task::JoinSet::new();
        for (i, item) in items.into_iter().enumerate() {
            let sem = sem.clone();
            let fut = f(item);
            set.spawn(async move {
                let _permit = sem.acquire_owned().await;
                (i, fut.await)
            });
        }
        let mut out: Vec<(usize, R)> = Vec::new();
        while let Some(r) = set.join_next().await {
            if let Ok(r) = r {
                out.push(r);
            }
        }
        out.sort_by_key(|(i, _)| *i);
        out.into_iter().map(|(_, r)| r).collect()
    }

    async fn read_policies(
        api: &Arc<Api>,
        sem: &Arc<Semaphore>,
    ) -> std::collections::BTreeMap<String, String> {
        let Some(names) = api.keys("sys/policies/acl").await else {
            return Default::default();
        };
        // `root` is listed but has no document (RULES-SPEC §4.3).
        let names: Vec<String> = names.into_iter().filter(|n| n != "root").collect();
        let got = each(sem, names, |name| {
            let api = api.clone();
            async move {
                let path = format!("sys/policies/acl/{name}");
                let text = match api.data(&path, false).await {
                    Some(Got::Ok(d)) => match d.get("policy").and_then(Value::as_str) {
                        Some(t) => Some(t.to_owned()),
                        None => {
                            api.incomplete(&path, format!("GET /v1/{path}: no `data.policy` text"));
                            None
                        }
                    },
                    Some(Got::NotFound) => {
                        api.incomplete(
                            &path,
                            format!(
                                "GET /v1/{path}: listed but not found (deleted during the scan?)"
                            ),
                        );
                        None
                    }
                    None => None,
                };
                (name, text)
            }
        })
        .await;
        got.into_iter().filter_map(|(n, t)| Some((n, t?))).collect()
    }

    async fn tunes(
        api: &Arc<Api>,
        sem: &Arc<Semaphore>,
        prefix: &'static str,
        mounts: &[(String, String, Option<u8>)],
    ) -> std::collections::BTreeMap<String, Value> {
        let paths: Vec<String> = mounts.iter().map(|m| m.0.clone()).collect();
        let got = each(sem, paths, |p| {
            let api = api.clone();
            async move {
                let v = match api.data(&format!("{prefix}/{p}/tune"), false).await {
                    Some(Got::Ok(v)) => Some(v),
                    _ => None,
                };
                (p, v)
            }
        })
        .await;
        got.into_iter().filter_map(|(p, v)| Some((p, v?))).collect()
    }

    async fn read_roles(
        api: &Arc<Api>,
        sem: &Arc<Semaphore>,
        auth_mounts: &[(String, String, Option<u8>)],
    ) -> Vec<RawRole> {
        let with_roles: Vec<(String, String)> = auth_mounts
            .iter()
            .filter(|m| ROLE_METHODS.contains(&m.1.as_str()))
            .map(|m| (m.0.clone(), m.1.clone()))
            .collect();
        let lists = each(sem, with_roles, |(mount, method)| {
            let api = api.clone();
            async move {
                let names = api
                    .keys(&format!("auth/{mount}/role"))
                    .await
                    .unwrap_or_default();
                names
                    .into_iter()
                    .map(|n| (mount.clone(), method.clone(), n))
                    .collect::<Vec<_>>()
            }
        })
        .await;
        let all: Vec<_> = lists.into_iter().flatten().collect();
        let got = each(sem, all, |(mount, method, name)| {
            let api = api.clone();
            async move {
                let path = format!("auth/{mount}/role/{name}");
                match api.data(&path, false).await {
                    Some(Got::Ok(data)) => Some(RawRole {
                        method,
                        mount,
                        name,
                        data,
                    }),
                    _ => None,
                }
            }
        })
        .await;
        got.into_iter().flatten().collect()
    }

    async fn read_kv(
        api: &Arc<Api>,
        sem: &Arc<Semaphore>,
        secret_mounts: &[(String, String, Option<u8>)],
    ) -> Vec<RawKv> {
        let mut keys: Vec<(String, String)> = Vec::new();
        for (mount, _, _) in secret_mounts.iter().filter(|m| m.2 == Some(2)) {
            let mut found = Vec::new();
            // Breadth-first over folders, one LIST each, bounded in depth and count.
            let mut level = vec![String::new()];
            for _ in 0..MAX_KV_DEPTH {
                if level.is_empty() || found.len() >= MAX_KV_KEYS {
                    break;
                }
                let lists = each(sem, std::mem::take(&mut level), |prefix| {
                    let api = api.clone();
                    let mount = mount.clone();
                    async move {
                        let ks = api
                            .keys(&format!("{mount}/metadata/{prefix}"))
                            .await
                            .unwrap_or_default();
                        ks.into_iter()
                            .map(|k| format!("{prefix}{k}"))
                            .collect::<Vec<_>>()
                    }
                })
                .await;
                for k in lists.into_iter().flatten() {
                    if k.ends_with('/') {
                        level.push(k);
                    } else {
                        found.push(k);
                    }
                }
            }
            if found.len() > MAX_KV_KEYS || !level.is_empty() {
                api.incomplete(
                    &format!("{mount}/metadata/"),
                    format!("KV v2 mount `{mount}/` has more than {MAX_KV_KEYS} secrets or folders deeper than {MAX_KV_DEPTH}: staleness was checked for the first {MAX_KV_KEYS} only"),
                );
                found.truncate(MAX_KV_KEYS);
            }
            keys.extend(found.into_iter().map(|k| (mount.clone(), k)));
        }
        let got = each(sem, keys, |(mount, key)| {
            let api = api.clone();
            async move {
                match api.data(&format!("{mount}/metadata/{key}"), false).await {
                    Some(Got::Ok(data)) => Some(RawKv { mount, key, data }),
                    _ => None,
                }
            }
        })
        .await;
        got.into_iter().flatten().collect()
    }
}
