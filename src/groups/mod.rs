//! Regional guidance groups (*veiledningsgrupper*): who meets with whom, where, and led by
//! which supervisor, for the doctors due a two-year group period.
//!
//! [`form_groups`] is the entry point. It checks the instance for plain impossibilities
//! first ([`explain`]), builds a fast starting solution ([`assign`], else [`heuristic`]),
//! and solves the integer program of [`model`] by [`lazy`] (or the textbook one of
//! [`plain`], kept for comparison) with that start. The solution is re-evaluated here, term by term, from the groups
//! themselves, so the figures in `summary.json` do not depend on the formulation.

pub mod assign;
pub mod explain;
pub mod heuristic;
pub mod join;
pub mod lazy;
pub mod limits;
pub mod model;
pub mod plain;
pub mod recut;
pub mod years;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::settings::GroupSettings;
use crate::model::{DoctorId, Group, Instance, Month, MunicipalityId, SupervisorId, VenueId};
use crate::rules::Rule;
use crate::solver::{OPTIMALITY_SLACK, Outcome, SolveOptions};
use crate::travel::Travel;

/// Which integer program forms the groups.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupsFormulation {
    /// The textbook capacitated p-median: one slot per venue × group number, every doctor
    /// may join every slot, pairwise start-spread conflicts, no symmetry breaking.
    Plain,
    /// Groups of one venue, cohort window and meeting pattern aggregated into a class;
    /// members dealt into equal groups afterwards (see `docs/groups.md`).
    #[default]
    Strong,
}

/// Switches for [`form_groups_with`] (benchmarks and tests compare them).
#[derive(Clone, Copy, Debug)]
pub struct GroupsConfig {
    pub formulation: GroupsFormulation,
    /// Hand the heuristic's groups to the solver as a starting solution.
    pub warm_start: bool,
}

impl Default for GroupsConfig {
    fn default() -> Self {
        GroupsConfig {
            formulation: GroupsFormulation::Strong,
            warm_start: true,
        }
    }
}

/// How often a group meets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    /// 3 hours every other week (`meetings_short` a year).
    Short,
    /// 6 hours every fourth week (`meetings_long` a year), for groups with a member who
    /// travels more than `long_travel_minutes` one way.
    Long,
}

impl Pattern {
    pub fn label(self) -> &'static str {
        match self {
            Pattern::Short => "short",
            Pattern::Long => "long",
        }
    }
}

/// Facts about one formed group, for `summary.json` and the report.
#[derive(Clone, Debug, Serialize)]
pub struct GroupFacts {
    pub group: String,
    pub venue: String,
    pub supervisor: String,
    pub size: usize,
    pub pattern: Pattern,
    pub meetings_per_year: u32,
    /// Longest one-way member travel to the venue, minutes.
    pub max_member_minutes: u32,
    pub mean_member_minutes: f64,
    /// The supervisor's one-way travel to the venue, minutes.
    pub supervisor_minutes: u32,
    /// Earliest and latest start of the members' group periods.
    pub group_from: Option<(Month, Month)>,
}

/// Who travels how far, over all groups.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Fairness {
    /// Longest one-way travel of any member to their venue, minutes.
    pub max_member_minutes: u32,
    /// Mean one-way member travel, minutes.
    pub mean_member_minutes: f64,
    /// Longest one-way travel of any supervisor, minutes.
    pub max_supervisor_minutes: u32,
    pub smallest_group: usize,
    pub largest_group: usize,
}

/// The formed groups and how the solve went; serialises into the `groups` section of
/// `summary.json`.
#[derive(Clone, Debug, Serialize)]
pub struct GroupsResult {
    /// The groups, labelled `G1`, `G2`, … in a stable order.
    #[serde(skip)]
    pub groups: Vec<Group>,
    pub formulation: GroupsFormulation,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// Doctors due a group.
    pub doctors: usize,
    pub group_count: usize,
    /// Why there are `group_count` groups, in domain words.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub group_count_reason: String,
    /// Objective terms in NOK: `groups`, `member_travel`, `supervisor_travel`, `balance`.
    pub terms: BTreeMap<String, f64>,
    /// Objective of the heuristic's starting solution, if it found one.
    pub heuristic_objective: Option<f64>,
    pub fairness: Fairness,
    pub per_group: Vec<GroupFacts>,
    /// Why the solve stopped before a proof (time limit, stop request, the solver giving
    /// up), step by step; empty when it ended normally.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Form the guidance groups of `inst` with the default formulation.
pub fn form_groups(inst: &Instance, travel: &Travel, opts: &SolveOptions) -> Result<GroupsResult> {
    form_groups_with(inst, travel, opts, &GroupsConfig::default())
}

/// Groups found by a formulation, how its solve went, and why it stopped early (if it did).
pub struct Found {
    pub drafts: Vec<Draft>,
    pub outcome: Outcome,
    /// Why the solve stopped before a proof, or what went wrong in the solver.
    pub notes: Vec<String>,
}

/// Form the guidance groups with an explicit formulation and warm-start switch.
///
/// The status is earned from the best grouping found and the best bound proven on the
/// way ([`crate::solver::Status::proven`]): the linear relaxation's optimum and every solver round's.
pub fn form_groups_with(
    inst: &Instance,
    travel: &Travel,
    opts: &SolveOptions,
    cfg: &GroupsConfig,
) -> Result<GroupsResult> {
    let started = std::time::Instant::now();
    let p = Problem::new(inst, travel);
    if p.due.is_empty() {
        return Ok(p.result(
            cfg.formulation,
            &[],
            Outcome::trivial(0.0),
            None,
            Vec::new(),
        ));
    }
    explain::precheck(&p)?;
    let relaxation = lazy::relaxation(&p, opts);
    let start = assign::start(&p, opts, relaxation.as_ref()).or_else(|| heuristic::start(&p, opts));
    let start_cost = start.as_ref().map(|s| p.evaluate(s).objective());
    let warm = if cfg.warm_start {
        start.as_deref()
    } else {
        None
    };
    let solved = match cfg.formulation {
        GroupsFormulation::Strong => {
            lazy::solve(&p, opts, warm, &limits::Rules::all(), relaxation.as_ref())
        }
        GroupsFormulation::Plain => plain::solve(&p, opts, warm),
    };
    let Found {
        mut drafts,
        mut outcome,
        mut notes,
    } = match solved {
        Ok(found) => found,
        Err(Error::Infeasible(_)) => return Err(explain::after_solver(&p, opts)),
        // The solver failed: the start, if there is one, is the answer.
        Err(Error::Solver(why)) if start.is_some() => Found {
            drafts: start.clone().unwrap_or_default(),
            outcome: Outcome::proven(0.0, f64::NEG_INFINITY, opts.gap),
            notes: vec![format!(
                "the solver failed ({why}); the starting grouping is kept"
            )],
        },
        Err(e) => return Err(e),
    };
    // CBC may hand back an empty solution when the starting solution is already optimal
    // (it stops at once): the start is then the answer.
    if let Some(s) = warm
        && p.check(&drafts).is_err()
        && p.evaluate(s).objective() <= outcome.objective + 1e-6
    {
        drafts = s.to_vec();
    }
    p.check(&drafts).map_err(|why| {
        Error::Solver(format!(
            "the solver's groups break a rule ({why}); this is a bug in the formulation"
        ))
    })?;
    // The groups are valued from themselves (a model's balance variables may sit above
    // the true spread when the solve stops early), and the status is earned from that
    // value and the best bound proven: the solver's or the linear relaxation's.
    let value = p.evaluate(&drafts).objective();
    let bound = relaxation
        .as_ref()
        .map_or(outcome.bound, |r| r.bound.max(outcome.bound));
    // A lower bound above a grouping that keeps every rule cannot be right: not used.
    let sound = bound <= value + OPTIMALITY_SLACK + 1e-9 * value.abs();
    if !sound {
        notes.push(format!(
            "the solver reported a bound {bound:.0} above the grouping's value {value:.0}; the bound is not used"
        ));
    }
    let trusted = if sound { bound } else { f64::NEG_INFINITY };
    outcome = Outcome {
        seconds: started.elapsed().as_secs_f64(),
        variables: outcome.variables,
        constraints: outcome.constraints,
        ..Outcome::proven(value, trusted, opts.gap)
    };
    if !outcome.status.is_optimal()
        && notes.is_empty()
        && let Some(why) = opts.stop_reason()
    {
        notes.push(why);
    }
    Ok(p.result(cfg.formulation, &drafts, outcome, start_cost, notes))
}

/// A group under construction: indices into [`Problem::venues`], [`Problem::sups`] and
/// [`Problem::due`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    pub venue: usize,
    pub supervisor: usize,
    pub members: Vec<usize>,
}

/// The value of a set of groups, by objective term.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Value {
    /// The groups' own cost: `group_cost` per group and year.
    pub groups: f64,
    pub member_travel: f64,
    pub supervisor_travel: f64,
    /// Largest minus smallest group size (members).
    pub spread: u32,
    pub balance: f64,
}

impl Value {
    pub fn objective(&self) -> f64 {
        self.groups + self.member_travel + self.supervisor_travel + self.balance
    }
}

/// The groups problem of an instance, in plain numbers: who is due, where groups may meet,
/// who may lead them, and what travel costs.
pub struct Problem<'a> {
    pub inst: &'a Instance,
    pub rules: &'a GroupSettings,
    /// Doctors due a group, in `doctors.csv` order.
    pub due: Vec<DoctorId>,
    pub municipality: Vec<MunicipalityId>,
    pub from: Vec<Option<Month>>,
    /// Venues that may host at least one group.
    pub venues: Vec<VenueId>,
    /// Supervisors who may lead at least one group.
    pub sups: Vec<SupervisorId>,
    /// One-way minutes, `[doctor][venue]` (`u32::MAX` when unconnected).
    pub member_minutes: Vec<Vec<u32>>,
    /// One-way minutes, `[supervisor][venue]`.
    pub sup_minutes: Vec<Vec<u32>>,
    /// Years of the group period (`months / 12`).
    pub years: f64,
}

impl<'a> Problem<'a> {
    pub fn new(inst: &'a Instance, travel: &Travel) -> Problem<'a> {
        let rules = &inst.settings.groups;
        let due: Vec<DoctorId> = inst
            .doctor_ids()
            .filter(|&d| inst.doctor(d).needs_group)
            .collect();
        let venues: Vec<VenueId> = (0..inst.venues.len())
            .map(VenueId::at)
            .filter(|v| inst.venues[v.index()].max_groups > 0)
            .collect();
        let sups: Vec<SupervisorId> = (0..inst.supervisors.len())
            .map(SupervisorId::at)
            .filter(|s| inst.supervisors[s.index()].max_groups > 0)
            .collect();
        let venue_place = |v: &VenueId| inst.venues[v.index()].place;
        let member_minutes = due
            .iter()
            .map(|&d| {
                let home = inst.home_of(d);
                venues
                    .iter()
                    .map(|v| travel.minutes(home, venue_place(v)))
                    .collect()
            })
            .collect();
        let sup_minutes = sups
            .iter()
            .map(|s| {
                let home = inst.supervisors[s.index()].place;
                venues
                    .iter()
                    .map(|v| travel.minutes(home, venue_place(v)))
                    .collect()
            })
            .collect();
        Problem {
            inst,
            rules,
            municipality: due.iter().map(|&d| inst.doctor(d).municipality).collect(),
            from: due.iter().map(|&d| inst.doctor(d).group_from).collect(),
            due,
            venues,
            sups,
            member_minutes,
            sup_minutes,
            years: f64::from(rules.months) / 12.0,
        }
    }

    /// The same problem under other `[groups]` rules (to find which rule binds).
    pub fn with_rules<'b>(&self, rules: &'b GroupSettings) -> Problem<'b>
    where
        'a: 'b,
    {
        Problem {
            inst: self.inst,
            rules,
            due: self.due.clone(),
            municipality: self.municipality.clone(),
            from: self.from.clone(),
            venues: self.venues.clone(),
            sups: self.sups.clone(),
            member_minutes: self.member_minutes.clone(),
            sup_minutes: self.sup_minutes.clone(),
            years: self.years,
        }
    }

    pub fn venue_capacity(&self, j: usize) -> usize {
        self.inst.venues[self.venues[j].index()].max_groups as usize
    }

    pub fn sup_capacity(&self, s: usize) -> usize {
        self.inst.supervisors[self.sups[s].index()].max_groups as usize
    }

    /// Whether doctor `i` may meet at venue `j`: it is reachable over the network, within
    /// `max_member_minutes` one way (group_member_travel).
    pub fn reachable(&self, i: usize, j: usize) -> bool {
        let minutes = self.member_minutes[i][j];
        minutes != u32::MAX
            && self
                .rules
                .max_member_minutes
                .is_none_or(|most| minutes <= most)
    }

    /// Whether doctor `i` travels more than `long_travel_minutes` one way to venue `j`, so
    /// that a group there with them meets on the long pattern.
    pub fn far(&self, i: usize, j: usize) -> bool {
        self.member_minutes[i][j] > self.rules.long_travel_minutes
    }

    pub fn meetings(&self, pattern: Pattern) -> u32 {
        match pattern {
            Pattern::Short => self.rules.meetings_short,
            Pattern::Long => self.rules.meetings_long,
        }
    }

    /// NOK of doctor `i`'s round trips to venue `j` over the group period (`travel` NOK
    /// per hour).
    pub fn member_cost(&self, i: usize, j: usize, pattern: Pattern) -> f64 {
        self.rules.travel / 60.0
            * 2.0
            * f64::from(self.member_minutes[i][j])
            * f64::from(self.meetings(pattern))
            * self.years
    }

    /// NOK of supervisor `s`'s round trips to venue `j` over the group period
    /// (`supervisor_travel` NOK per hour).
    pub fn sup_cost(&self, s: usize, j: usize, pattern: Pattern) -> f64 {
        self.rules.supervisor_travel / 60.0
            * 2.0
            * f64::from(self.sup_minutes[s][j])
            * f64::from(self.meetings(pattern))
            * self.years
    }

    /// NOK of one group over the group period: the supervisor's fee and time
    /// (`group_cost` per year).
    pub fn group_cost(&self) -> f64 {
        self.rules.group_cost * self.years
    }

    /// The meeting pattern of a group of `members` at venue `j`.
    pub fn pattern(&self, members: &[usize], j: usize) -> Pattern {
        if members.iter().any(|&i| self.far(i, j)) {
            Pattern::Long
        } else {
            Pattern::Short
        }
    }

    /// Whether two group periods may share a group.
    pub fn starts_compatible(&self, a: usize, b: usize) -> bool {
        match (self.from[a], self.from[b]) {
            (Some(x), Some(y)) => x.until(y).unsigned_abs() <= self.rules.max_start_spread,
            _ => true,
        }
    }

    /// The largest sets of doctors whose group periods start at most `max_start_spread`
    /// months apart ("cohort windows"), each as sorted doctor indices. Every group that
    /// keeps the start-spread rule lies inside one of them. A single window holds everyone
    /// when the rule cannot bind.
    pub fn windows(&self) -> Vec<Vec<usize>> {
        let mut dated: Vec<(Month, usize)> = (0..self.due.len())
            .filter_map(|i| self.from[i].map(|m| (m, i)))
            .collect();
        dated.sort();
        let spread = self.rules.max_start_spread as i32;
        let undated: Vec<usize> = (0..self.due.len())
            .filter(|&i| self.from[i].is_none())
            .collect();
        let fits_all = match (dated.first(), dated.last()) {
            (Some(a), Some(b)) => a.0.until(b.0) <= spread,
            _ => true,
        };
        if fits_all {
            return vec![(0..self.due.len()).collect()];
        }
        let mut out: Vec<Vec<usize>> = Vec::new();
        let mut last_end = 0;
        for start in 0..dated.len() {
            if start > 0 && dated[start].0 == dated[start - 1].0 {
                continue;
            }
            let mut end = start;
            while end + 1 < dated.len() && dated[start].0.until(dated[end + 1].0) <= spread {
                end += 1;
            }
            if !out.is_empty() && end <= last_end {
                continue; // Inside the previous window: not maximal.
            }
            last_end = end;
            let mut w: Vec<usize> = dated[start..=end].iter().map(|&(_, i)| i).collect();
            w.extend(&undated);
            w.sort_unstable();
            out.push(w);
        }
        out
    }

    /// The value of `drafts` under the objective, term by term.
    pub fn evaluate(&self, drafts: &[Draft]) -> Value {
        let mut v = Value::default();
        for g in drafts {
            let pattern = self.pattern(&g.members, g.venue);
            v.member_travel += g
                .members
                .iter()
                .map(|&i| self.member_cost(i, g.venue, pattern))
                .sum::<f64>();
            v.supervisor_travel += self.sup_cost(g.supervisor, g.venue, pattern);
        }
        let sizes = drafts.iter().map(|g| g.members.len() as u32);
        if let (Some(hi), Some(lo)) = (sizes.clone().max(), sizes.min()) {
            v.spread = hi - lo;
        }
        v.balance = self.rules.balance * f64::from(v.spread);
        v.groups = self.group_cost() * drafts.len() as f64;
        v
    }

    /// Whether `drafts` keep every group rule; the first broken rule otherwise.
    pub fn check(&self, drafts: &[Draft]) -> std::result::Result<(), String> {
        self.check_with(drafts, true)
    }

    /// [`Problem::check`], with the start spread checked only if `spread`.
    pub fn check_with(&self, drafts: &[Draft], spread: bool) -> std::result::Result<(), String> {
        let r = self.rules;
        let mut seen = vec![false; self.due.len()];
        let mut per_venue = vec![0usize; self.venues.len()];
        let mut per_sup = vec![0usize; self.sups.len()];
        for (n, g) in drafts.iter().enumerate() {
            per_venue[g.venue] += 1;
            per_sup[g.supervisor] += 1;
            let size = g.members.len() as u32;
            if size < r.min_size || size > r.max_size {
                return Err(format!("group_size: group {n} has {size} members"));
            }
            let mut per_muni: BTreeMap<MunicipalityId, u32> = BTreeMap::new();
            for &i in &g.members {
                if std::mem::replace(&mut seen[i], true) {
                    return Err(format!("group_membership: doctor {i} is in two groups"));
                }
                if !self.reachable(i, g.venue) {
                    return Err(format!(
                        "{}: doctor {i} cannot reach the venue within max_member_minutes",
                        Rule::GroupMemberTravel
                    ));
                }
                *per_muni.entry(self.municipality[i]).or_default() += 1;
            }
            if per_muni.values().any(|&c| c > r.max_per_municipality) {
                return Err(format!("group_municipality_mix: group {n}"));
            }
            for (k, &a) in g.members.iter().enumerate().filter(|_| spread) {
                if g.members[k + 1..]
                    .iter()
                    .any(|&b| !self.starts_compatible(a, b))
                {
                    return Err(format!("group_start_spread: group {n}"));
                }
            }
        }
        if let Some(i) = seen.iter().position(|&s| !s) {
            return Err(format!("group_membership: doctor {i} is in no group"));
        }
        if let Some(j) = (0..self.venues.len()).find(|&j| per_venue[j] > self.venue_capacity(j)) {
            return Err(format!("venue_capacity: venue {j}"));
        }
        if let Some(s) = (0..self.sups.len()).find(|&s| per_sup[s] > self.sup_capacity(s)) {
            return Err(format!("supervisor_capacity: supervisor {s}"));
        }
        Ok(())
    }

    /// Turn drafts into labelled groups and the summary figures.
    fn result(
        &self,
        formulation: GroupsFormulation,
        drafts: &[Draft],
        outcome: Outcome,
        heuristic_objective: Option<f64>,
        notes: Vec<String>,
    ) -> GroupsResult {
        let inst = self.inst;
        let mut drafts: Vec<Draft> = drafts.to_vec();
        for g in &mut drafts {
            g.members.sort_unstable();
        }
        // A stable order: by venue, then supervisor, then first member.
        drafts.sort_by(|a, b| {
            let key = |g: &Draft| {
                (
                    inst.place(inst.venues[self.venues[g.venue].index()].place)
                        .id
                        .clone(),
                    inst.supervisors[self.sups[g.supervisor].index()].id.clone(),
                    g.members
                        .first()
                        .map(|&i| inst.doctor(self.due[i]).id.clone()),
                )
            };
            key(a).cmp(&key(b))
        });
        let value = self.evaluate(&drafts);
        let mut groups = Vec::new();
        let mut per_group = Vec::new();
        let mut fairness = Fairness::default();
        let mut total_minutes = 0u64;
        for (n, g) in drafts.iter().enumerate() {
            let id = format!("G{}", n + 1);
            let venue = self.venues[g.venue];
            let sup = self.sups[g.supervisor];
            let minutes: Vec<u32> = g
                .members
                .iter()
                .map(|&i| self.member_minutes[i][g.venue])
                .collect();
            let pattern = self.pattern(&g.members, g.venue);
            let starts: Vec<Month> = g.members.iter().filter_map(|&i| self.from[i]).collect();
            let sup_minutes = self.sup_minutes[g.supervisor][g.venue];
            total_minutes += minutes.iter().map(|&m| u64::from(m)).sum::<u64>();
            fairness.max_member_minutes = fairness
                .max_member_minutes
                .max(minutes.iter().copied().max().unwrap_or(0));
            fairness.max_supervisor_minutes = fairness.max_supervisor_minutes.max(sup_minutes);
            per_group.push(GroupFacts {
                group: id.clone(),
                venue: inst.place(inst.venues[venue.index()].place).id.clone(),
                supervisor: inst.supervisors[sup.index()].id.clone(),
                size: g.members.len(),
                pattern,
                meetings_per_year: self.meetings(pattern),
                max_member_minutes: minutes.iter().copied().max().unwrap_or(0),
                mean_member_minutes: mean(&minutes),
                supervisor_minutes: sup_minutes,
                group_from: starts
                    .iter()
                    .min()
                    .copied()
                    .zip(starts.iter().max().copied()),
            });
            groups.push(Group {
                id,
                venue,
                supervisor: sup,
                members: g
                    .members
                    .iter()
                    .zip(&minutes)
                    .map(|(&i, &m)| (self.due[i], m))
                    .collect(),
            });
        }
        let members: usize = drafts.iter().map(|g| g.members.len()).sum();
        if members > 0 {
            fairness.mean_member_minutes = total_minutes as f64 / members as f64;
        }
        fairness.smallest_group = drafts.iter().map(|g| g.members.len()).min().unwrap_or(0);
        fairness.largest_group = drafts.iter().map(|g| g.members.len()).max().unwrap_or(0);
        let terms = BTreeMap::from([
            ("groups".to_string(), value.groups),
            ("member_travel".to_string(), value.member_travel),
            ("supervisor_travel".to_string(), value.supervisor_travel),
            ("balance".to_string(), value.balance),
        ]);
        GroupsResult {
            groups,
            formulation,
            outcome,
            doctors: self.due.len(),
            group_count: drafts.len(),
            group_count_reason: if drafts.is_empty() {
                String::new()
            } else {
                explain::group_count_reason(self, drafts.len())
            },
            terms,
            heuristic_objective,
            fairness,
            per_group,
            notes,
        }
    }
}

fn mean(xs: &[u32]) -> f64 {
    if xs.is_empty() {
        0.0
    } else {
        xs.iter().map(|&x| f64::from(x)).sum::<f64>() / xs.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nord() -> Instance {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/alis-nord");
        crate::io::load_instance(&dir).expect("the bundled instance loads")
    }

    /// ALIS-Nord without its travel limit: the starting heuristics find no grouping under
    /// it (the solver then starts without one), so they are tested on the loose instance.
    fn nord_without_travel_limit() -> Instance {
        let mut inst = nord();
        inst.settings.groups.max_member_minutes = None;
        inst
    }

    #[test]
    fn alis_nord_groups_keep_the_travel_limit() {
        let inst = nord();
        let most = inst
            .settings
            .groups
            .max_member_minutes
            .expect("ALIS-Nord sets a limit");
        let travel = Travel::new(&inst);
        let r = form_groups(
            &inst,
            &travel,
            &SolveOptions::from_settings(&inst.settings.solver),
        )
        .expect("ALIS-Nord can be grouped");
        assert!(r.fairness.max_member_minutes <= most);
        assert!(r.outcome.status.is_optimal());
        // A minute less and the doctors of Sør-Varanger, 450 min from Alta, meet nowhere.
        let mut tighter = nord();
        tighter.settings.groups.max_member_minutes = Some(most - 1);
        let why = form_groups(&tighter, &travel, &SolveOptions::default())
            .expect_err("no grouping within 449 minutes")
            .to_string();
        assert!(
            why.contains("N05") && why.contains("450 min") && why.contains("group_member_travel"),
            "{why}"
        );
    }

    #[test]
    fn cohort_windows_are_the_largest_sets_that_keep_the_spread() {
        let inst = nord();
        let travel = Travel::new(&inst);
        let p = Problem::new(&inst, &travel);
        let windows = p.windows();
        assert!(windows.len() > 1, "the spread binds in ALIS-Nord");
        for (k, w) in windows.iter().enumerate() {
            let starts: Vec<Month> = w.iter().filter_map(|&i| p.from[i]).collect();
            let (lo, hi) = (starts.iter().min().unwrap(), starts.iter().max().unwrap());
            assert!(lo.until(*hi) <= p.rules.max_start_spread as i32);
            // Maximal: no doctor outside the window fits with all of it.
            for i in (0..p.due.len()).filter(|i| !w.contains(i)) {
                assert!(w.iter().any(|&a| !p.starts_compatible(a, i)));
            }
            for other in &windows[k + 1..] {
                assert!(!w.iter().all(|i| other.contains(i)));
            }
        }
        for i in 0..p.due.len() {
            assert!(windows.iter().any(|w| w.contains(&i)));
        }
    }

    #[test]
    fn the_heuristic_keeps_every_rule_and_the_solver_does_no_worse() {
        let inst = nord_without_travel_limit();
        let travel = Travel::new(&inst);
        let p = Problem::new(&inst, &travel);
        let start =
            heuristic::start(&p, &SolveOptions::default()).expect("the heuristic finds a grouping");
        assert_eq!(p.check(&start), Ok(()));
        let opts = SolveOptions::from_settings(&inst.settings.solver);
        let relaxation = lazy::relaxation(&p, &opts);
        let searched = assign::start(&p, &opts, relaxation.as_ref())
            .expect("the local search finds a grouping");
        assert_eq!(p.check(&searched), Ok(()));
        let r = form_groups(&inst, &travel, &opts).unwrap();
        assert!(r.outcome.objective <= p.evaluate(&start).objective() + 1e-6);
        assert!(r.outcome.objective <= p.evaluate(&searched).objective() + 1e-6);
        assert_eq!(
            r.heuristic_objective,
            Some(p.evaluate(&searched).objective())
        );
    }

    #[test]
    fn the_value_is_travel_at_the_group_pattern_plus_balance() {
        let inst = nord();
        let travel = Travel::new(&inst);
        let p = Problem::new(&inst, &travel);
        let g = Draft {
            venue: 0,
            supervisor: 0,
            members: vec![0, 1, 2],
        };
        let pattern = p.pattern(&g.members, 0);
        let meetings = f64::from(p.meetings(pattern));
        let minutes: f64 = g
            .members
            .iter()
            .map(|&i| f64::from(p.member_minutes[i][0]))
            .sum();
        let v = p.evaluate(&[
            g.clone(),
            Draft {
                members: vec![3],
                ..g
            },
        ]);
        assert_eq!(v.spread, 2);
        assert_eq!(v.balance, 2.0 * p.rules.balance);
        let expected = p.rules.travel / 60.0 * 2.0 * minutes * meetings * p.years;
        let member_3 = p.member_cost(3, 0, p.pattern(&[3], 0));
        assert!((v.member_travel - expected - member_3).abs() < 1e-6);
        assert_eq!(v.groups, 2.0 * p.rules.group_cost * p.years);
    }
}
