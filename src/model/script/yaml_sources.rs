//! The same facts from YAML: GitHub Actions `env:` maps and `run:` blocks, GitLab CI
//! `variables:` and `script:` lists, compose `environment:` and `command:`, and Kubernetes
//! containers whose `command`/`args` run a shell with `-c`. Shell text inside a YAML scalar
//! is read by the shell reader through an [`EmbeddedMap`], so spans land in the YAML file.

use super::shell::nested_script_at;
use super::{read_shell, Arg, Command, ScriptFacts, SetBy, Setting};
use crate::syntax::mapping::EmbeddedMap;
use crate::syntax::yaml::Node;

/// An environment map `NAME: value` (GitLab's `NAME: {value: …}` too). Null values pass the
/// variable through from elsewhere and set nothing.
fn env_map(node: Option<&Node>, facts: &mut ScriptFacts) {
    for (name, e) in node.into_iter().flat_map(Node::entries) {
        let v = e.value.get("value").unwrap_or(&e.value);
        let Some(s) = v.as_scalar() else { continue };
        if v.is_null() {
            continue;
        }
        facts.settings.push(Setting {
            name: name.to_owned(),
            value: s.text.to_string(),
            name_span: e.key.span,
            value_span: v.span,
            by: SetBy::YamlEnv,
        });
    }
}

/// Compose `environment:` as a map, or as a list of `NAME=value` strings.
fn env_map_or_list(node: Option<&Node>, text: &str, facts: &mut ScriptFacts) {
    let Some(node) = node else { return };
    if node.as_map().is_some() {
        return env_map(Some(node), facts);
    }
    for item in node.items() {
        let Some(s) = item.as_str() else { continue };
        let Some(eq) = s.find('=') else { continue };
        if !super::is_name(&s[..eq]) {
            continue;
        }
        let map = EmbeddedMap::new(text, item, s);
        use crate::syntax::mapping::SpanMap;
        facts.settings.push(Setting {
            name: s[..eq].to_owned(),
            value: s[eq + 1..].to_owned(),
            name_span: map.span(0..eq),
            value_span: map.span(eq + 1..s.len()),
            by: SetBy::YamlEnv,
        });
    }
}

/// A scalar of shell text (`run: |`, a GitLab script line, a compose string command).
fn shell_scalar(node: &Node, text: &str, facts: &mut ScriptFacts) {
    if let Some(s) = node.as_str() {
        read_shell(s, &EmbeddedMap::new(text, node, s), 0, facts);
    }
}

/// An argument vector from YAML items; a shell's `-c` script is read as shell text.
fn argv_items(items: &[&Node], text: &str, facts: &mut ScriptFacts) {
    let texts: Vec<&str> = items.iter().map(|n| n.as_str().unwrap_or("")).collect();
    if let Some(j) = nested_script_at(&texts) {
        shell_scalar(items[j], text, facts);
    }
    if !items.is_empty() {
        facts.commands.push(Command {
            argv: items
                .iter()
                .zip(&texts)
                .map(|(n, t)| Arg {
                    text: (*t).to_owned(),
                    span: n.span,
                })
                .collect(),
            heredocs: Vec::new(),
        });
    }
}

fn is_posix_shell(shell: Option<&str>) -> bool {
    shell.is_none_or(|s| {
        let prog = s.split_whitespace().next().unwrap_or("");
        matches!(prog.rsplit('/').next(), Some("bash" | "sh"))
    })
}

fn default_shell(n: &Node) -> Option<&str> {
    n.path(&["defaults", "run", "shell"]).and_then(Node::as_str)
}

/// GitHub Actions: `env:` at workflow, job, container/service and step level; `run:` of
/// steps whose shell is bash/sh (the default on Linux runners).
pub fn read_github_workflow(root: &Node, text: &str, facts: &mut ScriptFacts) {
    env_map(root.get("env"), facts);
    let workflow_shell = default_shell(root);
    for (_, job) in root.get("jobs").into_iter().flat_map(Node::entries) {
        let job = &job.value;
        env_map(job.get("env"), facts);
        env_map(job.path(&["container", "env"]), facts);
        for (_, svc) in job.get("services").into_iter().flat_map(Node::entries) {
            env_map(svc.value.get("env"), facts);
        }
        let job_shell = default_shell(job).or(workflow_shell);
        for step in job.get("steps").map(Node::items).unwrap_or(&[]) {
            env_map(step.get("env"), facts);
            let shell = step.get("shell").and_then(Node::as_str).or(job_shell);
            if let Some(run) = step.get("run").filter(|_| is_posix_shell(shell)) {
                shell_scalar(run, text, facts);
            }
        }
    }
}

/// GitLab CI: `variables:` (global and per job, `NAME: value` or `NAME: {value: …}`) and
/// `script`/`before_script`/`after_script` (a string or a list, nested lists from anchors).
pub fn read_gitlab_ci(root: &Node, text: &str, facts: &mut ScriptFacts) {
    env_map(root.get("variables"), facts);
    let scripts = |job: &Node, facts: &mut ScriptFacts| {
        for key in ["before_script", "script", "after_script"] {
            let Some(node) = job.get(key) else { continue };
            if node.as_str().is_some() {
                shell_scalar(node, text, facts);
            }
            for item in node.items() {
                shell_scalar(item, text, facts);
                for inner in item.items() {
                    shell_scalar(inner, text, facts);
                }
            }
        }
    };
    scripts(root, facts);
    for (key, e) in root.entries() {
        if key == "variables" || e.value.as_map().is_none() {
            continue;
        }
        env_map(e.value.get("variables"), facts);
        scripts(&e.value, facts);
    }
}

/// Compose: `environment:` (map or list) and `command:`/`entrypoint:` (string or list).
pub fn read_compose(root: &Node, text: &str, facts: &mut ScriptFacts) {
    for (_, svc) in root.get("services").into_iter().flat_map(Node::entries) {
        let svc = &svc.value;
        env_map_or_list(svc.get("environment"), text, facts);
        let mut argv: Vec<&Node> = Vec::new();
        for key in ["entrypoint", "command"] {
            match svc.get(key) {
                Some(n) if n.as_str().is_some() => shell_scalar(n, text, facts),
                Some(n) => argv.extend(n.items()),
                None => {}
            }
        }
        argv_items(&argv, text, facts);
    }
}

/// A Kubernetes container's `command` + `args` (probes and lifecycle hooks are not read:
/// they talk to the pod itself).
pub fn read_container(container: &Node, text: &str, facts: &mut ScriptFacts) {
    let argv: Vec<&Node> = ["command", "args"]
        .iter()
        .flat_map(|k| container.get(k).map(Node::items).unwrap_or(&[]))
        .collect();
    if argv.iter().any(|n| n.as_str().is_none()) {
        return;
    }
    argv_items(&argv, text, facts);
}
