//! Hospitals: the department timelines.

use maud::{Markup, html};

use super::*;

pub(super) fn hospitals(f: &Facts) -> Markup {
    let inst = f.inst;
    html! {
        section #hospitals {
            h2 { "Hospitals: who is where, month by month" }
            p {
                "One chart per hospital, one band per department. Each lane is a slot: white where the "
                "department has a slot that month, hatched grey where it has none. Bars are ALIS, labelled with the doctor's id. "
                "The row under each band gives slots used / slots per month."
            }
            (timeline_legend())
            @for h in inst.hospital_ids() {
                @let hosp = inst.hospital(h);
                @let months: u32 = f.plan.blocks.iter().filter(|b| inst.department(b.department).hospital == h).map(|b| b.months).sum();
                figure.hospital id=(format!("hospital-{}", hosp.id)) {
                    figcaption {
                        (hosp.name)
                        @if let Some(t) = &hosp.trust { span.muted { " — " (t) } }
                        span.muted { " — " (months) " ALIS month(s) in the plan" }
                    }
                    (svg::timeline(f, h))
                }
            }
        }
    }
}
