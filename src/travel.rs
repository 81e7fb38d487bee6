//! The road and ferry network as a petgraph graph, and shortest travel between places.
//!
//! Travel is found with Dijkstra from every place that matters (homes, hospitals, venues,
//! supervisors), sources in parallel. The cost of a path is ordered by minutes first, then
//! by the number of ferries, then km, so that among equally fast routes the one with fewer
//! ferries is chosen and the result does not depend on the order of `network.csv`.

use std::ops::Add;

use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::unionfind::UnionFind;
use rayon::prelude::*;

use crate::model::{DoctorId, Edge, HospitalId, Instance, Mode, PlaceId};

/// Length of a route: minutes, ferries taken and kilometres (where `network.csv` gives km).
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Cost {
    pub minutes: u32,
    pub ferries: u32,
    /// Kilometres of the edges that give km.
    pub km: f64,
    /// Edges of the route without km in `network.csv` (then `km` is not the route's length).
    pub edges_without_km: u32,
}

impl Cost {
    /// The route's length in km, if every edge of it gives km.
    pub fn known_km(&self) -> Option<f64> {
        (self.edges_without_km == 0).then_some(self.km)
    }
}

/// Route lengths saturate instead of wrapping around: a sum of long edges can never come
/// out shorter than its parts. (Edges are at most a day long, so on any real network the
/// sums stay far below the limit.)
impl Add for Cost {
    type Output = Cost;
    fn add(self, o: Cost) -> Cost {
        Cost {
            minutes: self.minutes.saturating_add(o.minutes),
            ferries: self.ferries.saturating_add(o.ferries),
            km: self.km + o.km,
            edges_without_km: self.edges_without_km.saturating_add(o.edges_without_km),
        }
    }
}

/// The network with one node per place (node index = place index).
pub fn graph(places: usize, edges: &[Edge]) -> UnGraph<(), Cost> {
    let mut g = UnGraph::with_capacity(places, edges.len());
    for _ in 0..places {
        g.add_node(());
    }
    for e in edges {
        let cost = Cost {
            minutes: e.minutes,
            ferries: u32::from(e.mode == Mode::Ferry),
            km: e.km.unwrap_or(0.0),
            edges_without_km: u32::from(e.km.is_none()),
        };
        g.add_edge(
            NodeIndex::new(e.a.index()),
            NodeIndex::new(e.b.index()),
            cost,
        );
    }
    g
}

/// The connected part each place belongs to (a representative index per place).
pub fn components(g: &UnGraph<(), Cost>) -> Vec<usize> {
    let mut uf = UnionFind::new(g.node_count());
    for e in g.raw_edges() {
        uf.union(e.source().index(), e.target().index());
    }
    (0..g.node_count()).map(|i| uf.find(i)).collect()
}

/// Shortest routes from the places that matter to every place.
#[derive(Clone, Debug)]
pub struct Travel {
    /// `rows[p]` = costs from place `p` to every place, for the source places.
    rows: Vec<Option<Vec<Option<Cost>>>>,
}

impl Travel {
    /// Shortest routes from every municipality, hospital, supervisor and venue place.
    pub fn new(inst: &Instance) -> Travel {
        let mut sources: Vec<PlaceId> = inst
            .municipalities
            .iter()
            .map(|m| m.place)
            .chain(inst.hospitals.iter().map(|h| h.place))
            .chain(inst.supervisors.iter().map(|s| s.place))
            .chain(inst.venues.iter().map(|v| v.place))
            .collect();
        sources.sort_unstable();
        sources.dedup();
        Travel::from_sources(inst.places.len(), &inst.edges, &sources)
    }

    /// Shortest routes from `sources` over the network of `edges`.
    pub fn from_sources(places: usize, edges: &[Edge], sources: &[PlaceId]) -> Travel {
        let g = graph(places, edges);
        let computed: Vec<(PlaceId, Vec<Option<Cost>>)> = sources
            .par_iter()
            .map(|&s| {
                let dist =
                    petgraph::algo::dijkstra(&g, NodeIndex::new(s.index()), None, |e| *e.weight());
                let mut row = vec![None; places];
                for (node, cost) in dist {
                    row[node.index()] = Some(cost);
                }
                (s, row)
            })
            .collect();
        let mut rows = vec![None; places];
        for (s, row) in computed {
            rows[s.index()] = Some(row);
        }
        Travel { rows }
    }

    /// The shortest route between two places (`None` if unconnected or neither is a source).
    pub fn route(&self, from: PlaceId, to: PlaceId) -> Option<Cost> {
        if from == to {
            return Some(Cost::default());
        }
        let look = |a: PlaceId, b: PlaceId| {
            self.rows
                .get(a.index())
                .and_then(|r| r.as_ref())
                .and_then(|r| r[b.index()])
        };
        look(from, to).or_else(|| look(to, from))
    }

    /// One-way minutes between two places; `u32::MAX` when there is no route.
    pub fn minutes(&self, from: PlaceId, to: PlaceId) -> u32 {
        self.route(from, to).map_or(u32::MAX, |c| c.minutes)
    }

    /// One-way minutes from a doctor's home to a hospital.
    pub fn commute(&self, inst: &Instance, d: DoctorId, h: HospitalId) -> u32 {
        self.minutes(inst.home_of(d), inst.hospital(h).place)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(a: u32, b: u32, minutes: u32, mode: Mode) -> Edge {
        Edge {
            a: PlaceId(a),
            b: PlaceId(b),
            minutes,
            km: Some(f64::from(minutes)),
            mode,
        }
    }

    #[test]
    fn shortest_route_prefers_fewer_ferries_on_ties() {
        // 0 -road 30- 1 -road 30- 2 ; 0 -ferry 60- 2 : both 60 minutes, road wins.
        let edges = [
            edge(0, 1, 30, Mode::Road),
            edge(1, 2, 30, Mode::Road),
            edge(0, 2, 60, Mode::Ferry),
        ];
        let t = Travel::from_sources(3, &edges, &[PlaceId(0)]);
        let c = t.route(PlaceId(0), PlaceId(2)).unwrap();
        assert_eq!((c.minutes, c.ferries), (60, 0));
        // Symmetric lookup from a non-source place.
        assert_eq!(t.minutes(PlaceId(2), PlaceId(0)), 60);
    }

    #[test]
    fn takes_the_ferry_when_faster() {
        let edges = [
            edge(0, 1, 50, Mode::Road),
            edge(1, 2, 50, Mode::Road),
            edge(0, 2, 45, Mode::Ferry),
        ];
        let t = Travel::from_sources(3, &edges, &[PlaceId(0)]);
        let c = t.route(PlaceId(0), PlaceId(2)).unwrap();
        assert_eq!((c.minutes, c.ferries), (45, 1));
    }

    #[test]
    fn km_is_known_only_when_every_edge_gives_it() {
        let mut edges = vec![edge(0, 1, 30, Mode::Road), edge(1, 2, 30, Mode::Road)];
        let t = Travel::from_sources(3, &edges, &[PlaceId(0)]);
        assert_eq!(
            t.route(PlaceId(0), PlaceId(2)).unwrap().known_km(),
            Some(60.0)
        );
        edges[1].km = None;
        let t = Travel::from_sources(3, &edges, &[PlaceId(0)]);
        assert_eq!(
            t.route(PlaceId(0), PlaceId(1)).unwrap().known_km(),
            Some(30.0)
        );
        assert_eq!(t.route(PlaceId(0), PlaceId(2)).unwrap().known_km(), None);
    }

    #[test]
    fn a_very_long_edge_never_makes_a_route_shorter() {
        // 0 -2^31- 1 -2^31- 2 would wrap around to 0 minutes; 0 -3e9- 2 is the route.
        let edges = [
            edge(0, 1, 1 << 31, Mode::Road),
            edge(1, 2, 1 << 31, Mode::Road),
            edge(0, 2, 3_000_000_000, Mode::Road),
        ];
        let t = Travel::from_sources(3, &edges, &[PlaceId(0)]);
        assert_eq!(t.minutes(PlaceId(0), PlaceId(2)), 3_000_000_000);
    }

    #[test]
    fn finds_cut_off_places() {
        let g = graph(4, &[edge(0, 1, 5, Mode::Road), edge(2, 3, 5, Mode::Road)]);
        let c = components(&g);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[1], c[2]);
        let t = Travel::from_sources(4, &[edge(0, 1, 5, Mode::Road)], &[PlaceId(0)]);
        assert_eq!(t.minutes(PlaceId(0), PlaceId(3)), u32::MAX);
    }
}
