//! HCL as each input kind: policy, agent, server (classified by content) and Terraform, plus
//! the policy reader on the same text. No panic, every span inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealant::model::file::load_text;
use sealant::source::classify::format_of;
use sealant_fuzz::{assert_file_spans, assert_span_in, split, HCL_NAMES};

fuzz_target!(|data: &[u8]| {
    let Some((sel, text)) = split(data) else {
        return;
    };
    let name = HCL_NAMES[sel as usize % HCL_NAMES.len()];
    let format = format_of(std::path::Path::new(name), || None);
    if name == "policy.hcl" {
        match sealant::policy::parse_policy_text("fuzz", name, &text) {
            Ok(p) => {
                for r in &p.rules {
                    assert_span_in(&text, r.path_span, "policy path");
                    for (_, s) in &r.capabilities {
                        assert_span_in(&text, *s, "policy capability");
                    }
                }
                // Every policy that parses builds an ACL unless it is `root` with others.
                let acl = sealant::policy::Acl::new(&[p]).expect("one policy always builds");
                let _ = acl.capabilities("secret/data/x");
            }
            Err(e) => assert_span_in(&text, e.span, "policy error"),
        }
    }
    let file = load_text(name, text, format);
    assert_file_spans(&file);
});
