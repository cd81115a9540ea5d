//! Helm templates (`templates/*.yaml` with `{{ }}` actions) are not YAML. We read them
//! tolerantly with a position-preserving mask: each action becomes underscores of the same
//! length (a placeholder, never evaluated — RULES-SPEC §0.6), and lines that hold only actions
//! become blank, so every remaining key keeps its line and column.

/// True when the text contains Go template actions.
pub fn has_actions(text: &str) -> bool {
    text.contains("{{")
}

/// Masks template actions, keeping every character's line and column.
pub fn mask(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        out.push_str(&mask_line(body));
        out.push_str(nl);
    }
    // Actions spanning lines: mask what is left between `{{` and `}}` across newlines.
    mask_multiline(&out)
}

fn mask_line(line: &str) -> String {
    let mut masked = String::with_capacity(line.len());
    let mut rest = line;
    let mut only_actions = true;
    while let Some(start) = rest.find("{{") {
        let Some(end) = rest[start..].find("}}") else {
            break;
        };
        let end = start + end + 2;
        if !rest[..start].trim().is_empty() {
            only_actions = false;
        }
        masked.push_str(&rest[..start]);
        masked.extend(std::iter::repeat_n('_', rest[start..end].chars().count()));
        rest = &rest[end..];
    }
    if !rest.trim().is_empty() {
        only_actions = false;
    }
    masked.push_str(rest);
    if only_actions && line.contains("{{") {
        return " ".repeat(masked.chars().count());
    }
    masked
}

fn mask_multiline(text: &str) -> String {
    if !text.contains("{{") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut in_action = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if !in_action && c == '{' && chars.peek() == Some(&'{') {
            in_action = true;
        }
        if in_action {
            if c == '}' && chars.peek() == Some(&'}') {
                chars.next();
                out.push_str("  ");
                in_action = false;
                continue;
            }
            out.push(if c == '\n' { '\n' } else { ' ' });
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_keeps_positions() {
        let t = "{{- if .Values.x }}\nname: {{ .Release.Name }}-cfg\n{{- end }}\n";
        let m = mask(t);
        assert_eq!(m.lines().count(), 3);
        assert!(m.lines().next().unwrap().trim().is_empty());
        assert_eq!(m.lines().nth(1).unwrap(), "name: ___________________-cfg");
        assert_eq!(m.len(), t.len());
    }
}
