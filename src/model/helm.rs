//! Helm values files of the vault, openbao and vault-secrets-operator charts (RULES-SPEC §0.7,
//! §1(b)): which values file belongs to which chart, what the chart would render from it
//! (defaults deep-merged with the file), and where a finding about a value belongs — on the
//! file's own line when the file sets it, else at the place §0.7 prescribes for defaults.
//!
//! Values files are tied to a chart, in this order: `--helm-values FILE[=CHART]` (comma-joined
//! files are one release, merged in order); beside a `Chart.yaml` that is the chart itself or
//! an umbrella depending on it (subchart values under the dependency's alias or name, plus
//! the umbrella's top-level `global:`, which Helm gives every subchart and which wins over the
//! subchart's own `global`); or by content.

use crate::diagnostic::{Diagnostic, Level};
use crate::location::{Location, Span};
use crate::model::file::{self, ParsedFile};
use crate::model::helm_defaults;
use crate::model::vault_hcl::{HclDoc, HclKind};
use crate::source::classify::YamlRole;
use crate::source::paths::{normalize, parent};
use crate::syntax::hcl;
use crate::syntax::mapping::EmbeddedMap;
use crate::syntax::yaml::{self, Entry, Node, Typed, Value};
use std::collections::HashSet;

/// The charts whose values sealant understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    Vault,
    /// openbao/openbao-helm: a fork of vault-helm with the same value layout.
    OpenBao,
    Vso,
}

impl Chart {
    /// The chart for a chart or dependency name (`vault`, `hashicorp/vault`, …).
    pub fn from_name(name: &str) -> Option<Chart> {
        match name
            .rsplit('/')
            .next()?
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "vault" => Some(Chart::Vault),
            "openbao" => Some(Chart::OpenBao),
            "vault-secrets-operator" => Some(Chart::Vso),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Chart::Vault => "vault",
            Chart::OpenBao => "openbao",
            Chart::Vso => "vault-secrets-operator",
        }
    }
    /// True for the charts that deploy a Vault/OpenBao server and injector.
    pub fn is_server_chart(self) -> bool {
        matches!(self, Chart::Vault | Chart::OpenBao)
    }
}

/// How a values file was tied to its chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Association {
    /// Beside the chart's own `Chart.yaml`.
    ChartItself,
    /// Beside an umbrella `Chart.yaml`; the subchart's values are under `key`.
    Umbrella { key: String },
    /// Named with `--helm-values`.
    Flag,
    /// Recognised by its keys.
    Content,
}

/// One values document of a release: file index and document index (`None` for a file with
/// no document, e.g. only comments: the chart then renders its defaults).
#[derive(Debug, Clone, Copy)]
pub struct Part {
    pub file: usize,
    pub doc: Option<usize>,
}

/// One `helm install`: a chart and its values files in `-f` order.
#[derive(Debug, Clone)]
pub struct Release {
    pub chart: Chart,
    pub association: Association,
    pub parts: Vec<Part>,
}

/// The vault chart's mode (`vault.mode` in `_helpers.tpl`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    External,
    Dev,
    Ha,
    Standalone,
    /// Server enabled but no mode selected: nothing is rendered.
    Unset,
}

/// The effective value of one path, and where to report about it.
#[derive(Debug, Clone)]
pub struct Lookup<'a> {
    /// The value (from the file, or the chart default); `None` when neither has it.
    pub node: Option<&'a Node>,
    /// True when a scanned values file sets the path.
    pub in_file: bool,
    /// The value's span when `in_file`, else the §0.7 default location.
    pub location: Location,
    /// The key's location when `in_file`.
    pub key: Option<Location>,
    /// The file the location is in.
    pub file: usize,
}

impl Lookup<'_> {
    pub fn from_default(&self) -> bool {
        !self.in_file
    }
    /// Go `text/template` truthiness (`{{ if .Values.x }}`).
    pub fn truthy(&self) -> bool {
        go_truthy(self.node)
    }
    /// `.Values.x | toString`.
    pub fn to_go_string(&self) -> String {
        go_to_string(self.node)
    }
}

/// Go template truthiness of a Helm value (RULES-SPEC §0.1 (3)): nil, false, 0, "" and empty
/// maps/lists are false; everything else — including the string "false" — is true.
pub fn go_truthy(node: Option<&Node>) -> bool {
    let Some(node) = node else { return false };
    match &node.value {
        Value::Map(m) => !m.is_empty(),
        Value::Seq(s) => !s.is_empty(),
        Value::Scalar(s) => match s.typed() {
            Typed::Null => false,
            Typed::Bool(b) => b,
            Typed::Int(i) => i != 0,
            Typed::Float(f) => f != 0.0,
            Typed::Str(t) => !t.is_empty(),
        },
    }
}

/// What `toString` gives for a Helm value (the chart's `eq (x | toString) "true"` switches).
pub fn go_to_string(node: Option<&Node>) -> String {
    let Some(node) = node else {
        return "<nil>".into();
    };
    match node.as_scalar().map(yaml::Scalar::typed) {
        Some(Typed::Null) => "<nil>".into(),
        Some(Typed::Bool(b)) => b.to_string(),
        Some(Typed::Int(i)) => i.to_string(),
        Some(Typed::Float(f)) => f.to_string(),
        Some(Typed::Str(s)) => s.to_owned(),
        None => "map".into(),
    }
}

/// A release's values over the scanned files.
pub struct Values<'a> {
    pub release: &'a Release,
    files: &'a [ParsedFile],
}

impl<'a> Values<'a> {
    pub fn new(release: &'a Release, files: &'a [ParsedFile]) -> Values<'a> {
        Values { release, files }
    }
    pub fn chart(&self) -> Chart {
        self.release.chart
    }
    fn root(&self, part: Part) -> Option<&'a Node> {
        let f = self.files.get(part.file)?;
        Some(&f.documents.get(part.doc?)?.root)
    }
    /// Where a path is looked up inside one part, highest precedence first, with the
    /// location of the base (the subchart key) when it is one.
    fn bases(&self, part: Part, keys: &[&str]) -> Vec<(&'a Node, Option<Span>)> {
        let Some(root) = self.root(part) else {
            return Vec::new();
        };
        match &self.release.association {
            Association::Umbrella { key } => {
                let mut out = Vec::new();
                if keys.first() == Some(&"global") {
                    out.push((root, None));
                }
                if let Some(e) = root.entry(key) {
                    out.push((&e.value, Some(e.key.span)));
                }
                out
            }
            _ => vec![(root, None)],
        }
    }
    /// The layers a path is resolved over, highest precedence first: every values document of
    /// the release from the last `-f` file to the first (for an umbrella, its top-level
    /// `global:` above the subchart's own), then the chart defaults (`file: None`).
    fn layers(&self, keys: &[&str]) -> Vec<(&'a Node, Option<usize>)> {
        let mut out = Vec::new();
        for part in self.release.parts.iter().rev() {
            for (base, _) in self.bases(*part, keys) {
                out.push((base, Some(part.file)));
            }
        }
        out.push((helm_defaults::defaults(self.chart()), None));
        out
    }
    /// Helm's merge of the layers down a key path (`helm install -f a -f b` merges the files
    /// with `mergeMaps`, then coalesces the chart defaults under them): at each key the
    /// highest layer that has it decides. A map there merges with the maps directly below
    /// it; anything else — a scalar, a list, `null` — hides every lower layer (lists are
    /// replaced, not appended, and `null` deletes the default). Returns the run of entries
    /// that make up the value at the last key (one entry unless it is a merged map), or the
    /// non-map entry that cut the path short, with `true` when the path was cut.
    fn resolve(&self, keys: &[&str]) -> (Vec<(&'a Entry, Option<usize>)>, bool) {
        let mut nodes: Vec<(&'a Node, Option<usize>)> = self.layers(keys);
        let mut run: Vec<(&'a Entry, Option<usize>)> = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            run.clear();
            for (node, file) in &nodes {
                let Some(e) = node.entry(k) else { continue };
                let is_map = e.value.as_map().is_some();
                if !run.is_empty() && !is_map {
                    break;
                }
                run.push((e, *file));
                if !is_map {
                    break;
                }
            }
            let Some((top, _)) = run.first() else {
                return (run, false);
            };
            if top.value.as_map().is_none() && i + 1 < keys.len() {
                return (run, true);
            }
            nodes = run.iter().map(|(e, f)| (&e.value, *f)).collect();
        }
        (run, false)
    }
    /// The effective value of a dotted path.
    pub fn get(&self, path: &str) -> Lookup<'a> {
        let keys: Vec<&str> = path.split('.').collect();
        let (run, cut) = self.resolve(&keys);
        match run.first() {
            Some((e, Some(file))) => {
                let f = &self.files[*file];
                Lookup {
                    // A scalar where the path needs a map: `.Values.a.b` has no value.
                    node: (!cut).then_some(&e.value),
                    in_file: true,
                    location: f.location(e.value.span),
                    key: Some(f.location(e.key.span)),
                    file: *file,
                }
            }
            top => {
                let (file, span) = self.default_location(&keys);
                Lookup {
                    node: top.filter(|_| !cut).map(|(e, _)| &e.value),
                    in_file: false,
                    location: self.files[file].location(span),
                    key: None,
                    file,
                }
            }
        }
    }
    /// §0.7: the deepest ancestor key of `keys` that a values file contains, else the
    /// subchart key of an umbrella, else line 1 column 1 (of the last file of the release).
    fn default_location(&self, keys: &[&str]) -> (usize, Span) {
        let last = self.release.parts.last().map_or(0, |p| p.file);
        let mut best: (i32, usize, Span) = (-1, last, Span::file_start());
        for part in &self.release.parts {
            for (base, base_span) in self.bases(*part, keys) {
                if let Some(s) = base_span {
                    if best.0 <= 0 {
                        best = (0, part.file, s);
                    }
                }
                let mut node = base;
                for (i, k) in keys.iter().enumerate().take(keys.len().saturating_sub(1)) {
                    let Some(e) = node.entry(k) else { break };
                    if i as i32 + 1 >= best.0 {
                        best = (i as i32 + 1, part.file, e.key.span);
                    }
                    node = &e.value;
                }
            }
        }
        (best.1, best.2)
    }
    /// The entries of a map value merged over the release's files as Helm merges them (a
    /// later file wins per key; a non-map value in a later file hides earlier maps), as
    /// (name, entry, file index). Entries only the chart defaults hold are left out: the maps
    /// the rules read this way (`extraEnvironmentVars`, annotations) default to `{}`.
    pub fn map_entries(&self, path: &str) -> Vec<(&'a str, &'a Entry, usize)> {
        let keys: Vec<&str> = path.split('.').collect();
        let (run, cut) = self.resolve(&keys);
        let mut out: Vec<(&'a str, &'a Entry, usize)> = Vec::new();
        if cut {
            return out;
        }
        for (e, file) in run.iter().rev() {
            let Some(file) = file else { continue };
            for (name, entry) in e.value.entries() {
                out.retain(|(n, _, _)| *n != name);
                out.push((name, entry, *file));
            }
        }
        out
    }
    pub fn location(&self, file: usize, span: Span) -> Location {
        self.files[file].location(span)
    }
    pub fn file(&self, file: usize) -> &'a ParsedFile {
        &self.files[file]
    }
    /// A short description of the release for messages (`vault chart values`).
    pub fn describe(&self) -> String {
        match &self.release.association {
            Association::Umbrella { key } => format!("{} subchart `{key}`", self.chart().name()),
            _ => format!("{} chart", self.chart().name()),
        }
    }
    /// `vault.serverEnabled`: `server.enabled` "true", or "-" with `global.enabled` "true".
    pub fn server_enabled(&self) -> bool {
        enabled_switch(&self.get("server.enabled"), &self.get("global.enabled"))
    }
    /// The injector is deployed (`injector.enabled`, "-" follows `global.enabled`).
    pub fn injector_enabled(&self) -> bool {
        enabled_switch(&self.get("injector.enabled"), &self.get("global.enabled"))
    }
    /// `vault.mode` (RULES-SPEC §1(b)).
    pub fn mode(&self) -> Mode {
        if self.get("injector.externalVaultAddr").truthy()
            || self.get("global.externalVaultAddr").truthy()
            || !self.server_enabled()
        {
            return Mode::External;
        }
        if self.get("server.dev.enabled").to_go_string() == "true" {
            return Mode::Dev;
        }
        if self.get("server.ha.enabled").to_go_string() == "true" {
            return Mode::Ha;
        }
        let s = self.get("server.standalone.enabled").to_go_string();
        if s == "true" || s == "-" {
            return Mode::Standalone;
        }
        Mode::Unset
    }
    /// The values path of the server config the chart renders, for modes that render one.
    pub fn active_config_path(&self) -> Option<&'static str> {
        // `vault.config`: `{{ if .Values.server.ha.raft.enabled }}` (Go truthiness, and in
        // standalone mode too) switches to the raft config.
        let mode = self.mode();
        if !matches!(mode, Mode::Standalone | Mode::Ha) {
            return None;
        }
        if self.get("server.ha.raft.enabled").truthy() {
            return Some("server.ha.raft.config");
        }
        Some(if mode == Mode::Ha {
            "server.ha.config"
        } else {
            "server.standalone.config"
        })
    }
}

fn enabled_switch(own: &Lookup<'_>, global: &Lookup<'_>) -> bool {
    let own = own.to_go_string();
    own == "true" || own == "-" && global.to_go_string() == "true"
}

/// The server configs a release would render from strings in its values files
/// (RULES-SPEC §0.7): parsed with spans mapped into the values file, so the SRV rules judge
/// them at the inner span. Returns (file index, document) pairs to attach.
pub fn embedded_server_configs(
    files: &[ParsedFile],
    releases: &[Release],
) -> Vec<(usize, Result<HclDoc, Diagnostic>)> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for r in releases.iter().filter(|r| r.chart.is_server_chart()) {
        let v = Values::new(r, files);
        let Some(path) = v.active_config_path() else {
            continue;
        };
        let l = v.get(path);
        let Some(node) = l.node.filter(|_| l.in_file) else {
            continue;
        };
        let Some(Typed::Str(text)) = node.typed() else {
            continue;
        };
        // The same string may be the active config of two releases (grouped files).
        if !seen.insert((l.file, node.span.start)) {
            continue;
        }
        let f = &files[l.file];
        let origin = format!("{} chart {path}", r.chart.name());
        let body = if text.trim_start().starts_with('{') {
            let stream = yaml::parse(text);
            match stream
                .documents
                .first()
                .filter(|_| stream.issues.iter().all(|i| !i.is_error))
            {
                Some(doc) => {
                    let mut body = hcl::from_json(&doc.root);
                    file::relocate(&mut body, node.span);
                    Ok(body)
                }
                None => Err(Diagnostic::new(
                    Level::Warning,
                    "parse-error",
                    f.path.clone(),
                    Some(node.span),
                    format!("{origin} is not valid JSON; the server would not start"),
                )),
            }
        } else {
            hcl::parse(text, &EmbeddedMap::new(&f.text, node, text)).map_err(|e| {
                Diagnostic::new(
                    Level::Warning,
                    "parse-error",
                    f.path.clone(),
                    Some(e.span),
                    format!("{} (in {origin})", e.message),
                )
            })
        };
        out.push((
            l.file,
            body.map(|body| HclDoc {
                path: f.path.clone(),
                kind: HclKind::Server,
                body,
                container: l.key.clone(),
                origin: Some(origin),
                name: None,
            }),
        ));
    }
    out
}

/// Ties values files to charts (RULES-SPEC §0.7). `specs` are `--helm-values` arguments.
pub fn releases(files: &[ParsedFile], specs: &[String]) -> Vec<Release> {
    let mut out = Vec::new();
    let mut claimed: HashSet<usize> = HashSet::new();
    for spec in specs {
        if let Some(r) = flag_release(files, spec) {
            claimed.extend(r.parts.iter().map(|p| p.file));
            out.push(r);
        }
    }
    // Values files by folder, in file order: each chart looks only at its own folder (a scan of
    // many charts was charts x files comparisons).
    let mut values_by_dir: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (fi, f) in files.iter().enumerate() {
        if is_values_name(&f.path) {
            values_by_dir.entry(parent(&f.path)).or_default().push(fi);
        }
    }
    for (ci, chart_file) in files.iter().enumerate() {
        if chart_file.yaml_role != Some(YamlRole::ChartManifest) {
            continue;
        }
        let Some(manifest) = chart_file.documents.first().map(|d| &d.root) else {
            continue;
        };
        let dir = parent(&chart_file.path);
        let deps: Vec<(Chart, String, Option<&str>)> = manifest
            .get("dependencies")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .filter_map(|d| {
                let name = d.get("name")?.as_str()?;
                let chart = Chart::from_name(name)?;
                let key = d
                    .get("alias")
                    .and_then(Node::as_str)
                    .filter(|a| !a.is_empty())
                    .unwrap_or(name);
                Some((
                    chart,
                    key.to_owned(),
                    d.get("condition").and_then(Node::as_str),
                ))
            })
            .collect();
        let own = manifest
            .get("name")
            .and_then(Node::as_str)
            .and_then(Chart::from_name);
        if deps.is_empty() && own.is_none() {
            continue;
        }
        for &fi in values_by_dir.get(dir).map_or(&[][..], Vec::as_slice) {
            let f = &files[fi];
            if fi == ci || claimed.contains(&fi) {
                continue;
            }
            if !f.objects.is_empty() {
                continue;
            }
            let part = Part {
                file: fi,
                doc: (!f.documents.is_empty()).then_some(0),
            };
            claimed.insert(fi);
            if deps.is_empty() {
                out.push(Release {
                    chart: own.expect("checked"),
                    association: Association::ChartItself,
                    parts: vec![part],
                });
                continue;
            }
            for (chart, key, condition) in &deps {
                if condition_false(f, *condition) {
                    continue;
                }
                out.push(Release {
                    chart: *chart,
                    association: Association::Umbrella { key: key.clone() },
                    parts: vec![part],
                });
            }
        }
    }
    for (fi, f) in files.iter().enumerate() {
        if claimed.contains(&fi)
            || f.yaml_role != Some(YamlRole::Plain)
            || f.path.contains("templates/")
        {
            continue;
        }
        for (di, d) in f.documents.iter().enumerate() {
            if let Some(chart) = detect(&d.root) {
                out.push(Release {
                    chart,
                    association: Association::Content,
                    parts: vec![Part {
                        file: fi,
                        doc: Some(di),
                    }],
                });
            }
        }
    }
    out
}

/// A dependency `condition:` (`vault.enabled`) that the values set to false: not deployed.
fn condition_false(f: &ParsedFile, condition: Option<&str>) -> bool {
    let (Some(c), Some(d)) = (condition, f.documents.first()) else {
        return false;
    };
    c.split(',').next().is_some_and(|c| {
        let keys: Vec<&str> = c.trim().split('.').collect();
        d.root.path(&keys).and_then(Node::typed) == Some(Typed::Bool(false))
    })
}

/// Content detection: only keys of the chart at the top, and a path only this chart has.
pub fn detect(root: &Node) -> Option<Chart> {
    let map = root.as_map()?;
    if map.is_empty() {
        return None;
    }
    [Chart::Vault, Chart::Vso].into_iter().find(|&chart| {
        let keys = helm_defaults::top_level_keys(chart);
        root.entries().count() == map.len()
            && root.entries().all(|(k, _)| keys.contains(&k))
            && helm_defaults::specific_paths(chart)
                .iter()
                .any(|p| root.path(p).is_some())
    })
}

fn flag_release(files: &[ParsedFile], spec: &str) -> Option<Release> {
    let (paths, chart) = match spec.rsplit_once('=') {
        // A chart sealant does not know (`=redis`): not ours to judge.
        Some((p, c)) => (p, Some(Chart::from_name(c)?)),
        None => (spec, None),
    };
    let mut parts = Vec::new();
    let mut first_dir: Option<String> = None;
    for p in paths.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let want = normalize(p);
        let found = files
            .iter()
            .position(|f| normalize(&f.path) == want)
            .or_else(|| {
                let dir = first_dir.as_deref()?;
                let joined = normalize(&format!("{dir}/{p}"));
                files.iter().position(|f| normalize(&f.path) == joined)
            });
        let Some(fi) = found else { continue };
        first_dir.get_or_insert_with(|| parent(&files[fi].path).to_owned());
        let f = &files[fi];
        let doc = f.documents.iter().position(|d| d.root.as_map().is_some());
        parts.push(Part { file: fi, doc });
    }
    if parts.is_empty() {
        return None;
    }
    let chart = chart
        .or_else(|| {
            parts.iter().find_map(|p| {
                let d = files[p.file].documents.get(p.doc?)?;
                detect(&d.root)
            })
        })
        .unwrap_or(Chart::Vault);
    Some(Release {
        chart,
        association: Association::Flag,
        parts,
    })
}

fn is_values_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.starts_with("values") && (name.ends_with(".yaml") || name.ends_with(".yml"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::classify::Format;

    fn load(path: &str, text: &str) -> ParsedFile {
        file::load_text(path, text.to_owned(), Some(Format::Yaml))
    }

    fn one(path: &str, text: &str) -> (Vec<ParsedFile>, Vec<Release>) {
        let files = vec![load(path, text)];
        let r = releases(&files, &[]);
        (files, r)
    }

    #[test]
    fn truthiness_follows_go_templates() {
        let (files, r) = one(
            "v.yaml",
            "global:\n  tlsDisable: \"false\"\nserver:\n  ha:\n    enabled: true\n",
        );
        let v = Values::new(&r[0], &files);
        assert!(v.get("global.tlsDisable").truthy());
        assert!(v.get("global.tlsDisable").in_file);
        assert_eq!(v.mode(), Mode::Ha);
        assert_eq!(v.active_config_path(), Some("server.ha.config"));
        let (files, r) = one("v.yaml", "global:\n  tlsDisable: false\n");
        assert!(!Values::new(&r[0], &files).get("global.tlsDisable").truthy());
    }

    #[test]
    fn defaults_are_located_at_the_deepest_ancestor() {
        let (files, r) = one(
            "v.yaml",
            "server:\n  ha:\n    replicas: 3\n    raft:\n      enabled: true\n",
        );
        let v = Values::new(&r[0], &files);
        let l = v.get("server.ha.raft.config");
        assert!(l.from_default());
        assert_eq!(l.location.span.start.line, 4);
        assert_eq!(v.get("global.tlsDisable").location.span.start.line, 1);
    }

    #[test]
    fn umbrella_global_and_alias() {
        let files = vec![
            load("c/Chart.yaml", "apiVersion: v2\nname: platform\ndependencies:\n  - name: vault\n    alias: secrets\n"),
            load("c/values.yaml", "global:\n  tlsDisable: false\nsecrets:\n  server:\n    ha:\n      enabled: true\n"),
        ];
        let r = releases(&files, &[]);
        assert_eq!(r.len(), 1);
        let v = Values::new(&r[0], &files);
        assert_eq!(v.mode(), Mode::Ha);
        assert!(!v.get("global.tlsDisable").truthy());
        let l = v.get("server.ha.config");
        assert_eq!(l.location.span.start.line, 5);
        assert_eq!(v.get("injector.enabled").location.span.start.line, 3);
    }

    #[test]
    fn active_config_in_the_file_is_attached() {
        let text = "server:\n  standalone:\n    config: |\n      listener \"tcp\" {\n        tls_disable = 1\n      }\n  ha:\n    config: |\n      ui = true\n";
        let (files, r) = one("v.yaml", text);
        let docs = embedded_server_configs(&files, &r);
        assert_eq!(docs.len(), 1);
        let doc = docs[0].1.as_ref().unwrap();
        let l = &doc.body.blocks[0].body.attrs[0];
        assert_eq!(l.key_span.start.line, 5);
        assert_eq!(doc.container.as_ref().unwrap().span.start.line, 3);
        // The inventory attaches it to the values file, where the SRV rules find it.
        let inv = crate::model::inventory::Inventory::new(files, "default", &[]);
        let attached: Vec<_> = inv.hcl_docs(HclKind::Server).collect();
        assert_eq!(attached.len(), 1);
        assert_eq!(
            attached[0].origin.as_deref(),
            Some("vault chart server.standalone.config")
        );
    }

    #[test]
    fn flag_groups_files_and_names_the_chart() {
        let files = vec![
            load("d/a.yaml", "team: x\nglobal:\n  tlsDisable: false\n"),
            load("d/b.yaml", "team: y\nglobal:\n  tlsDisable: \"false\"\n"),
        ];
        let r = releases(&files, &["d/a.yaml,b.yaml=vault".to_owned()]);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].parts.len(), 2);
        let v = Values::new(&r[0], &files);
        let l = v.get("global.tlsDisable");
        assert!(l.truthy());
        assert_eq!(l.file, 1);
        assert!(releases(&files, &["d/a.yaml=redis".to_owned()]).is_empty());
        // Without a chart name and without recognisable content: the vault chart.
        assert_eq!(
            releases(&files, &["d/a.yaml".to_owned()])[0].chart,
            Chart::Vault
        );
    }

    #[test]
    fn layered_files_merge_like_helm() {
        let files = vec![
            load(
                "d/base.yaml",
                "server:\n  ingress:\n    enabled: true\n    tls:\n      - secretName: t\n    annotations:\n      a: \"1\"\n      b: \"2\"\n  ha:\n    enabled: true\n    raft:\n      enabled: true\nui:\n  serviceType: LoadBalancer\n",
            ),
            load(
                "d/prod.yaml",
                "server:\n  ingress:\n    tls: []\n    annotations:\n      b: \"3\"\n  ha:\n    raft: off\n  auditStorage:\n    enabled:\nui:\n  enabled: true\n",
            ),
        ];
        let r = releases(&files, &["d/base.yaml,prod.yaml=vault".to_owned()]);
        let v = Values::new(&r[0], &files);
        // Maps merge key by key across files and with the chart defaults.
        let enabled = v.get("server.ingress.enabled");
        assert!(enabled.truthy() && enabled.file == 0);
        assert_eq!(v.get("server.ingress.pathType").to_go_string(), "Prefix");
        assert!(!v.get("server.ingress.pathType").in_file);
        // A later list replaces an earlier one (Helm never appends).
        let tls = v.get("server.ingress.tls");
        assert!(!tls.truthy() && tls.file == 1 && tls.location.span.start.line == 3);
        let ann: Vec<(&str, String, usize)> = v
            .map_entries("server.ingress.annotations")
            .into_iter()
            .map(|(k, e, f)| (k, go_to_string(Some(&e.value)), f))
            .collect();
        assert_eq!(ann, [("a", "1".into(), 0), ("b", "3".into(), 1)]);
        // A scalar in a later file hides the earlier map below it: the raft switch is gone.
        let raft = v.get("server.ha.raft.enabled");
        assert!(raft.node.is_none() && raft.in_file && raft.file == 1);
        assert_eq!(v.active_config_path(), Some("server.ha.config"));
        // `null` deletes the chart default rather than falling back to it.
        let audit = v.get("server.auditStorage.enabled");
        assert!(audit.in_file && !audit.truthy());
        assert_eq!(audit.to_go_string(), "<nil>");
        assert_eq!(
            v.get("server.auditStorage.mountPath").to_go_string(),
            "/vault/audit"
        );
        assert_eq!(v.get("ui.serviceType").to_go_string(), "LoadBalancer");
        assert!(v.get("ui.enabled").truthy());
        // Each file alone is its own release when not grouped.
        let apart = releases(
            &files,
            &[
                "d/base.yaml=vault".to_owned(),
                "d/prod.yaml=vault".to_owned(),
            ],
        );
        assert_eq!(apart.len(), 2);
        assert!(Values::new(&apart[1], &files)
            .get("server.ingress.enabled")
            .from_default());
    }

    #[test]
    fn raft_switch_is_go_truthy_in_standalone_too() {
        let (files, r) = one(
            "v.yaml",
            "server:\n  standalone:\n    enabled: true\n  ha:\n    raft:\n      enabled: \"false\"\n",
        );
        let v = Values::new(&r[0], &files);
        assert_eq!(v.mode(), Mode::Standalone);
        assert_eq!(v.active_config_path(), Some("server.ha.raft.config"));
    }

    #[test]
    fn json_config_is_attached_at_the_value() {
        let text = "server:\n  standalone:\n    config: '{\"listener\": {\"tcp\": {\"tls_disable\": 1}}}'\n";
        let (files, r) = one("v.yaml", text);
        let docs = embedded_server_configs(&files, &r);
        let doc = docs[0].1.as_ref().unwrap();
        assert_eq!(doc.body.blocks[0].ident, "listener");
        assert_eq!(doc.body.blocks[0].span.start.line, 3);
    }

    #[test]
    fn umbrella_condition_false_is_not_deployed() {
        let files = vec![
            load(
                "c/Chart.yaml",
                "name: p\ndependencies:\n  - name: vault\n    condition: vault.enabled\n",
            ),
            load("c/values.yaml", "vault:\n  enabled: false\n"),
        ];
        assert!(releases(&files, &[]).is_empty());
    }

    #[test]
    fn content_detection_needs_only_chart_keys() {
        assert!(
            one("x.yaml", "server:\n  dev:\n    enabled: true\n")
                .1
                .len()
                == 1
        );
        assert!(
            one("x.yaml", "server:\n  dev:\n    enabled: true\nother: 1\n")
                .1
                .is_empty()
        );
        assert_eq!(
            one("x.yaml", "defaultVaultConnection:\n  enabled: true\n").1[0].chart,
            Chart::Vso
        );
    }
}
