//! The two group years of a doctor's guidance-group period. One of them is the practice
//! year: no hospital month, and, where leave allows, at least `min_practice_share` of its
//! months in general practice (not on leave). If leave leaves that share in neither year,
//! either year may be the practice year (and `check` warns). In a re-plan, a year that
//! already holds hospital months of a block begun before the re-plan month cannot be the
//! practice year, whatever leave is reported later.
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
    practice_years_after(inst, doc, |_| 0)
}

/// The doctor's two group years and which of them may be the practice year, given the
/// hospital months that blocks begun before a re-plan (history and running blocks) hold in
/// a year (`served`). Such a year can no longer be the practice year; the practice year is
/// one with no such months where leave leaves `min_practice_share` of it in practice, else
/// any year with no such months (the rule asks the share only where leave and the past
/// allow it). When the past holds hospital months in both years, no year may be the
/// practice year: nothing a plan does now can keep the rule, and nothing is asked.
pub fn practice_years_after(
    inst: &Instance,
    doc: &Doctor,
    served: impl Fn(&MonthRange) -> u32,
) -> Option<([MonthRange; 2], [bool; 2])> {
    let g = &inst.settings.groups;
    let years = doc.group_years(g.months)?;
    let enough = years.map(|y| {
        let len = y.len().max(1) as u32;
        f64::from(len - leave_in(doc, &y)) >= g.min_practice_share * f64::from(len)
    });
    let open = years.map(|y| served(&y) == 0);
    let may = [[enough[0] && open[0], enough[1] && open[1]], open]
        .into_iter()
        .find(|may| may.contains(&true))
        .unwrap_or([false, false]);
    Some((years, may))
}

/// Whether hospital service over `spans` keeps the group-year rule: some year that may be
/// the practice year (`years` and `may`, from [`practice_years`]) has no hospital month.
/// When no year may be it (the past broke the rule, see [`practice_years_after`]), nothing
/// is left to keep.
pub fn keeps_a_practice_year(
    (years, may): ([MonthRange; 2], [bool; 2]),
    spans: &[MonthRange],
) -> bool {
    may == [false, false]
        || (0..2).any(|k| may[k] && spans.iter().all(|s| s.overlap(&years[k]) == 0))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Leave, LeaveKind, Month, Source};

    fn month(s: &str) -> Month {
        s.parse().expect("a month")
    }

    /// alis-vest's V15 (group years 2027 and 2028) with leave taking 7 months of 2028.
    fn v15_on_leave_in_2028() -> (Instance, usize) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/alis-vest");
        let mut inst = crate::io::load_instance(&dir).expect("alis-vest loads");
        let d = inst.doctor_id("V15").expect("V15").index();
        for (from, to) in [("2028-02", "2028-04"), ("2028-08", "2028-10")] {
            inst.doctors[d].leave.push(Leave {
                range: MonthRange::new(month(from), month(to)),
                kind: LeaveKind::Sick,
                source: Source {
                    file: "leave.csv".into(),
                    line: 9,
                },
            });
        }
        (inst, d)
    }

    #[test]
    fn leave_picks_the_practice_year_unless_the_past_already_served_it() {
        let (inst, d) = v15_on_leave_in_2028();
        let doc = &inst.doctors[d];
        let (years, may) = practice_years(&inst, doc).expect("a group period");
        assert_eq!(
            years[0],
            MonthRange::new(month("2027-01"), month("2027-12"))
        );
        assert_eq!(may, [true, false], "2028 is 7/12 on leave");
        // A block begun before a re-plan holds 6 months of 2027: 2028 must be it.
        let served = |y: &MonthRange| if y.first == years[0].first { 6 } else { 0 };
        let after = practice_years_after(&inst, doc, served).expect("a group period");
        assert_eq!(after.1, [false, true]);
        let in_2027 = MonthRange::new(month("2027-01"), month("2027-06"));
        let in_2028 = MonthRange::new(month("2028-05"), month("2028-07"));
        assert!(keeps_a_practice_year(after, &[in_2027]));
        assert!(!keeps_a_practice_year(after, &[in_2027, in_2028]));
        // The past holds both years: nothing a plan does now can keep the rule.
        let both = practice_years_after(&inst, doc, |_| 1).expect("a group period");
        assert_eq!(both.1, [false, false]);
        assert!(keeps_a_practice_year(both, &[in_2027, in_2028]));
    }
}
