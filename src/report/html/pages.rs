//! Printable pages: one per hospital (its ALIS with their review status, and the use of
//! each department's slots) and one per municipality (its ALIS away in hospital, when,
//! for how many months and at what cost for a substitute).

use maud::{Markup, html};

use super::*;

/// The plan's blocks that `keep`, by start.
fn sorted<'a>(f: &Facts<'a>, keep: impl Fn(&Block) -> bool) -> Vec<&'a Block> {
    let mut blocks: Vec<&Block> = f.plan.blocks.iter().filter(|b| keep(b)).collect();
    blocks.sort_by_key(|b| (b.start, b.department, b.doctor));
    blocks
}

pub(super) fn hospital_pages(f: &Facts) -> Markup {
    let inst = f.inst;
    let r = f.r;
    let horizon = inst.horizon();
    html! {
        section #hospital-pages {
            h2 { (r.nav_hospital_pages) }
            p { (r.hpages_intro) }
            @for h in inst.hospital_ids() {
                @let hosp = inst.hospital(h);
                @let blocks = sorted(f, |b| inst.department(b.department).hospital == h);
                section.page id=(format!("hpage-{}", hosp.id)) {
                    h3 { (fill(r.hpage_heading, &[("hospital", &hosp.name)])) }
                    @if blocks.is_empty() {
                        p { (fill(r.hpage_none, &[("hospital", &hosp.name)])) }
                    } @else {
                        table.hpage {
                            caption { (fill(r.hpage_caption, &[("hospital", &hosp.name)])) }
                            thead { tr {
                                th scope="col" { (r.col_name) } th scope="col" { (r.col_municipality) }
                                th scope="col" { (r.col_department) } th scope="col" { (r.col_period) }
                                th.num scope="col" { (r.col_months) } th scope="col" { (r.col_review) }
                            } }
                            tbody {
                                @for b in &blocks {
                                    @let doc = inst.doctor(b.doctor);
                                    tr {
                                        th scope="row" { (doc.name) " (" (doc.id) ")" }
                                        td { (inst.municipality(doc.municipality).name) }
                                        td { (inst.specialty(inst.department(b.department).specialty)) }
                                        td.period { (b.span()) }
                                        td.num { (b.months) }
                                        td { (super::review::status_of(f, b)) }
                                    }
                                }
                            }
                        }
                    }
                    table.util {
                        caption { (fill(r.util_caption, &[("span", &horizon)])) }
                        thead { tr {
                            th scope="col" { (r.col_department) } th.num scope="col" { (r.col_slot_months) }
                            th.num scope="col" { (r.col_used) } th.num scope="col" { (r.col_utilisation) }
                        } }
                        tbody {
                            @for k in inst.department_ids().filter(|&k| inst.department(k).hospital == h) {
                                @let slots: u32 = horizon.months().map(|m| inst.department(k).capacity_in(m)).sum();
                                @let used: usize = horizon.months().map(|m| f.used(k, m).len()).sum();
                                tr {
                                    th scope="row" { (inst.specialty(inst.department(k).specialty)) }
                                    td.num { (slots) }
                                    td.num { (used) }
                                    td.num {
                                        @if slots > 0 { (format!("{:.0}\u{a0}%", 100.0 * used as f64 / f64::from(slots))) } @else { "–" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn substitute_pages(f: &Facts) -> Markup {
    let inst = f.inst;
    let r = f.r;
    html! {
        section #substitutes {
            h2 { (r.nav_substitutes) }
            p { (r.subs_intro) }
            @for m in inst.municipality_ids().filter(|&m| inst.doctors_of(m).next().is_some()) {
                @let muni = inst.municipality(m);
                @let blocks = sorted(f, |b| inst.doctor(b.doctor).municipality == m);
                @let months: u32 = blocks.iter().map(|b| b.span().len() as u32).sum();
                section.page id=(format!("subs-{}", muni.id)) {
                    h3 { (fill(r.subs_heading, &[("municipality", &muni.name)])) }
                    @if blocks.is_empty() {
                        p { (fill(r.subs_none, &[("municipality", &muni.name)])) }
                    } @else {
                        table.subs {
                            caption { (fill(r.subs_caption, &[("municipality", &muni.name), ("rate", &nok(f, muni.substitute_cost))])) }
                            thead { tr {
                                th scope="col" { (r.col_name) } th scope="col" { (r.col_hospital_dept) }
                                th scope="col" { (r.col_from) } th scope="col" { (r.col_to) }
                                th.num scope="col" { (r.col_months) } th.num scope="col" { (r.col_cost_short) }
                            } }
                            tbody {
                                @for b in &blocks {
                                    @let doc = inst.doctor(b.doctor);
                                    @let away = b.span().len() as u32;
                                    tr {
                                        th scope="row" { (doc.name) " (" (doc.id) ")" }
                                        td { (f.hospital_of(b).name) ", " (inst.specialty(inst.department(b.department).specialty)) }
                                        td.period { (b.start) }
                                        td.period { (b.end) }
                                        td.num { (away) }
                                        td.num { (nok(f, f64::from(away) * muni.substitute_cost)) }
                                    }
                                }
                            }
                        }
                        p { strong { (fill(r.subs_total, &[("months", &months), ("cost", &nok(f, f64::from(months) * muni.substitute_cost))])) } }
                    }
                }
            }
        }
    }
}
