//! The catalog is the product's promise: every rule in RULES-SPEC's index has metadata and is
//! either implemented or deferred in writing (`status = "deferred"` with the reason), so no
//! rule goes missing silently.

use std::collections::HashSet;

fn implemented() -> HashSet<&'static str> {
    sealant::rules::all()
        .iter()
        .map(|r| r.id())
        .chain(sealant::audit::RULE_IDS.iter().copied())
        .collect()
}

#[test]
fn every_indexed_rule_is_implemented_or_deferred_with_a_reason() {
    let index = std::fs::read_to_string("testdata/rules-index.txt").unwrap();
    let implemented = implemented();
    let mut problems = Vec::new();
    for id in index.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some(meta) = sealant::rules::meta::get(id) else {
            problems.push(format!("{id}: no rules/{id}.toml"));
            continue;
        };
        let deferred = meta.status.as_deref() == Some("deferred");
        match (implemented.contains(id), deferred) {
            (true, true) => problems.push(format!("{id}: implemented but marked deferred")),
            (false, false) => problems.push(format!("{id}: neither implemented nor deferred")),
            (false, true) if meta.why.trim().is_empty() => {
                problems.push(format!("{id}: deferred without a reason"))
            }
            _ => {}
        }
    }
    assert!(
        problems.is_empty(),
        "catalog gaps:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_rule_with_metadata_is_in_the_index() {
    let index: HashSet<String> = std::fs::read_to_string("testdata/rules-index.txt")
        .unwrap()
        .lines()
        .map(|l| l.trim().to_owned())
        .collect();
    for m in sealant::rules::meta::all() {
        assert!(
            index.contains(&m.id),
            "{} is not in RULES-SPEC's index",
            m.id
        );
    }
}
