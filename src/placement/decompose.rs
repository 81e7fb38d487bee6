//! Splitting a placement into independent parts: the connected components of the graph
//! whose nodes are doctors and departments, joined by every candidate block and by shared
//! municipalities (whose absence limits tie their doctors together). Parts share no
//! department, no municipality and no doctor, so they can be solved as separate models.

use petgraph::unionfind::UnionFind;

use crate::model::*;

use super::{Candidate, Problem};

/// One independent part of the placement.
#[derive(Clone, Debug)]
pub struct Component {
    pub doctors: Vec<DoctorId>,
    /// Indices into the candidate list.
    pub candidates: Vec<usize>,
}

impl Component {
    /// Everything as one part.
    pub fn whole(problem: &Problem, cands: &[Candidate]) -> Component {
        Component {
            doctors: problem.inst.doctor_ids().collect(),
            candidates: (0..cands.len()).collect(),
        }
    }
}

/// The independent parts, ordered by their first doctor (so results are reproducible).
pub fn components(problem: &Problem, cands: &[Candidate]) -> Vec<Component> {
    let inst = problem.inst;
    let nd = inst.doctors.len();
    let node_of_dept = |k: DepartmentId| nd + k.index();
    let mut uf = UnionFind::<usize>::new(nd + inst.departments.len());
    for c in cands {
        uf.union(c.doctor.index(), node_of_dept(c.department));
    }
    for m in inst.municipality_ids() {
        let mut docs = inst.doctors_of(m);
        if let Some(first) = docs.next() {
            for other in docs {
                uf.union(first.index(), other.index());
            }
        }
    }
    let mut by_root: Vec<Option<usize>> = vec![None; nd + inst.departments.len()];
    let mut out: Vec<Component> = Vec::new();
    for d in inst.doctor_ids() {
        let root = uf.find(d.index());
        let i = *by_root[root].get_or_insert_with(|| {
            out.push(Component {
                doctors: Vec::new(),
                candidates: Vec::new(),
            });
            out.len() - 1
        });
        out[i].doctors.push(d);
    }
    for (ci, c) in cands.iter().enumerate() {
        let root = uf.find(c.doctor.index());
        if let Some(i) = by_root[root] {
            out[i].candidates.push(ci);
        }
    }
    out
}
