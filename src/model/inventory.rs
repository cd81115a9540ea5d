//! The inventory: every parsed file plus the indexes cross-file rules query (ConfigMaps and
//! Secrets by namespace and name, namespaces assigned by kustomizations).

use crate::model::file::ParsedFile;
use crate::model::helm::{self, Release, Values};
use crate::model::k8s::{is_cluster_scoped, K8sObject, Workload};
use crate::model::vault_hcl::{HclDoc, HclKind};
use crate::source::classify::YamlRole;
use crate::source::paths::{join, normalize};
use crate::syntax::yaml::Node;
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;

/// Where an object sits: its file's index in [`Inventory::files`] and its own in the file's
/// objects. Ordered as the scan lists objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ObjectRef {
    file: u32,
    object: u32,
}

impl ObjectRef {
    fn new(file: usize, object: usize) -> ObjectRef {
        // A scan that held 4 billion files or objects would have run out of memory first.
        ObjectRef {
            file: u32::try_from(file).expect("fewer than 2^32 files"),
            object: u32::try_from(object).expect("fewer than 2^32 objects in a file"),
        }
    }
}

/// Everything a scan read, indexed.
pub struct Inventory {
    pub files: Vec<ParsedFile>,
    /// (namespace, name) → (file index, object index), for ConfigMaps.
    config_maps: HashMap<(String, String), (usize, usize)>,
    secrets: HashMap<(String, String), (usize, usize)>,
    /// Display path → index into `files`.
    by_path: HashMap<std::sync::Arc<str>, usize>,
    /// Objects by kind, each list in scan order. Rules ask for a few kinds, some of them
    /// once per object (an Issuer per CA Certificate, a SecretProviderClass per CSI volume):
    /// a pass over every object per question made those quadratic.
    by_kind: HashMap<String, Vec<ObjectRef>>,
    /// The objects that run pods, in scan order: a dozen rules walk them.
    workload_refs: Vec<ObjectRef>,
    /// `--helm-values FILE[=CHART]` specs, as given.
    pub helm_values: Vec<String>,
    /// Values files tied to the vault/openbao/vault-secrets-operator charts (§0.7).
    pub helm: Vec<Release>,
    /// The role model (§1(f)), built on first use.
    vault_roles: std::sync::OnceLock<crate::model::vault_roles::RoleSet>,
    /// Every container's resolved environment (§0.5), built on first use.
    container_envs: std::sync::OnceLock<Vec<crate::model::env::ContainerEnv>>,
    /// The KV mount model (ROL009, XSR005), built on first use.
    kv_mounts: std::sync::OnceLock<crate::model::kv_mounts::KvMounts>,
    /// The ACL policies (§1(c)), parsed on first use.
    policies: std::sync::OnceLock<Vec<crate::model::policies::ScannedPolicy>>,
    /// The policies by the first path segments they govern (POL002–POL006), built on first
    /// use.
    policy_heads: std::sync::OnceLock<crate::model::policy_heads::PolicyHeads>,
    /// Facts read from live systems (`--kube`, `--aws`, `--vault`); empty for static scans.
    pub live: crate::model::live::LiveFacts,
    /// The scan's default namespace (§0.5), for objects that name none.
    pub default_namespace: String,
    /// The network isolation model (K8S010–K8S014, XSR001), built on first use.
    netpol: std::sync::OnceLock<crate::model::netpol::NetpolModel>,
    /// The AWS networking model of the Terraform files (§1(g)), built on first use.
    aws_terraform: std::sync::OnceLock<crate::model::live::aws::AwsState>,
    /// Every secret path injected agents request (INJ006, XSR006), found on first use.
    injected_secrets: std::sync::OnceLock<Vec<crate::model::consumers::InjectedFact>>,
    /// The workloads consuming each (namespace, ConfigMap), in scan order, found on first use
    /// (K8S007 asks for every flagged key: a pass over every workload per key was quadratic).
    config_map_consumers: std::sync::OnceLock<HashMap<(String, String), Vec<ObjectRef>>>,
}

impl Inventory {
    /// Builds the inventory; `default_namespace` is what `kubectl apply -f` would use,
    /// `helm_values` the `--helm-values FILE[=CHART]` specs.
    pub fn new(
        mut files: Vec<ParsedFile>,
        default_namespace: &str,
        helm_values: &[String],
    ) -> Inventory {
        let kustomized = kustomization_namespaces(&files);
        // Every file on its own: a large scan assigns hundreds of thousands of namespaces.
        files.par_iter_mut().for_each(|file| {
            let from_kustomize = kustomized.namespace_of(&file.path);
            for obj in &mut file.objects {
                obj.namespace = if is_cluster_scoped(&obj.kind) {
                    String::new()
                } else {
                    from_kustomize
                        .or(obj.declared_namespace.as_deref())
                        .unwrap_or(default_namespace)
                        .to_owned()
                };
            }
        });
        resolve_policy_refs(&mut files);
        // Three independent reads of the files, side by side.
        let ((by_path, helm), index) = rayon::join(
            || {
                rayon::join(
                    || files_by_path(&files),
                    || helm::releases(&files, helm_values),
                )
            },
            || ObjectIndex::build(&files),
        );
        // Server configs the charts would render from the values files' own strings are
        // judged like any server config, at their inner spans (§0.7).
        for (fi, doc) in helm::embedded_server_configs(&files, &helm) {
            match doc {
                Ok(doc) => files[fi].hcl.push(doc),
                Err(diag) => files[fi].diagnostics.push(diag),
            }
        }
        let ObjectIndex {
            by_kind,
            workload_refs,
            config_maps,
            secrets,
        } = index;
        Inventory {
            files,
            config_maps,
            by_path,
            by_kind,
            workload_refs,
            secrets,
            helm_values: helm_values.to_vec(),
            helm,
            vault_roles: std::sync::OnceLock::new(),
            container_envs: std::sync::OnceLock::new(),
            kv_mounts: std::sync::OnceLock::new(),
            policies: std::sync::OnceLock::new(),
            policy_heads: std::sync::OnceLock::new(),
            live: Default::default(),
            default_namespace: default_namespace.to_owned(),
            netpol: std::sync::OnceLock::new(),
            aws_terraform: std::sync::OnceLock::new(),
            injected_secrets: std::sync::OnceLock::new(),
            config_map_consumers: std::sync::OnceLock::new(),
        }
    }

    /// Builds the shared models the rules query, each on its own core where there are
    /// several, so no rule thread waits idle on another's lazy build of the same model.
    pub fn build_models(&self) {
        // Each entry forces one lazily built model.
        type Build<'a> = &'a (dyn Fn(&Inventory) + Sync);
        let models: [(&str, Build); 7] = [
            ("policies", &|inv| {
                inv.policy_heads();
            }),
            ("netpol", &|inv| {
                inv.netpol();
            }),
            ("container envs", &|inv| {
                inv.container_envs();
            }),
            ("vault roles", &|inv| {
                inv.vault_roles();
            }),
            ("kv mounts", &|inv| {
                inv.kv_mounts();
            }),
            ("aws terraform", &|inv| {
                inv.aws_states().count();
            }),
            ("injected secrets", &|inv| {
                inv.injected_secrets().count();
            }),
        ];
        rayon::scope(|s| {
            for (name, build) in models {
                s.spawn(move |_| {
                    crate::engine::timings::timed(&format!("  model {name}"), || build(self));
                });
            }
        });
    }

    /// The AWS networking states to judge: the Terraform files' model and the live one.
    pub fn aws_states(&self) -> impl Iterator<Item = &crate::model::live::aws::AwsState> {
        let tf = self
            .aws_terraform
            .get_or_init(|| crate::model::aws_terraform::build(self.hcl_docs(HclKind::Terraform)));
        std::iter::once(tf).chain(self.live.aws.as_ref())
    }

    pub fn objects(&self) -> impl Iterator<Item = &K8sObject> {
        self.files.iter().flat_map(|f| f.objects.iter())
    }
    /// The objects of any of `kinds`, in scan order (as [`Inventory::objects`] lists them).
    pub fn objects_of_kind<'a>(
        &'a self,
        kinds: &[&str],
    ) -> impl Iterator<Item = &'a K8sObject> + 'a {
        let mut refs: Vec<ObjectRef> = kinds
            .iter()
            .filter_map(|k| self.by_kind.get(*k))
            .flatten()
            .copied()
            .collect();
        if kinds.len() > 1 {
            refs.sort_unstable();
            refs.dedup();
        }
        refs.into_iter().map(|r| self.object_at(r))
    }
    /// Every object that runs pods, seen through its pod template, in scan order.
    pub fn workloads(&self) -> impl Iterator<Item = Workload<'_>> {
        self.workload_refs
            .iter()
            .filter_map(|&r| self.object_at(r).workload())
    }
    /// Every workload with its position, for facts kept past the borrow.
    pub fn workloads_at(&self) -> impl Iterator<Item = (ObjectRef, Workload<'_>)> {
        self.workload_refs
            .iter()
            .filter_map(|&r| Some((r, self.object_at(r).workload()?)))
    }
    /// The workload at a position [`Inventory::workloads_at`] gave.
    pub fn workload_at(&self, r: ObjectRef) -> Option<Workload<'_>> {
        self.object_at(r).workload()
    }
    fn object_at(&self, r: ObjectRef) -> &K8sObject {
        &self.files[r.file as usize].objects[r.object as usize]
    }
    /// Every secret path injected agents request (RULES-SPEC §3 `InjectedSecret`), in scan
    /// order.
    pub fn injected_secrets(
        &self,
    ) -> impl Iterator<Item = crate::model::consumers::InjectedSecret<'_>> {
        self.injected_secrets
            .get_or_init(|| crate::model::consumers::find_injected_secrets(self))
            .iter()
            .filter_map(|f| f.view(self))
    }
    pub fn hcl_docs(&self, kind: HclKind) -> impl Iterator<Item = &HclDoc> {
        self.files
            .iter()
            .flat_map(|f| f.hcl.iter())
            .filter(move |d| d.kind == kind)
    }
    /// Every chart release found in the scan set, as value views.
    pub fn helm_releases(&self) -> impl Iterator<Item = Values<'_>> {
        self.helm.iter().map(|r| Values::new(r, &self.files))
    }
    /// Roles, tokens, mount tuning and server lease defaults of the whole scan set.
    pub fn vault_roles(&self) -> &crate::model::vault_roles::RoleSet {
        self.vault_roles
            .get_or_init(|| crate::model::vault_roles::RoleSet::build(self))
    }
    /// KV mounts the scan set declares (look paths up with `.sealant.yaml` via
    /// [`crate::model::kv_mounts::KvMounts::lookup`]).
    pub fn kv_mounts(&self) -> &crate::model::kv_mounts::KvMounts {
        self.kv_mounts
            .get_or_init(|| crate::model::kv_mounts::KvMounts::build(self))
    }
    /// Every ACL policy document of the scan set (`hcl_docs(HclKind::Policy)`), parsed once,
    /// each with its one-policy ACL.
    pub fn policies(&self) -> &[crate::model::policies::ScannedPolicy] {
        self.policies
            .get_or_init(|| crate::model::policies::build(&self.files))
    }
    /// The policies of [`Inventory::policies`] by the first path segments their rules can
    /// govern, so a rule probing a few mounts visits only the policies that reach them.
    pub fn policy_heads(&self) -> &crate::model::policy_heads::PolicyHeads {
        self.policy_heads
            .get_or_init(|| crate::model::policy_heads::PolicyHeads::build(self.policies()))
    }
    /// The document a scanned policy was read from.
    pub fn policy_doc(&self, p: &crate::model::policies::ScannedPolicy) -> &HclDoc {
        &self.files[p.file].hcl[p.doc]
    }
    /// Every container's resolved environment, resolved once for all env rules.
    pub fn container_envs(&self) -> &[crate::model::env::ContainerEnv] {
        self.container_envs
            .get_or_init(|| crate::model::env::resolve_all(self))
    }
    /// The network isolation model: policies, pods and coverage per namespace.
    pub fn netpol(&self) -> &crate::model::netpol::NetpolModel {
        self.netpol
            .get_or_init(|| crate::model::netpol::NetpolModel::build(self, &self.default_namespace))
    }
    /// The file a location points into.
    pub fn file(&self, path: &str) -> Option<&ParsedFile> {
        self.files.get(*self.by_path.get(path)?)
    }
    pub fn config_map(&self, namespace: &str, name: &str) -> Option<&K8sObject> {
        self.lookup(&self.config_maps, namespace, name)
    }
    pub fn secret(&self, namespace: &str, name: &str) -> Option<&K8sObject> {
        self.lookup(&self.secrets, namespace, name)
    }
    fn lookup(
        &self,
        index: &HashMap<(String, String), (usize, usize)>,
        ns: &str,
        name: &str,
    ) -> Option<&K8sObject> {
        let (fi, oi) = index.get(&(ns.to_owned(), name.to_owned()))?;
        self.files.get(*fi)?.objects.get(*oi)
    }
    /// Workloads that consume a ConfigMap (through `envFrom`, `configMapKeyRef` or a volume).
    pub fn consumers_of_config_map<'a>(
        &'a self,
        cm: &'a K8sObject,
    ) -> impl Iterator<Item = Workload<'a>> + 'a {
        self.config_map_consumers
            .get_or_init(|| config_map_consumers(self))
            .get(&(cm.namespace.clone(), cm.name.clone()))
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&r| self.workload_at(r))
    }
}

/// Every workload by the (namespace, ConfigMap) it consumes, each once per ConfigMap, in
/// scan order: one pass over the workloads answers every [`Inventory::consumers_of_config_map`].
fn config_map_consumers(inv: &Inventory) -> HashMap<(String, String), Vec<ObjectRef>> {
    let mut out: HashMap<(String, String), Vec<ObjectRef>> = HashMap::new();
    for (r, w) in inv.workloads_at() {
        for name in config_maps_referenced(&w) {
            let list = out
                .entry((w.object.namespace.clone(), name.to_owned()))
                .or_default();
            // A workload naming one ConfigMap twice is one consumer.
            if list.last() != Some(&r) {
                list.push(r);
            }
        }
    }
    out
}

/// The ConfigMap names a workload refers to (`envFrom`, `configMapKeyRef`, volumes), with
/// repeats.
fn config_maps_referenced<'a>(w: &Workload<'a>) -> Vec<&'a str> {
    let name = |n: Option<&'a Node>| n.and_then(|n| n.get("name")).and_then(Node::as_str);
    let items = |n: Option<&'a Node>| n.map(Node::items).unwrap_or(&[]);
    let mut out = Vec::new();
    for c in w.containers() {
        let from = items(c.node.get("envFrom")).iter();
        out.extend(from.filter_map(|f| name(f.get("configMapRef"))));
        let env = items(c.node.get("env")).iter();
        out.extend(env.filter_map(|e| name(e.path(&["valueFrom", "configMapKeyRef"]))));
    }
    let volumes = items(w.pod_spec.get("volumes")).iter();
    out.extend(volumes.filter_map(|v| name(v.get("configMap"))));
    out
}

/// A policy file written under a name elsewhere in the scan set (`policy = file("x.hcl")`,
/// `vault policy write NAME x.hcl`) takes that name, and the reference as its container.
fn resolve_policy_refs(files: &mut [ParsedFile]) {
    use crate::model::policy_sources::join_path;
    let refs: Vec<_> = files
        .iter()
        .flat_map(|f| f.policy_refs.iter().cloned())
        .collect();
    if refs.is_empty() {
        return;
    }
    // One normalized-path index, not a pass over every file per reference (that was
    // quadratic: 500 scripts writing policies in a 10k-file repo took most of the scan).
    // Only files with a policy a reference can name are indexed: normalizing every path of
    // a large scan was most of the inventory's time.
    let unnamed_policy = |d: &HclDoc| d.kind == HclKind::Policy && d.container.is_none();
    let mut by_path: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        if f.hcl.iter().any(unnamed_policy) {
            by_path.entry(join_path("", &f.path)).or_default().push(i);
        }
    }
    for r in refs {
        let Some(found) = by_path.get(&join_path("", &r.file)) else {
            continue;
        };
        for &fi in found {
            let f = &mut files[fi];
            for doc in f.hcl.iter_mut().filter(|d| unnamed_policy(d)) {
                doc.name.clone_from(&r.name);
                doc.container = Some(r.at.clone());
                doc.origin = Some(r.origin.clone());
            }
        }
    }
}

/// Whether the workload consumes the ConfigMap: the per-workload test the consumer index
/// replaced, kept as the tests' oracle.
#[cfg(test)]
fn references_config_map(w: &Workload<'_>, name: &str) -> bool {
    let named =
        |n: Option<&Node>| n.and_then(|n| n.get("name")).and_then(Node::as_str) == Some(name);
    let in_containers = w.containers().any(|c| {
        c.node
            .get("envFrom")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .any(|f| named(f.get("configMapRef")))
            || c.node
                .get("env")
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .any(|e| named(e.path(&["valueFrom", "configMapKeyRef"])))
    });
    in_containers
        || w.pod_spec
            .get("volumes")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .any(|v| named(v.get("configMap")))
}

/// The namespaces kustomizations set, by scope: each resource or base a kustomization with
/// a `namespace:` lists, as a normalized path (a file, or a directory covering everything
/// under it). Where two list the same scope, the first in scan order wins.
#[derive(Debug, Default)]
struct KustomizedScopes(HashMap<String, String>);

impl KustomizedScopes {
    /// The namespace of the nearest scope covering `path`: the path itself, else its closest
    /// ancestor directory that is a scope. One lookup per ancestor, so a repository of many
    /// overlays costs the depth of its paths per file, not the number of kustomizations.
    fn namespace_of(&self, path: &str) -> Option<&str> {
        if self.0.is_empty() {
            return None;
        }
        let path = normalize(path);
        let mut scope = path.as_str();
        loop {
            if let Some(ns) = self.0.get(scope) {
                return Some(ns);
            }
            // The empty scope (a kustomization at the root naming `.`) covers no path:
            // scan paths are relative and never start with `/`.
            scope = scope.rsplit_once('/')?.0;
        }
    }
}

/// The scopes of every kustomization with a `namespace:`.
fn kustomization_namespaces(files: &[ParsedFile]) -> KustomizedScopes {
    let mut out = KustomizedScopes::default();
    for f in files
        .iter()
        .filter(|f| f.yaml_role == Some(YamlRole::Kustomization))
    {
        let Some(doc) = f
            .documents
            .first()
            .map(|d| &d.root)
            .or_else(|| f.objects.first().map(|o| o.root()))
        else {
            continue;
        };
        let Some(ns) = doc.get("namespace").and_then(Node::as_str) else {
            continue;
        };
        let dir = f.path.rsplit_once('/').map_or("", |(d, _)| d);
        for key in ["resources", "bases"] {
            for r in doc.get(key).map(Node::items).unwrap_or(&[]) {
                let Some(r) = r.as_str() else { continue };
                if r.contains("://") {
                    continue;
                }
                out.0
                    .entry(normalize(&join(dir, r)))
                    .or_insert_with(|| ns.to_owned());
            }
        }
    }
    out
}

/// The object lookups the inventory keeps, built in one pass over every object in scan order.
struct ObjectIndex {
    by_kind: HashMap<String, Vec<ObjectRef>>,
    workload_refs: Vec<ObjectRef>,
    config_maps: HashMap<(String, String), (usize, usize)>,
    secrets: HashMap<(String, String), (usize, usize)>,
}

impl ObjectIndex {
    fn build(files: &[ParsedFile]) -> ObjectIndex {
        let mut index = ObjectIndex {
            by_kind: HashMap::new(),
            workload_refs: Vec::new(),
            config_maps: HashMap::new(),
            secrets: HashMap::new(),
        };
        for (fi, file) in files.iter().enumerate() {
            for (oi, obj) in file.objects.iter().enumerate() {
                let at = ObjectRef::new(fi, oi);
                match index.by_kind.get_mut(obj.kind.as_str()) {
                    Some(refs) => refs.push(at),
                    None => {
                        index.by_kind.insert(obj.kind.clone(), vec![at]);
                    }
                }
                if obj.workload_template().is_some() {
                    index.workload_refs.push(at);
                }
                let key = || (obj.namespace.clone(), obj.name.clone());
                match obj.kind.as_str() {
                    "ConfigMap" => {
                        index.config_maps.entry(key()).or_insert((fi, oi));
                    }
                    "Secret" => {
                        index.secrets.entry(key()).or_insert((fi, oi));
                    }
                    _ => {}
                }
            }
        }
        index
    }
}

fn files_by_path(files: &[ParsedFile]) -> HashMap<std::sync::Arc<str>, usize> {
    files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.clone(), i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::file::load_text;
    use crate::source::classify::Format;

    /// Objects land in the namespace of the nearest kustomization that lists them (a file or
    /// a directory above it), never one that only shares a name prefix; the first
    /// kustomization wins where two list the same scope; paths resolve `..` as kustomize does.
    /// The consumer index lists, for every ConfigMap, the workloads the per-workload test
    /// finds, in scan order and each once: references by `envFrom`, `configMapKeyRef`
    /// (init containers too) and volumes, the same name in another namespace, a workload
    /// naming one ConfigMap three times, and ConfigMaps nothing consumes.
    #[test]
    fn config_map_consumers_match_the_per_workload_test() {
        let cm = |ns: &str, name: &str| {
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {ns}\ndata:\n  a: b\n---\n")
        };
        let pod = |ns: &str, name: &str, spec: &str| {
            format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n{spec}---\n")
        };
        let mut text = String::new();
        for ns in ["a", "b"] {
            for name in ["one", "two", "three", "unused"] {
                text += &cm(ns, name);
            }
        }
        let env_from = |n: &str| {
            format!("  containers:\n    - name: c\n      envFrom:\n        - configMapRef:\n            name: {n}\n")
        };
        let key_ref = |n: &str| {
            format!("  initContainers:\n    - name: i\n      env:\n        - name: X\n          valueFrom:\n            configMapKeyRef:\n              name: {n}\n              key: a\n")
        };
        let volume =
            |n: &str| format!("  volumes:\n    - name: v\n      configMap:\n        name: {n}\n");
        text += &pod("a", "p1", &env_from("one"));
        text += &pod("b", "p2", &format!("{}{}", key_ref("one"), volume("two")));
        text += &pod(
            "a",
            "p3",
            &format!("{}{}{}", env_from("two"), key_ref("two"), volume("two")),
        );
        text += &pod(
            "a",
            "p4",
            &format!("{}{}", volume("three"), env_from("one")),
        );
        text += &pod("b", "p5", &env_from("missing"));
        text += &pod("a", "p6", "  containers:\n    - name: c\n      envFrom:\n        - secretRef:\n            name: one\n");
        let inv = Inventory::new(
            vec![load_text("all.yaml", text, Some(Format::Yaml))],
            "default",
            &[],
        );
        let mut pairs = 0;
        for cm in inv.objects_of_kind(&["ConfigMap"]) {
            let got: Vec<String> = inv
                .consumers_of_config_map(cm)
                .map(|w| w.object.display().to_string())
                .collect();
            let want: Vec<String> = inv
                .workloads()
                .filter(|w| {
                    w.object.namespace == cm.namespace && references_config_map(w, &cm.name)
                })
                .map(|w| w.object.display().to_string())
                .collect();
            assert_eq!(got, want, "{}", cm.display());
            pairs += want.len();
        }
        assert_eq!(pairs, 6);
    }

    #[test]
    fn kustomization_namespace_is_the_nearest_listing_scope() {
        let cm =
            |name: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n");
        let kz = |ns: &str, resources: &[&str]| {
            let list: String = resources.iter().map(|r| format!("  - {r}\n")).collect();
            format!("namespace: {ns}\nresources:\n{list}")
        };
        let files = vec![
            load_text(
                "app/kustomization.yaml",
                kz("outer", &["base", "../shared/one.yaml"]),
                Some(Format::Yaml),
            ),
            load_text("app/base/x.yaml", cm("x"), Some(Format::Yaml)),
            load_text("app/base/deep/y.yaml", cm("y"), Some(Format::Yaml)),
            load_text(
                "app/base/deep/kustomization.yaml",
                kz("inner", &["."]),
                Some(Format::Yaml),
            ),
            load_text("app/base/deep/z.yaml", cm("z"), Some(Format::Yaml)),
            load_text("app/basement/w.yaml", cm("w"), Some(Format::Yaml)),
            load_text("shared/one.yaml", cm("one"), Some(Format::Yaml)),
            load_text("shared/two.yaml", cm("two"), Some(Format::Yaml)),
            load_text(
                "other/kustomization.yaml",
                kz("second", &["../shared/one.yaml"]),
                Some(Format::Yaml),
            ),
        ];
        let inv = Inventory::new(files, "fallback", &[]);
        let ns: HashMap<&str, &str> = inv
            .objects()
            .map(|o| (o.name.as_str(), o.namespace.as_str()))
            .collect();
        assert_eq!(ns["x"], "outer");
        assert_eq!(ns["y"], "inner", "the nearer kustomization wins");
        assert_eq!(ns["z"], "inner");
        assert_eq!(ns["w"], "fallback", "`base` does not cover `basement`");
        assert_eq!(ns["one"], "outer", "the first of two listing one file wins");
        assert_eq!(ns["two"], "fallback");
    }

    /// The kind index and the workload list answer what a pass over every object answers,
    /// in the same order, with kinds spread over files and mixed within one file.
    #[test]
    fn kind_index_and_workload_list_match_a_pass_over_every_object() {
        let doc = |kind: &str, name: &str| {
            format!("apiVersion: v1\nkind: {kind}\nmetadata:\n  name: {name}\nspec:\n  template:\n    spec: {{}}\n")
        };
        let files = [
            format!("{}---\n{}", doc("Deployment", "a"), doc("Secret", "s1")),
            doc("ConfigMap", "c"),
            format!(
                "{}---\n{}---\n{}",
                doc("Secret", "s2"),
                doc("Job", "j"),
                doc("Pod", "p")
            ),
            format!("{}---\n{}", doc("Deployment", "b"), doc("CronJob", "cj")),
        ];
        let parsed = files
            .iter()
            .enumerate()
            .map(|(i, text)| load_text(&format!("f{i}.yaml"), text.clone(), Some(Format::Yaml)))
            .collect();
        let inv = Inventory::new(parsed, "default", &[]);
        let names = |it: &mut dyn Iterator<Item = &K8sObject>| -> Vec<String> {
            it.map(|o| o.name.clone()).collect()
        };
        for kinds in [
            &["Secret"][..],
            &["Deployment", "Secret"],
            &["Secret", "Deployment", "Secret"],
            &["Pod", "ConfigMap", "Job"],
            &["Nothing"],
            &[],
        ] {
            let by_index = names(&mut inv.objects_of_kind(kinds));
            let by_pass = names(&mut inv.objects().filter(|o| kinds.contains(&o.kind.as_str())));
            assert_eq!(by_index, by_pass, "{kinds:?}");
        }
        let listed: Vec<&str> = inv.workloads().map(|w| w.object.name.as_str()).collect();
        let passed: Vec<&str> = inv
            .objects()
            .filter_map(K8sObject::workload)
            .map(|w| w.object.name.as_str())
            .collect();
        assert_eq!(listed, passed);
        // The CronJob's template is not under `jobTemplate`: no pods to run.
        assert_eq!(listed, ["a", "j", "p", "b"]);
    }
}
