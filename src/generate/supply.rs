//! Hospital departments and their slots, sized to the expected demand of each region; and
//! the guidance-group venues and supervisors.
//!
//! Per region and month the slots offered are kept within 90–120 % of the expected demand
//! (each doctor's calendar months spread evenly over the free months of their window). A
//! base number of slots per region is shared out over the departments (first one medicine
//! slot per hospital, then by department weight); a few dated overrides model extra slots
//! and summer closures; further overrides lift or lower the months that fall outside the
//! band.

use super::geo::km;
use super::rng::Random;
use super::{BAND_HIGH, BAND_LOW, Dept, Kind, SpecError, Sup, VenueG, World};

/// Margins kept inside the band so that no month sits on its edge.
const LOW: f64 = BAND_LOW + 0.005;
const HIGH: f64 = BAND_HIGH - 0.005;
/// Guidance groups are planned with this many members on average (`max_size` − 2).
const GROUP_SIZE: usize = 10;

/// The whole numbers of slots that lie within the band for an expected demand of `demand`
/// doctors in hospital, if there are any.
pub fn band_slots(demand: f64) -> Option<(u32, u32)> {
    if demand <= 0.0 {
        return None;
    }
    let lo = (demand * LOW).ceil().max(1.0);
    let hi = (demand * HIGH).floor();
    (lo <= hi).then_some((lo as u32, hi as u32))
}

/// How far `demand` is from a demand that whole slots can meet within the band (0 when
/// [`band_slots`] has an answer).
pub(super) fn band_miss(demand: f64) -> f64 {
    if band_slots(demand).is_some() {
        return 0.0;
    }
    if demand <= 0.0 {
        return 1.0;
    }
    let k1 = (demand * HIGH).floor().max(1.0);
    [k1, k1 + 1.0]
        .iter()
        .map(|&k| (k / HIGH - demand).max(demand - k / LOW).max(0.0))
        .fold(f64::INFINITY, f64::min)
        .max(1e-9)
}

/// Whether a department with start months `pattern` (e.g. `2;8`, empty = any) lets a
/// rotation start in month-of-year `m`.
pub(super) fn may_start(pattern: &str, m: u32) -> bool {
    pattern.is_empty() || pattern.split(';').any(|p| p.parse() == Ok(m))
}

/// Specialties of a hospital of each kind, with their weight in the share-out of slots.
const UNIVERSITY: [(&str, f64); 9] = [
    ("medicine", 3.0),
    ("surgery", 2.0),
    ("psychiatry", 2.0),
    ("paediatrics", 1.0),
    ("orthopaedics", 1.5),
    ("gynaecology", 1.0),
    ("neurology", 1.0),
    ("geriatrics", 1.0),
    ("emergency", 1.0),
];
const CENTRAL: [(&str, f64); 6] = [
    ("medicine", 3.0),
    ("surgery", 2.0),
    ("psychiatry", 2.0),
    ("paediatrics", 1.0),
    ("gynaecology", 1.0),
    ("orthopaedics", 1.5),
];
const LOCAL: [(&str, f64); 3] = [("medicine", 3.0), ("surgery", 2.0), ("psychiatry", 1.5)];

/// Start-month rules and how common they are.
const PATTERNS: [&str; 4] = ["2;8", "1;7", "3;9", ""];
const PATTERN_WEIGHTS: [f64; 4] = [0.30, 0.25, 0.15, 0.30];

pub(super) fn build_all(w: &mut World) -> Result<(), SpecError> {
    w.depts = vec![Vec::new(); w.regions.len()];
    for r in 0..w.regions.len() {
        build_region(w, r)?;
    }
    Ok(())
}

/// The departments of region `r` with slots sized to the region's expected demand.
pub(super) fn build_region(w: &mut World, r: usize) -> Result<(), SpecError> {
    let t = w.months;
    let docs: Vec<usize> = (0..w.doctors.len())
        .filter(|&d| w.doctors[d].region == r)
        .collect();
    let demand = w.demand(&docs);
    let bands: Vec<(u32, u32)> = demand
        .iter()
        .map(|&d| band_slots(d))
        .collect::<Option<_>>()
        .ok_or_else(|| {
            SpecError(format!(
                "the expected demand of {} is too thin in some month for whole slots",
                w.regions[r].name
            ))
        })?;
    let mut rng = Random::new(w.spec.seed, &format!("supply-{r}"));

    // The base: the number of slots that lies in the band in the most months.
    let mean = demand.iter().sum::<f64>() / t as f64;
    let lo = bands.iter().map(|b| b.0).min().unwrap_or(1);
    let hi = bands.iter().map(|b| b.1).max().unwrap_or(1);
    let base = (lo..=hi)
        .max_by(|&a, &b| {
            let fits = |x: u32| bands.iter().filter(|&&(l, h)| l <= x && x <= h).count();
            let off = |x: u32| (f64::from(x) - 1.05 * mean).abs();
            fits(a)
                .cmp(&fits(b))
                .then(off(b).total_cmp(&off(a)))
                .then(b.cmp(&a))
        })
        .unwrap_or(lo);

    // Departments of every hospital of the region, hospitals in order of importance.
    let hospitals: Vec<usize> = (0..w.hospitals.len())
        .filter(|&h| w.hospitals[h].region == r)
        .collect();
    let mut depts: Vec<Dept> = Vec::new();
    for &h in &hospitals {
        let kind = w.hospitals[h].kind;
        let (list, factor): (&[(&'static str, f64)], f64) = match kind {
            Kind::University => (&UNIVERSITY, 2.5),
            Kind::Central => (&CENTRAL, 1.5),
            Kind::Local => (&LOCAL, 1.0),
        };
        let house = PATTERNS[rng.weighted(&PATTERN_WEIGHTS)];
        for (i, &(specialty, weight)) in list.iter().enumerate() {
            let include = match kind {
                Kind::University => true,
                Kind::Central => i < 2 || rng.chance(0.7),
                Kind::Local => i < 2 || rng.chance(0.3),
            };
            if !include {
                continue;
            }
            let own = kind == Kind::University || rng.chance(0.2);
            let start_months = if own {
                PATTERNS[rng.weighted(&PATTERN_WEIGHTS)]
            } else {
                house
            };
            depts.push(Dept {
                hospital: h,
                specialty,
                weight: weight * factor,
                start_months,
                base: 0,
                cap: Vec::new(),
                min_fill: 0,
            });
        }
    }
    // Share out the base: one medicine slot per hospital first, then by weight (D'Hondt).
    let mut left = base;
    for &h in &hospitals {
        if left == 0 {
            break;
        }
        if let Some(d) = depts
            .iter_mut()
            .find(|d| d.hospital == h && d.specialty == "medicine")
        {
            d.base += 1;
            left -= 1;
        }
    }
    while left > 0 {
        let k = (0..depts.len())
            .max_by(|&a, &b| {
                let q = |k: usize| depts[k].weight / f64::from(depts[k].base + 1);
                q(a).total_cmp(&q(b)).then(b.cmp(&a))
            })
            .expect("every hospital has departments");
        depts[k].base += 1;
        left -= 1;
    }
    depts.retain(|d| d.base > 0);
    for d in &mut depts {
        d.cap = vec![d.base; t];
    }

    // A few realistic changes: an extra slot for six months (staff on planned leave), a
    // small department closed for the summer.
    let events = if depts.len() >= 2 {
        (depts.len() / 10).max(1)
    } else {
        0
    };
    for _ in 0..events {
        let k = rng.below(depts.len() as u64) as usize;
        let local = w.hospitals[depts[k].hospital].kind == Kind::Local;
        let months: Vec<usize> = if depts[k].base == 1 && local && rng.chance(0.5) {
            let summers: Vec<usize> = (0..t)
                .filter(|&m| w.month_of_year(m) == 6 && m + 2 < t)
                .collect();
            if summers.is_empty() {
                continue;
            }
            let june = *rng.pick(&summers);
            (june..june + 3).collect()
        } else {
            let s = rng.range(0, (t - 6) as i64) as usize;
            (s..s + 6).collect()
        };
        let closure = months.len() == 3;
        let d = &mut depts[k];
        if months.iter().any(|&m| d.cap[m] != d.base) {
            continue;
        }
        for &m in &months {
            d.cap[m] = if closure { 0 } else { d.base + 1 };
        }
    }

    // Months outside the band: extra slots in the largest departments, or fewer.
    let supply = |depts: &[Dept], m: usize| depts.iter().map(|d| d.cap[m]).sum::<u32>();
    let delta: Vec<i64> = (0..t)
        .map(|m| {
            let s = supply(&depts, m);
            i64::from(s.clamp(bands[m].0, bands[m].1)) - i64::from(s)
        })
        .collect();
    let mut order: Vec<usize> = (0..depts.len()).collect();
    order.sort_by(|&a, &b| {
        depts[b]
            .base
            .cmp(&depts[a].base)
            .then(depts[b].weight.total_cmp(&depts[a].weight))
            .then(a.cmp(&b))
    });
    let mut m = 0;
    let mut runs = 0;
    while m < t {
        let change = delta[m];
        let mut end = m + 1;
        while end < t && delta[end] == change {
            end += 1;
        }
        if change > 0 {
            for j in 0..change as usize {
                let k = order[(runs + j) % order.len()];
                depts[k].cap[m..end].iter_mut().for_each(|c| *c += 1);
            }
            runs += 1;
        } else if change < 0 {
            for _ in 0..-change {
                let k = (0..depts.len())
                    .filter(|&k| depts[k].cap[m..end].iter().all(|&c| c >= 1))
                    .max_by_key(|&k| {
                        (
                            depts[k].cap[m..end].iter().min().copied().unwrap_or(0),
                            std::cmp::Reverse(k),
                        )
                    })
                    .ok_or_else(|| SpecError("no slot left to remove".into()))?;
                depts[k].cap[m..end].iter_mut().for_each(|c| *c -= 1);
            }
        }
        m = end;
    }

    for d in &mut depts {
        let local = w.hospitals[d.hospital].kind == Kind::Local;
        if (d.base >= 2 && rng.chance(0.15)) || (d.base == 1 && local && rng.chance(0.05)) {
            d.min_fill = 1;
        }
    }
    for (m, &(l, h)) in bands.iter().enumerate() {
        let s = supply(&depts, m);
        if s < l || s > h {
            return Err(SpecError(format!(
                "internal: {} has {s} slots in month {} for a demand of {:.2}",
                w.regions[r].name,
                w.month(m),
                demand[m]
            )));
        }
    }
    w.depts[r] = depts;
    Ok(())
}

/// Venues (1–3 per region, in the largest towns, spread out) and supervisors, with room
/// for every due doctor in groups of about ten.
pub(super) fn venues_and_supervisors(w: &mut World) {
    let mut rng = Random::new(w.spec.seed, "venues");
    for r in 0..w.regions.len() {
        let due: Vec<usize> = (0..w.doctors.len())
            .filter(|&d| w.doctors[d].region == r && w.doctors[d].group_from.is_some())
            .collect();
        if due.is_empty() {
            continue;
        }
        let groups = due.len().div_ceil(GROUP_SIZE);
        let room = groups + groups.div_ceil(5);
        let mut towns: Vec<usize> = (0..w.munis.len())
            .filter(|&m| w.munis[m].region == r)
            .collect();
        towns.sort_by(|&a, &b| w.munis[b].size.cmp(&w.munis[a].size).then(a.cmp(&b)));
        let count = match groups {
            0..=2 => 1,
            3..=6 => 2,
            _ => 3,
        }
        .min(towns.len());
        let place = |w: &World, m: usize| {
            let p = &w.places[w.munis[m].place];
            (p.lat, p.lon)
        };
        let mut chosen = vec![towns[0]];
        while chosen.len() < count {
            let score = |m: usize| {
                let (lat, lon) = place(w, m);
                let near = chosen
                    .iter()
                    .map(|&c| {
                        let (a, b) = place(w, c);
                        km(lat, lon, a, b)
                    })
                    .fold(f64::INFINITY, f64::min);
                f64::from(w.munis[m].size) * near.min(300.0)
            };
            let next = towns
                .iter()
                .copied()
                .filter(|m| !chosen.contains(m))
                .max_by(|&a, &b| score(a).total_cmp(&score(b)).then(b.cmp(&a)));
            match next {
                Some(m) => chosen.push(m),
                None => break,
            }
        }
        let mut members = vec![0usize; chosen.len()];
        for &d in &due {
            let (lat, lon) = place(w, w.doctors[d].muni);
            let v = (0..chosen.len())
                .min_by(|&a, &b| {
                    let (la, lo) = place(w, chosen[a]);
                    let (lb, lob) = place(w, chosen[b]);
                    km(lat, lon, la, lo)
                        .total_cmp(&km(lat, lon, lb, lob))
                        .then(a.cmp(&b))
                })
                .unwrap_or(0);
            members[v] += 1;
        }
        for (v, &m) in chosen.iter().enumerate() {
            let max_groups = (room * members[v]).div_ceil(due.len()).max(1) as u32;
            let name = if v == 0 {
                format!("{} (ALIS-kontoret)", w.munis[m].name)
            } else {
                w.munis[m].name.clone()
            };
            w.venues.push(VenueG {
                muni: m,
                max_groups,
                name,
            });
        }
        // Supervisors live where the doctors are; most lead one group, some two.
        let sizes: Vec<f64> = towns.iter().map(|&m| f64::from(w.munis[m].size)).collect();
        let width = room.to_string().len().max(2);
        let mut total = 0;
        let mut n = 0;
        while total < room {
            n += 1;
            let muni = towns[rng.weighted(&sizes)];
            let max_groups = if rng.chance(0.3) { 2 } else { 1 };
            total += max_groups as usize;
            w.supervisors.push(Sup {
                id: format!("{}S{n:0width$}", w.regions[r].code),
                name: format!(
                    "{} {}",
                    rng.pick(&super::geo::FIRST_NAMES),
                    rng.pick(&super::geo::LAST_NAMES)
                ),
                muni,
                max_groups,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_slots_lie_inside_the_band() {
        for i in 1..2000 {
            let d = f64::from(i) / 37.0;
            if let Some((lo, hi)) = band_slots(d) {
                assert!(f64::from(lo) >= 0.9 * d && f64::from(hi) <= 1.2 * d, "{d}");
                assert_eq!(band_miss(d), 0.0);
            } else {
                assert!(band_miss(d) > 0.0, "{d}");
            }
        }
        // Between 2.22 and 2.5 expected doctors no whole number of slots fits.
        assert!(band_slots(2.35).is_none());
        assert_eq!(band_slots(10.0), Some((10, 11)));
    }

    #[test]
    fn start_patterns() {
        assert!(may_start("", 5));
        assert!(may_start("2;8", 8));
        assert!(!may_start("2;8", 7));
    }
}
