//! `sealant audit [FILE ...]`: arguments, settings (`.sealant.yaml` `audit:` then flags), one
//! analysis pass, and the findings through the same reports as `sealant scan`.
//!
//! Exit codes as for `scan`: 2 when an input was unreadable or had malformed lines (the
//! analysis is incomplete), else 1 when a finding reaches `--fail-on`, else 0.

use crate::audit::config::{parse_duration, AuditConfig};
use crate::audit::{baseline, reader, record, run, RULE_IDS};
use crate::cli::{output_targets, usage_error, write_reports};
use crate::diagnostic::{Diagnostic, Level};
use crate::engine::config::{self, Config};
use crate::engine::scan::ScanResult;
use crate::location::{Location, Pos, Span};
use crate::report::Report;
use crate::rules::{meta, Evidence, Finding, Severity};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct AuditArgs {
    /// Audit logs (NDJSON, `file`/`socket`/`syslog` device `format=json`): files, globs, `-`
    /// for stdin; gzip is read transparently. Several files (one per node) are merged by time.
    #[arg(default_value = "-")]
    pub files: Vec<String>,
    /// Output format; repeat as `--format sarif=out.sarif` to write several at once.
    #[arg(short, long = "format", value_name = "FORMAT[=FILE]")]
    pub formats: Vec<String>,
    /// Write the (single) report to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Configuration file (default: `.sealant.yaml` found upward from the current directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any `.sealant.yaml`.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Only these rules (repeatable), e.g. `--rule AUD001`.
    #[arg(long = "rule", value_name = "ID")]
    pub rules: Vec<String>,
    /// AUD001: reads in one window that make a burst (default 50).
    #[arg(long, value_name = "N")]
    pub threshold: Option<usize>,
    /// AUD001: the window (`5m`, `90s`; a bare number is minutes, as in the brief's script).
    #[arg(long, value_name = "DURATION")]
    pub window: Option<String>,
    /// AUD001: count `sys/`, token self-lookups/renewals and cubbyhole too, as the brief's
    /// detector does (its results are then reproduced exactly).
    #[arg(long)]
    pub no_default_excludes: bool,
    /// AUD002: days of history that make an accessor's address baseline (default 7).
    #[arg(long, value_name = "DAYS")]
    pub baseline_days: Option<f64>,
    /// AUD002: the most recent hours, whose addresses are checked against the baseline
    /// (default 1).
    #[arg(long, value_name = "HOURS")]
    pub detect_hours: Option<f64>,
    /// AUD002: the end of the detection range (RFC 3339; default: the latest event time).
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// AUD002: start from the accessor → address baseline saved by an earlier run.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// AUD002: save the accessor → address baseline after this run (may be the `--baseline`
    /// file: cron runs then analyse each new stretch of log incrementally).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// How far out of time order one input may be (default 30s); later events are counted
    /// as late and analysed at their arrival.
    #[arg(long, value_name = "DURATION")]
    pub reorder_window: Option<String>,
    /// Exit 1 when a finding has at least this severity.
    #[arg(long, value_name = "SEVERITY", value_parser = ["info", "low", "medium", "high", "critical"])]
    pub fail_on: Option<String>,
    /// Parse threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub jobs: usize,
    /// Bytes read per block (tests use small blocks to exercise the chunking).
    #[arg(long, value_name = "BYTES", default_value_t = 8 << 20, hide = true)]
    pub block_size: usize,
    /// List the inputs and counters.
    #[arg(short, long)]
    pub verbose: bool,
    /// Colour: auto, always or never.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"])]
    pub color: String,
}

/// Applies flags over the configured settings.
fn settings(args: &AuditArgs, mut c: AuditConfig) -> Result<AuditConfig, String> {
    if let Some(t) = args.threshold {
        if t == 0 {
            return Err("--threshold must be positive".into());
        }
        c.aud001.threshold = t;
    }
    if let Some(w) = &args.window {
        c.aud001.window = match w.parse::<f64>() {
            Ok(min) if min >= 0.0 => (min * 60e6) as i64,
            _ => parse_duration(w).map_err(|e| format!("--window: {e}"))?,
        };
    }
    if args.no_default_excludes {
        c.default_excludes = false;
    }
    if let Some(d) = args.baseline_days {
        c.aud002.baseline = (d * 86_400e6) as i64;
    }
    if let Some(h) = args.detect_hours {
        c.aud002.detect = (h * 3_600e6) as i64;
    }
    if c.aud002.detect <= 0 || c.aud002.baseline <= c.aud002.detect {
        return Err("AUD002: the baseline range must be longer than the detection range".into());
    }
    if let Some(r) = &args.reorder_window {
        c.reorder_window = parse_duration(r).map_err(|e| format!("--reorder-window: {e}"))?;
    }
    Ok(c)
}

pub fn run(args: AuditArgs) -> i32 {
    let targets = match output_targets(&args.formats, args.output.as_ref()) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let cfg = if args.no_config {
        Config::default()
    } else if let Some(p) = &args.config {
        match Config::load(p) {
            Ok(c) => c,
            Err(e) => return usage_error(&e),
        }
    } else {
        match Config::discover(std::path::Path::new(".")) {
            Ok(c) => c,
            Err(e) => return usage_error(&format!("{} {e}", config::FILE_NAME)),
        }
    };
    let audit_cfg = match settings(&args, cfg.audit.clone()) {
        Ok(c) => c,
        Err(e) => return usage_error(&e),
    };
    for r in &args.rules {
        if !RULE_IDS.iter().any(|id| id.eq_ignore_ascii_case(r)) {
            return usage_error(&format!(
                "--rule {r}: not an audit rule ({})",
                RULE_IDS.join(", ")
            ));
        }
    }
    let rules: Vec<&'static str> = RULE_IDS
        .iter()
        .copied()
        .filter(|id| args.rules.is_empty() || args.rules.iter().any(|r| r.eq_ignore_ascii_case(id)))
        .filter(|id| meta::get(id).is_some_and(|m| cfg.enabled(m)))
        .collect();
    let inputs = match reader::expand(&args.files) {
        Ok(i) => i,
        Err(e) => return usage_error(&e),
    };
    let now = match &args.now {
        Some(t) => match record::parse_time(t) {
            Some(t) => Some(t),
            None => return usage_error(&format!("--now {t}: not an RFC 3339 time")),
        },
        None => None,
    };
    let seed = match &args.baseline {
        Some(p) => match baseline::load(p) {
            Ok(b) => Some(b),
            Err(e) => return usage_error(&e),
        },
        None => None,
    };
    let started = std::time::Instant::now();
    let outcome = run::run(run::Options {
        inputs,
        config: audit_cfg,
        rules: rules.clone(),
        now,
        baseline: seed,
        jobs: args.jobs,
        block_size: args.block_size.max(4096),
    });
    if let (Some(path), Some(state), Some(now)) =
        (&args.write_baseline, &outcome.address_state, outcome.now)
    {
        if let Err(e) = baseline::save(path, state, now) {
            return usage_error(&e);
        }
    }
    let mut result = to_scan_result(&outcome, &rules, &cfg);
    result.elapsed = started.elapsed();
    let fail_on = match args.fail_on.as_deref() {
        Some(s) => Severity::parse(s).expect("clap checked the value"),
        None => cfg.fail_on.unwrap_or(Severity::Low),
    };
    result.fail_on = Some(fail_on);
    if args.verbose {
        for i in &outcome.inputs {
            eprintln!(
                "sealant audit: {}: {} bytes, {} lines ({} requests, {} responses), {} malformed",
                i.name,
                i.stats.bytes,
                i.stats.lines,
                i.stats.requests,
                i.stats.responses,
                i.stats.malformed
            );
        }
        eprintln!(
            "sealant audit: {} responses analysed, {} late, {} duplicates, {:.2}s",
            outcome.events,
            outcome.late,
            outcome.duplicates,
            result.elapsed.as_secs_f64()
        );
    }
    let report = Report::new(&result, false, args.verbose);
    if let Err(code) = write_reports(&report, &targets, &args.color) {
        return code;
    }
    if result.incomplete() {
        2
    } else if result.findings.iter().any(|f| f.severity >= fail_on) {
        1
    } else {
        0
    }
}

/// The findings and diagnostics of a pass, in the scan result every report reads.
pub fn to_scan_result(o: &run::Outcome, rules: &[&'static str], cfg: &Config) -> ScanResult {
    let mut r = ScanResult::default();
    let names: Vec<String> = o.inputs.iter().map(|i| i.name.clone()).collect();
    for h in &o.hits {
        let name = names.get(h.src as usize).cloned().unwrap_or_default();
        let line = u32::try_from(h.line).unwrap_or(u32::MAX);
        let severity = cfg
            .severity_for(h.rule)
            .or(h.severity)
            .unwrap_or_else(|| meta::get(h.rule).map_or(Severity::Medium, |m| m.severity));
        r.findings.push(Finding {
            rule_id: h.rule,
            severity,
            message: h.message.clone(),
            location: Location::new(
                name.as_str().into(),
                Span::new(Pos::new(line, 1), Pos::new(line, 1)),
            ),
            related: Vec::new(),
            identity: h.identity.clone(),
            suppression: None,
            evidence: Some(Box::new(Evidence {
                logical_location: format!("audit://{name}#L{}", h.line),
                properties: h.evidence.clone(),
            })),
        });
    }
    for (i, input) in o.inputs.iter().enumerate() {
        let path: std::sync::Arc<str> = names[i].as_str().into();
        let s = &input.stats;
        if let Some(e) = &input.error {
            r.diagnostics.push(Diagnostic::new(
                Level::Error,
                "unreadable",
                path.clone(),
                None,
                e.clone(),
            ));
        }
        if s.malformed > 0 {
            let first = s.malformed_lines.first().copied().unwrap_or(1);
            r.diagnostics.push(Diagnostic::new(
                Level::Error,
                "malformed-lines",
                path.clone(),
                Some(line_span(first)),
                format!(
                    "{} malformed line{} skipped (first at line{} {}); {}",
                    s.malformed,
                    if s.malformed == 1 { "" } else { "s" },
                    if s.malformed_lines.len() == 1 {
                        ""
                    } else {
                        "s"
                    },
                    join(&s.malformed_lines),
                    s.first_error.as_deref().unwrap_or("")
                ),
            ));
        }
        if s.bad_time > 0 {
            let first = s.bad_time_lines.first().copied().unwrap_or(1);
            r.diagnostics.push(Diagnostic::new(
                Level::Error,
                "bad-time",
                path.clone(),
                Some(line_span(first)),
                format!(
                    "{} response entr{} without a readable `time` skipped (first at line{} {})",
                    s.bad_time,
                    if s.bad_time == 1 { "y" } else { "ies" },
                    if s.bad_time_lines.len() == 1 { "" } else { "s" },
                    join(&s.bad_time_lines)
                ),
            ));
        }
    }
    let first_path: std::sync::Arc<str> = names.first().map_or("stdin", String::as_str).into();
    if o.late > 0 {
        r.diagnostics.push(Diagnostic::new(
            Level::Warning,
            "out-of-order",
            first_path.clone(),
            None,
            format!(
                "{} response(s) were further out of time order than the reorder window and were analysed as they arrived (raise --reorder-window)",
                o.late
            ),
        ));
    }
    if o.duplicates > 0 {
        r.diagnostics.push(Diagnostic::new(
            Level::Note,
            "duplicates",
            first_path.clone(),
            None,
            format!(
                "{} response(s) logged by more than one node were counted once (same request.id)",
                o.duplicates
            ),
        ));
    }
    for n in &o.notes {
        r.diagnostics.push(Diagnostic::new(
            Level::Note,
            "audit-note",
            first_path.clone(),
            None,
            format!("{}: {}", n.rule, n.message),
        ));
    }
    r.files_scanned = o.inputs.len();
    r.rules = rules.iter().filter_map(|id| meta::get(id)).collect();
    r.inputs = names
        .iter()
        .map(|n| (n.clone(), vec!["vault-audit-log"]))
        .collect();
    r
}

fn line_span(line: u64) -> Span {
    let l = u32::try_from(line).unwrap_or(u32::MAX);
    Span::new(Pos::new(l, 1), Pos::new(l, 1))
}

fn join(lines: &[u64]) -> String {
    lines
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
