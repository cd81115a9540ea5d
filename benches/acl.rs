//! ACL check throughput: a 200-rule policy set (exact, prefix and `+` rules over four
//! policies, many sharing prefixes), 1,000 request paths that hit all three kinds.
//! Target: ≥ 1M checks/s on one core. `cargo bench --bench acl`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sealant::policy::{parse_policy_text, Acl, Policy};
use std::hint::black_box;

const TEAMS: &[&str] = &["payments", "search", "ledger", "identity", "billing"];
const ENVS: &[&str] = &["prod", "staging", "dev", "qa"];

fn policies() -> Vec<Policy> {
    let mut texts = vec![String::new(); 4];
    let mut n = 0;
    let mut add = |i: usize, path: String, caps: &str| {
        texts[i % 4].push_str(&format!(
            "path \"{path}\" {{\n  capabilities = [{caps}]\n}}\n"
        ));
        n += 1;
    };
    let mut i = 0;
    for t in TEAMS {
        for e in ENVS {
            // 5 teams × 4 envs × 10 rules = 200.
            add(i, format!("secret/data/{t}/{e}/*"), "\"read\", \"list\"");
            add(i + 1, format!("secret/metadata/{t}/{e}/*"), "\"list\"");
            add(i + 2, format!("secret/data/{t}/{e}/db"), "\"read\"");
            add(i + 3, format!("secret/data/{t}/{e}/admin/*"), "\"deny\"");
            add(i + 4, format!("database/creds/{t}-{e}"), "\"read\"");
            add(
                i + 5,
                format!("pki/issue/{t}-{e}"),
                "\"create\", \"update\"",
            );
            add(i + 6, format!("secret/data/+/{e}/{t}-shared"), "\"read\"");
            add(i + 7, format!("auth/{t}/+/{e}/*"), "\"read\", \"update\"");
            add(i + 8, format!("transit/+/{t}-{e}"), "\"update\"");
            add(i + 9, format!("kv/{t}/{e}*"), "\"read\"");
            i += 1;
        }
    }
    assert_eq!(n, 200);
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| parse_policy_text(&format!("p{i}"), "bench", t).expect("bench policy"))
        .collect()
}

fn paths() -> Vec<String> {
    let mut out = Vec::new();
    let mut k = 0u32;
    while out.len() < 1000 {
        let t = TEAMS[(k as usize) % TEAMS.len()];
        let e = ENVS[(k as usize / 5) % ENVS.len()];
        let p = match k % 10 {
            0 => format!("secret/data/{t}/{e}/app/config"),
            1 => format!("secret/metadata/{t}/{e}/"),
            2 => format!("secret/data/{t}/{e}/db"),
            3 => format!("secret/data/{t}/{e}/admin/root-creds"),
            4 => format!("database/creds/{t}-{e}"),
            5 => format!("secret/data/other/{e}/{t}-shared"),
            6 => format!("auth/{t}/login/{e}/role-{k}"),
            7 => format!("transit/encrypt/{t}-{e}"),
            8 => format!("kv/{t}/{e}-extra/{k}"),
            _ => format!("sys/policies/acl/unmatched-{k}"),
        };
        out.push(p);
        k += 1;
    }
    out
}

fn bench(c: &mut Criterion) {
    let acl = Acl::new(&policies()).expect("acl");
    let paths = paths();
    let mut g = c.benchmark_group("acl");
    g.throughput(Throughput::Elements(paths.len() as u64));
    g.bench_function("capabilities_200_rules_1000_paths", |b| {
        b.iter(|| {
            let mut granted = 0usize;
            for p in &paths {
                granted += black_box(acl.capabilities(black_box(p)))
                    .caps
                    .granted()
                    .count();
            }
            granted
        })
    });
    g.bench_function("build_acl_200_rules", |b| {
        let ps = policies();
        b.iter(|| Acl::new(black_box(&ps)).expect("acl"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
