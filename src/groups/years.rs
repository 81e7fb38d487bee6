//! The two group years of a doctor's guidance-group period. One of them is the practice
//! year: no hospital month, and, where leave allows, at least `min_practice_share` of its
//! months in general practice (not on leave). If leave leaves that share in neither year,
//! either year may be the practice year (and `check` warns).
//!
//! Also what `check` says before any plan exists: whether the hospital months still fit
//! beside a practice year, and how much of each group year leave takes.

use crate::model::{Doctor, Instance, MonthRange};
use crate::rules::Rule;

/// Months of `range` the doctor is on leave.
fn leave_in(doc: &Doctor, range: &MonthRange) -> u32 {
    range.months().filter(|&m| doc.on_leave(m)).count() as u32
}

/// The doctor's two group years and which of them may be the practice year, if the doctor
/// has a group period.
pub fn practice_years(inst: &Instance, doc: &Doctor) -> Option<([MonthRange; 2], [bool; 2])> {
    let g = &inst.settings.groups;
    let years = doc.group_years(g.months)?;
    let share = years.map(|y| {
        let len = y.len().max(1) as u32;
        f64::from(len - leave_in(doc, &y)) / f64::from(len)
    });
    let enough = share.map(|s| s >= g.min_practice_share);
    Some((
        years,
        if enough == [false, false] {
            [true, true]
        } else {
            enough
        },
    ))
}

/// Whether hospital service over `spans` keeps the group-year rule: some year that may be
/// the practice year (`years` and `may`, from [`practice_years`]) has no hospital month.
pub fn keeps_a_practice_year(
    (years, may): ([MonthRange; 2], [bool; 2]),
    spans: &[MonthRange],
) -> bool {
    (0..2).any(|k| may[k] && spans.iter().all(|s| s.overlap(&years[k]) == 0))
}

/// A warning when the doctor's hospital months cannot fit outside one of the group years:
/// at most one group year may hold hospital months, so the months of the window outside the
/// period and in the roomier year, less leave, must hold them all.
pub fn room_for_hospital(inst: &Instance, doc: &Doctor) -> Option<String> {
    let (years, may) = practice_years(inst, doc)?;
    let free = |m| doc.window.contains(m) && !doc.on_leave(m);
    let outside = doc
        .window
        .months()
        .filter(|&m| !years.iter().any(|y| y.contains(m)) && !doc.on_leave(m))
        .count() as u32;
    // The hospital months may fill the year that is not the practice year.
    let in_year = years.map(|y| y.months().filter(|&m| free(m)).count() as u32);
    let best = (0..2)
        .filter(|&k| may[1 - k])
        .map(|k| in_year[k])
        .max()
        .unwrap_or(0);
    let need = doc.required_calendar_months();
    (need > outside + best).then(|| {
        format!(
            "doctor {}: {need} hospital months are needed, but only {outside} free months of the window lie outside the guidance-group years {} and {}, and at most one group year ({best} free months at most) may hold hospital months, the other being spent in practice ({})",
            doc.id,
            years[0],
            years[1],
            Rule::GroupPeriodInPractice
        )
    })
}

/// The leave inside the doctor's group period, as a line for `check`, and a warning when
/// leave leaves less than `[groups] min_practice_share` of either group year in practice.
pub fn leave_in_period(inst: &Instance, doc: &Doctor) -> Option<(String, Option<String>)> {
    let g = &inst.settings.groups;
    let years = doc.group_years(g.months)?;
    let leave = years.map(|y| leave_in(doc, &y));
    if leave == [0, 0] {
        return None;
    }
    let year = years[0].len().max(1) as u32;
    let line = format!(
        "{}: {} month(s) of leave in group year 1 ({}), {} in group year 2 ({})",
        doc.id, leave[0], years[0], leave[1], years[1]
    );
    let practice = year - leave[0].min(leave[1]);
    let share = f64::from(practice) / f64::from(year);
    let warning = (share < g.min_practice_share).then(|| {
        format!(
            "doctor {}: leave leaves at most {practice} of the {year} months of either guidance-group year in general practice ({:.0} %), below min_practice_share = {:.0} %; either year may then be the practice year ({})",
            doc.id,
            share * 100.0,
            g.min_practice_share * 100.0,
            Rule::GroupPeriodInPractice
        )
    });
    Some((line, warning))
}
