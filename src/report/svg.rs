//! The report's pictures as inline SVG: a timeline (Gantt chart) per hospital with the use
//! and capacity of each department per month, and a map of the places with each guidance
//! group's members joined to its venue. Every shape has a `<title>` (shown on hover and read
//! by screen readers) and nothing relies on colour alone: loads are written as numbers,
//! groups differ in dash pattern as well as colour, symbols differ in shape.

use maud::{Markup, html};

use super::facts::Facts;
use crate::i18n::fill;
use crate::model::*;

/// A coordinate or length for an SVG attribute: at most one decimal, no trailing `.0`.
pub(crate) fn n(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == 0.0 {
        "0".to_string()
    } else if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

const LABEL_W: f64 = 170.0;
const HEADER_H: f64 = 34.0;
const LANE_H: f64 = 18.0;
const LOAD_H: f64 = 16.0;
const DEPT_GAP: f64 = 8.0;

/// The state of a department in one month, for the load row.
fn load_class(used: u32, cap: u32) -> &'static str {
    if cap == 0 && used == 0 {
        "closed"
    } else if used > cap {
        "over"
    } else if used == cap {
        "full"
    } else if used == 0 {
        "empty"
    } else {
        "part"
    }
}

/// Put blocks into lanes so that no two blocks in one lane overlap: first fit by start,
/// the longer of two blocks starting together first (it keeps the lower lane, which is a
/// slot in more months when capacity changes over time).
pub(crate) fn lanes(mut blocks: Vec<&Block>) -> Vec<Vec<&Block>> {
    blocks.sort_by_key(|b| (b.start, std::cmp::Reverse(b.end), b.doctor));
    let mut lanes: Vec<Vec<&Block>> = Vec::new();
    for b in blocks {
        match lanes
            .iter_mut()
            .find(|l| l.last().is_none_or(|last| last.end < b.start))
        {
            Some(lane) => lane.push(b),
            None => lanes.push(vec![b]),
        }
    }
    lanes
}

/// Consecutive runs of months with the same value of `f`: `(first index, length, value)`.
fn runs<T: PartialEq + Copy>(months: &[Month], f: impl Fn(Month) -> T) -> Vec<(usize, usize, T)> {
    let mut out: Vec<(usize, usize, T)> = Vec::new();
    for (i, &m) in months.iter().enumerate() {
        let v = f(m);
        match out.last_mut() {
            Some((_, len, last)) if *last == v => *len += 1,
            _ => out.push((i, 1, v)),
        }
    }
    out
}

struct DeptRows<'a> {
    dept: DepartmentId,
    lanes: Vec<Vec<&'a Block>>,
    rows: usize,
    y: f64,
}

/// The timeline of hospital `h`: one band per department with a lane per slot (grey where
/// there is no slot that month), the blocks as bars, and a row of `used/slots` per month.
pub(crate) fn timeline(f: &Facts, h: HospitalId) -> Markup {
    let inst = f.inst;
    let hosp = inst.hospital(h);
    let months: Vec<Month> = f.months().collect();
    let mw = (1000.0 / months.len().max(1) as f64).clamp(8.0, 24.0);
    let width = LABEL_W + mw * months.len() as f64 + 8.0;
    let x = |m: Month| LABEL_W + mw * f64::from(f.span.first.until(m));
    let mut y = HEADER_H;
    let mut depts = Vec::new();
    for k in inst.department_ids() {
        let dept = inst.department(k);
        if dept.hospital != h {
            continue;
        }
        let blocks: Vec<&Block> = f.plan.blocks.iter().filter(|b| b.department == k).collect();
        let lanes = lanes(blocks);
        let max_cap = months
            .iter()
            .map(|&m| dept.capacity_in(m))
            .max()
            .unwrap_or(0);
        let rows = lanes.len().max(max_cap as usize).max(1);
        depts.push(DeptRows {
            dept: k,
            lanes,
            rows,
            y,
        });
        y += rows as f64 * LANE_H + LOAD_H + DEPT_GAP;
    }
    let height = y + 2.0;
    let title_id = format!("timeline-{}-title", hosp.id);
    let history = f
        .replan_from
        .filter(|&from| from > f.span.first)
        .map(|from| (x(f.span.first), x(from.min(f.span.last.plus(1)))));
    html! {
        svg.timeline id=(format!("timeline-{}", hosp.id)) role="img" aria-labelledby=(title_id)
            viewBox=(format!("0 0 {} {}", n(width), n(height))) width=(n(width)) height=(n(height)) {
            title id=(title_id) {
                (fill(f.r.timeline_title, &[("hospital", &hosp.name)]))
            }
            // Month axis.
            g.axis {
                @for (i, &m) in months.iter().enumerate() {
                    @if i == 0 || m.month_of_year() == 1 {
                        line.year x1=(n(x(m))) y1="0" x2=(n(x(m))) y2=(n(height)) {}
                        text.year x=(n(x(m) + 3.0)) y="13" { (m.year()) }
                    }
                    @if mw >= 11.0 {
                        text.month x=(n(x(m) + mw / 2.0)) y="29" text-anchor="middle" {
                            title { (m) }
                            (f.r.month_initials[m.month_of_year() as usize - 1])
                        }
                    }
                }
            }
            @for d in &depts {
                (department_band(f, d, &months, mw, &x, history))
            }
            @if let Some(from) = f.replan_from.filter(|m| f.span.contains(*m)) {
                g.replan {
                    title { (fill(f.r.replan_title, &[("from", &from)])) }
                    line x1=(n(x(from))) y1="16" x2=(n(x(from))) y2=(n(height)) {}
                    text x=(n(x(from) + 3.0)) y="13" { (fill(f.r.replan_label, &[("from", &from)])) }
                }
            }
        }
    }
}

fn department_band(
    f: &Facts,
    d: &DeptRows,
    months: &[Month],
    mw: f64,
    x: &dyn Fn(Month) -> f64,
    history: Option<(f64, f64)>,
) -> Markup {
    let inst = f.inst;
    let dept = inst.department(d.dept);
    let spec = inst.specialty(dept.specialty);
    let hosp = inst.hospital(dept.hospital);
    let lanes_h = d.rows as f64 * LANE_H;
    let load_y = d.y + lanes_h;
    let r = f.r;
    let starts = if dept.start_months.is_empty() {
        r.any_month.to_string()
    } else {
        dept.start_months
            .iter()
            .map(|&m| r.month_abbr[m as usize - 1])
            .collect::<Vec<_>>()
            .join(", ")
    };
    let used_total: usize = months.iter().map(|&m| f.used(d.dept, m).len()).sum();
    let slots_total: u32 = months.iter().map(|&m| dept.capacity_in(m)).sum();
    html! {
        g.dept {
            title {
                (fill(r.dept_title, &[
                    ("specialty", &spec), ("hospital", &hosp.name), ("capacity", &dept.capacity),
                    ("starts", &starts), ("used", &used_total), ("slots", &slots_total), ("span", &f.span),
                ]))
            }
            text.dept x="6" y=(n(d.y + 13.0)) { (spec) }
            text.small x="6" y=(n(load_y + 12.0)) { (r.used_slots) }
            // Slots: white where the department has a slot that month, grey where not.
            @for lane in 0..d.rows {
                @for (i, len, has_slot) in runs(months, |m| (lane as u32) < dept.capacity_in(m)) {
                    rect class=(if has_slot { "slot" } else { "noslot" })
                        x=(n(x(months[i]))) y=(n(d.y + lane as f64 * LANE_H))
                        width=(n(mw * len as f64)) height=(n(LANE_H)) {
                        title {
                            (fill(if has_slot { r.slot_title } else { r.noslot_title }, &[
                                ("n", &(lane + 1)), ("range", &MonthRange::starting(months[i], len as i32)),
                            ]))
                        }
                    }
                }
            }
            @if let Some((x0, x1)) = history {
                rect.history x=(n(x0)) y=(n(d.y)) width=(n(x1 - x0)) height=(n(lanes_h)) {
                    title { (r.history_title) }
                }
            }
            @for (lane, blocks) in d.lanes.iter().enumerate() {
                @for b in blocks {
                    (bar(f, b, x(b.start), d.y + lane as f64 * LANE_H, mw, x))
                }
            }
            // Use against capacity, month by month.
            @for &m in months {
                @let used = f.used(d.dept, m).len() as u32;
                @let cap = dept.capacity_in(m);
                @let min_fill = dept.min_fill_in(m);
                @let below = used < min_fill;
                rect class=(format!("load {}{}", load_class(used, cap), if below { " below" } else { "" }))
                    x=(n(x(m))) y=(n(load_y)) width=(n(mw)) height=(n(LOAD_H)) {
                    title {
                        (fill(r.load_title, &[
                            ("specialty", &spec), ("hospital", &hosp.name), ("month", &m), ("used", &used), ("cap", &cap),
                        ]))
                        @if used > cap { (r.over_capacity) }
                        @if below { (fill(r.below_min, &[("min", &min_fill)])) }
                        @if used > 0 {
                            " (" (names(f, f.used(d.dept, m))) ")"
                        }
                    }
                }
                @if cap > 0 || used > 0 {
                    text class=(if used == 0 { "load zero" } else { "load" }) x=(n(x(m) + mw / 2.0)) y=(n(load_y + 11.5)) text-anchor="middle" {
                        @if mw >= 17.0 { (used) "/" (cap) } @else { (used) }
                        @if used > cap { "!" }
                    }
                }
            }
        }
    }
}

/// Doctor ids, comma-separated.
fn names(f: &Facts, who: &[DoctorId]) -> String {
    who.iter()
        .map(|&d| f.inst.doctor(d).id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn bar(f: &Facts, b: &Block, x0: f64, y: f64, mw: f64, x: &dyn Fn(Month) -> f64) -> Markup {
    let inst = f.inst;
    let r = f.r;
    let doc = inst.doctor(b.doctor);
    let dept = inst.department(b.department);
    let changed = f.changed(b.doctor);
    let w = mw * f64::from(b.span().len());
    let mut label = doc.id.clone();
    if b.relocate {
        label.push(' ');
        label.push_str(r.wk);
    }
    if changed {
        label.push_str(" *");
    }
    // About 6 px per character at the bar's font size.
    let fits = (label.chars().count() as f64) * 6.0 + 6.0 <= w;
    let class = format!(
        "bar{}{}",
        if b.relocate { " reloc" } else { "" },
        if changed { " changed" } else { "" }
    );
    html! {
        g class=(class) {
            title {
                (fill(r.bar_title, &[
                    ("id", &doc.id), ("name", &doc.name), ("municipality", &inst.municipality(doc.municipality).name),
                    ("specialty", &inst.specialty(dept.specialty)), ("hospital", &inst.hospital(dept.hospital).name),
                    ("span", &b.span()), ("months", &b.months), ("minutes", &b.commute_minutes),
                ]))
                @if b.relocate { (fill(r.bar_reloc, &[("wk", &r.wk)])) }
                @if changed { (r.bar_changed) }
            }
            rect x=(n(x0 + 0.5)) y=(n(y + 2.0)) width=(n(w - 1.0)) height=(n(LANE_H - 4.0)) rx="3" {}
            @for m in b.span().months().filter(|&m| doc.on_leave(m)) {
                rect.leave x=(n(x(m))) y=(n(y + 2.0)) width=(n(mw)) height=(n(LANE_H - 4.0)) {
                    title { (fill(r.on_leave, &[("id", &doc.id), ("month", &m)])) }
                }
            }
            @if fits {
                text x=(n(x0 + 4.0)) y=(n(y + 13.0)) { (label) }
            }
        }
    }
}

/// Colours of the groups on the map (Okabe–Ito, readable by most colour-blind readers).
const GROUP_COLOURS: [&str; 7] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000",
];
/// Dash patterns of the groups, so that groups differ in more than colour.
const GROUP_DASHES: [&str; 5] = ["none", "9 4", "2 3", "12 3 3 3", "5 5"];

/// Colour and dash pattern of the `i`-th group.
pub(crate) fn group_style(i: usize) -> (&'static str, &'static str) {
    (
        GROUP_COLOURS[i % GROUP_COLOURS.len()],
        GROUP_DASHES[i % GROUP_DASHES.len()],
    )
}

/// Equirectangular projection of the instance's places into a box: longitude scaled by
/// the cosine of the mean latitude, so that distances look right at these latitudes.
pub(crate) struct Projection {
    min_lon: f64,
    max_lat: f64,
    kx: f64,
    /// Pixels per degree of latitude.
    pub scale: f64,
    margin: f64,
    pub width: f64,
    pub height: f64,
}

impl Projection {
    /// Fit `places` into at most `max_w` × `max_h` pixels with `margin` on every side.
    pub fn fit(places: &[Place], max_w: f64, max_h: f64, margin: f64) -> Projection {
        let lats = places.iter().map(|p| p.lat);
        let lons = places.iter().map(|p| p.lon);
        let (min_lat, max_lat) = lats.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
        let (min_lon, max_lon) = lons.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
        let (min_lat, max_lat, min_lon, max_lon) = if places.is_empty() {
            (0.0, 1.0, 0.0, 1.0)
        } else {
            (min_lat, max_lat, min_lon, max_lon)
        };
        let kx = ((min_lat + max_lat) / 2.0)
            .to_radians()
            .cos()
            .abs()
            .max(0.05);
        let dx = ((max_lon - min_lon) * kx).max(1e-3);
        let dy = (max_lat - min_lat).max(1e-3);
        let scale = ((max_w - 2.0 * margin) / dx).min((max_h - 2.0 * margin) / dy);
        Projection {
            min_lon,
            max_lat,
            kx,
            scale,
            margin,
            width: dx * scale + 2.0 * margin,
            height: dy * scale + 2.0 * margin,
        }
    }

    pub fn xy(&self, p: &Place) -> (f64, f64) {
        (
            self.margin + (p.lon - self.min_lon) * self.kx * self.scale,
            self.margin + (self.max_lat - p.lat) * self.scale,
        )
    }
}

/// Labels placed so that they do not overlap: each tries right, left, above and below its
/// point, and is left out (its symbol keeps its `<title>`) when all four collide.
struct Labels {
    boxes: Vec<(f64, f64, f64, f64)>,
    width: f64,
    height: f64,
    placed: Vec<(f64, f64, &'static str, String, &'static str)>,
}

impl Labels {
    fn add(&mut self, (px, py): (f64, f64), text: &str, class: &'static str, size: f64) {
        let w = text.chars().count() as f64 * size * 0.56;
        let h = size;
        let tries = [
            (px + 7.0, py + h / 2.0 - 1.0, "start", px + 7.0),
            (px - 7.0, py + h / 2.0 - 1.0, "end", px - 7.0 - w),
            (px, py - 7.0, "middle", px - w / 2.0),
            (px, py + 7.0 + h, "middle", px - w / 2.0),
        ];
        for (tx, ty, anchor, left) in tries {
            let b = (left, ty - h, left + w, ty + 2.0);
            let inside = b.0 >= 0.0 && b.2 <= self.width && b.1 >= 0.0 && b.3 <= self.height;
            let clear = self
                .boxes
                .iter()
                .all(|o| b.2 < o.0 || b.0 > o.2 || b.3 < o.1 || b.1 > o.3);
            if inside && clear {
                self.boxes.push(b);
                self.placed.push((tx, ty, anchor, text.to_string(), class));
                return;
            }
        }
    }
}

/// The map of places: the road and ferry network, hospitals, doctors' home municipalities,
/// venues and supervisors, and each group's members joined to its venue. Returns the
/// picture and its width in pixels.
pub(crate) fn map(f: &Facts) -> (Markup, f64) {
    let inst = f.inst;
    let r = f.r;
    let proj = Projection::fit(&inst.places, 640.0, 1000.0, 36.0);
    let at = |p: PlaceId| proj.xy(inst.place(p));
    let groups: Vec<&Group> = f.plan.groups.iter().flatten().collect();
    let mut labels = Labels {
        boxes: Vec::new(),
        width: proj.width,
        height: proj.height,
        placed: Vec::new(),
    };
    // Symbols reserve their own space first, so labels avoid them.
    let mut symbol_places: Vec<PlaceId> = inst.hospitals.iter().map(|h| h.place).collect();
    symbol_places.extend(inst.venues.iter().map(|v| v.place));
    symbol_places.extend(inst.supervisors.iter().map(|s| s.place));
    symbol_places.extend(
        inst.municipality_ids()
            .filter(|&m| inst.doctors_of(m).next().is_some())
            .map(|m| inst.municipality(m).place),
    );
    for &p in &symbol_places {
        let (x, y) = at(p);
        labels.boxes.push((x - 5.0, y - 5.0, x + 5.0, y + 5.0));
    }
    for v in &inst.venues {
        labels.add(at(v.place), &v.name, "lbl venue", 12.0);
    }
    for m in inst.municipality_ids() {
        if inst.doctors_of(m).next().is_some() {
            let muni = inst.municipality(m);
            labels.add(at(muni.place), &muni.name, "lbl home", 11.0);
        }
    }
    for h in &inst.hospitals {
        labels.add(at(h.place), &h.name, "lbl hosp", 10.0);
    }
    // A scale bar of a round length up to a third of the map's width (one degree of
    // latitude is about 111.2 km).
    let px_per_km = proj.scale / 111.2;
    let km = [500.0, 200.0, 100.0, 50.0, 20.0, 10.0, 5.0, 2.0, 1.0]
        .into_iter()
        .find(|km| km * px_per_km <= proj.width / 3.0)
        .unwrap_or(1.0);
    let bar = km * px_per_km;
    let sb_y = proj.height - 14.0;
    let picture = html! {
        svg.map id="map" role="img" aria-labelledby="map-title"
            viewBox=(format!("0 0 {} {}", n(proj.width), n(proj.height))) width=(n(proj.width)) height=(n(proj.height)) {
            title id="map-title" {
                (fill(r.map_title, &[("name", &inst.settings.name)]))
            }
            rect.sea x="0" y="0" width=(n(proj.width)) height=(n(proj.height)) {}
            g.net {
                @for e in &inst.edges {
                    @let (x1, y1) = at(e.a);
                    @let (x2, y2) = at(e.b);
                    line class=(if e.mode == Mode::Ferry { "ferry" } else { "road" })
                        x1=(n(x1)) y1=(n(y1)) x2=(n(x2)) y2=(n(y2)) {
                        title {
                            (fill(r.edge_title, &[
                                ("a", &inst.place(e.a).name), ("b", &inst.place(e.b).name),
                                ("mode", &if e.mode == Mode::Ferry { r.legend_ferry } else { r.legend_road }),
                                ("minutes", &e.minutes),
                            ]))
                        }
                    }
                }
            }
            @for (i, g) in groups.iter().enumerate() {
                @let (colour, dash) = group_style(i);
                @let venue = &inst.venues[g.venue.index()];
                @let sup = &inst.supervisors[g.supervisor.index()];
                @let (vx, vy) = at(venue.place);
                g.group id=(format!("map-group-{i}")) stroke=(colour) stroke-dasharray=(dash) {
                    title { (fill(r.map_group_title, &[("id", &g.id), ("members", &g.members.len()), ("venue", &venue.name), ("supervisor", &sup.name)])) }
                    @if sup.place != venue.place {
                        @let (sx, sy) = at(sup.place);
                        line.suplink x1=(n(sx)) y1=(n(sy)) x2=(n(vx)) y2=(n(vy)) {
                            title { (fill(r.sup_travel_title, &[("supervisor", &sup.name), ("venue", &venue.name)])) }
                        }
                    }
                    @for &(d, minutes) in &g.members {
                        @let (hx, hy) = at(inst.home_of(d));
                        line.member x1=(n(hx)) y1=(n(hy)) x2=(n(vx)) y2=(n(vy)) {
                            title {
                                (fill(r.member_title, &[
                                    ("id", &inst.doctor(d).id), ("name", &inst.doctor(d).name),
                                    ("municipality", &inst.municipality(inst.doctor(d).municipality).name),
                                    ("group", &g.id), ("venue", &venue.name), ("minutes", &minutes),
                                ]))
                            }
                        }
                    }
                }
            }
            g.symbols {
                @for h in &inst.hospitals {
                    @let (x, y) = at(h.place);
                    rect.hosp x=(n(x - 4.0)) y=(n(y - 4.0)) width="8" height="8" {
                        title { (fill(r.hospital_title, &[("name", &h.name)])) }
                    }
                }
                @for m in inst.municipality_ids() {
                    @let muni = inst.municipality(m);
                    @let docs: Vec<DoctorId> = inst.doctors_of(m).collect();
                    @if !docs.is_empty() {
                        @let (x, y) = at(muni.place);
                        circle.home cx=(n(x)) cy=(n(y)) r="4.5" {
                            title { (fill(r.home_title, &[("name", &muni.name), ("ids", &names(f, &docs))])) }
                        }
                    }
                }
                @for s in &inst.supervisors {
                    @let (x, y) = at(s.place);
                    path.sup d=(format!("M{} {}L{} {}L{} {}Z", n(x), n(y - 6.0), n(x + 5.5), n(y + 4.0), n(x - 5.5), n(y + 4.0))) {
                        title { (fill(r.sup_home_title, &[("name", &s.name)])) }
                    }
                }
                @for v in &inst.venues {
                    @let (x, y) = at(v.place);
                    @let here: Vec<&str> = groups.iter().filter(|g| inst.venues[g.venue.index()].place == v.place).map(|g| g.id.as_str()).collect();
                    path.venue d=(format!("M{} {}L{} {}L{} {}L{} {}Z", n(x), n(y - 8.0), n(x + 8.0), n(y), n(x), n(y + 8.0), n(x - 8.0), n(y))) {
                        title {
                            (fill(r.venue_title, &[("name", &v.name)]))
                            @if !here.is_empty() { (fill(r.venue_groups, &[("ids", &here.join(", "))])) }
                        }
                    }
                }
            }
            g.labels {
                @for (x, y, anchor, text, class) in &labels.placed {
                    text class=(class) x=(n(*x)) y=(n(*y)) text-anchor=(anchor) { (text) }
                }
            }
            g.scale {
                title { (fill(r.scale_title, &[("km", &km)])) }
                line x1="12" y1=(n(sb_y)) x2=(n(12.0 + bar)) y2=(n(sb_y)) {}
                text x="12" y=(n(sb_y - 5.0)) { (km) " km" }
            }
        }
    };
    (picture, proj.width)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(d: u32, start: &str, end: &str) -> Block {
        Block {
            doctor: DoctorId(d),
            department: DepartmentId(0),
            start: start.parse().unwrap(),
            end: end.parse().unwrap(),
            months: 1,
            commute_minutes: 0,
            relocate: false,
        }
    }

    #[test]
    fn lanes_never_hold_overlapping_blocks() {
        let bs = [
            block(0, "2027-01", "2027-06"),
            block(1, "2027-03", "2027-08"),
            block(2, "2027-07", "2027-12"),
            block(3, "2027-09", "2028-02"),
        ];
        let lanes = lanes(bs.iter().collect());
        assert_eq!(lanes.len(), 2);
        for lane in &lanes {
            for pair in lane.windows(2) {
                assert!(pair[0].end < pair[1].start);
            }
        }
        assert_eq!(lanes.iter().map(Vec::len).sum::<usize>(), 4);
    }

    #[test]
    fn runs_merge_equal_months() {
        let months: Vec<Month> =
            MonthRange::new("2027-01".parse().unwrap(), "2027-06".parse().unwrap())
                .months()
                .collect();
        let r = runs(&months, |m| m.month_of_year() > 2);
        assert_eq!(r, vec![(0, 2, false), (2, 4, true)]);
    }

    #[test]
    fn projection_keeps_north_up_and_fits_the_box() {
        let place = |lat, lon| Place {
            id: String::new(),
            name: String::new(),
            lat,
            lon,
        };
        let places = [place(60.0, 5.0), place(61.0, 7.0), place(59.5, 6.0)];
        let p = Projection::fit(&places, 800.0, 800.0, 20.0);
        assert!(p.width <= 800.0 + 1e-9 && p.height <= 800.0 + 1e-9);
        let (_, y_north) = p.xy(&places[1]);
        let (_, y_south) = p.xy(&places[2]);
        assert!(y_north < y_south, "north is up");
        let (x_west, _) = p.xy(&places[0]);
        let (x_east, _) = p.xy(&places[1]);
        assert!((x_west - 20.0).abs() < 1e-9 && x_east > x_west);
        // One degree of longitude at 60.25° is about half a degree of latitude.
        let ratio = (x_east - x_west) / 2.0 / p.scale;
        assert!((ratio - 60.25f64.to_radians().cos()).abs() < 1e-9);
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(n(3.0), "3");
        assert_eq!(n(3.04), "3");
        assert_eq!(n(3.25), "3.3");
        assert_eq!(n(-0.04), "0");
    }
}
