//! Why each doctor has their blocks: the score analysis of `alisplan explain`, bounded for
//! the report (chosen blocks with their cost terms, the best three alternatives with their
//! cost difference and the rule and doctors that block each; no re-solve).

use maud::{Markup, html};

use super::*;
use crate::analysis::why::{Explanation, for_report};
use crate::i18n::Lang;

struct Words {
    title: &'static str,
    intro: &'static str,
    chosen: &'static str,
    adds: &'static str,
    alternative: &'static str,
    difference: &'static str,
    why: &'static str,
    possible: &'static str,
    none: &'static str,
}

const EN: Words = Words {
    title: "Why these blocks",
    intro: "For each doctor: what each chosen block costs in the objective, term by term, and the three cheapest alternatives (other departments and start months) with the change in the objective if the doctor had it instead and the rest of the plan stayed, and the rule and doctors that keep it out. `alisplan explain PLAN DOCTOR` also re-solves with the chosen department forbidden.",
    chosen: "Chosen",
    adds: "adds to the objective",
    alternative: "Alternative",
    difference: "Difference",
    why: "Why not",
    possible: "possible, but costs more",
    none: "no alternative block",
};

const NB: Words = Words {
    title: "Hvorfor disse blokkene",
    intro: "For hver lege: hva hver valgt blokk koster i målfunksjonen, ledd for ledd, og de tre billigste alternativene (andre avdelinger og startmåneder) med endringen i målfunksjonen om legen fikk det i stedet og resten av planen sto, og regelen og legene som stenger det ute. `alisplan explain PLAN LEGE` løser også på nytt med den valgte avdelingen forbudt.",
    chosen: "Valgt",
    adds: "legger til i målfunksjonen",
    alternative: "Alternativ",
    difference: "Endring",
    why: "Hvorfor ikke",
    possible: "mulig, men dyrere",
    none: "ingen alternativ blokk",
};

fn terms(t: &std::collections::BTreeMap<String, f64>) -> String {
    t.iter()
        .filter(|(_, v)| v.abs() > 1e-9)
        .map(|(k, v)| format!("{k} {v:+.1}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn doctor(w: &Words, e: &Explanation) -> Markup {
    html! {
        details id=(format!("why-{}", e.doctor)) {
            summary {
                strong { (e.doctor) } ": "
                @for (i, c) in e.chosen.iter().enumerate() {
                    @if i > 0 { "; " }
                    (c.site.department) " " (c.site.months)
                }
                " — " (w.adds) " " (one(e.contribution.values().sum()))
            }
            table.terms {
                thead { tr { th scope="col" { (w.chosen) } th scope="col" { (w.adds) } } }
                tbody {
                    @for c in &e.chosen {
                        tr { td { (c.site.department) " " (c.site.months) } td { (terms(&c.terms)) } }
                    }
                }
            }
            @if e.alternatives.is_empty() {
                p.muted { (w.none) }
            } @else {
                table.terms {
                    thead { tr {
                        th scope="col" { (w.alternative) } th.num scope="col" { (w.difference) } th scope="col" { (w.why) }
                    } }
                    tbody {
                        @for a in &e.alternatives {
                            tr {
                                td { (a.site.department) " " (a.site.months) }
                                td.num title=(terms(&a.terms)) { (format!("{:+.1}", a.difference)) }
                                td {
                                    @if a.blocked_by.is_empty() { (w.possible) }
                                    @for b in &a.blocked_by { code { (b.rule.name()) } ": " (b.text) " " }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The section: one folded entry per placed doctor.
pub(super) fn why(f: &Facts) -> Markup {
    let w = match f.inst.settings.language {
        Lang::Nb => &NB,
        Lang::En => &EN,
    };
    let explained = for_report(f.inst, f.plan);
    html! {
        section #why {
            h2 { (w.title) }
            p { (w.intro) }
            @for e in explained.iter().filter(|e| !e.chosen.is_empty()) {
                (doctor(w, e))
            }
        }
    }
}
