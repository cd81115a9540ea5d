//! The scan pipeline: sources → syntax → model → rules → findings → filter. Files are read
//! and parsed on all cores; rules run in parallel over the shared inventory.

use crate::diagnostic::{Diagnostic, Level};
use crate::engine::config::Config;
use crate::engine::suppress;
use crate::location::Pos;
use crate::model::file::{self, Loaded, ParsedFile};
use crate::model::inventory::Inventory;
use crate::rules::{self, Context, Emitter, Finding, RuleMeta, Suppression};
use crate::source::discover::{self, DiscoverOptions, Skipped};
use crate::syntax::yaml::Node;
use rayon::prelude::*;
use std::path::PathBuf;

/// What to scan and how.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    pub roots: Vec<PathBuf>,
    /// Text read from stdin, with the name it is reported under.
    pub stdin: Option<(String, String)>,
    pub discover: DiscoverOptions,
    /// Namespace for objects without one (what `kubectl apply -f` would use).
    pub namespace: String,
    pub config: Config,
    /// `--helm-values FILE[=CHART]` specs.
    pub helm_values: Vec<String>,
}

/// Everything a scan produced.
#[derive(Debug, Default)]
pub struct ScanResult {
    /// Findings, sorted by file and position; suppressed ones included (marked).
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
    pub skipped: Vec<Skipped>,
    pub files_scanned: usize,
    /// The rules that ran.
    pub rules: Vec<&'static RuleMeta>,
    /// Every file read, with the input kinds it was read as (listed with `-v`).
    pub inputs: Vec<(String, Vec<&'static str>)>,
    /// Masked text of every file a finding or diagnostic points into, for excerpts.
    pub sources: std::collections::BTreeMap<String, String>,
}

impl ScanResult {
    /// True when some input could not be read or parsed.
    pub fn incomplete(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }
}

pub fn run(opts: &ScanOptions) -> ScanResult {
    let excludes = match discover::exclude_set(
        &[opts.discover.excludes.clone(), opts.config.exclude.clone()].concat(),
    ) {
        Ok(set) => set,
        Err(e) => {
            let mut r = ScanResult::default();
            r.diagnostics.push(Diagnostic::new(
                Level::Error,
                "usage",
                "<config>".into(),
                None,
                e,
            ));
            return r;
        }
    };
    let mut roots = opts.roots.clone();
    // Values files named with --helm-values are read even outside the scanned paths.
    // Comma-joined files are one release; later names may be relative to the first's dir.
    for spec in &opts.helm_values {
        let files = spec.rsplit_once('=').map_or(spec.as_str(), |(p, _)| p);
        let mut first_dir: Option<PathBuf> = None;
        for f in files.split(',').map(str::trim).filter(|f| !f.is_empty()) {
            let p = PathBuf::from(f);
            let p = match &first_dir {
                Some(dir) if !p.exists() => dir.join(p),
                _ => p,
            };
            if first_dir.is_none() {
                first_dir = p.parent().map(PathBuf::from);
            }
            roots.push(p);
        }
    }
    let (candidates, mut skipped) = discover::discover(&roots, &opts.discover, &excludes);
    let loaded: Vec<(String, Loaded)> = candidates
        .par_iter()
        .map(|c| {
            (
                c.display.clone(),
                file::load_path(&c.path, &c.display, c.explicit),
            )
        })
        .collect();
    let mut files: Vec<ParsedFile> = Vec::with_capacity(loaded.len());
    for (display, l) in loaded {
        match l {
            Loaded::File(f) => files.push(*f),
            Loaded::Skipped(reason) => skipped.push(Skipped { display, reason }),
        }
    }
    if let Some((name, text)) = &opts.stdin {
        let format = crate::source::classify::format_of(std::path::Path::new(name), || {
            text.lines().next().map(str::to_owned)
        });
        files.push(file::load_text(name, text.clone(), format));
    }
    let namespace = if opts.namespace.is_empty() {
        opts.config
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into())
    } else {
        opts.namespace.clone()
    };
    let inv = Inventory::new(files, &namespace, &opts.helm_values);
    let (findings, notes, rules) = run_rules(&inv, &opts.config);
    let mut result = ScanResult {
        files_scanned: inv.files.len(),
        diagnostics: inv
            .files
            .iter()
            .flat_map(|f| f.diagnostics.iter().cloned())
            .chain(notes)
            .collect(),
        skipped,
        rules,
        findings: Vec::new(),
        inputs: inv
            .files
            .iter()
            .map(|f| (f.path.to_string(), f.kinds()))
            .collect(),
        sources: Default::default(),
    };
    result.findings = filter(findings, &inv, &opts.config, &mut result.diagnostics);
    result.sources = masked_sources(&inv, &result);
    result
}

/// The last line of the YAML list item or mapping entry, or HCL block, that starts on the line
/// after `comment_line` (0 when none does): a suppression comment above it covers it whole.
fn node_end_after(file: &ParsedFile, comment_line: u32) -> u32 {
    let target = comment_line + 1;
    let roots = file
        .objects
        .iter()
        .map(|o| &o.root)
        .chain(file.documents.iter().map(|d| &d.root));
    let mut end = 0;
    for root in roots.filter(|r| r.span.start.line <= target && target <= r.span.end.line) {
        end = end.max(yaml_node_end(root, target));
    }
    for doc in &file.hcl {
        for b in doc
            .body
            .blocks
            .iter()
            .filter(|b| b.span.start.line == target)
        {
            end = end.max(b.span.end.line);
        }
    }
    end
}

fn yaml_node_end(node: &Node, target: u32) -> u32 {
    use crate::syntax::yaml::Value;
    if node.span.end.line < target || node.span.start.line > target {
        return 0;
    }
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .map(|i| {
                if i.span.start.line == target {
                    i.span.end.line
                } else {
                    yaml_node_end(i, target)
                }
            })
            .max()
            .unwrap_or(0),
        Value::Map(entries) => entries
            .iter()
            .filter(|e| !e.merged)
            .map(|e| {
                if e.key.span.start.line == target {
                    e.value.span.end.line.max(target)
                } else {
                    yaml_node_end(&e.value, target)
                }
            })
            .max()
            .unwrap_or(0),
        Value::Scalar(_) => 0,
    }
}

/// Masked texts of the files reports will quote.
fn masked_sources(
    inv: &Inventory,
    result: &ScanResult,
) -> std::collections::BTreeMap<String, String> {
    let wanted: std::collections::HashSet<&str> = result
        .findings
        .iter()
        .flat_map(|f| {
            std::iter::once(&*f.location.path).chain(f.related.iter().map(|r| &*r.location.path))
        })
        .chain(
            result
                .diagnostics
                .iter()
                .filter(|d| d.span.is_some())
                .map(|d| &*d.path),
        )
        .collect();
    inv.files
        .par_iter()
        .filter(|f| wanted.contains(&*f.path))
        .map(|f| {
            (
                f.path.to_string(),
                crate::report::mask::mask_text(&f.text, &sensitive_spans(f)),
            )
        })
        .collect()
}

/// Value spans that hold secrets: Kubernetes Secret data, and secret-named env values and
/// ConfigMap keys.
fn sensitive_spans(file: &ParsedFile) -> Vec<crate::location::Span> {
    use crate::report::mask::is_secret_name;
    let mut out = Vec::new();
    for o in &file.objects {
        if o.kind == "Secret" {
            for section in ["data", "stringData"] {
                out.extend(
                    o.root
                        .get(section)
                        .into_iter()
                        .flat_map(Node::entries)
                        .map(|(_, e)| e.value.span),
                );
            }
        }
        if o.kind == "ConfigMap" {
            out.extend(
                o.root
                    .get("data")
                    .into_iter()
                    .flat_map(Node::entries)
                    .filter(|(k, _)| is_secret_name(k))
                    .map(|(_, e)| e.value.span),
            );
        }
        if let Some(w) = o.workload() {
            for c in w.containers() {
                for e in c.node.get("env").map(Node::items).unwrap_or(&[]) {
                    if e.get("name")
                        .and_then(Node::as_str)
                        .is_some_and(is_secret_name)
                    {
                        out.extend(e.get("value").map(|v| v.span));
                    }
                }
            }
        }
    }
    for d in &file.documents {
        collect_secret_named(&d.root, &mut out);
    }
    out
}

/// Secret-named keys anywhere in a non-object document (values files, compose, CI).
fn collect_secret_named(node: &Node, out: &mut Vec<crate::location::Span>) {
    use crate::report::mask::is_secret_name;
    match &node.value {
        crate::syntax::yaml::Value::Map(entries) => {
            for e in entries {
                if e.value.as_scalar().is_some() && e.key.as_str().is_some_and(is_secret_name) {
                    out.push(e.value.span);
                } else {
                    collect_secret_named(&e.value, out);
                }
            }
        }
        crate::syntax::yaml::Value::Seq(items) => {
            items.iter().for_each(|i| collect_secret_named(i, out))
        }
        crate::syntax::yaml::Value::Scalar(_) => {}
    }
}

/// Runs every enabled rule over the inventory, in parallel.
pub fn run_rules(
    inv: &Inventory,
    config: &Config,
) -> (Vec<Finding>, Vec<Diagnostic>, Vec<&'static RuleMeta>) {
    let cx = Context { config };
    let enabled: Vec<_> = rules::all()
        .into_iter()
        .filter(|r| rules::meta::get(r.id()).is_some_and(|m| config.enabled(m)))
        .collect();
    let metas = enabled
        .iter()
        .filter_map(|r| rules::meta::get(r.id()))
        .collect();
    let emitted: Vec<Emitter> = enabled
        .par_iter()
        .map(|rule| {
            let mut out = Emitter::new(rule.id());
            rule.check(inv, &cx, &mut out);
            out
        })
        .collect();
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    for e in emitted {
        findings.extend(e.findings);
        notes.extend(e.notes);
    }
    (findings, notes, metas)
}

/// Severity overrides, suppressions, ordering and de-duplication.
fn filter(
    mut findings: Vec<Finding>,
    inv: &Inventory,
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Finding> {
    let today = suppress::today();
    let mut expired_reported = std::collections::HashSet::new();
    for f in &mut findings {
        if let Some(s) = config.severity_for(f.rule_id) {
            f.severity = s;
        }
        let Some(file) = inv.files.iter().find(|x| x.path == f.location.path) else {
            continue;
        };
        let line = f.location.span.start.line;
        if let Some(s) = file
            .suppressions
            .iter()
            .find(|s| s.covers(f.rule_id, line, node_end_after(file, s.line)))
        {
            if s.expired(&today) {
                if expired_reported.insert((file.path.clone(), s.line)) {
                    diagnostics.push(Diagnostic::new(
                        Level::Warning,
                        "suppression-expired",
                        file.path.clone(),
                        Some(crate::location::Span::new(
                            Pos::new(s.line, s.column),
                            Pos::new(s.line, s.column),
                        )),
                        format!(
                            "sealant:ignore for {} expired on {}; the finding is reported again",
                            s.rule_ids.join(","),
                            s.until.as_deref().unwrap_or("")
                        ),
                    ));
                }
            } else {
                f.suppression = Some(Suppression {
                    kind: "inline",
                    justification: s.reason.clone(),
                });
                continue;
            }
        }
        // `sealant.io/ignore` on the object that holds the finding.
        let holder = file.objects.iter().find(|o| {
            o.root.span.start <= f.location.span.start
                && f.location.span.start
                    < o.root.span.end.max(Pos::new(o.root.span.end.line + 1, 1))
        });
        if let Some(o) = holder {
            let ignored = o
                .root
                .path(&["metadata", "annotations", "sealant.io/ignore"])
                .and_then(Node::as_str)
                .unwrap_or("");
            if ignored
                .split(',')
                .map(str::trim)
                .any(|id| id.eq_ignore_ascii_case(f.rule_id) || id == "all")
            {
                f.suppression = Some(Suppression {
                    kind: "annotation",
                    justification: Some(format!("sealant.io/ignore on {}", o.display())),
                });
            }
        }
    }
    findings.sort_by(|a, b| {
        (
            &a.location.path,
            a.location.span.start,
            a.rule_id,
            &a.message,
        )
            .cmp(&(
                &b.location.path,
                b.location.span.start,
                b.rule_id,
                &b.message,
            ))
    });
    findings.dedup_by(|a, b| {
        a.rule_id == b.rule_id && a.location == b.location && a.message == b.message
    });
    findings
}
