//! Reader tests: positions are 1-based (line, column) in the text given, end exclusive.

use super::*;
use crate::location::Pos;
use crate::syntax::mapping::FileMap;
use crate::syntax::yaml;

fn read_as(text: &str, kind: ScriptKind) -> ScriptFacts {
    read(text, kind, &FileMap::new(text))
}

fn sh(text: &str) -> ScriptFacts {
    read_as(text, ScriptKind::Shell)
}

/// (name, value, how it was set, value start, value end) as (line, column) pairs.
type Row<'a> = (&'a str, &'a str, SetBy, (u32, u32), (u32, u32));

fn settings(f: &ScriptFacts) -> Vec<Row<'_>> {
    f.settings
        .iter()
        .map(|s| {
            (
                s.name.as_str(),
                s.value.as_str(),
                s.by,
                (s.value_span.start.line, s.value_span.start.col),
                (s.value_span.end.line, s.value_span.end.col),
            )
        })
        .collect()
}

fn programs(f: &ScriptFacts) -> Vec<&str> {
    f.commands.iter().map(Command::program).collect()
}

#[test]
fn assignments_exports_and_prefixes() {
    let f = sh("#!/bin/sh\nexport VAULT_SKIP_VERIFY=true\nA='x y' B=\"z\" vault status\nC=1; declare -x D=2 # E=3\nlocal F=4\n");
    assert_eq!(
        settings(&f),
        vec![
            ("VAULT_SKIP_VERIFY", "true", SetBy::Export, (2, 26), (2, 30)),
            ("A", "x y", SetBy::Prefix, (3, 3), (3, 8)),
            ("B", "z", SetBy::Prefix, (3, 11), (3, 14)),
            ("C", "1", SetBy::Assign, (4, 3), (4, 4)),
            ("D", "2", SetBy::Export, (4, 19), (4, 20)),
            ("F", "4", SetBy::Assign, (5, 9), (5, 10)),
        ]
    );
    assert_eq!(programs(&f), vec!["export", "vault", "declare", "local"]);
}

#[test]
fn comments_continuations_and_quotes() {
    let f = sh("vault login \\\n  -tls-skip-verify # not '-k\necho \"# not a comment\" 'a#b'\n");
    assert_eq!(f.commands.len(), 2);
    let argv: Vec<&str> = f.commands[0].argv.iter().map(|a| a.text.as_str()).collect();
    assert_eq!(argv, ["vault", "login", "-tls-skip-verify"]);
    assert_eq!(f.commands[0].argv[2].span.start, Pos::new(2, 3));
    assert_eq!(f.commands[1].argv[1].text, "# not a comment");
    assert_eq!(f.commands[1].argv[2].text, "a#b");
}

#[test]
fn substitutions_stay_in_one_word() {
    let f = sh("export T=$(vault print token | tr -d ')') X=${Y:-\"a b\"} Z=`date`\n");
    let names: Vec<(&str, &str)> = f
        .settings
        .iter()
        .map(|s| (s.name.as_str(), s.value.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("T", "$(vault print token | tr -d ')')"),
            ("X", "${Y:-\"a b\"}"),
            ("Z", "`date`")
        ]
    );
}

#[test]
fn command_substitutions_are_read() {
    let text =
        "export T=\"$(vault login -tls-skip-verify -token-only)\" N=$((1 + 2)) L='$(not run)'\n";
    let f = sh(text);
    assert_eq!(programs(&f), vec!["vault", "export"]);
    let flag = &f.commands[0].argv[2];
    assert_eq!(flag.text, "-tls-skip-verify");
    let col = text.find("-tls").unwrap() as u32 + 1;
    assert_eq!(flag.span.start, Pos::new(1, col));
    assert_eq!(flag.span.end, Pos::new(1, col + 16));
}

#[test]
fn nested_sh_c_maps_back_to_outer_columns() {
    let text = "docker exec vault sh -c 'export VAULT_SKIP_VERIFY=1 && vault status'\n";
    let f = sh(text);
    let s = &f.settings[0];
    assert_eq!(
        (s.name.as_str(), s.value.as_str()),
        ("VAULT_SKIP_VERIFY", "1")
    );
    let col = text.find("=1").unwrap() as u32 + 2;
    assert_eq!(s.value_span.start, Pos::new(1, col));
    assert_eq!(s.value_span.end, Pos::new(1, col + 1));
    assert_eq!(programs(&f), vec!["export", "vault", "docker"]);
}

#[test]
fn nesting_stops_after_one_level() {
    let f = sh("sh -c \"bash -c 'export A=1'\"\n");
    assert!(f.settings.is_empty());
    assert_eq!(programs(&f), vec!["bash", "sh"]);
}

#[test]
fn container_env_and_echo_to_env_files() {
    let f = sh("docker run --rm -e VAULT_ADDR=http://v:8200 --env=B=2 -eC=3 --env D=4 img\necho VAULT_SKIP_VERIFY=true >> .env\necho E=5 > log.txt\n");
    assert_eq!(
        settings(&f),
        vec![
            (
                "VAULT_ADDR",
                "http://v:8200",
                SetBy::ContainerEnv,
                (1, 31),
                (1, 44)
            ),
            ("B", "2", SetBy::ContainerEnv, (1, 53), (1, 54)),
            ("C", "3", SetBy::ContainerEnv, (1, 59), (1, 60)),
            ("D", "4", SetBy::ContainerEnv, (1, 69), (1, 70)),
            (
                "VAULT_SKIP_VERIFY",
                "true",
                SetBy::EnvFile,
                (2, 24),
                (2, 28)
            ),
        ]
    );
}

#[test]
fn heredoc_to_env_file_is_read_as_dotenv_and_others_are_skipped() {
    let text = "cat > .env <<EOF\nVAULT_ADDR=http://vault:8200\nEOF\ncat <<'X' > notes.txt\nexport A=1\nX\ncat <<-EOF >>app.env\n\tB=\"2\"\n\tEOF\n";
    let f = sh(text);
    assert_eq!(
        settings(&f),
        vec![
            (
                "VAULT_ADDR",
                "http://vault:8200",
                SetBy::EnvFile,
                (2, 12),
                (2, 29)
            ),
            ("B", "2", SetBy::EnvFile, (8, 4), (8, 7)),
        ]
    );
    assert_eq!(programs(&f), vec!["cat", "cat", "cat"]);
}

/// Every command keeps its own heredoc bodies, in order, however many the script holds: one
/// command with two, commands with none in between, and a body left open at the end.
#[test]
fn each_command_keeps_its_own_heredocs() {
    let mut text = String::new();
    for i in 0..300 {
        text.push_str(&format!(
            "vault policy write p{i} - <<EOF\npath \"p{i}\" {{}}\nEOF\n"
        ));
        if i % 7 == 0 {
            text.push_str("echo between\n");
        }
    }
    text.push_str("cat <<A <<B\nfirst\nA\nsecond\nB\ncat <<END\nlast, never closed\n");
    let f = sh(&text);
    let bodies = |c: &Command| {
        c.heredocs
            .iter()
            .map(|h| h.text.clone())
            .collect::<Vec<_>>()
    };
    let writes: Vec<_> = f
        .commands
        .iter()
        .filter(|c| c.program() == "vault")
        .collect();
    assert_eq!(writes.len(), 300);
    for (i, c) in writes.iter().enumerate() {
        assert_eq!(bodies(c), vec![format!("path \"p{i}\" {{}}\n")]);
    }
    let cats: Vec<_> = f.commands.iter().filter(|c| c.program() == "cat").collect();
    assert_eq!(bodies(cats[0]), vec!["first\n", "second\n"]);
    assert_eq!(bodies(cats[1]), vec!["last, never closed\n"]);
    assert!(f
        .commands
        .iter()
        .filter(|c| c.program() == "echo")
        .all(|c| c.heredocs.is_empty()));
}

#[test]
fn hostile_input_gives_up_on_the_line() {
    let f = sh("echo 'unterminated\nexport OK=1\necho \"also $(bad\n");
    // The first quote swallows nothing past its line; the next line still reads.
    assert_eq!(f.settings.len(), 1);
    assert_eq!(f.settings[0].name, "OK");
    // Huge and pathological inputs finish.
    let big = "'".repeat(200_000) + &"\"$(`".repeat(50_000) + "\\";
    let _ = sh(&big);
    let lines = "echo \"x\n".repeat(20_000);
    let _ = sh(&lines);
    let _ = sh(&"a=".repeat(100_000));
    let _ = read_as(&"\tx\\\n".repeat(10_000), ScriptKind::Makefile);
    let _ = read_as(&"RUN [\"a\\".repeat(10_000), ScriptKind::Dockerfile);
    let _ = read_as("A=\"é\nB='ü", ScriptKind::DotEnv);
}

#[test]
fn dotenv_lines() {
    let f = read_as(
        "# c\nexport VAULT_ADDR=\"http://vault:8200\"\nVAULT_SKIP_VERIFY=true # dev\nX='a # b'\nBROKEN=\"x\n",
        ScriptKind::DotEnv,
    );
    assert_eq!(
        settings(&f),
        vec![
            (
                "VAULT_ADDR",
                "http://vault:8200",
                SetBy::DotEnv,
                (2, 19),
                (2, 38)
            ),
            ("VAULT_SKIP_VERIFY", "true", SetBy::DotEnv, (3, 19), (3, 23)),
            ("X", "a # b", SetBy::DotEnv, (4, 3), (4, 10)),
        ]
    );
}

#[test]
fn makefile_variables_and_recipes() {
    let text = "export VAULT_ADDR = http://vault:8200 # c\nTOKEN ?= x\nall: deps\n\t@VAULT_SKIP_VERIFY=1 vault \\\n\t  status\n\t-curl -k $(VAULT_ADDR)/v1/sys/health\n";
    let f = read_as(text, ScriptKind::Makefile);
    assert_eq!(
        settings(&f),
        vec![
            (
                "VAULT_ADDR",
                "http://vault:8200",
                SetBy::Make,
                (1, 21),
                (1, 38)
            ),
            ("TOKEN", "x", SetBy::Make, (2, 10), (2, 11)),
            ("VAULT_SKIP_VERIFY", "1", SetBy::Prefix, (4, 21), (4, 22)),
        ]
    );
    // Make's `$(VAULT_ADDR)` reads as a substitution running `VAULT_ADDR`: harmless, and it
    // is what makes `$(shell vault … -tls-skip-verify)` visible.
    assert_eq!(programs(&f), vec!["vault", "VAULT_ADDR", "curl"]);
    assert_eq!(f.commands[2].argv[1].span.start, Pos::new(6, 8));
}

#[test]
fn dockerfile_instructions() {
    let text = "FROM alpine\nENV VAULT_SKIP_VERIFY=true \\\n    B=\"x y\"\nENV VAULT_ADDR http://vault:8200\nARG A=1\nRUN --mount=type=secret,id=t VAULT_TOKEN=x vault status && \\\n    curl -k https://v:8200\nRUN [\"sh\", \"-c\", \"export C=1\"]\n";
    let f = read_as(text, ScriptKind::Dockerfile);
    assert_eq!(
        settings(&f),
        vec![
            (
                "VAULT_SKIP_VERIFY",
                "true",
                SetBy::DockerfileEnv,
                (2, 23),
                (2, 27)
            ),
            ("B", "x y", SetBy::DockerfileEnv, (3, 7), (3, 12)),
            (
                "VAULT_ADDR",
                "http://vault:8200",
                SetBy::DockerfileEnv,
                (4, 16),
                (4, 33)
            ),
            ("A", "1", SetBy::DockerfileArg, (5, 7), (5, 8)),
            ("VAULT_TOKEN", "x", SetBy::Prefix, (6, 42), (6, 43)),
            ("C", "1", SetBy::Export, (8, 28), (8, 29)),
        ]
    );
    assert_eq!(programs(&f), vec!["vault", "curl", "export", "sh"]);
}

#[test]
fn github_workflow_env_levels_and_run_blocks() {
    let text = "env:\n  VAULT_ADDR: http://vault:8200\njobs:\n  a:\n    env: {VAULT_SKIP_VERIFY: \"true\"}\n    steps:\n      - env:\n          BAO_SKIP_VERIFY: 1\n        run: |\n          echo hi\n          export VAULT_SKIP_VERIFY=T\n      - shell: python\n        run: |\n          X=1\n";
    let doc = yaml::parse(text).documents.remove(0);
    let mut f = ScriptFacts::default();
    read_github_workflow(&doc.root, text, &mut f);
    assert_eq!(
        settings(&f),
        vec![
            (
                "VAULT_ADDR",
                "http://vault:8200",
                SetBy::YamlEnv,
                (2, 15),
                (2, 32)
            ),
            (
                "VAULT_SKIP_VERIFY",
                "true",
                SetBy::YamlEnv,
                (5, 30),
                (5, 36)
            ),
            ("BAO_SKIP_VERIFY", "1", SetBy::YamlEnv, (8, 28), (8, 29)),
            ("VAULT_SKIP_VERIFY", "T", SetBy::Export, (11, 36), (11, 37)),
        ]
    );
}

#[test]
fn gitlab_compose_and_containers() {
    let gl = "variables:\n  VAULT_ADDR:\n    value: http://v:8200\njob:\n  script:\n    - export VAULT_SKIP_VERIFY=1\n";
    let doc = yaml::parse(gl).documents.remove(0);
    let mut f = ScriptFacts::default();
    read_gitlab_ci(&doc.root, gl, &mut f);
    assert_eq!(
        settings(&f),
        vec![
            (
                "VAULT_ADDR",
                "http://v:8200",
                SetBy::YamlEnv,
                (3, 12),
                (3, 25)
            ),
            ("VAULT_SKIP_VERIFY", "1", SetBy::Export, (6, 32), (6, 33)),
        ]
    );
    let dc = "services:\n  a:\n    environment:\n      - VAULT_SKIP_VERIFY=true\n      - OTHER\n  b:\n    environment:\n      VAULT_ADDR:\n";
    let doc = yaml::parse(dc).documents.remove(0);
    let mut f = ScriptFacts::default();
    read_compose(&doc.root, dc, &mut f);
    assert_eq!(
        settings(&f),
        vec![(
            "VAULT_SKIP_VERIFY",
            "true",
            SetBy::YamlEnv,
            (4, 27),
            (4, 31)
        )]
    );
    let k = "name: c\ncommand: [\"sh\", \"-c\"]\nargs:\n  - |\n    export VAULT_SKIP_VERIFY=true\nlivenessProbe:\n  exec:\n    command: [sh, -c, \"export B=1\"]\n";
    let doc = yaml::parse(k).documents.remove(0);
    let mut f = ScriptFacts::default();
    read_container(&doc.root, k, &mut f);
    assert_eq!(
        settings(&f),
        vec![("VAULT_SKIP_VERIFY", "true", SetBy::Export, (5, 30), (5, 34))]
    );
}

/// Deterministic noise over the characters the readers treat specially: no reader may panic
/// or loop on any of it.
#[test]
fn noise_never_panics() {
    const ALPHABET: &[&str] = &[
        "'",
        "\"",
        "\\",
        "$",
        "(",
        ")",
        "{",
        "}",
        "`",
        "<<",
        "<<-",
        "EOF",
        "\n",
        "\t",
        " ",
        "#",
        "=",
        "A",
        "export ",
        "sh -c ",
        "ENV ",
        "RUN ",
        "[",
        "]",
        ",",
        "é",
        "|",
        ";",
        "&",
        ">",
        ">>",
        ".env",
        "cat ",
        "-e ",
        "docker run ",
    ];
    let mut seed: u64 = 0x5eed;
    for _ in 0..300 {
        let mut text = String::new();
        for _ in 0..200 {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            text.push_str(ALPHABET[(seed >> 33) as usize % ALPHABET.len()]);
        }
        for kind in [
            ScriptKind::Shell,
            ScriptKind::Makefile,
            ScriptKind::Dockerfile,
            ScriptKind::DotEnv,
        ] {
            let _ = read_as(&text, kind);
        }
    }
}
