//! The in-process reference server: Kubernetes, EC2, Vault and GitHub code-scanning APIs
//! served from one "world" file, for end-to-end tests and `sealant serve-reference`.
//!
//! One axum server on 127.0.0.1 (random port). Each API is a router built from its own world
//! section (`kubernetes:`, `vault:`, `aws:`, `github:`); the generic `faults:` (latency, error
//! statuses with `Retry-After`, `times`, malformed bodies) wrap them all, so every collector
//! meets the same failures. Routes do not overlap: Kubernetes `/api`, `/apis`, `/version`,
//! `/openapi`; Vault `/v1/`; GitHub `/repos/`; EC2 `POST /` (form body, `Action=`).

pub mod cli;
pub mod ec2;
pub mod faults;
pub mod github;
pub mod kube;
pub mod vault;

use serde_json::Value;
use std::net::SocketAddr;
use std::path::Path;

/// A parsed world file: one section per API, plus the generic faults.
#[derive(Debug, Clone, Default)]
pub struct World {
    pub kubernetes: Value,
    pub vault: Value,
    pub aws: Value,
    pub github: Value,
    pub faults: Vec<faults::Fault>,
}

impl World {
    /// Reads a world from YAML text.
    pub fn parse(text: &str) -> Result<World, String> {
        let root: Value = serde_saphyr::from_str(text).map_err(|e| format!("world: {e}"))?;
        let root = match root {
            Value::Null => Value::Object(Default::default()),
            Value::Object(_) => root,
            _ => return Err("world: the top level must be a mapping".into()),
        };
        for key in root.as_object().into_iter().flat_map(|m| m.keys()) {
            if !matches!(
                key.as_str(),
                "kubernetes" | "vault" | "aws" | "github" | "faults"
            ) {
                return Err(format!(
                    "world: unknown section `{key}` (kubernetes, vault, aws, github, faults)"
                ));
            }
        }
        let section = |k: &str| root.get(k).cloned().unwrap_or(Value::Null);
        let faults = match root.get("faults") {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => {
                serde_json::from_value(v.clone()).map_err(|e| format!("world: faults: {e}"))?
            }
        };
        Ok(World {
            kubernetes: section("kubernetes"),
            vault: section("vault"),
            aws: section("aws"),
            github: section("github"),
            faults,
        })
    }

    /// Reads a world file.
    pub fn load(path: &Path) -> Result<World, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        World::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// The one router serving every API of the world, faults applied.
pub fn router(world: &World, uploads: github::Uploads) -> Result<axum::Router, String> {
    let app = axum::Router::new()
        .merge(kube::router(&world.kubernetes)?)
        .merge(github::router(&world.github, uploads)?)
        .merge(vault::router(&world.vault)?)
        .merge(ec2::router(&world.aws)?);
    Ok(faults::layer(app, &world.faults))
}

/// A running server; dropping it stops the server.
pub struct Handle {
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    uploads: github::Uploads,
}

impl Handle {
    /// SARIF uploads the GitHub endpoint accepted, oldest first.
    pub fn uploads(&self) -> Vec<github::Upload> {
        self.uploads.lock().map(|u| u.clone()).unwrap_or_default()
    }
    /// Blocks until the server stops (it only stops when the handle is dropped elsewhere or
    /// the process ends): what `serve-reference` does after printing its address.
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Starts the server for `world` on 127.0.0.1 (random port) in a thread of its own with its
/// own runtime, so synchronous tests and the CLI can use it alike.
pub fn serve(world: &World) -> Result<(SocketAddr, Handle), String> {
    crate::live::install_crypto_provider();
    let uploads = github::Uploads::default();
    let app = router(world, uploads.clone())?;
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| format!("cannot bind 127.0.0.1: {e}"))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("cannot configure the listener: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound address: {e}"))?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a runtime: {e}"))?;
    let thread = std::thread::Builder::new()
        .name("sealant-refserver".into())
        .spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await;
            });
        })
        .map_err(|e| format!("cannot start the server thread: {e}"))?;
    Ok((
        addr,
        Handle {
            shutdown: Some(tx),
            thread: Some(thread),
            uploads,
        },
    ))
}

/// A kubeconfig that points `kubectl` (and `sealant scan --kube`) at the server.
pub fn kubeconfig(base_url: &str, context: &str) -> String {
    format!(
        "apiVersion: v1
kind: Config
clusters:
- name: {context}
  cluster:
    server: {base_url}
users:
- name: {context}
  user:
    token: reference-server-token
contexts:
- name: {context}
  context:
    cluster: {context}
    user: {context}
current-context: {context}
"
    )
}
