//! One harness for every rule's fixtures: each `testdata/rules/<ID>/` directory is scanned as
//! one scan set (so cross-file resolution works), and the multiset of (file, line, rule) of
//! every unsuppressed finding must equal the `expect: <ID>[, <ID>…]` markers in its files —
//! exactly, for every rule, so a fixture also proves no other rule fires there. The exact
//! columns, end positions and severities are pinned by an insta snapshot per directory.

use sealant::engine::config::Config;
use sealant::engine::scan::{self, ScanOptions};
use std::path::{Path, PathBuf};

fn markers(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(at) = line.find("expect:") else {
            continue;
        };
        let before = &line[..at];
        if !(before.trim_end().ends_with('#') || before.trim_end().ends_with("//")) {
            continue;
        }
        for id in line[at + "expect:".len()..]
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            out.push((
                i as u32 + 1,
                id.chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect::<String>(),
            ));
        }
    }
    out
}

/// Rules whose fixtures are not static scan inputs: audit-log rules run in `sealant audit`
/// (tests/audit.rs replays `testdata/rules/AUD*/`), and LKS001 judges only Pods the `--kube`
/// collector read (tests/live_kube.rs serves the worlds in `testdata/rules/LKS001/`).
fn judged_elsewhere(id: &str) -> bool {
    id == "LKS001" || sealant::audit::RULE_IDS.contains(&id)
}

fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("testdata/rules")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .filter(|p| !judged_elsewhere(&p.file_name().unwrap().to_string_lossy()))
        .collect();
    dirs.sort();
    dirs
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn scan_dir(dir: &Path) -> scan::ScanResult {
    let options_file = dir.join("sealant-test.yaml");
    let config = if options_file.exists() {
        Config::load(&options_file).unwrap()
    } else {
        Config::default()
    };
    let helm_values = std::fs::read_to_string(dir.join("helm-values.txt"))
        .map(|t| {
            t.lines()
                .map(|l| format!("{}/{}", dir.display(), l.trim()))
                .collect()
        })
        .unwrap_or_default();
    scan::run(&ScanOptions {
        roots: vec![dir.to_path_buf()],
        namespace: String::new(),
        config,
        helm_values,
        live: live_vault(dir),
        ..Default::default()
    })
}

/// Recorded Vault API responses (`live-vault*.json`, one server each) fed through the
/// collector's renderer, as a `--vault` scan would: live rules get fixtures too. Their
/// findings point at `vault://…` files, listed in `expect.txt` by full path.
fn live_vault(dir: &Path) -> sealant::live::LiveInput {
    use sealant::live::vault::render::{render, VaultSnapshot};
    let mut input = sealant::live::LiveInput::default();
    for f in files_under(dir) {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        if !(name.starts_with("live-vault") && name.ends_with(".json")) {
            continue;
        }
        let snap: VaultSnapshot =
            serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let (files, state) = render(&snap);
        input.files.extend(files);
        input.facts.vault.push(state);
    }
    input
}

#[test]
fn every_fixture_directory_matches_its_markers_exactly() {
    std::env::set_var("SEALANT_TODAY", "2026-06-01");
    let mut failures = Vec::new();
    for dir in fixture_dirs() {
        let result = scan_dir(&dir);
        let mut expected: Vec<(String, u32, String)> = Vec::new();
        // Formats without comments (JSON) list expectations in `expect.txt`: `FILE:LINE RULE`.
        if let Ok(list) = std::fs::read_to_string(dir.join("expect.txt")) {
            for line in list
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
            {
                let (place, rule) = line.split_once(' ').expect("FILE:LINE RULE");
                let (file, n) = place.rsplit_once(':').expect("FILE:LINE");
                let file = if file.contains("://") {
                    file.to_owned()
                } else {
                    format!("{}/{file}", dir.display())
                };
                expected.push((file, n.parse().unwrap(), rule.trim().to_owned()));
            }
        }
        for file in files_under(&dir) {
            if file.file_name().is_some_and(|n| n == "expect.txt") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let display = file.to_string_lossy().replace('\\', "/");
            expected.extend(
                markers(&text)
                    .into_iter()
                    .map(|(l, id)| (display.clone(), l, id)),
            );
        }
        let mut actual: Vec<(String, u32, String)> = result
            .findings
            .iter()
            .filter(|f| f.suppression.is_none())
            .map(|f| {
                (
                    f.location.path.to_string(),
                    f.location.span.start.line,
                    f.rule_id.to_owned(),
                )
            })
            .collect();
        expected.sort();
        actual.sort();
        if expected != actual {
            let missing: Vec<_> = expected.iter().filter(|e| !actual.contains(e)).collect();
            let extra: Vec<_> = actual.iter().filter(|a| !expected.contains(a)).collect();
            failures.push(format!(
                "{}:\n  missing: {missing:?}\n  unexpected: {extra:?}",
                dir.display()
            ));
        }
        // Parse errors in fixtures are bugs unless the fixture is about them.
        let errors: Vec<_> = result
            .diagnostics
            .iter()
            .filter(|d| d.level == sealant::diagnostic::Level::Error)
            .collect();
        if !errors.is_empty() && !dir.join("expect-errors").exists() {
            failures.push(format!(
                "{}: unexpected input errors: {:?}",
                dir.display(),
                errors.iter().map(|d| &d.message).collect::<Vec<_>>()
            ));
        }
        let mut snap = String::new();
        for f in &result.findings {
            let s = f.location.span;
            snap.push_str(&format!(
                "{} {}:{}:{}-{}:{} {}{}\n",
                f.rule_id,
                f.location.path.rsplit('/').next().unwrap(),
                s.start.line,
                s.start.col,
                s.end.line,
                s.end.col,
                f.severity,
                if f.suppression.is_some() {
                    " (suppressed)"
                } else {
                    ""
                }
            ));
        }
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        insta::with_settings!({snapshot_suffix => name.clone(), prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!("fixture", snap);
        });
    }
    assert!(
        failures.is_empty(),
        "fixture mismatches:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_fixtures_docs_and_an_implementation() {
    let implemented: Vec<&str> = sealant::rules::all().iter().map(|r| r.id()).collect();
    let mut problems = Vec::new();
    for meta in sealant::rules::meta::all() {
        if meta.status.as_deref() == Some("deferred") {
            continue;
        }
        if judged_elsewhere(&meta.id) {
            continue;
        }
        let dir = Path::new("testdata/rules").join(&meta.id);
        let names: Vec<String> = if dir.is_dir() {
            files_under(&dir)
                .iter()
                .map(|p| p.to_string_lossy().to_lowercase())
                .collect()
        } else {
            Vec::new()
        };
        if !names.iter().any(|n| n.contains("pos") || n.contains("bad")) {
            problems.push(format!("{} has no positive fixture", meta.id));
        }
        if !names
            .iter()
            .any(|n| n.contains("neg") || n.contains("good"))
        {
            problems.push(format!("{} has no negative fixture", meta.id));
        }
        if !implemented.contains(&meta.id.as_str()) {
            problems.push(format!("{} has metadata but no implementation", meta.id));
        }
    }
    for id in implemented
        .into_iter()
        .chain(sealant::audit::RULE_IDS.iter().copied())
    {
        if sealant::rules::meta::get(id).is_none() {
            problems.push(format!("{id} is implemented but has no rules/{id}.toml"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn rule_docs_are_generated_and_fresh() {
    let update = std::env::var_os("SEALANT_UPDATE_DOCS").is_some();
    let mut stale = Vec::new();
    for meta in sealant::rules::meta::all() {
        let path = Path::new("docs/rules").join(format!("{}.md", meta.id));
        let want = format!("<!-- generated from rules/{}.toml by `SEALANT_UPDATE_DOCS=1 cargo test`; do not edit -->\n{}", meta.id, sealant::cli::explain_text(meta));
        if std::fs::read_to_string(&path).ok().as_deref() != Some(want.as_str()) {
            if update {
                std::fs::create_dir_all("docs/rules").unwrap();
                std::fs::write(&path, want).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    let mut index = String::from("<!-- generated by `SEALANT_UPDATE_DOCS=1 cargo test`; do not edit -->\n| ID | severity | family | title |\n|---|---|---|---|\n");
    for m in sealant::rules::meta::all() {
        index.push_str(&format!(
            "| [{id}](docs/rules/{id}.md) | {} | {} | {} |\n",
            m.severity,
            m.family,
            m.title,
            id = m.id
        ));
    }
    let readme = std::fs::read_to_string("README.md").unwrap_or_default();
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    if let (Some(a), Some(b)) = (readme.find(start), readme.find(end)) {
        let current = &readme[a + start.len()..b];
        if current != index {
            if update {
                let new = format!("{}{}{}", &readme[..a + start.len()], index, &readme[b..]);
                std::fs::write("README.md", new).unwrap();
            } else {
                stale.push("README.md rule table".into());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated docs (run `SEALANT_UPDATE_DOCS=1 cargo test`): {stale:?}"
    );
}
