//! Loading one input: read it, parse it with spans, and sort what it holds into Kubernetes
//! objects, other YAML documents and HCL documents (including HCL inside YAML strings).

use crate::diagnostic::{Diagnostic, Level};
use crate::engine::suppress::{self, InlineSuppression};
use crate::location::{LineIndex, Location, Span};
use crate::model::k8s::K8sObject;
use crate::model::policy_sources::{self, PolicyFileRef};
use crate::model::script::{self, ScriptFacts};
use crate::model::vault_hcl::{self, HclDoc, HclKind};
use crate::source::classify::{self, Format, YamlRole};
use crate::source::read::{self, ReadOutcome};
use crate::syntax::mapping::{EmbeddedMap, FileMap};
use crate::syntax::{hcl, template, yaml};
use std::path::Path;
use std::sync::Arc;

/// Everything sealant learned from one file.
#[derive(Debug, Default)]
pub struct ParsedFile {
    pub path: Arc<str>,
    pub text: String,
    pub format: Option<Format>,
    pub yaml_role: Option<YamlRole>,
    pub objects: Vec<K8sObject>,
    /// YAML documents that are not Kubernetes objects (values files, workflows, compose…).
    pub documents: Vec<yaml::Document>,
    pub hcl: Vec<HclDoc>,
    /// Settings and commands from scripts: script files, CI/compose YAML, container shells.
    pub script: ScriptFacts,
    /// Policies this file writes from other files (`file("x.hcl")`, `vault policy write N x.hcl`).
    pub policy_refs: Vec<PolicyFileRef>,
    pub diagnostics: Vec<Diagnostic>,
    pub suppressions: Vec<InlineSuppression>,
    /// Line starts of `text`, built on the first [`ParsedFile::line`] lookup: passes that
    /// quote one line per object (a namespace, a `k=v` word) would otherwise walk the text
    /// from its top each time, quadratic in a file of many objects. Files never asked cost
    /// nothing.
    line_index: std::sync::OnceLock<LineIndex>,
}

impl ParsedFile {
    /// Drops spare capacity: every file is kept until the rules have run, and a vector of
    /// one object or document grows to room for four (672 bytes spare for one object).
    fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.objects.shrink_to_fit();
        self.documents.shrink_to_fit();
        self.hcl.shrink_to_fit();
        self.script.settings.shrink_to_fit();
        self.script.commands.shrink_to_fit();
        self.policy_refs.shrink_to_fit();
        self.diagnostics.shrink_to_fit();
        self.suppressions.shrink_to_fit();
    }

    fn diag(
        &mut self,
        level: Level,
        code: &'static str,
        span: Option<Span>,
        message: impl Into<String>,
    ) {
        self.diagnostics.push(Diagnostic::new(
            level,
            code,
            self.path.clone(),
            span,
            message,
        ));
    }
    pub fn location(&self, span: Span) -> Location {
        Location::new(self.path.clone(), span)
    }

    /// The index of `text`'s lines, built once on first use.
    fn line_index(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The 0-based `n`th line of the text, as `text.lines().nth(n)` gives it, in O(line).
    pub fn line(&self, n: usize) -> Option<&str> {
        self.line_index().line(&self.text, n)
    }

    /// The text's lines from the 0-based `n`th on, as `text.lines().skip(n)` gives them.
    pub fn lines_from(&self, n: usize) -> std::str::Lines<'_> {
        self.line_index().lines_from(&self.text, n)
    }
}

impl ParsedFile {
    /// The input kinds this file was read as (RULES-SPEC §0.8), for `-v` and tests:
    /// `kubernetes`, `kustomization`, `helm-chart`, `helm-template`, `vault-policy`,
    /// `vault-agent`, `vault-server`, `terraform`, `hcl`, `shell`, `makefile`, `dockerfile`,
    /// `dotenv`, `github-workflow`, `gitlab-ci`, `compose`, `yaml` (YAML that is none of these).
    pub fn kinds(&self) -> Vec<&'static str> {
        use crate::source::classify::ScriptKind;
        let mut kinds = Vec::new();
        match self.yaml_role {
            Some(YamlRole::ChartManifest) => kinds.push("helm-chart"),
            Some(YamlRole::Kustomization) => kinds.push("kustomization"),
            Some(YamlRole::HelmTemplate) => kinds.push("helm-template"),
            Some(YamlRole::GithubWorkflow) => kinds.push("github-workflow"),
            Some(YamlRole::GitlabCi) => kinds.push("gitlab-ci"),
            Some(YamlRole::Compose) => kinds.push("compose"),
            Some(YamlRole::Plain) | None => {}
        }
        if !self.objects.is_empty()
            && !matches!(
                self.yaml_role,
                Some(YamlRole::HelmTemplate | YamlRole::Kustomization)
            )
        {
            kinds.push("kubernetes");
        }
        for doc in &self.hcl {
            kinds.push(match doc.kind {
                HclKind::Policy => "vault-policy",
                HclKind::Agent => "vault-agent",
                HclKind::Server => "vault-server",
                HclKind::Terraform => "terraform",
                HclKind::Other => "hcl",
            });
        }
        match self.format {
            Some(Format::Script(ScriptKind::Shell)) => kinds.push("shell"),
            Some(Format::Script(ScriptKind::Makefile)) => kinds.push("makefile"),
            Some(Format::Script(ScriptKind::Dockerfile)) => kinds.push("dockerfile"),
            Some(Format::Script(ScriptKind::DotEnv)) => kinds.push("dotenv"),
            _ => {}
        }
        if kinds.is_empty()
            && matches!(self.format, Some(Format::Yaml | Format::Json))
            && !self.documents.is_empty()
        {
            kinds.push("yaml");
        }
        kinds.dedup();
        kinds
    }
}

/// The outcome of looking at a path.
pub enum Loaded {
    File(Box<ParsedFile>),
    /// Not an input sealant reads (reason for `-v`).
    Skipped(crate::source::discover::SkipReason),
}

/// Files above this many bytes are parsed one at a time (see [`load_path`]); nearly every
/// real input is far smaller, so parallelism is kept where it matters.
const LARGE_FILE: usize = 1 << 20;

/// Reads and parses a file from disk.
pub fn load_path(path: &Path, display: &str, explicit: bool) -> Loaded {
    let first_line = || {
        use std::io::Read;
        let mut buf = [0u8; 128];
        let n = std::fs::File::open(path)
            .and_then(|mut f| f.read(&mut buf))
            .ok()?;
        Some(
            String::from_utf8_lossy(&buf[..n])
                .lines()
                .next()
                .unwrap_or("")
                .to_owned(),
        )
    };
    let format = classify::format_of(path, first_line);
    if format.is_none() && !explicit {
        return Loaded::Skipped(crate::source::discover::SkipReason::NotRecognised);
    }
    match read::read_text(path) {
        ReadOutcome::Text(text) if text.len() > LARGE_FILE => {
            // Parsers build transient trees many times the text's size (hcl-edit ~20x):
            // two large files parsed at once set the scan's peak memory, so they take turns.
            static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
            let _turn = ONE_AT_A_TIME
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            Loaded::File(Box::new(load_text(display, text, format)))
        }
        ReadOutcome::Text(text) => Loaded::File(Box::new(load_text(display, text, format))),
        ReadOutcome::Binary if !explicit => {
            Loaded::Skipped(crate::source::discover::SkipReason::Binary)
        }
        ReadOutcome::Binary => Loaded::File(Box::new(failed(display, "is a binary file"))),
        ReadOutcome::Failed(e) => {
            Loaded::File(Box::new(failed(display, &format!("cannot be read: {e}"))))
        }
    }
}

fn failed(display: &str, why: &str) -> ParsedFile {
    let mut f = ParsedFile {
        path: Arc::from(display),
        ..Default::default()
    };
    f.diag(Level::Error, "unreadable", None, format!("{display} {why}"));
    f
}

/// Parses text already in memory (files and stdin). `format` `None` means: guess from
/// content (an explicitly named file with an unknown extension).
pub fn load_text(display: &str, text: String, format: Option<Format>) -> ParsedFile {
    let format = format.or_else(|| guess_format(&text));
    let mut file = ParsedFile {
        path: Arc::from(display),
        format,
        suppressions: suppress::scan(&text),
        ..Default::default()
    };
    match format {
        Some(Format::Yaml | Format::Json) => load_yaml(&mut file, &text),
        Some(Format::Hcl) => load_hcl(&mut file, &text, false),
        Some(Format::Terraform) => load_hcl(&mut file, &text, true),
        Some(Format::Script(kind)) => {
            file.script = script::read(&text, kind, &FileMap::new(&text));
        }
        None => {}
    }
    if !file.script.commands.is_empty() {
        let found = policy_sources::from_scripts(&file.path, &file.script);
        add_policy_sources(&mut file, found);
    }
    file.text = text;
    file.shrink_to_fit();
    file
}

fn add_policy_sources(file: &mut ParsedFile, found: policy_sources::Found) {
    file.hcl.extend(found.docs);
    file.policy_refs.extend(found.refs);
    file.diagnostics.extend(found.diagnostics);
}

fn guess_format(text: &str) -> Option<Format> {
    let t = text.trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        Some(Format::Json)
    } else if t.starts_with("#!") {
        Some(Format::Script(classify::ScriptKind::Shell))
    } else if t.lines().any(|l| {
        l.starts_with("path \"") || l.starts_with("listener ") || l.starts_with("storage ")
    }) {
        Some(Format::Hcl)
    } else {
        Some(Format::Yaml)
    }
}

fn load_hcl(file: &mut ParsedFile, text: &str, terraform: bool) {
    match hcl::parse(text, &FileMap::new(text)) {
        Ok(body) => {
            let kind = if terraform {
                HclKind::Terraform
            } else {
                vault_hcl::classify(&body)
            };
            let found = terraform.then(|| policy_sources::from_terraform(&file.path, text, &body));
            file.hcl.push(HclDoc {
                path: file.path.clone(),
                kind,
                body,
                container: None,
                origin: None,
                name: None,
            });
            if let Some(found) = found {
                add_policy_sources(file, found);
            }
        }
        Err(e) => file.diag(Level::Error, "parse-error", Some(e.span), e.message),
    }
}

/// A YAML file's role and its parse, each file parsed once: Helm templates with their actions
/// masked (read tolerantly), everything else as written. The scan and `--parse-only` (the
/// benchmark floor) both read YAML through this.
pub fn parse_yaml(display: &str, text: &str) -> (YamlRole, yaml::Stream) {
    let (role, parsed) = classify::yaml_role_and_parse(display, text);
    let stream = match parsed {
        Some(stream) => stream,
        None if role == YamlRole::HelmTemplate => yaml::parse(&template::mask(text)),
        None => yaml::parse(text),
    };
    (role, stream)
}

fn load_yaml(file: &mut ParsedFile, text: &str) {
    let (role, stream) = parse_yaml(&file.path, text);
    file.yaml_role = Some(role);
    let tolerant = role == YamlRole::HelmTemplate;
    for issue in stream.issues {
        let level = match (tolerant, issue.is_error) {
            (true, _) => Level::Note,
            (false, true) => Level::Error,
            (false, false) => Level::Warning,
        };
        let code = if issue.is_error {
            "parse-error"
        } else {
            "yaml-warning"
        };
        let msg = if tolerant {
            format!(
                "Helm template read tolerantly; part of it is not YAML after masking: {}",
                issue.message
            )
        } else {
            issue.message
        };
        file.diag(level, code, Some(issue.span), msg);
    }
    for doc in stream.documents {
        // JSON Vault policies and configs (`*.json` with `path`/`listener`/… keys).
        if file.format == Some(Format::Json) && doc.root.get("kind").is_none() {
            let body = hcl::from_json(&doc.root);
            let kind = vault_hcl::classify(&body);
            if kind != HclKind::Other {
                file.hcl.push(HclDoc {
                    path: file.path.clone(),
                    kind,
                    body,
                    container: None,
                    origin: None,
                    name: None,
                });
                continue;
            }
        }
        if is_object(&doc.root) {
            let is_list = doc
                .root
                .get("kind")
                .and_then(yaml::Node::as_str)
                .is_some_and(|k| k.ends_with("List"))
                && doc.root.get("items").is_some();
            if is_list {
                let yaml::Document { root, .. } = doc;
                if let yaml::Value::Map(entries) = root.value {
                    for e in entries
                        .into_iter()
                        .filter(|e| e.key.as_str() == Some("items"))
                    {
                        if let yaml::Value::Seq(items) = e.value.value {
                            for item in items.into_iter().filter(is_object) {
                                push_object(file, item, text, tolerant);
                            }
                        }
                    }
                }
            } else {
                push_object(file, doc.root, text, tolerant);
            }
        } else {
            file.documents.push(doc);
        }
    }
    read_yaml_scripts(file, role, text);
}

/// Scripts inside YAML: CI files, compose files, and containers that run a shell.
fn read_yaml_scripts(file: &mut ParsedFile, role: YamlRole, text: &str) {
    for doc in &file.documents {
        match role {
            YamlRole::GithubWorkflow => {
                script::read_github_workflow(&doc.root, text, &mut file.script)
            }
            YamlRole::GitlabCi => script::read_gitlab_ci(&doc.root, text, &mut file.script),
            YamlRole::Compose => script::read_compose(&doc.root, text, &mut file.script),
            _ => {}
        }
    }
    for w in file.objects.iter().filter_map(K8sObject::workload) {
        for c in w.containers() {
            script::read_container(c.node, text, &mut file.script);
        }
    }
}

fn is_object(node: &yaml::Node) -> bool {
    node.get("apiVersion")
        .and_then(yaml::Node::as_str)
        .is_some()
        && node.get("kind").and_then(yaml::Node::as_str).is_some()
}

fn push_object(file: &mut ParsedFile, root: yaml::Node, text: &str, tolerant: bool) {
    let s = |p: &[&str]| root.path(p).and_then(yaml::Node::as_str).map(str::to_owned);
    let kind = s(&["kind"]).unwrap_or_default();
    let api_version = s(&["apiVersion"]).unwrap_or_default();
    let name = s(&["metadata", "name"])
        .or_else(|| s(&["metadata", "generateName"]))
        .unwrap_or_else(|| "<unnamed>".into());
    let declared_namespace = s(&["metadata", "namespace"]).filter(|n| !n.is_empty());
    let object = K8sObject::new(
        file.path.clone(),
        api_version,
        kind,
        name,
        declared_namespace,
        root,
    );
    if object.kind == "ConfigMap" && !tolerant {
        embedded_configmap_hcl(file, &object, text);
    }
    file.objects.push(object);
}

/// ConfigMap values holding Vault agent/server HCL or JSON are parsed and judged at the inner
/// span (RULES-SPEC §0.7).
fn embedded_configmap_hcl(file: &mut ParsedFile, object: &K8sObject, text: &str) {
    for (key, entry) in object
        .get(&["data"])
        .into_iter()
        .flat_map(yaml::Node::entries)
    {
        let Some(value) = entry.value.as_str() else {
            continue;
        };
        let json_key = key.ends_with(".json");
        if !(key.ends_with(".hcl") || json_key || vault_hcl::looks_like_vault_config(value)) {
            continue;
        }
        let origin = format!("ConfigMap {} key {key}", object.name);
        let container = Some(file.location(entry.key.span));
        if json_key || value.trim_start().starts_with('{') {
            let stream = yaml::parse(value);
            if let Some(doc) = stream
                .documents
                .first()
                .filter(|_| stream.issues.iter().all(|i| !i.is_error))
            {
                // Spans inside the JSON string map to the key's value start (approximate).
                let mut body = hcl::from_json(&doc.root);
                relocate(&mut body, entry.value.span);
                let kind = vault_hcl::classify(&body);
                if kind != HclKind::Other {
                    file.hcl.push(HclDoc {
                        path: file.path.clone(),
                        kind,
                        body,
                        container,
                        origin: Some(origin),
                        name: None,
                    });
                }
            }
            continue;
        }
        let map = EmbeddedMap::new(text, &entry.value, value);
        match hcl::parse(value, &map) {
            Ok(body) => {
                let kind = vault_hcl::classify(&body);
                if matches!(kind, HclKind::Agent | HclKind::Server | HclKind::Policy) {
                    file.hcl.push(HclDoc {
                        path: file.path.clone(),
                        kind,
                        body,
                        container,
                        origin: Some(origin),
                        name: None,
                    });
                }
            }
            Err(e) if key.ends_with(".hcl") => {
                file.diag(
                    Level::Error,
                    "parse-error",
                    Some(e.span),
                    format!("{} (in {origin})", e.message),
                );
            }
            Err(_) => {}
        }
    }
}

/// Points every span of a body at one place (for JSON inside a YAML string, whose inner
/// positions are not mapped).
pub fn relocate(body: &mut hcl::Body, at: Span) {
    for a in &mut body.attrs {
        a.key_span = at;
        a.value_span = at;
    }
    for b in &mut body.blocks {
        b.ident_span = at;
        b.span = at;
        relocate(&mut b.body, at);
    }
}
