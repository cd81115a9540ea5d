//! The command line: `sealant scan`, `sealant rules`, `sealant explain`, `sealant policy`,
//! `sealant audit`.
//!
//! Exit codes: 0 — no finding at or above the `--fail-on` severity; 1 — findings at or above
//! it; 2 — usage error, or the scan was incomplete (an input could not be read or parsed).
//! An incomplete scan exits 2 even when it also has findings: a partial answer is never green.

use crate::engine::config::{self, Config};
use crate::engine::scan::{self, ScanOptions};
use crate::report::{self, Format, Report};
use crate::rules::{meta, Severity};
use crate::source::discover::DiscoverOptions;
use clap::{Parser, Subcommand};
use is_terminal::IsTerminal;
use std::io::Read;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "sealant",
    version,
    about = "Finds what leaves the path between applications and their secret stores open: TLS bypasses, plaintext Vault addresses, and more, in Kubernetes manifests, Helm values, Vault HCL, Terraform and scripts."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan files and directories (default `.`); `-` reads stdin.
    Scan(Box<ScanArgs>),
    /// List the rules.
    Rules(RulesArgs),
    /// Show one rule in full, with a bad and a good example.
    Explain {
        /// Rule id, e.g. K8S001.
        id: String,
    },
    /// Write a commented `.sealant.yaml` starter.
    Init {
        /// Where to write it.
        #[arg(default_value = config::FILE_NAME)]
        path: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Evaluate Vault/OpenBao ACL policies offline.
    #[command(subcommand)]
    Policy(crate::policy::cli::PolicyCommand),
    /// Explain network isolation: which NetworkPolicies select a workload, what they allow.
    #[command(subcommand)]
    Netpol(crate::netpol_cli::NetpolCommand),
    /// Analyse Vault/OpenBao audit logs (AUD001–AUD006); files, globs, `-` for stdin, .gz.
    Audit(Box<crate::audit::cli::AuditArgs>),
    /// Serve the reference APIs (Kubernetes, Vault, EC2, GitHub) from a world file.
    #[cfg(feature = "refserver")]
    ServeReference(crate::refserver::cli::ServeArgs),
}

#[derive(clap::Args, Debug)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` for stdin (default: `.`, unless only live sources
    /// are asked for).
    pub paths: Vec<PathBuf>,
    /// Output format; repeat as `--format sarif=out.sarif` to write several at once.
    #[arg(short, long = "format", value_name = "FORMAT[=FILE]")]
    pub formats: Vec<String>,
    /// Write the (single) report to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The name stdin is reported under (its extension decides how it is read).
    #[arg(long, value_name = "NAME", default_value = "stdin.yaml")]
    pub stdin_filename: String,
    /// Skip paths matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Do not honour .gitignore/.ignore files.
    #[arg(long)]
    pub no_ignore: bool,
    /// Read hidden files and directories too.
    #[arg(long)]
    pub hidden: bool,
    /// Skip files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Configuration file (default: `.sealant.yaml` found upward from the first path).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any `.sealant.yaml`.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Exit 1 when a finding has at least this severity.
    #[arg(long, value_name = "SEVERITY", value_parser = ["info", "low", "medium", "high", "critical"])]
    pub fail_on: Option<String>,
    /// Show suppressed findings in human output.
    #[arg(long)]
    pub show_suppressed: bool,
    /// List skipped and unrecognised files, and notes.
    #[arg(short, long)]
    pub verbose: bool,
    /// Namespace for objects that name none (what `kubectl apply -f` would use).
    #[arg(long, value_name = "NS")]
    pub namespace: Option<String>,
    /// A Helm values file, optionally with its chart (`vault`, `openbao`,
    /// `vault-secrets-operator`); several files for one release joined by commas.
    #[arg(long, value_name = "FILE[=CHART]")]
    pub helm_values: Vec<String>,
    /// Colour: auto, always or never.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"])]
    pub color: String,
    /// Suppress the findings recorded in this baseline file (kind `baseline`); new ones fail.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every current finding in this baseline file (and exit 0 unless incomplete).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Also load the files under DIR so cross-file rules see them; only the named paths are
    /// reported on (pre-commit passes the staged files, the rest of the repo is context).
    #[arg(long, value_name = "DIR")]
    pub context_root: Vec<PathBuf>,
    #[command(flatten)]
    pub live: crate::live::LiveOptions,
    /// Benchmark floor: read and parse every input, run no rule, print counts (hidden).
    #[arg(long, hide = true)]
    pub parse_only: bool,
    /// With `--parse-only`: keep every text and tree until exit, as a scan does (hidden).
    #[arg(long, hide = true, requires = "parse_only")]
    pub keep_trees: bool,
    #[command(flatten)]
    pub upload: crate::report::upload::UploadArgs,
}

#[derive(clap::Args, Debug)]
pub struct RulesArgs {
    /// Only this family (k8s, inject, csi, eso, vso, helm, agent, server, tooling, …).
    #[arg(long)]
    pub family: Option<String>,
    /// Only this default severity.
    #[arg(long)]
    pub severity: Option<String>,
    /// Only rules with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Also list deferred rules, with a status column (implemented, deferred, not yet implemented).
    #[arg(long)]
    pub all: bool,
}

/// Runs the CLI and returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Scan(args) => run_scan(*args),
        Command::Rules(args) => run_rules(&args),
        Command::Explain { id } => run_explain(&id),
        Command::Init { path, force } => run_init(&path, force),
        Command::Policy(cmd) => crate::policy::cli::run(cmd),
        Command::Netpol(cmd) => crate::netpol_cli::run(cmd),
        Command::Audit(args) => crate::audit::cli::run(*args),
        #[cfg(feature = "refserver")]
        Command::ServeReference(args) => crate::refserver::cli::run(&args),
    }
}

pub(crate) fn usage_error(msg: &str) -> i32 {
    eprintln!("sealant: {msg}");
    2
}

/// `--format FORMAT[=FILE]` (repeatable) and `-o FILE` as report targets (human to stdout when
/// none is given); a usage error's exit code otherwise.
pub(crate) fn output_targets(
    formats: &[String],
    output: Option<&PathBuf>,
) -> Result<Vec<(Format, Option<PathBuf>)>, i32> {
    let mut targets: Vec<(Format, Option<PathBuf>)> = Vec::new();
    for spec in formats {
        let (name, file) = match spec.split_once('=') {
            Some((n, f)) => (n, Some(PathBuf::from(f))),
            None => (spec.as_str(), None),
        };
        let Ok(format) = <Format as clap::ValueEnum>::from_str(name, true) else {
            return Err(usage_error(&format!(
                "unknown format `{name}` (human, json, sarif, github, markdown)"
            )));
        };
        targets.push((format, file));
    }
    if targets.is_empty() {
        targets.push((Format::Human, None));
    }
    if output.is_some() {
        if targets.iter().filter(|(_, f)| f.is_none()).count() > 1 {
            return Err(usage_error(
                "-o takes one report; use --format FORMAT=FILE for several",
            ));
        }
        for t in targets.iter_mut().filter(|(_, f)| f.is_none()) {
            t.1 = output.cloned();
        }
    }
    Ok(targets)
}

/// Renders the report to each target (`--color auto|always|never`).
pub(crate) fn write_reports(
    report: &Report<'_>,
    targets: &[(Format, Option<PathBuf>)],
    color: &str,
) -> Result<(), i32> {
    for (format, file) in targets {
        let color = match color {
            "always" => true,
            "never" => false,
            _ => {
                file.is_none()
                    && std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none()
            }
        };
        // Reports stream into a buffer (a finding-dense JSON report is tens of MB). A closed
        // pipe on stdout ends the process quietly (SIGPIPE is restored in main).
        let sink: std::io::Result<Box<dyn std::io::Write>> = match file {
            Some(path) => std::fs::File::create(path).map(|f| Box::new(f) as _),
            None => Ok(Box::new(std::io::stdout().lock())),
        };
        let written = sink.and_then(|sink| {
            let mut w = std::io::BufWriter::with_capacity(1 << 16, sink);
            report::write(*format, report, color, &mut w)?;
            std::io::Write::flush(&mut w)
        });
        if let Err(e) = written {
            let target = file
                .as_ref()
                .map_or_else(|| "stdout".to_owned(), |p| p.display().to_string());
            return Err(usage_error(&format!("cannot write {target}: {e}")));
        }
    }
    Ok(())
}

fn run_scan(args: ScanArgs) -> i32 {
    let targets = match output_targets(&args.formats, args.output.as_ref()) {
        Ok(t) => t,
        Err(code) => return code,
    };
    for spec in &args.helm_values {
        if let Some((_, chart)) = spec.rsplit_once('=') {
            if crate::model::helm::Chart::from_name(chart).is_none() {
                return usage_error(&format!(
                    "--helm-values {spec}: unknown chart `{chart}` (sealant judges vault, openbao and vault-secrets-operator values)"
                ));
            }
        }
    }
    let stdin_wanted = args.paths.iter().any(|p| p.as_os_str() == "-");
    let paths = if args.paths.is_empty() && !args.live.any() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let roots: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    let config = if args.no_config {
        Config::default()
    } else if let Some(path) = &args.config {
        match Config::load(path) {
            Ok(c) => c,
            Err(e) => return usage_error(&e),
        }
    } else {
        match Config::discover(
            roots
                .first()
                .map(PathBuf::as_path)
                .unwrap_or(std::path::Path::new(".")),
        ) {
            Ok(c) => c,
            Err(e) => return usage_error(&format!("{} {e}", config::FILE_NAME)),
        }
    };
    let stdin = if stdin_wanted {
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            return usage_error(&format!("cannot read stdin: {e}"));
        }
        Some((args.stdin_filename.clone(), text))
    } else {
        None
    };
    let fail_on = match args.fail_on.as_deref() {
        Some(s) => Severity::parse(s).expect("clap checked the value"),
        None => config.fail_on.unwrap_or(Severity::Low),
    };
    let baseline = match &args.baseline {
        Some(path) => match crate::engine::baseline::Baseline::load(path) {
            Ok(b) => Some(b),
            Err(e) => return usage_error(&e),
        },
        None => None,
    };
    let mut live_opts = args.live.clone();
    if !live_opts.all_namespaces {
        live_opts.namespace = args.namespace.clone();
    }
    let live = crate::live::collect(&live_opts);
    if args.verbose {
        for (source, calls) in &live.api_calls {
            eprintln!("sealant: {source} API calls: {calls}");
        }
    }
    let opts = ScanOptions {
        live,
        roots,
        stdin,
        discover: DiscoverOptions {
            hidden: args.hidden,
            no_ignore: args.no_ignore,
            excludes: args.exclude.clone(),
            max_file_size: args.max_file_size,
        },
        namespace: args.namespace.clone().unwrap_or_default(),
        config,
        helm_values: args.helm_values.clone(),
        context_roots: args.context_root.clone(),
        // --upload-sarif sends SARIF, which quotes sources, whatever the formats asked for.
        skip_excerpts: args.upload.upload_sarif.is_none()
            && !targets.iter().any(|(f, _)| f.quotes_sources()),
        process_exits_after: true,
        baseline,
        write_baseline: args.write_baseline.is_some(),
    };
    if args.parse_only {
        let p = scan::parse_only(&opts, args.keep_trees);
        println!(
            "parse-only: {} files, {} bytes, {} failed",
            p.files, p.bytes, p.failed
        );
        // As a scan leaves its inventory: a process about to exit does not free a tree.
        std::mem::forget(p.kept);
        return 0;
    }
    let mut result = scan::run(&opts);
    result.fail_on = Some(fail_on);
    if let (Some(path), Some(b)) = (&args.write_baseline, &result.baseline) {
        if let Err(e) = std::fs::write(path, b.to_json()) {
            return usage_error(&format!("cannot write {}: {e}", path.display()));
        }
        eprintln!(
            "sealant: wrote {} finding{} to baseline {}",
            b.fingerprints.len(),
            if b.fingerprints.len() == 1 { "" } else { "s" },
            path.display()
        );
    }
    let mut phases = crate::engine::timings::Phases::start();
    let report = Report::new(&result, args.show_suppressed, args.verbose);
    if let Err(code) = write_reports(&report, &targets, &args.color) {
        return code;
    }
    phases.lap("report");
    if args.upload.upload_sarif.is_some() {
        let sarif = report::render(Format::Sarif, &report, false);
        match crate::report::upload::upload(&args.upload, &sarif) {
            Ok(id) => eprintln!("sealant: SARIF uploaded to GitHub code scanning (id {id})"),
            Err(e) => return usage_error(&e),
        }
    }
    let code = if result.incomplete() {
        2
    } else if result
        .findings
        .iter()
        .any(|f| f.suppression.is_none() && f.severity >= fail_on)
    {
        1
    } else {
        0
    };
    // The process exits next: freeing every finding one by one (tens of thousands on a large
    // scan) is work the OS does at once, as with the inventory in `scan::run`.
    std::mem::forget(report);
    std::mem::forget(result);
    code
}

fn run_rules(args: &RulesArgs) -> i32 {
    let implemented: std::collections::HashSet<&str> = crate::rules::all()
        .iter()
        .map(|r| r.id())
        .chain(crate::audit::RULE_IDS.iter().copied())
        .collect();
    let status = |m: &meta::RuleMeta| {
        if implemented.contains(m.id.as_str()) {
            "implemented"
        } else if m.status.as_deref() == Some("deferred") {
            "deferred"
        } else {
            "not yet implemented"
        }
    };
    let selected: Vec<_> = meta::all()
        .iter()
        // Deferred rules are listed only with --all.
        .filter(|m| args.all || status(m) != "deferred")
        .filter(|m| {
            args.family
                .as_deref()
                .is_none_or(|f| m.family.eq_ignore_ascii_case(f))
        })
        .filter(|m| {
            args.severity
                .as_deref()
                .is_none_or(|s| m.severity.as_str().eq_ignore_ascii_case(s))
        })
        .filter(|m| {
            args.tag
                .as_deref()
                .is_none_or(|t| m.tags.iter().any(|x| x.eq_ignore_ascii_case(t)))
        })
        .collect();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&selected).expect("metadata serializes")
        );
        return 0;
    }
    if args.all {
        println!(
            "{:<8} {:<9} {:<9} {:<20} TITLE",
            "ID", "SEVERITY", "FAMILY", "STATUS"
        );
        for m in selected {
            println!(
                "{:<8} {:<9} {:<9} {:<20} {}",
                m.id,
                m.severity.as_str(),
                m.family,
                status(m),
                m.title
            );
        }
        return 0;
    }
    println!("{:<8} {:<9} {:<9} TITLE", "ID", "SEVERITY", "FAMILY");
    for m in selected {
        let note = if status(m) == "implemented" {
            ""
        } else {
            " (not yet implemented)"
        };
        println!(
            "{:<8} {:<9} {:<9} {}{note}",
            m.id,
            m.severity.as_str(),
            m.family,
            m.title
        );
    }
    0
}

/// The text `sealant explain` prints (also the body of `docs/rules/<ID>.md`).
pub fn explain_text(m: &meta::RuleMeta) -> String {
    let mut s = format!("# {} — {}\n\n", m.id, m.title);
    s.push_str(&format!(
        "- **Name:** `{}`\n- **Family:** {}\n- **Severity:** {}",
        m.slug, m.family, m.severity
    ));
    if let Some(n) = &m.severity_note {
        s.push_str(&format!(" ({})", n.trim()));
    }
    s.push('\n');
    if !m.tags.is_empty() {
        s.push_str(&format!("- **Tags:** {}\n", m.tags.join(", ")));
    }
    s.push_str(&format!(
        "\n## Why it matters\n\n{}\n\n## Remediation\n\n{}\n",
        m.why.trim(),
        m.remediation.trim()
    ));
    if !m.examples.bad.trim().is_empty() {
        s.push_str(&format!(
            "\n## Bad\n\n```\n{}\n```\n",
            m.examples.bad.trim_end()
        ));
    }
    if !m.examples.good.trim().is_empty() {
        s.push_str(&format!(
            "\n## Good\n\n```\n{}\n```\n",
            m.examples.good.trim_end()
        ));
    }
    if !m.references.is_empty() {
        s.push_str("\n## References\n\n");
        for r in &m.references {
            s.push_str(&format!("- {r}\n"));
        }
    }
    s
}

fn run_init(path: &std::path::Path, force: bool) -> i32 {
    if path.exists() && !force {
        return usage_error(&format!(
            "{} exists; pass --force to overwrite it",
            path.display()
        ));
    }
    match std::fs::write(path, config::STARTER) {
        Ok(()) => {
            println!("wrote {}", path.display());
            0
        }
        Err(e) => usage_error(&format!("cannot write {}: {e}", path.display())),
    }
}

fn run_explain(id: &str) -> i32 {
    match meta::get(id) {
        Some(m) => {
            print!("{}", explain_text(m));
            0
        }
        None => usage_error(&format!("no rule `{id}`; `sealant rules` lists them")),
    }
}
