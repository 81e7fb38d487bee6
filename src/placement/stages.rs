//! The lexicographic solve of one independent part: first leave as few requirement parts
//! unplaced as possible (the count stage), then find the cheapest plan with no more
//! unplaced parts than that (the cost stage). Each stage reports its own status and bound,
//! so no gap mixes the unplaced penalty with minutes.
//!
//! Parts up to [`super::LARGE_PART`] candidate blocks: each stage is one CBC solve. Larger
//! parts: the count stage rounds the count's linear relaxation over a few blocks per part,
//! proves a lower bound by solving each cluster of doctors (those nearest to one trust)
//! alone with every slot free, or the doctors confined to a few departments alone, and
//! searches for a plan that meets it; the cost stage rounds the cost's relaxation, re-solves
//! the doctors it would move and then cluster by cluster, with the count fixed, while on
//! the other core a Lagrangian relaxation bounds the cost at that count.

use std::time::Instant;

use crate::error::Result;
use crate::model::*;
use crate::solver::{Outcome, SolveOptions, Status, relative_gap};

use super::bound;
use super::clusters::{self, Level};
use super::decompose::Component;
use super::lns::{self, Goal, Search};
use super::model::{self, Stage};
use super::objective::price;
use super::{Candidate, Formulation, Problem};

/// Share of a part's time the count stage may use before the cost stage starts.
const COUNT_SHARE: f64 = 0.5;
/// Share of a large part's time (after its lower bounds) for the count search: fewer
/// unplaced parts come first.
const COUNT_SEARCH_SHARE: f64 = 0.7;
/// Share of a large part's time for the clusters' lower bounds on unplaced parts.
const CLUSTER_BOUND_SHARE: f64 = 0.15;
/// Time limit of one cluster's solve for its lower bound, seconds.
const CLUSTER_LIMIT: f64 = 5.0;
/// Doctors in one neighbourhood of the cost search.
const COST_FREED: usize = 40;
/// Doctors with the largest Lagrangian regret re-solved each round of the cost stage.
const REGRET_SEEDS: usize = 200;
/// Doctors holding the slots a doctor's cheapest priced service needs, freed with them
/// (measured on 2,000 doctors: 2 and 6 did worse).
const REGRET_BLOCKING: usize = 3;
/// Blocks per requirement part the whole part is re-solved over at the cost stage: each
/// part's cheapest at the Lagrangian prices, besides the blocks held now (measured on
/// 2,000 doctors: 3 and 5 did worse; with 5 and more CBC often does not finish in time).
const POOL_PER_PART: usize = 4;
/// Time limit of that solve, seconds. Without strong branching such a solve takes 1–3 s on
/// 2,000 generated doctors, and 3–9 s on a machine a third slower (100 doctors proven in
/// 2.0 s instead of 1.4 s), where a limit of 5 s cut the first one short in most runs.
/// Measured at 60 s on 2,000 doctors (cost gap): on the faster machine 0.91–1.11 % with
/// 5 s (four runs), 0.80–1.57 % with 10 s (three); on the slower one 1.90–3.83 % with 5 s
/// (eight runs, median 3.4 %), 1.62–3.64 % with 10 s (eight, median 1.9 %) and 1.70–4.12 %
/// with 15 s (four).
const POOL_LIMIT: f64 = 10.0;
/// Relative gap at which a re-solve of the cost search stops, at most: the plan it has is
/// kept and the search moves on, instead of spending the rest of the solve's limit
/// proving it. Logged on 2,000 generated doctors: solves of every doctor over the blocks
/// worth having found their last plan within 0.1 % of their bound after 1–3 s, then ran
/// to 5–10 s without a better one. Measured at 60 s there (four runs each): cost gap
/// 1.07–1.82 % against 1.48–2.17 % with every re-solve proven.
const SEARCH_GAP: f64 = 1e-3;
/// A re-solve's gap is at most this share of the plan's own gap to the Lagrangian bound: a
/// plan already close to its bound (500 generated doctors end about 0.2 % from it) gains
/// by steps smaller than [`SEARCH_GAP`], and its re-solves go on looking for them.
const SEARCH_GAP_SHARE: f64 = 0.1;
/// Seconds after which a pass of regret neighbourhoods starts no more of them (the
/// largest regrets come first), so that the solve of every doctor over the blocks worth
/// having runs again on the plan they changed. Measured at 60 s on 2,000 generated doctors
/// (cost gap): 0.84–1.19 % with 6 s (seven runs), 1.04–1.20 % with 4 s, 1.18–1.62 % with
/// 8 s and 1.17–1.53 % with no limit (a pass then took 11–18 s).
const REGRET_PASS_LIMIT: f64 = 6.0;
/// A pass of regret neighbourhoods is repeated while it lowers the cost by this share.
const REGRET_PAYS: f64 = 1e-5;
/// Candidate blocks of a cluster solved alone for its lower bound at most: CBC's first
/// relaxation of a larger one may outlast the share of time, and its limit does not
/// interrupt it.
const CLUSTER_BOUND_CANDIDATES: usize = 20_000;
/// Doctors of other clusters freed with a cluster re-solved whole, at most.
const INTRUDERS: usize = 30;
/// Doctors in a cluster re-solved whole by the count search at most (larger ones take
/// longer than the search can wait).
const CLUSTER_FREED: usize = 100;

/// Cheapest whole blocks of each requirement part in the count stage's relaxation of a
/// large part. Measured on 2,000 generated doctors (seed 7): 15 leaves 23 parts unplaced
/// after rounding, 30 leaves 8 (the relaxation then takes 7 s of 60).
const RELAXED_PER_PART: usize = 30;
/// Whole blocks, cheapest first, of each part the greedy plan leaves unplaced in that
/// relaxation.
const RELAXED_PER_OPEN: usize = 600;
/// Time limit of the cost stage's relaxation, seconds, and the share of the time left it
/// may use at most (the count stage's has the part's whole time:
/// [`count_relaxation_options`]).
const RELAXED_LIMIT: f64 = 20.0;
/// Blocks in the cost stage's relaxation, about: each requirement part gets this many
/// divided by the number of parts of its cheapest whole blocks, between
/// [`COST_RELAXED_FEWEST`] and [`RELAXED_PER_PART`]. Measured at 60 s: on 500 generated
/// doctors (seed 7) 30 blocks a part end 0.46 % from the bound and 10 end 0.95 %; on 2,000,
/// 30 a part take the cost stage's whole time in the first relaxation.
const COST_RELAXED_BLOCKS: usize = 20_000;
const COST_RELAXED_FEWEST: usize = 10;
const RELAXED_SHARE: f64 = 0.4;

/// Departments a doctor's blocks may span at most for the confined-doctors bound, doctors
/// in one such group at most, and the time limit of its solve in seconds.
const CONFINED_DEPARTMENTS: usize = 8;
const CONFINED_DOCTORS: usize = 80;
const CONFINED_LIMIT: f64 = 2.0;

/// What the count stage found for one part.
#[derive(Clone, Debug, Default)]
pub struct CountStage {
    /// Requirement parts the plan leaves unplaced.
    pub unplaced: usize,
    /// No plan leaves fewer unplaced (proven).
    pub bound: usize,
    pub seconds: f64,
    /// Who is involved in the bound, in domain words ("at least 2 of the 34 doctors nearest
    /// Helse Tromsø ...").
    pub why: Vec<String>,
    /// How the stage ended, when it did not prove its count.
    pub stopped: Option<String>,
}

/// One part solved lexicographically.
pub struct PartPlan {
    /// Indices (into the global candidate list) of the chosen blocks.
    pub chosen: Vec<usize>,
    /// Requirement parts left unplaced.
    pub unplaced: Vec<(DoctorId, usize)>,
    /// Each objective term, in cost points (the unplaced penalty included).
    pub terms: std::collections::BTreeMap<String, f64>,
    pub count: CountStage,
    /// The cost stage: its objective and bound are the cost without the unplaced penalty,
    /// at the count found.
    pub cost: Outcome,
    /// How the search went, for the notes.
    pub notes: Vec<String>,
}

/// Solve `comp` lexicographically within the time `opts` leaves.
pub fn solve(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    opts: &SolveOptions,
    formulation: Formulation,
    large_part: usize,
) -> Result<PartPlan> {
    if formulation == Formulation::Strong && comp.candidates.len() > large_part {
        Ok(solve_large(problem, cands, comp, opts))
    } else {
        solve_small(problem, cands, comp, opts, formulation)
    }
}

/// Options for a step that may use `share` of the time `opts` leaves, from now.
fn share_of(opts: &SolveOptions, share: f64) -> SolveOptions {
    let mut o = opts.clone();
    o.time_limit = (opts.seconds_left() * share).max(0.01);
    o.deadline = Some(crate::budget::Deadline::after(o.time_limit));
    o
}

/// Both stages by CBC. First the weighted model (every unplaced part costs
/// `[weights] unplaced`): when it leaves no part unplaced, or when no plan could make up for
/// one more placed part ([`cost_ceiling`]), its optimum is also the lexicographic one.
/// Otherwise the count model proves (or improves) the count, and the cost model is solved
/// at that count if it changed.
fn solve_small(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    opts: &SolveOptions,
    formulation: Formulation,
) -> Result<PartPlan> {
    let started = Instant::now();
    let weighted = model::solve_part(
        problem,
        cands,
        comp,
        &share_of(opts, 1.0 - COUNT_SHARE / 2.0),
        formulation,
        None,
    )?;
    let w = problem.inst.settings.weights.unplaced;
    let n = weighted.unplaced.len();
    let penalty = w * n as f64;
    let mut cost = weighted.outcome.clone();
    cost.objective -= penalty;
    // Plans with exactly `n` unplaced parts are among all plans, so the weighted bound less
    // the penalty bounds their cost.
    cost.bound -= penalty;
    cost.gap = relative_gap(cost.objective, cost.bound);
    let mut count = CountStage {
        unplaced: n,
        bound: 0,
        seconds: started.elapsed().as_secs_f64(),
        why: Vec::new(),
        stopped: None,
    };
    let empty = parts_without_blocks(problem, cands, comp);
    if !empty.is_empty() {
        count.why.push(no_block_why(problem.inst, &empty));
    }
    let counted = if n == empty.len() {
        count.bound = n; // Every unplaced part has no block at all.
        None
    } else if weighted.outcome.status.is_optimal()
        && cost.objective + w > cost_ceiling(problem, cands, comp)
    {
        // A plan with fewer unplaced parts would cost at least `w` more than this one,
        // more than any plan costs.
        count.bound = n;
        count.why.push(format!(
            "the proven optimum of the {} doctors' model leaves {n} unplaced, and its penalty per unplaced part is larger than the cost of any plan, so no plan places more",
            comp.doctors.len()
        ));
        None
    } else if opts.should_stop() {
        count.stopped = Some(stopped_why(opts));
        None
    } else {
        let count_opts = share_of(opts, COUNT_SHARE);
        let start = (formulation == Formulation::Strong).then_some(weighted.chosen.as_slice());
        let counted = model::solve_stage(
            problem,
            cands,
            comp,
            &count_opts,
            formulation,
            Stage::Count,
            start,
        )?;
        let found = counted.unplaced.len().min(n);
        count.bound = whole_bound(counted.outcome.bound, found);
        count.seconds = started.elapsed().as_secs_f64();
        if count.bound > empty.len() {
            count.why.push(format!(
                "CBC proved at least {} of the requirement parts of these {} doctors must stay unplaced",
                count.bound,
                comp.doctors.len()
            ));
        }
        if count.bound < found {
            count.stopped = Some(stopped_why(&count_opts));
        }
        Some(counted).filter(|c| c.unplaced.len() < n)
    };
    let Some(counted) = counted else {
        return Ok(PartPlan {
            chosen: weighted.chosen,
            unplaced: weighted.unplaced,
            terms: weighted.terms,
            count,
            cost,
            notes: Vec::new(),
        });
    };
    let found = counted.unplaced.len();
    // The count model placed more parts than the weighted one: the cheapest plan at its count.
    let cost_started = Instant::now();
    let stage = Stage::Cost {
        unplaced_at_most: Some(found),
    };
    let start = (formulation == Formulation::Strong).then_some(counted.chosen.as_slice());
    let costed = model::solve_stage(
        problem,
        cands,
        comp,
        &share_of(opts, 1.0),
        formulation,
        stage,
        start,
    )?;
    let mut cost = costed.outcome;
    cost.seconds = cost_started.elapsed().as_secs_f64();
    count.unplaced = costed.unplaced.len();
    Ok(PartPlan {
        chosen: costed.chosen,
        unplaced: costed.unplaced,
        terms: costed.terms,
        count,
        cost,
        notes: Vec::new(),
    })
}

/// More than any plan of `comp` can cost (the unplaced penalty left out): every part in its
/// dearest block, every municipality as often away together as it may, every min-fill slot
/// empty, and the longest commute of any candidate.
fn cost_ceiling(problem: &Problem, cands: &[Candidate], comp: &Component) -> f64 {
    let inst = problem.inst;
    let w = &inst.settings.weights;
    let mut dearest: std::collections::BTreeMap<(DoctorId, usize), f64> = Default::default();
    let mut away: std::collections::BTreeMap<
        (MunicipalityId, Month),
        std::collections::BTreeSet<DoctorId>,
    > = Default::default();
    let mut departments = std::collections::BTreeSet::new();
    let mut longest = 0;
    for &g in &comp.candidates {
        let c = &cands[g];
        let part = &problem.parts(c.doctor)[c.part];
        // A split part has at most `max_blocks` blocks.
        let blocks = if part.block_lengths().len() > 1 {
            f64::from(part.max_blocks)
        } else {
            1.0
        };
        let e = dearest.entry((c.doctor, c.part)).or_insert(0.0);
        *e = e.max(blocks * super::objective::block_cost(problem, c));
        for m in c.span().months() {
            away.entry((inst.doctor(c.doctor).municipality, m))
                .or_default()
                .insert(c.doctor);
        }
        departments.insert(c.department);
        if !c.relocate {
            longest = longest.max(c.commute);
        }
    }
    let stagger: f64 = away
        .iter()
        .map(|(&(mu, m), who)| {
            let most =
                (who.len() as u32).min(inst.municipality(mu).max_away) + problem.fixed_away(mu, m);
            f64::from(most.saturating_sub(1))
        })
        .sum();
    let months: Vec<Month> = inst.horizon().months().collect();
    let empty: f64 = departments
        .iter()
        .flat_map(|&k| months.iter().map(move |&m| (k, m)))
        .map(|(k, m)| f64::from(inst.department(k).min_fill_in(m)))
        .sum();
    dearest.values().sum::<f64>()
        + w.stagger * stagger
        + w.min_fill * empty
        + w.worst_commute * f64::from(longest)
        + 1.0
}

/// A solver's lower bound on a count as a whole number, at most the count found.
fn whole_bound(bound: f64, found: usize) -> usize {
    if bound.is_finite() {
        ((bound - 1e-6).ceil().max(0.0) as usize).min(found)
    } else {
        0
    }
}

/// With `--verbose`, one line on standard error per step of a large part: what was done,
/// and the seconds since the part's solve started.
fn trace(opts: &SolveOptions, since: Instant, what: impl FnOnce() -> String) {
    if opts.verbose {
        eprintln!(
            "placement: {:7.2} s  {}",
            since.elapsed().as_secs_f64(),
            what()
        );
    }
}

/// Why a step stopped before its proof.
fn stopped_why(opts: &SolveOptions) -> String {
    match crate::budget::stop_requested() {
        Some(signal) => format!("stopped by {}", signal.name()),
        None => format!(
            "its share of the time limit ran out ({:.1} s)",
            opts.time_limit
        ),
    }
}

/// The count stage of a large part: lower bounds from the clusters alone, then the search.
/// Its `-v` lines give the seconds since `began` (the part's start, as the cost stage's do).
fn count_large(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    search: &mut Search,
    opts: &SolveOptions,
    progress: &bound::Progress,
    began: Instant,
) -> CountStage {
    let started = Instant::now();
    // The plan so far, for the cost stage's bound, whose steps have started.
    let tell = |search: &Search| progress.set(search.unplaced(), search.cost());
    let inst = problem.inst;
    let mut bound = 0;
    let mut why = Vec::new();
    // Parts no block fits: unplaced in every plan.
    let empty = parts_without_blocks(problem, cands, comp);
    if !empty.is_empty() {
        bound += empty.len();
        why.push(no_block_why(inst, &empty));
    }
    // First the relaxation of the whole part, rounded: it places most of what the greedy
    // plan leaves out, and leaves fewer clusters whose bound needs proving.
    let t = Instant::now();
    let open = search.unplaced();
    let (relax_opts, relax_limit) = count_relaxation_options(opts);
    let kept = search.round_relaxation(
        Goal::Count,
        RELAXED_PER_PART,
        RELAXED_PER_OPEN,
        &relax_opts,
        relax_limit,
    );
    tell(search);
    trace(opts, began, || {
        format!(
            "relaxation over each part's {RELAXED_PER_PART} cheapest blocks, rounded ({:.1} s{}): {}",
            t.elapsed().as_secs_f64(),
            relaxation_outcome(
                kept,
                search.relaxation_solved(),
                open,
                crate::budget::stop_requested()
            ),
            search.standing()
        )
    });
    // Each cluster alone, with every slot free: what it cannot place, no plan can. Small
    // clusters first: they are quick to prove.
    let bound_opts = share_of(opts, CLUSTER_BOUND_SHARE);
    let mut clusters = clusters::for_bounds(problem, cands, comp, CLUSTER_BOUND_CANDIDATES);
    clusters.sort_by_key(|c| (c.doctors.len(), c.name.clone()));
    let mut own_bound = vec![0; clusters.len()];
    for (ci, cluster) in clusters.iter().enumerate() {
        if bound_opts.should_stop() || started.elapsed().as_secs_f64() > bound_opts.time_limit {
            break;
        }
        let members = cluster.members();
        let own_empty = empty.iter().filter(|(d, _)| members.contains(d)).count();
        if search.unplaced_among(&members) == own_empty {
            continue; // Nothing to prove: 0 is a bound.
        }
        let alone = clusters::component(cluster, cands, comp);
        if alone.candidates.len() > CLUSTER_BOUND_CANDIDATES {
            continue;
        }
        let start = search.plan_of(&members);
        let Some((here, solved)) = count_alone(
            problem,
            cands,
            &alone,
            &bound_opts,
            CLUSTER_LIMIT,
            Some(&start),
        ) else {
            continue;
        };
        trace(opts, began, || {
            format!(
                "cluster {} alone ({} doctors, {} blocks): {} unplaced, at least {here} ({})",
                cluster.name,
                cluster.doctors.len(),
                alone.candidates.len(),
                solved.unplaced.len(),
                solved.outcome.status.label()
            )
        });
        own_bound[ci] = here;
        let extra = here.saturating_sub(own_empty);
        if extra > 0 {
            bound += extra;
            why.push(format!(
                "at least {here} requirement part(s) of the {} doctors nearest {} cannot be placed even with every slot elsewhere free (in their best plan alone: {})",
                cluster.doctors.len(),
                cluster.name,
                names(inst, solved.unplaced.iter().map(|&(d, _)| d))
            ));
        }
    }
    let search_opts = share_of(opts, COUNT_SEARCH_SHARE);
    // The search: whole clusters that leave more unplaced than they must, then
    // neighbourhoods around each part left unplaced, until the bound is met.
    while search.unplaced() > bound && !search_opts.should_stop() {
        let before = search.unplaced();
        if search.fill() {
            trace(opts, began, || {
                format!("free slots and moved blocks: {}", search.standing())
            });
        }
        resolve_clusters(search, &clusters, &own_bound, &search_opts);
        tell(search);
        trace(opts, began, || {
            format!("clusters re-solved: {}", search.standing())
        });
        search.reduce_unplaced(bound, &search_opts);
        tell(search);
        trace(opts, began, || {
            format!("neighbourhoods: {}", search.standing())
        });
        if search.fill() {
            trace(opts, began, || {
                format!("free slots and moved blocks: {}", search.standing())
            });
        }
        if search.unplaced() == before {
            break;
        }
    }
    if search.unplaced() > bound {
        confined_bound(
            problem, cands, comp, search, &empty, opts, &mut bound, &mut why,
        );
        trace(opts, began, || {
            format!("doctors confined to a few departments: at least {bound}")
        });
    }
    let unplaced = search.unplaced();
    CountStage {
        unplaced,
        bound: bound.min(unplaced),
        seconds: started.elapsed().as_secs_f64(),
        why,
        stopped: (bound < unplaced).then(|| {
            if search_opts.should_stop() {
                stopped_why(&search_opts)
            } else {
                "its neighbourhoods found no plan with fewer unplaced parts".to_string()
            }
        }),
    }
}

/// The count model of a group of doctors solved alone (`alone`, every slot theirs) within
/// `limit` seconds: the proven lower bound on its unplaced parts, and its best plan.
fn count_alone(
    problem: &Problem,
    cands: &[Candidate],
    alone: &Component,
    opts: &SolveOptions,
    limit: f64,
    start: Option<&[usize]>,
) -> Option<(usize, model::PartSolution)> {
    let mut o = opts.clone();
    o.time_limit = limit.min(opts.seconds_left());
    o.verbose = false;
    let solved = model::solve_stage(
        problem,
        cands,
        alone,
        &o,
        Formulation::Strong,
        Stage::Count,
        start,
    )
    .ok()?;
    Some((
        whole_bound(solved.outcome.bound, solved.unplaced.len()),
        solved,
    ))
}

/// How the count stage's relaxation went, for its `-v` line: kept (nothing to say), not
/// kept, or not solved, with `open` parts unplaced before it and `stop` the stop request
/// made by then, if any (a relaxation not solved after a stop was given up or never
/// started, not timed out).
fn relaxation_outcome(
    kept: bool,
    solved: bool,
    open: usize,
    stop: Option<crate::budget::StopSignal>,
) -> String {
    match (kept, solved, stop) {
        (true, _, _) => String::new(),
        (false, false, Some(signal)) if open > 0 => format!(", stopped by {}", signal.name()),
        (false, false, None) if open > 0 => ", not solved within the time limit".to_string(),
        (false, _, _) => ", not kept".to_string(),
    }
}

/// Options and time limit for the count stage's relaxation of a large part: the part's
/// whole time left. CLP, to which CBC hands a linear program, does not stop at a time
/// limit or on a stop request, and the solver is busy until it returns; so a relaxation
/// given up early saves no time for the steps after it, and its answer, which places
/// most of what the greedy plan leaves out, is lost. Measured on 2,000 generated doctors
/// with `--time-limit 30` (the relaxation takes 10–16 s on the slower machine): given up
/// at its former share (0.4 of the time left, 10.3 s), the part ended with 101–108 parts
/// unplaced; waited for (12.5 s), with 5.
fn count_relaxation_options(opts: &SolveOptions) -> (SolveOptions, f64) {
    (opts.clone(), opts.seconds_left())
}

/// A second lower bound on unplaced parts, from doctors confined to a few departments
/// ([`clusters::confined`], around the doctors left unplaced) each group solved alone; if
/// it proves more than `bound`, it replaces `bound` and `why`.
#[allow(clippy::too_many_arguments)]
fn confined_bound(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    search: &Search,
    empty: &[(DoctorId, usize)],
    opts: &SolveOptions,
    bound: &mut usize,
    why: &mut Vec<String>,
) {
    let inst = problem.inst;
    let seeds: Vec<DoctorId> = search.eval.unplaced.iter().map(|&(d, _)| d).collect();
    let groups = clusters::confined(
        problem,
        cands,
        comp,
        &seeds,
        CONFINED_DEPARTMENTS,
        CONFINED_DOCTORS,
    );
    let mut total = empty.len();
    let mut reasons = Vec::new();
    if !empty.is_empty() {
        reasons.push(no_block_why(inst, empty));
    }
    for group in &groups {
        if opts.should_stop() {
            break;
        }
        let alone = clusters::component(group, cands, comp);
        let Some((here, solved)) = count_alone(problem, cands, &alone, opts, CONFINED_LIMIT, None)
        else {
            continue;
        };
        let members = group.members();
        let own_empty = empty.iter().filter(|(d, _)| members.contains(d)).count();
        let extra = here.saturating_sub(own_empty);
        if extra > 0 {
            total += extra;
            reasons.push(format!(
                "at least {here} requirement part(s) of the {} doctor(s) whose every allowed block is in {} cannot be placed even with those departments theirs alone (in their best plan: {})",
                group.doctors.len(),
                group.name,
                names(inst, solved.unplaced.iter().map(|&(d, _)| d))
            ));
        }
    }
    if total > *bound {
        *bound = total;
        *why = reasons;
    }
}

/// Each cluster (`clusters` ordered smallest first) that leaves more parts unplaced than
/// its own bound re-solved for the count, everyone else kept where they are; when there is
/// time to re-solve each, together with up to [`INTRUDERS`] doctors of other clusters who
/// hold the departments where its unplaced parts could go.
fn resolve_clusters(
    search: &mut Search,
    clusters: &[clusters::Cluster],
    own_bound: &[usize],
    opts: &SolveOptions,
) {
    // With time for a full solve of each, the largest first (they hold the most slots);
    // otherwise the smallest first, which are quick. Measured at 60 s under load: on the
    // generated 500-doctor instance (12 clusters) the largest first leaves 14 parts where
    // the smallest first leaves 21; on 2,000 doctors the largest first takes the whole
    // share of the search, and so do the doctors of other clusters freed with each, which
    // are then left out.
    let ample = opts.seconds_left() >= CLUSTER_LIMIT * clusters.len() as f64 / 2.0;
    let order: Vec<usize> = if ample {
        (0..clusters.len()).rev().collect()
    } else {
        (0..clusters.len()).collect()
    };
    for ci in order {
        let cluster = &clusters[ci];
        let members = cluster.members();
        if search.unplaced_among(&members) > own_bound[ci] && cluster.doctors.len() <= CLUSTER_FREED
        {
            let mut freed = members.clone();
            if ample {
                let intruders = search.holders(&search.wanted_by_unplaced(&members));
                freed.extend(intruders.into_iter().take(INTRUDERS));
            }
            search.try_within(&freed, Goal::Count, opts, CLUSTER_LIMIT);
        }
    }
}

/// A large part: the count stage by clusters and search, the cost stage by search with a
/// Lagrangian bound computed at the same time on the other core.
fn solve_large(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    opts: &SolveOptions,
) -> PartPlan {
    let began = Instant::now();
    let mut search = Search::from_greedy(problem, cands, comp);
    trace(opts, began, || {
        format!(
            "greedy start of {} doctors, {} blocks: {}",
            comp.doctors.len(),
            comp.candidates.len(),
            search.standing()
        )
    });
    // The cost stage's Lagrangian relaxation is built on the other core while the count
    // stage searches (its CBC solves take one core), for at most as many unplaced parts as
    // the greedy plan leaves; its steps start at once and follow the count as the count
    // stage lowers it, so that its prices are ready when the cost stage starts.
    let at_most = search.unplaced();
    let stage = Stage::Cost {
        unplaced_at_most: Some(at_most),
    };
    let upper = search.cost();
    let progress = bound::Progress::default();
    progress.set(at_most, upper);
    let cost_opts = share_of(opts, 1.0);
    // The Lagrangian relaxation, built on the other core, and its best prices so far.
    let lagrange: std::sync::OnceLock<bound::Relaxation> = std::sync::OnceLock::new();
    let prices = bound::SharedPrices::default();
    // The bound's steps are over: the search's solves may take their core.
    let steps_over = std::sync::atomic::AtomicBool::new(false);
    let cores = std::thread::available_parallelism()
        .map_or(1, |n| u32::try_from(n.get()).unwrap_or(u32::MAX));
    let ((mut count, started), relaxed) = rayon::join(
        || {
            let count = count_large(problem, cands, comp, &mut search, opts, &progress, began);
            trace(opts, began, || {
                format!(
                    "count stage: {}, at least {} unplaced",
                    search.standing(),
                    count.bound
                )
            });
            let started = Instant::now();
            progress.set(search.unplaced(), search.cost());
            progress.settle();
            let clusters = clusters::nearest(problem, cands, comp, Level::Hospital);
            // Rounds of: every doctor re-solved over each part's few blocks cheapest at the
            // Lagrangian prices, then neighbourhoods around the doctors with the largest
            // regret, while they pay; the cost's relaxation over a few blocks each (the
            // blocks now chosen among them), rounded, and the doctors it would move,
            // re-solved in groups, where that relaxation is small enough to solve in time;
            // then each cluster of doctors with its rank-th partner.
            let parts: usize = comp.doctors.iter().map(|&d| problem.parts(d).len()).sum();
            let per_part =
                (COST_RELAXED_BLOCKS / parts.max(1)).clamp(COST_RELAXED_FEWEST, RELAXED_PER_PART);
            let relax = parts * RELAXED_PER_PART <= COST_RELAXED_BLOCKS;
            let latest = || prices.lock().unwrap_or_else(|e| e.into_inner()).clone();
            let everyone: std::collections::BTreeSet<DoctorId> =
                comp.doctors.iter().copied().collect();
            let mut regret_ran = false;
            // The last pool solved over, and the cost of the plan it left.
            let mut last_pool: Option<(std::collections::HashSet<usize>, f64)> = None;
            let mut rank = 0;
            // The re-solves' options: their gap follows the plan's (below).
            let mut search_opts = cost_opts.clone();
            while !cost_opts.should_stop() && rank < clusters.len() {
                let before = search.cost();
                while !cost_opts.should_stop() {
                    let (Some(r), Some(price)) = (lagrange.get(), latest()) else {
                        break;
                    };
                    regret_ran = true;
                    let t = Instant::now();
                    let pass = search.cost();
                    let lower = r.value_at_count(&price, search.unplaced());
                    search_opts.gap = cost_opts.gap.max(search_gap(pass, lower));
                    search_opts.threads = search_threads(
                        &cost_opts,
                        steps_over.load(std::sync::atomic::Ordering::Relaxed),
                        cores,
                    );
                    // Every doctor at once, over the blocks worth having at these prices:
                    // chains of moves no neighbourhood of a few doctors holds.
                    let pool = r.cheapest_blocks(&price, POOL_PER_PART);
                    let (fresh, repeat) = against_last_pool(last_pool.as_ref(), &pool, pass);
                    let size = pool.len();
                    if !repeat {
                        search.try_over(&everyone, &pool, Goal::Cost, &search_opts, POOL_LIMIT);
                        last_pool = Some((pool, search.cost()));
                    }
                    let pooled = search.cost();
                    trace(opts, began, || {
                        format!(
                            "every doctor over the {size} blocks cheapest at the prices ({fresh} new{}, {:.1} s): {pooled:.1}",
                            if repeat {
                                ", the last solve's: not solved again"
                            } else {
                                ""
                            },
                            t.elapsed().as_secs_f64(),
                        )
                    });
                    // Again while it pays and is solved within its limit: one that runs out
                    // its limit (CBC keeps the plan as its start and may improve it a
                    // little) marks blocks hard to improve on, and the regret
                    // neighbourhoods move the plan on faster (measured on 2,000 doctors:
                    // two such solves in a row took 20 s for 0.6 %).
                    let within = t.elapsed().as_secs_f64() < 0.9 * POOL_LIMIT;
                    if within && pooled <= pass * (1.0 - REGRET_PAYS) {
                        continue;
                    }
                    // Otherwise: the doctors with the largest regret, a few at
                    // a time, over all their blocks, for a few seconds.
                    let t = Instant::now();
                    for freed in regret_neighbourhoods(&search, r, &price) {
                        if t.elapsed().as_secs_f64() > REGRET_PASS_LIMIT {
                            break;
                        }
                        search.try_neighbourhood(&freed, Goal::Cost, &search_opts);
                    }
                    trace(opts, began, || {
                        format!(
                            "neighbourhoods of the largest regrets ({:.1} s): {:.1}",
                            t.elapsed().as_secs_f64(),
                            search.cost()
                        )
                    });
                    if search.cost() > pass * (1.0 - REGRET_PAYS) {
                        break;
                    }
                }
                if relax {
                    let t = Instant::now();
                    let kept = search.round_relaxation(
                        Goal::Cost,
                        per_part,
                        per_part,
                        &share_of(&search_opts, RELAXED_SHARE),
                        RELAXED_LIMIT,
                    );
                    for chunk in search.disagreeing().chunks(COST_FREED) {
                        let freed: std::collections::BTreeSet<DoctorId> =
                            chunk.iter().copied().collect();
                        search.try_neighbourhood(&freed, Goal::Cost, &search_opts);
                    }
                    trace(opts, began, || {
                        format!(
                            "cost relaxation ({per_part} blocks a part, {:.1} s, rounding {}kept) and the doctors it would move: {:.1}",
                            t.elapsed().as_secs_f64(),
                            if kept { "" } else { "not " },
                            search.cost()
                        )
                    });
                }
                let mut interrupted = false;
                for freed in clusters::neighbourhoods(&clusters, rank, COST_FREED) {
                    // The first prices arrived: their regrets come first.
                    if !regret_ran && latest().is_some() {
                        interrupted = true;
                        break;
                    }
                    search.try_neighbourhood(&freed, Goal::Cost, &search_opts);
                }
                // Cheaper blocks elsewhere may have freed a slot a part left unplaced fits.
                let filled = search.fill();
                if !interrupted && !filled && search.cost() >= before - 1e-6 {
                    rank += 1;
                }
                trace(opts, began, || {
                    format!("clusters with partner {rank}: {:.1}", search.cost())
                });
            }
            (count, started)
        },
        || {
            let bound = lagrange
                .get_or_init(|| bound::Relaxation::new(problem, cands, comp, stage))
                .bound(stage, upper, &cost_opts, Some(&prices), Some(&progress));
            steps_over.store(true, std::sync::atomic::Ordering::Relaxed);
            bound
        },
    );
    let eval = price(problem, cands, comp, &search.current);
    if eval.unplaced.len() < count.unplaced {
        // The cost search placed parts left unplaced (in slots its moves freed, or by
        // moves that make room): the count was reached by the end of the cost stage.
        count.unplaced = eval.unplaced.len();
        count.seconds += started.elapsed().as_secs_f64();
        count.bound = count.bound.min(count.unplaced);
        if count.bound == count.unplaced {
            count.stopped = None;
        }
    }
    let value = lns::cost_of(&eval);
    // The best prices at the count reached: the steps found them at the count of their
    // time, and with more parts placed than then, the bound is higher.
    let best_prices = prices.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let relaxed_value = match (lagrange.get(), best_prices) {
        (Some(r), Some(price)) => relaxed
            .value
            .max(r.value_at_count(&price, eval.unplaced.len()).min(value)),
        _ => relaxed.value,
    };
    let bound = relaxed_value.min(value);
    trace(opts, began, || {
        format!("cost stage: {value:.1}, Lagrangian bound {relaxed_value:.1}")
    });
    let gap = relative_gap(value, bound);
    let cost = Outcome {
        status: if gap <= 1e-9 {
            Status::Optimal
        } else {
            Status::TimeLimit
        },
        objective: value,
        bound,
        gap,
        seconds: started.elapsed().as_secs_f64(),
        // The relaxation's size: a choice per candidate block and requirement part, a
        // cover row per part and the priced rules.
        variables: comp.candidates.len() + relaxed.parts,
        constraints: relaxed.parts + relaxed.priced_rows,
    };
    let notes = vec![format!(
        "a part of {} doctors with {} candidate blocks was planned by large-neighbourhood search ({} neighbourhoods re-solved, {} kept); its cost bound is a Lagrangian one",
        comp.doctors.len(),
        comp.candidates.len(),
        search.tried,
        search.kept
    )];
    PartPlan {
        chosen: search.current,
        unplaced: eval.unplaced,
        terms: eval.terms,
        count,
        cost,
        notes,
    }
}

/// CBC threads for the cost search's solves on a machine of `cores` cores: one more than
/// asked for once the bound's steps are over (they stop when they stall, 5–15 s before the
/// end on 2,000 generated doctors), while a core is left for it.
fn search_threads(opts: &SolveOptions, steps_over: bool, cores: u32) -> u32 {
    if steps_over && opts.threads < cores {
        opts.threads + 1
    } else {
        opts.threads
    }
}

/// The blocks of `pool` that the last solve over every doctor did not have (`last`: its
/// pool and the cost of the plan it left), and whether solving over `pool` from a plan
/// costing `cost` would repeat that solve: the same blocks from the plan it left. It would
/// find nothing new; on 500 generated doctors the bound's steps settle their prices within
/// 20 s and the pool then stays the same, while a plan changed since may still gain.
fn against_last_pool(
    last: Option<&(std::collections::HashSet<usize>, f64)>,
    pool: &std::collections::HashSet<usize>,
    cost: f64,
) -> (usize, bool) {
    last.map_or((pool.len(), false), |(blocks, left)| {
        (
            pool.difference(blocks).count(),
            blocks == pool && *left == cost,
        )
    })
}

/// The relative gap at which the cost search's re-solves stop, for a plan costing `cost`
/// with a Lagrangian bound of `lower`: [`SEARCH_GAP`], or less when the plan is closer to
/// its bound than ten times that.
fn search_gap(cost: f64, lower: f64) -> f64 {
    (SEARCH_GAP_SHARE * relative_gap(cost, lower)).min(SEARCH_GAP)
}

/// Doctors to re-solve together at the cost stage, from the Lagrangian prices: each of
/// the doctors with the largest regret ([`bound::Relaxation::regrets`]) with the doctors
/// holding the slots of their cheapest priced service, [`COST_FREED`] doctors at a time.
fn regret_neighbourhoods(
    search: &Search,
    relaxation: &bound::Relaxation,
    price: &[f64],
) -> Vec<std::collections::BTreeSet<DoctorId>> {
    let mut out = Vec::new();
    let mut freed = std::collections::BTreeSet::new();
    for (_, d, g) in relaxation
        .regrets(price, &search.current)
        .into_iter()
        .take(REGRET_SEEDS)
    {
        freed.insert(d);
        freed.extend(search.blocking(g).into_iter().take(REGRET_BLOCKING));
        if freed.len() >= COST_FREED {
            out.push(std::mem::take(&mut freed));
        }
    }
    if !freed.is_empty() {
        out.push(freed);
    }
    out
}

/// Requirement parts no block fits: unplaced in every plan.
fn parts_without_blocks(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
) -> Vec<(DoctorId, usize)> {
    let served: std::collections::BTreeSet<(DoctorId, usize)> = comp
        .candidates
        .iter()
        .map(|&g| (cands[g].doctor, cands[g].part))
        .collect();
    comp.doctors
        .iter()
        .flat_map(|&d| (0..problem.parts(d).len()).map(move |p| (d, p)))
        .filter(|k| !served.contains(k))
        .collect()
}

/// The lower-bound reason for parts without any block.
fn no_block_why(inst: &Instance, empty: &[(DoctorId, usize)]) -> String {
    format!(
        "{} requirement part(s) have no block the rules allow: {}",
        empty.len(),
        names(inst, empty.iter().map(|&(d, _)| d))
    )
}

/// "V012, V033 and 4 more" for a list of doctors.
fn names(inst: &Instance, doctors: impl Iterator<Item = DoctorId>) -> String {
    let mut ids: Vec<&str> = doctors.map(|d| inst.doctor(d).id.as_str()).collect();
    ids.dedup();
    if ids.len() > 8 {
        format!("{} and {} more", ids[..8].join(", "), ids.len() - 8)
    } else {
        ids.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A re-solve of the cost search stops at 0.1 % while the plan is far from its bound,
    /// at a tenth of the plan's own gap once it is close, and is proven when the plan
    /// meets its bound.
    #[test]
    fn the_search_gap_follows_the_plans_gap() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        // 2 % from the bound: 0.1 %.
        assert!(close(search_gap(1_000.0, 980.0), SEARCH_GAP));
        // 0.3 % from the bound: 0.03 %.
        assert!(close(search_gap(1_000.0, 997.0), 3e-4));
        // At the bound (or a bound above the plan, from rounding): proven.
        assert!(close(search_gap(1_000.0, 1_000.0), 0.0));
        assert!(close(search_gap(1_000.0, 1_000.5), 0.0));
        // No bound yet: 0.1 %.
        assert!(close(search_gap(1_000.0, f64::NEG_INFINITY), SEARCH_GAP));
    }

    /// The cost search's solves take the bound's core once its steps are over, and never
    /// more threads than cores (nor fewer than asked for).
    /// A solve over the same blocks as the last one, from the plan it left, is not run
    /// again; a new block, one block fewer, or a plan changed since (by the regret
    /// neighbourhoods) makes it worth running.
    #[test]
    fn a_pool_solve_is_not_repeated_from_the_plan_it_left() {
        let last: std::collections::HashSet<usize> = [1, 2, 3].into();
        let at = Some((last.clone(), 100.0));
        assert_eq!(against_last_pool(None, &last, 100.0), (3, false));
        assert_eq!(against_last_pool(at.as_ref(), &last, 100.0), (0, true));
        assert_eq!(against_last_pool(at.as_ref(), &last, 99.0), (0, false));
        assert_eq!(
            against_last_pool(at.as_ref(), &[1, 2, 3, 4].into(), 100.0),
            (1, false)
        );
        assert_eq!(
            against_last_pool(at.as_ref(), &[1, 2].into(), 100.0),
            (0, false)
        );
    }

    /// The relaxation's `-v` line says a stop, not a time limit, when a stop was asked for.
    #[test]
    fn the_relaxations_line_names_a_stop_apart_from_the_time_limit() {
        use crate::budget::StopSignal;
        assert_eq!(relaxation_outcome(true, true, 5, None), "");
        assert_eq!(relaxation_outcome(false, true, 5, None), ", not kept");
        assert_eq!(
            relaxation_outcome(false, false, 5, None),
            ", not solved within the time limit"
        );
        assert_eq!(
            relaxation_outcome(false, false, 5, Some(StopSignal::Interrupt)),
            ", stopped by Ctrl-C"
        );
        assert_eq!(
            relaxation_outcome(false, false, 5, Some(StopSignal::Terminate)),
            ", stopped by SIGTERM"
        );
        // Nothing open: there was nothing to relax.
        assert_eq!(relaxation_outcome(false, false, 0, None), ", not kept");
    }

    /// The count stage's relaxation is waited for until the part's deadline: CLP does not
    /// stop at a time limit, so a shorter one would lose its answer and save nothing.
    #[test]
    fn the_count_relaxation_may_take_the_parts_whole_time() {
        let opts = SolveOptions {
            time_limit: 30.0,
            deadline: Some(crate::budget::Deadline::after(30.0)),
            ..SolveOptions::default()
        };
        let (relax, limit) = count_relaxation_options(&opts);
        assert_eq!(
            relax.deadline, opts.deadline,
            "waited for until the part's deadline"
        );
        assert!(limit > 29.0 && limit <= 30.0, "limit {limit}");
        // More than the former share of the time left (0.4) and its cap (20 s).
        assert!(limit > share_of(&opts, RELAXED_SHARE).time_limit);
        assert!(limit > RELAXED_LIMIT);
    }

    /// The search's CBC solves take one more thread once the bound's steps are over, while
    /// the machine has a core for it.
    #[test]
    fn the_search_takes_the_bounds_core_once_its_steps_are_over() {
        let asked = |threads| SolveOptions {
            threads,
            ..SolveOptions::default()
        };
        for cores in [1, 2, 4, 128] {
            assert_eq!(search_threads(&asked(1), false, cores), 1);
            assert_eq!(search_threads(&asked(1), true, cores), 2.min(cores));
            assert_eq!(search_threads(&asked(64), false, cores), 64);
            assert_eq!(
                search_threads(&asked(64), true, cores),
                64.max(65.min(cores))
            );
        }
    }
}
