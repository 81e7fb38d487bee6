//! Hospitals: the department timelines.

use maud::{Markup, html};

use super::*;

pub(super) fn hospitals(f: &Facts) -> Markup {
    let inst = f.inst;
    let r = f.r;
    html! {
        section #hospitals {
            h2 { (r.hospitals_title) }
            p { (r.hospitals_intro) }
            (timeline_legend(f))
            @for h in inst.hospital_ids() {
                @let hosp = inst.hospital(h);
                @let months: u32 = f.plan.blocks.iter().filter(|b| inst.department(b.department).hospital == h).map(|b| b.months).sum();
                figure.hospital id=(format!("hospital-{}", hosp.id)) {
                    figcaption {
                        (hosp.name)
                        @if let Some(t) = &hosp.trust { span.muted { " — " (t) } }
                        span.muted { " — " (fill(r.hospital_months, &[("months", &months)])) }
                    }
                    (svg::timeline(f, h))
                }
            }
        }
    }
}
