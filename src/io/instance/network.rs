//! `places.csv` and `network.csv`: the points of the road and ferry network and the edges
//! between them.

use std::collections::HashMap;
use std::path::Path;

use super::Builder;
use crate::error::{Diagnostic, Diagnostics};
use crate::io::schema::{Schema, optional, required};
use crate::io::table::Choices;
use crate::model::bounds;
use crate::model::*;

pub const PLACES: Schema = Schema {
    file: "places.csv",
    columns: &[
        required("id"),
        required("name"),
        required("lat"),
        required("lon"),
    ],
};

pub const NETWORK: Schema = Schema {
    file: "network.csv",
    columns: &[
        required("from"),
        required("to"),
        required("minutes"),
        optional("km"),
        optional("mode"),
    ],
};

/// How an edge is travelled (`mode`); an empty cell is a road.
const MODES: Choices<Mode> = Choices {
    what: "a mode",
    write: "road or ferry",
    rule: "edge-mode",
    words: &[("road", Mode::Road), ("ferry", Mode::Ferry)],
};

impl Builder<'_> {
    pub(super) fn places(&mut self) -> Vec<Place> {
        self.define(
            &PLACES,
            true,
            |n| &mut n.places,
            "id",
            |b, row, id| {
                let name = b.diags.take(row.text("name"));
                let lat = b.req::<f64>(row, "lat");
                let lon = b.req::<f64>(row, "lon");
                if let Some(lat) = lat.filter(|v| !(-90.0..=90.0).contains(v)) {
                    b.diags.error(row.error(
                        "lat",
                        "coordinate",
                        format!("latitude {lat} is outside -90..90"),
                    ));
                }
                if let Some(lon) = lon.filter(|v| !(-180.0..=180.0).contains(v)) {
                    b.diags.error(row.error(
                        "lon",
                        "coordinate",
                        format!("longitude {lon} is outside -180..180"),
                    ));
                }
                Some(Place {
                    id: id?.into(),
                    name: name?.into(),
                    lat: lat?,
                    lon: lon?,
                })
            },
        )
    }

    pub(super) fn network(&mut self) -> Vec<Edge> {
        let mut out = Vec::new();
        let Some(t) = self.table(&NETWORK, true) else {
            return out;
        };
        for row in t.rows() {
            let a = self.place(&row, "from");
            let b = self.place(&row, "to");
            let minutes = self.req_in(&row, "minutes", &bounds::EDGE_MINUTES);
            let km = self.opt_in(&row, "km", &bounds::EDGE_KM);
            let mode = self
                .diags
                .take(row.choice("mode", &MODES))
                .map(|m| m.unwrap_or(Mode::Road));
            let (Some(a), Some(b), Some(minutes), Some(mode)) = (a, b, minutes, mode) else {
                continue;
            };
            if a == b {
                self.diags
                    .error(row.row_error("self-loop", "an edge must join two different places"));
                continue;
            }
            out.push(Edge {
                a: PlaceId::at(a),
                b: PlaceId::at(b),
                minutes,
                km,
                mode,
            });
        }
        out
    }
}

/// Every place must be reachable from every other: report the places cut off from the
/// largest connected part of the network, at their line in `places.csv`.
pub(super) fn check_connected(
    places: &[Place],
    edges: &[Edge],
    dir: &Path,
    diags: &mut Diagnostics,
) {
    if places.is_empty() {
        return;
    }
    let net = crate::travel::graph(places.len(), edges);
    let component = crate::travel::components(&net);
    let mut sizes: HashMap<usize, usize> = HashMap::new();
    for &c in &component {
        *sizes.entry(c).or_default() += 1;
    }
    let Some((&main, _)) = sizes
        .iter()
        .max_by_key(|&(c, n)| (*n, std::cmp::Reverse(*c)))
    else {
        return;
    };
    let lines = place_lines(dir);
    for (i, p) in places.iter().enumerate() {
        if component[i] != main {
            let (line, column) = lines.get(&p.id).cloned().unwrap_or((0, None));
            diags.error(Diagnostic {
                column,
                ..Diagnostic::line(
                    PLACES.file,
                    line,
                    "disconnected-place",
                    format!("place '{}' ({}) has no road or ferry connection to the rest of the network (e.g. to '{}'); add edges for it to network.csv", p.id, p.name, places[component.iter().position(|&c| c == main).unwrap_or(0)].id),
                )
            });
        }
    }
}

/// The line and `id` cell of each place in `places.csv` (for messages about places).
fn place_lines(dir: &Path) -> HashMap<String, (u64, Option<(usize, String)>)> {
    let mut diags = Diagnostics::default();
    let Some(t) = PLACES.read(dir, false, &mut diags) else {
        return HashMap::new();
    };
    t.rows()
        .filter_map(|r| {
            r.cell("id")
                .map(|id| (id.to_string(), (r.line, r.column("id"))))
        })
        .collect()
}
