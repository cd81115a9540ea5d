/// See Cargo.toml: the scan allocates and frees many small values; mimalloc does that far
/// cheaper than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    restore_sigpipe();
    std::process::exit(sealant::cli::main());
}

/// Rust ignores SIGPIPE, so `sealant rules | head` would panic in `println!` once `head`
/// exits. A command-line tool should end quietly instead, like every other Unix filter.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is always valid.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
