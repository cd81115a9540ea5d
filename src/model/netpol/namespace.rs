//! Which namespace an object lands in, and how sure we are (RULES-SPEC §0.5): the
//! kustomization's `namespace:`, else `metadata.namespace`, else the scan default
//! (`--namespace`, config `namespace:`, else `default`). Objects of a Helm chart's templates
//! land in the release namespace, which is not known offline: they share one *unknown*
//! namespace per chart (so a chart's own policies cover its own pods) and are never merged
//! with a named namespace. A placeholder (`${NS}`, `{{ .Values.ns }}`) is unknown too, and only
//! merges with the same placeholder in the same chart or directory.

use crate::model::file::ParsedFile;
use crate::model::k8s::K8sObject;
use crate::semantics::is_placeholder;
use crate::source::classify::YamlRole;
use crate::source::paths::parent;

/// A namespace as the aggregation key of the isolation model.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NsKey {
    /// A namespace name.
    Known(String),
    /// Not known offline; the scope string keeps unrelated unknowns apart
    /// (`release of chart charts/app`, `${NS} in deploy/`).
    Unknown(String),
}

impl NsKey {
    pub fn name(&self) -> Option<&str> {
        match self {
            NsKey::Known(n) => Some(n),
            NsKey::Unknown(_) => None,
        }
    }
}

impl std::fmt::Display for NsKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NsKey::Known(n) => f.write_str(n),
            NsKey::Unknown(scope) => write!(f, "<{scope}>"),
        }
    }
}

/// Where the namespace came from (said in messages and `netpol explain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NsOrigin {
    Kustomization,
    Metadata,
    /// The scan default (`--namespace`, config, else `default`).
    ScanDefault,
    /// A Helm template without a literal namespace: the release namespace.
    HelmRelease,
    /// A template action or placeholder.
    Placeholder,
}

impl NsOrigin {
    pub fn describe(self) -> &'static str {
        match self {
            NsOrigin::Kustomization => "from the kustomization",
            NsOrigin::Metadata => "from metadata.namespace",
            NsOrigin::ScanDefault => {
                "the scan's default namespace (--namespace / config `namespace`, else `default`)"
            }
            NsOrigin::HelmRelease => "the Helm release namespace, unknown offline",
            NsOrigin::Placeholder => "a placeholder, unknown offline",
        }
    }
}

/// The namespace of a namespaced object.
pub fn resolve(file: &ParsedFile, obj: &K8sObject, default_ns: &str) -> (NsKey, NsOrigin) {
    if file.yaml_role == Some(YamlRole::HelmTemplate) {
        // The written text matters only here (a template action the tree masked away).
        // Reading it needs the file's line index, which other files are spared building.
        let declared_text = obj
            .get(&["metadata", "namespace"])
            .map(|n| span_text(file, n.span));
        let chart = chart_root(&file.path);
        return match declared_text.map(str::trim) {
            Some(t) if t.is_empty() || t.contains(".Release.Namespace") => (
                NsKey::Unknown(format!("release namespace of chart {chart}")),
                NsOrigin::HelmRelease,
            ),
            Some(t) if t.contains("{{") || is_placeholder(t) => (
                NsKey::Unknown(format!("{t} in chart {chart}")),
                NsOrigin::Placeholder,
            ),
            Some(_) => (NsKey::Known(obj.namespace.clone()), NsOrigin::Metadata),
            None => (
                NsKey::Unknown(format!("release namespace of chart {chart}")),
                NsOrigin::HelmRelease,
            ),
        };
    }
    if is_placeholder(&obj.namespace) {
        return (
            NsKey::Unknown(format!("{} in {}", obj.namespace, parent(&file.path))),
            NsOrigin::Placeholder,
        );
    }
    let origin = match &obj.declared_namespace {
        Some(d) if *d == obj.namespace => NsOrigin::Metadata,
        None if obj.namespace == default_ns => NsOrigin::ScanDefault,
        _ => NsOrigin::Kustomization,
    };
    (NsKey::Known(obj.namespace.clone()), origin)
}

/// The chart directory of a template (`charts/app` for `charts/app/templates/x.yaml`).
fn chart_root(path: &str) -> &str {
    match path.rfind("/templates/") {
        Some(i) => &path[..i],
        None if path.starts_with("templates/") => ".",
        None => parent(path),
    }
}

/// The source text of a span in a file (single-line spans; multi-line gives the first line's
/// rest). Looks the line up in the file's line index: this runs for every namespaced object,
/// and walking from the top each time made a file of n objects cost n² lines.
pub fn span_text(file: &ParsedFile, span: crate::location::Span) -> &str {
    match file.line(span.start.line.saturating_sub(1) as usize) {
        Some(line) => cut_span(line, span),
        None => "",
    }
}

/// The part of `line` (the span's first line) a span covers, by columns in code points.
fn cut_span(line: &str, span: crate::location::Span) -> &str {
    let start: usize = line
        .char_indices()
        .nth(span.start.col.saturating_sub(1) as usize)
        .map_or(line.len(), |(i, _)| i);
    let end = if span.end.line == span.start.line {
        line.char_indices()
            .nth(span.end.col.saturating_sub(1) as usize)
            .map_or(line.len(), |(i, _)| i)
    } else {
        line.len()
    };
    line.get(start..end.max(start)).unwrap_or("")
}

/// True when the original text of a mapping entry (from its key to the next line at the
/// key's indentation or less) holds a Helm template action: the value was masked before
/// parsing, so what the tree shows (often nothing) is not what the chart renders.
pub fn templated(file: &ParsedFile, key: crate::location::Span) -> bool {
    if file.yaml_role != Some(YamlRole::HelmTemplate) {
        return false;
    }
    let indent = key.start.col.saturating_sub(1) as usize;
    // From the key's line on, through the file's line index: this runs for many keys of
    // every object of a template, and skipping from the top each time was quadratic.
    let mut lines = file.lines_from(key.start.line.saturating_sub(1) as usize);
    let Some(first) = lines.next() else {
        return false;
    };
    if first
        .chars()
        .skip(indent)
        .collect::<String>()
        .contains("{{")
    {
        return true;
    }
    for line in lines {
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            continue;
        }
        let own = line.len() - trimmed.len();
        let inside = own > indent || own == indent && trimmed.starts_with('-');
        if trimmed.starts_with("{{") && !inside {
            // An action at the key's level or left of it: control flow around the entry
            // (`{{- if }}`, `{{- end }}`) ends it; content it emits there is its value.
            return ["include", "toYaml", "tpl", "template"]
                .iter()
                .any(|w| trimmed.contains(w));
        }
        if !inside {
            return false;
        }
        if trimmed.contains("{{") {
            return true;
        }
    }
    false
}

/// True when the object's file is a Helm template.
pub fn in_template(file: &ParsedFile) -> bool {
    file.yaml_role == Some(YamlRole::HelmTemplate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::{Pos, Span};

    /// The text the old lookup found, walking the lines from the top for every span.
    fn walked(text: &str, span: Span) -> &str {
        let Some(line) = text.lines().nth(span.start.line.saturating_sub(1) as usize) else {
            return "";
        };
        cut_span(line, span)
    }

    fn file(text: &str) -> ParsedFile {
        let mut f = ParsedFile::default();
        f.text = text.to_owned();
        f.yaml_role = Some(YamlRole::HelmTemplate);
        f
    }

    /// The indexed lookup quotes what walking from the top quoted, for spans on every line,
    /// line 0, lines past the end, columns past a line's end and multi-line spans, in CRLF,
    /// BOM and no-final-newline texts.
    #[test]
    fn span_text_matches_walking_the_lines() {
        let texts = [
            "metadata:\n  namespace: prod\n",
            "\u{feff}metadata:\r\n  namespace: stagé\r\n  name: x",
            "a: 1\n\n  namespace: \"{{ .Release.Namespace }}\"",
            "",
        ];
        for text in texts {
            let f = file(text);
            for line in 0..7 {
                for (sc, ec, el) in [(1, 1, 0), (3, 14, 0), (14, 99, 0), (1, 5, 1), (40, 2, 0)] {
                    let span = Span::new(Pos::new(line, sc), Pos::new(line + el, ec));
                    assert_eq!(span_text(&f, span), walked(text, span), "{text:?} {span:?}");
                }
            }
        }
    }

    /// `templated` reads the entry's lines from its key on, however far into the file.
    #[test]
    fn templated_reads_from_the_key_line() {
        let text = "a:\n  b: 1\nspec:\r\n  x:\r\n    {{- toYaml .Values.x }}\r\n  y: 2\n";
        let f = file(text);
        let key = |line, col| Span::new(Pos::new(line, col), Pos::new(line, col + 1));
        assert!(templated(&f, key(4, 3)));
        assert!(!templated(&f, key(6, 3)));
        assert!(!templated(&f, key(1, 1)));
        assert!(!templated(&f, key(9, 1)));
    }
}
