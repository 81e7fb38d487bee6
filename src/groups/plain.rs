//! The textbook formulation, kept to measure the strong one against (`benches/groups.rs`).
//!
//! A capacitated p-median over numbered group slots: venue `j` has `max_groups` slots, each
//! opened or not; every doctor may join every slot; each open slot picks a supervisor and a
//! meeting pattern; members are limited per slot only by the aggregated size constraint,
//! start-spread conflicts are forbidden pairwise, and the pattern's cost is linearised with a
//! product variable per member and slot. Identical slots of one venue are not told apart,
//! so the solver sees every permutation of a solution.

use good_lp::{Expression, Variable, constraint};

use super::{Draft, Found, Pattern, Problem};
use crate::error::{Error, Result};
use crate::solver::{Model, SolveOptions, Solved, solve as run_solver};

struct Slot {
    venue: usize,
    open: Variable,
    long: Variable,
    /// `(doctor, joins, joins and the slot meets long)`.
    members: Vec<(usize, Variable, Variable)>,
    /// `(supervisor, leads, leads and the slot meets long)`.
    leaders: Vec<(usize, Variable, Variable)>,
}

struct Vars {
    slots: Vec<Slot>,
    extremes: Option<(Variable, Variable)>,
}

fn build(p: &Problem) -> (Model, Vars) {
    let mut m = Model::new();
    let mut slots = Vec::new();
    for j in 0..p.venues.len() {
        for _ in 0..p.venue_capacity(j) {
            let open = m.binary();
            let long = m.binary();
            let members = (0..p.due.len())
                .filter(|&i| p.reachable(i, j))
                .map(|i| (i, m.binary(), m.binary()))
                .collect();
            let leaders = (0..p.sups.len())
                .map(|s| (s, m.binary(), m.binary()))
                .collect();
            slots.push(Slot {
                venue: j,
                open,
                long,
                members,
                leaders,
            });
        }
    }
    let extremes = (p.rules.balance > 0.0 && slots.len() > 1).then(|| {
        let hi = f64::from(p.rules.max_size);
        (m.continuous(0.0, hi), m.continuous(0.0, hi))
    });
    let v = Vars { slots, extremes };
    group_cost(&mut m, p, &v);
    travel(&mut m, p, &v);
    group_membership(&mut m, p, &v);
    group_size(&mut m, p, &v);
    group_municipality_mix(&mut m, p, &v);
    group_start_spread(&mut m, p, &v);
    meeting_pattern(&mut m, p, &v);
    every_group_has_a_supervisor(&mut m, &v);
    supervisor_capacity(&mut m, p, &v);
    balance(&mut m, p, &v);
    (m, v)
}

fn size_of(slot: &Slot) -> Expression {
    slot.members.iter().map(|&(_, x, _)| x).sum()
}

/// Objective: every open group costs `group_cost` a year (the supervisor's fee and time).
fn group_cost(m: &mut Model, p: &Problem, v: &Vars) {
    for slot in &v.slots {
        m.cost(p.group_cost(), slot.open);
    }
}

/// Objective: members' and supervisors' round trips at the short pattern, corrected by the
/// product variables where the slot meets long.
fn travel(m: &mut Model, p: &Problem, v: &Vars) {
    for slot in &v.slots {
        let j = slot.venue;
        for &(i, x, y) in &slot.members {
            let short = p.member_cost(i, j, Pattern::Short);
            m.cost(short, x);
            m.cost(p.member_cost(i, j, Pattern::Long) - short, y);
        }
        for &(s, x, y) in &slot.leaders {
            let short = p.sup_cost(s, j, Pattern::Short);
            m.cost(short, x);
            m.cost(p.sup_cost(s, j, Pattern::Long) - short, y);
        }
    }
}

/// Every doctor due a guidance group is in exactly one group.
fn group_membership(m: &mut Model, p: &Problem, v: &Vars) {
    let mut per_doctor: Vec<Expression> = vec![Expression::from(0.0); p.due.len()];
    for slot in &v.slots {
        for &(i, x, _) in &slot.members {
            per_doctor[i] += x;
        }
    }
    for e in per_doctor {
        m.constrain(constraint!(e == 1.0));
    }
}

/// A group has between min_size and max_size members (an unopened slot has none).
fn group_size(m: &mut Model, p: &Problem, v: &Vars) {
    let (lo, hi) = (f64::from(p.rules.min_size), f64::from(p.rules.max_size));
    for slot in &v.slots {
        let open = slot.open;
        m.constrain(constraint!(size_of(slot) <= hi * open));
        m.constrain(constraint!(size_of(slot) >= lo * open));
    }
}

/// A group has at most max_per_municipality members from one municipality.
fn group_municipality_mix(m: &mut Model, p: &Problem, v: &Vars) {
    let cap = p.rules.max_per_municipality as usize;
    for slot in &v.slots {
        let mut per = std::collections::BTreeMap::<_, Vec<Variable>>::new();
        for &(i, x, _) in &slot.members {
            per.entry(p.municipality[i]).or_default().push(x);
        }
        for xs in per.into_values() {
            if xs.len() > cap {
                let from_one: Expression = xs.into_iter().sum();
                m.constrain(constraint!(from_one <= cap as f64));
            }
        }
    }
}

/// The members of a group start their group period at most max_start_spread months apart.
fn group_start_spread(m: &mut Model, p: &Problem, v: &Vars) {
    for slot in &v.slots {
        for (k, &(a, xa, _)) in slot.members.iter().enumerate() {
            for &(b, xb, _) in &slot.members[k + 1..] {
                if !p.starts_compatible(a, b) {
                    m.constrain(constraint!(xa + xb <= 1.0));
                }
            }
        }
    }
}

/// A group meets on the long pattern exactly when a member travels more than
/// long_travel_minutes one way; the product variables follow `joins × long`.
fn meeting_pattern(m: &mut Model, p: &Problem, v: &Vars) {
    for slot in &v.slots {
        let long = slot.long;
        let mut far = Expression::from(0.0);
        for &(i, x, _) in &slot.members {
            if p.far(i, slot.venue) {
                m.constrain(constraint!(long >= x));
                far += x;
            }
        }
        m.constrain(constraint!(long <= far));
        for &(_, x, y) in slot.members.iter().chain(&slot.leaders) {
            m.constrain(constraint!(y <= x));
            m.constrain(constraint!(y <= long));
            m.constrain(constraint!(y >= x + long - 1.0));
        }
    }
}

/// Every group is led by one supervisor.
fn every_group_has_a_supervisor(m: &mut Model, v: &Vars) {
    for slot in &v.slots {
        let led: Expression = slot.leaders.iter().map(|&(_, x, _)| x).sum();
        let open = slot.open;
        m.constrain(constraint!(led == open));
    }
}

/// A supervisor leads at most their max_groups groups.
fn supervisor_capacity(m: &mut Model, p: &Problem, v: &Vars) {
    for s in 0..p.sups.len() {
        let led: Expression = v
            .slots
            .iter()
            .flat_map(|slot| slot.leaders.iter().filter(|l| l.0 == s).map(|l| l.1))
            .sum();
        m.constrain(constraint!(led <= p.sup_capacity(s) as f64));
    }
}

/// Objective: balance weight × (largest − smallest open group).
fn balance(m: &mut Model, p: &Problem, v: &Vars) {
    let Some((largest, smallest)) = v.extremes else {
        return;
    };
    let big = f64::from(p.rules.max_size);
    for slot in &v.slots {
        let open = slot.open;
        m.constrain(constraint!(size_of(slot) <= largest));
        m.constrain(constraint!(size_of(slot) + big * (1.0 - open) >= smallest));
    }
    m.cost(p.rules.balance, largest);
    m.cost(-p.rules.balance, smallest);
}

/// Solve the textbook model, starting from `start` when given.
pub fn solve(p: &Problem, opts: &SolveOptions, start: Option<&[Draft]>) -> Result<Found> {
    let (mut m, v) = build(p);
    super::model::cbc_settings(&mut m);
    if let Some(drafts) = start {
        warm_start(&mut m, p, &v, drafts);
    }
    let solved = run_solver(m, opts, "no grouping keeps every group rule at once")?;
    let notes: Vec<String> = solved.note.iter().cloned().collect();
    let drafts = match extract(&v, &solved) {
        Ok(drafts) if p.check(&drafts).is_ok() => drafts,
        // CBC may hand back an empty solution when the start is already optimal.
        other => match start {
            Some(s) if p.evaluate(s).objective() <= solved.outcome.objective + 1e-6 => s.to_vec(),
            _ => other?,
        },
    };
    Ok(Found {
        drafts,
        outcome: solved.outcome,
        notes,
    })
}

fn warm_start(m: &mut Model, p: &Problem, v: &Vars, drafts: &[Draft]) {
    let mut used = vec![0usize; p.venues.len()];
    let mut sizes = Vec::new();
    for g in drafts {
        let Some(slot) = v
            .slots
            .iter()
            .filter(|s| s.venue == g.venue)
            .nth(used[g.venue])
        else {
            return;
        };
        used[g.venue] += 1;
        let long = p.pattern(&g.members, g.venue) == Pattern::Long;
        m.start(slot.open, 1.0);
        m.start(slot.long, f64::from(u8::from(long)));
        for &(i, x, y) in &slot.members {
            if g.members.contains(&i) {
                m.start(x, 1.0);
                m.start(y, f64::from(u8::from(long)));
            }
        }
        for &(s, x, y) in &slot.leaders {
            if s == g.supervisor {
                m.start(x, 1.0);
                m.start(y, f64::from(u8::from(long)));
            }
        }
        sizes.push(g.members.len());
    }
    if let Some((largest, smallest)) = v.extremes {
        m.start(largest, *sizes.iter().max().unwrap_or(&0) as f64);
        m.start(smallest, *sizes.iter().min().unwrap_or(&0) as f64);
    }
}

fn extract(v: &Vars, solved: &Solved) -> Result<Vec<Draft>> {
    let mut out = Vec::new();
    for slot in &v.slots {
        if !solved.is_set(slot.open) {
            continue;
        }
        let members = slot
            .members
            .iter()
            .filter(|&&(_, x, _)| solved.is_set(x))
            .map(|&(i, _, _)| i)
            .collect();
        let supervisor = slot
            .leaders
            .iter()
            .find(|&&(_, x, _)| solved.is_set(x))
            .map(|&(s, _, _)| s)
            .ok_or_else(|| {
                Error::Solver("an open group has no supervisor; this is a bug".into())
            })?;
        out.push(Draft {
            venue: slot.venue,
            supervisor,
            members,
        });
    }
    Ok(out)
}
