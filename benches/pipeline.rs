//! In-process pieces of a scan, on the rule fixtures (testdata/rules, ~270 files of every
//! input kind): YAML parsing, HCL parsing, loading (parse + model), and running every rule
//! over a built inventory. Whole-run figures are scripts/bench's job.
//! `cargo bench --bench pipeline`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sealant::engine::config::Config;
use sealant::engine::scan::run_rules;
use sealant::model::file::{load_text, ParsedFile};
use sealant::model::inventory::Inventory;
use sealant::source::classify::format_of;
use sealant::syntax::{hcl, mapping::FileMap, yaml};
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn fixtures() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).expect("testdata/rules").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut paths = Vec::new();
    walk(Path::new("testdata/rules"), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(&p).ok()?)))
        .collect()
}

fn ext_is(name: &str, exts: &[&str]) -> bool {
    exts.iter().any(|e| name.ends_with(e))
}

fn load(files: &[(String, String)]) -> Vec<ParsedFile> {
    files
        .iter()
        .filter_map(|(name, text)| {
            let format = format_of(Path::new(name), || text.lines().next().map(str::to_owned))?;
            Some(load_text(name, text.clone(), Some(format)))
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let files = fixtures();
    let yamls: Vec<&(String, String)> = files
        .iter()
        .filter(|(n, _)| ext_is(n, &[".yaml", ".yml", ".json"]))
        .collect();
    let hcls: Vec<&(String, String)> = files
        .iter()
        .filter(|(n, _)| ext_is(n, &[".hcl", ".tf"]))
        .collect();
    let bytes = |v: &[&(String, String)]| v.iter().map(|(_, t)| t.len() as u64).sum::<u64>();

    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(bytes(&yamls)));
    g.bench_function("yaml", |b| {
        b.iter(|| {
            for (_, t) in &yamls {
                black_box(yaml::parse(t));
            }
        })
    });
    g.throughput(Throughput::Bytes(bytes(&hcls)));
    g.bench_function("hcl", |b| {
        b.iter(|| {
            for (_, t) in &hcls {
                let _ = black_box(hcl::parse(t, &FileMap::new(t)));
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("model");
    g.throughput(Throughput::Elements(files.len() as u64));
    g.bench_function("load_all_fixtures", |b| b.iter(|| black_box(load(&files))));
    g.finish();

    let inv = Inventory::new(load(&files), "default", &[]);
    let config = Config::default();
    let mut g = c.benchmark_group("rules");
    g.throughput(Throughput::Elements(inv.files.len() as u64));
    g.bench_function("all_rules_on_fixtures", |b| {
        b.iter(|| black_box(run_rules(&inv, &config)))
    });
    g.finish();
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);
