//! Opt-in phase timings for profiling whole scans: with `SEALANT_TIMINGS=1` in the
//! environment, each phase's wall time (and the slowest rules) is printed to stderr, and for
//! whole phases the process's CPU time too: CPU over wall shows how many cores a phase kept
//! busy, which is where a serial step hides. Off by default, and cheap when off: one
//! environment lookup per scan.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Whether `SEALANT_TIMINGS` asks for timings.
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("SEALANT_TIMINGS").is_some_and(|v| v != "0"))
}

/// Times consecutive phases: each `lap` prints the time since the previous one.
pub struct Phases {
    last: Instant,
    last_cpu: Option<Duration>,
}

impl Phases {
    /// Starts timing now.
    pub fn start() -> Phases {
        Phases {
            last: Instant::now(),
            last_cpu: enabled().then(process_cpu).flatten(),
        }
    }

    /// Ends the current phase, named `name`, and starts the next. Prints the process's CPU
    /// time over the phase and its resident memory after it too, where the platform tells
    /// them.
    pub fn lap(&mut self, name: &str) {
        let now = Instant::now();
        if enabled() {
            let cpu = process_cpu();
            let spent = match (cpu, self.last_cpu) {
                (Some(now), Some(before)) => {
                    format!("  {:9.1} ms CPU", (now - before).as_secs_f64() * 1e3)
                }
                _ => String::new(),
            };
            let resident = resident_mib()
                .map(|mib| format!("  {mib:6} MiB resident"))
                .unwrap_or_default();
            print_line(name, now - self.last, &format!("{spent}{resident}"));
            self.last_cpu = cpu;
        }
        self.last = now;
    }
}

/// Runs `work`, printing its wall time under `name` when timings are on.
pub fn timed<T>(name: &str, work: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = work();
    if enabled() {
        report(name, started.elapsed());
    }
    out
}

/// The process's resident set (Linux `/proc/self/statm`), in MiB.
fn resident_mib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * page_size()? / (1 << 20))
}

/// User plus system time of the whole process (every thread) so far.
#[cfg(unix)]
fn process_cpu() -> Option<Duration> {
    // SAFETY: getrusage writes one plain struct we own; zeroed is a valid value of it.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        (libc::getrusage(libc::RUSAGE_SELF, &mut usage) == 0).then_some(usage)
    }?;
    let time = |t: libc::timeval| {
        Duration::from_secs(u64::try_from(t.tv_sec).ok()?)
            .checked_add(Duration::from_micros(u64::try_from(t.tv_usec).ok()?))
    };
    time(usage.ru_utime)?.checked_add(time(usage.ru_stime)?)
}

#[cfg(not(unix))]
fn process_cpu() -> Option<Duration> {
    None
}

#[cfg(unix)]
fn page_size() -> Option<u64> {
    // SAFETY: sysconf only reads a system constant.
    u64::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).ok()
}

#[cfg(not(unix))]
fn page_size() -> Option<u64> {
    None
}

/// Prints one figure (stderr, so reports on stdout stay clean).
pub fn report(name: &str, took: Duration) {
    print_line(name, took, "");
}

fn print_line(name: &str, took: Duration, extra: &str) {
    eprintln!(
        "sealant timings: {name:<28} {:9.1} ms{extra}",
        took.as_secs_f64() * 1e3
    );
}
