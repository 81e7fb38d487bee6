//! Why a doctor has the blocks the plan gives them (score analysis): what each chosen block
//! costs, term by term, from the one objective; the best alternatives (other departments
//! and start months from the candidate generator) with their cost difference and the rule,
//! or the other doctors, that block each; and, on request, a re-solve with the chosen
//! department forbidden to the doctor, over the doctors who compete with them for the same
//! department-months or municipality, everyone else kept in place.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::Result;
use crate::model::*;
use crate::placement::candidates::{Filter, Pruned, candidates_matching};
use crate::placement::decompose::Component;
use crate::placement::objective::{block_cost, block_costs};
use crate::placement::{Candidate, Formulation, LARGE_PART, stages};
use crate::rules::Rule;
use crate::solver::SolveOptions;
use crate::travel::Travel;
use crate::verify::verify;

use super::{Priced, term_difference};

/// Doctors re-solved together when a choice is forbidden, at most: the doctor and those
/// sharing most department-months with their candidate blocks.
pub const MAX_FREED: usize = 30;

/// Where and when a block is, in words, and how the doctor gets there.
#[derive(Clone, Debug, Serialize)]
pub struct Site {
    #[serde(skip)]
    pub block: Block,
    pub department: String,
    pub months: String,
    pub commute_minutes: u32,
    pub relocate: bool,
}

impl Site {
    fn of(inst: &Instance, c: &crate::placement::Candidate) -> Site {
        Site {
            block: c.block(),
            department: inst.department_label(c.department),
            months: c.span().to_string(),
            commute_minutes: c.commute,
            relocate: c.relocate,
        }
    }
}

/// A block of the plan and what it costs, term by term.
#[derive(Clone, Debug, Serialize)]
pub struct Chosen {
    #[serde(flatten)]
    pub site: Site,
    /// The block's own objective terms (cost points), as the model prices it.
    pub terms: BTreeMap<String, f64>,
}

/// What keeps an alternative out of the plan as it stands.
#[derive(Clone, Debug, Serialize)]
pub struct Blocker {
    /// The rule, by its name in the rules catalogue.
    #[serde(serialize_with = "rule_name")]
    pub rule: Rule,
    /// The doctors whose blocks take what the alternative needs.
    pub doctors: Vec<String>,
    /// The months concerned.
    pub months: Vec<Month>,
    /// In domain words.
    pub text: String,
}

/// A block the doctor could have had instead of one of theirs.
#[derive(Clone, Debug, Serialize)]
pub struct Alternative {
    /// The chosen block it would replace.
    pub instead_of: String,
    #[serde(flatten)]
    pub site: Site,
    /// Objective with the alternative minus the plan's (cost points; the rest of the plan
    /// as it is).
    pub difference: f64,
    /// The same difference term by term (terms that change only).
    pub terms: BTreeMap<String, f64>,
    /// What keeps it out; empty when only its cost does.
    pub blocked_by: Vec<Blocker>,
}

/// A department of the right specialty where the rules allow the doctor no block at all.
#[derive(Clone, Debug, Serialize)]
pub struct Impossible {
    pub department: String,
    #[serde(serialize_with = "rule_names")]
    pub rules: Vec<Rule>,
    pub text: String,
}

fn rule_name<S: serde::Serializer>(rule: &Rule, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(rule.name())
}

fn rule_names<S: serde::Serializer>(rules: &[Rule], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_seq(rules.iter().map(|r| r.name()))
}

/// A doctor's block that differs after the re-solve.
#[derive(Clone, Debug, Serialize)]
pub struct Move {
    pub doctor: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The plan re-solved with a chosen department forbidden to the doctor.
#[derive(Clone, Debug, Serialize)]
pub struct Forbidden {
    /// The department forbidden to the doctor.
    pub department: String,
    /// The doctors re-solved (the rest kept in place).
    pub freed: Vec<String>,
    /// Blocks that changed.
    pub moves: Vec<Move>,
    /// Objective of the re-solved plan minus the plan's (cost points).
    pub difference: f64,
    pub terms: BTreeMap<String, f64>,
    /// Requirement parts of the freed doctors left unplaced by the re-solve.
    pub unplaced: usize,
    /// Whether the re-solve is proven optimal (with everyone else kept in place).
    pub proven: bool,
    pub status: String,
    /// Relative gap of the re-solve's cost stage.
    pub gap: f64,
    pub seconds: f64,
}

/// Why a doctor has their blocks.
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    pub doctor: String,
    pub chosen: Vec<Chosen>,
    /// What the doctor's blocks add to the plan's objective, term by term (the plan with
    /// them minus the plan without them: block terms and shared terms such as stagger,
    /// min_fill and worst_commute; the unplaced penalty they avoid left out).
    pub contribution: BTreeMap<String, f64>,
    pub alternatives: Vec<Alternative>,
    pub impossible: Vec<Impossible>,
    pub forbidden: Vec<Forbidden>,
    /// Unplaced requirement parts the plan reports for the doctor, with their reasons.
    pub unplaced: Vec<String>,
}

/// How much to compute.
#[derive(Clone, Debug)]
pub struct Depth {
    /// Alternatives listed at most.
    pub alternatives: usize,
    /// Re-check each listed alternative that no rule seems to block with `verify` on the
    /// plan with it swapped in (every rule, independently of this module's own checks).
    pub verify: bool,
    /// Re-solve with each chosen department forbidden, with these solver options.
    pub resolve: Option<SolveOptions>,
}

/// Explain doctor `d`'s blocks in the plan `priced` (with `plan` for its unplaced parts).
pub fn explain(
    priced: &Priced,
    travel: &Travel,
    plan: &Plan,
    d: DoctorId,
    depth: &Depth,
) -> Result<Explanation> {
    let inst = priced.inst();
    let mine: Vec<usize> = (0..priced.chosen.len())
        .filter(|&k| priced.cands[priced.chosen[k]].doctor == d)
        .collect();
    // Without the doctor's blocks their parts would be unplaced: that penalty is not a
    // cost the blocks add, so it is left out.
    let mut contribution: BTreeMap<String, f64> = nonzero(priced.change_difference(&mine, None))
        .into_iter()
        .map(|(k, v)| (k, -v))
        .collect();
    contribution.remove("unplaced");
    let chosen = mine
        .iter()
        .map(|&k| {
            let c = &priced.cands[priced.chosen[k]];
            Chosen {
                site: Site::of(inst, c),
                terms: block_costs(&priced.problem, c)
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            }
        })
        .collect();
    let mut alternatives = Vec::new();
    for &k in &mine {
        alternatives.extend(alternatives_to(priced, k, depth.alternatives));
    }
    alternatives.sort_by(|a, b| a.difference.total_cmp(&b.difference));
    alternatives.truncate(depth.alternatives);
    if depth.verify {
        let before: Vec<String> = verify(inst, plan).iter().map(|v| v.to_string()).collect();
        for a in alternatives.iter_mut().filter(|a| a.blocked_by.is_empty()) {
            a.blocked_by = verified(inst, plan, &before, d, a);
        }
    }
    let mut forbidden = Vec::new();
    if let Some(opts) = &depth.resolve {
        let mut done = BTreeSet::new();
        for &k in &mine {
            if done.insert(priced.cands[priced.chosen[k]].department) {
                forbidden.push(forbid(priced, k, opts)?);
            }
        }
    }
    Ok(Explanation {
        doctor: inst.doctor(d).id.clone(),
        chosen,
        contribution,
        alternatives,
        impossible: impossible(priced, travel, d),
        forbidden,
        unplaced: plan
            .unplaced
            .iter()
            .filter(|u| u.doctor == d)
            .map(|u| format!("{} months unplaced: {}", u.months, u.reason))
            .collect(),
    })
}

fn nonzero(terms: BTreeMap<String, f64>) -> BTreeMap<String, f64> {
    terms.into_iter().filter(|(_, v)| v.abs() > 1e-9).collect()
}

/// The best alternatives to the plan's block `chosen[k]`: the doctor's candidates for the
/// same requirement part and length, cheapest first by their own cost, one or two per
/// department (the cheapest, and the cheapest nothing blocks), priced in the whole plan.
fn alternatives_to(priced: &Priced, k: usize, limit: usize) -> Vec<Alternative> {
    let inst = priced.inst();
    let current = &priced.cands[priced.chosen[k]];
    let d = current.doctor;
    let mut options: Vec<(f64, usize)> = priced
        .candidates_of(d)
        .iter()
        .copied()
        .filter(|&i| {
            let c = &priced.cands[i];
            c.part == current.part
                && c.len == current.len
                && (c.department, c.start) != (current.department, current.start)
        })
        .map(|i| (block_cost(&priced.problem, &priced.cands[i]), i))
        .collect();
    options.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut picked: Vec<(usize, Vec<Blocker>)> = Vec::new();
    let mut cheapest: BTreeSet<DepartmentId> = BTreeSet::new();
    let mut free: BTreeSet<DepartmentId> = BTreeSet::new();
    for (_, i) in options {
        let c = &priced.cands[i];
        let first = !cheapest.contains(&c.department);
        if !first && free.contains(&c.department) {
            continue;
        }
        let blockers = blockers(priced, k, i);
        let unblocked = blockers.is_empty();
        if first || unblocked {
            cheapest.insert(c.department);
            if unblocked {
                free.insert(c.department);
            }
            picked.push((i, blockers));
        }
        if picked.len() >= 4 * limit.max(1) {
            break;
        }
    }
    picked
        .into_iter()
        .map(|(i, blocked_by)| {
            let c = &priced.cands[i];
            let terms = nonzero(priced.swap_difference(k, i));
            Alternative {
                instead_of: format!(
                    "{} {}",
                    inst.department_label(current.department),
                    current.span()
                ),
                site: Site::of(inst, c),
                difference: terms.values().sum(),
                terms,
                blocked_by,
            }
        })
        .collect()
}

/// The rules that keep candidate `i` out when it replaces the plan's block `chosen[k]`
/// with the rest of the plan as it is: a full department, the municipality's max_away, or
/// the doctor's own other blocks, naming the doctors and months concerned.
fn blockers(priced: &Priced, k: usize, i: usize) -> Vec<Blocker> {
    let inst = priced.inst();
    let c = &priced.cands[i];
    let doc = inst.doctor(c.doctor);
    let mut out = Vec::new();
    let span = c.span();
    // department_capacity
    let dept = inst.department(c.department);
    let (mut months, mut who) = (Vec::new(), BTreeSet::new());
    for m in span.months().filter(|&m| !doc.on_leave(m)) {
        let users: Vec<&Candidate> = others_in(priced, &priced.at, (c.department, m), k)
            .into_iter()
            .filter(|o| !inst.doctor(o.doctor).on_leave(m))
            .collect();
        if users.len() as u32 >= dept.capacity_in(m) {
            months.push(m);
            who.extend(users.iter().map(|o| (o.doctor, o.start, o.end)));
        }
    }
    if !months.is_empty() {
        out.push(blocker(
            inst,
            Rule::DepartmentCapacity,
            months,
            &who,
            &format!("{} has no free slot", inst.department_label(c.department)),
        ));
    }
    // municipality_max_away
    let mu = inst.municipality(doc.municipality);
    let (mut months, mut who) = (Vec::new(), BTreeSet::new());
    for m in span.months() {
        let away: BTreeSet<(DoctorId, Month, Month)> =
            others_in(priced, &priced.away, (doc.municipality, m), k)
                .into_iter()
                .filter(|o| o.doctor != c.doctor)
                .map(|o| (o.doctor, o.start, o.end))
                .collect();
        let doctors: BTreeSet<DoctorId> = away.iter().map(|(d, _, _)| *d).collect();
        if doctors.len() as u32 >= mu.max_away {
            months.push(m);
            who.extend(away);
        }
    }
    if !months.is_empty() {
        out.push(blocker(
            inst,
            Rule::MunicipalityMaxAway,
            months,
            &who,
            &format!(
                "{} already has {} ALIS in hospital (max_away {})",
                mu.name, mu.max_away, mu.max_away
            ),
        ));
    }
    // one_place_at_a_time
    let own: BTreeSet<(DoctorId, Month, Month)> = priced
        .chosen
        .iter()
        .enumerate()
        .filter(|&(j, &o)| j != k && priced.cands[o].doctor == c.doctor)
        .map(|(_, &o)| &priced.cands[o])
        .filter(|o| o.span().overlap(&span) > 0)
        .map(|o| (o.doctor, o.start, o.end))
        .collect();
    if !own.is_empty() {
        let months = span
            .months()
            .filter(|&m| own.iter().any(|&(_, a, b)| a <= m && m <= b))
            .collect();
        out.push(blocker(
            inst,
            Rule::OnePlaceAtATime,
            months,
            &own,
            "the doctor serves another block then",
        ));
    }
    out
}

/// The plan's blocks in `index` at `key`, but the one at position `k` (being replaced).
fn others_in<'p, K: std::hash::Hash + Eq>(
    priced: &'p Priced,
    index: &std::collections::HashMap<K, Vec<usize>>,
    key: K,
    k: usize,
) -> Vec<&'p Candidate> {
    index.get(&key).map_or_else(Vec::new, |v| {
        v.iter()
            .filter(|&&j| j != k)
            .map(|&j| &priced.cands[priced.chosen[j]])
            .collect()
    })
}

fn blocker(
    inst: &Instance,
    rule: Rule,
    months: Vec<Month>,
    who: &BTreeSet<(DoctorId, Month, Month)>,
    what: &str,
) -> Blocker {
    let span = |ms: &[Month]| match (ms.first(), ms.last()) {
        (Some(&a), Some(&b)) => MonthRange::new(a, b).to_string(),
        _ => String::new(),
    };
    let taken: Vec<String> = who
        .iter()
        .map(|(d, a, b)| format!("{} ({})", inst.doctor(*d).id, MonthRange::new(*a, *b)))
        .collect();
    let mut doctors: Vec<String> = who
        .iter()
        .map(|(d, _, _)| inst.doctor(*d).id.clone())
        .collect();
    doctors.dedup();
    Blocker {
        rule,
        text: format!(
            "{what} in {} month(s) of {}: taken by {}",
            months.len(),
            span(&months),
            taken.join(", ")
        ),
        doctors,
        months,
    }
}

/// The rules `verify` finds broken in the plan with alternative `a` in place of the block
/// it replaces, that the plan itself does not break.
fn verified(
    inst: &Instance,
    plan: &Plan,
    before: &[String],
    d: DoctorId,
    a: &Alternative,
) -> Vec<Blocker> {
    let mut swapped = plan.clone();
    if let Some(b) = swapped.blocks.iter_mut().find(|b| {
        b.doctor == d
            && format!("{} {}", inst.department_label(b.department), b.span()) == a.instead_of
    }) {
        *b = a.site.block.clone();
    }
    crate::model::plan::sort_blocks(&mut swapped.blocks);
    verify(inst, &swapped)
        .into_iter()
        .filter(|v| !before.contains(&v.to_string()))
        .map(|v| Blocker {
            rule: v.rule,
            doctors: v.doctor.clone().into_iter().collect(),
            months: v.month.into_iter().collect(),
            text: v.message.clone(),
        })
        .collect()
}

/// Departments of the right specialty where the candidate rules allow the doctor no block
/// for a requirement part, and the rules that rule each out.
fn impossible(priced: &Priced, travel: &Travel, d: DoctorId) -> Vec<Impossible> {
    let inst = priced.inst();
    let problem = &priced.problem;
    let mut out = Vec::new();
    for (p, part) in problem.parts(d).iter().enumerate() {
        for k in inst.department_ids() {
            let dept = inst.department(k);
            if part.specialty.is_some_and(|s| s != dept.specialty) {
                continue;
            }
            let only = Lock {
                doctor: d,
                hospital: Some(dept.hospital),
                specialty: Some(dept.specialty),
                start: None,
                months: None,
                decision: Decision::Reject,
                source: Source {
                    file: String::new(),
                    line: 0,
                },
            };
            let (found, why) = candidates_matching(problem, travel, d, p, part, Some(&only));
            if found.is_empty() {
                let (rules, text) = pruned_rules(&why);
                out.push(Impossible {
                    department: inst.department_label(k),
                    rules,
                    text,
                });
            }
        }
    }
    out
}

/// The rules behind the candidate filters that removed every block, in domain words.
fn pruned_rules(why: &Pruned) -> (Vec<Rule>, String) {
    let what = |f: Filter| match f {
        Filter::WrongSpecialty => "the department is not of the part's specialty",
        Filter::BeyondCommute => {
            "beyond the doctor's longest daily commute, and the doctor has not agreed to relocate"
        }
        Filter::BeyondRelocation => "beyond max_relocation_minutes for a doctor who relocates",
        Filter::OutsideWindow => "block would end after the doctor's window",
        Filter::StartMonth => "the department does not start rotations in the month",
        Filter::OnLeave => "leave inside the block",
        Filter::NoSlot => "the department has no slot in some month",
        Filter::Rejected => "rejected in review",
        Filter::GroupPeriod => "would leave neither guidance-group year in general practice",
        Filter::BeforeReplan => "before the re-plan month",
    };
    let mut rules = Vec::new();
    let mut text = Vec::new();
    for f in why.filters() {
        let rule = f.rule();
        if !rules.contains(&rule) {
            rules.push(rule);
        }
        text.push(format!("{rule}: {} ({} block(s))", what(f), why.total(f)));
    }
    (rules, text.join("; "))
}

/// Re-solve with the department of the plan's block `chosen[k]` forbidden to its doctor
/// (for every requirement part, so that parts cannot trade places): the doctor and up to [`MAX_FREED`] − 1 doctors who compete with them
/// (blocks in departments and months the doctor's candidates need, or the same
/// municipality) are placed anew, everyone else kept.
pub fn forbid(priced: &Priced, k: usize, opts: &SolveOptions) -> Result<Forbidden> {
    let inst = priced.inst();
    let current = priced.cands[priced.chosen[k]].clone();
    let d = current.doctor;
    let p = priced.part_of(d);
    let comp = &priced.parts[p];
    let mine: Vec<usize> = comp
        .candidates
        .iter()
        .copied()
        .filter(|&i| priced.cands[i].doctor == d)
        .collect();
    let mut needed: BTreeSet<(DepartmentId, Month)> = BTreeSet::new();
    for &i in &mine {
        let c = &priced.cands[i];
        needed.extend(c.span().months().map(|m| (c.department, m)));
    }
    let home = inst.doctor(d).municipality;
    let mut overlap: BTreeMap<DoctorId, usize> = BTreeMap::new();
    for &i in &priced.chosen {
        let o = &priced.cands[i];
        if o.doctor == d {
            continue;
        }
        let shared = o
            .span()
            .months()
            .filter(|&m| needed.contains(&(o.department, m)))
            .count();
        let same_place = usize::from(inst.doctor(o.doctor).municipality == home);
        if shared + same_place > 0 {
            *overlap.entry(o.doctor).or_default() += shared + same_place;
        }
    }
    let mut ranked: Vec<(DoctorId, usize)> = overlap.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut freed: BTreeSet<DoctorId> = BTreeSet::from([d]);
    freed.extend(ranked.iter().take(MAX_FREED - 1).map(|(o, _)| *o));
    let kept: Vec<usize> = priced
        .chosen
        .iter()
        .copied()
        .filter(|&i| !freed.contains(&priced.cands[i].doctor))
        .collect();
    let sub = priced
        .problem
        .with_fixed(kept.iter().map(|&i| priced.cands[i].block()));
    let sub_comp = Component {
        doctors: freed.iter().copied().collect(),
        candidates: comp
            .candidates
            .iter()
            .copied()
            .filter(|&i| {
                let c = &priced.cands[i];
                freed.contains(&c.doctor) && !(c.doctor == d && c.department == current.department)
            })
            .collect(),
    };
    let solved = stages::solve(
        &sub,
        &priced.cands,
        &sub_comp,
        opts,
        Formulation::Strong,
        LARGE_PART,
    )?;
    let mut after = kept.clone();
    after.extend(solved.chosen.iter().copied());
    let before_terms = priced.price_part(p, &priced.chosen).terms;
    let after_eval = priced.price_part(p, &after);
    let terms = nonzero(term_difference(&before_terms, &after_eval.terms));
    let describe = |i: usize| {
        let c = &priced.cands[i];
        format!("{} {}", inst.department_label(c.department), c.span())
    };
    let mut moves = Vec::new();
    for &o in &freed {
        // Compared by department and months: the same block may serve another part.
        let of = |chosen: &[usize]| -> BTreeSet<(Month, String)> {
            chosen
                .iter()
                .filter(|&&i| priced.cands[i].doctor == o)
                .map(|&i| (priced.cands[i].start, describe(i)))
                .collect()
        };
        let (was, now) = (of(&priced.chosen), of(&solved.chosen));
        let gone: Vec<String> = was.difference(&now).map(|x| x.1.clone()).collect();
        let new: Vec<String> = now.difference(&was).map(|x| x.1.clone()).collect();
        for j in 0..gone.len().max(new.len()) {
            moves.push(Move {
                doctor: inst.doctor(o).id.clone(),
                before: gone.get(j).cloned(),
                after: new.get(j).cloned(),
            });
        }
    }
    let proven = solved.count.bound == solved.unplaced.len() && solved.cost.status.is_optimal();
    Ok(Forbidden {
        department: inst.department_label(current.department),
        freed: freed.iter().map(|&o| inst.doctor(o).id.clone()).collect(),
        moves,
        difference: terms.values().sum::<f64>() + 0.0,
        terms,
        unplaced: solved.unplaced.len(),
        proven,
        status: solved.cost.status.label().to_string(),
        gap: solved.cost.gap,
        seconds: solved.cost.seconds,
    })
}

/// Alternatives per doctor in the report: few, so that a plan of 500 doctors is explained
/// in about a second.
pub const REPORT_ALTERNATIVES: usize = 3;

/// Every doctor's explanation for the report: chosen blocks, what they add and the best
/// [`REPORT_ALTERNATIVES`] alternatives with what blocks them, priced against the plan as
/// it is (no `verify` of each swap and no re-solve: those are `alisplan explain`'s).
pub fn for_report(inst: &Instance, plan: &Plan) -> Vec<Explanation> {
    use rayon::prelude::*;
    let travel = Travel::new(inst);
    let priced = Priced::new(inst, &travel, &plan.blocks);
    let depth = Depth {
        alternatives: REPORT_ALTERNATIVES,
        verify: false,
        resolve: None,
    };
    inst.doctor_ids()
        .collect::<Vec<_>>()
        .par_iter()
        .filter_map(|&d| explain(&priced, &travel, plan, d, &depth).ok())
        .collect()
}
