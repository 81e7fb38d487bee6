//! `supervisors.csv` and `venues.csv`: who leads the guidance groups and where they meet.

use super::{Builder, FirstLines};
use crate::io::schema::{Schema, optional, required};
use crate::model::bounds;
use crate::model::*;

pub const SUPERVISORS: Schema = Schema {
    file: "supervisors.csv",
    columns: &[
        required("id"),
        required("name"),
        required("place"),
        optional("max_groups"),
    ],
};

pub const VENUES: Schema = Schema {
    file: "venues.csv",
    columns: &[required("place"), optional("max_groups"), optional("name")],
};

impl Builder<'_> {
    pub(super) fn supervisors(&mut self) -> Vec<Supervisor> {
        self.define(
            &SUPERVISORS,
            false,
            |n| &mut n.supervisors,
            "id",
            |b, row, id| {
                let name = b.diags.take(row.text("name"));
                let place = b.place(row, "place");
                let max_groups = b
                    .opt_in(row, "max_groups", &bounds::SUPERVISOR_GROUPS)
                    .unwrap_or(1);
                Some(Supervisor {
                    id: id?.into(),
                    name: name?.into(),
                    place: PlaceId::at(place?),
                    max_groups,
                })
            },
        )
    }

    /// Venues are named by their place: a place is a venue at most once.
    pub(super) fn venues(&mut self, places: &[Place]) -> Vec<Venue> {
        let mut out = Vec::new();
        let Some(t) = self.table(&VENUES, false) else {
            return out;
        };
        let mut lines = FirstLines::new();
        for row in t.rows() {
            let place = self.place(&row, "place");
            let max_groups = self
                .opt_in(&row, "max_groups", &bounds::VENUE_GROUPS)
                .unwrap_or(1);
            let Some(place) = place else { continue };
            let id = places[place].id.clone();
            if Self::unique(
                &mut self.names.venues,
                self.diags,
                &row,
                "place",
                &id,
                out.len(),
                &mut lines,
            ) {
                out.push(Venue {
                    place: PlaceId::at(place),
                    name: row
                        .cell("name")
                        .map_or_else(|| places[place].name.clone(), String::from),
                    max_groups,
                });
            }
        }
        out
    }
}
