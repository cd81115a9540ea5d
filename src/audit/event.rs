//! The owned, compact form of a response entry that the detectors read: built in the parallel
//! parse stage from a borrowed `Record`, then merged by time and fed to every detector.

use crate::audit::record::{AccessorField, Auth, Record};
use std::sync::Arc;

/// The `auth.accessor` key the brief's detector groups by.
pub const UNAUTHENTICATED: &str = "unauthenticated";
/// Internal key of a JSON `null` accessor (distinct from an absent one, as in the brief).
pub const NULL_ACCESSOR: &str = "\u{0}null";

/// `request.operation`, as far as the detectors distinguish it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    Read,
    List,
    Create,
    Update,
    Patch,
    Delete,
    Other,
}

impl Op {
    pub fn parse(s: Option<&str>) -> Op {
        match s {
            Some("read") => Op::Read,
            Some("list") => Op::List,
            Some("create") => Op::Create,
            Some("update") => Op::Update,
            Some("patch") => Op::Patch,
            Some("delete") => Op::Delete,
            _ => Op::Other,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Read => "read",
            Op::List => "list",
            Op::Create => "create",
            Op::Update => "update",
            Op::Patch => "patch",
            Op::Delete => "delete",
            Op::Other => "other",
        }
    }
}

/// Who a token belongs to, for allow-lists and evidence (never the HMAC'd accessor).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    pub display_name: Option<String>,
    pub entity_id: Option<String>,
    /// `auth.policies` then `auth.token_policies`, de-duplicated.
    pub policies: Vec<String>,
    /// `auth.metadata` (k8s logins: `role`, `service_account_name`, `service_account_namespace`).
    pub metadata: Vec<(String, String)>,
}

impl Identity {
    pub fn from_auth(a: &Auth<'_>) -> Identity {
        let mut policies: Vec<String> = Vec::new();
        for p in a.policies.0.iter().chain(&a.token_policies.0) {
            if !policies.iter().any(|x| x == p.as_str()) {
                policies.push(p.as_str().to_owned());
            }
        }
        Identity {
            display_name: a.display_name.as_ref().map(|s| s.as_str().to_owned()),
            entity_id: a
                .entity_id
                .as_ref()
                .map(|s| s.as_str().to_owned())
                .filter(|s| !s.is_empty()),
            policies,
            metadata: a
                .metadata
                .0
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), v.as_str().to_owned()))
                .collect(),
        }
    }
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.metadata
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    /// `namespace/name` of a Kubernetes service account, when the metadata names one.
    pub fn service_account(&self) -> Option<String> {
        let name = self.meta("service_account_name")?;
        Some(match self.meta("service_account_namespace") {
            Some(ns) => format!("{ns}/{name}"),
            None => name.to_owned(),
        })
    }
    pub fn is_empty(&self) -> bool {
        *self == Identity::default()
    }
}

/// A token issued by a response (`response.auth`): logins and `auth/token/create`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub accessor: Option<Box<str>>,
    pub root: bool,
    pub identity: Identity,
}

/// One response entry, owned.
#[derive(Debug, Clone)]
pub struct Event {
    /// Microseconds since the epoch (truncated like Python's datetime).
    pub ts: i64,
    /// Index of the input it came from, and its 1-based line there.
    pub src: u32,
    pub line: u64,
    pub id: Option<Box<str>>,
    /// The grouping key (`unauthenticated` when absent, `NULL_ACCESSOR` for null).
    pub accessor: Arc<str>,
    /// True when `auth.accessor` is a real string (AUD002 needs a token to follow).
    pub has_accessor: bool,
    pub op: Op,
    /// `request.operation` as logged (evidence only).
    pub path: Box<str>,
    pub mount_type: Option<Box<str>>,
    pub mount_point: Option<Box<str>>,
    pub addr: Option<Box<str>>,
    pub failed: bool,
    /// The error mentions `permission denied`.
    pub denied: bool,
    /// `root` in `auth.policies`/`auth.token_policies`, or display name `root`.
    pub root_use: bool,
    pub issued: Option<Box<Issued>>,
    /// Set on the first event of each accessor within a parse chunk (the detectors need it
    /// once per accessor; building it per line would cost an allocation storm).
    pub identity: Option<Box<Identity>>,
}

/// What the parse stage could not use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// Not a response entry (request entries are counted, not analysed: every request has its
    /// response, with the same auth and address).
    NotResponse,
    /// A response whose `time` is missing or unparseable (the brief skips these too).
    BadTime,
}

/// Builds the event of a record. `want_identity` says whether to attach the identity.
pub fn from_record(
    r: &Record<'_>,
    src: u32,
    line: u64,
    want_identity: impl FnOnce(&str) -> bool,
) -> Result<Event, Skip> {
    if !r.is_response() {
        return Err(Skip::NotResponse);
    }
    let ts = r.micros().ok_or(Skip::BadTime)?;
    let (accessor, has_accessor): (Arc<str>, bool) = match r.auth.as_ref().map(|a| &a.accessor) {
        None | Some(AccessorField::Absent) => (Arc::from(UNAUTHENTICATED), false),
        Some(AccessorField::Null) => (Arc::from(NULL_ACCESSOR), false),
        Some(AccessorField::Value(s)) => (Arc::from(s.as_str()), true),
    };
    let req = r.request.as_ref();
    let boxed = |s: Option<&crate::audit::record::Str<'_>>| s.map(|s| Box::from(s.as_str()));
    let error_denied = r
        .error
        .as_ref()
        .is_some_and(|e| e.as_str().contains("permission denied"));
    let root_use = r.auth.as_ref().is_some_and(|a| {
        a.policies.contains("root")
            || a.token_policies.contains("root")
            || a.display_name
                .as_ref()
                .is_some_and(|d| d.as_str() == "root")
    });
    let issued = r
        .response
        .as_ref()
        .and_then(|resp| resp.auth.as_ref())
        .map(|a| {
            Box::new(Issued {
                accessor: match &a.accessor {
                    AccessorField::Value(s) => Some(Box::from(s.as_str())),
                    _ => None,
                },
                root: a.policies.contains("root") || a.token_policies.contains("root"),
                identity: Identity::from_auth(a),
            })
        });
    let identity = match &r.auth {
        Some(a) if want_identity(&accessor) => Some(Box::new(Identity::from_auth(a))),
        _ => None,
    };
    Ok(Event {
        ts,
        src,
        line,
        id: boxed(req.and_then(|q| q.id.as_ref())),
        accessor,
        has_accessor,
        op: Op::parse(req.and_then(|q| q.operation.as_ref()).map(|s| s.as_str())),
        path: req
            .and_then(|q| q.path.as_ref())
            .map_or_else(|| Box::from(""), |p| Box::from(p.as_str())),
        mount_type: boxed(req.and_then(|q| q.mount_type.as_ref())),
        mount_point: boxed(req.and_then(|q| q.mount_point.as_ref())),
        addr: boxed(req.and_then(|q| q.remote_address.as_ref())).filter(|a| !a.is_empty()),
        failed: r.failed(),
        denied: error_denied,
        root_use,
        issued,
        identity,
    })
}

/// The accessor as reports show it.
pub fn display_accessor(key: &str) -> &str {
    if key == NULL_ACCESSOR {
        "null"
    } else {
        key
    }
}
