//! HLM004 — Dev-mode Vault server: `server.dev.enabled` (compared as `toString == "true"`, as
//! the chart does) runs an in-memory, auto-unsealed server with a known root token and a
//! plaintext listener on `[::]:8200`. Values files on a dev/test path (option
//! `HLM004.dev_paths`, globs) are reported at info.

use super::{identify, server_charts};
use crate::model::helm::Mode;
use crate::model::inventory::Inventory;
use crate::rules::{Context, Emitter, Rule, Severity};
use globset::{Glob, GlobSet, GlobSetBuilder};

pub struct DevModeServer;

const DEFAULT_DEV_PATHS: &[&str] = &["**/dev/**", "*-dev.yaml", "*-dev.yml"];

fn dev_paths(cx: &Context) -> GlobSet {
    let configured: Vec<String> = cx
        .config
        .option("HLM004", "dev_paths")
        .map(<[String]>::to_vec)
        .unwrap_or_else(|| DEFAULT_DEV_PATHS.iter().map(|s| (*s).to_owned()).collect());
    let mut b = GlobSetBuilder::new();
    for g in configured.iter().filter_map(|g| Glob::new(g).ok()) {
        b.add(g);
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

impl Rule for DevModeServer {
    fn id(&self) -> &'static str {
        "HLM004"
    }

    fn check(&self, inv: &Inventory, cx: &Context, out: &mut Emitter) {
        let dev = dev_paths(cx);
        for v in server_charts(inv) {
            if v.mode() != Mode::Dev {
                continue;
            }
            let l = v.get("server.dev.enabled");
            let token = if v.get("server.dev.devRootToken").in_file {
                "a root token fixed in the values"
            } else {
                "the well-known default root token"
            };
            let on_dev_path = dev.is_match(v.file(l.file).path.as_ref());
            let f = out.report(
                l.location.clone(),
                format!(
                    "server.dev.enabled runs the {} server in dev mode: in-memory storage, auto-unsealed, {token} and a plaintext listener on [::]:8200{}",
                    v.describe(),
                    if on_dev_path { " (values file on a dev path)" } else { "" }
                ),
            );
            if on_dev_path {
                f.severity(Severity::Info);
            }
            identify(f, &v, "server.dev.enabled");
        }
    }
}
