//! The report page. Built with `maud`: every `(value)` is HTML-escaped, so names, reasons
//! and change descriptions from CSV files are always shown as text. The only unescaped
//! string is the constant style sheet below.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::facts::{Facts, Placed};
use super::svg;
use crate::model::*;

mod changes;
mod doctors;
mod figures;
mod groups;
mod hospitals;
mod municipalities;

use changes::changes;
use doctors::doctors;
use figures::figures;
use groups::groups;
use hospitals::hospitals;
use municipalities::municipalities;

const CSS: &str = include_str!("../report.css");

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
