//! Classification + YAML: the same bytes under every YAML role (manifest, values, Helm
//! template, workflow, GitLab CI, compose, kustomization, Chart.yaml, JSON), through
//! `load_text` (tree, objects, embedded HCL, scripts). No panic, every span inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealant::model::file::load_text;
use sealant::source::classify::format_of;
use sealant_fuzz::{assert_file_spans, split, YAML_NAMES};

fuzz_target!(|data: &[u8]| {
    let Some((sel, text)) = split(data) else {
        return;
    };
    let name = YAML_NAMES[sel as usize % YAML_NAMES.len()];
    let format = format_of(std::path::Path::new(name), || None);
    let file = load_text(name, text, format);
    assert_file_spans(&file);
    let _ = file.kinds();
});
