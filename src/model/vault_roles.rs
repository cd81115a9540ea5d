//! The normalised role model (RULES-SPEC §1(f)): auth roles, secrets-engine roles, token
//! creations, mount tuning and server lease defaults, read from Terraform, scripts and server
//! config, with a span for every field — and effective TTL resolution (§0.3) that keeps the
//! chain of places it looked at, so messages can say why a lifetime is what it is.
//!
//! Sources:
//! * Terraform: `vault_kubernetes_auth_backend_role`, `vault_approle_auth_backend_role`,
//!   `vault_jwt_auth_backend_role`, `vault_cert_auth_backend_cert`,
//!   `vault_token_auth_backend_role`, `vault_database_secret_backend_role`,
//!   `vault_aws_secret_backend_role`, `vault_token`; mounts from `vault_auth_backend`
//!   (`tune { default_lease_ttl max_lease_ttl }`, Vault duration strings) and `vault_mount`
//!   (`*_lease_ttl_seconds`, integers). TTL arguments of roles are integer seconds, except
//!   `vault_token.{ttl,period,explicit_max_ttl}` (strings Vault parses).
//! * Scripts: `vault|bao write auth/<mount>/role/<name> k=v …` (also `certs/`, `roles/` of the
//!   token store), `<mount>/roles/<name>` on database/aws mounts, `auth/token/create*`,
//!   `vault token create -flags`, `vault auth|secrets enable|tune -default-lease-ttl
//!   -max-lease-ttl`. Values are Vault durations (`ParseDurationSecond`).
//! * Server config: top-level `default_lease_ttl` / `max_lease_ttl`.
//!
//! Legacy aliases are normalised (`ttl` → `token_ttl`, `max_ttl` → `token_max_ttl`, `period`
//! → `token_period`, `policies` → `token_policies`, `bound_cidrs` → `token_bound_cidrs`,
//! `explicit_max_ttl` → `token_explicit_max_ttl`) for auth roles; the `token_*` name wins when
//! both are given.

use crate::duration::{parse_tf_seconds, parse_vault, Duration, DurationError};
use crate::location::{Location, Span};
use crate::model::file::ParsedFile;
use crate::model::inventory::Inventory;
use crate::model::script::{Arg, Command};
use crate::model::vault_hcl::HclKind;
use crate::syntax::hcl::{Attr, Block, Body, Expr};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The system default for both lease TTLs when the server config does not set them.
pub const SYSTEM_DEFAULT_HOURS: i64 = 768;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Terraform,
    Script,
    /// Read from a live server (`--vault`): the path is the response's `vault://` file.
    Live,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleKind {
    Kubernetes,
    AppRole,
    Jwt,
    Cert,
    /// A token store role (`auth/token/roles/<n>`, `vault_token_auth_backend_role`).
    TokenRole,
    /// An auth role on a mount whose type is not known.
    OtherAuth,
    Database,
    Aws,
}

impl RoleKind {
    pub fn is_auth(&self) -> bool {
        !matches!(self, RoleKind::Database | RoleKind::Aws)
    }
}

/// How a field's text is read as a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurSyntax {
    Vault,
    TfSeconds,
}

/// One item of a list value.
#[derive(Debug, Clone)]
pub struct Item {
    pub text: String,
    pub span: Span,
    /// A script word written without quotes (an unquoted `*` is subject to globbing).
    pub unquoted: bool,
}

/// A field value as written.
#[derive(Debug, Clone)]
pub struct Field {
    /// The key as written (a legacy alias stays visible here).
    pub key: String,
    pub key_span: Span,
    pub span: Span,
    /// Literal text (numbers as written, lists joined with `,`); `None` when not literal
    /// (a Terraform reference, `@file`).
    pub text: Option<String>,
    /// List items; a script scalar is a comma-separated list (`TypeCommaStringSlice`).
    pub items: Vec<Item>,
    pub syntax: DurSyntax,
    /// For script values: written without quotes.
    pub unquoted: bool,
}

/// A duration field read.
#[derive(Debug, Clone, PartialEq)]
pub enum DurValue {
    /// Absent, empty or `0`: inherit.
    Inherit,
    Set(Duration),
    Invalid(DurationError),
    Unknown,
}

impl Field {
    pub fn duration(&self) -> DurValue {
        let Some(t) = &self.text else {
            return DurValue::Unknown;
        };
        let r = match self.syntax {
            DurSyntax::Vault => parse_vault(t).map(|d| d.unwrap_or(Duration::ZERO)),
            DurSyntax::TfSeconds => parse_tf_seconds(t),
        };
        match r {
            Ok(d) if d.nanos <= 0 => DurValue::Inherit,
            Ok(d) => DurValue::Set(d),
            Err(e) => DurValue::Invalid(e),
        }
    }
    /// `true`/`false` per the API's weak bool; `None` when unknown.
    pub fn bool(&self) -> Option<bool> {
        match self.text.as_deref()? {
            "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
            "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
            _ => None,
        }
    }
}

/// An auth or secrets-engine role.
#[derive(Debug, Clone)]
pub struct Role {
    pub path: Arc<str>,
    pub source: Source,
    pub kind: RoleKind,
    /// Mount path without slashes (`kubernetes`, `k8s/prod`, `database`).
    pub mount: String,
    pub name: String,
    /// The role as a whole: the resource's labels, or the `write` path word.
    pub anchor: Span,
    pub fields: Vec<Field>,
}

/// Legacy alias for a canonical auth-role key.
fn alias_of(canonical: &str) -> Option<&'static str> {
    Some(match canonical {
        "token_ttl" => "ttl",
        "token_max_ttl" => "max_ttl",
        "token_period" => "period",
        "token_policies" => "policies",
        "token_bound_cidrs" => "bound_cidrs",
        "token_explicit_max_ttl" => "explicit_max_ttl",
        _ => return None,
    })
}

impl Role {
    /// A field by canonical name (auth roles fall back to the legacy alias).
    pub fn get(&self, key: &str) -> Option<&Field> {
        let own = self.fields.iter().rev().find(|f| f.key == key);
        if own.is_some() || !self.kind.is_auth() {
            return own;
        }
        let alias = alias_of(key)?;
        self.fields.iter().rev().find(|f| f.key == alias)
    }
    pub fn location(&self, span: Span) -> Location {
        Location::new(self.path.clone(), span)
    }
    /// `auth/kubernetes/role/app`, `database/roles/app`.
    pub fn display(&self) -> String {
        match self.kind {
            RoleKind::Cert => format!("auth/{}/certs/{}", self.mount, self.name),
            RoleKind::TokenRole => format!("auth/{}/roles/{}", self.mount, self.name),
            RoleKind::Database | RoleKind::Aws => format!("{}/roles/{}", self.mount, self.name),
            _ => format!("auth/{}/role/{}", self.mount, self.name),
        }
    }
    pub fn identity(&self) -> String {
        format!("{}#{}", self.path, self.display())
    }
}

/// A token created by code: `vault token create`, `vault write auth/token/create`,
/// Terraform `vault_token`.
#[derive(Debug, Clone)]
pub struct TokenCreate {
    pub path: Arc<str>,
    pub source: Source,
    pub anchor: Span,
    pub policies: Vec<Item>,
    pub ttl: Option<Field>,
    pub explicit_max_ttl: Option<Field>,
    pub period: Option<Field>,
    /// The `-orphan` flag / `no_parent = true` / `create-orphan` path.
    pub orphan: Option<Span>,
    /// `-role=<name>` / `role_name`: the role's settings apply.
    pub role: Option<String>,
    pub identity: String,
}

/// Tuning of one mount, from every source in the scan set (later settings win).
#[derive(Debug, Clone, Default)]
pub struct Mount {
    pub mount_type: Option<String>,
    pub default_ttl: Option<(Arc<str>, Field)>,
    pub max_ttl: Option<(Arc<str>, Field)>,
}

/// `vault operator generate-root` in a script.
#[derive(Debug, Clone)]
pub struct GenerateRoot {
    pub path: Arc<str>,
    pub span: Span,
}

/// Everything the scan set says about roles, tokens and lease ceilings.
#[derive(Debug, Default)]
pub struct RoleSet {
    pub roles: Vec<Role>,
    pub tokens: Vec<TokenCreate>,
    /// Auth mounts by path (`kubernetes`, `token`).
    pub auth_mounts: BTreeMap<String, Mount>,
    /// Secrets mounts by path.
    pub secret_mounts: BTreeMap<String, Mount>,
    pub server_default: Option<(Arc<str>, Field)>,
    pub server_max: Option<(Arc<str>, Field)>,
    pub generate_root: Vec<GenerateRoot>,
}

/// An effective lifetime and how it was found.
#[derive(Debug, Clone)]
pub struct Effective {
    pub value: Duration,
    /// `token_max_ttl unset → auth/kubernetes tune unset → server max_lease_ttl unset → 768h default`.
    pub chain: String,
    /// Where the deciding value is written, when it is written somewhere.
    pub at: Option<Location>,
    /// True when the role's own field decided it.
    pub from_role: bool,
}

impl RoleSet {
    /// The roles of one auth method or engine.
    pub fn of_kind(&self, kind: RoleKind) -> impl Iterator<Item = &Role> {
        self.roles.iter().filter(move |r| r.kind == kind)
    }

    pub fn build(inv: &Inventory) -> RoleSet {
        let mut set = RoleSet::default();
        for doc in inv.hcl_docs(HclKind::Server) {
            for (key, slot) in [
                ("default_lease_ttl", &mut set.server_default),
                ("max_lease_ttl", &mut set.server_max),
            ] {
                if let Some(a) = doc.body.attr(key) {
                    let f = hcl_field(a, DurSyntax::Vault);
                    // Several server configs: keep the longest, the worst case.
                    let longer = match (slot.as_ref().map(|(_, f)| f.duration()), f.duration()) {
                        (Some(DurValue::Set(old)), DurValue::Set(new)) => new > old,
                        (Some(_), _) => false,
                        (None, _) => true,
                    };
                    if longer {
                        *slot = Some((doc.path.clone(), f));
                    }
                }
            }
        }
        let tf: Vec<_> = inv.hcl_docs(HclKind::Terraform).collect();
        // Mounts first: role `backend` references resolve through them.
        let mut refs: BTreeMap<String, String> = BTreeMap::new();
        for doc in &tf {
            for b in resources(&doc.body) {
                terraform_mount(&doc.path, b, &mut set, &mut refs);
            }
        }
        for doc in &tf {
            for b in resources(&doc.body) {
                terraform_role(&doc.path, b, &refs, &mut set);
            }
        }
        for file in &inv.files {
            for c in &file.script.commands {
                if let Some(args) = vault_args(c) {
                    script_mount(file, args, &mut set);
                }
            }
        }
        for file in &inv.files {
            let mut n = 0;
            for c in &file.script.commands {
                if let Some(args) = vault_args(c) {
                    script_command(file, args, &mut n, &mut set);
                }
            }
        }
        // Live state last: what the server reports overrides what files declare.
        for state in &inv.live.vault {
            crate::model::live_vault::add_to_roles(inv, state, &mut set);
        }
        set
    }

    fn mount(&self, auth: bool, path: &str) -> Option<&Mount> {
        if auth {
            self.auth_mounts.get(path)
        } else {
            self.secret_mounts.get(path)
        }
    }

    /// The ceiling a mount puts on leases: its tuned value, else the server's, else 768h.
    /// `which` is `max` or `default`.
    pub fn mount_ceiling(&self, auth: bool, mount: &str, max: bool) -> Effective {
        let prefix = if auth {
            format!("auth/{mount}")
        } else {
            mount.to_owned()
        };
        let lease = if max {
            "max_lease_ttl"
        } else {
            "default_lease_ttl"
        };
        let mut chain = Vec::new();
        let tuned = self
            .mount(auth, mount)
            .and_then(|m| if max { &m.max_ttl } else { &m.default_ttl }.as_ref());
        match tuned.map(|(p, f)| (p, f, f.duration())) {
            Some((p, f, DurValue::Set(d))) => {
                return Effective {
                    value: d,
                    chain: format!("{prefix} tune {lease}={d}"),
                    at: Some(Location::new(p.clone(), f.span)),
                    from_role: false,
                }
            }
            Some((_, _, DurValue::Inherit)) => {
                chain.push(format!("{prefix} tune {lease}=0 (system default)"))
            }
            Some((_, f, DurValue::Invalid(_))) => chain.push(format!(
                "{prefix} tune {lease}={} rejected by Vault",
                f.text.as_deref().unwrap_or("")
            )),
            Some((_, _, DurValue::Unknown)) => {
                chain.push(format!("{prefix} tune {lease} not literal"))
            }
            None => chain.push(format!("{prefix} tune unset")),
        }
        let server = if max {
            &self.server_max
        } else {
            &self.server_default
        };
        match server.as_ref().map(|(p, f)| (p, f, f.duration())) {
            Some((p, f, DurValue::Set(d))) => {
                chain.push(format!("server {lease}={d}"));
                return Effective {
                    value: d,
                    chain: chain.join(" → "),
                    at: Some(Location::new(p.clone(), f.span)),
                    from_role: false,
                };
            }
            _ => chain.push(format!("server {lease} unset")),
        }
        chain.push(format!("{SYSTEM_DEFAULT_HOURS}h default"));
        Effective {
            value: Duration::from_hours(SYSTEM_DEFAULT_HOURS),
            chain: chain.join(" → "),
            at: None,
            from_role: false,
        }
    }

    /// Effective value of a role TTL field per §0.3: the role's own value (capped by the
    /// mount's max), else the mount tune, else the server, else 768h. `key` is the canonical
    /// field name; `max` says whether it is a max TTL (resolves through `max_lease_ttl`).
    /// Returns `Err` with the field when the value is not a duration Vault accepts, `Ok(None)`
    /// when it is not literal.
    pub fn effective(
        &self,
        role: &Role,
        key: &str,
        max: bool,
    ) -> Result<Option<Effective>, Box<(Field, DurationError)>> {
        let ceiling = self.mount_ceiling(role.kind.is_auth(), &role.mount, true);
        let field = role.get(key);
        let shown = field.map_or(key, |f| f.key.as_str());
        match field.map(|f| (f, f.duration())) {
            Some((f, DurValue::Set(d))) => {
                let raw = f.text.as_deref().unwrap_or("");
                let shown = if raw == d.to_string() {
                    format!("{shown}={d}")
                } else {
                    format!("{shown}={raw} (= {d})")
                };
                if d > ceiling.value {
                    return Ok(Some(Effective {
                        value: ceiling.value,
                        chain: format!("{shown} truncated to {}", ceiling.chain),
                        at: ceiling.at,
                        from_role: false,
                    }));
                }
                Ok(Some(Effective {
                    value: d,
                    chain: shown,
                    at: Some(role.location(f.span)),
                    from_role: true,
                }))
            }
            Some((f, DurValue::Invalid(e))) => Err(Box::new((f.clone(), e))),
            Some((_, DurValue::Unknown)) => Ok(None),
            inherit => {
                let what = if inherit.is_some() {
                    format!("{shown}=0 (inherit)")
                } else {
                    format!("{shown} unset")
                };
                let mut e = self.mount_ceiling(role.kind.is_auth(), &role.mount, max);
                if !max && e.value > ceiling.value {
                    e = Effective {
                        value: ceiling.value,
                        chain: format!("{} capped by {}", e.chain, ceiling.chain),
                        at: ceiling.at,
                        from_role: false,
                    };
                }
                e.chain = format!("{what} → {}", e.chain);
                Ok(Some(e))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Terraform

fn resources(body: &Body) -> impl Iterator<Item = &Block> {
    body.blocks("resource").filter(|b| b.labels.len() == 2)
}

fn tf_items(value: &Expr, span: Span) -> Vec<Item> {
    match value {
        Expr::Array(xs) => xs
            .iter()
            .filter_map(|(x, s)| {
                x.as_text().map(|t| Item {
                    text: t.to_owned(),
                    span: *s,
                    unquoted: false,
                })
            })
            .collect(),
        Expr::Str(s) => vec![Item {
            text: s.clone(),
            span,
            unquoted: false,
        }],
        _ => Vec::new(),
    }
}

fn hcl_field(a: &Attr, syntax: DurSyntax) -> Field {
    let text = match &a.value {
        Expr::Str(s) => Some(s.clone()),
        Expr::Number { raw, .. } => Some(raw.clone()),
        Expr::Bool(b) => Some(b.to_string()),
        Expr::Array(xs) => {
            let parts: Option<Vec<&str>> = xs.iter().map(|(x, _)| x.as_str()).collect();
            parts.map(|p| p.join(","))
        }
        Expr::Object(o) if o.is_empty() => Some("{}".into()),
        _ => None,
    };
    Field {
        key: a.key.clone(),
        key_span: a.key_span,
        span: a.value_span,
        text,
        items: tf_items(&a.value, a.value_span),
        syntax,
        unquoted: false,
    }
}

/// `vault_auth_backend.k8s.path` → the path that resource declares.
fn resolve_ref(e: &Expr, refs: &BTreeMap<String, String>) -> Option<String> {
    match e {
        Expr::Str(s) => Some(trim_mount(s)),
        Expr::Other(r) | Expr::Template(r) => {
            let r = r.trim().trim_start_matches("${").trim_end_matches('}');
            let base = r
                .strip_suffix(".path")
                .or_else(|| r.strip_suffix(".id"))
                .unwrap_or(r);
            refs.get(base).cloned()
        }
        _ => None,
    }
}

fn trim_mount(s: &str) -> String {
    let s = s.trim_matches('/');
    s.strip_prefix("auth/").unwrap_or(s).to_owned()
}

fn terraform_mount(
    path: &Arc<str>,
    b: &Block,
    set: &mut RoleSet,
    refs: &mut BTreeMap<String, String>,
) {
    let (rtype, rname) = (b.labels[0].as_str(), b.labels[1].as_str());
    let text = |k: &str| {
        b.body
            .attr(k)
            .and_then(|a| a.value.as_str())
            .map(str::to_owned)
    };
    match rtype {
        "vault_auth_backend" => {
            let Some(ty) = text("type") else { return };
            let mount_path = text("path").map_or_else(|| ty.clone(), |p| trim_mount(&p));
            refs.insert(format!("{rtype}.{rname}"), mount_path.clone());
            let m = set.auth_mounts.entry(mount_path).or_default();
            m.mount_type = Some(ty);
            for tune in b.body.blocks("tune") {
                if let Some(a) = tune.body.attr("default_lease_ttl") {
                    m.default_ttl = Some((path.clone(), hcl_field(a, DurSyntax::Vault)));
                }
                if let Some(a) = tune.body.attr("max_lease_ttl") {
                    m.max_ttl = Some((path.clone(), hcl_field(a, DurSyntax::Vault)));
                }
            }
        }
        "vault_mount" => {
            let Some(p) = text("path") else { return };
            let mount_path = trim_mount(&p);
            refs.insert(format!("{rtype}.{rname}"), mount_path.clone());
            let m = set.secret_mounts.entry(mount_path).or_default();
            m.mount_type = text("type");
            if let Some(a) = b.body.attr("default_lease_ttl_seconds") {
                m.default_ttl = Some((path.clone(), hcl_field(a, DurSyntax::TfSeconds)));
            }
            if let Some(a) = b.body.attr("max_lease_ttl_seconds") {
                m.max_ttl = Some((path.clone(), hcl_field(a, DurSyntax::TfSeconds)));
            }
        }
        "vault_database_secrets_mount" => {
            let Some(p) = text("path") else { return };
            refs.insert(format!("{rtype}.{rname}"), trim_mount(&p));
        }
        _ => {}
    }
}

fn terraform_role(path: &Arc<str>, b: &Block, refs: &BTreeMap<String, String>, set: &mut RoleSet) {
    let (rtype, rname) = (b.labels[0].as_str(), b.labels[1].as_str());
    let (kind, default_mount, name_key) = match rtype {
        "vault_kubernetes_auth_backend_role" => (RoleKind::Kubernetes, "kubernetes", "role_name"),
        "vault_approle_auth_backend_role" => (RoleKind::AppRole, "approle", "role_name"),
        "vault_jwt_auth_backend_role" => (RoleKind::Jwt, "jwt", "role_name"),
        "vault_cert_auth_backend_cert" => (RoleKind::Cert, "cert", "name"),
        "vault_token_auth_backend_role" => (RoleKind::TokenRole, "token", "role_name"),
        "vault_database_secret_backend_role" => (RoleKind::Database, "database", "name"),
        "vault_aws_secret_backend_role" => (RoleKind::Aws, "aws", "name"),
        "vault_token" => {
            terraform_token(path, b, set);
            return;
        }
        _ => return,
    };
    let mount = b
        .body
        .attr("backend")
        .and_then(|a| resolve_ref(&a.value, refs))
        .unwrap_or_else(|| default_mount.to_owned());
    let name = b
        .body
        .attr(name_key)
        .and_then(|a| a.value.as_str())
        .unwrap_or(rname)
        .to_owned();
    let fields = b
        .body
        .attrs
        .iter()
        .map(|a| hcl_field(a, DurSyntax::TfSeconds))
        .collect();
    set.roles.push(Role {
        path: path.clone(),
        source: Source::Terraform,
        kind,
        mount,
        name,
        // The `resource` keyword: the labels follow it on the same line.
        anchor: b.ident_span,
        fields,
    });
}

fn terraform_token(path: &Arc<str>, b: &Block, set: &mut RoleSet) {
    let f = |k: &str| b.body.attr(k).map(|a| hcl_field(a, DurSyntax::Vault));
    let orphan = b
        .body
        .attr("no_parent")
        .filter(|a| a.value.weak_bool() == crate::semantics::BoolReading::True)
        .map(|a| a.value_span);
    set.tokens.push(TokenCreate {
        path: path.clone(),
        source: Source::Terraform,
        anchor: b.ident_span,
        policies: b
            .body
            .attr("policies")
            .map(|a| tf_items(&a.value, a.value_span))
            .unwrap_or_default(),
        ttl: f("ttl"),
        explicit_max_ttl: f("explicit_max_ttl"),
        period: f("period"),
        orphan,
        role: b
            .body
            .attr("role_name")
            .and_then(|a| a.value.as_str())
            .map(str::to_owned),
        identity: format!("{path}#vault_token.{}", b.labels[1]),
    });
}

// ---------------------------------------------------------------------------------------
// Scripts

/// The words after `vault`/`bao` (also `docker run … vault …`).
pub fn vault_args(c: &Command) -> Option<&[Arg]> {
    let p = c.argv.iter().position(|a| {
        let base = a.text.rsplit('/').next().unwrap_or(&a.text);
        base == "vault" || base == "bao"
    })?;
    Some(&c.argv[p + 1..])
}

/// Splits `-name=value` / `--name=value` / `-name`; `None` for a non-flag.
fn flag(a: &str) -> Option<(&str, Option<&str>)> {
    let f = a.strip_prefix("--").or_else(|| a.strip_prefix('-'))?;
    if f.is_empty() {
        return None;
    }
    Some(match f.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (f, None),
    })
}

/// Flags of the Vault CLI that take no value.
const BOOL_FLAGS: &[&str] = &[
    "orphan",
    "no-default-policy",
    "force",
    "f",
    "local",
    "seal-wrap",
    "external-entropy-access",
    "non-interactive",
    "tls-skip-verify",
    "no-print",
    "field-only",
    "token-only",
    "no-store",
    "renewable",
];

/// `(flag name, value, span of the value part)` and the positional words.
struct Parsed<'a> {
    flags: Vec<(&'a str, Option<String>, &'a Arg)>,
    positional: Vec<&'a Arg>,
}

fn parse_args(args: &[Arg]) -> Parsed<'_> {
    let mut p = Parsed {
        flags: Vec::new(),
        positional: Vec::new(),
    };
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        // Go's flag package stops at the first positional argument, but the Vault CLI
        // re-parses flags after it; accept both orders.
        match flag(&a.text) {
            Some((n, Some(v))) => p.flags.push((n, Some(v.to_owned()), a)),
            Some((n, None)) if BOOL_FLAGS.contains(&n) => p.flags.push((n, None, a)),
            Some((n, None)) => {
                let v = args.get(i + 1);
                p.flags.push((n, v.map(|v| v.text.clone()), v.unwrap_or(a)));
                i += 1;
            }
            None => p.positional.push(a),
        }
        i += 1;
    }
    p
}

/// The source text a span covers, when it is on one line.
pub fn source_of(file: &ParsedFile, span: Span) -> Option<&str> {
    if span.start.line != span.end.line {
        return None;
    }
    // Through the file's line index: this runs for every `k=v` word of every `vault write`,
    // and walking the script from its top each time was quadratic in its length.
    let line = file.line(span.start.line.checked_sub(1)? as usize)?;
    let start = line.char_indices().nth(span.start.col as usize - 1)?.0;
    let end = line
        .char_indices()
        .nth(span.end.col as usize - 1)
        .map_or(line.len(), |(i, _)| i);
    line.get(start..end)
}

/// A `key=value` word as a field (value span: the part after `=` when the word sits on one
/// line, else the word).
fn script_field(file: &ParsedFile, a: &Arg, key: &str, value: &str) -> Field {
    let raw = source_of(file, a.span);
    let (span, unquoted, items) = match raw.and_then(|r| r.find('=').map(|i| (r, i))) {
        Some((r, eq)) if r[..eq] == *key => {
            let vstart = a.span.start.col + r[..=eq].chars().count() as u32;
            let vraw = &r[eq + 1..];
            let span = Span::new(
                crate::location::Pos::new(a.span.start.line, vstart),
                a.span.end,
            );
            let unquoted = !vraw.contains(['"', '\'', '\\']);
            let items = if unquoted {
                let mut col = vstart;
                vraw.split(',')
                    .map(|part| {
                        let n = part.chars().count() as u32;
                        let s = Span::new(
                            crate::location::Pos::new(a.span.start.line, col),
                            crate::location::Pos::new(a.span.start.line, col + n),
                        );
                        col += n + 1;
                        Item {
                            text: part.trim().to_owned(),
                            span: s,
                            unquoted: true,
                        }
                    })
                    .collect()
            } else {
                comma_items(value, span, false)
            };
            (span, unquoted, items)
        }
        _ => (a.span, false, comma_items(value, a.span, false)),
    };
    // `@file`, stdin and shell expansions are not literal: never judged, never "invalid".
    let literal = !value.starts_with('@') && value != "-" && !value.contains(['$', '`']);
    let text = literal.then(|| value.to_owned());
    Field {
        key: key.to_owned(),
        key_span: a.span,
        span,
        text,
        items,
        syntax: DurSyntax::Vault,
        unquoted,
    }
}

fn comma_items(value: &str, span: Span, unquoted: bool) -> Vec<Item> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|t| Item {
            text: t.to_owned(),
            span,
            unquoted,
        })
        .collect()
}

fn flag_field(file: &ParsedFile, name: &str, value: &str, a: &Arg) -> Field {
    let key = if a.text.starts_with('-') {
        a.text.split('=').next().unwrap_or(name).to_owned()
    } else {
        name.to_owned()
    };
    let mut f = if a.text.contains('=') && a.text.starts_with('-') {
        script_field(file, a, &key, value)
    } else {
        script_field(file, a, "", value)
    };
    f.key = format!("-{name}");
    f
}

/// `vault auth|secrets enable|tune` lines: mount types and tuning.
fn script_mount(file: &ParsedFile, args: &[Arg], set: &mut RoleSet) {
    let words: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
    let (auth, verb) = match words.as_slice() {
        ["auth", v, ..] => (true, *v),
        ["secrets", v, ..] => (false, *v),
        _ => return,
    };
    if verb != "enable" && verb != "tune" {
        return;
    }
    let p = parse_args(&args[2..]);
    let Some(last) = p.positional.first() else {
        return;
    };
    let path_flag = p
        .flags
        .iter()
        .find(|(n, _, _)| *n == "path")
        .and_then(|(_, v, _)| v.clone());
    let (mount_path, ty) = if verb == "enable" {
        let ty = last.text.clone();
        (
            trim_mount(&path_flag.unwrap_or_else(|| ty.clone())),
            Some(ty),
        )
    } else {
        (trim_mount(&last.text), None)
    };
    let mounts = if auth {
        &mut set.auth_mounts
    } else {
        &mut set.secret_mounts
    };
    let m = mounts.entry(mount_path).or_default();
    if let Some(ty) = ty {
        m.mount_type = Some(ty);
    }
    for (n, v, a) in &p.flags {
        let Some(v) = v else { continue };
        match *n {
            "default-lease-ttl" => {
                m.default_ttl = Some((file.path.clone(), flag_field(file, n, v, a)));
            }
            "max-lease-ttl" => {
                m.max_ttl = Some((file.path.clone(), flag_field(file, n, v, a)));
            }
            _ => {}
        }
    }
}

/// The kind of an auth role from its mount's type, its mount name, or its keys.
fn auth_kind(set: &RoleSet, mount: &str, keys: &[Field]) -> RoleKind {
    let ty = set
        .auth_mounts
        .get(mount)
        .and_then(|m| m.mount_type.clone())
        .unwrap_or_else(|| mount.to_owned());
    match ty.as_str() {
        "kubernetes" => return RoleKind::Kubernetes,
        "approle" => return RoleKind::AppRole,
        "jwt" | "oidc" => return RoleKind::Jwt,
        _ => {}
    }
    let has = |k: &str| keys.iter().any(|f| f.key == k);
    if has("bound_service_account_names") || has("bound_service_account_namespaces") {
        RoleKind::Kubernetes
    } else if has("bind_secret_id") || has("secret_id_ttl") || has("secret_id_num_uses") {
        RoleKind::AppRole
    } else if has("user_claim") || has("bound_audiences") {
        RoleKind::Jwt
    } else {
        RoleKind::OtherAuth
    }
}

fn secret_kind(set: &RoleSet, mount: &str) -> Option<RoleKind> {
    let ty = set
        .secret_mounts
        .get(mount)
        .and_then(|m| m.mount_type.clone())
        .unwrap_or_else(|| mount.to_owned());
    match ty.as_str() {
        "database" => Some(RoleKind::Database),
        "aws" => Some(RoleKind::Aws),
        _ => None,
    }
}

fn script_command(file: &ParsedFile, args: &[Arg], n: &mut usize, set: &mut RoleSet) {
    let words: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
    match words.as_slice() {
        ["write", ..] => script_write(file, &args[1..], n, set),
        ["token", "create", ..] => script_token_create(file, &args[2..], n, set),
        ["operator", "generate-root", rest @ ..]
            if !rest.iter().any(|w| {
                matches!(
                    flag(w),
                    Some(("status" | "cancel" | "generate-otp" | "decode", _))
                )
            }) =>
        {
            set.generate_root.push(GenerateRoot {
                path: file.path.clone(),
                span: args[0].span.join(args[1].span),
            });
        }
        _ => {}
    }
}

fn script_write(file: &ParsedFile, args: &[Arg], n: &mut usize, set: &mut RoleSet) {
    let p = parse_args(args);
    let Some(target) = p.positional.first() else {
        return;
    };
    // The whole request body from a file or stdin (`@role.json`, `-`): fields unknown.
    if p.positional[1..]
        .iter()
        .any(|a| !a.text.contains('=') && (a.text.starts_with('@') || a.text == "-"))
    {
        return;
    }
    let kv: Vec<Field> = p.positional[1..]
        .iter()
        .filter_map(|a| {
            let (k, v) = a.text.split_once('=')?;
            Some(script_field(file, a, k, v))
        })
        .collect();
    let path = target.text.trim_matches('/');
    *n += 1;
    // Token creation through the API path.
    if let Some(rest) = path.strip_prefix("auth/token/create") {
        let get = |k: &str| kv.iter().rev().find(|f| f.key == k).cloned();
        set.tokens.push(TokenCreate {
            path: file.path.clone(),
            source: Source::Script,
            anchor: target.span,
            policies: get("policies").map(|f| f.items).unwrap_or_default(),
            ttl: get("ttl"),
            explicit_max_ttl: get("explicit_max_ttl"),
            period: get("period"),
            orphan: (rest.starts_with("-orphan"))
                .then_some(target.span)
                .or_else(|| {
                    get("no_parent")
                        .filter(|f| f.bool() == Some(true))
                        .map(|f| f.span)
                }),
            role: rest.strip_prefix('/').map(str::to_owned),
            identity: format!("{}#write {path}#{n}", file.path),
        });
        return;
    }
    let segs: Vec<&str> = path.split('/').collect();
    let role = |kind: RoleKind, mount: String, name: &str| Role {
        path: file.path.clone(),
        source: Source::Script,
        kind,
        mount,
        name: name.to_owned(),
        anchor: target.span,
        fields: kv.clone(),
    };
    if segs.first() == Some(&"auth") && segs.len() >= 4 {
        let (coll, name) = (segs[segs.len() - 2], segs[segs.len() - 1]);
        let mount = segs[1..segs.len() - 2].join("/");
        let kind = match (coll, mount.as_str()) {
            ("role", _) => auth_kind(set, &mount, &kv),
            ("certs", _) => RoleKind::Cert,
            ("roles", "token") => RoleKind::TokenRole,
            _ => return,
        };
        set.roles.push(role(kind, mount, name));
    } else if segs.len() >= 3 && segs[segs.len() - 2] == "roles" {
        let mount = segs[..segs.len() - 2].join("/");
        if let Some(kind) = secret_kind(set, &mount) {
            let name = segs[segs.len() - 1];
            set.roles.push(role(kind, mount, name));
        }
    }
}

fn script_token_create(file: &ParsedFile, args: &[Arg], n: &mut usize, set: &mut RoleSet) {
    let p = parse_args(args);
    *n += 1;
    let mut t = TokenCreate {
        path: file.path.clone(),
        source: Source::Script,
        anchor: args.first().map_or(Span::file_start(), |a| a.span),
        policies: Vec::new(),
        ttl: None,
        explicit_max_ttl: None,
        period: None,
        orphan: None,
        role: None,
        identity: format!("{}#token create#{n}", file.path),
    };
    for (name, v, a) in &p.flags {
        let field = || v.as_deref().map(|v| flag_field(file, name, v, a));
        match *name {
            "policy" => {
                if let Some(f) = field() {
                    t.policies.extend(f.items);
                }
            }
            "ttl" => t.ttl = field(),
            "explicit-max-ttl" => t.explicit_max_ttl = field(),
            "period" => t.period = field(),
            "role" => t.role = v.clone(),
            "orphan" => {
                let on = v.as_deref().is_none_or(|v| {
                    crate::semantics::go_parse_bool(v) == crate::semantics::BoolReading::True
                });
                if on {
                    t.orphan = Some(a.span);
                }
            }
            _ => {}
        }
    }
    set.tokens.push(t);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::file::load_text;
    use crate::source::classify::{Format, ScriptKind};

    fn set(files: &[(&str, &str)]) -> RoleSet {
        let parsed = files
            .iter()
            .map(|(name, text)| {
                let format = if name.ends_with(".tf") {
                    Some(Format::Terraform)
                } else if name.ends_with(".hcl") {
                    None
                } else {
                    Some(Format::Script(ScriptKind::Shell))
                };
                load_text(name, (*text).to_owned(), format)
            })
            .collect();
        RoleSet::build(&Inventory::new(parsed, "default", &[]))
    }

    /// `source_of` quotes what walking the script's lines from the top quoted, for one-line
    /// spans on every line (CRLF, a BOM, no final newline), columns past a line's end, lines
    /// past the file's end, and never for a multi-line span.
    #[test]
    fn source_of_matches_walking_the_lines() {
        let text = "\u{feff}vault write auth/x/role/a ttl=1h\r\n\
                    \r\n\
                    vault write auth/x/role/b policies=é,b \\\r\n  max_ttl=2h";
        let file = load_text(
            "a.sh",
            text.to_owned(),
            Some(Format::Script(ScriptKind::Shell)),
        );
        let walked = |span: Span| -> Option<&str> {
            if span.start.line != span.end.line {
                return None;
            }
            let line = text.lines().nth(span.start.line.checked_sub(1)? as usize)?;
            let start = line.char_indices().nth(span.start.col as usize - 1)?.0;
            let end = line
                .char_indices()
                .nth(span.end.col as usize - 1)
                .map_or(line.len(), |(i, _)| i);
            line.get(start..end)
        };
        let pos = crate::location::Pos::new;
        for line in 0..6 {
            for (sc, ec, el) in [(1, 6, 0), (13, 40, 0), (30, 99, 0), (90, 95, 0), (1, 2, 1)] {
                let span = Span::new(pos(line, sc), pos(line + el, ec));
                assert_eq!(source_of(&file, span), walked(span), "{span:?}");
            }
        }
    }

    fn max_of(set: &RoleSet, i: usize) -> Effective {
        let role = &set.roles[i];
        set.effective(
            role,
            if role.kind.is_auth() {
                "token_max_ttl"
            } else {
                "max_ttl"
            },
            true,
        )
        .unwrap()
        .unwrap()
    }

    #[test]
    fn unset_max_resolves_to_the_default_with_its_chain() {
        let s = set(&[("a.sh", "vault write auth/kubernetes/role/x \\\n  ttl=1h\n")]);
        assert_eq!(s.roles.len(), 1);
        assert_eq!(s.roles[0].kind, RoleKind::Kubernetes);
        let m = max_of(&s, 0);
        assert_eq!(m.value, Duration::from_hours(768));
        assert_eq!(
            m.chain,
            "token_max_ttl unset → auth/kubernetes tune unset → server max_lease_ttl unset → 768h default"
        );
        // The legacy alias is read for token_ttl.
        let t = s
            .effective(&s.roles[0], "token_ttl", false)
            .unwrap()
            .unwrap();
        assert_eq!(t.value, Duration::from_hours(1));
        assert_eq!(t.chain, "ttl=1h");
    }

    #[test]
    fn tuned_mount_and_server_resolve_in_order() {
        let s = set(&[
            ("a.sh", "vault auth tune -max-lease-ttl=4h kubernetes/\nvault write auth/kubernetes/role/x bound_service_account_names=a max_ttl=0\nvault write database/roles/d db_name=x\n"),
            ("server.hcl", "max_lease_ttl = \"2h\"\nstorage \"raft\" {}\n"),
        ]);
        let m = max_of(&s, 0);
        assert_eq!(m.value, Duration::from_hours(4));
        assert_eq!(
            m.chain,
            "max_ttl=0 (inherit) → auth/kubernetes tune max_lease_ttl=4h"
        );
        let d = max_of(&s, 1);
        assert_eq!(d.value, Duration::from_hours(2));
        assert_eq!(
            d.chain,
            "max_ttl unset → database tune unset → server max_lease_ttl=2h"
        );
    }

    #[test]
    fn role_max_above_the_mount_is_truncated_and_bad_values_are_errors() {
        let s = set(&[(
            "main.tf",
            r#"
resource "vault_auth_backend" "k" {
  type = "kubernetes"
  path = "k8s"
  tune {
    max_lease_ttl = "4h"
  }
}
resource "vault_kubernetes_auth_backend_role" "r" {
  backend       = vault_auth_backend.k.path
  role_name     = "r"
  token_max_ttl = 86400
}
resource "vault_kubernetes_auth_backend_role" "bad" {
  role_name     = "bad"
  token_max_ttl = "1h"
}
"#,
        )]);
        assert_eq!(s.roles[0].mount, "k8s");
        let m = max_of(&s, 0);
        assert_eq!(m.value, Duration::from_hours(4));
        assert_eq!(
            m.chain,
            "token_max_ttl=86400 (= 24h) truncated to auth/k8s tune max_lease_ttl=4h"
        );
        let e = s.effective(&s.roles[1], "token_max_ttl", true).unwrap_err();
        assert_eq!(e.1, DurationError::NotInteger);
    }

    #[test]
    fn script_values_keep_quoting_and_skip_expansions() {
        let s = set(&[(
            "a.sh",
            "vault write auth/kubernetes/role/x bound_service_account_namespaces=* bound_service_account_names=\"*\" token_max_ttl=$MAX\nvault write database/roles/y @role.json\n",
        )]);
        assert_eq!(s.roles.len(), 1, "a body read from a file is not judged");
        let r = &s.roles[0];
        let ns = r.get("bound_service_account_namespaces").unwrap();
        assert!(ns.items[0].unquoted && ns.items[0].text == "*");
        let names = r.get("bound_service_account_names").unwrap();
        assert!(!names.items[0].unquoted && names.items[0].text == "*");
        assert_eq!(
            r.get("token_max_ttl").unwrap().duration(),
            DurValue::Unknown
        );
    }

    #[test]
    fn token_create_flags() {
        let s = set(&[(
            "a.sh",
            "vault token create -policy root -orphan -period=24h\nvault write auth/token/create-orphan policies=a,root\n",
        )]);
        assert_eq!(s.tokens.len(), 2);
        assert_eq!(s.tokens[0].policies[0].text, "root");
        assert!(s.tokens[0].orphan.is_some());
        assert_eq!(
            s.tokens[0].period.as_ref().unwrap().duration(),
            DurValue::Set(Duration::from_hours(24))
        );
        assert!(s.tokens[1].orphan.is_some());
        assert!(s.tokens[1].policies.iter().any(|p| p.text == "root"));
    }

    #[test]
    fn flags_split() {
        assert_eq!(flag("-ttl=1h"), Some(("ttl", Some("1h"))));
        assert_eq!(flag("--orphan"), Some(("orphan", None)));
        assert_eq!(flag("auth/x"), None);
        assert_eq!(alias_of("token_ttl"), Some("ttl"));
    }
}
