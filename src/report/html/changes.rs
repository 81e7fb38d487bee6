//! The changes of a re-plan against the previous plan.

use maud::{Markup, html};

use super::*;

pub(super) fn changes(f: &Facts) -> Markup {
    let inst = f.inst;
    let changes: Vec<&Change> = f.plan.changes.iter().flatten().collect();
    let mut doctors: Vec<DoctorId> = changes.iter().map(|c| c.doctor).collect();
    doctors.sort();
    doctors.dedup();
    html! {
        section #changes {
            h2 { "Changes against the previous plan" }
            p {
                @if let Some(from) = f.replan_from { "Re-planned from " strong { (from) } ". " }
                @if let Some(prev) = &f.replan_previous { "Previous plan: " code { (prev) } ". " }
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
