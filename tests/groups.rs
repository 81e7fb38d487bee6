//! Guidance groups: optimum against a brute-force enumerator on tiny instances, a property
//! test that every grouping passes `verify`, one test per rule where it binds, infeasible
//! inputs explained, and the `alisplan groups` command end to end.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use proptest::prelude::*;

use alisplan::Error;
use alisplan::budget::Deadline;
use alisplan::groups::{GroupsConfig, GroupsFormulation, GroupsResult, Pattern, form_groups_with};
use alisplan::io::load_instance;
use alisplan::model::Plan;
use alisplan::solver::{SolveOptions, Status};
use alisplan::travel::Travel;
use alisplan::verify::verify;

/// A tiny instance: places (each a municipality centre), roads, doctors, venues,
/// supervisors and the `[groups]` settings.
#[derive(Clone, Debug)]
struct Tiny {
    places: usize,
    /// `(a, b, minutes)`.
    roads: Vec<(usize, usize, u32)>,
    /// `(home place, months after 2027-01 their group period starts)`.
    doctors: Vec<(usize, u32)>,
    /// `(place, max_groups)`.
    venues: Vec<(usize, u32)>,
    /// `(place, max_groups)`.
    supervisors: Vec<(usize, u32)>,
    min_size: u32,
    max_size: u32,
    per_municipality: u32,
    spread: u32,
    balance: f64,
    long_minutes: u32,
    /// NOK per group per year.
    group_cost: f64,
    /// Longest one-way travel of a member to their venue.
    max_member_minutes: Option<u32>,
}

impl Tiny {
    /// Four places on a line, 30 minutes apart; rules loose enough not to bind.
    fn line(doctors: Vec<(usize, u32)>) -> Tiny {
        Tiny {
            places: 4,
            roads: vec![(0, 1, 30), (1, 2, 30), (2, 3, 30)],
            doctors,
            venues: vec![(0, 2), (3, 2)],
            supervisors: vec![(0, 2), (3, 2)],
            min_size: 2,
            max_size: 4,
            per_municipality: 4,
            spread: 24,
            balance: 0.0,
            long_minutes: 500,
            group_cost: 0.0,
            max_member_minutes: None,
        }
    }

    fn write(&self, dir: &Path) {
        let mut files: BTreeMap<&str, String> = BTreeMap::new();
        files.insert(
            "settings.toml",
            format!(
                // Travel at 60 NOK an hour: one NOK per minute.
                "name = \"tiny\"\n[groups]\nmin_size = {}\nmax_size = {}\nmax_per_municipality = {}\nmax_start_spread = {}\nbalance = {:.1}\nlong_travel_minutes = {}\ntravel = 60.0\nsupervisor_travel = 60.0\ngroup_cost = {:.1}\n{}",
                self.min_size,
                self.max_size,
                self.per_municipality,
                self.spread,
                self.balance,
                self.long_minutes,
                self.group_cost,
                self.max_member_minutes
                    .map_or(String::new(), |m| format!("max_member_minutes = {m}\n"))
            ),
        );
        let places: String = (0..self.places)
            .map(|p| format!("p{p},Place {p},60.{p},5.{p}\n"))
            .collect();
        files.insert("places.csv", format!("id,name,lat,lon\n{places}"));
        let roads: String = self
            .roads
            .iter()
            .map(|(a, b, m)| format!("p{a},p{b},{m}\n"))
            .collect();
        files.insert("network.csv", format!("from,to,minutes\n{roads}"));
        let munis: String = (0..self.places)
            .map(|p| format!("m{p},Municipality {p},p{p}\n"))
            .collect();
        files.insert("municipalities.csv", format!("id,name,place\n{munis}"));
        files.insert("hospitals.csv", "id,name,place\nh,Hospital,p0\n".into());
        files.insert(
            "departments.csv",
            "hospital,specialty,capacity\nh,medicine,2\n".into(),
        );
        let doctors: String = self
            .doctors
            .iter()
            .enumerate()
            .map(|(d, &(home, from))| {
                format!(
                    "D{d},Doctor {d},m{home},new,yes,{}-{:02}\n",
                    2027 + from / 12,
                    from % 12 + 1
                )
            })
            .collect();
        files.insert(
            "doctors.csv",
            format!("id,name,municipality,scheme,relocate,group_from\n{doctors}"),
        );
        let venues: String = self
            .venues
            .iter()
            .map(|(p, c)| format!("p{p},{c}\n"))
            .collect();
        files.insert("venues.csv", format!("place,max_groups\n{venues}"));
        let sups: String = self
            .supervisors
            .iter()
            .enumerate()
            .map(|(s, (p, c))| format!("S{s},Supervisor {s},p{p},{c}\n"))
            .collect();
        files.insert(
            "supervisors.csv",
            format!("id,name,place,max_groups\n{sups}"),
        );
        std::fs::create_dir_all(dir).unwrap();
        for (name, text) in files {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }

    /// One-way minutes between all places (Floyd–Warshall, independent of the crate).
    fn minutes(&self) -> Vec<Vec<u32>> {
        let n = self.places;
        let mut d = vec![vec![u32::MAX / 4; n]; n];
        for (i, row) in d.iter_mut().enumerate() {
            row[i] = 0;
        }
        for &(a, b, m) in &self.roads {
            d[a][b] = d[a][b].min(m);
            d[b][a] = d[b][a].min(m);
        }
        for k in 0..n {
            for i in 0..n {
                for j in 0..n {
                    d[i][j] = d[i][j].min(d[i][k] + d[k][j]);
                }
            }
        }
        d
    }

    /// The optimum by enumerating every partition of the doctors into groups and every
    /// venue and supervisor for each group, straight from the rules (`None` if no grouping
    /// keeps them all).
    fn brute_force(&self) -> Option<f64> {
        let t = self.minutes();
        let n = self.doctors.len();
        let mut best: Option<f64> = None;
        let mut blocks: Vec<Vec<usize>> = Vec::new();
        partitions(0, n, &mut blocks, &mut |blocks| {
            if !blocks.iter().all(|b| self.group_ok(b)) {
                return;
            }
            let sizes: Vec<usize> = blocks.iter().map(Vec::len).collect();
            let spread = sizes.iter().max().unwrap() - sizes.iter().min().unwrap();
            let balance = self.balance * spread as f64;
            let mut venue_left: Vec<u32> = self.venues.iter().map(|v| v.1).collect();
            let mut sup_left: Vec<u32> = self.supervisors.iter().map(|s| s.1).collect();
            let mut travel = f64::INFINITY;
            self.place_groups(
                blocks,
                0,
                0.0,
                &t,
                &mut venue_left,
                &mut sup_left,
                &mut travel,
            );
            // Two group years.
            let total = travel + balance + self.group_cost * 2.0 * blocks.len() as f64;
            if total.is_finite() && best.is_none_or(|b| total < b) {
                best = Some(total);
            }
        });
        best
    }

    fn group_ok(&self, members: &[usize]) -> bool {
        let size = members.len() as u32;
        if size < self.min_size || size > self.max_size {
            return false;
        }
        let mut per: BTreeMap<usize, u32> = BTreeMap::new();
        for &i in members {
            *per.entry(self.doctors[i].0).or_default() += 1;
        }
        if per.values().any(|&c| c > self.per_municipality) {
            return false;
        }
        let starts = members.iter().map(|&i| self.doctors[i].1);
        starts.clone().max().unwrap() - starts.min().unwrap() <= self.spread
    }

    #[allow(clippy::too_many_arguments)]
    fn place_groups(
        &self,
        blocks: &[Vec<usize>],
        k: usize,
        so_far: f64,
        t: &[Vec<u32>],
        venue_left: &mut [u32],
        sup_left: &mut [u32],
        best: &mut f64,
    ) {
        if k == blocks.len() {
            *best = best.min(so_far);
            return;
        }
        for v in 0..self.venues.len() {
            if venue_left[v] == 0 {
                continue;
            }
            let place = self.venues[v].0;
            if let Some(most) = self.max_member_minutes
                && blocks[k]
                    .iter()
                    .any(|&i| t[self.doctors[i].0][place] > most)
            {
                continue;
            }
            let long = blocks[k]
                .iter()
                .any(|&i| t[self.doctors[i].0][place] > self.long_minutes);
            let meetings = if long { 10.0 } else { 20.0 };
            let members: f64 = blocks[k]
                .iter()
                .map(|&i| 2.0 * f64::from(t[self.doctors[i].0][place]) * meetings * 2.0)
                .sum();
            venue_left[v] -= 1;
            for s in 0..self.supervisors.len() {
                if sup_left[s] == 0 {
                    continue;
                }
                let sup = 2.0 * f64::from(t[self.supervisors[s].0][place]) * meetings * 2.0;
                sup_left[s] -= 1;
                self.place_groups(
                    blocks,
                    k + 1,
                    so_far + members + sup,
                    t,
                    venue_left,
                    sup_left,
                    best,
                );
                sup_left[s] += 1;
            }
            venue_left[v] += 1;
        }
    }
}

/// Call `f` with every partition of `0..n` into non-empty blocks.
fn partitions(i: usize, n: usize, blocks: &mut Vec<Vec<usize>>, f: &mut dyn FnMut(&[Vec<usize>])) {
    if i == n {
        f(blocks);
        return;
    }
    for b in 0..blocks.len() {
        blocks[b].push(i);
        partitions(i + 1, n, blocks, f);
        blocks[b].pop();
    }
    blocks.push(vec![i]);
    partitions(i + 1, n, blocks, f);
    blocks.pop();
}

fn options() -> SolveOptions {
    SolveOptions {
        time_limit: 30.0,
        gap: 0.0,
        threads: 1,
        ..SolveOptions::default()
    }
}

/// Form groups for `tiny` with `formulation`; the result and the violations `verify`
/// finds in it.
fn solve_tiny(
    tiny: &Tiny,
    formulation: GroupsFormulation,
) -> (Result<GroupsResult, Error>, tempfile::TempDir) {
    solve_tiny_with(tiny, formulation, &options())
}

/// [`solve_tiny`] with the solver options `opts`.
fn solve_tiny_with(
    tiny: &Tiny,
    formulation: GroupsFormulation,
    opts: &SolveOptions,
) -> (Result<GroupsResult, Error>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    tiny.write(dir.path());
    let inst = load_instance(dir.path()).unwrap();
    let travel = Travel::new(&inst);
    let cfg = GroupsConfig {
        formulation,
        warm_start: true,
    };
    let r = form_groups_with(&inst, &travel, opts, &cfg);
    if let Ok(r) = &r {
        let plan = Plan {
            groups: Some(r.groups.clone()),
            groups_only: true,
            ..Plan::default()
        };
        let violations = verify(&inst, &plan);
        assert!(violations.is_empty(), "verify: {violations:?}");
    }
    (r, dir)
}

/// The solver's optimum (both formulations) equals the brute force's; returns the result
/// of the strong formulation.
fn assert_optimal(tiny: &Tiny) -> GroupsResult {
    let expected = tiny.brute_force().expect("the tiny instance is feasible");
    let mut strong = None;
    for formulation in [GroupsFormulation::Strong, GroupsFormulation::Plain] {
        let (r, _dir) = solve_tiny(tiny, formulation);
        let r = r.unwrap_or_else(|e| panic!("{formulation:?}: {e}"));
        assert!(r.outcome.status.is_optimal(), "{formulation:?}");
        assert!(
            (r.outcome.objective - expected).abs() < 1e-6,
            "{formulation:?}: objective {} but brute force {expected}",
            r.outcome.objective
        );
        let terms: f64 = r.terms.values().sum();
        assert!((terms - expected).abs() < 1e-6, "terms add up to {terms}");
        if formulation == GroupsFormulation::Strong {
            strong = Some(r);
        }
    }
    strong.unwrap()
}

fn sizes(r: &GroupsResult) -> Vec<usize> {
    let mut s: Vec<usize> = r.groups.iter().map(|g| g.members.len()).collect();
    s.sort_unstable();
    s
}

fn venues_used(r: &GroupsResult) -> Vec<String> {
    let mut v: Vec<String> = r.per_group.iter().map(|g| g.venue.clone()).collect();
    v.sort();
    v
}

#[test]
fn a_hand_checked_optimum() {
    // Two doctors at p0 and two at p3, venues at both ends: two groups of two, nobody
    // travels, supervisors live at the venues. Everything costs 0.
    let tiny = Tiny::line(vec![(0, 0), (0, 0), (3, 0), (3, 0)]);
    let r = assert_optimal(&tiny);
    assert_eq!(r.outcome.objective, 0.0);
    assert_eq!(venues_used(&r), ["p0", "p3"]);
    // Move one doctor to p1: they travel 30 min one way to p0, 20 meetings a year for
    // two years, there and back: 2 × 30 × 20 × 2 = 2400.
    let tiny = Tiny::line(vec![(0, 0), (1, 0), (3, 0), (3, 0)]);
    let r = assert_optimal(&tiny);
    assert_eq!(r.outcome.objective, 2400.0);
}

#[test]
fn group_size_binds() {
    // Five doctors at p0, where two groups may meet, but only one supervisor lives there;
    // a second group's supervisor comes from p3 (90 min). With max_size 4 two groups are
    // needed; with 5 one group.
    let mut tiny = Tiny::line(vec![(0, 0); 5]);
    tiny.venues = vec![(0, 2)];
    tiny.supervisors = vec![(0, 1), (3, 1)];
    let r = assert_optimal(&tiny);
    assert_eq!(sizes(&r), [2, 3]);
    assert_eq!(r.outcome.objective, 2.0 * 90.0 * 20.0 * 2.0);
    tiny.max_size = 5;
    tiny.per_municipality = 5;
    let r = assert_optimal(&tiny);
    assert_eq!(sizes(&r), [5]);
    assert_eq!(r.outcome.objective, 0.0);
    // min_size 3 and max_size 4 with 5 doctors is impossible: 1 group is too big, 2 too small.
    tiny.max_size = 4;
    tiny.min_size = 3;
    let (r, _dir) = solve_tiny(&tiny, GroupsFormulation::Strong);
    match r {
        Err(Error::Infeasible(why)) => {
            assert!(why.contains("min_size"), "{why}");
        }
        other => panic!("expected infeasible, got {:?}", other.map(|r| sizes(&r))),
    }
    assert!(tiny.brute_force().is_none());
}

#[test]
fn balance_binds() {
    // Six doctors at p0, one venue at p0 with room for two groups of 2..4: 4+2 and 3+3
    // cost the same travel (none); balance prefers 3+3.
    let mut tiny = Tiny::line(vec![(0, 0); 6]);
    tiny.venues = vec![(0, 2)];
    tiny.balance = 50.0;
    tiny.max_size = 4;
    let r = assert_optimal(&tiny);
    assert_eq!(sizes(&r), [3, 3]);
    // Two doctors at p3 and four at p0, room for one group at p0 and two at p3: without
    // balance 4 + 2 is free; with a heavy balance weight one doctor travels to p3 (cheaper
    // than two groups of two at p3 made of p0 doctors).
    let mut tiny = Tiny::line(vec![(0, 0), (0, 0), (0, 0), (0, 0), (3, 0), (3, 0)]);
    tiny.venues = vec![(0, 1), (3, 2)];
    let r = assert_optimal(&tiny);
    assert_eq!(sizes(&r), [2, 4]);
    assert_eq!(r.outcome.objective, 0.0);
    tiny.balance = 100_000.0;
    let r = assert_optimal(&tiny);
    assert_eq!(sizes(&r), [3, 3]);
    assert_eq!(r.outcome.objective, 2.0 * 90.0 * 20.0 * 2.0);
}

#[test]
fn municipality_mix_binds() {
    // Four doctors of p0: at most 2 of one municipality per group → two groups of two.
    let mut tiny = Tiny::line(vec![(0, 0); 4]);
    tiny.venues = vec![(0, 2)];
    tiny.max_size = 4;
    let r = assert_optimal(&tiny);
    assert_eq!(sizes(&r), [4]);
    tiny.per_municipality = 2;
    let r = assert_optimal(&tiny);
    assert_eq!(sizes(&r), [2, 2]);
}

#[test]
fn start_spread_binds() {
    // Four doctors at p0, two starting 2027-01 and two 2028-01; one venue at p0 and a
    // second at p3. With the spread 12 they may meet as one group of four; with 6 they need
    // two groups.
    let mut tiny = Tiny::line(vec![(0, 0), (0, 0), (0, 12), (0, 12)]);
    tiny.venues = vec![(0, 1), (3, 1)];
    tiny.spread = 12;
    let r = assert_optimal(&tiny);
    assert_eq!(sizes(&r), [4]);
    assert_eq!(r.outcome.objective, 0.0);
    tiny.spread = 6;
    let r = assert_optimal(&tiny);
    assert_eq!(sizes(&r), [2, 2]);
    assert_eq!(venues_used(&r), ["p0", "p3"]);
    // Two travel 90 min each way to p3: 2 × 90 × 20 × 2 × 2 doctors = 14 400.
    assert_eq!(r.outcome.objective, 14_400.0);
}

#[test]
fn venue_capacity_binds() {
    // Four doctors at p0 split by the spread into two groups; p0 hosts two, or only one.
    let mut tiny = Tiny::line(vec![(0, 0), (0, 0), (0, 12), (0, 12)]);
    tiny.spread = 6;
    tiny.venues = vec![(0, 2), (1, 1)];
    let r = assert_optimal(&tiny);
    assert_eq!(venues_used(&r), ["p0", "p0"]);
    tiny.venues = vec![(0, 1), (1, 1)];
    let r = assert_optimal(&tiny);
    assert_eq!(venues_used(&r), ["p0", "p1"]);
    assert!(r.outcome.objective > 0.0);
}

#[test]
fn supervisor_capacity_binds() {
    // Two groups at p0; the supervisor at p0 may lead two, or only one (the other then
    // comes from p2, 60 min away).
    let mut tiny = Tiny::line(vec![(0, 0), (0, 0), (0, 12), (0, 12)]);
    tiny.spread = 6;
    tiny.venues = vec![(0, 2)];
    tiny.supervisors = vec![(0, 2), (2, 1)];
    let r = assert_optimal(&tiny);
    assert_eq!(r.terms["supervisor_travel"], 0.0);
    tiny.supervisors = vec![(0, 1), (2, 1)];
    let r = assert_optimal(&tiny);
    // 2 × 60 × 20 meetings × 2 years.
    assert_eq!(r.terms["supervisor_travel"], 4800.0);
}

#[test]
fn long_meeting_pattern_binds() {
    // Two doctors at p0 and two at p3, one venue at p0 and supervisor there. The p3 doctors
    // travel 90 min. With long_travel_minutes 60 the group meets 10 times a year (long
    // pattern), otherwise 20.
    let mut tiny = Tiny::line(vec![(0, 0), (0, 0), (3, 0), (3, 0)]);
    tiny.venues = vec![(0, 1)];
    tiny.supervisors = vec![(0, 1)];
    tiny.long_minutes = 120;
    let r = assert_optimal(&tiny);
    assert_eq!(r.per_group[0].pattern, Pattern::Short);
    assert_eq!(r.outcome.objective, 2.0 * 90.0 * 20.0 * 2.0 * 2.0);
    tiny.long_minutes = 60;
    let r = assert_optimal(&tiny);
    assert_eq!(r.per_group[0].pattern, Pattern::Long);
    assert_eq!(r.per_group[0].meetings_per_year, 10);
    assert_eq!(r.outcome.objective, 2.0 * 90.0 * 10.0 * 2.0 * 2.0);
}

#[test]
fn long_pattern_draws_a_far_member_into_a_group() {
    // Venues at p0 and p3. Two doctors live at p0, two at p1 (30 min from p0) and two at
    // p3. Groups of 3: a far member (p3 → p0 is 90 min > 60) makes a p0 group meet half as
    // often, which the optimum may use; the brute force decides.
    let mut tiny = Tiny::line(vec![(0, 0), (0, 0), (1, 0), (1, 0), (3, 0), (3, 0)]);
    tiny.min_size = 3;
    tiny.max_size = 3;
    tiny.long_minutes = 60;
    assert_optimal(&tiny);
}

#[test]
fn too_few_supervisors_is_explained() {
    let mut tiny = Tiny::line(vec![(0, 0), (0, 0), (0, 12), (0, 12)]);
    tiny.spread = 6;
    tiny.supervisors = vec![(0, 1)];
    let (r, _dir) = solve_tiny(&tiny, GroupsFormulation::Strong);
    match r {
        Err(Error::Infeasible(why)) => {
            assert!(
                why.contains("at least 2 guidance groups are needed"),
                "{why}"
            );
            assert!(why.contains("supervisors can lead only 1"), "{why}");
            assert!(why.contains("max_start_spread"), "{why}");
        }
        other => panic!("expected infeasible, got {:?}", other.map(|r| sizes(&r))),
    }
}

#[test]
fn a_doctor_without_enough_peers_is_named() {
    // D2 starts 24 months after the others: nobody shares a group with them.
    let mut tiny = Tiny::line(vec![(0, 0), (0, 0), (0, 24)]);
    tiny.spread = 12;
    let (r, _dir) = solve_tiny(&tiny, GroupsFormulation::Strong);
    match r {
        Err(Error::Infeasible(why)) => assert!(why.contains("doctor D2"), "{why}"),
        other => panic!("expected infeasible, got {:?}", other.map(|r| sizes(&r))),
    }
}

#[test]
fn nobody_due_gives_no_groups() {
    let dir = tempfile::tempdir().unwrap();
    Tiny::line(vec![(0, 0), (0, 0)]).write(dir.path());
    // Remove every group_from: the column is present, so nobody is due a group.
    let text = std::fs::read_to_string(dir.path().join("doctors.csv")).unwrap();
    let stripped: String = text
        .lines()
        .map(|l| format!("{},\n", l.rsplit_once(',').unwrap().0))
        .collect::<String>()
        .replacen("relocate,\n", "relocate,group_from\n", 1);
    std::fs::write(dir.path().join("doctors.csv"), stripped).unwrap();
    let inst = load_instance(dir.path()).unwrap();
    let r = alisplan::groups::form_groups(&inst, &Travel::new(&inst), &options()).unwrap();
    assert!(r.groups.is_empty());
    assert!(r.outcome.status.is_optimal());
}

fn tiny_strategy() -> impl Strategy<Value = Tiny> {
    (
        3usize..=5,
        prop::collection::vec(10u32..=120, 5),
        prop::collection::vec((0usize..5, 0u32..=18), 3..=7),
        prop::collection::vec((0usize..5, 1u32..=2), 1..=3),
        prop::collection::vec((0usize..5, 1u32..=2), 1..=3),
        (2u32..=3, 0u32..=3, 1u32..=3, 3u32..=12),
        (prop::bool::ANY, 40u32..=150),
        (
            prop::sample::select(vec![0.0, 500.0, 5000.0]),
            prop::option::of(30u32..=150),
        ),
    )
        .prop_map(
            |(
                places,
                road,
                doctors,
                venues,
                sups,
                (min, extra, per, spread),
                (bal, long),
                (group_cost, max_member_minutes),
            )| {
                let mut roads: Vec<(usize, usize, u32)> =
                    (1..places).map(|p| (p - 1, p, road[p - 1])).collect();
                roads.push((0, places - 1, road[4]));
                let mut venues: Vec<(usize, u32)> =
                    venues.into_iter().map(|(p, c)| (p % places, c)).collect();
                venues.sort();
                venues.dedup_by_key(|v| v.0);
                Tiny {
                    places,
                    roads,
                    doctors: doctors.into_iter().map(|(p, f)| (p % places, f)).collect(),
                    venues,
                    supervisors: sups.into_iter().map(|(p, c)| (p % places, c)).collect(),
                    min_size: min,
                    max_size: min + extra,
                    per_municipality: per,
                    spread,
                    balance: if bal { 50.0 } else { 0.0 },
                    long_minutes: long,
                    group_cost,
                    max_member_minutes,
                }
            },
        )
}

proptest! {
    #![proptest_config(common::cases(48))]

    /// Every grouping passes `verify` (checked in `solve_tiny`), both formulations reach
    /// the brute-force optimum, and an instance without any grouping is reported as
    /// infeasible, in words.
    #[test]
    fn groups_are_valid_and_optimal(tiny in tiny_strategy()) {
        match tiny.brute_force() {
            Some(expected) => {
                for formulation in [GroupsFormulation::Strong, GroupsFormulation::Plain] {
                    let (r, _dir) = solve_tiny(&tiny, formulation);
                    let r = r.map_err(|e| TestCaseError::fail(format!("{formulation:?}: {e}")))?;
                    prop_assert!(r.outcome.status.is_optimal());
                    prop_assert!((r.outcome.objective - expected).abs() < 1e-6,
                        "{:?}: {} vs brute force {}", formulation, r.outcome.objective, expected);
                }
            }
            None => {
                let (r, _dir) = solve_tiny(&tiny, GroupsFormulation::Strong);
                match r {
                    Err(Error::Infeasible(why)) => prop_assert!(!why.is_empty()),
                    other => prop_assert!(false, "brute force finds no grouping, solver: {:?}",
                        other.map(|r| r.outcome.objective)),
                }
            }
        }
    }
}

/// Options as on the command line with `--time-limit limit`: the deadline runs from now.
fn options_until(limit: f64) -> SolveOptions {
    SolveOptions {
        time_limit: limit,
        deadline: Some(Deadline::after(limit)),
        ..options()
    }
}

proptest! {
    #![proptest_config(common::cases(96))]

    /// Whatever the time limit, and wherever it interrupts the work (before the linear
    /// relaxation, in the local search, in a solver round, or not at all), a result called
    /// optimal has the brute-force optimum, no bound is above the optimum, the status
    /// agrees with the objective and the bound, and every grouping keeps the rules
    /// (`verify`, in `solve_tiny_with`). The tiny instances solve in milliseconds, so the
    /// limits below the millisecond stop them at every step.
    #[test]
    fn statuses_are_honest_at_any_time_limit(
        tiny in tiny_strategy(),
        limit in prop::sample::select(vec![0.0, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.1, 1.0]),
    ) {
        let Some(optimum) = tiny.brute_force() else {
            return Ok(());
        };
        for formulation in [GroupsFormulation::Strong, GroupsFormulation::Plain] {
            let (r, _dir) = solve_tiny_with(&tiny, formulation, &options_until(limit));
            let o = match r {
                Ok(r) => r.outcome,
                // Stopped before any grouping was found: said so, and only at a short limit.
                Err(Error::Solver(why)) if limit < 0.5 => {
                    prop_assert!(why.contains("--time-limit"), "{why}");
                    continue;
                }
                Err(e) => return Err(TestCaseError::fail(format!("{formulation:?}: {e}"))),
            };
            let slack = 1e-6 * optimum.abs().max(1.0);
            prop_assert!(o.objective >= optimum - slack, "{formulation:?}: below the optimum");
            if o.status == Status::Optimal {
                prop_assert!((o.objective - optimum).abs() <= slack,
                    "{formulation:?}: called optimal at {} but the optimum is {optimum}", o.objective);
            }
            if o.bound.is_finite() {
                prop_assert!(o.bound <= optimum + slack,
                    "{formulation:?}: bound {} above the optimum {optimum}", o.bound);
            } else {
                prop_assert_eq!(o.status, Status::NoBound);
            }
            prop_assert_eq!(o.status, Status::proven(o.objective, o.bound, 0.0));
        }
    }
}

/// The shared repro instance (capacitated p-median SJC2, 200 doctors; see its README):
/// its proven optimum in alisplan's units (round trips) is 2 × 3,297,773.
const REPRO_OPTIMUM: f64 = 6_595_546.0;

fn repro() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/groups-false-optimal")
}

/// At any time limit `alisplan groups` on the repro says optimal only at the optimum, its
/// bound is never above the optimum, no bound is not called a bound, an unproven result
/// says why, and the groups pass `verify`. It used to say "optimal" at the local search's
/// value, 58 % above the optimum. The short limits stop it before the solver or in its
/// first round; at 30 s it usually proves the optimum (16–21 s on 2 busy cores).
#[test]
fn the_repro_is_called_optimal_only_at_its_optimum() {
    for limit in ["0.5", "2", "4", "30"] {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("plan");
        Command::cargo_bin("alisplan")
            .unwrap()
            .args([
                "groups",
                repro().to_str().unwrap(),
                "--quiet",
                "--time-limit",
                limit,
                "--out",
            ])
            .arg(&out)
            .assert()
            .success();
        let g = summary(&out)["groups"].clone();
        let objective = g["objective"].as_f64().unwrap();
        let status = g["status"].as_str().unwrap().to_string();
        assert!(
            objective >= REPRO_OPTIMUM,
            "limit {limit}: objective {objective}"
        );
        assert!(
            status != "optimal" || objective == REPRO_OPTIMUM,
            "limit {limit}: called optimal at {objective}"
        );
        match g["bound"].as_f64() {
            Some(bound) => {
                assert!(bound <= REPRO_OPTIMUM, "limit {limit}: bound {bound}");
                assert!(["optimal", "gap_limit", "time_limit"].contains(&status.as_str()));
            }
            None => assert_eq!(status, "no_bound", "limit {limit}"),
        }
        if status != "optimal" {
            assert!(
                g["notes"].as_array().is_some_and(|n| !n.is_empty()),
                "limit {limit}: why it stopped"
            );
        }
        Command::cargo_bin("alisplan")
            .unwrap()
            .args(["verify", repro().to_str().unwrap()])
            .arg(&out)
            .assert()
            .success();
    }
}

// ---- the command end to end ----

fn bundled(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("instances")
        .join(name)
}

fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap()
}

#[test]
fn bundled_instances_are_grouped_optimally_and_verify() {
    for name in ["alis-vest", "alis-nord"] {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("plan");
        Command::cargo_bin("alisplan")
            .unwrap()
            .args(["groups", bundled(name).to_str().unwrap(), "--out"])
            .arg(&out)
            .assert()
            .success()
            .stderr(predicate::str::contains("guidance groups (optimal"));
        let s = summary(&out);
        assert_eq!(s["groups"]["status"], "optimal", "{name}");
        assert_eq!(s["groups"]["gap"], 0.0);
        assert_eq!(s["command"], "groups");
        let terms = &s["groups"]["terms"];
        let sum = terms["groups"].as_f64().unwrap()
            + terms["member_travel"].as_f64().unwrap()
            + terms["supervisor_travel"].as_f64().unwrap()
            + terms["balance"].as_f64().unwrap();
        assert!((sum - s["groups"]["objective"].as_f64().unwrap()).abs() < 1e-6);
        assert!(!out.join("placements.csv").exists());
        Command::cargo_bin("alisplan")
            .unwrap()
            .args(["verify", bundled(name).to_str().unwrap()])
            .arg(&out)
            .assert()
            .success()
            .stdout(predicate::str::contains("passes every rule"));
    }
}

#[test]
fn same_input_gives_the_same_groups_csv() {
    let root = tempfile::tempdir().unwrap();
    let run = |out: &Path| {
        Command::cargo_bin("alisplan")
            .unwrap()
            .args([
                "groups",
                bundled("alis-nord").to_str().unwrap(),
                "--quiet",
                "--out",
            ])
            .arg(out)
            .assert()
            .success()
            .stderr("");
        std::fs::read(out.join("groups.csv")).unwrap()
    };
    assert_eq!(run(&root.path().join("a")), run(&root.path().join("b")));
}

#[test]
fn an_existing_output_is_kept_without_force() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("plan");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "mine").unwrap();
    Command::cargo_bin("alisplan")
        .unwrap()
        .args(["groups", bundled("alis-vest").to_str().unwrap(), "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--force"));
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        "mine"
    );
    Command::cargo_bin("alisplan")
        .unwrap()
        .args([
            "groups",
            bundled("alis-vest").to_str().unwrap(),
            "--force",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not written by alisplan"));
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        "mine",
        "--force replaces only a folder alisplan wrote"
    );
}

#[test]
fn an_infeasible_instance_exits_1_and_writes_nothing() {
    let root = tempfile::tempdir().unwrap();
    let inst = root.path().join("inst");
    let mut tiny = Tiny::line(vec![(0, 0), (0, 0), (0, 12), (0, 12)]);
    tiny.spread = 6;
    tiny.supervisors = vec![(0, 1)];
    tiny.write(&inst);
    let out = root.path().join("plan");
    Command::cargo_bin("alisplan")
        .unwrap()
        .args(["groups", inst.to_str().unwrap(), "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("supervisors can lead only 1"));
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
}
