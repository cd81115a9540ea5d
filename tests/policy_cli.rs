//! `sealant policy capabilities` / `sealant policy explain` end to end: output formats,
//! the root policy, locations in explanations, and exit 2 on bad policy files.

use std::process::{Command, Output};

fn sealant(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sealant"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

struct Files(tempfile::TempDir);

impl Files {
    fn new(files: &[(&str, &str)]) -> Files {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        Files(dir)
    }
    fn path(&self, name: &str) -> String {
        self.0.path().join(name).display().to_string()
    }
}

const BASE: &str = "path \"secret/*\" {\n  capabilities = [\"deny\"]\n}\n\npath \"secret/data/app/*\" {\n  capabilities = [\"read\", \"list\"]\n}\n";
const EXTRA: &str = r#"{"path": {"secret/data/app/*": {"capabilities": ["update", "create"]}, "secret/metadata/app": {"policy": "read"}}}"#;

#[test]
fn one_path_prints_like_bao_token_capabilities() {
    let f = Files::new(&[("base.hcl", BASE), ("extra.json", EXTRA)]);
    let o = sealant(&[
        "policy",
        "capabilities",
        "--policy",
        &f.path("base.hcl"),
        "--policy",
        &f.path("extra.json"),
        "secret/data/app/x",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "create, list, read, update\n");
}

#[test]
fn several_paths_and_json() {
    let f = Files::new(&[("base.hcl", BASE), ("extra.json", EXTRA)]);
    let args = |json: bool| {
        let mut a = vec![
            "policy".to_owned(),
            "capabilities".into(),
            "--policy".into(),
            f.path("base.hcl"),
            "--policy".into(),
            f.path("extra.json"),
        ];
        if json {
            a.push("--json".into());
        }
        a.extend(["secret/data/app/x", "secret/metadata/app/", "secret/other"].map(String::from));
        a
    };
    let o = sealant(&args(false).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(
        stdout(&o),
        "secret/data/app/x: create, list, read, update\nsecret/metadata/app/: list, read\nsecret/other: deny\n"
    );
    let o = sealant(&args(true).iter().map(String::as_str).collect::<Vec<_>>());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "secret/data/app/x": ["create", "list", "read", "update"],
            "secret/metadata/app/": ["list", "read"],
            "secret/other": ["deny"],
        })
    );
}

#[test]
fn root_means_the_root_policy() {
    let o = sealant(&["policy", "capabilities", "--policy", "root", "sys/mounts"]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), "root\n".into()));
    let f = Files::new(&[("base.hcl", BASE)]);
    let o = sealant(&[
        "policy",
        "capabilities",
        "--policy",
        "root",
        "--policy",
        &f.path("base.hcl"),
        "x",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("along with root"));
}

#[test]
fn explain_names_the_governing_rules_and_the_losers() {
    let f = Files::new(&[("base.hcl", BASE), ("extra.json", EXTRA)]);
    let base = f.path("base.hcl");
    let o = sealant(&[
        "policy",
        "explain",
        "--policy",
        &base,
        "--policy",
        &f.path("extra.json"),
        "secret/data/app/x",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let s = stdout(&o);
    assert!(
        s.contains("capabilities: create, list, read, update"),
        "{s}"
    );
    assert!(
        s.contains(&format!("{base}:5:6: path \"secret/data/app/*\"")),
        "{s}"
    );
    assert!(
        s.contains("extra.json:1:11: path \"secret/data/app/*\""),
        "{s}"
    );
    assert!(s.contains(&format!("{base}:1:6: path \"secret/*\"")), "{s}");
    assert!(s.contains("only the longest matching prefix rule"), "{s}");
}

#[test]
fn explain_list_fallback() {
    let f = Files::new(&[("extra.json", EXTRA)]);
    let o = sealant(&[
        "policy",
        "explain",
        "--policy",
        &f.path("extra.json"),
        "secret/metadata/app/",
    ]);
    let s = stdout(&o);
    assert!(s.contains("list fallback"), "{s}");
    assert!(s.contains("(policy = \"read\")"), "{s}");
}

#[test]
fn bad_policy_files_exit_2_with_a_location() {
    let f = Files::new(&[
        ("typo.hcl", "path \"x\" {\n  capabilities = [\"reed\"]\n}\n"),
        ("broken.hcl", "path \"x\" {\n  capabilities = \n"),
    ]);
    for (file, needle) in [
        (
            "typo.hcl",
            "typo.hcl:2:19: invalid policy: path \"x\": invalid capability \"reed\"",
        ),
        ("broken.hcl", "broken.hcl:"),
        ("missing.hcl", "cannot read policy file"),
    ] {
        let o = sealant(&["policy", "capabilities", "--policy", &f.path(file), "x"]);
        assert_eq!(o.status.code(), Some(2), "{file}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(needle), "{file}: {err}");
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn the_stock_default_policy_is_available_by_name() {
    // Expected answers read from `bao token capabilities` for a token holding only `default`
    // on an OpenBao 2.7.2 dev server.
    for (path, want) in [
        ("auth/token/lookup-self", "read"),
        ("sys/capabilities-self", "update"),
        ("cubbyhole/x", "create, delete, list, read, update"),
        ("secret/data/x", "deny"),
        ("sys/leases/renew", "update"),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sealant"))
            .args(["policy", "capabilities", "--policy", "default", path])
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), want, "{path}");
    }
}

#[test]
fn explain_prints_json_for_tools() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.hcl");
    std::fs::write(&p, "path \"secret/*\" {\n  capabilities = [\"read\"]\n}\npath \"secret/data/x\" {\n  capabilities = [\"deny\"]\n}\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sealant"))
        .args([
            "policy",
            "explain",
            "--json",
            "--policy",
            p.to_str().unwrap(),
            "secret/data/x",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["capabilities"], serde_json::json!(["deny"]));
    assert!(v["governing"][0].as_str().unwrap().contains(":4:6:"));
    assert_eq!(v["also_matching"].as_array().unwrap().len(), 1);
}
