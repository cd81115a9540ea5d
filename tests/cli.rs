//! The `sealant` binary end to end: exit codes, formats and files, stdin, config discovery,
//! suppressions, discovery rules (hidden, excludes, size cap, binary files) and bad input.

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn sealant(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sealant"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("SEALANT_TODAY", "2026-06-01")
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> (i32, serde_json::Value) {
    let mut a = args.to_vec();
    a.extend(["--format", "json", "--no-config"]);
    let out = sealant(&a);
    (
        out.status.code().unwrap(),
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout))),
    )
}

fn rule_lines(v: &serde_json::Value) -> Vec<(String, u64)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppressed"].is_null())
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_owned(),
                f["location"]["start_line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn exit_codes_follow_the_gate() {
    assert_eq!(json(&["scan", "testdata/rules/K8S003/negative.yaml"]).0, 0);
    assert_eq!(json(&["scan", "testdata/rules/K8S003/positive.yaml"]).0, 1);
    assert_eq!(
        json(&[
            "scan",
            "testdata/rules/K8S003/positive.yaml",
            "--fail-on",
            "critical"
        ])
        .0,
        0
    );
    assert_eq!(
        json(&["scan", "testdata/inputs/broken"]).0,
        2,
        "an incomplete scan exits 2"
    );
    assert_eq!(
        sealant(&["scan", "--format", "nonsense"]).status.code(),
        Some(2)
    );
    assert_eq!(sealant(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        sealant(&[
            "scan",
            "examples",
            "--helm-values",
            "examples/helm-vault/values.yaml=redis"
        ])
        .status
        .code(),
        Some(2)
    );
    let missing = sealant(&["scan", "does/not/exist.yaml", "--no-config"]);
    assert_eq!(
        missing.status.code(),
        Some(2),
        "a named path that cannot be read is an error"
    );
    assert!(String::from_utf8_lossy(&missing.stdout).contains("cannot be read"));
}

#[test]
fn a_broken_document_does_not_hide_the_rest() {
    let (code, v) = json(&["scan", "testdata/inputs/broken/bad.yaml"]);
    assert_eq!(code, 2);
    let rules = rule_lines(&v);
    assert!(rules.contains(&("K8S007".into(), 6)), "{rules:?}");
    assert!(
        rules.contains(&("K8S007".into(), 17)),
        "the document after the error is still read: {rules:?}"
    );
    assert_eq!(v["summary"]["incomplete"], true);
}

#[test]
fn stdin_is_read_under_its_name() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sealant"))
        .args([
            "scan",
            "-",
            "--stdin-filename",
            "deploy/agent.hcl",
            "--format",
            "json",
            "--no-config",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"vault {\n  address = \"http://vault:8200\"\n}\ncache {}\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["rule_id"], "AGT002");
    assert_eq!(v["findings"][0]["location"]["path"], "deploy/agent.hcl");
    assert_eq!(v["findings"][0]["location"]["start_line"], 2);
}

#[test]
fn several_formats_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let js = dir.path().join("out.json");
    let out = sealant(&[
        "scan",
        "testdata/rules/K8S003",
        "--no-config",
        "--format",
        &format!("sarif={}", sarif.display()),
        "--format",
        &format!("json={}", js.display()),
        "--format",
        "github",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("::error file="));
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(s["version"], "2.1.0");
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&js).unwrap()).unwrap();
    assert_eq!(j["schema_version"], 1);
    let o = dir.path().join("o.json");
    assert_eq!(
        sealant(&[
            "scan",
            "testdata/rules/K8S003",
            "--no-config",
            "--format",
            "json",
            "-o",
            o.to_str().unwrap()
        ])
        .status
        .code(),
        Some(1)
    );
    assert!(std::fs::read_to_string(o).unwrap().contains("K8S003"));
}

#[test]
fn suppressions_inline_annotation_and_expiry() {
    let (_, v) = json(&["scan", "testdata/inputs/suppress/app.yaml"]);
    let active = rule_lines(&v);
    assert_eq!(
        active,
        [("K8S003".to_owned(), 17)],
        "only the expired suppression's finding stays active"
    );
    let suppressed: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["suppressed"].is_null())
        .map(|f| {
            (
                f["suppressed"]["kind"].as_str().unwrap().to_owned(),
                f["location"]["start_line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        suppressed,
        [
            ("inline".to_owned(), 12),
            ("inline".to_owned(), 14),
            ("annotation".to_owned(), 31)
        ]
    );
    assert!(v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "suppression-expired" && d["span"]["start_line"] == 16));
    let human = sealant(&["scan", "testdata/inputs/suppress/app.yaml", "--no-config"]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("1 finding") && text.contains("3 suppressed"),
        "{text}"
    );
    let shown = sealant(&[
        "scan",
        "testdata/inputs/suppress/app.yaml",
        "--no-config",
        "--show-suppressed",
    ]);
    assert!(String::from_utf8_lossy(&shown.stdout).contains("suppressed (inline): lab cluster"));
}

#[test]
fn config_is_discovered_upward_and_applied() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("deploy/app")).unwrap();
    std::fs::copy(
        "testdata/rules/K8S003/positive.yaml",
        dir.path().join("deploy/app/p.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".sealant.yaml"),
        "rules:\n  severity: { K8S003: low }\nfail_on: medium\n",
    )
    .unwrap();
    let out = sealant(&[
        "scan",
        dir.path().join("deploy/app").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "K8S003 lowered below the gate");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["severity"], "low");
    std::fs::write(
        dir.path().join(".sealant.yaml"),
        "rules:\n  disable: [family:k8s]\n",
    )
    .unwrap();
    let out = sealant(&["scan", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    std::fs::write(dir.path().join(".sealant.yaml"), "rulez: 1\n").unwrap();
    let out = sealant(&["scan", dir.path().to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an invalid config is a usage error"
    );
}

#[test]
fn discovery_skips_are_counted_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bad = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  VAULT_SKIP_VERIFY: \"true\"\n";
    std::fs::create_dir_all(d.join(".hidden")).unwrap();
    std::fs::create_dir_all(d.join("vendor")).unwrap();
    std::fs::create_dir_all(d.join(".github/workflows")).unwrap();
    std::fs::write(d.join(".hidden/x.yaml"), bad).unwrap();
    std::fs::write(d.join("vendor/x.yaml"), bad).unwrap();
    std::fs::write(d.join("big.yaml"), format!("{bad}# {}\n", "x".repeat(4096))).unwrap();
    std::fs::write(d.join("blob.yaml"), b"\x00\x01binary").unwrap();
    std::fs::write(d.join("notes.md"), "VAULT_SKIP_VERIFY=true").unwrap();
    std::fs::write(d.join("ok.yaml"), bad).unwrap();
    std::fs::write(d.join(".gitignore"), "ignored.yaml\n").unwrap();
    std::fs::write(d.join("ignored.yaml"), bad).unwrap();
    let root = d.to_str().unwrap();
    let (_, v) = json(&[
        "scan",
        root,
        "--exclude",
        "vendor",
        "--max-file-size",
        "1000",
    ]);
    let paths: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["location"]["path"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        paths,
        ["ok.yaml"],
        "hidden, excluded, ignored, too large and binary files are not read"
    );
    let reasons: Vec<String> = v["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap().to_owned())
        .collect();
    assert!(reasons.iter().any(|r| r == "excluded"), "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r.starts_with("larger than")),
        "{reasons:?}"
    );
    assert!(reasons.iter().any(|r| r == "binary"), "{reasons:?}");
    assert!(reasons.iter().any(|r| r == "not recognised"), "{reasons:?}");
    let (_, v) = json(&["scan", root, "--hidden", "--no-ignore"]);
    let n = v["findings"].as_array().unwrap().len();
    assert!(n >= 4, "--hidden and --no-ignore read the rest: {n}");
    let verbose = sealant(&["scan", root, "-v", "--no-config"]);
    assert!(String::from_utf8_lossy(&verbose.stdout).contains("skipped: "));
}

#[test]
fn hostile_input_never_crashes_or_hangs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("deep.yaml"), "[".repeat(100_000)).unwrap();
    std::fs::write(
        d.join("deep-block.yaml"),
        (0..3000)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect::<String>(),
    )
    .unwrap();
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(", ")
        ));
    }
    std::fs::write(d.join("bomb.yaml"), bomb).unwrap();
    std::fs::write(
        d.join("deep.hcl"),
        format!("a = {}{}\n", "[".repeat(50_000), "]".repeat(50_000)),
    )
    .unwrap();
    std::fs::write(
        d.join("unterminated.hcl"),
        "listener \"tcp\" {\n  address = \"0.0.0.0\n",
    )
    .unwrap();
    std::fs::write(d.join("latin1.yaml"), b"a: \xe9t\xe9\n").unwrap();
    std::fs::write(
        d.join("long-line.yaml"),
        format!("a: {}\n", "x".repeat(2_000_000)),
    )
    .unwrap();
    let start = std::time::Instant::now();
    let (code, v) = json(&["scan", d.to_str().unwrap()]);
    assert_eq!(code, 2, "unreadable input makes the scan incomplete");
    let diag_paths: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["level"] == "error")
        .map(|x| {
            x["path"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    for f in ["deep.yaml", "bomb.yaml", "unterminated.hcl", "latin1.yaml"] {
        assert!(
            diag_paths.iter().any(|p| p == f),
            "{f} must have an error diagnostic: {diag_paths:?}"
        );
    }
    assert!(
        start.elapsed().as_secs() < 60,
        "hostile input took {:?}",
        start.elapsed()
    );
}

#[test]
fn rules_and_explain() {
    let out = sealant(&["rules"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for id in [
        "K8S001", "K8S002", "K8S003", "K8S004", "K8S006", "K8S007", "INJ001", "INJ002", "CSI001",
        "ESO001", "VSO001", "VSO002", "AGT001", "AGT002", "SRV001", "SRV008", "SRV009",
    ] {
        assert!(text.contains(id), "`sealant rules` lacks {id}");
    }
    let fam =
        String::from_utf8_lossy(&sealant(&["rules", "--family", "server"]).stdout).to_string();
    assert!(fam.contains("SRV001") && !fam.contains("K8S001"));
    let explain = sealant(&["explain", "K8S001"]);
    assert_eq!(explain.status.code(), Some(0));
    let e = String::from_utf8_lossy(&explain.stdout);
    assert!(
        e.contains("# K8S001")
            && e.contains("## Bad")
            && e.contains("## Good")
            && e.contains("## Remediation")
    );
    assert_eq!(sealant(&["explain", "NOPE01"]).status.code(), Some(2));
    let j: serde_json::Value =
        serde_json::from_slice(&sealant(&["rules", "--json"]).stdout).unwrap();
    assert!(j.as_array().unwrap().len() >= 17);
}

#[test]
fn rules_all_has_a_status_column() {
    let out = sealant(&["rules", "--all"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    assert!(lines.next().unwrap().contains("STATUS"));
    for line in lines {
        assert!(
            ["implemented", "deferred", "not yet implemented"]
                .iter()
                .any(|s| line.contains(s)),
            "no status in {line:?}"
        );
    }
    for id in ["K8S005", "INJ006", "ESO002", "VSO006", "XSR006"] {
        let row = text
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id} missing"));
        assert!(
            row.contains("implemented") && !row.contains("not yet"),
            "{row}"
        );
    }
    // Every rule listed by `sealant rules` is listed by `--all` too.
    let plain = String::from_utf8_lossy(&sealant(&["rules"]).stdout).to_string();
    assert!(plain.lines().count() <= text.lines().count());
}

#[test]
fn human_output_snapshot() {
    let out = sealant(&[
        "scan",
        "testdata/rules/K8S003/positive.yaml",
        "testdata/rules/SRV001/positive-configmap.yaml",
        "--no-config",
        "--color",
        "never",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    let text = regex::Regex::new(r"; [0-9]+\.[0-9]{2}s\n")
        .unwrap()
        .replace(&text, "; <elapsed>s\n");
    assert!(text.contains("; 0 incomplete inputs; <elapsed>s"), "{text}");
    insta::assert_snapshot!("human_output", text);
}

#[test]
fn sarif_output_snapshot() {
    let out = sealant(&[
        "scan",
        "testdata/rules/K8S001",
        "--no-config",
        "--format",
        "sarif",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    insta::assert_json_snapshot!("sarif_results", v["runs"][0]["results"]);
}

#[test]
fn examples_show_real_findings() {
    assert!(Path::new("examples").is_dir());
    let (code, v) = json(&["scan", "examples"]);
    assert_eq!(code, 1);
    assert!(v["findings"].as_array().unwrap().len() >= 4);
}

fn active_and_baselined(v: &serde_json::Value) -> (Vec<(String, u64)>, usize) {
    let baselined = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppressed"]["kind"] == "baseline")
        .count();
    (rule_lines(v), baselined)
}

#[test]
fn baseline_survives_line_shifts_and_unrelated_edits_but_not_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app.yaml");
    let script = dir.path().join("bootstrap.sh");
    let base = dir.path().join("sealant-baseline.json");
    std::fs::copy("testdata/rules/K8S003/positive.yaml", &app).unwrap();
    std::fs::copy("examples/scripts/bootstrap.sh", &script).unwrap();
    let root = dir.path().to_str().unwrap();
    let (code, before) = json(&["scan", root]);
    assert_eq!(code, 1);
    let total = before["findings"].as_array().unwrap().len();
    assert!(total >= 5, "{before}");

    let out = sealant(&[
        "scan",
        root,
        "--no-config",
        "--write-baseline",
        base.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "writing a baseline accepts it");
    let b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&base).unwrap()).unwrap();
    assert_eq!(b["version"], 1);
    let entries = b["fingerprints"].as_array().unwrap();
    assert_eq!(entries.len(), total);
    assert!(entries
        .iter()
        .all(|e| e["rule"].is_string() && e["path"].is_string() && e["message"].is_string()));

    // Shift every line and edit lines around the findings.
    let yaml = std::fs::read_to_string(&app).unwrap();
    let yaml = format!("# moved down\n# and again\n{}", yaml)
        .replace("image: example/app:1", "image: example/app:2")
        .replace("namespace: prod", "namespace: prod\n  labels: {team: a}");
    std::fs::write(&app, yaml).unwrap();
    let sh = std::fs::read_to_string(&script).unwrap();
    std::fs::write(&script, format!("#!/bin/sh\n# header\nset -eu\n\n{sh}")).unwrap();
    let (code, v) = json(&["scan", root, "--baseline", base.to_str().unwrap()]);
    let (active, baselined) = active_and_baselined(&v);
    assert_eq!(code, 0, "{active:?}");
    assert_eq!(baselined, total);

    // SARIF keeps them, as external suppressions.
    let out = sealant(&[
        "scan",
        root,
        "--no-config",
        "--baseline",
        base.to_str().unwrap(),
        "--format",
        "sarif",
    ]);
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = s["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), total);
    assert!(results
        .iter()
        .all(|r| r["suppressions"][0]["kind"] == "external"));

    // A new finding (a second copy of a known one included) still fails.
    let yaml = std::fs::read_to_string(&app).unwrap();
    std::fs::write(
        &app,
        format!("{yaml}        - name: new\n          image: x\n          env:\n            - name: VAULT_ADDR\n              value: http://vault.vault.svc:8200\n"),
    )
    .unwrap();
    std::fs::write(
        &script,
        format!(
            "{}\ncurl -k https://vault:8200/v1/sys/health\n",
            std::fs::read_to_string(&script).unwrap()
        ),
    )
    .unwrap();
    let (code, v) = json(&["scan", root, "--baseline", base.to_str().unwrap()]);
    let (active, baselined) = active_and_baselined(&v);
    assert_eq!(code, 1);
    assert_eq!(baselined, total);
    assert_eq!(active.len(), 2, "{active:?}");
    assert!(active.iter().any(|(r, _)| r == "K8S003"), "{active:?}");

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"version\": 9, \"fingerprints\": []}").unwrap();
    assert_eq!(
        sealant(&["scan", root, "--baseline", bad.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn init_writes_a_starter_the_scanner_loads_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join(".sealant.yaml");
    let c = cfg.to_str().unwrap();
    assert_eq!(sealant(&["init", c]).status.code(), Some(0));
    let text = std::fs::read_to_string(&cfg).unwrap();
    assert!(text.contains("# sealant configuration"));
    std::fs::write(&cfg, "fail_on: high\n").unwrap();
    assert_eq!(sealant(&["init", c]).status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&cfg).unwrap(), "fail_on: high\n");
    assert_eq!(sealant(&["init", c, "--force"]).status.code(), Some(0));
    std::fs::copy(
        "testdata/rules/K8S003/positive.yaml",
        dir.path().join("p.yaml"),
    )
    .unwrap();
    let out = sealant(&["scan", dir.path().to_str().unwrap(), "--config", c]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the starter loads and gates at low"
    );
}

#[test]
fn markdown_report_counts_links_and_incomplete_inputs() {
    let out = sealant(&[
        "scan",
        "testdata/rules/K8S003/positive.yaml",
        "testdata/inputs/broken/bad.yaml",
        "--no-config",
        "--format",
        "markdown",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.starts_with("## sealant\n"), "{md}");
    assert!(md.contains("| high | "), "{md}");
    assert!(
        md.contains(
            "[testdata/rules/K8S003/positive.yaml:14](testdata/rules/K8S003/positive.yaml#L14)"
        ),
        "{md}"
    );
    assert!(md.contains("### Incomplete inputs"), "{md}");
    assert!(md.contains("`testdata/inputs/broken/bad.yaml:"), "{md}");
}

#[test]
fn context_root_lets_cross_file_rules_see_unnamed_files_but_reports_only_named_ones() {
    let named = "testdata/rules/K8S003/kustomize/base/deployment.yaml";
    let (code, alone) = json(&["scan", named]);
    assert_eq!(code, 0, "alone, the ConfigMap is unknown: {alone}");
    let (code, v) = json(&[
        "scan",
        named,
        "--context-root",
        "testdata/rules/K8S003/kustomize",
    ]);
    assert_eq!(code, 1);
    let found: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_owned(),
                f["location"]["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("K8S003".to_owned(), named.to_owned())],
        "the ConfigMap's own K8S007 is context only"
    );
}

/// The benchmark floors (`--parse-only`, hidden) read and parse what a scan reads, and
/// `--keep-trees` only changes what is held, never what is counted.
#[test]
fn parse_only_floors_count_what_a_scan_reads() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let inputs = [
        ("ok.yaml", "apiVersion: v1\nkind: ConfigMap\n"),
        ("broken.yaml", "a: [1, 2\n"),
        (
            "policy.hcl",
            "path \"secret/*\" { capabilities = [\"read\"] }\n",
        ),
        ("run.sh", "vault kv get secret/x\n"),
    ];
    for (name, text) in inputs {
        std::fs::write(d.join(name), text).unwrap();
    }
    std::fs::write(d.join("notes.txt"), "not an input\n").unwrap();
    let root = d.to_str().unwrap();
    let bytes: usize = inputs.iter().map(|(_, t)| t.len()).sum();
    let (_, report) = json(&["scan", root]);
    assert_eq!(
        report["summary"]["files_scanned"], 4,
        "the scan reads the four inputs"
    );
    let expected = format!("parse-only: 4 files, {bytes} bytes, 1 failed\n");
    for extra in [&[][..], &["--keep-trees"][..]] {
        let mut args = vec!["scan", root, "--no-config", "--parse-only"];
        args.extend(extra);
        let out = sealant(&args);
        assert_eq!(out.status.code(), Some(0), "{extra:?}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), expected, "{extra:?}");
    }
    let out = sealant(&["scan", root, "--no-config", "--keep-trees"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "--keep-trees alone is a usage error"
    );
}
