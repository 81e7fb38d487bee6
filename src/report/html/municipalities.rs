//! Municipalities: who is away in which month.

use maud::{Markup, html};

use super::*;

pub(super) fn municipalities(f: &Facts) -> Markup {
    let inst = f.inst;
    let r = f.r;
    let years: Vec<i32> = (f.span.first.year()..=f.span.last.year()).collect();
    html! {
        section #municipalities {
            h2 { (r.munis_title) }
            p { (r.munis_intro) }
            div.munis { @for m in inst.municipality_ids() {
                @let muni = inst.municipality(m);
                @let docs: Vec<DoctorId> = inst.doctors_of(m).collect();
                @if !docs.is_empty() {
                    @let months = f.substitute_months(m);
                    figure.municipality id=(format!("muni-{}", muni.id)) {
                        table.calendar {
                            caption {
                                (fill(r.muni_caption, &[
                                    ("name", &muni.name), ("count", &docs.len()), ("ids", &doctor_ids(f, &docs)),
                                    ("months", &months), ("cost", &nok(f, f64::from(months) * muni.substitute_cost)),
                                    ("max", &muni.max_away),
                                ]))
                            }
                            thead { tr {
                                th scope="col" { (r.col_year) }
                                @for name in r.month_abbr { th scope="col" { (name) } }
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
                                                            Some(b) => fill(r.who_title, &[("id", &inst.doctor(d).id), ("name", &inst.doctor(d).name),
                                                                ("department", &inst.department_label(b.department)), ("month", &month)]),
                                                            None => format!("{} {}", inst.doctor(d).id, inst.doctor(d).name),
                                                        }) { (inst.doctor(d).id) }
                                                        " "
                                                    }
                                                    @if over { span.badge.warn { (r.over) } }
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
