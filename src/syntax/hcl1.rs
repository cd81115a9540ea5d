//! Vault reads HCL1; hcl-edit reads HCL2. Three HCL1 forms that real Vault configs use are
//! rewritten, byte for byte in place, into HCL2 the parser accepts — so every byte offset,
//! and therefore every reported line and column, stays exact:
//!
//! * a quoted attribute name at the start of a line (`"default" = {`) becomes `_default_ = {`
//!   (the key is restored after parsing);
//! * several attributes on one line (`{ address = "x" tls_disable = 1 }`): the blank before
//!   each further attribute becomes a newline;
//! * hexadecimal integers (`0x1082`) become `0`-padded decimals of the same length (the value
//!   is not one any rule reads; the raw text is kept).

/// The rewritten text and the byte offsets of keys whose quotes became underscores, or `None`
/// when nothing needed rewriting.
pub fn to_hcl2(text: &str) -> Option<(String, Vec<usize>)> {
    let mut bytes = text.as_bytes().to_vec();
    let mut mangled = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        rewrite_line(line.as_bytes(), line_start, &mut bytes, &mut mangled);
        line_start += line.len();
    }
    let changed = bytes != text.as_bytes();
    changed.then(|| {
        (
            String::from_utf8(bytes).expect("only ASCII bytes were replaced by ASCII"),
            mangled,
        )
    })
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn rewrite_line(line: &[u8], base: usize, out: &mut [u8], mangled: &mut Vec<usize>) {
    let indent = line
        .iter()
        .take_while(|b| **b == b' ' || **b == b'\t')
        .count();
    // `"name" = …` at the start of the line.
    if line.get(indent) == Some(&b'"') {
        if let Some(close) = line[indent + 1..].iter().position(|b| *b == b'"') {
            let name = &line[indent + 1..indent + 1 + close];
            let after = &line[indent + 2 + close..];
            let rest = after
                .iter()
                .skip_while(|b| **b == b' ' || **b == b'\t')
                .copied()
                .collect::<Vec<u8>>();
            if !name.is_empty()
                && name.iter().all(|b| is_ident(*b))
                && rest.first() == Some(&b'=')
                && rest.get(1) != Some(&b'=')
            {
                out[base + indent] = b'_';
                out[base + indent + 1 + close] = b'_';
                mangled.push(base + indent);
            }
        }
    }
    // Walk the line outside strings and comments.
    let mut i = 0;
    let mut in_str = false;
    let mut seen_assign = false;
    let mut split = false;
    while i < line.len() {
        let b = line[i];
        if in_str {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == b'"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'#' => break,
            b'/' if line.get(i + 1) == Some(&b'/') => break,
            b'=' if line.get(i + 1) != Some(&b'=')
                && i > 0
                && line[i - 1] != b'='
                && line[i - 1] != b'!' =>
            {
                seen_assign = true
            }
            b'0' if matches!(line.get(i + 1), Some(b'x' | b'X'))
                && (i == 0 || !is_ident(line[i - 1])) =>
            {
                let digits = line[i + 2..]
                    .iter()
                    .take_while(|b| b.is_ascii_hexdigit())
                    .count();
                if digits > 0 {
                    let value = u64::from_str_radix(
                        std::str::from_utf8(&line[i + 2..i + 2 + digits]).unwrap_or("0"),
                        16,
                    )
                    .unwrap_or(0);
                    let width = digits + 2;
                    let dec = format!("{value:0width$}");
                    if dec.len() == width {
                        out[base + i..base + i + width].copy_from_slice(dec.as_bytes());
                    }
                    i += width;
                    continue;
                }
            }
            b' ' | b'\t' if seen_assign => {
                // A blank followed by `ident =` after an earlier assignment on this line starts
                // another attribute.
                let j = i
                    + 1
                    + line[i + 1..]
                        .iter()
                        .take_while(|b| **b == b' ' || **b == b'\t')
                        .count();
                let k = j + line[j..].iter().take_while(|b| is_ident(**b)).count();
                let after = k + line[k..]
                    .iter()
                    .take_while(|b| **b == b' ' || **b == b'\t')
                    .count();
                let prev = line[..i]
                    .iter()
                    .rev()
                    .find(|b| **b != b' ' && **b != b'\t')
                    .copied();
                let value_ended = matches!(prev, Some(b'"' | b']' | b'}') | Some(b'0'..=b'9'))
                    || line[..i].ends_with(b"true")
                    || line[..i].ends_with(b"false");
                if k > j
                    && line.get(after) == Some(&b'=')
                    && line.get(after + 1) != Some(&b'=')
                    && value_ended
                    && prev != Some(b'{')
                {
                    out[base + i] = b'\n';
                    seen_assign = false;
                    split = true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if split {
        open_single_line_block(line, base, out);
    }
}

/// A one-line block that now holds several attributes must open and close on lines of its
/// own: the blank after `{` and the blank before `}` (outside strings) become newlines.
fn open_single_line_block(line: &[u8], base: usize, out: &mut [u8]) {
    let mut in_str = false;
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        if in_str {
            if b == b'\\' {
                i += 2;
                continue;
            }
            in_str = b != b'"';
        } else {
            match b {
                b'"' => in_str = true,
                b'#' => break,
                b'{' if line.get(i + 1).is_some_and(|n| *n == b' ' || *n == b'\t') => {
                    out[base + i + 1] = b'\n'
                }
                b'}' if i > 0 && (line[i - 1] == b' ' || line[i - 1] == b'\t') => {
                    out[base + i - 1] = b'\n'
                }
                _ => {}
            }
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_keep_length() {
        let t = "listener \"tcp\" { address = \"x\" tls_disable = 1 }\n  \"default\" = {\n mechanism = 0x1082\n";
        let (out, mangled) = to_hcl2(t).unwrap();
        assert_eq!(out.len(), t.len());
        assert!(out.contains("\"x\"\ntls_disable = 1"));
        assert!(out.contains("_default_ = {"));
        assert!(out.contains("mechanism = 004226"));
        assert_eq!(mangled, [t.find("\"default\"").unwrap()]);
    }

    #[test]
    fn leaves_hcl2_alone() {
        assert!(to_hcl2("a = \"x y = 1\"\nb = [1, 2]\nc = { d = 1 }\n").is_none());
    }
}
