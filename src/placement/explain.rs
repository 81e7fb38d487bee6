//! Explaining, in domain words, why a requirement could not be placed: which doctor, which
//! months, which rule.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::Unplaced;
use crate::model::*;
use crate::travel::Travel;

use super::candidates::{Filter, Pruned, candidates_for, candidates_matching};
use super::objective::{block_cost, block_costs};
use super::{Candidate, Problem};
use crate::rules::Rule;

/// The unplaced requirement parts with their reasons.
pub fn explain_unplaced(
    problem: &Problem,
    travel: &Travel,
    cands: &[Candidate],
    pruned: &[Vec<Pruned>],
    blocks: &[Block],
    unplaced: &[(DoctorId, usize)],
) -> Vec<Unplaced> {
    unplaced
        .iter()
        .map(|&(d, p)| {
            let part = &problem.parts(d)[p];
            let mine: Vec<&Candidate> = cands
                .iter()
                .filter(|c| c.doctor == d && c.part == p)
                .collect();
            let reason = if mine.is_empty() {
                why_no_candidate(problem, travel, d, part, &pruned[d.index()][p])
            } else {
                why_not_chosen(problem, &mine, blocks)
            };
            Unplaced {
                doctor: d,
                specialty: part.specialty,
                months: part.calendar_months,
                reason,
            }
        })
        .collect()
}

/// Why `d`'s part `p` has no candidate block at all, if it has none: the reason an unplaced
/// part would be given, known before solving.
pub fn unplaceable(problem: &Problem, travel: &Travel, d: DoctorId, p: usize) -> Option<String> {
    let part = &problem.parts(d)[p];
    let (found, why) = candidates_for(problem, travel, d, p, part);
    found
        .is_empty()
        .then(|| why_no_candidate(problem, travel, d, part, &why))
}

/// The old-scheme doctors planned after `[scheme] old_scheme_last_month`, one note each: the
/// old rules apply only to doctors who apply for specialist approval by the transition
/// deadline, so such service does not count under them.
pub fn old_scheme_after_deadline(inst: &Instance, blocks: &[Block]) -> Vec<String> {
    let last = inst.settings.scheme.old_scheme_last_month;
    let mut late: BTreeMap<DoctorId, Month> = BTreeMap::new();
    for b in blocks {
        if inst.doctor(b.doctor).scheme == Scheme::Old && b.end > last {
            let e = late.entry(b.doctor).or_insert(b.end);
            *e = (*e).max(b.end);
        }
    }
    late.into_iter()
        .map(|(d, end)| {
            format!(
                "doctor {} is on the old scheme but is planned in hospital until {end}, after {last}, the last month old-scheme service may be planned ({}): move the doctor to the new scheme or confirm the transition",
                inst.doctor(d).id,
                Rule::OldSchemeDeadline
            )
        })
        .collect()
}

fn what(inst: &Instance, part: &RequirementPart) -> String {
    match part.specialty {
        Some(s) => format!(
            "a {}-month block in {}",
            part.calendar_months,
            inst.specialty(s)
        ),
        None => format!("a {}-month block in any department", part.calendar_months),
    }
}

/// No block passes the hard rules even before capacity is shared out.
fn why_no_candidate(
    problem: &Problem,
    travel: &Travel,
    d: DoctorId,
    part: &RequirementPart,
    why: &Pruned,
) -> String {
    let inst = problem.inst;
    let window = problem.window(d);
    let suitable: Vec<DepartmentId> = inst
        .department_ids()
        .filter(|&k| {
            part.specialty
                .is_none_or(|s| s == inst.department(k).specialty)
        })
        .collect();
    if suitable.is_empty() {
        return format!(
            "{}: no hospital has such a department ({})",
            what(inst, part),
            Rule::SpecialtyMatch
        );
    }
    format!(
        "{} between {} and {}: {}",
        what(inst, part),
        window.first,
        window.last,
        reasons(problem, travel, d, &suitable, why).join("; ")
    )
}

/// The labels of `departments`, at most three, then how many more.
fn listed(inst: &Instance, departments: &[DepartmentId]) -> String {
    let mut names: Vec<String> = departments
        .iter()
        .take(3)
        .map(|&k| inst.department_label(k))
        .collect();
    if departments.len() > 3 {
        names.push(format!("{} more", departments.len() - 3));
    }
    names.join(", ")
}

/// The nearest of `departments` from the doctor's home, in words.
fn nearest(
    problem: &Problem,
    travel: &Travel,
    d: DoctorId,
    departments: &[DepartmentId],
) -> String {
    let inst = problem.inst;
    let nearest = departments
        .iter()
        .map(|&k| (travel.commute(inst, d, inst.department(k).hospital), k))
        .min();
    match nearest {
        Some((u32::MAX, _)) | None => "no road or ferry reaches them".to_string(),
        Some((minutes, k)) => format!("nearest: {} at {minutes} min", inst.department_label(k)),
    }
}

/// "1 block" or "n blocks".
fn blocks_word(n: usize) -> String {
    if n == 1 {
        "1 block".to_string()
    } else {
        format!("{n} blocks")
    }
}

/// "1 block {one}" or "n blocks {many}": the count with its verb.
fn blocks_that(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", blocks_word(n), if n == 1 { one } else { many })
}

/// The rules that ruled out the blocks counted in `why` (blocks at the `suitable`
/// departments), in domain words, each with the rule's name. Every sentence states what the
/// filter removed, so each holds on its own.
fn reasons(
    problem: &Problem,
    travel: &Travel,
    d: DoctorId,
    suitable: &[DepartmentId],
    why: &Pruned,
) -> Vec<String> {
    let inst = problem.inst;
    let doc = inst.doctor(d);
    let window = problem.window(d);
    let mut reasons = Vec::new();
    let block_filters: BTreeSet<Filter> = why
        .filters()
        .into_iter()
        .filter(|f| {
            !matches!(
                f,
                Filter::WrongSpecialty | Filter::BeyondCommute | Filter::BeyondRelocation
            )
        })
        .collect();
    for f in why.filters() {
        let at = why.departments(f);
        let n = why.total(f);
        let text = match f {
            Filter::WrongSpecialty => continue,
            Filter::BeyondCommute => format!(
                "{} suitable department(s) lie beyond the {} min commute limit and the doctor has not agreed to relocate ({})",
                at.len(),
                doc.max_commute,
                nearest(problem, travel, d, &at)
            ),
            Filter::BeyondRelocation => format!(
                "{} suitable department(s) lie beyond the commute limit and also beyond the {} min relocation limit ({})",
                at.len(),
                inst.settings.scheme.max_relocation_minutes,
                nearest(problem, travel, d, &at)
            ),
            Filter::OutsideWindow if block_filters.len() == 1 => {
                format!("the window {window} is too short for it")
            }
            Filter::OutsideWindow => {
                format!(
                    "{} after the window {window}",
                    blocks_that(n, "would end", "would end")
                )
            }
            Filter::StartMonth => {
                let starts: Vec<String> = at
                    .iter()
                    .map(|&k| {
                        format!(
                            "{} starts in months {:?}",
                            inst.department_label(k),
                            inst.department(k).start_months
                        )
                    })
                    .collect();
                let only = block_filters
                    .iter()
                    .all(|&g| matches!(g, Filter::StartMonth | Filter::OutsideWindow));
                if only {
                    format!(
                        "no allowed start month fits the window {window} ({})",
                        starts.join("; ")
                    )
                } else {
                    format!(
                        "{} in a month the department does not start rotations ({})",
                        blocks_that(n, "starts", "start"),
                        starts.join("; ")
                    )
                }
            }
            Filter::OnLeave => {
                let leave: Vec<String> = doc
                    .leave
                    .iter()
                    .map(|l| format!("{} leave {}", l.kind, l.range))
                    .collect();
                format!(
                    "{} leave ({})",
                    blocks_that(n, "overlaps", "overlap"),
                    leave.join(", ")
                )
            }
            Filter::NoSlot => format!(
                "{} a month with no slot (capacity 0) at {}",
                blocks_that(n, "includes", "include"),
                listed(inst, &at)
            ),
            Filter::Rejected => format!(
                "{} rejected in review ({})",
                blocks_that(n, "was", "were"),
                listed(inst, &at)
            ),
            Filter::GroupPeriod => {
                let g = &inst.settings.groups;
                let years = doc
                    .group_years(g.months)
                    .map_or(String::new(), |[a, b]| format!(" ({a} and {b})"));
                format!(
                    "{} both guidance-group years{years}, or the only one that leave leaves mostly in general practice, and one of them must be spent in practice",
                    blocks_that(n, "touches", "touch"),
                )
            }
            Filter::BeforeReplan => format!(
                "{} before the re-plan month {}",
                blocks_that(n, "starts", "start"),
                problem.not_before.map_or(String::new(), |m| m.to_string())
            ),
        };
        reasons.push(format!("{text} ({})", f.rule()));
    }
    if reasons.is_empty() {
        let none = if suitable.is_empty() {
            "no suitable department".to_string()
        } else {
            format!("no block fits the window {window}")
        };
        reasons.push(format!("{none} ({})", Rule::WithinWindow));
    }
    reasons
}

/// Why the doctor's possible blocks were not chosen: the ones the rest of the plan blocks
/// (full departments, the municipality's `max_away`, the doctor's own other blocks, the
/// group period), and, if a block is still open, that it is possible and what it costs.
fn why_not_chosen(problem: &Problem, mine: &[&Candidate], blocks: &[Block]) -> String {
    let inst = problem.inst;
    let d = mine[0].doctor;
    let doc = inst.doctor(d);
    let mut used: BTreeMap<(DepartmentId, Month), Vec<DoctorId>> = BTreeMap::new();
    let mut away: BTreeMap<Month, BTreeSet<DoctorId>> = BTreeMap::new();
    for b in blocks.iter().chain(problem.fixed.iter()) {
        for m in b.span().months() {
            used.entry((b.department, m)).or_default().push(b.doctor);
            if inst.doctor(b.doctor).municipality == doc.municipality {
                away.entry(m).or_default().insert(b.doctor);
            }
        }
    }
    let own: Vec<&Block> = blocks
        .iter()
        .chain(problem.fixed.iter())
        .filter(|b| b.doctor == d)
        .collect();
    let group = problem.practice_years(d);
    // Months each department is full, and by whom.
    let mut full: BTreeMap<DepartmentId, (BTreeSet<Month>, BTreeSet<DoctorId>)> = BTreeMap::new();
    let mut muni_full: BTreeSet<Month> = BTreeSet::new();
    let mut own_clash = 0;
    let mut group_clash = 0;
    let mut open: Vec<&Candidate> = Vec::new();
    for &c in mine {
        let mut blocked = false;
        for m in c.span().months() {
            let here = used.get(&(c.department, m)).map_or(&[][..], Vec::as_slice);
            if here.len() as u32 >= inst.department(c.department).capacity_in(m) {
                let e = full.entry(c.department).or_default();
                e.0.insert(m);
                e.1.extend(here.iter().copied());
                blocked = true;
            }
            if away.get(&m).map_or(0, BTreeSet::len) as u32
                >= inst.municipality(doc.municipality).max_away
            {
                muni_full.insert(m);
                blocked = true;
            }
        }
        if own.iter().any(|b| b.span().overlap(&c.span()) > 0) {
            own_clash += 1;
            blocked = true;
        }
        if let Some(years) = group {
            // group_period_in_practice: with `c`, some year that may be the practice year
            // must keep no hospital month.
            let spans: Vec<MonthRange> = own.iter().map(|b| b.span()).chain([c.span()]).collect();
            if !crate::groups::years::keeps_a_practice_year(years, &spans) {
                group_clash += 1;
                blocked = true;
            }
        }
        if !blocked {
            open.push(c);
        }
    }
    let mut reasons = Vec::new();
    for (k, (months, who)) in full.iter().take(4) {
        let first = months.iter().next().copied();
        let last = months.iter().next_back().copied();
        let names: Vec<&str> = who.iter().map(|&w| inst.doctor(w).id.as_str()).collect();
        if let (Some(a), Some(b)) = (first, last) {
            reasons.push(format!(
                "{} is full in {} months between {a} and {b} (taken by {}) ({})",
                inst.department_label(*k),
                months.len(),
                names.join(", "),
                Rule::DepartmentCapacity
            ));
        }
    }
    if full.len() > 4 {
        reasons.push(format!(
            "and {} more departments are full ({})",
            full.len() - 4,
            Rule::DepartmentCapacity
        ));
    }
    if let (Some(a), Some(b)) = (muni_full.iter().next(), muni_full.iter().next_back()) {
        reasons.push(format!(
            "{} already has its maximum of {} ALIS in hospital in {} months between {a} and {b} ({})",
            inst.municipality(doc.municipality).name,
            inst.municipality(doc.municipality).max_away,
            muni_full.len(),
            Rule::MunicipalityMaxAway
        ));
    }
    if own_clash > 0 {
        reasons.push(format!(
            "the doctor's other hospital blocks take the months of {} ({})",
            blocks_word(own_clash),
            Rule::OnePlaceAtATime
        ));
    }
    if group_clash > 0 {
        reasons.push(format!(
            "with the doctor's other blocks, {} would leave neither guidance-group year in general practice ({})",
            blocks_word(group_clash),
            Rule::GroupPeriodInPractice
        ));
    }
    let window = problem.window(d);
    let head = format!(
        "{} between {} and {}",
        what(inst, &problem.parts(d)[mine[0].part]),
        window.first,
        window.last
    );
    let cheapest = open.iter().min_by(|a, b| {
        block_cost(problem, a)
            .total_cmp(&block_cost(problem, b))
            .then(a.start.cmp(&b.start))
    });
    match cheapest {
        None => {
            if reasons.is_empty() {
                reasons.push(format!(
                    "accepted placements of others take the room ({})",
                    Rule::LocksRespected
                ));
            }
            format!(
                "{head}: all {} possible blocks are taken: {}",
                mine.len(),
                reasons.join("; ")
            )
        }
        Some(c) => {
            let taken = if reasons.is_empty() {
                String::new()
            } else {
                format!(
                    "; {} of {} possible blocks are taken: {}",
                    mine.len() - open.len(),
                    mine.len(),
                    reasons.join("; ")
                )
            };
            format!("{head}: {}{taken}", open_block(problem, c))
        }
    }
}

/// What an open block (no other block of the plan stands in its way) would cost, and
/// whether that is more than leaving the part unplaced.
fn open_block(problem: &Problem, c: &Candidate) -> String {
    let inst = problem.inst;
    let cost = block_cost(problem, c);
    let at = format!(
        "possible at {} from {} ({} months)",
        inst.department_label(c.department),
        c.start,
        c.len
    );
    let mut terms: Vec<(&str, f64)> = block_costs(problem, c)
        .into_iter()
        .filter(|&(_, v)| v > 0.0)
        .collect();
    terms.sort_by(|a, b| b.1.total_cmp(&a.1));
    let named: Vec<String> = terms
        .iter()
        .take(3)
        .map(|&(name, v)| {
            if name == "preference" {
                format!(
                    "preference {} ({v:.0} NOK)",
                    inst.preference(c.doctor, c.department)
                )
            } else {
                format!("{name} {v:.0} NOK")
            }
        })
        .collect();
    let unplaced = inst.settings.weights.unplaced;
    if cost > unplaced {
        format!(
            "{at}, but costs more than leaving it unplaced ({unplaced:.0} NOK): {} ({})",
            named.join(", "),
            Rule::RequirementMet
        )
    } else {
        format!(
            "{at} at {cost:.0} NOK ({}), less than leaving it unplaced, yet not chosen ({})",
            named.join(", "),
            Rule::RequirementMet
        )
    }
}

/// Why no block allowed by the rules matches an accept decision: the rules that exclude
/// the blocks the decision could mean, in domain words.
pub fn why_no_block(problem: &Problem, travel: &Travel, lock: &Lock) -> String {
    let inst = problem.inst;
    let d = lock.doctor;
    let window = problem.window(d);
    let mut notes = Vec::new();
    if let (Some(h), Some(s)) = (lock.hospital, lock.specialty)
        && inst.department_id(h, s).is_none()
    {
        return format!(
            "{} has no {} department",
            inst.hospital(h).id,
            inst.specialty(s)
        );
    }
    if let Some(start) = lock.start {
        if !window.contains(start) {
            notes.push(format!("{start} is outside the doctor's window {window}"));
        }
        if let Some(m) = problem.not_before.filter(|&m| start < m) {
            notes.push(format!("{start} is before the re-plan month {m}"));
        }
    }
    let parts = problem.parts(d);
    let fits_a_part = parts.iter().any(|p| {
        lock.specialty
            .is_none_or(|s| p.specialty.is_none_or(|q| q == s))
            && lock.months.is_none_or(|n| p.block_lengths().contains(&n))
    });
    if !fits_a_part {
        let need: Vec<String> = parts
            .iter()
            .map(|p| {
                let s = p
                    .specialty
                    .map_or("any".to_string(), |s| inst.specialty(s).to_string());
                format!("{} months {s}", p.calendar_months)
            })
            .collect();
        let need = if need.is_empty() {
            "nothing left to place".to_string()
        } else {
            need.join(" + ")
        };
        notes.push(format!(
            "the doctor's requirement ({need}) has no such block"
        ));
    }
    if notes.is_empty() {
        for (p, part) in parts.iter().enumerate() {
            let (found, why) = candidates_matching(problem, travel, d, p, part, Some(lock));
            if !found.is_empty() {
                continue;
            }
            let suitable: Vec<DepartmentId> = inst
                .department_ids()
                .filter(|&k| {
                    let dept = inst.department(k);
                    part.specialty.is_none_or(|s| s == dept.specialty)
                        && lock.hospital.is_none_or(|h| h == dept.hospital)
                        && lock.specialty.is_none_or(|s| s == dept.specialty)
                })
                .collect();
            if !suitable.is_empty() {
                notes.extend(reasons(problem, travel, d, &suitable, &why));
            }
        }
    }
    if notes.is_empty() && problem.fixed.iter().any(|b| b.doctor == d) {
        notes.push("the doctor's blocks kept from the previous plan take those months".into());
    }
    notes.sort();
    notes.dedup();
    if notes.is_empty() {
        notes.push("every matching block breaks a rule".into());
    }
    notes.join("; ")
}
