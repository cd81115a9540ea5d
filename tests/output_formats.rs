//! Output formats end to end: SARIF validates against the official 2.1.0 schema, every result
//! has a line and column, fingerprints survive unrelated line shifts, JSON keeps its schema,
//! and no format ever prints a secret's value.

use sealant::engine::config::Config;
use sealant::engine::scan::{self, ScanOptions, ScanResult};
use sealant::report::{self, Format, Report};
use std::path::PathBuf;

fn scan_paths(paths: &[&str]) -> ScanResult {
    scan::run(&ScanOptions {
        roots: paths.iter().map(PathBuf::from).collect(),
        config: Config::default(),
        ..Default::default()
    })
}

fn render(result: &ScanResult, format: Format) -> String {
    report::render(format, &Report::new(result, true, true), false)
}

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string("testdata/sarif-schema-2.1.0.json").unwrap();
    // The published schema's `language` pattern has a stray `]` that regex engines reject.
    let text = text.replace(
        "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
        "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
    );
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("schema compiles")
}

#[test]
fn sarif_is_valid_against_the_2_1_0_schema() {
    let validator = sarif_validator();
    let result = scan_paths(&["testdata/rules", "testdata/inputs"]);
    assert!(!result.findings.is_empty());
    let sarif: serde_json::Value = serde_json::from_str(&render(&result, Format::Sarif)).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), result.findings.len());
    for r in results {
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1, "{r}");
        assert!(region["startColumn"].as_u64().unwrap() >= 1, "{r}");
        assert!(
            region["endLine"].is_u64() && region["endColumn"].is_u64(),
            "{r}"
        );
        assert!(r["partialFingerprints"]["sealant/v1"].is_string());
        let rule_index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            sarif["runs"][0]["tool"]["driver"]["rules"][rule_index]["id"],
            r["ruleId"]
        );
    }
    for rule in sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        for key in [
            "name",
            "shortDescription",
            "fullDescription",
            "help",
            "helpUri",
            "defaultConfiguration",
        ] {
            assert!(!rule[key].is_null(), "rule {} lacks {key}", rule["id"]);
        }
        assert!(rule["properties"]["security-severity"].is_string());
    }
}

#[test]
fn a_negative_control_fails_validation() {
    let validator = sarif_validator();
    let bad = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"level": "fatal", "message": {"text": "m"}, "locations": [{"physicalLocation": {"region": {"startLine": 0}}}]}]}]});
    assert!(validator.iter_errors(&bad).count() >= 2);
}

#[test]
fn parse_errors_become_tool_notifications() {
    let result = scan_paths(&["testdata/inputs/broken"]);
    assert!(result.incomplete());
    let sarif: serde_json::Value = serde_json::from_str(&render(&result, Format::Sarif)).unwrap();
    let inv = &sarif["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let notes = inv["toolExecutionNotifications"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n["level"] == "error" && n["descriptor"]["id"] == "parse-error"),
        "{notes:#?}"
    );
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn fingerprints_are_stable_across_line_shifts() {
    let dir = tempfile::tempdir().unwrap();
    let body = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      env:\n        - name: VAULT_ADDR\n          value: http://vault:8200\n";
    std::fs::write(dir.path().join("a.yaml"), body).unwrap();
    let first = scan_paths(&[dir.path().to_str().unwrap()]);
    std::fs::write(
        dir.path().join("a.yaml"),
        format!("# a comment\n# another\n{body}"),
    )
    .unwrap();
    let second = scan_paths(&[dir.path().to_str().unwrap()]);
    let fp = |r: &ScanResult| sealant::engine::fingerprint::of(&r.findings[0]);
    assert_eq!(
        first.findings[0].location.span.start.line + 2,
        second.findings[0].location.span.start.line
    );
    assert_eq!(fp(&first), fp(&second));
}

/// Secret-looking values planted in every input kind of `testdata/inputs/canary/`: manifests,
/// Secrets, ConfigMaps, Helm values, server/agent HCL, Terraform, shell, `.env`, GitHub and
/// GitLab CI. Vault tokens (`hvs.`, legacy `s.`), passwords, an AWS key pair, a private key
/// body and a password inside a connection URL.
const CANARIES: &[&str] = &[
    "hvs.CANARYcanaryCANARYcanary0001",
    "CanaryPassw0rd!",
    "s.CANARYcanaryCANARYcanary02",
    "AKIACANARY0000000001",
    "wJalrCANARYcanaryEXAMPLEKEYcanary0000000",
    "MIIEcanaryPRIVATEkeyBODYcanaryCANARY000",
    "CanaryDbPass99",
];

#[test]
fn no_format_prints_a_secret_value() {
    let result = scan_paths(&["testdata/inputs/canary"]);
    // Every canary file must be quoted by some finding or located diagnostic, or the test
    // would pass without looking at it.
    let quoted: std::collections::BTreeSet<&str> = result
        .findings
        .iter()
        .map(|f| &*f.location.path)
        .chain(
            result
                .diagnostics
                .iter()
                .filter(|d| d.span.is_some())
                .map(|d| &*d.path),
        )
        .map(|p| p.rsplit('/').next().unwrap())
        .collect();
    for f in [
        "app.yaml",
        "secret-kinds.yaml",
        "values.yaml",
        "server.hcl",
        "agent.hcl",
        "main.tf",
        "deploy.sh",
        ".env",
        "ci.yml",
        ".gitlab-ci.yml",
    ] {
        assert!(
            quoted.contains(f),
            "{f} is quoted by no finding: {quoted:?}"
        );
    }
    // What every report quotes from: the masked texts.
    for (path, text) in &result.sources {
        for c in CANARIES {
            assert!(!text.contains(c), "masked {path} still holds {c}:\n{text}");
        }
    }
    for verbose in [false, true] {
        let report = Report::new(&result, true, verbose);
        for format in [
            Format::Human,
            Format::Json,
            Format::Sarif,
            Format::Github,
            Format::Markdown,
        ] {
            let out = report::render(format, &report, false);
            for c in CANARIES {
                assert!(
                    !out.contains(c),
                    "{format:?} output (verbose {verbose}) contains the canary {c}:\n{out}"
                );
            }
        }
    }
}

#[test]
fn json_output_has_the_documented_shape() {
    let result = scan_paths(&["testdata/rules/K8S003"]);
    let json: serde_json::Value = serde_json::from_str(&render(&result, Format::Json)).unwrap();
    assert_eq!(json["schema_version"], 1);
    let f = &json["findings"][0];
    for key in [
        "rule_id",
        "rule_name",
        "severity",
        "title",
        "message",
        "remediation",
        "help_uri",
        "location",
        "fingerprint",
    ] {
        assert!(!f[key].is_null(), "finding lacks {key}: {f}");
    }
    for key in [
        "path",
        "start_line",
        "start_column",
        "end_line",
        "end_column",
    ] {
        assert!(
            f["location"][key].is_string() || f["location"][key].is_u64(),
            "location lacks {key}"
        );
    }
    assert_eq!(json["summary"]["findings"], result.findings.len());
}

#[test]
fn github_annotations_escape_and_locate() {
    let result = scan_paths(&["testdata/rules/K8S003/positive.yaml"]);
    let out = render(&result, Format::Github);
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with("::error file=testdata/rules/K8S003/positive.yaml,line=14,col=22,"),
        "{first}"
    );
    assert!(!first.contains('\n'));
}

#[test]
fn helm_value_fingerprints_survive_line_shifts() {
    // Helm findings are keyed by chart value path, not by where the file puts it.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Chart.yaml"),
        "apiVersion: v2\nname: vault\nversion: 0.34.1\n",
    )
    .unwrap();
    let values = "global:\n  tlsDisable: true\nserver:\n  dev:\n    enabled: true\n";
    std::fs::write(dir.path().join("values.yaml"), values).unwrap();
    let first = scan_paths(&[dir.path().to_str().unwrap()]);
    std::fs::write(
        dir.path().join("values.yaml"),
        format!("# ops notes\n#\n{values}"),
    )
    .unwrap();
    let second = scan_paths(&[dir.path().to_str().unwrap()]);
    let fps = |r: &ScanResult| -> Vec<(String, u32, String)> {
        r.findings
            .iter()
            .map(|f| {
                (
                    f.rule_id.to_owned(),
                    f.location.span.start.line,
                    sealant::engine::fingerprint::of(f),
                )
            })
            .collect()
    };
    let (a, b) = (fps(&first), fps(&second));
    assert!(!a.is_empty());
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.0, y.0);
        assert_eq!(x.1 + 2, y.1, "the finding moved with its line");
        assert_eq!(x.2, y.2, "{} kept its fingerprint", x.0);
    }
}

#[test]
fn audit_findings_are_valid_sarif_with_logical_locations() {
    use sealant::audit::{cli::to_scan_result, reader::Input, run, RULE_IDS};
    let logs = [
        "testdata/rules/AUD001/pos.log",
        "testdata/rules/AUD003/pos.log",
        "testdata/audit/traps/malformed.log",
    ];
    let outcome = run::run(run::Options {
        inputs: logs.iter().map(|l| Input::File(l.into())).collect(),
        config: Default::default(),
        rules: RULE_IDS.to_vec(),
        now: None,
        baseline: None,
        jobs: 2,
        block_size: 1 << 20,
    });
    let result = to_scan_result(&outcome, RULE_IDS, &Config::default());
    assert!(!result.findings.is_empty() && result.incomplete());
    let sarif: serde_json::Value = serde_json::from_str(&render(&result, Format::Sarif)).unwrap();
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
    let first = &sarif["runs"][0]["results"][0];
    assert_eq!(
        first["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "audit://testdata/rules/AUD001/pos.log#L1"
    );
    // Files are nodes of one cluster: the trap log's 50 reads by the same accessor in the same
    // minute merge into the same window.
    assert_eq!(first["properties"]["evidence"]["count"], 100);
    let json: serde_json::Value = serde_json::from_str(&render(&result, Format::Json)).unwrap();
    assert_eq!(
        json["findings"][0]["evidence"]["window_start"],
        "2024-03-01T12:00:00.000000Z"
    );
    assert_eq!(json["summary"]["incomplete"], true);
}

/// The JSON and SARIF reports are assembled from findings rendered in parallel chunks; their
/// bytes must be exactly what one pretty-printing pass over the same document gives
/// (indentation, commas, field order), with many findings (several chunks), none, and audit
/// evidence, and list every finding.
#[test]
fn streamed_reports_are_canonical_pretty_json() {
    let mut many = scan_paths(&["testdata/rules"]);
    assert!(many.findings.len() > 600, "needs several chunks of 256");
    let none = scan_paths(&["testdata/rules/K8S003/neg.yaml"]);
    let audit = {
        use sealant::audit::{cli::to_scan_result, reader::Input, run, RULE_IDS};
        let outcome = run::run(run::Options {
            inputs: vec![Input::File("testdata/rules/AUD001/pos.log".into())],
            config: Default::default(),
            rules: RULE_IDS.to_vec(),
            now: None,
            baseline: None,
            jobs: 1,
            block_size: 1 << 20,
        });
        to_scan_result(&outcome, RULE_IDS, &Config::default())
    };
    assert!(audit.findings.iter().any(|f| f.evidence.is_some()));
    many.findings.truncate(700);
    for format in [Format::Json, Format::Sarif] {
        for result in [&many, &none, &audit] {
            let text = render(result, format);
            let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
            assert_eq!(
                text,
                serde_json::to_string_pretty(&value).unwrap() + "\n",
                "{format:?} report differs from its canonical pretty form"
            );
            let listed = match format {
                Format::Json => &value["findings"],
                _ => &value["runs"][0]["results"],
            };
            assert_eq!(
                listed.as_array().map(Vec::len),
                Some(result.findings.len()),
                "{format:?} lists every finding"
            );
        }
    }
}

/// Masking every file with a finding costs a pass over its text; it is done only when some
/// output quotes source lines (human, SARIF) or a baseline keys findings by content.
#[test]
fn sources_are_masked_only_when_something_quotes_them() {
    let opts = |skip_excerpts: bool, write_baseline: bool| ScanOptions {
        roots: vec![PathBuf::from("testdata/rules/K8S003")],
        skip_excerpts,
        write_baseline,
        ..Default::default()
    };
    assert!(!scan::run(&opts(false, false)).sources.is_empty());
    assert!(scan::run(&opts(true, false)).sources.is_empty());
    assert!(!scan::run(&opts(true, true)).sources.is_empty());
}
