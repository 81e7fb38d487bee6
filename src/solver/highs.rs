//! HiGHS as the MIP solver (`--solver highs`, in a build with `--features highs`): the
//! same [`Model`] handed to HiGHS through good_lp, with its status, incumbent and dual bound
//! read back in the terms [`super::solve`] checks for every backend.

use std::ffi::{c_char, c_int, c_void};
use std::time::Instant;

use good_lp::SolverModel;
use good_lp::solvers::highs::highs;
use highs::HighsModelStatus;

use super::{Answer, Backend, Ended, Model, OPTIMALITY_SLACK, SolveOptions, wait_for};

/// The HiGHS callbacks at which it asks whether to stop: in the simplex and interior-point
/// solvers of a relaxation and between the nodes of its search (`highs_c_api.h`).
const INTERRUPT_CALLBACKS: [c_int; 3] = [
    1, // kHighsCallbackSimplexInterrupt
    2, // kHighsCallbackIpmInterrupt
    6, // kHighsCallbackMipInterrupt
];

/// HiGHS asks at each interrupt callback whether to stop: yes once the command was asked
/// to stop (Ctrl-C, SIGTERM). HiGHS then ends its solve with the best solution it has.
extern "C" fn stop_when_asked(
    _callback_type: c_int,
    _message: *const c_char,
    _data_out: *const highs_sys::HighsCallbackDataOut,
    data_in: *mut highs_sys::HighsCallbackDataIn,
    _user_data: *mut c_void,
) {
    if !data_in.is_null() && crate::budget::stop_requested().is_some() {
        // SAFETY: HiGHS passes a valid, writable `data_in` to interrupt callbacks.
        unsafe { (*data_in).user_interrupt = 1 };
    }
}

/// Hand `model` to HiGHS with `seconds` of wall-clock time and the options of `opts`.
/// HiGHS runs on a thread of its own (see [`wait_for`]); a stop request reaches it through
/// its interrupt callbacks.
pub(super) fn run(
    model: &Model,
    opts: &SolveOptions,
    seconds: f64,
) -> Result<Answer, &'static str> {
    let started = Instant::now();
    let integer = model.columns.iter().any(|c| c.integer);
    let mut problem = model
        .vars
        .clone()
        .minimise(model.objective.clone())
        .using(highs);
    for c in &model.constraints {
        problem.add_constraint(c.clone());
    }
    // HiGHS takes a start as a value for every column, and only one that keeps the rules.
    let start: Option<Vec<f64>> = model
        .valid_start()
        .map(|start| model.columns.iter().map(|c| start[&c.var]).collect());
    let verbose = opts.verbose;
    let gap = opts.gap.max(0.0);
    let threads = opts.threads.max(1);
    let run = move || -> Result<Raw, &'static str> {
        let mut m = problem
            .try_into_inner()
            .map_err(|_| "HiGHS refused the model")?;
        let set =
            |ok: Result<(), highs::TrySetOptionError>| ok.map_err(|_| "HiGHS refused an option");
        set(m.try_set_option("output_flag", verbose))?;
        set(m.try_set_option("time_limit", seconds.max(0.01)))?;
        set(m.try_set_option("mip_rel_gap", gap))?;
        set(m.try_set_option("mip_abs_gap", OPTIMALITY_SLACK))?;
        set(m.try_set_option("threads", threads as i32))?;
        if !integer {
            // HiGHS's simplex did not finish the 500-doctor count relaxation's root in
            // 600 s where its interior-point solver did (issue 16); on 2,000 doctors
            // neither finishes the count relaxation in its 20 s, and the interior-point run
            // left fewer parts unplaced (51 against 59).
            set(m.try_set_option("solver", "ipm"))?;
        }
        if let Some(start) = &start {
            m.try_set_solution(Some(start), None, None, None)
                .map_err(|_| "HiGHS refused the start solution")?;
        }
        // SAFETY: the callback is a plain function that only writes the flag HiGHS hands
        // it; `m` outlives the solve it is registered for.
        unsafe {
            let h = m.as_mut_ptr();
            highs_sys::Highs_setCallback(h, Some(stop_when_asked), std::ptr::null_mut());
            for kind in INTERRUPT_CALLBACKS {
                highs_sys::Highs_startCallback(h, kind);
            }
        }
        let solved = m
            .try_solve()
            .map_err(|_| "HiGHS failed to solve the model")?;
        let has_solution = solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
        let bound = if integer {
            solved
                .double_info_value(c"mip_dual_bound")
                .ok()
                .filter(|b| b.is_finite())
        } else if matches!(solved.status(), HighsModelStatus::Optimal) {
            Some(solved.objective_value())
        } else {
            None
        };
        Ok(Raw {
            status: solved.status(),
            mip_gap: solved.mip_gap(),
            incumbent: if has_solution {
                solved.objective_value()
            } else {
                NONE
            },
            bound: bound.unwrap_or(-NONE),
            values: if has_solution {
                solved.get_solution().columns().to_vec()
            } else {
                Vec::new()
            },
        })
    };
    let raw = wait_for(run, opts, Backend::Highs, || {})?;
    let ended = read(&raw, integer);
    if verbose {
        eprintln!(
            "highs: {:?} (gap {:.3e}) read as {:?}; incumbent {:.6e}, bound {:.6e}; {:.2} s of {seconds:.2} s",
            raw.status,
            raw.mip_gap,
            ended,
            raw.incumbent,
            raw.bound,
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(Answer {
        ended,
        incumbent: raw.incumbent,
        bound: raw.bound,
        values: raw.values,
    })
}

/// The objective [`Answer`] gives for no incumbent (and its negative for no bound).
const NONE: f64 = 1e30;

/// What a HiGHS run reported, copied out of HiGHS so that it can cross threads.
struct Raw {
    status: HighsModelStatus,
    mip_gap: f64,
    /// Objective of HiGHS's incumbent without the constant ([`NONE`] when it has none).
    incumbent: f64,
    /// HiGHS's dual bound without the constant (−[`NONE`] when it has none).
    bound: f64,
    values: Vec<f64>,
}

/// How HiGHS's solve ended, from its model status.
fn read(raw: &Raw, integer: bool) -> Ended {
    use HighsModelStatus as S;
    let has_incumbent = raw.incumbent < NONE;
    match raw.status {
        S::Optimal if has_incumbent => {
            if integer && raw.mip_gap.is_finite() && raw.mip_gap > 0.0 {
                Ended::OnGap
            } else {
                Ended::Complete
            }
        }
        S::Infeasible => Ended::Infeasible,
        S::ReachedTimeLimit => Ended::Stopped("HiGHS stopped at the time limit"),
        S::ReachedInterrupt => Ended::Stopped("HiGHS stopped on a stop request (Ctrl-C)"),
        S::ReachedIterationLimit | S::ReachedSolutionLimit | S::ReachedMemoryLimit => {
            Ended::Stopped("HiGHS stopped at a limit before a proof")
        }
        S::Unbounded | S::UnboundedOrInfeasible => {
            Ended::Failed("HiGHS found the model unbounded or infeasible")
        }
        _ => Ended::Failed("HiGHS ended without a solution"),
    }
}
