//! The ALIS doctors: scheme, part-time, requirement, window, leave, commute limits, guidance
//! group start and preferences; the spreading of windows over the horizon; and the check
//! that every doctor can be placed on their own.

use std::collections::BTreeSet;

use super::geo;
use super::rng::Random;
use super::supply;
use super::{Doc, LeaveSpan, Part, Pref, Rows, SpecError, World};
use crate::model::{Month, calendar_months};

/// Longest window: years 2–4 of a position.
const MAX_WINDOW: usize = 36;
/// Guidance-group period and the most of it that may be spent in hospital (as written in
/// `settings.toml`).
pub(super) const GROUP_MONTHS: usize = 24;
/// Smallest guidance group (as written in `settings.toml`).
pub(super) const GROUP_MIN_SIZE: usize = 6;
/// A region with fewer doctors forms at most about two guidance groups.
const SMALL_REGION: usize = 28;

/// Longest run of `true` in `free`.
fn longest_run(free: &[bool]) -> usize {
    let (mut best, mut run) = (0, 0);
    for &f in free {
        run = if f { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// Put the leave spans into a window of `len` months so that a leave-free stretch of at
/// least `run` months remains (the window is long enough for that by construction).
fn arrange_leave(
    len: usize,
    run: usize,
    spans: &[(usize, &'static str)],
    rng: &mut Random,
) -> Vec<LeaveSpan> {
    if spans.is_empty() {
        return Vec::new();
    }
    for _ in 0..20 {
        let mut free = vec![true; len];
        let mut out = Vec::new();
        let mut ok = true;
        for &(l, kind) in spans {
            let offset = rng.range(0, (len - l) as i64) as usize;
            if free[offset..offset + l].iter().any(|f| !f) {
                ok = false;
                break;
            }
            free[offset..offset + l].iter_mut().for_each(|f| *f = false);
            out.push(LeaveSpan {
                offset,
                len: l,
                kind,
            });
        }
        if ok && longest_run(&free) >= run {
            return out;
        }
    }
    // Fall back to leave at the end of the window.
    let mut end = len;
    spans
        .iter()
        .map(|&(l, kind)| {
            end -= l;
            LeaveSpan {
                offset: end,
                len: l,
                kind,
            }
        })
        .collect()
}

/// The requirement parts of a doctor written as `rows`.
fn parts_of(rows: Rows, old: bool, fte: u32) -> Vec<Part> {
    let specialties: &[Option<&'static str>] = match rows {
        Rows::SchemeDefault if old => &[Some("medicine"), None],
        Rows::SchemeDefault | Rows::SplitAny => &[None],
        Rows::MedicinePsychiatry => &[Some("medicine"), Some("psychiatry")],
    };
    specialties
        .iter()
        .map(|&specialty| Part {
            specialty,
            calendar: calendar_months(6, fte) as usize,
        })
        .collect()
}

/// Share of doctors on the old scheme in a plan starting at `start`: a quarter while the
/// old rules have years to run, none from 2027, because the old rules apply only to doctors
/// who apply by 31 Dec 2026 (in between, in proportion to the years left).
pub(super) fn old_scheme_share(start: Month) -> f64 {
    let years_left = f64::from(2027 - start.year().min(2027));
    0.25 * (years_left / 3.0).min(1.0)
}

pub(super) fn create(w: &mut World) {
    let mut rng = Random::new(w.spec.seed, "doctors");
    let old_share = old_scheme_share(w.spec.start);
    let longest = MAX_WINDOW.min(w.months);
    for r in 0..w.regions.len() {
        let def = w.regions[r];
        let mut homes: Vec<usize> = (0..w.munis.len())
            .filter(|&m| w.munis[m].region == r)
            .flat_map(|m| std::iter::repeat_n(m, w.munis[m].size as usize))
            .collect();
        rng.shuffle(&mut homes);
        let width = homes.len().to_string().len().max(3);
        for (k, &muni) in homes.iter().enumerate() {
            let id = format!("{}{:0width$}", def.code, k + 1);
            let name = format!(
                "{} {}",
                rng.pick(&geo::FIRST_NAMES),
                rng.pick(&geo::LAST_NAMES)
            );
            let old = rng.chance(old_share);
            let fte = if rng.chance(0.10) {
                *rng.pick(&[60, 70, 75, 80])
            } else {
                100
            };
            let rows = match old {
                true if rng.chance(0.04) => Rows::MedicinePsychiatry,
                false if rng.chance(0.06) => Rows::SplitAny,
                _ => Rows::SchemeDefault,
            };
            let parts = parts_of(rows, old, fte);
            let need: usize = parts.iter().map(|p| p.calendar).sum();
            // Two part-time parts under start months twice a year need more room.
            let slack = if parts.len() == 2 && fte < 100 { 9 } else { 6 };
            let mut parental = if rng.chance(0.08) {
                rng.range(6, 12) as usize
            } else {
                0
            };
            let mut sick = if rng.chance(0.05) {
                rng.range(1, 3) as usize
            } else {
                0
            };
            let wanted = rng.range(12, 30) as usize;
            if need + slack + parental + sick > longest {
                sick = 0;
            }
            if need + slack + parental > longest {
                parental = parental.min(longest.saturating_sub(need + slack));
                if parental < 6 {
                    parental = 0;
                }
            }
            let len = wanted.max(need + slack + parental + sick).min(longest);
            let spans: Vec<(usize, &'static str)> = [(parental, "parental"), (sick, "sick")]
                .into_iter()
                .filter(|s| s.0 > 0)
                .collect();
            let leave = arrange_leave(len, need + slack, &spans, &mut rng);
            let max_commute = *rng.pick(&[60, 75, 90, 90, 90, 105, 120]);
            let nearest = (0..w.hospitals.len())
                .map(|h| w.commute(muni, h))
                .min()
                .unwrap_or(u32::MAX);
            let relocate = nearest > max_commute || rng.chance(0.4);
            w.doctors.push(Doc {
                id,
                name,
                muni,
                region: r,
                old,
                fte,
                rows,
                parts,
                need,
                start: 0,
                len,
                run_needed: need + slack,
                leave,
                max_commute,
                relocate,
                group_from: None,
            });
        }
    }
}

fn region_doctors(w: &World, r: usize) -> Vec<usize> {
    (0..w.doctors.len())
        .filter(|&d| w.doctors[d].region == r)
        .collect()
}

/// How far the months of `demand` are from having a whole number of slots within the band.
fn band_misses(demand: &[f64]) -> f64 {
    demand.iter().map(|&d| supply::band_miss(d)).sum()
}

/// Place every doctor's window in the horizon so that each region's expected demand is
/// flat (and so that the ALIS of one municipality are spread in time), then nudge windows
/// until every month's demand can be met by a whole number of slots within the band.
pub(super) fn spread_windows(w: &mut World) -> Result<(), SpecError> {
    for r in 0..w.regions.len() {
        let docs = region_doctors(w, r);
        let mut done = false;
        for attempt in 0..8 {
            let mut rng = Random::attempt(w.spec.seed, &format!("windows-{r}"), attempt);
            water_fill(w, &docs, &mut rng);
            if nudge(w, &docs, &mut rng) {
                done = true;
                break;
            }
        }
        if !done {
            return Err(SpecError(format!(
                "could not spread the {} doctors of {} so that whole slots match 90-120 % of the expected demand in every month; give more doctors",
                docs.len(),
                w.regions[r].name
            )));
        }
    }
    Ok(())
}

/// Greedy placement: each doctor (in random order) takes the window position where the
/// region and their municipality have the least expected demand so far.
fn water_fill(w: &mut World, docs: &[usize], rng: &mut Random) {
    let t = w.months;
    let mut load = vec![0.0; t];
    let mut muni_load = vec![vec![0.0; t]; w.munis.len()];
    let mut order = docs.to_vec();
    rng.shuffle(&mut order);
    for &i in &order {
        let doc = &w.doctors[i];
        let offsets: Vec<usize> = (0..doc.len)
            .filter(|&o| {
                !doc.leave
                    .iter()
                    .any(|l| o >= l.offset && o < l.offset + l.len)
            })
            .collect();
        let share = doc.need as f64 / offsets.len() as f64;
        let ml = &muni_load[doc.muni];
        let costs: Vec<f64> = (0..=t - doc.len)
            .map(|s| {
                offsets
                    .iter()
                    .map(|&o| load[s + o] + 2.0 * ml[s + o])
                    .sum::<f64>()
            })
            .collect();
        let best = costs.iter().copied().fold(f64::INFINITY, f64::min);
        let tolerance = 0.02 * share * offsets.len() as f64;
        let near: Vec<usize> = (0..costs.len())
            .filter(|&s| costs[s] <= best + tolerance)
            .collect();
        let s = *rng.pick(&near);
        let muni = doc.muni;
        for &o in &offsets {
            load[s + o] += share;
            muni_load[muni][s + o] += share;
        }
        w.doctors[i].start = s;
    }
}

/// Whether window length `len` keeps doctor `doc`'s leave inside the window and a
/// leave-free stretch long enough for the requirement.
fn length_fits(doc: &Doc, len: usize) -> bool {
    if len < 12 || doc.leave.iter().any(|l| l.offset + l.len > len) {
        return false;
    }
    let free: Vec<bool> = (0..len)
        .map(|o| {
            !doc.leave
                .iter()
                .any(|l| o >= l.offset && o < l.offset + l.len)
        })
        .collect();
    longest_run(&free) >= doc.run_needed
}

/// Local search on window starts and lengths until every month of the region's demand
/// admits a whole number of slots in the band (threshold accepting: slightly worse moves
/// are taken early on to leave local minima). Returns whether it got there.
fn nudge(w: &mut World, docs: &[usize], rng: &mut Random) -> bool {
    let mut d = w.demand(docs);
    let mut miss = band_misses(&d);
    let limit = (20_000 + 2_000 * docs.len()).min(400_000);
    let t = w.months;
    let longest = MAX_WINDOW.min(t);
    let mut tries = 0;
    loop {
        if miss == 0.0 {
            // Sums updated move by move drift by rounding: confirm on fresh sums.
            d = w.demand(docs);
            miss = band_misses(&d);
            if miss == 0.0 || tries >= limit {
                break;
            }
        }
        if tries >= limit {
            break;
        }
        tries += 1;
        let i = *rng.pick(docs);
        let (old_start, old_len) = (w.doctors[i].start, w.doctors[i].len);
        let (start, len) = match rng.below(10) {
            0..=3 => (rng.range(0, (t - old_len) as i64) as usize, old_len),
            4..=6 => {
                let s = old_start as i64 + rng.range(-6, 6);
                (s.clamp(0, (t - old_len) as i64) as usize, old_len)
            }
            _ => {
                let len = (old_len as i64 + rng.range(-4, 4)).clamp(12, longest as i64) as usize;
                (old_start.min(t - len), len)
            }
        };
        if (start, len) == (old_start, old_len)
            || (len != old_len && !length_fits(&w.doctors[i], len))
        {
            continue;
        }
        w.doctors[i].add_demand(&mut d, -1.0);
        (w.doctors[i].start, w.doctors[i].len) = (start, len);
        w.doctors[i].add_demand(&mut d, 1.0);
        let m = band_misses(&d);
        let threshold = 0.05 * (1.0 - tries as f64 / limit as f64);
        if m <= miss + threshold {
            miss = m;
        } else {
            w.doctors[i].add_demand(&mut d, -1.0);
            (w.doctors[i].start, w.doctors[i].len) = (old_start, old_len);
            w.doctors[i].add_demand(&mut d, 1.0);
        }
    }
    miss == 0.0
}

/// Whether doctor `i` has, on their own (ignoring other doctors), a way to serve every
/// requirement part in one block each, without overlap: inside the window, off leave, at
/// a reachable department of the right specialty that has a slot in every month of the
/// block and allows the start month.
/// The farthest a relocating doctor is sent (`[scheme] max_relocation_minutes`): the
/// default, or, where some hospital lies farther from some municipality, that distance
/// rounded up to the hour. The generated regions are large (a Finnmark municipality can be
/// 763 min from the nearest hospital with ALIS slots), and a doctor the generator counts as
/// placeable must not be refused by the relocation limit.
pub(super) fn relocation_limit(w: &World) -> u32 {
    let default = crate::model::settings::SchemeSettings::default().max_relocation_minutes;
    let farthest = (0..w.munis.len())
        .flat_map(|m| (0..w.hospitals.len()).map(move |h| (m, h)))
        .map(|(m, h)| w.commute(m, h))
        .filter(|&minutes| minutes != u32::MAX)
        .max()
        .unwrap_or(0);
    default.max(farthest.div_ceil(60) * 60)
}

pub(super) fn placeable(w: &World, i: usize) -> bool {
    let doc = &w.doctors[i];
    let relocation = relocation_limit(w);
    // Leave-free months from each window month onwards.
    let end = doc.start + doc.len;
    let mut run = vec![0usize; end + 1];
    for m in (doc.start..end).rev() {
        run[m] = if doc.on_leave(m) { 0 } else { run[m + 1] + 1 };
    }
    let reachable: Vec<(usize, usize)> = w
        .depts
        .iter()
        .enumerate()
        .flat_map(|(r, ds)| (0..ds.len()).map(move |k| (r, k)))
        .filter(|&(r, k)| {
            let minutes = w.commute(doc.muni, w.depts[r][k].hospital);
            minutes != u32::MAX
                && (minutes <= doc.max_commute || (doc.relocate && minutes <= relocation))
        })
        .collect();
    let starts: Vec<Vec<bool>> = doc
        .parts
        .iter()
        .map(|p| {
            (doc.start..end)
                .map(|s| {
                    run[s] >= p.calendar
                        && reachable.iter().any(|&(r, k)| {
                            let dep = &w.depts[r][k];
                            p.specialty.is_none_or(|sp| sp == dep.specialty)
                                && supply::may_start(dep.start_months, w.month_of_year(s))
                                && dep.cap[s..s + p.calendar].iter().all(|&c| c >= 1)
                        })
                })
                .collect()
        })
        .collect();
    let first_from = |part: usize, from: usize| {
        (from.max(doc.start)..end).find(|&s| starts[part][s - doc.start])
    };
    match doc.parts.len() {
        1 => first_from(0, doc.start).is_some(),
        _ => [(0, 1), (1, 0)].iter().any(|&(a, b)| {
            first_from(a, doc.start)
                .is_some_and(|s| first_from(b, s + doc.parts[a].calendar).is_some())
        }),
    }
}

/// Make every doctor placeable on their own: allow relocation, fall back to the scheme's
/// default requirement, widen the window (or drop a leave) — then re-balance and re-size
/// the slots of the regions whose demand changed.
pub(super) fn ensure_placeable(w: &mut World) -> Result<(), SpecError> {
    let longest = MAX_WINDOW.min(w.months);
    for round in 0..12u32 {
        let failing: Vec<usize> = (0..w.doctors.len()).filter(|&i| !placeable(w, i)).collect();
        if failing.is_empty() {
            return Ok(());
        }
        let mut changed = BTreeSet::new();
        for i in failing {
            let doc = &mut w.doctors[i];
            if !doc.relocate {
                doc.relocate = true;
            } else if doc.rows == Rows::MedicinePsychiatry {
                doc.rows = Rows::SchemeDefault;
                doc.parts = parts_of(doc.rows, doc.old, doc.fte);
            } else if doc.len < longest {
                doc.len = (doc.len + 6).min(longest);
                doc.start = doc.start.min(w.months - doc.len);
                changed.insert(doc.region);
            } else if doc.leave.pop().is_some() {
                changed.insert(doc.region);
            } else {
                return Err(SpecError(format!(
                    "doctor {} cannot be placed even with the widest window; this is a bug in the generator",
                    doc.id
                )));
            }
        }
        for r in changed {
            let docs = region_doctors(w, r);
            let mut rng = Random::attempt(w.spec.seed, &format!("windows-{r}"), 100 + round);
            if !nudge(w, &docs, &mut rng) {
                return Err(SpecError(format!(
                    "could not keep the slots of {} within 90-120 % of demand after widening windows; give more doctors",
                    w.regions[r].name
                )));
            }
            supply::build_region(w, r)?;
        }
    }
    let stuck: Vec<&str> = (0..w.doctors.len())
        .filter(|&i| !placeable(w, i))
        .map(|i| w.doctors[i].id.as_str())
        .collect();
    if stuck.is_empty() {
        Ok(())
    } else {
        Err(SpecError(format!(
            "doctors {} could not be made placeable",
            stuck.join(", ")
        )))
    }
}

/// Whether a guidance-group period starting in month `g` keeps the group-year rule
/// placeable: one group year leave leaves at least half in practice (the default
/// `min_practice_share`), and outside it a leave-free run long enough for the months
/// needed, whatever months the departments start rotations in (`run_needed`).
fn group_fits(doc: &Doc, g: usize) -> bool {
    let year = GROUP_MONTHS / 2;
    (0..2).any(|k| {
        let first = g + k * year;
        let practice = (first..first + year).filter(|&m| !doc.on_leave(m)).count();
        if 2 * practice < year {
            return false;
        }
        let mut run = 0;
        let mut longest = 0;
        for m in doc.start..doc.start + doc.len {
            if doc.on_leave(m) || (first..first + year).contains(&m) {
                run = 0;
            } else {
                run += 1;
                longest = longest.max(run);
            }
        }
        longest >= doc.run_needed
    })
}

/// Guidance-group starts, and each municipality's `max_away` and substitute cost.
pub(super) fn finish(w: &mut World) {
    let mut rng = Random::new(w.spec.seed, "groups");
    // Group starts spread over the first 18 months; in a small region over 12, so that
    // its one or two groups can keep within `max_start_spread`.
    let spread: Vec<usize> = (0..w.regions.len())
        .map(|r| {
            let n = w.doctors.iter().filter(|d| d.region == r).count();
            let months = if n < SMALL_REGION { 12 } else { 18 };
            months.min(w.months)
        })
        .collect();
    for i in 0..w.doctors.len() {
        if !rng.chance(0.85) {
            continue;
        }
        let doc = &w.doctors[i];
        let mut candidates: Vec<usize> = (0..spread[doc.region]).collect();
        rng.shuffle(&mut candidates);
        w.doctors[i].group_from = candidates.into_iter().find(|&g| group_fits(doc, g));
    }
    // Every region gets enough due doctors for at least one group of `min_size`.
    for (r, &months) in spread.iter().enumerate() {
        let docs = region_doctors(w, r);
        let mut due = docs
            .iter()
            .filter(|&&i| w.doctors[i].group_from.is_some())
            .count();
        for &i in &docs {
            if due >= GROUP_MIN_SIZE {
                break;
            }
            if w.doctors[i].group_from.is_none() {
                let doc = &w.doctors[i];
                w.doctors[i].group_from = (0..months).find(|&g| group_fits(doc, g));
                due += usize::from(w.doctors[i].group_from.is_some());
            }
        }
    }
    let mut rng = Random::new(w.spec.seed, "municipalities");
    for m in 0..w.munis.len() {
        let docs: Vec<usize> = (0..w.doctors.len())
            .filter(|&d| w.doctors[d].muni == m)
            .collect();
        let peak = w.demand(&docs).into_iter().fold(0.0, f64::max);
        let n = w.munis[m].size;
        let share = if n <= 2 {
            1
        } else {
            (rng.uniform(0.3, 0.5) * f64::from(n)).ceil() as u32
        };
        let muni = &mut w.munis[m];
        // At most what the loader takes (a city of thousands of ALIS, at the largest sizes,
        // would ask for more; so many away at once never binds).
        muni.max_away = share
            .max((1.25 * peak).ceil() as u32)
            .clamp(1, n.max(1))
            .min(crate::model::bounds::MAX_AWAY.max);
        muni.substitute_cost = 5_000
            * match n {
                1 => rng.range(20, 28),
                2..=5 => rng.range(18, 24),
                _ => rng.range(16, 20),
            } as u32;
    }
}

/// Wishes and avoidances of about one doctor in five, for hospitals near home.
pub(super) fn preferences(w: &mut World) {
    let mut rng = Random::new(w.spec.seed, "preferences");
    let with_slots: Vec<usize> = (0..w.hospitals.len())
        .filter(|&h| w.all_depts().any(|d| d.hospital == h))
        .collect();
    for i in 0..w.doctors.len() {
        if !rng.chance(0.2) {
            continue;
        }
        let muni = w.doctors[i].muni;
        let mut near: Vec<(u32, usize)> = with_slots
            .iter()
            .map(|&h| (w.commute(muni, h), h))
            .collect();
        near.sort_unstable();
        near.truncate(4);
        rng.shuffle(&mut near);
        let k = rng.range(1, 2) as usize;
        for &(_, h) in near.iter().take(k) {
            let weight = if rng.chance(0.75) {
                *rng.pick(&[1, 2, 3])
            } else {
                *rng.pick(&[-1, -2])
            };
            let specialty = if rng.chance(0.3) {
                let mine: Vec<&'static str> = w
                    .all_depts()
                    .filter(|d| d.hospital == h)
                    .map(|d| d.specialty)
                    .collect();
                Some(*rng.pick(&mine))
            } else {
                None
            };
            w.prefs.push(Pref {
                doctor: i,
                hospital: h,
                specialty,
                weight,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leave_leaves_a_long_enough_stretch() {
        let mut rng = Random::new(5, "t");
        for _ in 0..200 {
            let spans = [(12, "parental"), (3, "sick")];
            let leave = arrange_leave(30, 15, &spans, &mut rng);
            let mut free = vec![true; 30];
            for l in &leave {
                for f in &mut free[l.offset..l.offset + l.len] {
                    assert!(*f, "leave spans overlap");
                    *f = false;
                }
            }
            assert!(longest_run(&free) >= 15);
        }
    }

    #[test]
    fn no_old_scheme_doctors_after_the_transition_deadline() {
        let at = |y| Month::new(y, 1).expect("valid month");
        assert_eq!(old_scheme_share(at(2027)), 0.0);
        assert_eq!(old_scheme_share(at(2030)), 0.0);
        assert!((old_scheme_share(at(2026)) - 0.25 / 3.0).abs() < 1e-12);
        assert_eq!(old_scheme_share(at(2024)), 0.25);
        assert_eq!(old_scheme_share(at(2020)), 0.25);
    }

    #[test]
    fn old_scheme_default_is_medicine_plus_any() {
        let p = parts_of(Rows::SchemeDefault, true, 80);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].specialty, Some("medicine"));
        assert_eq!(p[1].calendar, 8);
        assert_eq!(parts_of(Rows::SplitAny, false, 100)[0].calendar, 6);
    }
}
