//! Doctors: placements, commute, relocation and group per doctor.

use maud::{Markup, html};

use super::*;

pub(super) fn doctors(f: &Facts) -> Markup {
    let inst = f.inst;
    let r = f.r;
    let has_changes = f.plan.changes.is_some();
    let has_review = !f.plan.review.entries.is_empty();
    let cols = if has_review { 6 } else { 5 };
    html! {
        section #doctors {
            h2 { (r.nav_doctors) }
            p { (fill(r.doctors_intro, &[("yes", &f.t.yes)])) }
            table.doctors {
                caption { (r.doctors_caption) }
                thead { tr {
                    th scope="col" { (r.col_doctor) } th scope="col" { (r.col_name) } th scope="col" { (r.col_municipality) }
                    th scope="col" { (r.col_scheme) } th scope="col" { (r.col_hospital_dept) } th scope="col" { (r.col_period) }
                    th.num scope="col" { (r.col_months) } th.num scope="col" { (r.col_commute) } th scope="col" { (r.col_relocates) }
                    @if has_review { th scope="col" { (r.col_review) } }
                    th scope="col" { (r.col_group) }
                    @if has_changes { th scope="col" { (r.col_replan) } }
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
                                (f.t.scheme(doc.scheme))
                                @if doc.fte < 100 { ", " (doc.fte) "\u{a0}%" }
                            }
                            @if let Some(b) = blocks.first() {
                                (block_cells(f, b, has_review))
                            } @else {
                                td colspan=(cols) { (not_placed_text(f, d)) }
                            }
                            td rowspan=(rows) {
                                @if let Some((g, minutes)) = f.group_of[d.index()] {
                                    a href=(format!("#group-{}", g.id)) { (g.id) }
                                    (fill(r.group_at, &[("venue", &inst.venues[g.venue.index()].name), ("minutes", &minutes)]))
                                } @else if let Some(p) = doc.group_period(inst.settings.groups.months) {
                                    span.muted { (fill(r.period_no_group, &[("period", &p)])) }
                                } @else {
                                    "–"
                                }
                            }
                            @if has_changes {
                                td rowspan=(rows) {
                                    @for c in &f.changes_of[d.index()] {
                                        @let (name, meaning) = f.t.change(c.kind);
                                        span.badge.changed title=(meaning) { (name) } " "
                                    }
                                    @if !changed { "–" }
                                }
                            }
                        }
                        @for b in blocks.iter().skip(1) {
                            tr class=[changed.then_some("changed")] { (block_cells(f, b, has_review)) }
                        }
                        @if !blocks.is_empty() && !f.unplaced_of[d.index()].is_empty() {
                            tr class=[changed.then_some("changed")] { td colspan=(cols) { (not_placed_text(f, d)) } }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn not_placed_text(f: &Facts, d: DoctorId) -> Markup {
    let inst = f.inst;
    let r = f.r;
    let unplaced = &f.unplaced_of[d.index()];
    html! {
        span.badge.warn { (r.not_placed) } " "
        @if unplaced.is_empty() {
            (r.no_reason)
        } @else {
            @for (i, u) in unplaced.iter().enumerate() {
                @if i > 0 { "; " }
                (fill(r.unplaced_part, &[
                    ("months", &u.months),
                    ("specialty", &u.specialty.map_or(f.t.any_specialty, |s| inst.specialty(s))),
                    ("reason", &u.reason),
                ]))
            }
        }
    }
}

pub(super) fn block_cells(f: &Facts, b: &Block, with_review: bool) -> Markup {
    let inst = f.inst;
    let dept = inst.department(b.department);
    html! {
        td { (inst.hospital(dept.hospital).name) ", " (inst.specialty(dept.specialty)) }
        td.period { (b.span()) }
        td.num { (b.months) }
        td.num { (b.commute_minutes) }
        td { (f.t.yes_no(b.relocate)) }
        @if with_review { td { (super::review::status_of(f, b)) } }
    }
}
