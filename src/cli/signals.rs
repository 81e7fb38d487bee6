//! Ctrl-C (SIGINT) and SIGTERM.
//!
//! In a command that solves (`plan`, `place`, `replan`, `groups`), the first signal asks
//! the search to stop at its next boundary ([`crate::budget::request_stop`]); the command
//! then writes the best plan found so far, checked like every plan and marked
//! `interrupted`, and exits with 130 (143 for SIGTERM). Any other command stops at once.
//! A second signal aborts at once: nothing is written and no temporary folder is left.

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::budget::{StopSignal, request_stop, stop_requested};
use crate::cli::say;
use crate::io::output::abort_cleanup;

/// Handle SIGINT and SIGTERM on a thread of their own. `graceful`: the command can stop
/// early and still write its best plan.
pub fn install(graceful: bool) {
    let Ok(mut signals) = Signals::new([SIGINT, SIGTERM]) else {
        return; // Without handlers the default applies: the process ends at once.
    };
    std::thread::spawn(move || {
        for number in signals.forever() {
            let signal = if number == SIGTERM {
                StopSignal::Terminate
            } else {
                StopSignal::Interrupt
            };
            if graceful && stop_requested().is_none() {
                request_stop(signal);
                say(&format!(
                    "\n{}: stopping at the next step; the best plan found so far will be checked and written (press Ctrl-C again to abort and write nothing)",
                    signal.name()
                ));
                continue;
            }
            abort(signal);
        }
    });
}

/// Leave at once: remove this process's temporary folders (after any swap in progress
/// has finished) and exit with the signal's code.
fn abort(signal: StopSignal) -> ! {
    abort_cleanup();
    say(&format!("{}: aborted; nothing was written", signal.name()));
    std::process::exit(i32::from(signal.exit_code()));
}
