//! `sealant serve-reference --world FILE [--kubeconfig-out FILE]`: the reference server,
//! standalone, until interrupted.

use std::io::Write;
use std::path::PathBuf;

/// Arguments of `sealant serve-reference`.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// The world file (YAML: kubernetes, vault, aws, github, faults).
    #[arg(long, value_name = "FILE")]
    pub world: PathBuf,
    /// Write a kubeconfig for the server here (for kubectl and `sealant scan --kube`).
    #[arg(long, value_name = "FILE")]
    pub kubeconfig_out: Option<PathBuf>,
    /// The context name in that kubeconfig.
    #[arg(long, value_name = "NAME", default_value = "reference")]
    pub context: String,
}

/// Serves until the process is stopped; returns the exit code on failure to start.
pub fn run(args: &ServeArgs) -> i32 {
    let world = match super::World::load(&args.world) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("sealant: {e}");
            return 2;
        }
    };
    let (addr, handle) = match super::serve(&world) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sealant: {e}");
            return 2;
        }
    };
    let base = format!("http://{addr}");
    if let Some(path) = &args.kubeconfig_out {
        if let Err(e) = std::fs::write(path, super::kubeconfig(&base, &args.context)) {
            eprintln!("sealant: cannot write {}: {e}", path.display());
            return 2;
        }
    }
    // The first line is the base URL, for scripts that start the server and read it.
    println!("{base}");
    let _ = std::io::stdout().flush();
    handle.wait();
    0
}
