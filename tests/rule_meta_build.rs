//! `build.rs` compiles `rules/<ID>.toml` into Rust values. These tests check that the values
//! the binary holds are the files' values, and that a malformed file is refused with a
//! message that names the file and the field.

#[path = "../build/rule_meta.rs"]
mod rule_meta;

use sealant::rules::meta;
use toml::{Table, Value};

fn table(text: &str) -> Table {
    text.parse().unwrap()
}

const MINIMAL: &str = r#"
id = "XYZ001"
slug = "s"
family = "f"
severity = "high"
title = "t"
why = "w"
remediation = "r"
"#;

#[test]
fn compiled_metadata_equals_every_rule_file() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        files += 1;
        let t = table(&std::fs::read_to_string(&path).unwrap());
        let id = t["id"].as_str().unwrap();
        let m = meta::get(id).unwrap_or_else(|| panic!("{id} is not compiled in"));
        let s = |k: &str| t.get(k).and_then(Value::as_str).map(str::to_owned);
        let list = |k: &str| -> Vec<String> {
            t.get(k)
                .and_then(Value::as_array)
                .map(|a| a.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
                .unwrap_or_default()
        };
        let example = |k: &str| {
            t.get("examples")
                .and_then(|e| e.get(k))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        assert_eq!(Some(&m.id), s("id").as_ref());
        assert_eq!(Some(&m.slug), s("slug").as_ref());
        assert_eq!(Some(&m.family), s("family").as_ref());
        assert_eq!(Some(m.severity.as_str().to_owned()), s("severity"));
        assert_eq!(m.severity_note, s("severity_note"));
        assert_eq!(Some(&m.title), s("title").as_ref());
        assert_eq!(Some(&m.why), s("why").as_ref(), "{id} why");
        assert_eq!(Some(&m.remediation), s("remediation").as_ref());
        assert_eq!(m.references, list("references"));
        assert_eq!(m.tags, list("tags"));
        assert_eq!(m.examples.bad, example("bad"), "{id} bad example");
        assert_eq!(m.examples.good, example("good"), "{id} good example");
        assert_eq!(m.status, s("status"));
    }
    assert_eq!(files, meta::all().len());
    assert!(meta::all().windows(2).all(|w| w[0].id < w[1].id));
}

#[test]
fn a_minimal_file_gives_defaults_for_the_optional_fields() {
    let code = rule_meta::rule_meta("XYZ001", &table(MINIMAL)).unwrap();
    assert!(code.contains(r#"id: "XYZ001".into(),"#), "{code}");
    assert!(code.contains("severity: Severity::High,"), "{code}");
    assert!(code.contains("severity_note: None,"), "{code}");
    assert!(code.contains("references: vec![],"), "{code}");
    assert!(code.contains("examples: Examples::default(),"), "{code}");
}

#[test]
fn quotes_and_newlines_are_escaped_into_valid_literals() {
    let text = format!("{MINIMAL}tags = [\"a\\\"b\", \"c\\nd\"]\n");
    let code = rule_meta::rule_meta("XYZ001", &table(&text)).unwrap();
    assert!(
        code.contains(r#"tags: vec!["a\"b".into(), "c\nd".into()],"#),
        "{code}"
    );
}

#[test]
fn malformed_files_are_refused_with_the_file_and_field() {
    let refused = |text: String, id: &str, want: &str| {
        let err = rule_meta::rule_meta(id, &table(&text)).unwrap_err();
        assert!(err.contains(want), "{err:?} should mention {want:?}");
        assert!(err.contains(&format!("rules/{id}.toml")), "{err:?}");
    };
    refused(
        format!("{MINIMAL}colour = \"red\"\n"),
        "XYZ001",
        "unknown field `colour`",
    );
    refused(
        MINIMAL.replace("why = \"w\"\n", ""),
        "XYZ001",
        "missing field `why`",
    );
    refused(
        MINIMAL.replace("\"high\"", "\"severe\""),
        "XYZ001",
        "unknown severity",
    );
    refused(MINIMAL.to_string(), "XYZ002", "has id");
    refused(
        MINIMAL.replace("title = \"t\"", "title = 3"),
        "XYZ001",
        "`title` is not a string",
    );
    refused(
        format!("{MINIMAL}tags = [\"a\", 1]\n"),
        "XYZ001",
        "`tags` is not a string",
    );
    refused(
        format!("{MINIMAL}tags = \"a\"\n"),
        "XYZ001",
        "`tags` is not a list",
    );
    refused(
        format!("{MINIMAL}[examples]\nugly = \"x\"\n"),
        "XYZ001",
        "unknown field `examples.ugly`",
    );
    refused(
        format!("{MINIMAL}[examples]\nbad = 1\n"),
        "XYZ001",
        "`examples.bad` is not a string",
    );
}
