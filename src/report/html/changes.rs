//! The changes of a re-plan against the previous plan.

use maud::{Markup, html};

use super::*;

pub(super) fn changes(f: &Facts) -> Markup {
    let inst = f.inst;
    let r = f.r;
    let changes: Vec<&Change> = f.plan.changes.iter().flatten().collect();
    let mut doctors: Vec<DoctorId> = changes.iter().map(|c| c.doctor).collect();
    doctors.sort();
    doctors.dedup();
    html! {
        section #changes {
            h2 { (r.changes_title) }
            p {
                @if let Some(from) = f.replan_from { (r.replanned_from) " " strong { (from) } ". " }
                @if let Some(prev) = &f.replan_previous { (r.previous_plan) " " code { (prev) } ". " }
                (fill(r.changes_count, &[("changes", &changes.len()), ("doctors", &doctors.len())]))
                @if !doctors.is_empty() { ": " (doctor_ids(f, &doctors)) }
                (r.changes_marked) " " span.badge.changed { (r.changed_badge) } " " (r.changes_marked_2)
                " " code { "*" } " " (r.changes_marked_3)
            }
            @if changes.is_empty() {
                p { (r.nothing_changed) }
            } @else {
                ul.kinds {
                    @for k in ChangeKind::ALL {
                        @let count = changes.iter().filter(|c| c.kind == k).count();
                        @let (name, meaning) = f.t.change(k);
                        @if count > 0 { li { strong { (name) } ": " (count) " (" (meaning) ")" } }
                    }
                }
                table.changes {
                    caption { (r.changes_caption) }
                    thead { tr {
                        th scope="col" { (r.col_doctor) } th scope="col" { (r.col_name) } th scope="col" { (r.col_change) }
                        th scope="col" { (r.col_before) } th scope="col" { (r.col_after) }
                    } }
                    tbody {
                        @for c in &changes {
                            tr class=(format!("changed kind-{}", c.kind)) {
                                th scope="row" { a href=(format!("#doctor-{}", inst.doctor(c.doctor).id)) { (inst.doctor(c.doctor).id) } }
                                td { (inst.doctor(c.doctor).name) }
                                @let (name, meaning) = f.t.change(c.kind);
                                td { span.badge.changed { (name) } " " (meaning) }
                                td { @match &c.before { Some(b) => (b.describe(inst)), None => "–" } }
                                td { @match &c.after { Some(a) => (a.describe(inst)), None => "–" } }
                            }
                        }
                    }
                }
            }
        }
    }
}
