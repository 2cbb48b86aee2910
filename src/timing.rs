//! Phase timing for `egovsite build --verbose`: each phase's wall time, the processor time
//! of all threads during it, and the process's peak memory so far. The one `unsafe` block
//! (`getrusage`) is here.

use std::time::{Duration, Instant};

/// One phase of a build, for `--verbose`.
#[derive(Debug, Clone)]
pub struct Phase {
    pub name: &'static str,
    pub elapsed: Duration,
    /// The process's peak resident memory so far, in bytes, where the system tells it.
    pub peak_memory: Option<u64>,
    /// Processor time of all threads during the phase (user and system), where the
    /// system tells it: above `elapsed` when the phase ran on several cores.
    pub cpu: Option<Duration>,
}

/// The process's peak resident set size (Linux: `VmHWM` of `/proc/self/status`).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Processor time the process has used so far, all threads, user and system.
#[cfg(target_os = "linux")]
fn cpu_time() -> Option<Duration> {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return None;
    }
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    Some(time(usage.ru_utime) + time(usage.ru_stime))
}

#[cfg(not(target_os = "linux"))]
fn cpu_time() -> Option<Duration> {
    None
}

/// Phase durations, for `--verbose`.
pub(crate) struct Timer {
    pub(crate) laps: Vec<Phase>,
    clock: Instant,
    cpu: Option<Duration>,
}

impl Timer {
    pub(crate) fn new() -> Timer {
        Timer {
            laps: Vec::new(),
            clock: Instant::now(),
            cpu: cpu_time(),
        }
    }
    pub(crate) fn lap(&mut self, name: &'static str) {
        let cpu = cpu_time();
        self.laps.push(Phase {
            name,
            elapsed: self.clock.elapsed(),
            peak_memory: peak_memory(),
            cpu: cpu
                .zip(self.cpu)
                .map(|(now, then)| now.saturating_sub(then)),
        });
        self.clock = Instant::now();
        self.cpu = cpu;
    }
}
