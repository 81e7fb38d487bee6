//! The review round: every block put to the hospitals, where it stands, who answered in
//! which round, and the hospital's comment (from the plan's ledger, `review.csv`).

use maud::{Markup, html};

use super::*;

/// The status of a ledger entry in words.
fn status_words(f: &Facts, s: ReviewStatus) -> &'static str {
    match s {
        ReviewStatus::Proposed => f.t.status_proposed,
        ReviewStatus::Accepted => f.t.status_accepted,
        ReviewStatus::Rejected => f.t.status_rejected,
        ReviewStatus::AcceptedChanged => f.t.status_accepted_changed,
    }
}

/// A status badge, e.g. `<span class="badge st-accepted">accepted</span>`.
fn badge(f: &Facts, s: ReviewStatus) -> Markup {
    html! { span class=(format!("badge st-{}", s.name())) { (status_words(f, s)) } }
}

/// The review status of block `b` with the hospital's comment, for the tables of doctors
/// and hospitals; a dash for a block never put to review (history of a re-plan).
pub(super) fn status_of(f: &Facts, b: &Block) -> Markup {
    match f.plan.review.entry(b) {
        Some(e) => html! {
            (badge(f, e.status))
            @if !e.comment.is_empty() { " " q.comment { (e.comment) } }
        },
        None => html! { "–" },
    }
}

pub(super) fn review(f: &Facts) -> Markup {
    let inst = f.inst;
    let r = f.r;
    let review = &f.plan.review;
    html! {
        section #review {
            h2 { (fill(r.review_title, &[("round", &review.round)])) }
            p {
                (r.review_intro)
                @if let Some(date) = review.deadline { " " strong { (fill(r.review_deadline, &[("date", &date)])) } }
            }
            ul.kinds {
                @for s in ReviewStatus::ALL {
                    @let count = review.with_status(s).count();
                    @if count > 0 { li { (badge(f, s)) ": " (count) } }
                }
            }
            table.review {
                caption { (r.review_caption) }
                thead { tr {
                    th scope="col" { (r.col_doctor) } th scope="col" { (r.col_name) }
                    th scope="col" { (r.col_hospital_dept) } th scope="col" { (r.col_period) }
                    th scope="col" { (r.col_status) } th scope="col" { (r.col_answered) }
                    th scope="col" { (r.col_comment) }
                } }
                tbody {
                    @for e in &review.entries {
                        @let doc = inst.doctor(e.doctor);
                        @let in_plan = f.blocks_of[e.doctor.index()].iter().any(|b| e.is_block(b));
                        tr class=(format!("st-{}", e.status.name())) {
                            th scope="row" { a href=(format!("#doctor-{}", doc.id)) { (doc.id) } }
                            td { (doc.name) }
                            td { (inst.department_label(e.department)) }
                            td.period { (e.span()) }
                            td {
                                (badge(f, e.status))
                                @if let Some(was) = e.was { " " (fill(r.was_value, &[("was", &was.describe(inst))])) }
                                @if !in_plan && e.status != ReviewStatus::Rejected { " " span.muted { (r.not_in_plan) } }
                            }
                            td {
                                @match &e.answered {
                                    Some(a) => (fill(r.answered_value, &[("round", &a.round), ("sheet", &a.sheet)])),
                                    None => "–",
                                }
                            }
                            td { (e.comment) }
                        }
                    }
                }
            }
        }
    }
}
