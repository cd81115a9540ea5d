//! Turns one parsed `rules/<ID>.toml` into the Rust expression that builds its `RuleMeta`,
//! checking it as serde's `deny_unknown_fields` would. Shared by `build.rs` and the tests.

use toml::{Table, Value};

/// The keys a rule file may hold, and whether each is required.
const FIELDS: &[(&str, bool)] = &[
    ("id", true),
    ("slug", true),
    ("family", true),
    ("severity", true),
    ("severity_note", false),
    ("title", true),
    ("why", true),
    ("remediation", true),
    ("references", false),
    ("tags", false),
    ("examples", false),
    ("status", false),
];

/// `RuleMeta { … },` for rule `id` (the file's stem), or what is wrong with the file.
pub fn rule_meta(id: &str, t: &Table) -> Result<String, String> {
    let file = format!("rules/{id}.toml");
    if let Some(key) = t.keys().find(|k| !FIELDS.iter().any(|(f, _)| f == k)) {
        return Err(format!("{file}: unknown field `{key}`"));
    }
    if let Some((key, _)) = FIELDS.iter().find(|(k, req)| *req && !t.contains_key(*k)) {
        return Err(format!("{file}: missing field `{key}`"));
    }
    let literal = |key: &str, v: &Value| match v {
        Value::String(s) => Ok(format!("{s:?}.into()")),
        other => Err(format!("{file}: `{key}` is not a string: {other}")),
    };
    let string = |key: &str| literal(key, &t[key]);
    let optional = |key: &str| match t.get(key) {
        None => Ok("None".to_string()),
        Some(v) => literal(key, v).map(|s| format!("Some({s})")),
    };
    let list = |key: &str| match t.get(key) {
        None => Ok("vec![]".to_string()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| literal(key, v))
            .collect::<Result<Vec<_>, _>>()
            .map(|items| format!("vec![{}]", items.join(", "))),
        Some(other) => Err(format!("{file}: `{key}` is not a list: {other}")),
    };
    if t["id"].as_str() != Some(id) {
        return Err(format!("{file} has id {}", t["id"]));
    }
    let severity = match t["severity"].as_str() {
        Some("info") => "Info",
        Some("low") => "Low",
        Some("medium") => "Medium",
        Some("high") => "High",
        Some("critical") => "Critical",
        _ => return Err(format!("{file}: unknown severity {}", t["severity"])),
    };
    let examples = match t.get("examples") {
        None => "Examples::default()".to_string(),
        Some(Value::Table(e)) => {
            if let Some(key) = e.keys().find(|k| *k != "bad" && *k != "good") {
                return Err(format!("{file}: unknown field `examples.{key}`"));
            }
            let text = |key: &str| match e.get(key) {
                None => Ok("String::new()".to_string()),
                Some(v) => literal(&format!("examples.{key}"), v),
            };
            format!(
                "Examples {{ bad: {}, good: {} }}",
                text("bad")?,
                text("good")?
            )
        }
        Some(other) => return Err(format!("{file}: `examples` is not a table: {other}")),
    };
    let fields = [
        ("id", string("id")?),
        ("slug", string("slug")?),
        ("family", string("family")?),
        ("severity", format!("Severity::{severity}")),
        ("severity_note", optional("severity_note")?),
        ("title", string("title")?),
        ("why", string("why")?),
        ("remediation", string("remediation")?),
        ("references", list("references")?),
        ("tags", list("tags")?),
        ("examples", examples),
        ("status", optional("status")?),
    ];
    let mut out = String::from("        RuleMeta {\n");
    for (name, value) in fields {
        out.push_str(&format!("            {name}: {value},\n"));
    }
    out.push_str("        },\n");
    Ok(out)
}
