//! Analyses of a written plan: why a doctor got their blocks and what the alternatives
//! would cost ([`why`]), and what differs between two plans ([`compare`]). Both price plans
//! with the one placement objective ([`crate::placement::objective`]), term by term, so
//! their figures are the figures `place` optimised.

pub mod compare;
pub mod why;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};
use crate::io::plan::SUMMARY;
use crate::model::*;
use crate::placement::decompose::{self, Component};
use crate::placement::objective::{Evaluation, price};
use crate::placement::{Candidate, Problem, all_candidates};
use crate::summary::Summary;
use crate::travel::Travel;

/// The instance folder of plan folder `plan`: `given` if there is one, else the instance
/// its `summary.json` names (as the command that wrote it was given it).
pub fn instance_of_plan(plan: &Path, given: Option<&Path>) -> Result<PathBuf> {
    if !plan.is_dir() {
        return Err(Error::input(
            format!("plan {}", plan.display()),
            vec![Diagnostic::file(
                &plan.display().to_string(),
                "missing-folder",
                "plan folder not found (give a folder written by `alisplan place`, `plan` or `replan`)",
            )],
        ));
    }
    if let Some(dir) = given {
        return Ok(dir.to_path_buf());
    }
    let path = plan.join(SUMMARY);
    let summary = std::fs::read(&path)
        .ok()
        .and_then(|b| Summary::from_bytes(&b));
    let named = summary
        .as_ref()
        .and_then(|s| s.get("instance"))
        .and_then(|v| v.as_str())
        .map(PathBuf::from);
    match named {
        Some(dir) if dir.is_dir() => Ok(dir),
        Some(dir) => Err(Error::input(
            format!("plan {}", plan.display()),
            vec![Diagnostic::file(
                SUMMARY,
                "instance-not-found",
                format!(
                    "the instance folder it names, {}, is not there from here; give it with --instance",
                    dir.display()
                ),
            )],
        )),
        None => Err(Error::input(
            format!("plan {}", plan.display()),
            vec![Diagnostic::file(
                SUMMARY,
                "missing-instance",
                "no summary.json naming the instance the plan was made for; give it with --instance",
            )],
        )),
    }
}

/// A plan's blocks as candidate blocks of the placement, priced by the one objective.
pub struct Priced<'a> {
    pub problem: Problem<'a>,
    /// Every candidate block, with the plan's own blocks appended where the candidate
    /// rules would not generate them today (e.g. history of a re-plan).
    pub cands: Vec<Candidate>,
    /// The independent parts, as `place` solves them (the worst-commute term is per part).
    pub parts: Vec<Component>,
    /// The plan's blocks (indices into `cands`).
    pub chosen: Vec<usize>,
    /// Each doctor's part (index into `parts`).
    part_of: Vec<usize>,
    /// Per part, one candidate per department: all the evaluator needs to price min_fill.
    pricing: Vec<Component>,
    /// The plan's blocks (positions in `chosen`) in each department and month.
    pub at: HashMap<(DepartmentId, Month), Vec<usize>>,
    /// The plan's blocks (positions in `chosen`) of each municipality's doctors per month.
    pub away: HashMap<(MunicipalityId, Month), Vec<usize>>,
    /// Each doctor's candidate blocks.
    of_doctor: Vec<Vec<usize>>,
}

impl<'a> Priced<'a> {
    /// Price `blocks` of `inst` as the placement does.
    pub fn new(inst: &'a Instance, travel: &Travel, blocks: &[Block]) -> Priced<'a> {
        let problem = Problem::new(inst);
        let (mut cands, _) = all_candidates(&problem, travel);
        let mut index: BTreeMap<(DoctorId, DepartmentId, Month, u32), Vec<usize>> = BTreeMap::new();
        for (i, c) in cands.iter().enumerate() {
            index
                .entry((c.doctor, c.department, c.start, c.len))
                .or_default()
                .push(i);
        }
        let options = |b: &Block| {
            index
                .get(&(b.doctor, b.department, b.start, b.months))
                .cloned()
                .unwrap_or_default()
        };
        // Blocks that can serve only one requirement part take it first; each of the rest
        // takes a part it can serve that is not yet full.
        let mut order: Vec<usize> = (0..blocks.len()).collect();
        order.sort_by_key(|&j| (options(&blocks[j]).len(), j));
        let mut chosen = vec![0; blocks.len()];
        let mut filled: BTreeMap<(DoctorId, usize), u32> = BTreeMap::new();
        for j in order {
            let b = &blocks[j];
            let open = |i: &usize| {
                let c = &cands[*i];
                filled.get(&(c.doctor, c.part)).copied().unwrap_or(0)
                    < problem.parts(c.doctor)[c.part].calendar_months
            };
            let found = options(b);
            let i = match found.iter().find(|i| open(i)).or(found.first()) {
                Some(&i) => i,
                None => {
                    cands.push(as_candidate(&problem, b, &filled));
                    cands.len() - 1
                }
            };
            *filled.entry((b.doctor, cands[i].part)).or_default() += b.months;
            chosen[j] = i;
        }
        let parts = decompose::components(&problem, &cands);
        let mut part_of = vec![0; inst.doctors.len()];
        for (p, comp) in parts.iter().enumerate() {
            for d in &comp.doctors {
                part_of[d.index()] = p;
            }
        }
        let pricing = parts
            .iter()
            .map(|comp| {
                let mut seen = BTreeSet::new();
                Component {
                    doctors: comp.doctors.clone(),
                    candidates: comp
                        .candidates
                        .iter()
                        .copied()
                        .filter(|&i| seen.insert(cands[i].department))
                        .collect(),
                }
            })
            .collect();
        let mut at: HashMap<(DepartmentId, Month), Vec<usize>> = HashMap::new();
        let mut away: HashMap<(MunicipalityId, Month), Vec<usize>> = HashMap::new();
        for (k, &i) in chosen.iter().enumerate() {
            let c = &cands[i];
            let mu = inst.doctor(c.doctor).municipality;
            for m in c.span().months() {
                at.entry((c.department, m)).or_default().push(k);
                away.entry((mu, m)).or_default().push(k);
            }
        }
        let mut of_doctor = vec![Vec::new(); inst.doctors.len()];
        for (i, c) in cands.iter().enumerate() {
            of_doctor[c.doctor.index()].push(i);
        }
        Priced {
            of_doctor,
            problem,
            cands,
            parts,
            chosen,
            part_of,
            pricing,
            at,
            away,
        }
    }

    /// The instance.
    pub fn inst(&self) -> &'a Instance {
        self.problem.inst
    }

    /// The independent part doctor `d` belongs to.
    pub fn part_of(&self, d: DoctorId) -> usize {
        self.part_of[d.index()]
    }

    /// Part `p` of a plan (`chosen`: indices into `cands`) priced by the one objective.
    pub fn price_part(&self, p: usize, chosen: &[usize]) -> Evaluation {
        let comp = &self.pricing[p];
        let mine: Vec<usize> = chosen
            .iter()
            .copied()
            .filter(|&i| self.part_of(self.cands[i].doctor) == p)
            .collect();
        price(&self.problem, &self.cands, comp, &mine)
    }

    /// What replacing the plan's block at position `k` of `chosen` by candidate `i` changes
    /// in the objective, term by term, the rest of the plan as it is.
    pub fn swap_difference(&self, k: usize, i: usize) -> BTreeMap<String, f64> {
        self.change_difference(&[k], Some(i))
    }

    /// What removing the plan's blocks at positions `gone` of `chosen` and adding candidate
    /// `new` (if any) changes in the objective, term by term, the rest of the plan as it is.
    /// Priced by the one evaluator over the blocks the change can affect: the doctor's
    /// municipality (stagger, their own parts), the departments concerned (min_fill) and the
    /// part's longest other daily commute (worst_commute); every other block adds the same
    /// on both sides. All of `gone` and `new` belong to one doctor.
    pub fn change_difference(&self, gone: &[usize], new: Option<usize>) -> BTreeMap<String, f64> {
        let inst = self.inst();
        let Some(&first) = gone.first() else {
            return BTreeMap::new();
        };
        let doctor = self.cands[self.chosen[first]].doctor;
        let p = self.part_of(doctor);
        let home = inst.doctor(doctor).municipality;
        let touched: Vec<usize> = gone.iter().map(|&k| self.chosen[k]).chain(new).collect();
        let departments: BTreeSet<DepartmentId> =
            touched.iter().map(|&i| self.cands[i].department).collect();
        let in_part: Vec<usize> = (0..self.chosen.len())
            .filter(|&j| !gone.contains(&j) && self.part_of(self.cands[self.chosen[j]].doctor) == p)
            .collect();
        let worst = in_part
            .iter()
            .copied()
            .filter(|&j| !self.cands[self.chosen[j]].relocate)
            .max_by_key(|&j| (self.cands[self.chosen[j]].commute, std::cmp::Reverse(j)));
        let mut near: Vec<usize> = in_part
            .into_iter()
            .filter(|&j| {
                let c = &self.cands[self.chosen[j]];
                inst.doctor(c.doctor).municipality == home || departments.contains(&c.department)
            })
            .chain(worst)
            .map(|j| self.chosen[j])
            .collect();
        near.sort_unstable();
        near.dedup();
        let comp = Component {
            doctors: vec![doctor],
            candidates: touched,
        };
        let with = |extra: &mut dyn Iterator<Item = usize>| {
            let mut chosen = near.clone();
            chosen.extend(extra);
            price(&self.problem, &self.cands, &comp, &chosen).terms
        };
        term_difference(
            &with(&mut gone.iter().map(|&k| self.chosen[k])),
            &with(&mut new.into_iter()),
        )
    }

    /// Candidate blocks of doctor `d` (indices into `cands`).
    pub fn candidates_of(&self, d: DoctorId) -> &[usize] {
        &self.of_doctor[d.index()]
    }

    /// The whole plan priced term by term (every part added up, as `place` reports it).
    pub fn terms(&self) -> BTreeMap<String, f64> {
        let mut terms: BTreeMap<String, f64> = BTreeMap::new();
        for p in 0..self.parts.len() {
            for (k, v) in self.price_part(p, &self.chosen).terms {
                *terms.entry(k).or_default() += v;
            }
        }
        terms
    }
}

/// A block the candidate rules would not generate today, as a candidate of the doctor's
/// first requirement part it can serve.
fn as_candidate(
    problem: &Problem,
    b: &Block,
    filled: &BTreeMap<(DoctorId, usize), u32>,
) -> Candidate {
    let inst = problem.inst;
    let specialty = inst.department(b.department).specialty;
    let parts = problem.parts(b.doctor);
    let fits = |p: &usize| parts[*p].specialty.is_none_or(|s| s == specialty);
    let part = (0..parts.len())
        .filter(fits)
        .find(|p| filled.get(&(b.doctor, *p)).copied().unwrap_or(0) < parts[*p].calendar_months)
        .or_else(|| (0..parts.len()).find(fits))
        .unwrap_or(0);
    Candidate {
        doctor: b.doctor,
        part,
        department: b.department,
        start: b.start,
        len: b.months,
        end: b.end,
        commute: b.commute_minutes,
        relocate: b.relocate,
    }
}

/// Term-by-term difference `b − a` over the union of both term names.
pub fn term_difference(
    a: &BTreeMap<String, f64>,
    b: &BTreeMap<String, f64>,
) -> BTreeMap<String, f64> {
    let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    names
        .into_iter()
        .map(|k| {
            (
                k.clone(),
                b.get(k).copied().unwrap_or(0.0) - a.get(k).copied().unwrap_or(0.0),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vest_placement(inst: &Instance, travel: &Travel) -> crate::placement::Placement {
        let opts = crate::placement::PlaceOptions::new(crate::solver::SolveOptions {
            time_limit: 20.0,
            ..Default::default()
        });
        crate::placement::place(&Problem::new(inst), travel, &opts).expect("alis-vest places")
    }

    /// A swap priced over the blocks it can affect changes every term exactly as pricing
    /// the whole part with and without it does.
    #[test]
    fn a_swap_is_priced_as_the_whole_part_prices_it() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/alis-vest");
        let inst = crate::io::load_instance(&dir).expect("alis-vest loads");
        let travel = Travel::new(&inst);
        let blocks = vest_placement(&inst, &travel).blocks;
        let priced = Priced::new(&inst, &travel, &blocks);
        let mut checked = 0;
        for k in 0..priced.chosen.len() {
            let current = priced.cands[priced.chosen[k]].clone();
            let p = priced.part_of(current.doctor);
            let base = priced.price_part(p, &priced.chosen).terms;
            for &i in priced.parts[p].candidates.iter().step_by(7) {
                let c = &priced.cands[i];
                if c.doctor != current.doctor || c.part != current.part || c.len != current.len {
                    continue;
                }
                let mut swapped = priced.chosen.clone();
                swapped[k] = i;
                let whole = term_difference(&base, &priced.price_part(p, &swapped).terms);
                let local = priced.swap_difference(k, i);
                for (term, v) in &whole {
                    let w = local.get(term).copied().unwrap_or(0.0);
                    assert!((v - w).abs() < 1e-6, "{term}: whole {v}, local {w}");
                }
                checked += 1;
            }
        }
        assert!(checked > 50, "only {checked} swaps checked");
        // Removing a doctor's blocks, likewise.
        for d in inst.doctor_ids() {
            let p = priced.part_of(d);
            let mine: Vec<usize> = (0..priced.chosen.len())
                .filter(|&k| priced.cands[priced.chosen[k]].doctor == d)
                .collect();
            let rest: Vec<usize> = priced
                .chosen
                .iter()
                .copied()
                .filter(|&i| priced.cands[i].doctor != d)
                .collect();
            let whole = term_difference(
                &priced.price_part(p, &priced.chosen).terms,
                &priced.price_part(p, &rest).terms,
            );
            let local = priced.change_difference(&mine, None);
            for (term, v) in &whole {
                let w = local.get(term).copied().unwrap_or(0.0);
                assert!((v - w).abs() < 1e-6, "{term}: whole {v}, local {w}");
            }
        }
    }

    /// The plan priced here is the objective `place` reports.
    #[test]
    fn the_plan_is_priced_as_place_reports_it() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/alis-vest");
        let inst = crate::io::load_instance(&dir).expect("alis-vest loads");
        let travel = Travel::new(&inst);
        let placed = vest_placement(&inst, &travel);
        let terms = Priced::new(&inst, &travel, &placed.blocks).terms();
        for (k, v) in &placed.terms {
            let w = terms.get(k).copied().unwrap_or(0.0);
            assert!((v - w).abs() < 1e-6, "{k}: place {v}, priced {w}");
        }
    }
}
