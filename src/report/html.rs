//! The report page. Built with `maud`: every `(value)` is HTML-escaped, so names, reasons
//! and change descriptions from CSV files are always shown as text. The only unescaped
//! string is the constant style sheet below.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::ChangeKind;
use super::facts::{Facts, Placed};
use super::svg;
use crate::model::*;

const CSS: &str = include_str!("report.css");

/// Whole numbers with a no-break space between thousands: `1 440 000`.
pub(crate) fn thousands(x: u64) -> String {
    let digits = x.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

/// A figure with one decimal.
fn one(x: f64) -> String {
    format!("{x:.1}")
}

fn percent(gap: f64) -> String {
    format!("{:.2}\u{a0}%", gap * 100.0)
}

fn title(f: &Facts) -> String {
    if f.inst.settings.name.is_empty() {
        "Plan report".to_string()
    } else {
        format!("{} — plan report", f.inst.settings.name)
    }
}

/// The whole page.
pub(crate) fn page(f: &Facts) -> String {
    let inst = f.inst;
    let has_changes = f.plan.changes.is_some();
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(format!("alisplan {}", env!("CARGO_PKG_VERSION")));
                title { (title(f)) }
                style { (PreEscaped(CSS)) }
            }
            body {
                (patterns())
                header {
                    h1 { (title(f)) }
                    p.lead {
                        "Hospital service (sykehusår) and guidance groups of " (inst.doctors.len())
                        " ALIS doctors in " (inst.municipalities.len()) " municipalities; "
                        (inst.hospitals.len()) " hospitals with " (inst.departments.len())
                        " departments; planning horizon " span.nowrap { (inst.horizon()) } "."
                        @if let Some(from) = f.replan_from {
                            " "
                            strong { "This is a re-plan from " (from) "." }
                            " Months before it are history and did not change."
                        }
                    }
                }
                nav aria-label="Sections" {
                    ol {
                        li { a href="#figures" { "Key figures" } }
                        @if has_changes { li { a href="#changes" { "Changes" } } }
                        li { a href="#hospitals" { "Hospitals" } }
                        li { a href="#municipalities" { "Municipalities" } }
                        li { a href="#doctors" { "Doctors" } }
                        li { a href="#groups" { "Guidance groups and map" } }
                    }
                }
                main {
                    (figures(f))
                    @if has_changes { (changes(f)) }
                    (hospitals(f))
                    (municipalities(f))
                    (doctors(f))
                    (groups(f))
                }
                footer {
                    p {
                        "Made by alisplan " (env!("CARGO_PKG_VERSION"))
                        " from the instance and the plan folder alone; the same plan gives the same report. "
                        "Each doctor's calendar is in calendars/<doctor-id>.ics next to this file."
                    }
                }
            }
        }
    }
    .into_string()
}

/// Fill patterns shared by every picture (hatching for months without a slot and for
/// leave), in a zero-size SVG at the top of the page.
fn patterns() -> Markup {
    html! {
        svg.defs width="0" height="0" aria-hidden="true" focusable="false" {
            defs {
                pattern id="noslot" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)" {
                    rect width="6" height="6" fill="#eef0f2" {}
                    line x1="0" y1="0" x2="0" y2="6" stroke="#c3cad1" stroke-width="2" {}
                }
                pattern id="leave" patternUnits="userSpaceOnUse" width="5" height="5" patternTransform="rotate(45)" {
                    rect width="5" height="5" fill="#f5d565" {}
                    line x1="0" y1="0" x2="0" y2="5" stroke="#8a6d00" stroke-width="1.5" {}
                }
            }
        }
    }
}

fn card(value: impl maud::Render, label: impl maud::Render, detail: Option<String>) -> Markup {
    html! {
        div.card {
            div.value { (value) }
            div.label { (label) }
            @if let Some(d) = detail { div.detail { (d) } }
        }
    }
}

fn doctor_ids(f: &Facts, who: &[DoctorId]) -> String {
    who.iter()
        .map(|&d| f.inst.doctor(d).id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn figures(f: &Facts) -> Markup {
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

fn fairness(f: &Facts, c: &super::facts::CommuteFigures, groups: &[&Group]) -> Markup {
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

fn changes(f: &Facts) -> Markup {
    let inst = f.inst;
    let changes: Vec<&super::Change> = f.plan.changes.iter().flatten().collect();
    let mut doctors: Vec<DoctorId> = changes.iter().map(|c| c.doctor).collect();
    doctors.sort();
    doctors.dedup();
    html! {
        section #changes {
            h2 { "Changes against the previous plan" }
            p {
                @if let Some(from) = f.replan_from { "Re-planned from " strong { (from) } ". " }
                @if let Some(prev) = f.plan.replan_previous() { "Previous plan: " code { (prev) } ". " }
                (changes.len()) " change(s) for " (doctors.len()) " doctor(s)"
                @if !doctors.is_empty() { ": " (doctor_ids(f, &doctors)) }
                ". They are marked " span.badge.changed { "changed" } " in the doctor table and with "
                "a thick outline and " code { "*" } " on the timelines. Tell each of these doctors and their hospitals."
            }
            @if changes.is_empty() {
                p { "Nothing changed: the re-plan keeps the previous plan." }
            } @else {
                ul.kinds {
                    @for k in ChangeKind::ALL {
                        @let count = changes.iter().filter(|c| c.kind == k).count();
                        @if count > 0 { li { strong { (k) } ": " (count) " (" (k.meaning()) ")" } }
                    }
                }
                table.changes {
                    caption { "Every change (changes.csv)" }
                    thead { tr {
                        th scope="col" { "doctor" } th scope="col" { "name" } th scope="col" { "change" }
                        th scope="col" { "before" } th scope="col" { "after" }
                    } }
                    tbody {
                        @for c in &changes {
                            tr class=(format!("changed kind-{}", c.kind)) {
                                th scope="row" { a href=(format!("#doctor-{}", inst.doctor(c.doctor).id)) { (inst.doctor(c.doctor).id) } }
                                td { (inst.doctor(c.doctor).name) }
                                td { span.badge.changed { (c.kind) } " " (c.kind.meaning()) }
                                td { @if c.before.is_empty() { "–" } @else { (c.before) } }
                                td { @if c.after.is_empty() { "–" } @else { (c.after) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn hospitals(f: &Facts) -> Markup {
    let inst = f.inst;
    html! {
        section #hospitals {
            h2 { "Hospitals: who is where, month by month" }
            p {
                "One chart per hospital, one band per department. Each lane is a slot: white where the "
                "department has a slot that month, hatched grey where it has none. Bars are ALIS, labelled with the doctor's id. "
                "The row under each band gives slots used / slots per month."
            }
            (timeline_legend())
            @for h in inst.hospital_ids() {
                @let hosp = inst.hospital(h);
                @let months: u32 = f.plan.blocks.iter().filter(|b| inst.department(b.department).hospital == h).map(|b| b.months).sum();
                figure.hospital id=(format!("hospital-{}", hosp.id)) {
                    figcaption {
                        (hosp.name)
                        @if let Some(t) = &hosp.trust { span.muted { " — " (t) } }
                        span.muted { " — " (months) " ALIS month(s) in the plan" }
                    }
                    (svg::timeline(f, h))
                }
            }
        }
    }
}

fn timeline_legend() -> Markup {
    html! {
        ul.legend aria-label="Legend of the timelines" {
            li { span.swatch.s-bar {} "ALIS block (commutes daily)" }
            li { span.swatch.s-reloc {} "ALIS block, lives near the hospital during the week (label “wk”)" }
            li { span.swatch.s-changed {} "changed in a re-plan (thick outline, label “*”)" }
            li { span.swatch.s-leave {} "leave inside a block" }
            li { span.swatch.s-noslot {} "no slot that month" }
            li { span.swatch.s-part {} "some slots used" }
            li { span.swatch.s-full {} "all slots used" }
            li { span.swatch.s-over {} "over capacity (“!”)" }
            li { span.swatch.s-below {} "below the hospital's wished minimum (dashed)" }
        }
    }
}

const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn municipalities(f: &Facts) -> Markup {
    let inst = f.inst;
    let years: Vec<i32> = (f.span.first.year()..=f.span.last.year()).collect();
    html! {
        section #municipalities {
            h2 { "Municipalities: when their ALIS are away" }
            p {
                "A calendar per municipality. A month with a doctor id is a month that doctor is in hospital "
                "and the municipality needs a substitute (vikar). A month above the municipality's limit of ALIS "
                "away at once is marked “over”."
            }
            div.munis { @for m in inst.municipality_ids() {
                @let muni = inst.municipality(m);
                @let docs: Vec<DoctorId> = inst.doctors_of(m).collect();
                @if !docs.is_empty() {
                    @let months = f.substitute_months(m);
                    figure.municipality id=(format!("muni-{}", muni.id)) {
                        table.calendar {
                            caption {
                                (muni.name) " — " (docs.len()) " ALIS (" (doctor_ids(f, &docs)) "); "
                                (months) " substitute month(s), NOK " (thousands((f64::from(months) * muni.substitute_cost).round() as u64))
                                "; at most " (muni.max_away) " away at once"
                            }
                            thead { tr {
                                th scope="col" { "year" }
                                @for name in MONTH_NAMES { th scope="col" { (name) } }
                            } }
                            tbody {
                                @for &y in &years {
                                    tr {
                                        th scope="row" { (y) }
                                        @for mo in 1..=12u32 {
                                            @let month = Month::new(y, mo).expect("1..=12 is a month");
                                            @let who = f.away_in(m, month);
                                            @if who.is_empty() {
                                                td {}
                                            } @else {
                                                @let over = who.len() as u32 > muni.max_away;
                                                td class=(if over { "away over" } else { "away" }) {
                                                    @for &d in who {
                                                        @let b = f.blocks_of[d.index()].iter().find(|b| b.span().contains(month));
                                                        span.who title=(match b {
                                                            Some(b) => format!("{} {} at {}, {}", inst.doctor(d).id, inst.doctor(d).name,
                                                                inst.department_label(b.department), month),
                                                            None => format!("{} {}", inst.doctor(d).id, inst.doctor(d).name),
                                                        }) { (inst.doctor(d).id) }
                                                        " "
                                                    }
                                                    @if over { span.badge.warn { "over" } }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            } }
        }
    }
}

fn doctors(f: &Facts) -> Markup {
    let inst = f.inst;
    let has_changes = f.plan.changes.is_some();
    html! {
        section #doctors {
            h2 { "Doctors" }
            p {
                "One row per hospital block. Commute is the one-way daily travel from the doctor's home "
                "municipality; “yes” under relocates means the doctor lives near the hospital during the week. "
                "Each doctor's calendar (blocks and group period) is in " code { "calendars/<id>.ics" } "."
            }
            table.doctors {
                caption { "Placements, commute, relocation and guidance group per doctor" }
                thead { tr {
                    th scope="col" { "doctor" } th scope="col" { "name" } th scope="col" { "municipality" }
                    th scope="col" { "scheme" } th scope="col" { "hospital, department" } th scope="col" { "period" }
                    th.num scope="col" { "months" } th.num scope="col" { "commute (min)" } th scope="col" { "relocates" }
                    th scope="col" { "guidance group" }
                    @if has_changes { th scope="col" { "re-plan" } }
                } }
                tbody {
                    @for d in inst.doctor_ids() {
                        @let doc = inst.doctor(d);
                        @let blocks = &f.blocks_of[d.index()];
                        @let rows = blocks.len().max(1) + f.unplaced_of[d.index()].len().min(1) * usize::from(!blocks.is_empty());
                        @let changed = f.changed(d);
                        tr id=(format!("doctor-{}", doc.id)) class=(if changed { "first changed" } else { "first" }) {
                            th scope="row" rowspan=(rows) { (doc.id) }
                            td rowspan=(rows) { (doc.name) }
                            td rowspan=(rows) { (inst.municipality(doc.municipality).name) }
                            td rowspan=(rows) {
                                (doc.scheme)
                                @if doc.fte < 100 { ", " (doc.fte) "\u{a0}%" }
                            }
                            @if let Some(b) = blocks.first() {
                                (block_cells(f, b))
                            } @else {
                                td colspan="5" { (not_placed_text(f, d)) }
                            }
                            td rowspan=(rows) {
                                @if let Some((g, minutes)) = f.group_of[d.index()] {
                                    a href=(format!("#group-{}", g.id)) { (g.id) } " at " (inst.venues[g.venue.index()].name)
                                    ", " (minutes) " min"
                                } @else if let Some(p) = doc.group_period(inst.settings.groups.months) {
                                    span.muted { "period " (p) ", no group in this plan" }
                                } @else {
                                    "–"
                                }
                            }
                            @if has_changes {
                                td rowspan=(rows) {
                                    @for c in &f.changes_of[d.index()] {
                                        span.badge.changed title=(c.kind.meaning()) { (c.kind) } " "
                                    }
                                    @if !changed { "–" }
                                }
                            }
                        }
                        @for b in blocks.iter().skip(1) {
                            tr class=[changed.then_some("changed")] { (block_cells(f, b)) }
                        }
                        @if !blocks.is_empty() && !f.unplaced_of[d.index()].is_empty() {
                            tr class=[changed.then_some("changed")] { td colspan="5" { (not_placed_text(f, d)) } }
                        }
                    }
                }
            }
        }
    }
}

fn not_placed_text(f: &Facts, d: DoctorId) -> Markup {
    let inst = f.inst;
    let unplaced = &f.unplaced_of[d.index()];
    html! {
        span.badge.warn { "not placed" } " "
        @if unplaced.is_empty() {
            "no block and no reason given"
        } @else {
            @for (i, u) in unplaced.iter().enumerate() {
                @if i > 0 { "; " }
                (u.months) " month(s) " (u.specialty.map_or("any", |s| inst.specialty(s))) ": " (u.reason)
            }
        }
    }
}

fn block_cells(f: &Facts, b: &Block) -> Markup {
    let inst = f.inst;
    let dept = inst.department(b.department);
    html! {
        td { (inst.hospital(dept.hospital).name) ", " (inst.specialty(dept.specialty)) }
        td.period { (b.span()) }
        td.num { (b.months) }
        td.num { (b.commute_minutes) }
        td { @if b.relocate { "yes" } @else { "no" } }
    }
}

fn groups(f: &Facts) -> Markup {
    let inst = f.inst;
    let groups: Vec<&Group> = f.plan.groups.iter().flatten().collect();
    let gs = &inst.settings.groups;
    html! {
        section #groups {
            h2 { "Guidance groups and map" }
            @if groups.is_empty() {
                p { "This plan has no guidance groups (no groups.csv)." }
            } @else {
                p {
                    (groups.len()) " group(s) for the " (gs.months) "-month guidance-group period. "
                    "Travel is one way from the member's home municipality to the venue."
                }
            }
            @let (map, width) = svg::map(f);
            div.groups-layout {
                figure.map-figure style=(format!("width:{}px", svg::n(width.ceil()))) {
                    figcaption { "Map: hospitals, home municipalities, venues and supervisors; each group's members joined to its venue" }
                    (map)
                    ul.legend aria-label="Legend of the map" {
                        @for (i, g) in groups.iter().enumerate() {
                            @let (colour, dash) = svg::group_style(i);
                            li { (line_sample(colour, dash)) " group " (g.id) }
                        }
                        li { (symbol_sample("hosp")) " hospital" }
                        li { (symbol_sample("home")) " home municipality of ALIS" }
                        li { (symbol_sample("venue")) " venue" }
                        li { (symbol_sample("sup")) " supervisor's home (dotted line to the venue)" }
                        li { (symbol_sample("road")) " road" }
                        li { (symbol_sample("ferry")) " ferry" }
                    }
                }
                div.group-tables {
                    @for (i, g) in groups.iter().enumerate() {
                        (group_table(f, i, g))
                    }
                }
            }
        }
    }
}

fn group_table(f: &Facts, i: usize, g: &Group) -> Markup {
    let inst = f.inst;
    let gs = &inst.settings.groups;
    let venue = &inst.venues[g.venue.index()];
    let sup = &inst.supervisors[g.supervisor.index()];
    let (colour, dash) = svg::group_style(i);
    let total: u32 = g.members.iter().map(|m| m.1).sum();
    let worst = g.members.iter().map(|m| m.1).max().unwrap_or(0);
    html! {
        table.group id=(format!("group-{}", g.id)) {
            caption {
                (line_sample(colour, dash)) " "
                "Group " (g.id) " — meets at " (venue.name) ", led by " (sup.name) " (" (sup.id) "); "
                (g.members.len()) " members, travel mean "
                (one(f64::from(total) / g.members.len().max(1) as f64)) " min, worst " (worst) " min"
            }
            thead { tr {
                th scope="col" { "doctor" } th scope="col" { "name" } th scope="col" { "municipality" }
                th scope="col" { "group period" } th.num scope="col" { "travel (min)" }
                th.num scope="col" { "hospital months in the period" }
            } }
            tbody {
                @for &(d, minutes) in &g.members {
                    @let doc = inst.doctor(d);
                    @let period = doc.group_period(gs.months);
                    tr class=[f.changed(d).then_some("changed")] {
                        th scope="row" { a href=(format!("#doctor-{}", doc.id)) { (doc.id) } }
                        td { (doc.name) }
                        td { (inst.municipality(doc.municipality).name) }
                        td.period { (period.map_or("–".to_string(), |p| p.to_string())) }
                        td.num { (minutes) }
                        td.num {
                            (period.map_or(0, |p| f.blocks_of[d.index()].iter().map(|b| b.span().overlap(&p)).sum::<i32>()))
                        }
                    }
                }
            }
        }
    }
}

fn line_sample(colour: &str, dash: &str) -> Markup {
    html! {
        svg.sample width="36" height="10" viewBox="0 0 36 10" aria-hidden="true" {
            line x1="1" y1="5" x2="35" y2="5" stroke=(colour) stroke-dasharray=(dash) stroke-width="3" {}
        }
    }
}

fn symbol_sample(kind: &str) -> Markup {
    html! {
        svg.sample.map width="36" height="14" viewBox="0 0 36 14" aria-hidden="true" {
            @match kind {
                "hosp" => { rect.hosp x="14" y="3" width="8" height="8" {} }
                "home" => { circle.home cx="18" cy="7" r="4.5" {} }
                "venue" => { path.venue d="M18 0L25 7L18 14L11 7Z" {} }
                "sup" => { path.sup d="M18 1L23.5 11L12.5 11Z" {} }
                "road" => { g.net { line.road x1="1" y1="7" x2="35" y2="7" {} } }
                _ => { g.net { line.ferry x1="1" y1="7" x2="35" y2="7" {} } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1\u{a0}000");
        assert_eq!(thousands(1_440_000), "1\u{a0}440\u{a0}000");
    }
}
