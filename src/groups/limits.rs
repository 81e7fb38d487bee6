//! Which group rules a model enforces and the numbers it uses for them: all rules for the
//! groups that are written, some switched off when [`super::explain`] looks for the rule
//! that makes an instance infeasible. Shared by the formulation, the local search and the
//! heuristic.

use std::collections::BTreeMap;

use super::Problem;

/// Which rules the model enforces (all, except when [`super::explain`] asks which rule
/// makes an instance infeasible).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    pub min_size: bool,
    pub municipality_mix: bool,
    pub start_spread: bool,
    pub venue_capacity: bool,
    pub supervisor_capacity: bool,
}

impl Rules {
    pub fn all() -> Rules {
        Rules {
            min_size: true,
            municipality_mix: true,
            start_spread: true,
            venue_capacity: true,
            supervisor_capacity: true,
        }
    }
}

/// The numbers the model uses, after relaxing the rules that are switched off.
pub(crate) struct Limits {
    pub min_size: usize,
    pub max_size: usize,
    pub per_municipality: usize,
    pub venue_cap: Vec<usize>,
    pub sup_cap: Vec<usize>,
}

impl Limits {
    pub fn new(p: &Problem, rules: &Rules) -> Limits {
        let n = p.due.len().max(1);
        let r = p.rules;
        Limits {
            min_size: if rules.min_size {
                r.min_size as usize
            } else {
                1
            },
            max_size: r.max_size as usize,
            per_municipality: if rules.municipality_mix {
                r.max_per_municipality as usize
            } else {
                n
            },
            venue_cap: (0..p.venues.len())
                .map(|j| {
                    if rules.venue_capacity {
                        p.venue_capacity(j)
                    } else {
                        n
                    }
                })
                .collect(),
            sup_cap: (0..p.sups.len())
                .map(|s| {
                    if rules.supervisor_capacity {
                        p.sup_capacity(s)
                    } else {
                        n
                    }
                })
                .collect(),
        }
    }

    /// Members of `members` that one group could hold under the municipality mix rule.
    pub fn mixable(&self, p: &Problem, members: &[usize]) -> usize {
        let mut per: BTreeMap<_, usize> = BTreeMap::new();
        for &i in members {
            *per.entry(p.municipality[i]).or_default() += 1;
        }
        per.values().map(|&c| c.min(self.per_municipality)).sum()
    }
}
