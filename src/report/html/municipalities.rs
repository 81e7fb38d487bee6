//! Municipalities: who is away in which month.

use maud::{Markup, html};

use super::*;

const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

pub(super) fn municipalities(f: &Facts) -> Markup {
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
