//! HCL inside YAML strings: the input becomes the value of a ConfigMap `agent.hcl` key, as a
//! literal block, a folded block, a double-quoted or a plain scalar, and the embedded HCL's
//! spans are mapped back into the YAML file. Every mapped span must land inside the YAML text,
//! and for a literal block inside the block's lines, at the attribute's key itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealant::model::file::load_text;
use sealant::source::classify::Format;
use sealant_fuzz::{assert_file_spans, split};

fuzz_target!(|data: &[u8]| {
    let Some((sel, hcl)) = split(data) else {
        return;
    };
    let head = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: agent\ndata:\n";
    let value = match sel % 4 {
        0 => {
            let body: String = hcl.lines().map(|l| format!("    {l}\n")).collect();
            format!("  agent.hcl: |\n{body}")
        }
        1 => {
            let body: String = hcl.lines().map(|l| format!("    {l}\n")).collect();
            format!("  agent.hcl: >\n{body}")
        }
        2 => {
            let quoted: String = hcl
                .chars()
                .flat_map(|c| match c {
                    '"' => vec!['\\', '"'],
                    '\\' => vec!['\\', '\\'],
                    '\n' => vec!['\\', 'n'],
                    c if c.is_control() => vec![' '],
                    c => vec![c],
                })
                .collect();
            format!("  agent.hcl: \"{quoted}\"\n")
        }
        _ => format!("  agent.hcl: {}\n", hcl.replace(['\n', '\r'], " ")),
    };
    let text = format!("{head}{value}");
    let file = load_text("cm.yaml", text, Some(Format::Yaml));
    assert_file_spans(&file);
    let outer: Vec<&str> = file.text.split('\n').collect();
    let attrs = file.hcl.iter().flat_map(|doc| &doc.body.attrs);
    match sel % 4 {
        0 => {
            // Literal block: inner line k is outer line 6 + k.
            let last = 6 + hcl.lines().count().max(1) as u32;
            for a in attrs {
                assert!(
                    (6..=last).contains(&a.key_span.start.line),
                    "attribute {} mapped to line {} outside the block (6..={last})",
                    a.key,
                    a.key_span.start.line
                );
                // A literal block keeps every character of its lines, so the mapped position
                // is exact. A lone CR is a line break to YAML but not to the HCL inside, so
                // those inputs are not held to it.
                if !hcl.contains('\r') {
                    assert_at_key(&outer, a);
                }
            }
        }
        // A plain one-line scalar is its source text: positions shift by a column.
        3 => attrs.for_each(|a| assert_at_key(&outer, a)),
        _ => {}
    }
});

/// The attribute's mapped key position is where its key (or the quote of a quoted key)
/// starts in the YAML file.
fn assert_at_key(outer: &[&str], a: &sealant::syntax::hcl::Attr) {
    let at = a.key_span.start;
    let rest: String = outer[at.line as usize - 1]
        .chars()
        .skip(at.col as usize - 1)
        .collect();
    assert!(
        rest.starts_with(a.key.as_str()) || rest.starts_with('"'),
        "attribute {:?} mapped to {}:{}, where the line reads {rest:?}",
        a.key,
        at.line,
        at.col
    );
}
