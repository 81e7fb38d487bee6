//! The wall-clock budget of one command and the user's request to stop early.
//!
//! A command's `--time-limit` is wall-clock time for the whole command: loading, candidate
//! generation, every solve, lazy rounds, re-cuts and explanations. [`Deadline`] is that
//! moment; every solve is given only what is left of it ([`Deadline::seconds_left`]), and
//! loops between solves stop when it has passed.
//!
//! A first Ctrl-C (SIGINT) or SIGTERM asks the running command to stop at the next
//! boundary and to write the best plan found so far ([`request_stop`], [`stop_requested`]);
//! the binary installs the signal handlers, the library only reads the flag.

use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

/// Why a command was asked to stop early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopSignal {
    /// Ctrl-C (SIGINT): exit code 130.
    Interrupt,
    /// SIGTERM: exit code 143.
    Terminate,
}

impl StopSignal {
    /// The conventional exit code of a command stopped by this signal (128 + its number).
    pub fn exit_code(self) -> u8 {
        match self {
            StopSignal::Interrupt => 130,
            StopSignal::Terminate => 143,
        }
    }

    /// The signal's name for messages.
    pub fn name(self) -> &'static str {
        match self {
            StopSignal::Interrupt => "Ctrl-C",
            StopSignal::Terminate => "SIGTERM",
        }
    }
}

/// 0: no request; 1: interrupt; 2: terminate.
static STOP: AtomicU8 = AtomicU8::new(0);

/// Ask the running command to stop at the next boundary (called from a signal handler:
/// it only stores an atomic).
pub fn request_stop(signal: StopSignal) {
    let code = match signal {
        StopSignal::Interrupt => 1,
        StopSignal::Terminate => 2,
    };
    let _ = STOP.compare_exchange(0, code, Ordering::SeqCst, Ordering::SeqCst);
}

/// Whether the user asked to stop, and how.
pub fn stop_requested() -> Option<StopSignal> {
    match STOP.load(Ordering::SeqCst) {
        1 => Some(StopSignal::Interrupt),
        2 => Some(StopSignal::Terminate),
        _ => None,
    }
}

/// Forget a stop request (for tests that run several commands in one process).
pub fn clear_stop() {
    STOP.store(0, Ordering::SeqCst);
}

/// The moment by which a command must be done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadline {
    at: Instant,
}

impl Deadline {
    /// `seconds` from now; at most a year (an infinite limit is a year), and a limit that
    /// is not a positive number means the deadline has already passed.
    pub fn after(seconds: f64) -> Deadline {
        let now = Instant::now();
        let year = Duration::from_secs(365 * 24 * 3600);
        let wait = if seconds > 0.0 {
            Duration::try_from_secs_f64(seconds)
                .unwrap_or(year)
                .min(year)
        } else {
            Duration::ZERO
        };
        Deadline { at: now + wait }
    }

    /// The same deadline `seconds` earlier (a margin kept for work after the solves).
    pub fn earlier_by(self, seconds: f64) -> Deadline {
        let d = Duration::try_from_secs_f64(seconds.max(0.0)).unwrap_or(Duration::ZERO);
        Deadline {
            at: self.at.checked_sub(d).unwrap_or(self.at),
        }
    }

    /// Seconds left until the deadline (0 once it has passed).
    pub fn seconds_left(self) -> f64 {
        self.at
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
    }

    /// Whether the deadline has passed.
    pub fn passed(self) -> bool {
        Instant::now() >= self.at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_counts_down_and_passes() {
        let d = Deadline::after(3600.0);
        assert!(d.seconds_left() > 3599.0 && d.seconds_left() <= 3600.0);
        assert!(!d.passed());
        let gone = Deadline::after(0.0);
        assert!(gone.passed());
        assert_eq!(gone.seconds_left(), 0.0);
        assert!(d.earlier_by(3600.0).seconds_left() < 1.0);
        assert!(
            Deadline::after(f64::NAN).passed(),
            "not a number: no time at all"
        );
        assert!(!Deadline::after(f64::INFINITY).passed(), "capped at a year");
        assert!(Deadline::after(1e300).seconds_left() <= 365.0 * 24.0 * 3600.0);
    }
}
