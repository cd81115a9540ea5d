//! Compiles rule metadata (`rules/<ID>.toml`) into the binary as Rust values: parsing the
//! TOML at start-up was most of an empty scan's work (~8 M of 12 M instructions), paid on
//! every pre-commit run. A malformed file now fails the build instead of the first scan.
use std::{env, fs, path::Path};

#[path = "build/rule_meta.rs"]
mod rule_meta;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-changed=build/rule_meta.rs");
    let mut entries: Vec<_> = fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    entries.sort();
    let mut out = String::from(
        "/// Every rule's metadata, from `rules/<ID>.toml`, sorted by id (written by build.rs).\n\
         fn compiled_rule_meta() -> Vec<RuleMeta> {\n    vec![\n",
    );
    for p in &entries {
        println!("cargo:rerun-if-changed={}", p.display());
        let id = p.file_stem().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(p).unwrap_or_else(|e| panic!("rules/{id}.toml: {e}"));
        let table = text
            .parse()
            .unwrap_or_else(|e| panic!("rules/{id}.toml is invalid: {e}"));
        out.push_str(&rule_meta::rule_meta(&id, &table).unwrap_or_else(|e| panic!("{e}")));
    }
    out.push_str("    ]\n}\n");
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("rule_meta.rs"),
        out,
    )
    .unwrap();
}
