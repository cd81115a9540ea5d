/// See Cargo.toml: the scan allocates and frees many small values; mimalloc does that far
/// cheaper than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    restore_sigpipe();
    disable_transparent_huge_pages();
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

/// A scan keeps every parsed file until the cross-file rules have run, so its heap grows to
/// ~13 KiB per file and every new page is faulted in once. With transparent huge pages each
/// such fault zeroes 2 MiB at once: at 100k files the kernel spent ~3.5 s of a ~12 CPU-s
/// scan clearing pages, against ~1.4 s with 4 KiB pages, for the same peak memory
/// (docs/performance.md, "Fourth pass"). A short-lived process gains little from huge-page
/// TLB reach, so the CLI opts out for itself (the library leaves the host's choice alone).
fn disable_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE only sets a flag on this process; a kernel
    // without it returns EINVAL, which changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
