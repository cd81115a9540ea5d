//! The whole scan of one file, as `sealant scan -` runs it: classification by name, parsing,
//! the model, every rule, filters, masking, and every report format. No panic, and the
//! reports are produced.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealant::engine::scan::{run, ScanOptions};
use sealant::report::{render, Format, Report};
use sealant_fuzz::{split, HCL_NAMES, YAML_NAMES};

const SCRIPT_NAMES: &[&str] = &["setup.sh", ".env", "Makefile", "Dockerfile"];

fuzz_target!(|data: &[u8]| {
    let Some((sel, text)) = split(data) else {
        return;
    };
    let names: Vec<&str> = YAML_NAMES
        .iter()
        .chain(HCL_NAMES)
        .chain(SCRIPT_NAMES)
        .copied()
        .collect();
    let name = names[sel as usize % names.len()];
    let opts = ScanOptions {
        stdin: Some((name.to_owned(), text)),
        ..Default::default()
    };
    let result = run(&opts);
    let report = Report::new(&result, true, true);
    for f in [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Markdown,
    ] {
        let out = render(f, &report, false);
        assert!(!out.is_empty() || f == Format::Github);
    }
});
