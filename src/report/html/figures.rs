//! Key figures: the cards at the top and the fairness section.

use maud::{Markup, html};

use super::*;

pub(super) fn figures(f: &Facts) -> Markup {
    let inst = f.inst;
    let r = f.r;
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
        r.solver_unknown.to_string()
    } else if f.solves.iter().all(|s| s.proven_optimal()) {
        r.status_optimal.to_string()
    } else {
        let worst = f.solves.iter().filter_map(|s| s.gap).fold(0.0f64, f64::max);
        fill(r.gap_value, &[("gap", &percent(worst))])
    };
    let solver_label = if f.solves.is_empty() {
        r.no_summary.to_string()
    } else {
        f.solves
            .iter()
            .map(|s| format!("{}: {}", s.part_words(r), s.status_words(r)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let groups: Vec<&Group> = f.plan.groups.iter().flatten().collect();
    let x_of_y = |x: &dyn std::fmt::Display, y: &dyn std::fmt::Display| {
        fill(r.x_of_y, &[("x", x), ("y", y)])
    };
    let placed_detail = (partly + not + missing > 0).then(|| {
        let mut d = fill(r.card_placed_detail, &[("partly", &partly), ("not", &not)]);
        if missing > 0 {
            d.push_str(&fill(r.card_missing_detail, &[("missing", &missing)]));
        }
        d
    });
    html! {
        section #figures {
            h2 { (r.nav_figures) }
            div.cards {
                (card(x_of_y(&full, &inst.doctors.len()), r.card_placed, placed_detail))
                (card(solver_value, r.card_solver, Some(solver_label)))
                (card(c.hospital_months, r.card_months, None))
                (card(c.mean_daily().map_or("–".to_string(), |m| format!("{} min", one(m))),
                    r.card_mean_commute, Some(fill(r.card_mean_detail, &[("total", &thousands(c.minute_months))]))))
                (card(c.worst.map_or("–".to_string(), |b| format!("{} min", b.commute_minutes)),
                    r.card_worst,
                    c.worst.map(|b| fill(r.card_worst_detail, &[("doctor", &inst.doctor(b.doctor).id), ("hospital", &f.hospital_of(b).name)]))))
                (card(c.relocated.len(), r.card_relocated,
                    Some(fill(r.months_count, &[("months", &c.relocated_months)]))))
                (card(sub_months, r.card_substitute, Some(nok(f, sub_cost))))
                @if !groups.is_empty() {
                    (card(groups.len(), r.card_groups,
                        Some(fill(r.members_count, &[("members", &groups.iter().map(|g| g.members.len()).sum::<usize>())]))))
                }
                (card(if f.violations.is_empty() { r.check_passes.to_string() } else { fill(r.check_broken, &[("count", &f.violations.len())]) },
                    r.card_check, None))
            }

            h3 { (r.solver_title) }
            @if f.solves.is_empty() {
                p.note { (r.solver_none) }
            } @else {
                table {
                    caption { (r.solver_caption) }
                    thead { tr {
                        th scope="col" { (r.col_part) } th scope="col" { (r.col_status) }
                        th.num scope="col" { (r.col_objective) } th.num scope="col" { (r.col_bound) }
                        th.num scope="col" { (r.col_gap) }
                        th.num scope="col" { (r.col_variables) } th.num scope="col" { (r.col_constraints) }
                    } }
                    tbody {
                        @for s in &f.solves {
                            tr {
                                th scope="row" { (s.part_words(r)) }
                                td {
                                    @if s.proven_optimal() { span.ok { "✓ " } } @else { span.warn { "! " } }
                                    (s.status_words(r))
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
                        caption { (fill(r.terms_caption, &[("part", &s.part_words(r))])) }
                        thead { tr { th scope="col" { (r.col_term) } th.num scope="col" { (r.col_points) } } }
                        tbody {
                            @for (name, value) in &s.terms {
                                tr { th scope="row" { (name.replace('_', " ")) } td.num { (format!("{value:.1}")) } }
                            }
                        }
                    }
                }
            }

            h3 { (r.unplaced_title) }
            @if f.plan.unplaced.is_empty() && missing == 0 {
                p { (r.all_placed) }
            } @else {
                table {
                    caption { (r.unplaced_caption) }
                    thead { tr {
                        th scope="col" { (r.col_doctor) } th scope="col" { (r.col_name) } th scope="col" { (r.col_specialty) }
                        th.num scope="col" { (r.col_months) } th scope="col" { (r.col_reason) }
                    } }
                    tbody {
                        @for u in &f.plan.unplaced {
                            tr {
                                th scope="row" { (inst.doctor(u.doctor).id) }
                                td { (inst.doctor(u.doctor).name) }
                                td { (u.specialty.map_or(f.t.any_specialty, |s| inst.specialty(s))) }
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
                                td { (r.missing_reason) }
                            }
                        }
                    }
                }
            }

            h3 { (r.substitute_title) }
            table {
                caption { (r.substitute_caption) }
                thead { tr {
                    th scope="col" { (r.col_municipality) } th.num scope="col" { (r.col_alis) }
                    th.num scope="col" { (r.col_sub_months) } th.num scope="col" { (r.col_peak) }
                    th.num scope="col" { (r.col_allowed) } th.num scope="col" { (r.col_cost) }
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
                                    @if peak as u32 > muni.max_away { " " span.badge.warn { (r.over_limit) } }
                                }
                                td.num { (muni.max_away) }
                                td.num { (thousands((f64::from(months) * muni.substitute_cost).round() as u64)) }
                            }
                        }
                    }
                }
                tfoot { tr {
                    th scope="row" { (r.all_row) } td.num { (inst.doctors.len()) } td.num { (sub_months) }
                    td {} td {} td.num { (thousands(sub_cost.round() as u64)) }
                } }
            }

            h3 { (r.fairness_title) }
            (fairness(f, &c, &groups))

            h3 { (r.check_title) }
            @if f.violations.is_empty() {
                p { span.ok { "✓ " } (r.check_ok) " " code { "alisplan verify" } (r.check_ok_rules) }
            } @else {
                p { span.warn { "! " } (fill(r.check_broken_text, &[("count", &f.violations.len())])) }
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
    let r = f.r;
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
    let solver_fairness: Vec<(String, &(String, String))> = f
        .solves
        .iter()
        .flat_map(|s| s.fairness.iter().map(move |x| (s.part_words(r), x)))
        .collect();
    html! {
        table {
            caption { (r.fair_caption) }
            thead { tr { th scope="col" { (r.col_measure) } th scope="col" { (r.col_value) } } }
            tbody {
                tr {
                    th scope="row" { (r.fair_commute) }
                    td {
                        @match (c.per_doctor.first(), c.median_doctor(), c.per_doctor.last()) {
                            (Some(lo), Some(mid), Some(hi)) => {
                                (fill(r.fair_commute_value, &[("lo", &one(*lo)), ("mid", &one(mid)), ("hi", &one(*hi))]))
                            }
                            _ => { (r.fair_no_commuter) }
                        }
                    }
                }
                tr {
                    th scope="row" { (r.fair_worst) }
                    td {
                        @if let Some(b) = c.worst {
                            @let doc = inst.doctor(b.doctor);
                            (fill(r.fair_worst_value, &[
                                ("minutes", &b.commute_minutes), ("id", &doc.id), ("name", &doc.name),
                                ("hospital", &f.hospital_of(b).name), ("limit", &doc.max_commute),
                            ]))
                        } @else { "–" }
                    }
                }
                tr {
                    th scope="row" { (r.card_relocated) }
                    td {
                        (fill(r.x_of_y, &[("x", &c.relocated.len()), ("y", &inst.doctors.len())]))
                        @if !c.relocated.is_empty() {
                            (fill(r.fair_relocated_detail, &[("ids", &doctor_ids(f, &c.relocated)), ("months", &c.relocated_months)]))
                        }
                    }
                }
                tr {
                    th scope="row" { (r.fair_wishes) }
                    td {
                        (fill(r.fair_wishes_value, &[
                            ("met", &wish_met.len()), ("with", &with_wishes.len()),
                            ("wished", &wished), ("avoided", &avoided),
                        ]))
                    }
                }
                @if let (Some(lo), Some(hi)) = (smallest, largest) {
                    tr {
                        th scope="row" { (r.fair_sizes) }
                        td { (fill(r.fair_sizes_value, &[
                            ("lo", &lo), ("hi", &hi),
                            ("min", &inst.settings.groups.min_size), ("max", &inst.settings.groups.max_size),
                        ])) }
                    }
                }
                @if let (Some(mean), Some((worst, d))) = (mean_travel, worst_travel) {
                    tr {
                        th scope="row" { (r.fair_travel) }
                        td { (fill(r.fair_travel_value, &[
                            ("mean", &one(mean)), ("worst", worst),
                            ("id", &inst.doctor(*d).id), ("name", &inst.doctor(*d).name),
                        ])) }
                    }
                }
                @for (part, (name, value)) in &solver_fairness {
                    tr {
                        th scope="row" { (fill(r.fair_from_summary, &[("name", &name.replace('_', " ")), ("part", part)])) }
                        td { (value) }
                    }
                }
            }
        }
    }
}
