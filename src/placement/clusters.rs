//! Doctors grouped by where they would most naturally serve: the trust (or the hospital)
//! of their nearest suitable hospital. Clusters compete little with one another for the
//! same departments, so each alone gives a lower bound on its unplaced parts, and each is
//! a natural neighbourhood for the search.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::*;

use super::decompose::Component;
use super::{Candidate, Problem};

/// How coarse the clusters are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// By the trust of the nearest hospital (the hospital itself when it names no trust).
    Trust,
    /// By the nearest hospital.
    Hospital,
}

/// Doctors who share their nearest trust or hospital.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub name: String,
    pub doctors: Vec<DoctorId>,
    /// Departments where its doctors have candidate blocks.
    pub departments: BTreeSet<DepartmentId>,
}

impl Cluster {
    /// Its doctors as a set.
    pub fn members(&self) -> BTreeSet<DoctorId> {
        self.doctors.iter().copied().collect()
    }
}

/// Doctors confined to a few departments: for each doctor of `seeds` whose candidate
/// blocks lie in at most `max_departments` departments, every doctor of `comp` whose
/// candidate blocks all lie in those departments too. Solved alone with those departments'
/// slots all theirs, such a group is a relaxation of the whole part (the other doctors who
/// could also use the departments are left out), so what it cannot place, no plan can.
/// The groups returned share no doctor, and each has at most `max_doctors`.
pub fn confined(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    seeds: &[DoctorId],
    max_departments: usize,
    max_doctors: usize,
) -> Vec<Cluster> {
    let inst = problem.inst;
    let mut departments_of: BTreeMap<DoctorId, BTreeSet<DepartmentId>> = BTreeMap::new();
    for &g in &comp.candidates {
        departments_of
            .entry(cands[g].doctor)
            .or_default()
            .insert(cands[g].department);
    }
    let mut taken: BTreeSet<DoctorId> = BTreeSet::new();
    let mut groups = Vec::new();
    for seed in seeds {
        let Some(mine) = departments_of.get(seed) else {
            continue;
        };
        if taken.contains(seed) || mine.len() > max_departments {
            continue;
        }
        let doctors: Vec<DoctorId> = departments_of
            .iter()
            .filter(|(_, theirs)| theirs.is_subset(mine))
            .map(|(&d, _)| d)
            .collect();
        if doctors.len() > max_doctors || doctors.iter().any(|d| taken.contains(d)) {
            continue;
        }
        taken.extend(doctors.iter().copied());
        groups.push(Cluster {
            name: mine
                .iter()
                .map(|&k| inst.department_label(k))
                .collect::<Vec<_>>()
                .join(", "),
            doctors,
            departments: mine.clone(),
        });
    }
    groups
}

/// The clusters of the doctors of `comp` who have candidate blocks, ordered by name.
pub fn nearest(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    level: Level,
) -> Vec<Cluster> {
    let inst = problem.inst;
    // The nearest hospital of each doctor among their candidates (ties: lower index).
    let mut nearest: BTreeMap<DoctorId, (u32, HospitalId)> = BTreeMap::new();
    let mut departments: BTreeMap<DoctorId, BTreeSet<DepartmentId>> = BTreeMap::new();
    for &g in &comp.candidates {
        let c = &cands[g];
        let h = inst.department(c.department).hospital;
        let e = nearest.entry(c.doctor).or_insert((c.commute, h));
        if (c.commute, h) < *e {
            *e = (c.commute, h);
        }
        departments
            .entry(c.doctor)
            .or_default()
            .insert(c.department);
    }
    let mut out: BTreeMap<String, Cluster> = BTreeMap::new();
    for (d, (_, h)) in nearest {
        let hospital = inst.hospital(h);
        let name = match level {
            Level::Trust => hospital
                .trust
                .clone()
                .unwrap_or_else(|| hospital.id.clone()),
            Level::Hospital => hospital.id.clone(),
        };
        let cluster = out.entry(name.clone()).or_insert_with(|| Cluster {
            name,
            doctors: Vec::new(),
            departments: BTreeSet::new(),
        });
        cluster.doctors.push(d);
        cluster
            .departments
            .extend(departments.remove(&d).unwrap_or_default());
    }
    out.into_values().collect()
}

/// The doctors of `comp` in `cluster`, with their candidates, as a part of its own.
pub fn component(cluster: &Cluster, cands: &[Candidate], comp: &Component) -> Component {
    let doctors = cluster.members();
    Component {
        doctors: cluster.doctors.clone(),
        candidates: comp
            .candidates
            .iter()
            .copied()
            .filter(|&g| doctors.contains(&cands[g].doctor))
            .collect(),
    }
}

/// Groups of at most `size` doctors for the cost search: each cluster with the cluster
/// that shares the most departments with it (its `rank`-th partner), cut to size.
pub fn neighbourhoods(clusters: &[Cluster], rank: usize, size: usize) -> Vec<BTreeSet<DoctorId>> {
    let mut out = Vec::new();
    for (i, a) in clusters.iter().enumerate() {
        let mut partners: Vec<(usize, usize)> = clusters
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(j, b)| (a.departments.intersection(&b.departments).count(), j))
            .filter(|&(shared, _)| shared > 0)
            .collect();
        partners.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
        let partner = partners.get(rank).map(|&(_, j)| &clusters[j]);
        let doctors: Vec<DoctorId> = a
            .doctors
            .iter()
            .chain(partner.map_or(&[][..], |b| b.doctors.as_slice()))
            .copied()
            .collect();
        for chunk in doctors.chunks(size.max(1)) {
            out.push(chunk.iter().copied().collect());
        }
    }
    out
}

/// Clusters for the lower bound on unplaced parts: the trust clusters, each one with more
/// than `most` candidate blocks split into its hospitals' clusters (smaller models, quicker
/// to prove). Any partition of the doctors gives a valid bound: what a group cannot place
/// with every slot free, no plan places.
pub fn for_bounds(
    problem: &Problem,
    cands: &[Candidate],
    comp: &Component,
    most: usize,
) -> Vec<Cluster> {
    let hospitals = nearest(problem, cands, comp, Level::Hospital);
    let mut out = Vec::new();
    for trust in nearest(problem, cands, comp, Level::Trust) {
        let members = trust.members();
        let size = comp
            .candidates
            .iter()
            .filter(|&&g| members.contains(&cands[g].doctor))
            .count();
        if size <= most {
            out.push(trust);
            continue;
        }
        out.extend(
            hospitals
                .iter()
                .filter(|h| h.doctors.iter().all(|d| members.contains(d)))
                .cloned(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::{all_candidates, decompose};
    use crate::travel::Travel;

    /// The clusters for the bound partition the doctors who have candidate blocks (so their
    /// bounds add up), and a trust cluster above the size given is split by hospital.
    #[test]
    fn the_bound_clusters_partition_the_doctors_and_split_large_trusts() {
        for name in ["alis-vest", "alis-nord"] {
            let inst = crate::placement::bundled(name);
            let travel = Travel::new(&inst);
            let problem = Problem::new(&inst);
            let (cands, _) = all_candidates(&problem, &travel);
            let whole = decompose::Component::whole(&problem, &cands);
            let with_blocks: BTreeSet<DoctorId> = cands.iter().map(|c| c.doctor).collect();
            let trusts = nearest(&problem, &cands, &whole, Level::Trust);
            let largest = trusts
                .iter()
                .map(|t| component(t, &cands, &whole).candidates.len())
                .max()
                .expect("some cluster");
            for most in [usize::MAX, largest - 1] {
                let clusters = for_bounds(&problem, &cands, &whole, most);
                let mut seen = BTreeSet::new();
                for c in &clusters {
                    for &d in &c.doctors {
                        assert!(seen.insert(d), "{name}: doctor in two clusters");
                    }
                }
                assert_eq!(seen, with_blocks, "{name}: every doctor with blocks, once");
                if most == usize::MAX {
                    assert_eq!(clusters.len(), trusts.len(), "{name}");
                }
                for c in &clusters {
                    let size = component(c, &cands, &whole).candidates.len();
                    assert!(
                        size <= most || inst.hospital_id(&c.name).is_some(),
                        "{name}: {} has {size} blocks and is not split by hospital",
                        c.name
                    );
                }
            }
        }
    }

    /// Confined groups share no doctor, hold every doctor whose blocks all lie in the
    /// group's departments, and only those.
    #[test]
    fn confined_groups_hold_exactly_the_doctors_confined_to_their_departments() {
        for name in ["alis-vest", "alis-nord"] {
            let inst = crate::placement::bundled(name);
            let travel = Travel::new(&inst);
            let problem = Problem::new(&inst);
            let (cands, _) = all_candidates(&problem, &travel);
            let whole = decompose::Component::whole(&problem, &cands);
            let mut departments_of: BTreeMap<DoctorId, BTreeSet<DepartmentId>> = BTreeMap::new();
            for c in &cands {
                departments_of
                    .entry(c.doctor)
                    .or_default()
                    .insert(c.department);
            }
            let seeds: Vec<DoctorId> = departments_of.keys().copied().collect();
            let fewest = departments_of.values().map(BTreeSet::len).min().unwrap();
            let groups = confined(&problem, &cands, &whole, &seeds, fewest, usize::MAX);
            assert!(
                !groups.is_empty(),
                "{name}: the most confined doctor has a group"
            );
            let mut seen = BTreeSet::new();
            for g in &groups {
                assert!(g.departments.len() <= fewest);
                for (d, theirs) in &departments_of {
                    assert_eq!(
                        g.doctors.contains(d),
                        theirs.is_subset(&g.departments),
                        "{name}: {d:?} and the group at {}",
                        g.name
                    );
                }
                for &d in &g.doctors {
                    assert!(seen.insert(d), "{name}: doctor in two groups");
                }
            }
        }
    }
}
