//! An OpenBao dev server for the tests that check sealant against the real thing (the policy
//! differential suite, live Vault parity): found on PATH or in `./.venv`, started on a free
//! loopback port with a throwaway HOME and a chosen root token, healthy before it is handed
//! out, and killed on drop (also when a test panics).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `bao` binary: on PATH, else the one `scripts/install-test-deps` puts in `./.venv`.
pub fn find() -> Option<PathBuf> {
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let c = dir.join("bao");
            if c.is_file() {
                return Some(c);
            }
        }
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/bao");
    venv.is_file().then_some(venv)
}

/// [`find`], or `None` after saying loudly that `test` is skipped. Under CI a missing `bao`
/// fails the test instead: a skipped differential suite must never pass silently there.
pub fn find_or_skip(test: &str) -> Option<PathBuf> {
    let bao = find();
    if bao.is_none() {
        if std::env::var_os("CI").is_some() {
            panic!("`bao` not found on PATH or at .venv/bin/bao, and CI is set: run scripts/install-test-deps");
        }
        eprintln!("\n\n######## SKIPPED {test}: no `bao` on PATH or at .venv/bin/bao ########");
        eprintln!("######## run scripts/install-test-deps to install it into ./.venv ########\n");
    }
    bao
}

/// A running `bao server -dev`.
pub struct DevServer {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub addr: String,
    /// The root token.
    pub token: String,
    /// An HTTP client that returns error statuses as responses.
    pub agent: ureq::Agent,
    home: tempfile::TempDir,
}

impl Drop for DevServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl DevServer {
    /// Starts `bao server -dev` with root token `token`, plus `config` (server HCL) when
    /// given, and waits until `sys/health` answers 200.
    pub fn start(bao: &Path, token: &str, config: Option<&str>) -> DevServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let home = tempfile::tempdir().expect("temp HOME");
        let mut args = vec![
            "server".to_owned(),
            "-dev".to_owned(),
            "-dev-no-store-token".to_owned(),
            format!("-dev-root-token-id={token}"),
            format!("-dev-listen-address=127.0.0.1:{port}"),
        ];
        if let Some(config) = config {
            let file = home.path().join("server.hcl");
            std::fs::write(&file, config).expect("server config");
            args.push(format!("-config={}", file.display()));
        }
        let log = std::fs::File::create(home.path().join("bao.log")).expect("log file");
        let child = Command::new(bao)
            .args(&args)
            // Keep the server away from the user's config, token helper and env overrides.
            .env("HOME", home.path())
            .env_remove("BAO_ADDR")
            .env_remove("VAULT_ADDR")
            .env_remove("BAO_TOKEN")
            .env_remove("VAULT_TOKEN")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("start bao server -dev");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        let mut server = DevServer {
            child,
            addr: format!("http://127.0.0.1:{port}"),
            token: token.to_owned(),
            agent,
            home,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                let log =
                    std::fs::read_to_string(server.home.path().join("bao.log")).unwrap_or_default();
                panic!("bao server exited early ({status}):\n{log}");
            }
            let health = server
                .agent
                .get(format!("{}/v1/sys/health", server.addr))
                .call();
            if health.is_ok_and(|r| r.status().as_u16() == 200) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "bao dev server not healthy after 60s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }
}
