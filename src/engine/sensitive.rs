//! What output may quote of a file: its text with every secret value masked. The spans of
//! secret values come from the model (Secret data, secret-named env values and ConfigMap keys,
//! secret-named keys in values files and CI); `report::mask` masks the rest by shape.

use crate::engine::scan::ScanResult;
use crate::model::file::ParsedFile;
use crate::model::inventory::Inventory;
use crate::syntax::yaml::Node;
use rayon::prelude::*;

/// Masked texts of the files reports will quote.
pub fn masked_sources(
    inv: &Inventory,
    result: &ScanResult,
) -> std::collections::BTreeMap<String, String> {
    let wanted: std::collections::HashSet<&str> = result
        .findings
        .iter()
        .flat_map(|f| {
            std::iter::once(&*f.location.path).chain(f.related.iter().map(|r| &*r.location.path))
        })
        .chain(
            result
                .diagnostics
                .iter()
                .filter(|d| d.span.is_some())
                .map(|d| &*d.path),
        )
        .collect();
    inv.files
        .par_iter()
        .filter(|f| wanted.contains(&*f.path))
        .map(|f| {
            (
                f.path.to_string(),
                crate::report::mask::mask_text(&f.text, &sensitive_spans(f)),
            )
        })
        .collect()
}

/// Value spans that hold secrets: Kubernetes Secret data, and secret-named env values and
/// ConfigMap keys.
pub(crate) fn sensitive_spans(file: &ParsedFile) -> Vec<crate::location::Span> {
    use crate::report::mask::is_secret_name;
    let mut out = Vec::new();
    for o in &file.objects {
        if o.kind == "Secret" {
            for section in ["data", "stringData"] {
                out.extend(
                    o.root()
                        .get(section)
                        .into_iter()
                        .flat_map(Node::entries)
                        .map(|(_, e)| e.value.span),
                );
            }
        }
        if o.kind == "ConfigMap" {
            out.extend(
                o.get(&["data"])
                    .into_iter()
                    .flat_map(Node::entries)
                    .filter(|(k, _)| is_secret_name(k))
                    .map(|(_, e)| e.value.span),
            );
        }
        if let Some(w) = o.workload() {
            for c in w.containers() {
                for e in c.node.get("env").map(Node::items).unwrap_or(&[]) {
                    if e.get("name")
                        .and_then(Node::as_str)
                        .is_some_and(is_secret_name)
                    {
                        out.extend(e.get("value").map(|v| v.span));
                    }
                }
            }
        }
    }
    for d in &file.documents {
        collect_secret_named(&d.root, &mut out);
    }
    out
}

/// Secret-named keys anywhere in a non-object document (values files, compose, CI).
fn collect_secret_named(node: &Node, out: &mut Vec<crate::location::Span>) {
    use crate::report::mask::is_secret_name;
    match &node.value {
        crate::syntax::yaml::Value::Map(entries) => {
            for e in entries {
                if e.value.as_scalar().is_some() && e.key.as_str().is_some_and(is_secret_name) {
                    out.push(e.value.span);
                } else {
                    collect_secret_named(&e.value, out);
                }
            }
        }
        crate::syntax::yaml::Value::Seq(items) => {
            items.iter().for_each(|i| collect_secret_named(i, out))
        }
        crate::syntax::yaml::Value::Scalar(_) => {}
    }
}
