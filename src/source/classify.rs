//! Which input kind a file is, from its path first and its content second (RULES-SPEC §0.8).

use std::path::Path;

/// The syntax a file is read with, decided from its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
    Hcl,
    Terraform,
    /// Shell-like text: shell scripts, Makefiles, Dockerfiles, `.env` files.
    Script(ScriptKind),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptKind {
    Shell,
    Makefile,
    Dockerfile,
    DotEnv,
}

/// The role a YAML file plays, from its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YamlRole {
    /// Kubernetes manifests or anything decided by content.
    Plain,
    ChartManifest,
    Kustomization,
    HelmTemplate,
    GithubWorkflow,
    GitlabCi,
    Compose,
}

/// The format of a path, or `None` when sealant does not read such files.
pub fn format_of(path: &Path, first_line: impl FnOnce() -> Option<String>) -> Option<Format> {
    let name = path.file_name()?.to_string_lossy();
    let lower = name.to_ascii_lowercase();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("yaml" | "yml") => return Some(Format::Yaml),
        Some("json") => return Some(Format::Json),
        Some("hcl") => return Some(Format::Hcl),
        Some("tf") => return Some(Format::Terraform),
        Some("sh" | "bash" | "zsh" | "ksh") => return Some(Format::Script(ScriptKind::Shell)),
        Some("mk") => return Some(Format::Script(ScriptKind::Makefile)),
        _ => {}
    }
    if lower == "makefile" || lower == "gnumakefile" {
        return Some(Format::Script(ScriptKind::Makefile));
    }
    if lower == "dockerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower == "containerfile"
    {
        return Some(Format::Script(ScriptKind::Dockerfile));
    }
    if lower == ".envrc" {
        return Some(Format::Script(ScriptKind::Shell));
    }
    if lower == ".env" || lower.starts_with(".env.") || ext.as_deref() == Some("env") {
        return Some(Format::Script(ScriptKind::DotEnv));
    }
    if ext.is_none() {
        let line = first_line()?;
        if line.starts_with("#!")
            && ["sh", "bash", "zsh", "ksh", "dash"]
                .iter()
                .any(|s| line.contains(s))
        {
            return Some(Format::Script(ScriptKind::Shell));
        }
    }
    None
}

/// The role of a YAML file: from its path, and for template-looking files from whether the
/// text parses as YAML as it is.
pub fn yaml_role(display: &str, text: &str) -> YamlRole {
    yaml_role_and_parse(display, text).0
}

/// [`yaml_role`], with the plain YAML parse of `text` when deciding the role took one (a
/// template-looking file outside `templates/` that parses as YAML), so the caller does not
/// parse the same text twice.
pub fn yaml_role_and_parse(
    display: &str,
    text: &str,
) -> (YamlRole, Option<crate::syntax::yaml::Stream>) {
    let name = display.rsplit('/').next().unwrap_or(display);
    let lower = name.to_ascii_lowercase();
    if lower == "chart.yaml" || lower == "chart.yml" {
        return (YamlRole::ChartManifest, None);
    }
    if matches!(
        lower.as_str(),
        "kustomization.yaml" | "kustomization.yml" | "kustomization"
    ) {
        return (YamlRole::Kustomization, None);
    }
    if display.contains(".github/workflows/") {
        return (YamlRole::GithubWorkflow, None);
    }
    if lower == ".gitlab-ci.yml" || lower == ".gitlab-ci.yaml" {
        return (YamlRole::GitlabCi, None);
    }
    if lower.starts_with("docker-compose")
        || lower.starts_with("compose.")
        || lower.starts_with("compose-")
    {
        return (YamlRole::Compose, None);
    }
    if (display.contains("/templates/") || display.starts_with("templates/"))
        && crate::syntax::template::has_actions(text)
    {
        return (YamlRole::HelmTemplate, None);
    }
    if crate::syntax::template::has_actions(text)
        && text.lines().any(|l| {
            l.trim_start().starts_with("{{-")
                || l.trim_start().starts_with("{{ if")
                || l.trim_start().starts_with("{{- ")
        })
    {
        // A template outside `templates/` (e.g. a chart's `files/`): still not plain YAML —
        // unless it parses as YAML as it is: then the actions sit inside string values, as
        // in a Vault injector template annotation (`{{- with secret "…" -}}` lines in a block
        // scalar), and masking them would hide those values from the rules.
        let parsed = crate::syntax::yaml::parse(text);
        if parsed.issues.iter().any(|i| i.is_error) || parsed.documents.is_empty() {
            return (YamlRole::HelmTemplate, None);
        }
        return (YamlRole::Plain, Some(parsed));
    }
    (YamlRole::Plain, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_paths() {
        let none = || None;
        assert_eq!(
            format_of(Path::new("a/values.yaml"), none),
            Some(Format::Yaml)
        );
        assert_eq!(
            format_of(Path::new("main.tf"), none),
            Some(Format::Terraform)
        );
        assert_eq!(
            format_of(Path::new("Dockerfile"), none),
            Some(Format::Script(ScriptKind::Dockerfile))
        );
        assert_eq!(
            format_of(Path::new(".env.prod"), none),
            Some(Format::Script(ScriptKind::DotEnv))
        );
        assert_eq!(format_of(Path::new("README.md"), none), None);
        assert_eq!(
            format_of(Path::new("bin/deploy"), || Some(
                "#!/usr/bin/env bash".into()
            )),
            Some(Format::Script(ScriptKind::Shell))
        );
        assert_eq!(
            format_of(Path::new("bin/tool"), || Some(
                "#!/usr/bin/env python3".into()
            )),
            None
        );
    }

    #[test]
    fn yaml_roles() {
        assert_eq!(yaml_role("chart/Chart.yaml", ""), YamlRole::ChartManifest);
        assert_eq!(
            yaml_role(".github/workflows/ci.yml", ""),
            YamlRole::GithubWorkflow
        );
        assert_eq!(
            yaml_role("chart/templates/d.yaml", "a: {{ .Values.x }}"),
            YamlRole::HelmTemplate
        );
        assert_eq!(yaml_role("chart/templates/d.yaml", "a: 1"), YamlRole::Plain);
        assert_eq!(
            yaml_role(
                "files/cm.yaml",
                "{{- if .Values.x }}\nkind: ConfigMap\n{{- end }}\n"
            ),
            YamlRole::HelmTemplate
        );
        // Injector templates in a block scalar: a manifest, not a Helm template.
        let injector = "kind: Pod\nmetadata:\n  annotations:\n    t: |\n      {{- with secret \"kv/a\" -}}\n      {{ .Data.x }}\n      {{- end }}\n";
        assert_eq!(yaml_role("k8s/pod.yaml", injector), YamlRole::Plain);
        assert_eq!(yaml_role("docker-compose.yml", ""), YamlRole::Compose);
    }
}
