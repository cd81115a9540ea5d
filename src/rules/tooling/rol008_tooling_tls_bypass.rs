//! ROL008 — TLS bypass or plaintext in Vault tooling (Terraform provider, CLI, scripts).
//!
//! Operators' tooling talks to Vault with the most powerful tokens there are, so a
//! `skip_tls_verify`, a `-tls-skip-verify`, a truthy `VAULT_SKIP_VERIFY` or a `curl -k` against
//! Vault hands those tokens to whoever can answer in Vault's place. Judgements are the shared
//! ones of K8S001/K8S003 (`env_checks`): Go `ParseBool` for skip-verify, §0.6 for addresses.
//! A loopback `http://` address next to `vault server -dev` is a local test: info only.
//! Messages name variables, flags and hosts, never values that could be secrets (URLs, tokens).

use crate::location::Location;
use crate::model::file::ParsedFile;
use crate::model::inventory::Inventory;
use crate::model::script::{Arg, Command, Setting};
use crate::model::vault_hcl::{HclDoc, HclKind};
use crate::rules::k8s::env_checks::{
    plaintext_host, plaintext_vault_addr, skip_verify, SkipVerify, ADDR_VARS,
};
use crate::rules::{Context, Emitter, Rule, Severity};
use crate::semantics::{classify_address, go_parse_bool, Address, BoolReading};
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

pub struct ToolingTlsBypass;

impl Rule for ToolingTlsBypass {
    fn id(&self) -> &'static str {
        "ROL008"
    }

    fn check(&self, inv: &Inventory, _cx: &Context, out: &mut Emitter) {
        for doc in inv.hcl_docs(HclKind::Terraform) {
            terraform(doc, out);
        }
        for file in &inv.files {
            scripts(file, out);
        }
        crate::rules::live_vault::scanner_connection(inv, out);
    }
}

/// `provider "vault" { skip_tls_verify = true; address = "http://…" }`.
fn terraform(doc: &HclDoc, out: &mut Emitter) {
    let providers = doc
        .body
        .blocks("provider")
        .filter(|b| b.labels.first().map(String::as_str) == Some("vault"));
    for (n, b) in providers.enumerate() {
        let alias = b
            .body
            .attr("alias")
            .and_then(|a| a.value.as_str())
            .map_or_else(|| n.to_string(), str::to_owned);
        let at = |span| Location::new(doc.path.clone(), span);
        if let Some(a) = b.body.attr("skip_tls_verify") {
            if a.value.weak_bool() == BoolReading::True {
                out.report(
                    at(a.value_span),
                    "provider \"vault\" sets skip_tls_verify: Terraform's Vault client accepts any server certificate and sends its token to it",
                )
                .identity(format!("{}#provider.vault[{alias}].skip_tls_verify", doc.path));
            }
        }
        if let Some(a) = b.body.attr("address") {
            if let Some(host) = a.value.as_text().and_then(plaintext_host) {
                out.report(
                    at(a.value_span),
                    format!("provider \"vault\" address is http:// to `{host}`: Terraform's Vault token and every secret it reads or writes cross the network in cleartext"),
                )
                .severity(Severity::High)
                .identity(format!("{}#provider.vault[{alias}].address", doc.path));
            }
        }
    }
}

/// Numbers the findings of one kind in one file, for line-independent identities.
struct Ids<'a> {
    path: &'a str,
    seen: HashMap<String, usize>,
}

impl Ids<'_> {
    fn next(&mut self, what: &str) -> String {
        let n = self.seen.entry(what.to_owned()).or_default();
        *n += 1;
        format!("{}#{what}#{}", self.path, *n)
    }
}

fn scripts(file: &ParsedFile, out: &mut Emitter) {
    let facts = &file.script;
    if facts.is_empty() {
        return;
    }
    let dev_server = facts.commands.iter().any(is_dev_server);
    let mut ids = Ids {
        path: &file.path,
        seen: HashMap::new(),
    };
    for s in &facts.settings {
        setting(file, s, dev_server, &mut ids, out);
    }
    for c in &facts.commands {
        if matches!(c.program(), "echo" | "printf") {
            continue;
        }
        vault_cli(file, c, &mut ids, out);
        curl(file, c, &mut ids, out);
        aws(file, c, &mut ids, out);
    }
}

fn setting(file: &ParsedFile, s: &Setting, dev_server: bool, ids: &mut Ids, out: &mut Emitter) {
    let (name, how) = (&s.name, s.by.describe());
    match skip_verify(name, &s.value) {
        Some(SkipVerify::Disabled) => {
            out.report(
                file.location(s.value_span),
                format!(
                    "{name}={} {how}: Vault clients run with it accept any server certificate",
                    s.value
                ),
            )
            .identity(ids.next(name));
        }
        Some(SkipVerify::Invalid) => {
            out.report(
                file.location(s.value_span),
                format!("{name} {how} is not a Go boolean: Vault clients run with it fail to start (\"could not parse {name}\")"),
            )
            .severity(Severity::Low)
            .identity(ids.next(name));
        }
        None => {}
    }
    if let Some(host) = plaintext_vault_addr(name, &s.value) {
        out.report(
            file.location(s.value_span),
            format!("{name} {how} is http:// to `{host}`: the Vault token and secrets cross the network in cleartext"),
        )
        .severity(Severity::High)
        .identity(ids.next(name));
    } else if dev_server
        && ADDR_VARS.contains(&name.as_str())
        && classify_address(&s.value) == Address::PlaintextLoopback
    {
        out.report(
            file.location(s.value_span),
            format!("{name} {how} is plaintext loopback next to `vault server -dev`: a local test server, fine unless this script runs against a real Vault"),
        )
        .severity(Severity::Info)
        .identity(ids.next(name));
    }
}

/// The arguments after the first word whose base name is `tool` (`docker run img vault …`).
fn after<'c>(c: &'c Command, tools: &[&str]) -> Option<&'c [Arg]> {
    let p = c
        .argv
        .iter()
        .position(|a| tools.contains(&a.text.rsplit('/').next().unwrap_or(&a.text)))?;
    Some(&c.argv[p + 1..])
}

fn is_dev_server(c: &Command) -> bool {
    after(c, &["vault", "bao"]).is_some_and(|args| {
        args.first().is_some_and(|a| a.text == "server")
            && args
                .iter()
                .any(|a| a.text.trim_start_matches('-').starts_with("dev"))
    })
}

/// `vault|bao … -tls-skip-verify[=true]`.
fn vault_cli(file: &ParsedFile, c: &Command, ids: &mut Ids, out: &mut Emitter) {
    let Some(args) = after(c, &["vault", "bao"]) else {
        return;
    };
    for a in args {
        let flag = a.text.trim_start_matches('-');
        if a.text.len() == flag.len() {
            continue;
        }
        let on = match flag.split_once('=') {
            Some(("tls-skip-verify", v)) => go_parse_bool(v) == BoolReading::True,
            None => flag == "tls-skip-verify",
            _ => false,
        };
        if on {
            out.report(
                file.location(a.span),
                "the Vault CLI runs with -tls-skip-verify: it accepts any server certificate and sends its token to it",
            )
            .identity(ids.next("vault -tls-skip-verify"));
        }
    }
}

/// True when an argument names a Vault endpoint: `$VAULT_ADDR`/`$BAO_ADDR` in any spelling
/// (`${VAULT_ADDR}`, `$(VAULT_ADDR)`, `${{ env.VAULT_ADDR }}`), port 8200, or a Vault API path.
fn is_vault_url(s: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"\$[{(]*\s*(?:(?:env|secrets|vars)\.)?(?:VAULT|BAO)_ADDR\b|:8200\b|/v1/(?:sys|auth)/|/v1/secret")
            .expect("valid regex")
    })
    .is_match(s)
}

/// curl short options that take an argument: a `k` after one of them is that argument.
const CURL_ARG_OPTS: &str = "AbcCdDeEFHKmoPQrTuUwxXyYz";

fn curl_insecure_flag(a: &str) -> bool {
    if a == "--insecure" {
        return true;
    }
    let Some(cluster) = a.strip_prefix('-').filter(|c| !c.starts_with('-')) else {
        return false;
    };
    for ch in cluster.chars() {
        if ch == 'k' {
            return true;
        }
        if CURL_ARG_OPTS.contains(ch) {
            return false;
        }
    }
    false
}

/// `curl -k|--insecure` against a Vault URL.
fn curl(file: &ParsedFile, c: &Command, ids: &mut Ids, out: &mut Emitter) {
    let Some(args) = after(c, &["curl"]) else {
        return;
    };
    if !args.iter().any(|a| is_vault_url(&a.text)) {
        return;
    }
    for a in args.iter().filter(|a| curl_insecure_flag(&a.text)) {
        out.report(
            file.location(a.span),
            "curl runs with -k/--insecure against Vault: it accepts any server certificate and sends the Vault token to it",
        )
        .identity(ids.next("curl --insecure"));
    }
}

/// `aws secretsmanager … --no-verify-ssl` / `--endpoint-url http://…`.
fn aws(file: &ParsedFile, c: &Command, ids: &mut Ids, out: &mut Emitter) {
    let Some(args) = after(c, &["aws"]) else {
        return;
    };
    if !args.iter().any(|a| a.text == "secretsmanager") {
        return;
    }
    for (i, a) in args.iter().enumerate() {
        if a.text == "--no-verify-ssl" {
            out.report(
                file.location(a.span),
                "aws secretsmanager runs with --no-verify-ssl: the CLI accepts any certificate for the endpoint that returns secret values",
            )
            .severity(Severity::High)
            .identity(ids.next("aws --no-verify-ssl"));
        }
        let endpoint = match a.text.strip_prefix("--endpoint-url") {
            Some("") => args.get(i + 1),
            Some(v) if v.starts_with('=') => Some(a),
            _ => None,
        };
        let Some(e) = endpoint else { continue };
        let value = e.text.strip_prefix("--endpoint-url=").unwrap_or(&e.text);
        if let Some(host) = plaintext_host(value) {
            out.report(
                file.location(e.span),
                format!("aws secretsmanager uses --endpoint-url http:// to `{host}`: secret values cross the network in cleartext"),
            )
            .severity(Severity::High)
            .identity(ids.next("aws --endpoint-url"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_flags_and_vault_urls() {
        assert!(curl_insecure_flag("-k"));
        assert!(curl_insecure_flag("-sSk"));
        assert!(curl_insecure_flag("--insecure"));
        assert!(!curl_insecure_flag("-Hk"));
        assert!(!curl_insecure_flag("--keepalive-time"));
        assert!(is_vault_url("${VAULT_ADDR}/v1/kv/data/x"));
        assert!(is_vault_url("$BAO_ADDR/v1/x"));
        assert!(is_vault_url("$(VAULT_ADDR)/v1/x"));
        assert!(is_vault_url("${{ env.VAULT_ADDR }}/v1/x"));
        assert!(is_vault_url("https://vault.internal:8200/v1/x"));
        assert!(is_vault_url("https://vault.internal/v1/sys/health"));
        assert!(!is_vault_url("https://example.com/install.sh"));
        assert!(!is_vault_url("$VAULT_ADDRESS_FILE"));
    }
}
