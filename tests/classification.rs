//! Misclassification is a bug: every input kind, and the confusable ones (a plain manifest
//! under `templates/`, JSON manifests vs JSON policies vs package.json, an agent config with a
//! listener vs a server fragment, a non-Vault HCL file, a Python script with a shebang), is
//! read as what it is. `testdata/classify/kinds.txt` lists the expected kinds.

use sealant::model::file::{load_path, Loaded};
use std::path::Path;

#[test]
fn every_fixture_is_read_as_its_kind() {
    let root = Path::new("testdata/classify");
    let expectations = std::fs::read_to_string(root.join("kinds.txt")).unwrap();
    let mut wrong = Vec::new();
    for line in expectations
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (path, kinds) = line.split_once(' ').unwrap();
        let full = root.join(path);
        assert!(full.exists(), "{path} is missing");
        let got = match load_path(&full, path, false) {
            Loaded::File(f) => f.kinds().join(" "),
            Loaded::Skipped(_) => "-".to_owned(),
        };
        if got != kinds.trim() {
            wrong.push(format!("{path}: expected `{}`, got `{got}`", kinds.trim()));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
