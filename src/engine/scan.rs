//! The scan pipeline: sources → syntax → model → rules → findings → filter. Files are read
//! and parsed on all cores; rules run in parallel over the shared inventory.

use crate::diagnostic::{Diagnostic, Level};
use crate::engine::baseline::Baseline;
use crate::engine::config::Config;
use crate::engine::suppress::{self, InlineSuppression};
use crate::location::Pos;
use crate::model::file::{self, Loaded, ParsedFile};
use crate::model::inventory::Inventory;
use crate::model::k8s::K8sObject;
use crate::rules::{self, Context, Emitter, Finding, RuleMeta, Suppression};
use crate::source::discover::{self, DiscoverOptions, Skipped};
use rayon::iter::Either;
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
    /// `--context-root DIR`: files under these are loaded so cross-file rules see them, but
    /// only findings in the files `roots` name are reported.
    pub context_roots: Vec<PathBuf>,
    /// `--baseline FILE`: known findings, suppressed with kind `baseline`.
    pub baseline: Option<Baseline>,
    /// `--write-baseline`: record this scan's findings in `ScanResult::baseline`.
    pub write_baseline: bool,
    /// No report will quote source lines (JSON, GitHub and Markdown only): leave
    /// `ScanResult::sources` empty unless a baseline needs the masked texts.
    pub skip_excerpts: bool,
    /// The process exits once the reports are written (the CLI): the inventory's memory is
    /// left to the OS instead of being freed object by object.
    pub process_exits_after: bool,
    /// What the live collectors read (`--kube`, `--aws`, `--vault`).
    pub live: crate::live::LiveInput,
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
    /// The baseline of this scan's findings, when asked for (`--write-baseline`).
    pub baseline: Option<Baseline>,
    /// Wall time of the scan.
    pub elapsed: std::time::Duration,
    /// The severity gate in force (set by the CLI), reported so wrappers can re-apply it.
    pub fail_on: Option<crate::rules::Severity>,
}

impl ScanResult {
    /// True when some input could not be read or parsed.
    pub fn incomplete(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }
    /// How many inputs could not be read or parsed (files with an error diagnostic).
    pub fn incomplete_inputs(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.level == Level::Error)
            .map(|d| &d.path)
            .collect::<std::collections::HashSet<_>>()
            .len()
    }
}

pub fn run(opts: &ScanOptions) -> ScanResult {
    let started = std::time::Instant::now();
    let mut phases = crate::engine::timings::Phases::start();
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
    let (mut candidates, mut skipped) = discover::discover(&roots, &opts.discover, &excludes);
    // Context-only files: loaded for cross-file rules, their findings dropped below.
    let mut context_only: std::collections::HashSet<String> = Default::default();
    let reported: Option<std::collections::HashSet<String>> = if opts.context_roots.is_empty() {
        None
    } else {
        let canon = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.into());
        let named: std::collections::HashSet<PathBuf> =
            candidates.iter().map(|c| canon(&c.path)).collect();
        let (context, _) = discover::discover(&opts.context_roots, &opts.discover, &excludes);
        let mut reported: std::collections::HashSet<String> =
            candidates.iter().map(|c| c.display.clone()).collect();
        reported.extend(opts.stdin.as_ref().map(|(n, _)| n.clone()));
        reported.extend(opts.live.files.iter().map(|v| v.path.clone()));
        for c in context {
            if !named.contains(&canon(&c.path)) && !reported.contains(&c.display) {
                context_only.insert(c.display.clone());
                candidates.push(c);
            }
        }
        Some(reported)
    };
    phases.lap("discover");
    // Read, parsed and sorted into files and skips on all cores, in candidate order.
    let (mut files, unread): (Vec<ParsedFile>, Vec<Skipped>) =
        candidates.par_iter().partition_map(|c| {
            match file::load_path(&c.path, &c.display, c.explicit) {
                Loaded::File(f) => Either::Left(*f),
                Loaded::Skipped(reason) => Either::Right(Skipped {
                    display: c.display.clone(),
                    reason,
                }),
            }
        });
    skipped.extend(unread);
    if let Some((name, text)) = &opts.stdin {
        let format = crate::source::classify::format_of(std::path::Path::new(name), || {
            text.lines().next().map(str::to_owned)
        });
        files.push(file::load_text(name, text.clone(), format));
    }
    for v in &opts.live.files {
        files.push(file::load_text(&v.path, v.text.clone(), Some(v.format)));
    }
    let namespace = if opts.namespace.is_empty() {
        opts.config
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into())
    } else {
        opts.namespace.clone()
    };
    phases.lap("read + parse + file model");
    let mut inv = Inventory::new(files, &namespace, &opts.helm_values);
    inv.live = opts.live.facts.clone();
    phases.lap("inventory");
    inv.build_models();
    phases.lap("models");
    let (mut findings, notes, rules) = run_rules(&inv, &opts.config);
    phases.lap("rules");
    // One sort, here: identities are derived in report order, and nothing after this moves
    // a finding (suppressions and overrides judge each in place).
    rules::sort_findings(&mut findings);
    rules::derive_identities(&mut findings);
    let mut diagnostics: Vec<Diagnostic> = inv
        .files
        .par_iter()
        .flat_map_iter(|f| f.diagnostics.iter().cloned())
        .collect();
    diagnostics.extend(notes);
    diagnostics.extend(opts.live.diagnostics.iter().cloned());
    diagnostics.extend(skip_diagnostics(&skipped, opts.discover.max_file_size));
    let mut result = ScanResult {
        files_scanned: inv.files.len(),
        diagnostics,
        skipped,
        rules,
        findings: Vec::new(),
        inputs: inv
            .files
            .par_iter()
            .map(|f| (f.path.to_string(), f.kinds()))
            .collect(),
        sources: Default::default(),
        baseline: None,
        elapsed: Default::default(),
        fail_on: None,
    };
    let mut findings = filter(findings, &inv, &opts.config, &mut result.diagnostics);
    phases.lap("identities + filter");
    if let Some(reported) = &reported {
        findings.retain(|f| reported.contains(&*f.location.path));
        // A broken file nobody named is not this scan's input: it must not block a commit.
        result
            .diagnostics
            .retain(|d| !context_only.contains(&*d.path));
    }
    // Live findings point at the manifests that define their objects, else at snapshots.
    crate::engine::live_locations::to_manifests(&mut findings, &inv);
    result.findings = findings;
    if !opts.skip_excerpts || opts.baseline.is_some() || opts.write_baseline {
        result.sources = crate::engine::sensitive::masked_sources(&inv, &result);
    }
    phases.lap("mask sources");
    if let Some(k) = &opts.live.facts.kube {
        crate::engine::live_locations::to_snapshots(
            &mut result.findings,
            &k.snapshots,
            &mut result.sources,
        );
    }
    // Baseline content keys use the same masked texts the reports quote.
    if opts.write_baseline {
        let b = Baseline::from_findings(&result.findings, &result.sources);
        b.apply(&mut result.findings, &result.sources);
        result.baseline = Some(b);
    } else if let Some(b) = &opts.baseline {
        b.apply(&mut result.findings, &result.sources);
    }
    phases.lap("baseline");
    // Freeing every file's tree is a serial pass over millions of small allocations (60 ms on
    // 10k files) that nothing waits for: a process about to exit leaves it to the OS, as
    // compilers do; otherwise it runs on its own thread, beside the report.
    if opts.process_exits_after {
        std::mem::forget(inv);
    } else {
        std::thread::spawn(move || drop(inv));
    }
    result.elapsed = started.elapsed();
    result
}

/// Inputs the scan could not read are errors (the scan is incomplete), with the reason: an
/// oversized or binary file of a kind sealant reads, a FIFO or device where such a file
/// should be, a folder or file the walker could not read. Files sealant would not read
/// anyway (unrecognised names, symbolic links, exclusions) are only listed with `-v`.
fn skip_diagnostics(skipped: &[Skipped], max_file_size: u64) -> Vec<Diagnostic> {
    use crate::source::discover::SkipReason;
    let recognised = |display: &str| {
        crate::source::classify::format_of(std::path::Path::new(display), || None).is_some()
    };
    skipped
        .iter()
        .filter_map(|s| {
            let (level, code, message) = match &s.reason {
                SkipReason::TooLarge(n) if recognised(&s.display) => (
                    Level::Error,
                    "too-large",
                    format!(
                        "{} not read: {n} bytes is over the size cap of {max_file_size} bytes (--max-file-size)",
                        s.display
                    ),
                ),
                SkipReason::Binary => (
                    Level::Error,
                    "binary",
                    format!("{} not read: it contains NUL bytes (binary content)", s.display),
                ),
                SkipReason::NotRegular(kind) if recognised(&s.display) => (
                    Level::Error,
                    "not-regular",
                    format!("{} not read: it is a {kind}, not a regular file", s.display),
                ),
                SkipReason::Unreadable(e) => (
                    Level::Error,
                    "unreadable",
                    format!("{} cannot be read: {e}", s.display),
                ),
                SkipReason::IgnoreFile(e) => (
                    Level::Warning,
                    "ignore-file",
                    format!("{}: {e}", s.display),
                ),
                _ => return None,
            };
            Some(Diagnostic::new(level, code, s.display.as_str().into(), None, message))
        })
        .collect()
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
    let emitted: Vec<(Emitter, std::time::Duration)> = enabled
        .par_iter()
        .map(|rule| {
            let started = std::time::Instant::now();
            let mut out = Emitter::new(rule.id());
            rule.check(inv, &cx, &mut out);
            (out, started.elapsed())
        })
        .collect();
    if crate::engine::timings::enabled() {
        let mut slowest: Vec<_> = emitted
            .iter()
            .map(|(e, took)| (*took, e.rule_id()))
            .collect();
        slowest.sort_unstable_by(|a, b| b.cmp(a));
        for (took, id) in slowest.into_iter().take(8) {
            crate::engine::timings::report(&format!("  rule {id}"), took);
        }
    }
    // Sized once: growing by doubling copied every finding several times over.
    let mut findings = Vec::with_capacity(emitted.iter().map(|(e, _)| e.findings.len()).sum());
    let mut notes = Vec::new();
    for (e, _) in emitted {
        findings.extend(e.findings);
        notes.extend(e.notes);
    }
    (findings, notes, metas)
}

/// What judging a file's findings needs, built once per file (on its first finding): its
/// suppressions' covered lines, and its objects' extents for finding a finding's holder.
struct FileJudge<'i> {
    file: &'i ParsedFile,
    /// None when the file has no suppression comment (most files): they pay nothing.
    suppressions: Option<suppress::SuppressionIndex<'i>>,
    holders: Holders<'i>,
}

impl<'i> FileJudge<'i> {
    fn new(file: &'i ParsedFile) -> Self {
        Self {
            file,
            suppressions: (!file.suppressions.is_empty())
                .then(|| suppress::SuppressionIndex::new(file)),
            holders: Holders::new(&file.objects),
        }
    }
}

/// A file's objects indexed to find the one holding a position by binary search: the first
/// object, in file order, that starts at or before it and has not ended by the line after.
struct Holders<'i> {
    objects: &'i [K8sObject],
    /// Per object, the largest `reach` of it and every object before it.
    reach_so_far: Vec<Pos>,
    /// True when the objects are in order of their start (as a file's documents and a List's
    /// items are read); otherwise each lookup scans them all.
    sorted: bool,
}

impl<'i> Holders<'i> {
    fn new(objects: &'i [K8sObject]) -> Self {
        let sorted = objects.is_sorted_by_key(|o| o.root().span.start);
        let reach_so_far = if sorted {
            objects
                .iter()
                .scan(Pos::default(), |most, o| {
                    *most = (*most).max(reach(o));
                    Some(*most)
                })
                .collect()
        } else {
            Vec::new()
        };
        Self {
            objects,
            reach_so_far,
            sorted,
        }
    }

    /// The first object holding `at`: `start <= at < reach`.
    fn find(&self, at: Pos) -> Option<&'i K8sObject> {
        if !self.sorted {
            return self
                .objects
                .iter()
                .find(|o| o.root().span.start <= at && at < reach(o));
        }
        // Those starting at or before `at` are a prefix; the first object reaching past `at`
        // is where the running maximum of reaches first passes it.
        let started = self.objects.partition_point(|o| o.root().span.start <= at);
        let first = self.reach_so_far.partition_point(|&r| r <= at);
        (first < started).then(|| &self.objects[first])
    }
}

/// Where an object stops holding findings: the start of the line after its last.
fn reach(o: &K8sObject) -> Pos {
    let end = o.root().span.end;
    end.max(Pos::new(end.line + 1, 1))
}

/// Applies a severity override and an inline or annotation suppression to one finding of
/// the file `judge` indexes (the loaded file its path names, if any). Returns the inline
/// suppression that would have covered it but has expired, if any.
fn judge_suppression<'i>(
    f: &mut Finding,
    judge: Option<&FileJudge<'i>>,
    config: &Config,
    today: &str,
) -> Option<(&'i ParsedFile, &'i InlineSuppression)> {
    if let Some(s) = config.severity_for(f.rule_id) {
        f.severity = s;
    }
    let judge = judge?;
    let line = f.location.span.start.line;
    let mut expired = None;
    if let Some(s) = judge
        .suppressions
        .as_ref()
        .and_then(|index| index.find(f.rule_id, line))
    {
        if s.expired(today) {
            expired = Some((judge.file, s));
        } else {
            f.suppression = Some(Suppression {
                kind: "inline",
                justification: s.reason.clone(),
            });
            return None;
        }
    }
    // `sealant.io/ignore` on the object that holds the finding.
    if let Some(o) = judge.holders.find(f.location.span.start) {
        let ignored = o.ignored_rules().unwrap_or("");
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
    expired
}

/// Severity overrides, suppressions and de-duplication, over findings in report order.
fn filter(
    mut findings: Vec<Finding>,
    inv: &Inventory,
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Finding> {
    let today = suppress::today();
    // Each finding is judged on its own (in parallel: a large scan has hundreds of
    // thousands); expired suppressions are then reported once each, in finding order.
    // (rayon's `collect` keeps the findings' order.)
    // A file's findings are neighbours: its path is looked up once for all of them.
    let expired: Vec<(&ParsedFile, &InlineSuppression)> = findings
        .par_chunk_by_mut(|a, b| a.location.path == b.location.path)
        .flat_map_iter(|same_file| {
            let judge = inv.file(&same_file[0].location.path).map(FileJudge::new);
            let today = &today;
            same_file
                .iter_mut()
                .filter_map(move |f| judge_suppression(f, judge.as_ref(), config, today))
        })
        .collect();
    let mut expired_reported = std::collections::HashSet::new();
    for (file, s) in expired {
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
    }
    // Already in report order (see `run`), so equal findings are neighbours.
    debug_assert!(findings.is_sorted_by(|a, b| rules::report_order(a, b).is_le()));
    findings.dedup_by(|a, b| {
        a.rule_id == b.rule_id && a.location == b.location && a.message == b.message
    });
    findings
}

/// What a parse-only pass read (`sealant scan --parse-only`, the benchmark floor).
#[derive(Default)]
pub struct ParseOnly {
    pub files: usize,
    pub bytes: u64,
    /// Files that could not be read or had a syntax error.
    pub failed: usize,
    /// With `--keep-trees`: every text and tree the pass built, held as a scan holds them.
    pub kept: Vec<KeptFile>,
}

/// One file's text and syntax tree, kept by `--parse-only --keep-trees`. Nothing reads them:
/// they exist to be held, so the floor pays for the memory a scan keeps (the cross-file rules
/// need every tree at once) without doing a scan's work.
pub struct KeptFile {
    _text: String,
    _tree: Tree,
}

/// A syntax tree of any input kind, held and never read.
type Tree = Box<dyn std::any::Any + Send>;

impl ParseOnly {
    /// Adds one file: its counts and, with `--keep-trees`, its text and tree. Pushed straight
    /// into the running total, so the keeping floor allocates nothing per file a scan would
    /// not.
    fn add(self, (counts, kept): (ParseOnly, Option<KeptFile>)) -> ParseOnly {
        let mut total = self.merge(counts);
        total.kept.extend(kept);
        total
    }

    fn merge(mut self, mut other: ParseOnly) -> ParseOnly {
        self.files += other.files;
        self.bytes += other.bytes;
        self.failed += other.failed;
        self.kept.append(&mut other.kept);
        self
    }
}

/// The benchmark floor: discovers, reads and syntax-parses every input with the parsers a scan
/// uses (YAML with Helm templates masked, HCL, the script lexer), on all cores, and drops each
/// tree at once: no model, no inventory, no rules. `scan::run` at most 2× this is the target.
///
/// `keep_trees` keeps every text and tree instead (returned in [`ParseOnly::kept`]): the
/// difference between the two floors is what holding the parsed files costs, and the
/// difference between this one and a scan is what judging them costs.
pub fn parse_only(opts: &ScanOptions, keep_trees: bool) -> ParseOnly {
    use crate::source::classify::{self, Format, YamlRole};
    use crate::source::read::{self, ReadOutcome};
    use crate::syntax::{hcl, mapping::FileMap};
    let Ok(excludes) = discover::exclude_set(&opts.discover.excludes) else {
        return ParseOnly::default();
    };
    let (candidates, _) = discover::discover(&opts.roots, &opts.discover, &excludes);
    candidates
        .par_iter()
        .map(|c| {
            let Some(format) = classify::format_of(&c.path, || None) else {
                return (ParseOnly::default(), None);
            };
            let ReadOutcome::Text(text) = read::read_text(&c.path) else {
                let failed = ParseOnly {
                    failed: 1,
                    ..Default::default()
                };
                return (failed, None);
            };
            // The floor drops each tree where it is built; only `keep_trees` boxes it to hold.
            let (ok, tree): (bool, Option<Tree>) = match format {
                Format::Yaml | Format::Json => {
                    // Helm templates are read tolerantly: their syntax issues are notes, as in a scan.
                    let (role, stream) = file::parse_yaml(&c.display, &text);
                    let ok =
                        role == YamlRole::HelmTemplate || stream.issues.iter().all(|i| !i.is_error);
                    (ok, keep_trees.then(|| Box::new(stream) as Tree))
                }
                Format::Hcl | Format::Terraform => {
                    let parsed = hcl::parse(&text, &FileMap::new(&text));
                    (parsed.is_ok(), keep_trees.then(|| Box::new(parsed) as Tree))
                }
                Format::Script(kind) => {
                    let facts = crate::model::script::read(&text, kind, &FileMap::new(&text));
                    (true, keep_trees.then(|| Box::new(facts) as Tree))
                }
            };
            let counts = ParseOnly {
                files: 1,
                bytes: text.len() as u64,
                failed: usize::from(!ok),
                kept: Vec::new(),
            };
            let kept = tree.map(|tree| KeptFile {
                _text: text,
                _tree: tree,
            });
            (counts, kept)
        })
        .fold(ParseOnly::default, ParseOnly::add)
        .reduce(ParseOnly::default, ParseOnly::merge)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::classify::Format;

    /// The answer before the index: the first object, in file order, holding `at`.
    fn brute_force(objects: &[K8sObject], at: Pos) -> Option<usize> {
        objects.iter().position(|o| {
            let crate::location::Span { start, end } = o.root().span;
            start <= at && at < end.max(Pos::new(end.line + 1, 1))
        })
    }

    fn assert_holders_agree(text: &str, format: Format) {
        let file = file::load_text("f", text.to_owned(), Some(format));
        assert!(file.objects.len() > 3, "{}", file.objects.len());
        let holders = Holders::new(&file.objects);
        assert!(holders.sorted);
        let widest = text.lines().map(str::len).max().unwrap_or(0) as u32;
        for line in 0..=text.lines().count() as u32 + 2 {
            for column in 0..=widest + 2 {
                let at = Pos::new(line, column);
                let found = holders
                    .find(at)
                    .map(|o| std::ptr::from_ref(o) as usize - file.objects.as_ptr() as usize);
                let want =
                    brute_force(&file.objects, at).map(|i| i * std::mem::size_of::<K8sObject>());
                assert_eq!(found, want, "at {line}:{column}");
            }
        }
    }

    #[test]
    fn holders_agree_with_brute_force_on_documents_and_list_items() {
        let mut text = String::from("# head\n");
        for i in 0..12 {
            text.push_str(&format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\ndata:\n  k: v\n---\n"
            ));
        }
        text.push_str("values: 1\n---\napiVersion: v1\nkind: List\nitems:\n");
        for i in 0..5 {
            text.push_str(&format!(
                "  - apiVersion: v1\n    kind: Secret\n    metadata:\n      name: s{i}\n"
            ));
        }
        assert_holders_agree(&text, Format::Yaml);
    }

    /// Objects sharing a line: each reaches the next line, so the first holds them all.
    #[test]
    fn holders_agree_with_brute_force_on_one_line_json() {
        let item =
            |i| format!(r#"{{"apiVersion":"v1","kind":"ConfigMap","metadata":{{"name":"c{i}"}}}}"#);
        let items: Vec<String> = (0..6).map(item).collect();
        let text = format!(
            "{{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{}]}}\n",
            items.join(",")
        );
        assert_holders_agree(&text, Format::Json);
    }
}
