//! Places, municipalities, the road and ferry network and the hospitals.
//!
//! Per region: municipality centres cluster around the region's real towns (the largest
//! municipalities *are* those towns); a minimum spanning tree over the centres plus some
//! extra short links makes a connected road network; some links cross a fjord by ferry
//! (two quays, with waiting time in the ferry minutes), some of those with a long road
//! around the fjord as well. Neighbouring regions are joined by two long roads each.
//! Hospitals are put in the largest towns, spread out over the region.

use std::collections::BTreeSet;

use super::geo::{self, Anchor, RegionDef, km, offset, slug};
use super::rng::Random;
use super::{Hosp, Kind, Link, Muni, Place, World, apportion};
use crate::model::{Edge, Mode, PlaceId};
use crate::travel::Travel;

/// Road minutes per straight-line km: roads are about 1.5 times the straight line, driven
/// at 60 km/h.
const ROAD_FACTOR: f64 = 1.5;
/// Ferry speed in km/h.
const FERRY_KMH: f64 = 25.0;

pub(super) fn build(w: &mut World, doctors_per_region: &[u32], hospitals_per_region: &[u32]) {
    let mut rng = Random::new(w.spec.seed, "geography");
    let mut used: BTreeSet<String> = geo::REGIONS
        .iter()
        .flat_map(|r| r.anchors.iter().map(|a| slug(a.name)))
        .collect();
    let national = municipality_count(w.spec.doctors);
    for (r, &d) in doctors_per_region.iter().enumerate() {
        let def = w.regions[r];
        let count = (f64::from(national) * f64::from(d) / f64::from(w.spec.doctors))
            .round()
            .clamp(1.0, f64::from(d)) as usize;
        municipalities(w, r, def, d, count, &mut rng, &mut used);
        roads(w, r, def, &mut rng);
    }
    long_roads(w);
    for (r, &count) in hospitals_per_region.iter().enumerate() {
        hospitals(w, r, count, &mut rng);
    }
    let edges: Vec<Edge> = w
        .links
        .iter()
        .map(|l| Edge {
            a: PlaceId::at(l.a),
            b: PlaceId::at(l.b),
            minutes: l.minutes,
            km: Some(f64::from(l.km)),
            mode: if l.ferry { Mode::Ferry } else { Mode::Road },
        })
        .collect();
    let sources: Vec<PlaceId> = w.hospitals.iter().map(|h| PlaceId::at(h.place)).collect();
    let travel = Travel::from_sources(w.places.len(), &edges, &sources);
    w.commutes = w
        .munis
        .iter()
        .map(|m| {
            w.hospitals
                .iter()
                .map(|h| travel.minutes(PlaceId::at(m.place), PlaceId::at(h.place)))
                .collect()
        })
        .collect();
}

/// Number of municipalities for `doctors` ALIS in the whole country: about
/// 1.2 × doctors^0.75, so that most municipalities have one ALIS and a few towns many
/// (2,000 doctors → about 360, close to Norway's 357 municipalities). Regions get their
/// share by their number of doctors.
pub(super) fn municipality_count(doctors: u32) -> u32 {
    let d = f64::from(doctors);
    let n = (1.2 * (d * d.sqrt()).sqrt()).ceil() as u32;
    n.clamp(1, doctors)
}

fn add_place(w: &mut World, id: String, name: String, lat: f64, lon: f64) -> usize {
    w.places.push(Place { id, name, lat, lon });
    w.places.len() - 1
}

/// A made-up Norwegian-looking municipality name not used before.
fn new_name(rng: &mut Random, used: &mut BTreeSet<String>) -> String {
    for _ in 0..40 {
        let name = format!(
            "{}{}",
            rng.pick(&geo::NAME_HEADS),
            rng.pick(&geo::NAME_TAILS)
        );
        if used.insert(slug(&name)) {
            return name;
        }
    }
    let base = format!(
        "{}{}",
        rng.pick(&geo::NAME_HEADS),
        rng.pick(&geo::NAME_TAILS)
    );
    for prefix in ["Nedre", "Øvre", "Indre", "Ytre", "Store", "Vesle"] {
        let name = format!("{prefix} {base}");
        if used.insert(slug(&name)) {
            return name;
        }
    }
    let mut n = 2;
    loop {
        let name = format!("{base} {n}");
        if used.insert(slug(&name)) {
            return name;
        }
        n += 1;
    }
}

fn municipalities(
    w: &mut World,
    r: usize,
    def: &'static RegionDef,
    doctors: u32,
    count: usize,
    rng: &mut Random,
    used: &mut BTreeSet<String>,
) {
    // Zipf-like sizes: one ALIS each, the rest by weight (rank + 1.5)^-1.5, so that many
    // municipalities have one or two ALIS and the largest town about a quarter of the
    // region's (Oslo about 14 % of the country's, close to its share of the population).
    let weights: Vec<f64> = (0..count)
        .map(|i| {
            let x = i as f64 + 1.5;
            1.0 / (x * x.sqrt())
        })
        .collect();
    let sizes = apportion(doctors, &weights, 1);
    let mut anchors: Vec<&'static Anchor> = def.anchors.iter().collect();
    anchors.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    let anchor_weights: Vec<f64> = anchors.iter().map(|a| a.weight).collect();
    let first_place = w.places.len();
    for (rank, &size) in sizes.iter().enumerate() {
        let (name, lat, lon, county, anchor_weight) = if rank < anchors.len() {
            let a = anchors[rank];
            (a.name.to_string(), a.lat, a.lon, a.county, a.weight)
        } else {
            let a = anchors[rng.weighted(&anchor_weights)];
            let mut best = (a.lat, a.lon);
            for _ in 0..8 {
                let (lat, lon) = offset(
                    a.lat,
                    a.lon,
                    rng.normal() * def.spread_km,
                    rng.normal() * def.spread_km,
                );
                let lat = lat.clamp(def.lat.0, def.lat.1);
                let lon = lon.clamp(def.lon.0, def.lon.1);
                best = (lat, lon);
                let crowded = w.places[first_place..]
                    .iter()
                    .any(|p| km(p.lat, p.lon, lat, lon) < 4.0);
                if !crowded {
                    break;
                }
            }
            (new_name(rng, used), best.0, best.1, a.county, 0.0)
        };
        let id = slug(&name);
        let place = add_place(w, id.clone(), name.clone(), round4(lat), round4(lon));
        w.munis.push(Muni {
            id,
            name,
            place,
            county,
            region: r,
            size,
            anchor_weight,
            max_away: 1,
            substitute_cost: 90_000,
        });
    }
}

/// Coordinates are written with 4 decimals (about 10 m); keep exactly what is written.
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn dist(w: &World, a: usize, b: usize) -> f64 {
    let (p, q) = (&w.places[a], &w.places[b]);
    km(p.lat, p.lon, q.lat, q.lon)
}

/// A road link of `d` straight-line km.
fn road(w: &mut World, a: usize, b: usize, d: f64, slow: f64, rng: &mut Random) {
    let km = (ROAD_FACTOR * d).round().max(1.0) as u32;
    let minutes = (ROAD_FACTOR * d * slow * rng.uniform(0.95, 1.15))
        .round()
        .max(1.0) as u32;
    w.links.push(Link {
        a,
        b,
        minutes,
        km,
        ferry: false,
    });
}

/// A crossing between two places `d` km apart (5–40 km): quays at both ends and a ferry between
/// them (minutes include 20–40 minutes of waiting and boarding); sometimes also a long road
/// around the fjord.
fn ferry(w: &mut World, a: usize, b: usize, d: f64, rng: &mut Random) {
    let quay = |w: &mut World, from: usize, to: usize, t: f64| {
        let (p, q) = (&w.places[from], &w.places[to]);
        let lat = round4(p.lat + t * (q.lat - p.lat));
        let lon = round4(p.lon + t * (q.lon - p.lon));
        let id = format!("{}-ferjekai-{}", p.id, q.id);
        let name = format!("{} ferjekai (mot {})", p.name, q.name);
        add_place(w, id, name, lat, lon)
    };
    let qa = quay(w, a, b, 0.15);
    let qb = quay(w, b, a, 0.15);
    road(w, a, qa, 0.15 * d, 1.0, rng);
    road(w, qb, b, 0.15 * d, 1.0, rng);
    let crossing = 0.7 * d;
    w.links.push(Link {
        a: qa,
        b: qb,
        minutes: (crossing * 60.0 / FERRY_KMH).round() as u32 + rng.range(20, 40) as u32,
        km: crossing.round().max(1.0) as u32,
        ferry: true,
    });
    if rng.chance(0.35) {
        let around = rng.uniform(1.8, 2.8);
        road(w, a, b, d * around, 1.0, rng);
    }
}

/// Connected roads (and ferries) between the municipality centres of region `r`.
fn roads(w: &mut World, r: usize, def: &RegionDef, rng: &mut Random) {
    let nodes: Vec<usize> = w
        .munis
        .iter()
        .filter(|m| m.region == r)
        .map(|m| m.place)
        .collect();
    let n = nodes.len();
    let mut pairs: Vec<(f64, usize, usize)> = Vec::with_capacity(n * n.saturating_sub(1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            pairs.push((dist(w, nodes[i], nodes[j]), i, j));
        }
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    // Kruskal: the minimum spanning tree keeps the region connected.
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let mut chosen: BTreeSet<(usize, usize)> = BTreeSet::new();
    for &(_, i, j) in &pairs {
        let (a, b) = (find(&mut parent, i), find(&mut parent, j));
        if a != b {
            parent[a] = b;
            chosen.insert((i, j));
        }
    }
    // Extra short links: each centre to some of its three nearest neighbours.
    let mut near: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n];
    for &(d, i, j) in &pairs {
        if near[i].len() < 3 {
            near[i].push((d, j));
        }
        if near[j].len() < 3 {
            near[j].push((d, i));
        }
    }
    for (i, list) in near.iter().enumerate() {
        let Some(&(nearest, _)) = list.first() else {
            continue;
        };
        for &(d, j) in list {
            let key = (i.min(j), i.max(j));
            if !chosen.contains(&key) && d <= 1.6 * nearest + 8.0 && rng.chance(0.5) {
                chosen.insert(key);
            }
        }
    }
    for (i, j) in chosen {
        let (a, b) = (nodes[i], nodes[j]);
        let d = dist(w, a, b);
        if (5.0..=40.0).contains(&d) && rng.chance(def.ferry) {
            ferry(w, a, b, d, rng);
        } else {
            road(w, a, b, d, 1.0, rng);
        }
    }
}

/// Two long roads between every pair of neighbouring regions (mountain passes are slower).
fn long_roads(w: &mut World) {
    let mut rng = Random::new(w.spec.seed, "long-roads");
    for &(ra, rb) in &geo::NEIGHBOURS {
        if ra >= w.regions.len() || rb >= w.regions.len() {
            continue;
        }
        let a: Vec<usize> = w
            .munis
            .iter()
            .filter(|m| m.region == ra)
            .map(|m| m.place)
            .collect();
        let b: Vec<usize> = w
            .munis
            .iter()
            .filter(|m| m.region == rb)
            .map(|m| m.place)
            .collect();
        let mut pairs: Vec<(f64, usize, usize)> = a
            .iter()
            .flat_map(|&p| b.iter().map(move |&q| (p, q)))
            .map(|(p, q)| (dist(w, p, q), p, q))
            .collect();
        pairs.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        let Some(&first) = pairs.first() else {
            continue;
        };
        road(w, first.1, first.2, first.0, 1.15, &mut rng);
        if let Some(&second) = pairs.iter().find(|p| p.1 != first.1 && p.2 != first.2) {
            road(w, second.1, second.2, second.0, 1.15, &mut rng);
        }
    }
}

/// Names of further hospitals in a town that already has one.
const SECOND_NAMES: [&str; 7] = [
    "diakonale",
    "sanitetsforenings",
    "private",
    "nordre",
    "søndre",
    "østre",
    "vestre",
];

fn hospitals(w: &mut World, r: usize, count: u32, rng: &mut Random) {
    let def = w.regions[r];
    let towns: Vec<usize> = (0..w.munis.len())
        .filter(|&m| w.munis[m].region == r)
        .collect();
    let mut at_town: Vec<u32> = vec![0; towns.len()];
    // Distance from each town to the nearest town with a hospital.
    let mut nearest: Vec<f64> = vec![f64::INFINITY; towns.len()];
    let mut chosen: Vec<usize> = Vec::new(); // indices into towns
    for k in 0..count as usize {
        let pick = if k == 0 {
            0
        } else {
            let score = |t: usize| {
                let m = &w.munis[towns[t]];
                let size = f64::from(m.size) + 5.0 * m.anchor_weight;
                let spread = if at_town[t] > 0 {
                    0.08 / f64::from(at_town[t])
                } else {
                    0.08 + nearest[t].min(120.0) / 120.0
                };
                size * spread
            };
            (0..towns.len())
                .max_by(|&a, &b| score(a).total_cmp(&score(b)).then(b.cmp(&a)))
                .unwrap_or(0)
        };
        chosen.push(pick);
        at_town[pick] += 1;
        let p = w.munis[towns[pick]].place;
        for (t, n) in nearest.iter_mut().enumerate() {
            *n = n.min(dist(w, w.munis[towns[t]].place, p));
        }
    }
    let centrals = match count {
        0..=2 => 0,
        3 => 1,
        n => n / 4,
    } as usize;
    let mut seen: Vec<u32> = vec![0; towns.len()];
    let first = w.hospitals.len();
    for (k, &t) in chosen.iter().enumerate() {
        let kind = if k == 0 {
            Kind::University
        } else if k <= centrals {
            Kind::Central
        } else {
            Kind::Local
        };
        let town = towns[t];
        let tname = w.munis[town].name.clone();
        let word = def.hospital_word;
        let name = match (seen[t], kind) {
            (0, Kind::University) => format!("{tname} universitets{word}"),
            (0, Kind::Central) => format!("{tname} sentral{word}"),
            (0, Kind::Local) => format!("{tname} {word}"),
            (n, _) if (n as usize) <= SECOND_NAMES.len() => {
                format!("{tname} {} {word}", SECOND_NAMES[n as usize - 1])
            }
            (n, _) => format!("{tname} {word} {}", n + 1),
        };
        seen[t] += 1;
        let id = slug(&name);
        let tp = w.munis[town].place;
        let (lat, lon) = offset(
            w.places[tp].lat,
            w.places[tp].lon,
            rng.normal() * 1.5,
            rng.normal() * 1.5,
        );
        let place = add_place(w, id.clone(), name.clone(), round4(lat), round4(lon));
        let d = dist(w, tp, place).max(1.0);
        w.links.push(Link {
            a: tp,
            b: place,
            minutes: (ROAD_FACTOR * d * 1.3).round().max(3.0) as u32,
            km: (ROAD_FACTOR * d).round().max(1.0) as u32,
            ferry: false,
        });
        w.hospitals.push(Hosp {
            id,
            name,
            place,
            town,
            region: r,
            kind,
            trust: String::new(),
        });
    }
    // Each hospital belongs to the trust of the nearest university or central hospital.
    let heads: Vec<usize> = (first..w.hospitals.len())
        .filter(|&h| w.hospitals[h].kind != Kind::Local)
        .collect();
    for h in first..w.hospitals.len() {
        let p = w.hospitals[h].place;
        let head = heads
            .iter()
            .copied()
            .min_by(|&a, &b| {
                dist(w, p, w.hospitals[a].place)
                    .total_cmp(&dist(w, p, w.hospitals[b].place))
                    .then(a.cmp(&b))
            })
            .unwrap_or(first);
        w.hospitals[h].trust = format!("Helse {}", w.munis[w.hospitals[head].town].name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn municipality_counts_grow_slower_than_doctors() {
        assert_eq!(municipality_count(1), 1);
        assert!((9..=11).contains(&municipality_count(15)));
        let national = municipality_count(2000);
        assert!((330..=400).contains(&national), "{national}");
    }
}
