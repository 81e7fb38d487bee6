//! The guidance-group rules: membership, size, venue and supervisor capacity, municipality
//! mix, start spread, members' longest travel and the travel minutes written.

use std::collections::{BTreeMap, HashMap};

use super::Checker;
use crate::model::*;
use crate::rules::Rule;

impl Checker<'_> {
    /// The guidance-group rules: membership, size, venue and supervisor capacity,
    /// municipality mix, start spread and the travel minutes written.
    pub(super) fn groups(&mut self, groups: &[Group]) {
        let gs = self.inst.settings.groups.clone();
        let mut seen: HashMap<DoctorId, &str> = HashMap::new();
        let mut per_venue: BTreeMap<VenueId, u32> = BTreeMap::new();
        let mut per_supervisor: BTreeMap<SupervisorId, u32> = BTreeMap::new();
        for g in groups {
            *per_venue.entry(g.venue).or_default() += 1;
            *per_supervisor.entry(g.supervisor).or_default() += 1;
            let size = g.members.len() as u32;
            if size < gs.min_size || size > gs.max_size {
                self.group_violation(
                    Rule::GroupSize,
                    None,
                    format!(
                        "group {} has {size} members; allowed {}..{}",
                        g.id, gs.min_size, gs.max_size
                    ),
                );
            }
            let mut per_muni: BTreeMap<MunicipalityId, u32> = BTreeMap::new();
            let venue_place = self.inst.venues[g.venue.index()].place;
            for &(d, minutes) in &g.members {
                if let Some(other) = seen.insert(d, &g.id) {
                    self.group_violation(
                        Rule::GroupMembership,
                        Some(d),
                        format!("is in both group {other} and group {}", g.id),
                    );
                }
                let doc = self.inst.doctor(d);
                if !doc.needs_group {
                    self.group_violation(
                        Rule::GroupMembership,
                        Some(d),
                        format!("is in group {} but has no group period (group_from)", g.id),
                    );
                }
                *per_muni.entry(doc.municipality).or_default() += 1;
                let real = self.travel.minutes(self.inst.home_of(d), venue_place);
                if let Some(most) = gs.max_member_minutes
                    && real > most
                {
                    self.group_violation(
                        Rule::GroupMemberTravel,
                        Some(d),
                        format!(
                            "travels {} one way to the meetings of group {} at {}; at most max_member_minutes = {most}",
                            if real == u32::MAX { "without a connection".to_string() } else { format!("{real} min") },
                            g.id,
                            self.inst.place(venue_place).name
                        ),
                    );
                }
                if real != minutes {
                    self.group_violation(
                        Rule::GroupTravelFacts,
                        Some(d),
                        format!(
                            "travel_minutes is written as {minutes} but the network gives {real}"
                        ),
                    );
                }
            }
            for (muni, n) in per_muni {
                if n > gs.max_per_municipality {
                    self.group_violation(
                        Rule::GroupMunicipalityMix,
                        None,
                        format!(
                            "group {} has {n} members from {}; at most {}",
                            g.id,
                            self.inst.municipality(muni).id,
                            gs.max_per_municipality
                        ),
                    );
                }
            }
            let starts: Vec<Month> = g
                .members
                .iter()
                .filter_map(|&(d, _)| self.inst.doctor(d).group_from)
                .collect();
            if let (Some(lo), Some(hi)) = (starts.iter().min(), starts.iter().max())
                && lo.until(*hi) > gs.max_start_spread as i32
            {
                self.group_violation(Rule::GroupStartSpread, None, format!("group {} has group periods starting {lo} to {hi}, {} months apart; at most {}", g.id, lo.until(*hi), gs.max_start_spread));
            }
        }
        for d in self.inst.doctor_ids() {
            if self.inst.doctor(d).needs_group && !seen.contains_key(&d) {
                self.group_violation(
                    Rule::GroupMembership,
                    Some(d),
                    "is due a guidance group but is in none".into(),
                );
            }
        }
        for (v, n) in per_venue {
            let venue = &self.inst.venues[v.index()];
            if n > venue.max_groups {
                self.group_violation(
                    Rule::VenueCapacity,
                    None,
                    format!(
                        "venue {} hosts {n} groups; at most {}",
                        self.inst.place(venue.place).id,
                        venue.max_groups
                    ),
                );
            }
        }
        for (s, n) in per_supervisor {
            let sup = &self.inst.supervisors[s.index()];
            if n > sup.max_groups {
                self.group_violation(
                    Rule::SupervisorCapacity,
                    None,
                    format!(
                        "supervisor {} leads {n} groups; at most {}",
                        sup.id, sup.max_groups
                    ),
                );
            }
        }
    }

    pub(super) fn group_violation(&mut self, rule: Rule, d: Option<DoctorId>, message: String) {
        self.add(rule, d, None, None, message);
    }
}
