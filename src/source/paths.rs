//! Display paths are `/`-separated strings relative to the scan root; these helpers compare
//! and combine them the way kustomize and Helm resolve relative references.

/// Lexically normalises a `/` path: drops empty and `.` segments, resolves `..`.
pub fn normalize(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The directory part of a path (`""` for a bare name).
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `dir/rel`, or `rel` when `dir` is empty.
pub fn join(dir: &str, rel: &str) -> String {
    if dir.is_empty() {
        rel.to_owned()
    } else {
        format!("{dir}/{rel}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_like_kustomize() {
        assert_eq!(normalize("./a/../b//c/."), "b/c");
        assert_eq!(join(parent("k/kustomization.yaml"), "../base"), "k/../base");
        assert_eq!(
            normalize(&join(parent("k/kustomization.yaml"), "../base")),
            "base"
        );
    }
}
