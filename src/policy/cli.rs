//! `sealant policy capabilities` and `sealant policy explain`.

use super::acl::{Acl, Governing, Step};
use super::parse::{parse_policy_text, Policy};
use std::path::PathBuf;

#[derive(clap::Subcommand, Debug)]
pub enum PolicyCommand {
    /// Print the capabilities a token holding these policies has on each PATH, as
    /// `bao token capabilities` / `sys/capabilities` would.
    Capabilities {
        /// A policy file (HCL or JSON); repeatable. `root` means the root policy, `default` the
        /// stock default policy (unless a file of that name exists).
        #[arg(long = "policy", value_name = "FILE", required = true)]
        policies: Vec<PathBuf>,
        /// Print a JSON object `{path: [capabilities]}`.
        #[arg(long)]
        json: bool,
        /// Request paths (API paths without `/v1/`, e.g. `secret/data/app/db`).
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<String>,
    },
    /// Show which rule(s) govern PATH, where they are, and why other matching rules lost.
    Explain {
        /// Print JSON (`path`, `capabilities`, `governed_by`, `governing`, `also_matching`).
        #[arg(long)]
        json: bool,
        /// A policy file (HCL or JSON); repeatable. `root` means the root policy, `default` the
        /// stock default policy (unless a file of that name exists).
        #[arg(long = "policy", value_name = "FILE", required = true)]
        policies: Vec<PathBuf>,
        /// The request path.
        #[arg(value_name = "PATH")]
        path: String,
    },
}

/// OpenBao's stock `default` policy (read from a dev server).
pub const DEFAULT_POLICY: &str = include_str!("default_policy.hcl");

/// Loads the policies; `root` is the root policy and `default` the stock default policy
/// (unless a file by that name exists). `Err` is the message for exit 2.
pub fn load(files: &[PathBuf]) -> Result<Vec<Policy>, String> {
    let mut out = Vec::new();
    for f in files {
        if f.as_os_str() == "root" {
            out.push(Policy {
                name: "root".into(),
                source: "root".into(),
                rules: Vec::new(),
            });
            continue;
        }
        // `default` names the stock default policy unless a file of that name exists: tokens
        // carry it unless created with `no_default_policy`, so asking for it is explicit.
        if f.as_os_str() == "default" && !f.exists() {
            let p = parse_policy_text("default", "default (stock)", DEFAULT_POLICY)
                .map_err(|e| format!("stock default policy: {}", e.message))?;
            out.push(p);
            continue;
        }
        let shown = f.display().to_string();
        let text = std::fs::read_to_string(f)
            .map_err(|e| format!("cannot read policy file {shown}: {e}"))?;
        // The policy is named after the file; a file is never the root policy, whatever
        // its name (OpenBao refuses to store a policy named `root`).
        let mut name = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.clone());
        if name == "root" {
            name = shown.clone();
        }
        let p = parse_policy_text(&name, &shown, &text)
            .map_err(|e| format!("{shown}:{}: invalid policy: {}", e.span, e.message))?;
        out.push(p);
    }
    Ok(out)
}

fn build(files: &[PathBuf]) -> Result<(Vec<Policy>, Acl), String> {
    let policies = load(files)?;
    let acl = Acl::new(&policies).map_err(|e| format!("cannot combine the policies: {}", e.0))?;
    Ok((policies, acl))
}

pub fn run(cmd: PolicyCommand) -> i32 {
    let result = match cmd {
        PolicyCommand::Capabilities {
            policies,
            json,
            paths,
        } => build(&policies).map(|(_, acl)| capabilities(&acl, json, &paths)),
        PolicyCommand::Explain {
            policies,
            path,
            json,
        } => build(&policies).map(|(ps, acl)| {
            if json {
                explain_json(&ps, &acl, &path)
            } else {
                explain(&ps, &acl, &path)
            }
        }),
    };
    match result {
        Ok(text) => {
            print!("{text}");
            0
        }
        Err(msg) => {
            eprintln!("sealant: {msg}");
            2
        }
    }
}

/// One path: the line `bao token capabilities` prints (`create, read`). Several: one
/// `PATH: caps` line each. JSON: `{"PATH": ["create", "read"], …}` as `sys/capabilities`.
pub fn capabilities(acl: &Acl, json: bool, paths: &[String]) -> String {
    if json {
        let mut m = serde_json::Map::new();
        for p in paths {
            m.insert(p.clone(), serde_json::json!(acl.capabilities(p).names()));
        }
        return serde_json::to_string_pretty(&serde_json::Value::Object(m)).expect("json") + "\n";
    }
    let mut s = String::new();
    for p in paths {
        let names = acl.capabilities(p).names().join(", ");
        if paths.len() == 1 {
            s.push_str(&format!("{names}\n"));
        } else {
            s.push_str(&format!("{p}: {names}\n"));
        }
    }
    s
}

fn rule_line(policies: &[Policy], acl: &Acl, g: Governing) -> Vec<String> {
    let Some(e) = acl.entry(g) else {
        return Vec::new();
    };
    e.sources
        .iter()
        .map(|&(pi, ri)| {
            let p = &policies[pi];
            let r = &p.rules[ri];
            let caps: Vec<&str> = r.capabilities.iter().map(|(c, _)| c.as_str()).collect();
            let legacy = r
                .legacy_policy
                .as_ref()
                .map(|(v, _)| format!(" (policy = {v:?})"))
                .unwrap_or_default();
            format!(
                "{}:{}: path {:?} capabilities = {:?}{legacy} [policy {}]",
                p.source, r.path_span, r.raw_path, caps, p.name
            )
        })
        .collect()
}

/// Why the governing rule governs, in words.
fn governed_by(d: &crate::policy::acl::Decision, path: &str) -> String {
    let bare = path.trim_start_matches('/');
    let trimmed = bare.strip_suffix('/').unwrap_or(bare);
    match d.step {
        Step::Root => "the root policy allows everything".to_owned(),
        Step::Exact => "an exact rule for the path (exact rules are consulted first)".to_owned(),
        Step::ExactTrimmed => format!(
            "list fallback: no exact rule for {bare:?}, an exact rule for {trimmed:?}"
        ),
        Step::NonExact => {
            format!("no exact rule; the highest-priority glob/+ rule matching {bare:?}")
        }
        Step::NonExactTrimmed => format!(
            "list fallback: nothing matches {bare:?}; the highest-priority glob/+ rule matching {trimmed:?}"
        ),
        Step::NoMatch => "no rule matches: denied by default".to_owned(),
    }
}

/// `explain` as JSON, for tools.
pub fn explain_json(policies: &[Policy], acl: &Acl, path: &str) -> String {
    let (d, losers) = acl.explain(path);
    let value = serde_json::json!({
        "path": path,
        "capabilities": d.names(),
        "governed_by": governed_by(&d, path),
        "governing": rule_line(policies, acl, d.governing),
        "also_matching": losers
            .iter()
            .flat_map(|(g, why)| {
                rule_line(policies, acl, *g)
                    .into_iter()
                    .map(move |r| serde_json::json!({"rule": r, "because": why.to_string()}))
            })
            .collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&value).expect("JSON values serialize") + "\n"
}

pub fn explain(policies: &[Policy], acl: &Acl, path: &str) -> String {
    let (d, losers) = acl.explain(path);
    let mut s = format!("path: {path}\ncapabilities: {}\n", d.names().join(", "));
    let how = governed_by(&d, path);
    s.push_str(&format!("governed by: {how}\n"));
    let lines = rule_line(policies, acl, d.governing);
    if lines.len() > 1 {
        s.push_str("  (identical path keys in several blocks are merged into one rule; a deny in any of them makes it deny)\n");
    }
    for l in lines {
        s.push_str(&format!("  {l}\n"));
    }
    if !losers.is_empty() {
        s.push_str("also matching, not governing:\n");
        for (g, why) in losers {
            for l in rule_line(policies, acl, g) {
                s.push_str(&format!("  {l}\n    because {why}\n"));
            }
        }
    }
    s
}
