//! Differential test: our offline ACL evaluator against a real OpenBao dev server.
//!
//! Generates policy sets that stress the matching rules (exact vs glob overlaps, `+` segments,
//! trailing and interior `*`, deny at several depths, one path string in several policies,
//! legacy `policy =`, empty capability lists, a few invalid policies, some policies as JSON), writes them to a
//! `bao server -dev` on loopback, creates a token holding them, asks `sys/capabilities` for
//! many paths at once and compares every answer with `Acl::capabilities`.
//!
//! Installs nothing: `bao` comes from PATH or `./.venv/bin/bao` (`scripts/install-test-deps`).
//! Without it the test is skipped loudly, or fails when `CI` is set.
//! `SEALANT_DIFF_CASES` sets the number of (policy set, path) cases (default 2000);
//! `SEALANT_DIFF_SEED` the generator seed.

mod common;

use sealant::policy::{parse_policy_text, Acl, Policy};
use serde_json::{json, Value};
use std::time::Instant;

/// SplitMix64: tiny, fixed-seed, good enough to draw test cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The dev server the differential suite asks.
type Server = common::bao::DevServer;

impl Server {
    /// Sends a request with the root token; returns (status, JSON body or Null).
    fn call(&self, method: &str, path: &str, body: &Value) -> (u16, Value) {
        let url = format!("{}/v1/{path}", self.addr);
        let req = match method {
            "PUT" => self.agent.put(&url),
            "POST" => self.agent.post(&url),
            _ => unreachable!(),
        };
        let mut resp = req
            .header("X-Vault-Token", &self.token)
            .send_json(body)
            .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let status = resp.status().as_u16();
        let text = resp.body_mut().read_to_string().unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Writes the policies; `Err` with the server's message when one is rejected.
    fn write_policies(&self, set: &[(String, String)]) -> Result<(), String> {
        for (name, text) in set {
            let (status, body) = self.call(
                "PUT",
                &format!("sys/policies/acl/{name}"),
                &json!({ "policy": text }),
            );
            match status {
                200 | 204 => {}
                400 => return Err(format!("{name}: {body}")),
                s => panic!("writing policy {name}: HTTP {s} {body}\n{text}"),
            }
        }
        Ok(())
    }

    fn token_for(&self, names: &[&str]) -> String {
        let (status, body) = self.call(
            "POST",
            "auth/token/create",
            &json!({ "policies": names, "no_default_policy": true, "ttl": "10m" }),
        );
        assert_eq!(status, 200, "token create: {body}");
        body["auth"]["client_token"]
            .as_str()
            .expect("client_token")
            .to_owned()
    }

    fn capabilities(&self, token: &str, paths: &[String]) -> Vec<Vec<String>> {
        let (status, body) = self.call(
            "POST",
            "sys/capabilities",
            &json!({ "token": token, "paths": paths }),
        );
        assert_eq!(status, 200, "sys/capabilities: {body}");
        paths
            .iter()
            .map(|p| {
                body["data"][p]
                    .as_array()
                    .unwrap_or_else(|| panic!("no answer for {p:?} in {body}"))
                    .iter()
                    .map(|c| c.as_str().unwrap_or("?").to_owned())
                    .collect()
            })
            .collect()
    }

    /// The server's answer for one policy set and path list (fresh token each time).
    fn answer(
        &self,
        set: &[(String, String)],
        paths: &[String],
    ) -> Result<Vec<Vec<String>>, String> {
        self.write_policies(set)?;
        let names: Vec<&str> = set.iter().map(|(n, _)| n.as_str()).collect();
        let token = self.token_for(&names);
        Ok(self.capabilities(&token, paths))
    }
}

// ---- generation ----

const SEGS: &[&str] = &[
    "secret", "data", "metadata", "app", "a", "ab", "b", "team", "teamb", "x", "config",
];
const CAPS: &[&str] = &[
    "create", "read", "update", "delete", "list", "sudo", "patch", "scan",
];

/// A rule path: literal segments, `+` segments, a trailing glob (after `/` or inside the last
/// segment), an interior literal `*`, literal `+` inside a segment, an occasional leading `/`.
fn gen_rule_path(r: &mut Rng) -> String {
    let depth = 1 + r.below(4);
    let mut parts: Vec<String> = Vec::new();
    for i in 0..depth {
        let s = match r.below(100) {
            0..=21 if i > 0 || r.chance(20) => "+".to_owned(),
            22..=25 if i > 0 => "*".to_owned(),
            26..=28 => format!("{}+{}", r.pick(SEGS), r.pick(SEGS)),
            29..=30 => String::new(),
            _ => (*r.pick(SEGS)).to_owned(),
        };
        parts.push(s);
    }
    let mut p = parts.join("/");
    match r.below(100) {
        0..=29 => p.push_str("/*"),
        30..=49 => p.push('*'),
        50..=54 => p.push('/'),
        _ => {}
    }
    if r.chance(5) {
        p.insert(0, '/');
    }
    p
}

fn gen_caps(r: &mut Rng) -> String {
    match r.below(100) {
        0..=14 => "capabilities = [\"deny\"]".into(),
        15..=17 => "capabilities = []".into(),
        18..=22 => format!(
            "policy = \"{}\"",
            r.pick(&["read", "write", "sudo", "deny"])
        ),
        23..=24 => "capabilities = [\"read\", \"deny\", \"update\"]".into(),
        25 => "capabilities = [\"reed\"]".into(),
        _ => {
            let n = 1 + r.below(3);
            let caps: Vec<String> = (0..n).map(|_| format!("\"{}\"", r.pick(CAPS))).collect();
            format!("capabilities = [{}]", caps.join(", "))
        }
    }
}

/// The JSON form of a policy: `{"path": {"<path>": {"capabilities": [...]}}}`; each block
/// body is a single `key = value` whose value is already JSON.
fn json_policy(blocks: &[(String, String)]) -> String {
    let mut paths = serde_json::Map::new();
    for (path, body) in blocks {
        let (k, v) = body.split_once(" = ").expect("key = value");
        let v: Value = serde_json::from_str(v).expect("JSON value");
        paths.insert(path.clone(), json!({ k: v }));
    }
    serde_json::to_string_pretty(&json!({ "path": paths })).expect("json")
}

/// The rule paths of a policy text, HCL or JSON.
fn rule_paths(text: &str) -> Vec<String> {
    if text.starts_with('{') {
        let v: Value = serde_json::from_str(text).expect("our JSON");
        return v["path"]
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
    }
    text.lines()
        .filter_map(|l| {
            l.strip_prefix("path \"")?
                .split('"')
                .next()
                .map(str::to_owned)
        })
        .collect()
}

/// A set of 1–3 policies whose rules overlap: path strings are often reused across policies
/// and often extend one another.
fn gen_set(r: &mut Rng, round: usize) -> Vec<(String, String)> {
    let n = 1 + r.below(3);
    let mut pool: Vec<String> = Vec::new();
    (0..n)
        .map(|i| {
            let rules = 1 + r.below(7);
            let mut text = String::new();
            let mut blocks: Vec<(String, String)> = Vec::new();
            for _ in 0..rules {
                let path = if !pool.is_empty() && r.chance(30) {
                    r.pick(&pool).clone()
                } else if !pool.is_empty() && r.chance(25) {
                    // A sibling of equal length with its `+` moved (`a/+/b/+` vs `a/+/+/c`):
                    // only the last, byte-order tie-breaker separates such patterns.
                    {
                        let base = r.pick(&pool).clone();
                        sibling(r, &base)
                    }
                } else if !pool.is_empty() && r.chance(30) {
                    // Extend or shorten an existing rule to make overlaps.
                    let base = r.pick(&pool).trim_end_matches('*').to_owned();
                    let tail = gen_rule_path(r);
                    format!("{}{}", base, tail.trim_start_matches('/'))
                } else {
                    gen_rule_path(r)
                };
                pool.push(path.clone());
                let body = gen_caps(r);
                text.push_str(&format!("path \"{path}\" {{\n  {body}\n}}\n"));
                blocks.push((path, body));
            }
            // Some policies go as JSON (one object per path, so only without repeated paths).
            let unique = blocks
                .iter()
                .all(|(p, _)| blocks.iter().filter(|(q, _)| q == p).count() == 1);
            if unique && r.chance(25) {
                text = json_policy(&blocks);
            }
            (format!("diff{round}-{i}"), text)
        })
        .collect()
}

/// Turns one single-character literal segment into `+` and one `+` into a single-character
/// literal, keeping the length.
fn sibling(r: &mut Rng, path: &str) -> String {
    let mut segs: Vec<String> = path.split('/').map(str::to_owned).collect();
    let lits: Vec<usize> = (0..segs.len())
        .filter(|&i| segs[i].len() == 1 && segs[i] != "+" && segs[i] != "*")
        .collect();
    let pluses: Vec<usize> = (0..segs.len()).filter(|&i| segs[i] == "+").collect();
    if let Some(&i) = (!lits.is_empty()).then(|| r.pick(&lits)) {
        segs[i] = "+".into();
    }
    if let Some(&i) = (!pluses.is_empty()).then(|| r.pick(&pluses)) {
        segs[i] = (*r.pick(&["a", "b", "x"])).to_owned();
    }
    segs.join("/")
}

/// A set built around equal-length siblings (`a/+/b/+`, `a/+/+/c`, …, some with a trailing
/// `*`), where only the later priority steps — down to the byte-order tie-breaker — decide;
/// and paths of one-letter segments that match several of them at once.
fn gen_tie_set(r: &mut Rng, round: usize, n_paths: usize) -> (Vec<(String, String)>, Vec<String>) {
    let letters = ["a", "b"];
    let k = 3 + r.below(3);
    let mut text = String::new();
    for i in 0..3 + r.below(4) {
        let mut p = String::from("s");
        // Lengths vary a little so that the "longer pattern wins" step decides too.
        for _ in 1..k + r.below(2) {
            p.push('/');
            p.push_str(if r.chance(40) {
                "+"
            } else {
                r.pick::<&str>(&letters)
            });
        }
        if r.chance(40) {
            p.push_str(if r.chance(50) { "/*" } else { "*" });
        }
        if p.contains("+*") {
            continue;
        }
        // One distinct capability per rule, so whichever rule governs shows in the answer.
        let caps = if r.chance(10) {
            "deny"
        } else {
            CAPS[i % CAPS.len()]
        };
        text.push_str(&format!(
            "path \"{p}\" {{\n  capabilities = [\"{caps}\"]\n}}\n"
        ));
    }
    let mut paths = Vec::new();
    for _ in 0..n_paths * 4 {
        if paths.len() >= n_paths {
            break;
        }
        let d = k + r.below(2);
        let mut p = String::from("s");
        for _ in 1..d {
            p.push('/');
            p.push_str(r.pick::<&str>(&letters));
        }
        if r.chance(15) {
            p.push('/');
        }
        if !paths.contains(&p) {
            paths.push(p);
        }
    }
    (vec![(format!("diff{round}-0"), text)], paths)
}

/// Request paths drawn to hit the set's rules: each rule instantiated (`+` → a segment, `*` →
/// nothing/text/more segments), plus trailing `/`, plus random paths.
fn gen_paths(r: &mut Rng, set: &[(String, String)], n: usize) -> Vec<String> {
    let rules: Vec<String> = set.iter().flat_map(|(_, t)| rule_paths(t)).collect();
    let mut out = Vec::new();
    while out.len() < n {
        let mut p = if !rules.is_empty() && r.chance(85) {
            let rule = r.pick(&rules).clone();
            let glob = rule.ends_with('*');
            let body = rule.strip_suffix('*').unwrap_or(&rule);
            let mut segs: Vec<String> = body
                .split('/')
                .map(|s| {
                    if s == "+" && r.chance(50) {
                        // Often a one-letter segment, so that siblings (see `sibling`) match too.
                        (*r.pick(&["a", "b", "x"])).to_owned()
                    } else if s == "+" && !r.chance(5) {
                        (*r.pick(SEGS)).to_owned()
                    } else {
                        s.to_owned()
                    }
                })
                .collect();
            if r.chance(10) && segs.len() > 1 {
                segs.pop();
            }
            let mut p = segs.join("/");
            if glob || r.chance(15) {
                match r.below(4) {
                    0 => {}
                    1 => p.push_str(r.pick::<&str>(SEGS)),
                    2 => p.push_str(&format!("{}/{}", r.pick(SEGS), r.pick(SEGS))),
                    _ => p.push_str("x/"),
                }
            }
            p
        } else {
            let d = 1 + r.below(4);
            (0..d).map(|_| *r.pick(SEGS)).collect::<Vec<_>>().join("/")
        };
        if r.chance(20) && !p.ends_with('/') {
            p.push('/');
        }
        if r.chance(3) {
            p.insert(0, '/');
        }
        // sys/capabilities reads `paths` as a comma-separated list and `""` is rejected.
        if p.trim_matches('/').is_empty() || p.contains(',') || out.contains(&p) {
            continue;
        }
        out.push(p);
    }
    out
}

fn ours(set: &[(String, String)]) -> Result<Acl, String> {
    let policies: Vec<Policy> = set
        .iter()
        .map(|(name, text)| {
            parse_policy_text(name, name, text).map_err(|e| format!("{name}: {}", e.message))
        })
        .collect::<Result<_, _>>()?;
    Acl::new(&policies).map_err(|e| e.0)
}

fn names(acl: &Acl, path: &str) -> Vec<String> {
    acl.capabilities(path)
        .names()
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// Drops rules (then policies) while the disagreement on `path` persists.
fn minimise(server: &Server, set: &[(String, String)], path: &str) -> Vec<(String, String)> {
    let blocks = |t: &str| -> Vec<String> { t.split_inclusive("}\n").map(str::to_owned).collect() };
    let mut cur: Vec<(String, Vec<String>)> =
        set.iter().map(|(n, t)| (n.clone(), blocks(t))).collect();
    let render = |c: &[(String, Vec<String>)]| -> Vec<(String, String)> {
        c.iter()
            .filter(|(_, b)| !b.is_empty())
            .map(|(n, b)| (n.clone(), b.concat()))
            .collect()
    };
    let disagrees = |s: &[(String, String)]| -> bool {
        if s.is_empty() {
            return false;
        }
        let Ok(acl) = ours(s) else { return false };
        match server.answer(s, &[path.to_owned()]) {
            Ok(theirs) => theirs[0] != names(&acl, path),
            Err(_) => false,
        }
    };
    let mut changed = true;
    while changed {
        changed = false;
        for pi in 0..cur.len() {
            let mut bi = 0;
            while bi < cur[pi].1.len() {
                let mut trial = cur.clone();
                trial[pi].1.remove(bi);
                if disagrees(&render(&trial)) {
                    cur = trial;
                    changed = true;
                } else {
                    bi += 1;
                }
            }
        }
    }
    render(&cur)
}

#[test]
fn evaluator_agrees_with_a_real_openbao() {
    let Some(bao) = common::bao::find_or_skip("policy_differential") else {
        return;
    };
    let cases: usize = std::env::var("SEALANT_DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let seed: u64 = std::env::var("SEALANT_DIFF_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x05EA_1A17);
    let started = Instant::now();
    let server = Server::start(&bao, "sealant-diff-root", None);
    let mut r = Rng(seed);

    // The root policy: a token holding it answers `root` everywhere.
    let root_token = server.token_for(&["root"]);
    let theirs = server.capabilities(&root_token, &["secret/x".into(), "sys/mounts".into()]);
    assert!(
        theirs.iter().all(|c| c == &["root"]),
        "root token: {theirs:?}"
    );
    assert_eq!(Acl::root().capabilities("secret/x").names(), ["root"]);

    let (mut done, mut sets, mut rejected, mut denied, mut granted) = (0, 0, 0, 0, 0);
    let mut round = 0;
    let mut json_policies = 0;
    while done < cases {
        round += 1;
        let want = 30.min(cases - done).max(1);
        let (set, paths) = if round % 3 == 0 {
            gen_tie_set(&mut r, round % 8, want)
        } else {
            let set = gen_set(&mut r, round % 8);
            let paths = gen_paths(&mut r, &set, want);
            (set, paths)
        };
        let mine = ours(&set);
        let theirs = server.answer(&set, &paths);
        let (acl, theirs) = match (mine, theirs) {
            (Ok(a), Ok(t)) => (a, t),
            (Err(_), Err(_)) => {
                rejected += 1;
                continue;
            }
            (Ok(_), Err(e)) => panic!("OpenBao rejected a policy set we accept: {e}\n{set:#?}"),
            (Err(e), Ok(_)) => panic!("we rejected a policy set OpenBao accepts: {e}\n{set:#?}"),
        };
        sets += 1;
        json_policies += set.iter().filter(|(_, t)| t.starts_with('{')).count();
        for (path, theirs) in paths.iter().zip(theirs) {
            let mine = names(&acl, path);
            if mine != theirs {
                let min = minimise(&server, &set, path);
                let min_mine = ours(&min).map(|a| names(&a, path));
                let min_theirs = server.answer(&min, std::slice::from_ref(path));
                let mut msg = format!(
                    "DISAGREEMENT on path {path:?} (seed {seed}, round {round})\n  ours: {mine:?}\n  bao:  {theirs:?}\nminimal policy set:\n"
                );
                for (n, t) in &min {
                    msg.push_str(&format!("# policy {n}\n{t}"));
                }
                msg.push_str(&format!(
                    "  ours on minimal: {min_mine:?}\n  bao on minimal:  {min_theirs:?}\nfull set:\n{set:#?}\n"
                ));
                panic!("{msg}");
            }
            if theirs == ["deny"] {
                denied += 1;
            } else {
                granted += 1;
            }
            done += 1;
        }
    }
    eprintln!(
        "policy_differential: {done} cases over {sets} policy sets agree with {} ({granted} granted, {denied} denied; {rejected} sets rejected by both; {json_policies} policies as JSON) in {:.1}s",
        bao.display(),
        started.elapsed().as_secs_f64()
    );
}
