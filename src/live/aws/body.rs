//! Rejects EC2 answers whose XML body is not a complete, well-formed document. The SDK's XML
//! reader stops quietly at the end of the input, so a truncated `DescribeSubnets` answer reads
//! as a shorter list — a silent partial result. This interceptor runs after deserialization
//! and fails the attempt instead; the SDK reports it as a response error ("malformed
//! response"), which the collector turns into an error diagnostic.

use aws_sdk_ec2::config::interceptors::AfterDeserializationInterceptorContextRef;
use aws_sdk_ec2::config::{ConfigBag, Intercept, RuntimeComponents};

/// Checks every successful answer's body.
#[derive(Debug)]
pub(super) struct CheckBody;

impl Intercept for CheckBody {
    fn name(&self) -> &'static str {
        "sealant-check-body"
    }
    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let resp = context.response();
        // Error answers are judged by the SDK's own error parsing.
        if !resp.status().is_success() {
            return Ok(());
        }
        match resp.body().bytes() {
            Some(body) => well_formed(body).map_err(|e| format!("the XML body is {e}").into()),
            None => Ok(()),
        }
    }
}

/// `Ok` when `body` is one complete XML document: valid UTF-8, every token well-formed, every
/// element closed by its own name, and exactly one root element.
pub(super) fn well_formed(body: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(body).map_err(|e| format!("not UTF-8 ({e})"))?;
    let mut open: Vec<(&str, &str)> = Vec::new();
    let mut roots = 0;
    for token in xmlparser::Tokenizer::from(text) {
        let token = token.map_err(|e| format!("malformed ({e})"))?;
        match token {
            xmlparser::Token::ElementStart { prefix, local, .. } => {
                if open.is_empty() {
                    roots += 1;
                }
                open.push((prefix.as_str(), local.as_str()));
            }
            xmlparser::Token::ElementEnd { end, .. } => match end {
                xmlparser::ElementEnd::Open => {}
                xmlparser::ElementEnd::Empty => {
                    open.pop();
                }
                xmlparser::ElementEnd::Close(prefix, local) => match open.pop() {
                    Some(o) if o == (prefix.as_str(), local.as_str()) => {}
                    Some((_, name)) => {
                        return Err(format!(
                            "malformed (`</{}>` closes `<{name}>`)",
                            local.as_str()
                        ))
                    }
                    None => return Err("malformed (a close tag without an open one)".into()),
                },
            },
            _ => {}
        }
    }
    if let Some((_, name)) = open.last() {
        return Err(format!("truncated (`<{name}>` is never closed)"));
    }
    match roots {
        1 => Ok(()),
        0 => Err("empty (no XML element)".into()),
        _ => Err("malformed (more than one root element)".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::well_formed;

    #[test]
    fn complete_documents_pass_and_broken_ones_say_why() {
        let ok = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeSubnetsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId><subnetSet><item><subnetId>subnet-1</subnetId></item></subnetSet><nextToken/></DescribeSubnetsResponse>\n";
        assert_eq!(well_formed(ok.as_bytes()), Ok(()));
        let cut = &ok[..ok.len() / 2];
        assert!(well_formed(cut.as_bytes())
            .unwrap_err()
            .starts_with("truncated"));
        let mut nul = cut.as_bytes().to_vec();
        nul.extend_from_slice(b"\x00<<truncated");
        assert!(well_formed(&nul).is_err());
        assert!(well_formed(b"<a><b></a></b>")
            .unwrap_err()
            .contains("closes"));
        assert!(well_formed(b"").unwrap_err().starts_with("empty"));
        assert!(well_formed(b"<a/><b/>").is_err());
        assert!(well_formed(&[0xff, 0xfe])
            .unwrap_err()
            .starts_with("not UTF-8"));
    }
}
