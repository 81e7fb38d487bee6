//! Guidance groups: members, venues, supervisors and the map.

use maud::{Markup, html};

use super::*;

pub(super) fn groups(f: &Facts) -> Markup {
    let inst = f.inst;
    let r = f.r;
    let groups: Vec<&Group> = f.plan.groups.iter().flatten().collect();
    let gs = &inst.settings.groups;
    html! {
        section #groups {
            h2 { (r.nav_groups) }
            @if groups.is_empty() {
                p { (r.no_groups) }
            } @else {
                p { (fill(r.groups_intro, &[("count", &groups.len()), ("months", &gs.months)])) }
            }
            @let (map, width) = svg::map(f);
            div.groups-layout {
                figure.map-figure style=(format!("width:{}px", svg::n(width.ceil()))) {
                    figcaption { (r.map_caption) }
                    (map)
                    ul.legend aria-label=(r.map_legend_label) {
                        @for (i, g) in groups.iter().enumerate() {
                            @let (colour, dash) = svg::group_style(i);
                            li { (line_sample(colour, dash)) " " (fill(r.legend_group, &[("id", &g.id)])) }
                        }
                        li { (symbol_sample("hosp")) " " (r.legend_hospital) }
                        li { (symbol_sample("home")) " " (r.legend_home) }
                        li { (symbol_sample("venue")) " " (r.legend_venue) }
                        li { (symbol_sample("sup")) " " (r.legend_sup) }
                        li { (symbol_sample("road")) " " (r.legend_road) }
                        li { (symbol_sample("ferry")) " " (r.legend_ferry) }
                    }
                }
                div.group-tables {
                    @for (i, g) in groups.iter().enumerate() {
                        (group_table(f, i, g))
                    }
                }
            }
        }
    }
}

pub(super) fn group_table(f: &Facts, i: usize, g: &Group) -> Markup {
    let inst = f.inst;
    let r = f.r;
    let gs = &inst.settings.groups;
    let venue = &inst.venues[g.venue.index()];
    let sup = &inst.supervisors[g.supervisor.index()];
    let (colour, dash) = svg::group_style(i);
    let total: u32 = g.members.iter().map(|m| m.1).sum();
    let worst = g.members.iter().map(|m| m.1).max().unwrap_or(0);
    html! {
        table.group id=(format!("group-{}", g.id)) {
            caption {
                (line_sample(colour, dash)) " "
                (fill(r.group_caption, &[
                    ("id", &g.id), ("venue", &venue.name), ("supervisor", &sup.name), ("supervisor_id", &sup.id),
                    ("members", &g.members.len()),
                    ("mean", &one(f64::from(total) / g.members.len().max(1) as f64)), ("worst", &worst),
                ]))
            }
            thead { tr {
                th scope="col" { (r.col_doctor) } th scope="col" { (r.col_name) } th scope="col" { (r.col_municipality) }
                th scope="col" { (r.col_group_period) } th.num scope="col" { (r.col_travel) }
                th.num scope="col" { (r.col_hospital_in_period) }
            } }
            tbody {
                @for &(d, minutes) in &g.members {
                    @let doc = inst.doctor(d);
                    @let period = doc.group_period(gs.months);
                    tr class=[f.changed(d).then_some("changed")] {
                        th scope="row" { a href=(format!("#doctor-{}", doc.id)) { (doc.id) } }
                        td { (doc.name) }
                        td { (inst.municipality(doc.municipality).name) }
                        td.period { (period.map_or("–".to_string(), |p| p.to_string())) }
                        td.num { (minutes) }
                        td.num {
                            (period.map_or(0, |p| f.blocks_of[d.index()].iter().map(|b| b.span().overlap(&p)).sum::<i32>()))
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn line_sample(colour: &str, dash: &str) -> Markup {
    html! {
        svg.sample width="36" height="10" viewBox="0 0 36 10" aria-hidden="true" {
            line x1="1" y1="5" x2="35" y2="5" stroke=(colour) stroke-dasharray=(dash) stroke-width="3" {}
        }
    }
}

pub(super) fn symbol_sample(kind: &str) -> Markup {
    html! {
        svg.sample.map width="36" height="14" viewBox="0 0 36 14" aria-hidden="true" {
            @match kind {
                "hosp" => { rect.hosp x="14" y="3" width="8" height="8" {} }
                "home" => { circle.home cx="18" cy="7" r="4.5" {} }
                "venue" => { path.venue d="M18 0L25 7L18 14L11 7Z" {} }
                "sup" => { path.sup d="M18 1L23.5 11L12.5 11Z" {} }
                "road" => { g.net { line.road x1="1" y1="7" x2="35" y2="7" {} } }
                _ => { g.net { line.ferry x1="1" y1="7" x2="35" y2="7" {} } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1\u{a0}000");
        assert_eq!(thousands(1_440_000), "1\u{a0}440\u{a0}000");
    }
}
