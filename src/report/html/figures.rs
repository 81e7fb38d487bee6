//! Key figures: the cards at the top and the fairness section.

use maud::{Markup, html};

use super::*;

pub(super) fn figures(f: &Facts) -> Markup {
    let inst = f.inst;
    let count = |p: Placed| inst.doctor_ids().filter(|&d| f.placed(d) == p).count();
    let (full, partly, not, missing) = (
        count(Placed::Full),
        count(Placed::Partly),
        count(Placed::Unplaced),
        count(Placed::Missing),
    );
    let c = f.commute();
    let substitute: Vec<(MunicipalityId, u32)> = inst
        .municipality_ids()
        .map(|m| (m, f.substitute_months(m)))
        .collect();
    let sub_months: u32 = substitute.iter().map(|s| s.1).sum();
    let sub_cost: f64 = substitute
        .iter()
        .map(|&(m, months)| f64::from(months) * inst.municipality(m).substitute_cost)
        .sum();
    let solver_value = if f.solves.is_empty() {
        "unknown".to_string()
    } else if f.solves.iter().all(|s| s.proven_optimal()) {
        "proven optimal".to_string()
    } else {
        let worst = f.solves.iter().filter_map(|s| s.gap).fold(0.0f64, f64::max);
        format!("gap {}", percent(worst))
    };
    let solver_label = if f.solves.is_empty() {
        "no summary.json in the plan folder".to_string()
    } else {
        f.solves
            .iter()
            .map(|s| format!("{}: {}", s.part, s.status_words()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let groups: Vec<&Group> = f.plan.groups.iter().flatten().collect();
    html! {
        section #figures {
            h2 { "Key figures" }
            div.cards {
                (card(format!("{full} of {}", inst.doctors.len()), "doctors placed in full",
                    (partly + not + missing > 0).then(|| format!("{partly} partly placed, {not} not placed{}",
                        if missing > 0 { format!(", {missing} missing without a reason") } else { String::new() }))))
                (card(solver_value, "solver result", Some(solver_label)))
                (card(c.hospital_months, "hospital months in the plan", None))
                (card(c.mean_daily().map_or("–".to_string(), |m| format!("{} min", one(m))),
                    "mean daily commute, one way", Some(format!("total {} commute-minute-months", thousands(c.minute_months)))))
                (card(c.worst.map_or("–".to_string(), |b| format!("{} min", b.commute_minutes)),
                    "worst daily commute, one way",
                    c.worst.map(|b| format!("{} to {}", inst.doctor(b.doctor).id, f.hospital_of(b).name))))
                (card(c.relocated.len(), "doctors living near the hospital during the week",
                    Some(format!("{} month(s)", c.relocated_months))))
                (card(sub_months, "substitute months in the municipalities",
                    Some(format!("NOK {}", thousands(sub_cost.round() as u64)))))
                @if !groups.is_empty() {
                    (card(groups.len(), "guidance groups",
                        Some(format!("{} members", groups.iter().map(|g| g.members.len()).sum::<usize>()))))
                }
                (card(if f.violations.is_empty() { "passes".to_string() } else { format!("{} broken", f.violations.len()) },
                    "independent check of every rule", None))
            }

            h3 { "Solver" }
            @if f.solves.is_empty() {
                p.note { "This plan folder has no summary.json, so the solver status, bound and gap are not known." }
            } @else {
                table {
                    caption { "How each part was solved (from summary.json, which also gives the solve time)" }
                    thead { tr {
                        th scope="col" { "part" } th scope="col" { "status" }
                        th.num scope="col" { "objective" } th.num scope="col" { "best bound" }
                        th.num scope="col" { "gap" }
                        th.num scope="col" { "variables" } th.num scope="col" { "constraints" }
                    } }
                    tbody {
                        @for s in &f.solves {
                            tr {
                                th scope="row" { (s.part) }
                                td {
                                    @if s.proven_optimal() { span.ok { "✓ " } } @else { span.warn { "! " } }
                                    (s.status_words())
                                }
                                td.num { (s.objective.map_or("–".into(), |v| format!("{v:.1}"))) }
                                td.num { (s.bound.map_or("–".into(), |v| format!("{v:.1}"))) }
                                td.num { (s.gap.map_or("–".into(), percent)) }
                                td.num { (s.variables.map_or("–".into(), |v| format!("{v:.0}"))) }
                                td.num { (s.constraints.map_or("–".into(), |v| format!("{v:.0}"))) }
                            }
                        }
                    }
                }
                @for s in f.solves.iter().filter(|s| !s.terms.is_empty()) {
                    table.terms {
                        caption { "Objective terms: " (s.part) }
                        thead { tr { th scope="col" { "term" } th.num scope="col" { "cost points" } } }
                        tbody {
                            @for (name, value) in &s.terms {
                                tr { th scope="row" { (name.replace('_', " ")) } td.num { (format!("{value:.1}")) } }
                            }
                        }
                    }
                }
            }

            h3 { "Not placed" }
            @if f.plan.unplaced.is_empty() && missing == 0 {
                p { "Every doctor's hospital requirement is placed." }
            } @else {
                table {
                    caption { "Requirement parts the plan could not place, and why" }
                    thead { tr {
                        th scope="col" { "doctor" } th scope="col" { "name" } th scope="col" { "specialty" }
                        th.num scope="col" { "months" } th scope="col" { "reason" }
                    } }
                    tbody {
                        @for u in &f.plan.unplaced {
                            tr {
                                th scope="row" { (inst.doctor(u.doctor).id) }
                                td { (inst.doctor(u.doctor).name) }
                                td { (u.specialty.map_or("any", |s| inst.specialty(s))) }
                                td.num { (u.months) }
                                td { (u.reason) }
                            }
                        }
                        @for d in inst.doctor_ids().filter(|&d| f.placed(d) == Placed::Missing) {
                            tr {
                                th scope="row" { (inst.doctor(d).id) }
                                td { (inst.doctor(d).name) }
                                td { "–" }
                                td.num { (inst.doctor(d).required_calendar_months()) }
                                td { "no block in placements.csv and no reason in unplaced.csv" }
                            }
                        }
                    }
                }
            }

            h3 { "Substitute months per municipality" }
            table {
                caption { "Months each municipality's ALIS are in hospital, when it needs a substitute (vikar)" }
                thead { tr {
                    th scope="col" { "municipality" } th.num scope="col" { "ALIS" }
                    th.num scope="col" { "substitute months" } th.num scope="col" { "most away at once" }
                    th.num scope="col" { "allowed at once" } th.num scope="col" { "substitute cost (NOK)" }
                } }
                tbody {
                    @for &(m, months) in &substitute {
                        @let muni = inst.municipality(m);
                        @let alis = inst.doctors_of(m).count();
                        @let peak = f.months().map(|mo| f.away_in(m, mo).len()).max().unwrap_or(0);
                        @if alis > 0 {
                            tr {
                                th scope="row" { a href=(format!("#muni-{}", muni.id)) { (muni.name) } }
                                td.num { (alis) }
                                td.num { (months) }
                                td.num {
                                    (peak)
                                    @if peak as u32 > muni.max_away { " " span.badge.warn { "over the limit" } }
                                }
                                td.num { (muni.max_away) }
                                td.num { (thousands((f64::from(months) * muni.substitute_cost).round() as u64)) }
                            }
                        }
                    }
                }
                tfoot { tr {
                    th scope="row" { "all" } td.num { (inst.doctors.len()) } td.num { (sub_months) }
                    td {} td {} td.num { (thousands(sub_cost.round() as u64)) }
                } }
            }

            h3 { "Fairness" }
            (fairness(f, &c, &groups))

            h3 { "Independent check" }
            @if f.violations.is_empty() {
                p { span.ok { "✓ " } "The plan passes every rule of " code { "alisplan verify" }
                    " (windows, leave, capacity, start months, commute, municipality limits, group rules, review decisions)." }
            } @else {
                p { span.warn { "! " } "The plan breaks " (f.violations.len()) " rule(s):" }
                ul.violations {
                    @for v in &f.violations { li { (v.to_string()) } }
                }
            }
        }
    }
}

pub(super) fn fairness(
    f: &Facts,
    c: &crate::report::facts::CommuteFigures,
    groups: &[&Group],
) -> Markup {
    let inst = f.inst;
    let mut wished = 0u32;
    let mut avoided = 0u32;
    let mut with_wishes = Vec::new();
    let mut wish_met = Vec::new();
    for d in inst.doctor_ids() {
        if !inst
            .preferences
            .iter()
            .any(|p| p.doctor == d && p.weight > 0.0)
        {
            continue;
        }
        with_wishes.push(d);
        if f.blocks_of[d.index()]
            .iter()
            .any(|b| inst.preference(d, b.department) > 0.0)
        {
            wish_met.push(d);
        }
    }
    for b in &f.plan.blocks {
        let w = inst.preference(b.doctor, b.department);
        if w > 0.0 {
            wished += b.months;
        } else if w < 0.0 {
            avoided += b.months;
        }
    }
    let travel: Vec<(u32, DoctorId)> = groups
        .iter()
        .flat_map(|g| g.members.iter().map(|&(d, m)| (m, d)))
        .collect();
    let worst_travel = travel.iter().max();
    let mean_travel = (!travel.is_empty())
        .then(|| travel.iter().map(|t| f64::from(t.0)).sum::<f64>() / travel.len() as f64);
    let sizes = groups.iter().map(|g| g.members.len());
    let (smallest, largest) = (sizes.clone().min(), sizes.max());
    let solver_fairness: Vec<(&str, &(String, String))> = f
        .solves
        .iter()
        .flat_map(|s| s.fairness.iter().map(move |x| (s.part.as_str(), x)))
        .collect();
    html! {
        table {
            caption { "How evenly the burdens fall" }
            thead { tr { th scope="col" { "measure" } th scope="col" { "value" } } }
            tbody {
                tr {
                    th scope="row" { "daily commute per doctor (one way, mean over the months served from home)" }
                    td {
                        @match (c.per_doctor.first(), c.median_doctor(), c.per_doctor.last()) {
                            (Some(lo), Some(mid), Some(hi)) => {
                                "shortest " (one(*lo)) " min, median " (one(mid)) " min, longest " (one(*hi)) " min"
                            }
                            _ => { "no doctor commutes daily" }
                        }
                    }
                }
                tr {
                    th scope="row" { "worst daily commute" }
                    td {
                        @if let Some(b) = c.worst {
                            (b.commute_minutes) " min: " (inst.doctor(b.doctor).id) " " (inst.doctor(b.doctor).name)
                            " to " (f.hospital_of(b).name) " (limit " (inst.doctor(b.doctor).max_commute) " min)"
                        } @else { "–" }
                    }
                }
                tr {
                    th scope="row" { "doctors living near the hospital during the week" }
                    td {
                        (c.relocated.len()) " of " (inst.doctors.len())
                        @if !c.relocated.is_empty() { " (" (doctor_ids(f, &c.relocated)) "), " (c.relocated_months) " month(s)" }
                    }
                }
                tr {
                    th scope="row" { "wishes met" }
                    td {
                        (wish_met.len()) " of " (with_wishes.len()) " doctors with a wish serve at a wished hospital; "
                        (wished) " month(s) at wished hospitals, " (avoided) " month(s) at hospitals a doctor wished to avoid"
                    }
                }
                @if let (Some(lo), Some(hi)) = (smallest, largest) {
                    tr {
                        th scope="row" { "guidance-group sizes" }
                        td { (lo) " to " (hi) " members (allowed " (inst.settings.groups.min_size) "–" (inst.settings.groups.max_size) ")" }
                    }
                }
                @if let (Some(mean), Some((worst, d))) = (mean_travel, worst_travel) {
                    tr {
                        th scope="row" { "travel to the group venue (one way)" }
                        td { "mean " (one(mean)) " min, worst " (worst) " min (" (inst.doctor(*d).id) " " (inst.doctor(*d).name) ")" }
                    }
                }
                @for (part, (name, value)) in &solver_fairness {
                    tr { th scope="row" { (name.replace('_', " ")) " (" (part) ", from summary.json)" } td { (value) } }
                }
            }
        }
    }
}
