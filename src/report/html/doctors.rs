//! Doctors: placements, commute, relocation and group per doctor.

use maud::{Markup, html};

use super::*;

pub(super) fn doctors(f: &Facts) -> Markup {
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

pub(super) fn not_placed_text(f: &Facts, d: DoctorId) -> Markup {
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

pub(super) fn block_cells(f: &Facts, b: &Block) -> Markup {
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
