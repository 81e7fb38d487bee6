//! The report page. Built with `maud`: every `(value)` is HTML-escaped, so names, reasons
//! and change descriptions from CSV files are always shown as text. The only unescaped
//! string is the constant style sheet below.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::facts::{Facts, Placed};
use super::svg;
use crate::i18n::fill;
use crate::model::*;

mod changes;
mod doctors;
mod figures;
mod groups;
mod hospitals;
mod municipalities;
mod pages;
mod review;
mod why;

use changes::changes;
use doctors::doctors;
use figures::figures;
use groups::groups;
use hospitals::hospitals;
use municipalities::municipalities;
use pages::{hospital_pages, substitute_pages};
use review::review;
use why::why;

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
        f.r.title.to_string()
    } else {
        fill(f.r.title_named, &[("name", &f.inst.settings.name)])
    }
}

/// An amount in NOK, with thousands grouped.
fn nok(f: &Facts, amount: f64) -> String {
    fill(f.r.nok, &[("amount", &thousands(amount.round() as u64))])
}

/// The whole page.
pub(crate) fn page(f: &Facts) -> String {
    let inst = f.inst;
    let r = f.r;
    let has_changes = f.plan.changes.is_some();
    let has_review = !f.plan.review.entries.is_empty();
    html! {
        (DOCTYPE)
        html lang=(inst.settings.language.code()) {
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
                        (fill(r.lead, &[
                            ("doctors", &inst.doctors.len()),
                            ("municipalities", &inst.municipalities.len()),
                            ("hospitals", &inst.hospitals.len()),
                            ("departments", &inst.departments.len()),
                            ("horizon", &inst.horizon()),
                        ]))
                        @if let Some(from) = f.replan_from {
                            " "
                            strong { (fill(r.lead_replan, &[("from", &from)])) }
                            " " (r.lead_history)
                        }
                    }
                }
                nav aria-label=(r.nav_label) {
                    ol {
                        li { a href="#figures" { (r.nav_figures) } }
                        @if has_changes { li { a href="#changes" { (r.nav_changes) } } }
                        @if has_review { li { a href="#review" { (r.nav_review) } } }
                        li { a href="#hospitals" { (r.nav_hospitals) } }
                        li { a href="#municipalities" { (r.nav_municipalities) } }
                        li { a href="#doctors" { (r.nav_doctors) } }
                        li { a href="#groups" { (r.nav_groups) } }
                        li { a href="#hospital-pages" { (r.nav_hospital_pages) } }
                        li { a href="#substitutes" { (r.nav_substitutes) } }
                    }
                }
                main {
                    (figures(f))
                    @if has_changes { (changes(f)) }
                    @if has_review { (review(f)) }
                    (hospitals(f))
                    (municipalities(f))
                    (doctors(f))
                    @if !f.plan.groups_only { (why(f)) }
                    (groups(f))
                    (hospital_pages(f))
                    (substitute_pages(f))
                }
                footer {
                    p { (fill(r.footer, &[("version", &env!("CARGO_PKG_VERSION"))])) }
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

fn timeline_legend(f: &Facts) -> Markup {
    let r = f.r;
    html! {
        ul.legend aria-label=(r.legend_label) {
            li { span.swatch.s-bar {} (r.legend_bar) }
            li { span.swatch.s-reloc {} (fill(r.legend_reloc, &[("wk", &r.wk)])) }
            li { span.swatch.s-changed {} (r.legend_changed) }
            li { span.swatch.s-leave {} (r.legend_leave) }
            li { span.swatch.s-noslot {} (r.legend_noslot) }
            li { span.swatch.s-part {} (r.legend_part) }
            li { span.swatch.s-full {} (r.legend_full) }
            li { span.swatch.s-over {} (r.legend_over) }
            li { span.swatch.s-below {} (r.legend_below) }
        }
    }
}
