//! Splitting the previous plan at the re-plan month, against today's roster.
//!
//! - **History** (blocks that ended before `from`) stays as it was. Leave reported late
//!   inside such a block means its months were not all served: the block keeps its dates,
//!   its months of service drop, and the months it lost are planned again.
//! - **Running blocks** (started before `from`) continue at the same department from the
//!   same start, extended around new leave, as far as the rules allow: the doctor's commute
//!   must still be allowed, the department must have a slot, the block may not run past the
//!   doctor's latest end or the horizon, and a hospital may refuse an extension. A block
//!   that cannot go on ends early and the months it lost are planned again elsewhere.
//! - **Future blocks** are free to move, at a cost per change.
//! - **Leavers** (doctors no longer in `doctors.csv`): their future blocks are cancelled
//!   and a running block ends before `from`; their history stays in the previous plan.

use std::collections::BTreeMap;

use crate::io::plan::Previous;
use crate::model::plan::{BlockTerms, DepartedChange, Terms};
use crate::model::*;
use crate::travel::Travel;

/// What happened to a block of the previous plan that started before `from`.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub before: Block,
    pub after: Block,
    /// `Extended`, `EndedEarly` or `Interrupted`.
    pub kind: ChangeKind,
    /// Months of service the block lost against the previous plan (to be planned again).
    pub lost: u32,
    /// Why, in domain words.
    pub reason: String,
}

/// The previous plan split at the re-plan month.
#[derive(Clone, Debug, Default)]
pub struct Split {
    /// Blocks kept in place: history, and running blocks as they continue.
    pub fixed: Vec<Block>,
    /// Terms of fixed blocks served otherwise than today's instance says (fte before a
    /// change, make-ups of earlier plans).
    pub terms: Terms,
    /// Blocks starting at or after `from`: free to move.
    pub future: Vec<Block>,
    /// Blocks that started before `from` and changed: extended, ended early, interrupted.
    pub events: Vec<Event>,
    /// Blocks of doctors who left: cancelled or ended early.
    pub departed: Vec<DepartedChange>,
}

impl Split {
    /// A yearly plan on a reviewed plan: everything is future.
    pub fn all_future(blocks: Vec<Block>) -> Split {
        Split {
            future: blocks,
            ..Split::default()
        }
    }

    /// The event of the fixed block of doctor `d` that starts in `start`, if it changed.
    pub fn event(&self, d: DoctorId, start: Month) -> Option<&Event> {
        self.events
            .iter()
            .find(|e| e.after.doctor == d && e.after.start == start)
    }

    /// Fixed blocks that lost months of service and must be completed by a make-up
    /// block: (doctor, start) → the event.
    pub fn cut_short(&self) -> BTreeMap<(DoctorId, Month), &Event> {
        self.events
            .iter()
            .filter(|e| e.lost > 0)
            .map(|e| ((e.after.doctor, e.after.start), e))
            .collect()
    }
}

/// Split `previous` at `from` against today's instance (see the module documentation).
pub fn split_previous(
    inst: &Instance,
    travel: &Travel,
    previous: &Previous,
    from: Month,
    locks: &[Lock],
) -> Split {
    let mut split = Split::default();
    let mut started: Vec<&Block> = Vec::new();
    for b in &previous.blocks {
        if b.start >= from {
            split.future.push(b.clone());
        } else {
            started.push(b);
        }
    }
    // Earlier blocks keep their slot first when a department has too few for all.
    started.sort_by_key(|b| (b.start, b.doctor, b.department));
    for b in started {
        let doc = inst.doctor(b.doctor);
        let mut terms = previous
            .terms
            .get(&(b.doctor, b.start))
            .copied()
            .unwrap_or_default();
        let fte = previous.fte_of(inst, b);
        terms.fte = (fte != doc.fte).then_some(fte);
        if terms != BlockTerms::default() {
            split.terms.insert((b.doctor, b.start), terms);
        }
        let (kept, event) = if b.end < from {
            history(inst, b)
        } else {
            running(inst, travel, &split.fixed, b, from, locks)
        };
        split.fixed.push(kept);
        split.events.extend(event);
    }
    split.departed = departed(inst, previous, from);
    for d in inst.doctor_ids() {
        end_when_served(inst, &mut split, d, from);
    }
    sort_blocks(&mut split.fixed);
    split
}

/// requirement_met: a running block ends once the doctor has served what the requirement
/// now asks (it was reduced: fewer `hospital_months`, another scheme), at the earliest in
/// the month before `from`.
fn end_when_served(inst: &Instance, split: &mut Split, d: DoctorId, from: Month) {
    let doc = inst.doctor(d);
    let Some(k) = split
        .fixed
        .iter()
        .position(|b| b.doctor == d && b.start < from && b.end >= from)
    else {
        return;
    };
    let fte_of = |b: &Block| {
        split
            .terms
            .get(&(b.doctor, b.start))
            .and_then(|t| t.fte)
            .unwrap_or(doc.fte)
    };
    let need: u32 = doc.requirement.iter().map(|p| p.months * 100).sum();
    let served: u32 = split
        .fixed
        .iter()
        .filter(|b| b.doctor == d)
        .map(|b| b.months * fte_of(b))
        .sum();
    let fte = fte_of(&split.fixed[k]).max(1);
    let before = split.fixed[k].clone();
    let mut after = before.clone();
    let mut surplus = served.saturating_sub(need);
    while surplus >= fte && after.end >= from {
        if !doc.on_leave(after.end) {
            surplus -= fte;
            after.months -= 1;
        }
        after.end = after.end.plus(-1);
    }
    if after.end == before.end {
        return;
    }
    let reason = format!(
        "the requirement is now {} full-time months, served by {}",
        need / 100,
        after.end
    );
    split.fixed[k] = after.clone();
    match split
        .events
        .iter_mut()
        .find(|e| e.after.doctor == d && e.after.start == before.start)
    {
        Some(e) => {
            e.after = after;
            e.kind = ChangeKind::EndedEarly;
            e.reason = format!("{}; {reason}", e.reason);
        }
        None => split.events.push(Event {
            before,
            after,
            kind: ChangeKind::EndedEarly,
            lost: 0,
            reason,
        }),
    }
}

/// Months of block `b`'s span in which its doctor is not on leave.
fn service_months(inst: &Instance, b: &Block) -> u32 {
    let doc = inst.doctor(b.doctor);
    b.span().months().filter(|&m| !doc.on_leave(m)).count() as u32
}

/// history_kept: a block that ended before the re-plan month keeps its dates; leave
/// reported inside it since means those months were not served.
fn history(inst: &Instance, b: &Block) -> (Block, Option<Event>) {
    let served = service_months(inst, b);
    let kept = Block {
        months: served,
        ..b.clone()
    };
    let event = (served < b.months).then(|| {
        let leave: Vec<String> = inst
            .doctor(b.doctor)
            .leave
            .iter()
            .filter(|l| l.range.overlap(&b.span()) > 0)
            .map(|l| format!("{} leave {}", l.kind, l.range))
            .collect();
        Event {
            before: b.clone(),
            after: kept.clone(),
            kind: ChangeKind::Interrupted,
            lost: b.months - served,
            reason: format!(
                "{} reported inside the block: {served} of {} months were served",
                leave.join(", "),
                b.months
            ),
        }
    });
    (kept, event)
}

/// running_block_continues: a block running at `from` goes on at the same department from
/// the same start, serving its planned months around leave, for as long as the rules allow.
fn running(
    inst: &Instance,
    travel: &Travel,
    fixed: &[Block],
    b: &Block,
    from: Month,
    locks: &[Lock],
) -> (Block, Option<Event>) {
    let doc = inst.doctor(b.doctor);
    let dept = inst.department(b.department);
    let last_history = from.plus(-1);
    let served_before = MonthRange::new(b.start, last_history)
        .months()
        .filter(|&m| !doc.on_leave(m))
        .count() as u32;
    // The end that serves the planned months around the leave known today.
    let mut wanted = last_history;
    let mut remaining = b.months.saturating_sub(served_before);
    while remaining > 0 {
        wanted = wanted.plus(1);
        if !doc.on_leave(wanted) {
            remaining -= 1;
        }
    }
    let wanted = wanted.max(b.start);
    let (end, reason) = how_far(inst, travel, fixed, b, from, wanted, locks);
    // A block does not end on leave months after the re-plan month.
    let mut end = end.max(last_history).max(b.start);
    while end >= from && end > b.start && doc.on_leave(end) {
        end = end.plus(-1);
    }
    // A block that goes on past `from` is commuted to from today's home; one that ends
    // before it was served from where the doctor lived then.
    let minutes = travel.commute(inst, b.doctor, dept.hospital);
    let today = end >= from && minutes != u32::MAX;
    let mut after = Block {
        end,
        commute_minutes: if today { minutes } else { b.commute_minutes },
        relocate: if today {
            minutes > doc.max_commute
        } else {
            b.relocate
        },
        ..b.clone()
    };
    after.months = service_months(inst, &after);
    let lost = b.months.saturating_sub(after.months);
    let kind = match after.end.cmp(&b.end) {
        std::cmp::Ordering::Greater => Some(ChangeKind::Extended),
        std::cmp::Ordering::Less => Some(ChangeKind::EndedEarly),
        std::cmp::Ordering::Equal if lost > 0 => Some(ChangeKind::Interrupted),
        std::cmp::Ordering::Equal => None,
    };
    let reason = match reason.filter(|_| after.end < wanted) {
        Some(why) if wanted > b.end => format!("it was to be extended around leave, but {why}"),
        Some(why) => why,
        None if wanted > b.end => "extended around leave".to_string(),
        None => "leave inside the block was withdrawn: its planned months end sooner".to_string(),
    };
    let event = kind.map(|kind| Event {
        before: b.clone(),
        after: after.clone(),
        kind,
        lost,
        reason,
    });
    (after, event)
}

/// The last month block `b` may run to (at most `wanted`), and why it must stop sooner,
/// if it must: the commute is no longer allowed, the hospital refused the extension, the
/// extension would leave neither group year in practice, the doctor's window or the horizon
/// ends, or the department has no free slot.
fn how_far(
    inst: &Instance,
    travel: &Travel,
    fixed: &[Block],
    b: &Block,
    from: Month,
    wanted: Month,
    locks: &[Lock],
) -> (Month, Option<String>) {
    let doc = inst.doctor(b.doctor);
    let dept = inst.department(b.department);
    let label = inst.department_label(b.department);
    let stop_before = from.plus(-1);
    let minutes = travel.commute(inst, b.doctor, dept.hospital);
    if minutes == u32::MAX || (minutes > doc.max_commute && !doc.relocate) {
        return (
            stop_before,
            Some(format!(
                "from {} the commute to {} is {} min, above the doctor's limit of {} min, and the doctor has not agreed to relocate",
                inst.municipality(doc.municipality).name,
                inst.hospital(dept.hospital).name,
                if minutes == u32::MAX {
                    "impossible".to_string()
                } else {
                    minutes.to_string()
                },
                doc.max_commute
            )),
        );
    }
    let mut end = wanted;
    let mut why = None;
    let mut stop = |end: &mut Month, at: Month, reason: String| {
        if at < *end {
            *end = at;
            why = Some(reason);
        }
    };
    if wanted > b.end
        && let Some(lock) = locks.iter().find(|l| {
            l.doctor == b.doctor
                && l.decision == Decision::Reject
                && l.start.is_some()
                && l.matches(dept, b.start, b.months)
        })
    {
        stop(
            &mut end,
            b.end.max(stop_before),
            format!(
                "the hospital rejected the extension ({}): the block keeps its planned end",
                lock.source
            ),
        );
    }
    let others = fixed
        .iter()
        .filter(|f| f.doctor == b.doctor && f.start != b.start)
        .map(Block::span);
    // Every block here began before `from`: the years they hold cannot be the practice year.
    let served = |year: &MonthRange| {
        others
            .clone()
            .chain([b.span()])
            .flat_map(|s| s.first.through(s.last))
            .filter(|&m| year.contains(m) && !doc.on_leave(m))
            .count() as u32
    };
    if wanted > b.end
        && let Some((years, may)) = crate::groups::years::practice_years_after(inst, doc, served)
    {
        // group_period_in_practice: the block may run on only while one of the doctor's
        // group years that may be the practice year keeps no hospital month.
        let keeps = |last: Month| {
            let spans: Vec<MonthRange> = others
                .clone()
                .chain([MonthRange::new(b.start, last)])
                .collect();
            crate::groups::years::keeps_a_practice_year((years, may), &spans)
        };
        let first_break = MonthRange::new(b.end.plus(1), wanted)
            .months()
            .find(|&m| !keeps(m));
        if let Some(m) = first_break.filter(|_| keeps(b.end)) {
            stop(
                &mut end,
                m.plus(-1).max(stop_before),
                format!(
                    "running into {m} would leave neither guidance-group year in general practice ({})",
                    crate::rules::Rule::GroupPeriodInPractice
                ),
            );
        }
    }
    if wanted > doc.window.last {
        stop(
            &mut end,
            doc.window.last.max(stop_before),
            format!(
                "the doctor's hospital service must end by {} (latest_end)",
                doc.window.last
            ),
        );
    }
    if wanted > inst.horizon().last {
        stop(
            &mut end,
            inst.horizon().last,
            format!("the horizon ends in {}", inst.horizon().last),
        );
    }
    for m in MonthRange::new(from, wanted.max(from)).months() {
        if m > end {
            break;
        }
        if doc.on_leave(m) {
            continue;
        }
        let slots = dept.capacity_in(m);
        let taken = fixed
            .iter()
            .filter(|f| f.department == b.department && f.span().contains(m))
            .filter(|f| !inst.doctor(f.doctor).on_leave(m))
            .count() as u32;
        if taken >= slots {
            stop(
                &mut end,
                m.plus(-1).max(stop_before),
                if slots == 0 {
                    format!("{label} has no slot in {m}")
                } else {
                    format!(
                        "{label} has {slots} slot(s) in {m}, all taken by blocks that started earlier"
                    )
                },
            );
            break;
        }
    }
    (end, why)
}

/// The blocks of doctors who left the programme: future blocks are cancelled, a running
/// block ends before `from`; history stays in the previous plan.
fn departed(inst: &Instance, previous: &Previous, from: Month) -> Vec<DepartedChange> {
    let mut out = Vec::new();
    for d in &previous.departed {
        let municipality = previous
            .roster_entry(&d.id)
            .and_then(|e| inst.municipality_id(&e.municipality));
        for s in &d.blocks {
            if s.span.last < from {
                continue;
            }
            let (after, kind) = if s.span.first >= from {
                (None, ChangeKind::Cancelled)
            } else {
                (
                    Some(Stint {
                        department: s.department,
                        span: MonthRange::new(s.span.first, from.plus(-1)),
                    }),
                    ChangeKind::EndedEarly,
                )
            };
            out.push(DepartedChange {
                doctor: d.id.clone(),
                municipality,
                before: *s,
                after,
                kind,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::plan::DepartedDoctor;
    use crate::replan::testing::{add_leave, block, close, month, vest};

    /// V04's block as `plan instances/alis-vest` places it.
    fn v04_in_stord(inst: &Instance) -> Block {
        block(inst, "V04", "stord-sjukehus/medicine", "2027-07", "2028-02")
    }

    fn split(inst: &Instance, blocks: Vec<Block>, from: &str) -> Split {
        let previous = Previous {
            blocks,
            ..Previous::default()
        };
        split_previous(inst, &Travel::new(inst), &previous, month(from), &[])
    }

    #[test]
    fn leave_reported_inside_a_served_block_interrupts_it_and_keeps_its_dates() {
        let mut inst = vest();
        let served = block(
            &inst,
            "V12",
            "forde-sjukehus/psychiatry",
            "2027-01",
            "2027-06",
        );
        add_leave(&mut inst, "V12", "2027-03", "2027-04");
        let s = split(&inst, vec![served.clone()], "2027-08");
        assert_eq!(s.fixed.len(), 1);
        assert_eq!(
            (s.fixed[0].start, s.fixed[0].end),
            (served.start, served.end)
        );
        assert_eq!(s.fixed[0].months, 4);
        assert_eq!(s.events[0].kind, ChangeKind::Interrupted);
        assert_eq!(s.events[0].lost, 2);
        assert_eq!(s.cut_short().len(), 1);
    }

    #[test]
    fn a_running_block_ends_before_the_first_month_its_department_has_no_slot() {
        let mut inst = vest();
        let running = v04_in_stord(&inst);
        close(&mut inst, "stord-sjukehus/medicine", "2027-11", "2028-06");
        let s = split(&inst, vec![running], "2027-10");
        assert_eq!(s.fixed[0].end, month("2027-10"));
        assert_eq!(s.fixed[0].months, 4);
        let e = &s.events[0];
        assert_eq!((e.kind, e.lost), (ChangeKind::EndedEarly, 4));
        assert!(e.reason.contains("no slot in 2027-11"), "{}", e.reason);
    }

    #[test]
    fn a_running_block_is_extended_around_leave_but_not_past_latest_end() {
        let mut inst = vest();
        let running = block(&inst, "V14", "voss-sjukehus/medicine", "2027-08", "2028-01");
        add_leave(&mut inst, "V14", "2027-10", "2027-12");
        let s = split(&inst, vec![running.clone()], "2027-10");
        assert_eq!(s.fixed[0].end, month("2028-04"), "three months longer");
        assert_eq!(
            (s.events[0].kind, s.events[0].lost),
            (ChangeKind::Extended, 0)
        );
        let d = inst.doctor_id("V14").unwrap();
        inst.doctors[d.index()].window.last = month("2028-03");
        let s = split(&inst, vec![running], "2027-10");
        assert_eq!(s.fixed[0].end, month("2028-03"));
        assert_eq!(s.events[0].lost, 1);
        assert!(
            s.events[0].reason.contains("latest_end"),
            "{}",
            s.events[0].reason
        );
    }

    #[test]
    fn a_running_block_stops_before_it_would_leave_neither_group_year_in_practice() {
        let mut inst = vest();
        // V14's group years: 2027-09..2028-08 and 2028-09..2029-08.
        let d = inst.doctor_id("V14").unwrap();
        inst.doctors[d.index()].group_from = Some(month("2027-09"));
        let running = block(&inst, "V14", "voss-sjukehus/medicine", "2028-03", "2028-08");
        add_leave(&mut inst, "V14", "2028-05", "2028-07");
        let s = split(&inst, vec![running], "2028-05");
        assert_eq!(s.fixed[0].end, month("2028-08"), "keeps its planned end");
        assert_eq!(s.events[0].lost, 3);
        assert!(
            s.events[0].reason.contains("group_period_in_practice"),
            "{}",
            s.events[0].reason
        );
    }

    #[test]
    fn a_hospital_that_rejects_the_extension_keeps_the_planned_end() {
        let mut inst = vest();
        let running = block(&inst, "V14", "voss-sjukehus/medicine", "2027-08", "2028-01");
        add_leave(&mut inst, "V14", "2027-10", "2027-12");
        let reject = Lock {
            doctor: running.doctor,
            hospital: Some(inst.department(running.department).hospital),
            specialty: None,
            start: Some(running.start),
            months: None,
            decision: Decision::Reject,
            source: Source {
                file: "locks.csv".into(),
                line: 2,
            },
        };
        let previous = Previous {
            blocks: vec![running.clone()],
            ..Previous::default()
        };
        let s = split_previous(
            &inst,
            &Travel::new(&inst),
            &previous,
            month("2027-10"),
            &[reject],
        );
        assert_eq!(s.fixed[0].end, running.end);
        assert_eq!(
            (s.events[0].kind, s.events[0].lost),
            (ChangeKind::Interrupted, 3)
        );
        assert!(s.events[0].reason.contains("locks.csv, line 2"));
    }

    #[test]
    fn a_running_block_ends_once_a_reduced_requirement_is_served() {
        // V04 (80 %) was planned 8 months for 6 full-time months. Now 4 are required: 5
        // months at 80 % serve them, so the block ends after its fifth month.
        let mut inst = vest();
        let running = v04_in_stord(&inst);
        let d = running.doctor;
        for p in &mut inst.doctors[d.index()].requirement {
            p.months = 4;
            p.calendar_months = 5;
        }
        let s = split(&inst, vec![running], "2027-10");
        assert_eq!(s.fixed[0].end, month("2027-11"));
        assert_eq!(s.fixed[0].months, 5);
        assert_eq!(s.events[0].kind, ChangeKind::EndedEarly);
        assert!(
            s.events[0].reason.contains("now 4 full-time months"),
            "{}",
            s.events[0].reason
        );
    }

    #[test]
    fn a_leaver_s_future_blocks_are_cancelled_and_a_running_one_ends_before_from() {
        let inst = vest();
        let stint = |dept: &str, a: &str, b: &str| block(&inst, "V03", dept, a, b).stint();
        let previous = Previous {
            departed: vec![DepartedDoctor {
                id: "V99".into(),
                blocks: vec![
                    stint("stord-sjukehus/surgery", "2027-01", "2027-03"),
                    stint("stord-sjukehus/surgery", "2027-04", "2027-09"),
                    stint("stord-sjukehus/medicine", "2028-01", "2028-06"),
                ],
                group: None,
            }],
            ..Previous::default()
        };
        let s = split_previous(&inst, &Travel::new(&inst), &previous, month("2027-07"), &[]);
        let kinds: Vec<(ChangeKind, Option<MonthRange>)> = s
            .departed
            .iter()
            .map(|c| (c.kind, c.after.map(|a| a.span)))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (
                    ChangeKind::EndedEarly,
                    Some(MonthRange::new(month("2027-04"), month("2027-06")))
                ),
                (ChangeKind::Cancelled, None),
            ]
        );
    }
}
