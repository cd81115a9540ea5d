//! The KV mount model (RULES-SPEC §1(f) ROL009, §3 `KvMount{path, version, source}`): the KV
//! version of every mount the scan set declares, with where it came from.
//!
//! Sources: `vault|bao secrets enable [-path=P] [-version=2] kv|kv-v1|kv-v2`
//! (`-options=version=2` too), `vault kv enable-versioning P` (upgrades P to v2), Terraform
//! `vault_mount { type = "kv" | "kv-v2", options = { version = "2" } }` and
//! `vault_kv_secret_backend_v2` (implies v2 on its mount), and `.sealant.yaml`
//! `vault.mounts`. Version decoding per §1(f): no version or `1` → 1, `2` → 2, anything else
//! → 1. When nothing declares `secret/`, it is assumed KV v2 (what dev servers mount); other
//! undeclared mounts are unknown, and rules that need the version stay silent there.

use std::collections::{HashMap, HashSet};

use crate::engine::config::Config;
use crate::location::Location;
use crate::model::inventory::Inventory;
use crate::model::vault_hcl::HclKind;
use crate::model::vault_roles::vault_args;
use crate::syntax::hcl::Expr;

/// A mount enabled in the scan set (`secrets enable`, `vault_mount`).
#[derive(Debug, Clone)]
pub struct KvMount {
    /// Mount path without slashes at either end (`secret`, `team/kv`).
    pub mount: String,
    /// The version it is enabled with (before any upgrade).
    pub version: u8,
    /// The engine type word or attribute value.
    pub at: Location,
    pub how: &'static str,
}

/// A later upgrade to v2 (`vault kv enable-versioning`, `vault_kv_secret_backend_v2`).
#[derive(Debug, Clone)]
pub struct Upgrade {
    pub mount: String,
    pub at: Location,
    pub how: &'static str,
}

/// Every mount the scan set declares.
#[derive(Debug, Clone, Default)]
pub struct KvMounts {
    pub mounts: Vec<KvMount>,
    pub upgrades: Vec<Upgrade>,
    /// Mounts enabled with an engine other than KV (never assumed to be KV).
    pub other: Vec<String>,
    /// A live server's mount table was read: nothing is assumed about undeclared mounts.
    pub live: bool,
    /// Mount path → first declaration of each kind, built on the first query: the fields
    /// above are complete by then (they are only filled while [`KvMounts::build`] runs).
    index: std::sync::OnceLock<MountIndex>,
}

/// The declarations of [`KvMounts`] by mount path, so that a lookup probes the path's own
/// prefixes instead of testing every mount, upgrade and other engine against each path.
#[derive(Debug, Clone, Default)]
struct MountIndex {
    /// Mount path → index in `mounts` of its first declaration.
    mounts: HashMap<String, usize>,
    /// Mount path → index in `upgrades` of its first upgrade.
    upgrades: HashMap<String, usize>,
    /// Mount paths enabled with an engine other than KV.
    other: HashSet<String>,
}

impl MountIndex {
    fn new(kv: &KvMounts) -> MountIndex {
        let mut ix = MountIndex::default();
        for (i, m) in kv.mounts.iter().enumerate() {
            ix.mounts.entry(m.mount.clone()).or_insert(i);
        }
        for (i, u) in kv.upgrades.iter().enumerate() {
            ix.upgrades.entry(u.mount.clone()).or_insert(i);
        }
        ix.other = kv.other.iter().cloned().collect();
        ix
    }
}

/// Where a mount's version is known from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MountSource {
    Declared {
        at: Location,
        how: &'static str,
    },
    Config,
    /// `secret/`, declared nowhere: a dev server's KV v2 mount.
    Assumed,
}

/// The KV mount a policy or request path falls under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountFact {
    pub mount: String,
    pub version: u8,
    pub source: MountSource,
}

impl MountFact {
    /// `KV v2 mount `secret/` (vault_mount at main.tf:3:10)`, with the assumption spelled
    /// out when nothing declared it.
    pub fn describe(&self) -> String {
        let m = &self.mount;
        let v = self.version;
        match &self.source {
            MountSource::Declared { at, how } => {
                format!("KV v{v} mount `{m}/` ({how} at {}:{})", at.path, at.span.start.line)
            }
            MountSource::Config => format!("KV v{v} mount `{m}/` (.sealant.yaml vault.mounts)"),
            MountSource::Assumed => format!("mount `{m}/` (assumed KV v2: nothing in the scan set declares it; dev servers mount it as KV v2 — declare it in .sealant.yaml vault.mounts if not)"),
        }
    }
    pub fn location(&self) -> Option<&Location> {
        match &self.source {
            MountSource::Declared { at, .. } => Some(at),
            _ => None,
        }
    }
}

fn version_of(s: &str) -> u8 {
    if s == "2" {
        2
    } else {
        1
    }
}

/// True when `path` lies under mount `m` (`m` has no slashes at the ends).
fn under(path: &str, m: &str) -> bool {
    path.strip_prefix(m).is_some_and(|r| r.starts_with('/'))
}

/// Every non-empty `m` with `under(path, m)`, longest first: the text before each `/` of
/// `path`, from the last one back.
fn mounts_above(path: &str) -> impl Iterator<Item = &str> {
    path.rmatch_indices('/')
        .map(move |(i, _)| &path[..i])
        .filter(|m| !m.is_empty())
}

impl KvMounts {
    fn index(&self) -> &MountIndex {
        self.index.get_or_init(|| MountIndex::new(self))
    }

    /// The first upgrade of mount `m` (none counts for a live mount: its version is what the
    /// server runs, whatever scripts say).
    fn upgrade_of(&self, m: &KvMount) -> Option<&Upgrade> {
        if m.how == crate::model::live_vault::LIVE {
            return None;
        }
        let i = *self.index().upgrades.get(&m.mount)?;
        Some(&self.upgrades[i])
    }

    /// The effective version of an enabled mount (upgrades anywhere in the scan set count).
    pub fn effective_version(&self, m: &KvMount) -> u8 {
        if self.upgrade_of(m).is_some() {
            2
        } else {
            m.version
        }
    }

    /// The KV mount `path` (a policy path, leading `/` already stripped) falls under: the
    /// longest mount that `.sealant.yaml` or the scan set declares, else `secret/` assumed
    /// v2; `None` when the mount is unknown or not KV.
    ///
    /// Candidates of one length are one and the same mount path; among them `.sealant.yaml`
    /// wins, then the first enabled mount, then the first upgrade of a mount enabled nowhere,
    /// then a non-KV engine (which answers `None`).
    pub fn lookup(&self, config: &Config, path: &str) -> Option<MountFact> {
        match mounts_above(path).find_map(|m| self.declared(config, m)) {
            Some(fact) => fact,
            None if under(path, "secret") && !self.live => Some(MountFact {
                mount: "secret".into(),
                version: 2,
                source: MountSource::Assumed,
            }),
            None => None,
        }
    }

    /// What mount path `m` is declared as: `None` when nothing declares it, `Some(None)` when
    /// it is declared but not (known to be) KV.
    fn declared(&self, config: &Config, m: &str) -> Option<Option<MountFact>> {
        if let Some(c) = config.mounts.get(m) {
            return Some(c.kv_version.map(|version| MountFact {
                mount: m.to_owned(),
                version,
                source: MountSource::Config,
            }));
        }
        let ix = self.index();
        if let Some(&i) = ix.mounts.get(m) {
            return Some(Some(self.enabled_fact(&self.mounts[i])));
        }
        if let Some(&i) = ix.upgrades.get(m) {
            let u = &self.upgrades[i];
            return Some(Some(MountFact {
                mount: u.mount.clone(),
                version: 2,
                source: MountSource::Declared {
                    at: u.at.clone(),
                    how: u.how,
                },
            }));
        }
        ix.other.contains(m).then_some(None)
    }

    /// The fact of an enabled mount: a v1 mount upgraded anywhere is v2, from the upgrade.
    fn enabled_fact(&self, m: &KvMount) -> MountFact {
        let (version, at, how) = match self.upgrade_of(m) {
            Some(u) if m.version == 1 => (2, u.at.clone(), u.how),
            _ => (m.version, m.at.clone(), m.how),
        };
        MountFact {
            mount: m.mount.clone(),
            version,
            source: MountSource::Declared { at, how },
        }
    }

    /// Reads every mount declaration of the scan set.
    pub fn build(inv: &Inventory) -> KvMounts {
        let mut out = KvMounts::default();
        crate::model::live_vault::kv_mounts(inv, &mut out);
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
                        let mount = attr("path")
                            .and_then(|a| a.value.as_str())
                            .unwrap_or(t)
                            .trim_matches('/')
                            .to_owned();
                        let version = match t {
                            "kv-v2" => 2,
                            "kv-v1" => 1,
                            "kv" => version_of(opt_version.as_deref().unwrap_or("")),
                            _ => {
                                out.other.push(mount);
                                continue;
                            }
                        };
                        out.mounts.push(KvMount {
                            mount,
                            version,
                            at: Location::new(doc.path.clone(), ty.value_span),
                            how: "vault_mount",
                        });
                    }
                    "vault_kv_secret_backend_v2" => {
                        if let Some(m) = attr("mount") {
                            if let Some(s) = m.value.as_str() {
                                out.upgrades.push(Upgrade {
                                    mount: s.trim_matches('/').to_owned(),
                                    at: Location::new(doc.path.clone(), m.value_span),
                                    how: "vault_kv_secret_backend_v2",
                                });
                            }
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
                        let mount = path
                            .unwrap_or_else(|| t.to_owned())
                            .trim_matches('/')
                            .to_owned();
                        let v = match t {
                            "kv-v2" => 2,
                            "kv-v1" => 1,
                            "kv" => version_of(version.as_deref().unwrap_or("")),
                            _ => {
                                out.other.push(mount);
                                continue;
                            }
                        };
                        out.mounts.push(KvMount {
                            mount,
                            version: v,
                            at: Location::new(file.path.clone(), args[idx].span),
                            how: "vault secrets enable",
                        });
                    }
                    ["kv", "enable-versioning", rest @ ..] => {
                        if let Some(i) = rest.iter().rposition(|w| !w.starts_with('-')) {
                            out.upgrades.push(Upgrade {
                                mount: rest[i].trim_matches('/').to_owned(),
                                at: Location::new(file.path.clone(), args[i + 2].span),
                                how: "vault kv enable-versioning",
                            });
                        }
                    }
                    _ => {}
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::Span;

    fn at() -> Location {
        Location::new("x.sh".into(), Span::file_start())
    }

    #[test]
    fn longest_mount_config_first_and_secret_assumed() {
        let mounts = KvMounts {
            mounts: vec![
                KvMount {
                    mount: "team".into(),
                    version: 1,
                    at: at(),
                    how: "vault secrets enable",
                },
                KvMount {
                    mount: "team/v2".into(),
                    version: 2,
                    at: at(),
                    how: "vault secrets enable",
                },
            ],
            upgrades: vec![],
            other: vec!["db".into()],
            live: false,
            ..KvMounts::default()
        };
        let none = Config::default();
        assert_eq!(mounts.lookup(&none, "team/x").unwrap().version, 1);
        assert_eq!(mounts.lookup(&none, "team/v2/data/x").unwrap().version, 2);
        assert_eq!(
            mounts.lookup(&none, "secret/x").unwrap().source,
            MountSource::Assumed
        );
        assert!(mounts.lookup(&none, "db/creds/x").is_none());
        assert!(mounts.lookup(&none, "other/x").is_none());
        let cfg =
            Config::parse("vault:\n  mounts:\n    team/: {type: kv-v2}\n    secret/: {type: kv}\n")
                .unwrap();
        let f = mounts.lookup(&cfg, "team/x").unwrap();
        assert_eq!((f.version, f.source), (2, MountSource::Config));
        assert_eq!(mounts.lookup(&cfg, "team/v2/x").unwrap().version, 2);
        assert_eq!(mounts.lookup(&cfg, "secret/x").unwrap().version, 1);
    }

    /// The lookup as it was before the mount index: every declaration tested against the path.
    fn brute_lookup(kv: &KvMounts, config: &Config, path: &str) -> Option<MountFact> {
        type Best = Option<(usize, Option<MountFact>)>;
        fn pick(best: &mut Best, floor: usize, len: usize, fact: Option<MountFact>) {
            if len > floor && best.as_ref().is_none_or(|(l, _)| len > *l) {
                *best = Some((len, fact));
            }
        }
        let mut best: Best = None;
        for (m, c) in config.mounts.iter().filter(|(m, _)| under(path, m)) {
            let fact = c.kv_version.map(|version| MountFact {
                mount: m.clone(),
                version,
                source: MountSource::Config,
            });
            pick(&mut best, 0, m.len(), fact);
        }
        let configured = best.as_ref().map_or(0, |(l, _)| *l);
        for m in kv.mounts.iter().filter(|m| under(path, &m.mount)) {
            let up = kv
                .upgrades
                .iter()
                .filter(|_| m.how != crate::model::live_vault::LIVE)
                .find(|u| u.mount == m.mount);
            let (version, at, how) = match up {
                Some(u) if m.version == 1 => (2, u.at.clone(), u.how),
                _ => (m.version, m.at.clone(), m.how),
            };
            let source = MountSource::Declared { at, how };
            let fact = MountFact {
                mount: m.mount.clone(),
                version,
                source,
            };
            pick(&mut best, configured, m.mount.len(), Some(fact));
        }
        for u in kv.upgrades.iter().filter(|u| under(path, &u.mount)) {
            if !kv.mounts.iter().any(|m| m.mount == u.mount) {
                let source = MountSource::Declared {
                    at: u.at.clone(),
                    how: u.how,
                };
                let fact = MountFact {
                    mount: u.mount.clone(),
                    version: 2,
                    source,
                };
                pick(&mut best, configured, u.mount.len(), Some(fact));
            }
        }
        for m in kv.other.iter().filter(|m| under(path, m)) {
            pick(&mut best, configured, m.len(), None);
        }
        match best {
            Some((_, fact)) => fact,
            None if under(path, "secret") && !kv.live => Some(MountFact {
                mount: "secret".into(),
                version: 2,
                source: MountSource::Assumed,
            }),
            None => None,
        }
    }

    fn at_line(line: u32) -> Location {
        let mut l = at();
        l.span.start.line = line;
        l
    }

    fn mount(path: &str, version: u8, line: u32, how: &'static str) -> KvMount {
        KvMount {
            mount: path.into(),
            version,
            at: at_line(line),
            how,
        }
    }

    fn upgrade(path: &str, line: u32) -> Upgrade {
        Upgrade {
            mount: path.into(),
            at: at_line(line),
            how: "vault kv enable-versioning",
        }
    }

    /// Nested mounts, duplicates (first wins), upgrades of enabled and of undeclared mounts,
    /// a live mount (never upgraded), non-KV engines shadowing or shadowed by KV ones, one
    /// path of every kind, empty and doubled slashes, and `.sealant.yaml` entries that tie
    /// with or nest around declarations: the index answers what the full scan answered.
    #[test]
    fn indexed_lookup_answers_as_the_full_scan() {
        const SH: &str = "vault secrets enable";
        let live = live_marker();
        let kv = KvMounts {
            mounts: vec![
                mount("a", 1, 1, SH),
                mount("a/b", 2, 2, SH),
                mount("a", 2, 3, SH),
                mount("a/b/c", 1, 4, SH),
                mount("x", 1, 5, live),
                mount("dup", 1, 6, SH),
                mount("dup", 2, 7, SH),
                mount("kvo", 1, 8, SH),
                mount("", 2, 9, SH),
                mount("s/", 1, 10, SH),
                mount("cfg/in", 1, 11, SH),
                mount("cfgkv", 1, 12, SH),
            ],
            upgrades: vec![
                upgrade("a/b/c", 20),
                upgrade("a", 21),
                upgrade("x", 22),
                upgrade("up", 23),
                upgrade("up", 24),
                upgrade("up/deep", 25),
                upgrade("a/b/c", 26),
                upgrade("oth", 27),
            ],
            other: vec![
                "db".into(),
                "kvo".into(),
                "a/b/c/d".into(),
                "oth".into(),
                "up/deep/o".into(),
                "db".into(),
            ],
            live: false,
            ..KvMounts::default()
        };
        let configs = [
            Config::default(),
            Config::parse(concat!(
                "vault:\n  mounts:\n",
                "    a/b/: {type: kv}\n",
                "    cfg/: {type: kv-v2}\n",
                "    cfgkv: {type: kv-v2}\n",
                "    db/: {type: kv-v2}\n",
                "    secret/: {type: kv}\n",
                "    up/deep/o/: {type: database}\n",
            ))
            .unwrap(),
        ];
        let mounts = [
            "a",
            "a/b",
            "a/b/c",
            "a/b/c/d",
            "x",
            "dup",
            "kvo",
            "up",
            "up/deep",
            "up/deep/o",
            "oth",
            "db",
            "s",
            "s/",
            "cfg",
            "cfg/in",
            "cfgkv",
            "secret",
            "none",
            "",
        ];
        let mut paths = vec![
            String::new(),
            "/".into(),
            "//x".into(),
            "a".into(),
            "a/".into(),
            "secret".into(),
            "s//x".into(),
            "a//b/x".into(),
            "a/b//c/x".into(),
        ];
        for m in mounts {
            for tail in ["/", "/x", "/data/app/*", "/+/y", "//z"] {
                paths.push(format!("{m}{tail}"));
            }
        }
        for read_live in [false, true] {
            let kv = KvMounts {
                live: read_live,
                ..kv.clone()
            };
            for config in &configs {
                for p in &paths {
                    let want = brute_lookup(&kv, config, p);
                    assert_eq!(kv.lookup(config, p), want, "path {p:?}, live {read_live}");
                }
            }
            for m in &kv.mounts {
                let brute = m.how != live && kv.upgrades.iter().any(|u| u.mount == m.mount);
                let want = if brute { 2 } else { m.version };
                assert_eq!(kv.effective_version(m), want, "mount {:?}", m.mount);
            }
        }
    }

    fn live_marker() -> &'static str {
        crate::model::live_vault::LIVE
    }
}
