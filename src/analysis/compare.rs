//! What differs between two plans of the same instance (or of two compatible instances,
//! e.g. one with an extra slot or splits allowed): blocks moved, added and removed, the
//! doctors affected, each objective term of A and B from the one objective, substitute
//! months per municipality, commute totals, unplaced parts and guidance groups.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::io::schema::csv_bytes;
use crate::model::plan::ChangeKind;
use crate::model::*;

use super::term_difference;

/// One block that differs, by doctor id and department label (so that plans of two
/// compatible instances compare).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct BlockChange {
    pub doctor: String,
    /// `moved-hospital`, `shifted`, `added` or `removed`, as `changes.csv` names them.
    pub kind: String,
    /// The block in plan A ("hospital/specialty YYYY-MM..YYYY-MM"), none if added.
    pub a: Option<String>,
    /// The block in plan B, none if removed.
    pub b: Option<String>,
}

/// A figure in A and in B.
#[derive(Clone, Debug, Serialize)]
pub struct Pair {
    pub name: String,
    pub a: f64,
    pub b: f64,
    pub difference: f64,
}

impl Pair {
    fn new(name: impl Into<String>, a: f64, b: f64) -> Pair {
        Pair {
            name: name.into(),
            a,
            b,
            difference: b - a,
        }
    }
}

/// One side of a comparison: a plan with the instance it was made for and its terms.
pub struct Side<'a> {
    pub inst: &'a Instance,
    pub plan: &'a Plan,
    /// Each objective term, priced by the one objective ([`super::Priced::terms`]).
    pub terms: BTreeMap<String, f64>,
}

/// The differences between plan A and plan B.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub blocks: Vec<BlockChange>,
    /// Doctors with a block moved, added or removed, or a different unplaced or group.
    pub doctors_affected: Vec<String>,
    /// Each objective term (cost points) and the total.
    pub terms: Vec<Pair>,
    /// Hospital months of each municipality's ALIS (months a substitute is needed).
    pub substitute_months: Vec<Pair>,
    /// Commute and relocation totals.
    pub commute: Vec<Pair>,
    /// Unplaced months per doctor who has any in A or B.
    pub unplaced: Vec<Pair>,
    /// Doctors whose guidance group differs: (doctor, group in A, group in B).
    pub groups: Vec<(String, Option<String>, Option<String>)>,
}

fn label(inst: &Instance, b: &Block) -> (String, String, String) {
    (
        inst.doctor(b.doctor).id.clone(),
        inst.department_label(b.department),
        b.span().to_string(),
    )
}

/// Compare plan A with plan B.
pub fn compare(a: &Side, b: &Side) -> Comparison {
    let blocks = block_changes(a, b);
    let mut affected: BTreeSet<String> = blocks.iter().map(|c| c.doctor.clone()).collect();
    let mut terms: Vec<Pair> = term_difference(&a.terms, &b.terms)
        .into_keys()
        .map(|k| {
            Pair::new(
                k.clone(),
                a.terms.get(&k).copied().unwrap_or(0.0),
                b.terms.get(&k).copied().unwrap_or(0.0),
            )
        })
        .collect();
    terms.push(Pair::new(
        "total",
        a.terms.values().sum(),
        b.terms.values().sum(),
    ));
    let substitute_months = paired(substitute_months(a), substitute_months(b));
    let commute = commute_totals(a)
        .into_iter()
        .zip(commute_totals(b))
        .map(|((name, x), (_, y))| Pair::new(name, x, y))
        .collect();
    let unplaced: Vec<Pair> = paired(unplaced_months(a), unplaced_months(b))
        .into_iter()
        .filter(|p| p.difference != 0.0)
        .collect();
    affected.extend(unplaced.iter().map(|p| p.name.clone()));
    let (ga, gb) = (group_of(a), group_of(b));
    let doctors: BTreeSet<&String> = ga.keys().chain(gb.keys()).collect();
    let groups: Vec<(String, Option<String>, Option<String>)> = doctors
        .into_iter()
        .filter(|d| ga.get(*d) != gb.get(*d))
        .map(|d| ((*d).clone(), ga.get(d).cloned(), gb.get(d).cloned()))
        .collect();
    affected.extend(groups.iter().map(|g| g.0.clone()));
    Comparison {
        blocks,
        doctors_affected: affected.into_iter().collect(),
        terms,
        substitute_months,
        commute,
        unplaced,
        groups,
    }
}

/// Blocks of A not in B and of B not in A, paired per doctor in start order: a pair at
/// the same department is `shifted`, at another `moved-hospital`; the rest `removed` or
/// `added`.
fn block_changes(a: &Side, b: &Side) -> Vec<BlockChange> {
    let of = |s: &Side| -> BTreeSet<(String, Month, String, String)> {
        s.plan
            .blocks
            .iter()
            .map(|blk| {
                let (d, dept, span) = label(s.inst, blk);
                (d, blk.start, dept, span)
            })
            .collect()
    };
    let (in_a, in_b) = (of(a), of(b));
    let only_a: Vec<_> = in_a.difference(&in_b).collect();
    let only_b: Vec<_> = in_b.difference(&in_a).collect();
    let doctors: BTreeSet<&String> = only_a.iter().chain(&only_b).map(|x| &x.0).collect();
    let mut out = Vec::new();
    for d in doctors {
        let xs: Vec<_> = only_a.iter().filter(|x| &x.0 == d).collect();
        let ys: Vec<_> = only_b.iter().filter(|y| &y.0 == d).collect();
        for j in 0..xs.len().max(ys.len()) {
            let (x, y) = (xs.get(j), ys.get(j));
            let kind = match (x, y) {
                (Some(x), Some(y)) if x.2 == y.2 => ChangeKind::Shifted,
                (Some(_), Some(_)) => ChangeKind::MovedHospital,
                (Some(_), None) => ChangeKind::Removed,
                _ => ChangeKind::Added,
            };
            out.push(BlockChange {
                doctor: d.clone(),
                kind: kind.name().to_string(),
                a: x.map(|x| format!("{} {}", x.2, x.3)),
                b: y.map(|y| format!("{} {}", y.2, y.3)),
            });
        }
    }
    out
}

fn paired(a: BTreeMap<String, f64>, b: BTreeMap<String, f64>) -> Vec<Pair> {
    let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    names
        .into_iter()
        .map(|k| {
            Pair::new(
                k.clone(),
                a.get(k).copied().unwrap_or(0.0),
                b.get(k).copied().unwrap_or(0.0),
            )
        })
        .collect()
}

/// Hospital months of each municipality's ALIS.
fn substitute_months(s: &Side) -> BTreeMap<String, f64> {
    let mut out: BTreeMap<String, f64> = s
        .inst
        .municipality_ids()
        .map(|m| (s.inst.municipality(m).id.clone(), 0.0))
        .collect();
    for blk in &s.plan.blocks {
        let mu = s.inst.municipality(s.inst.doctor(blk.doctor).municipality);
        *out.entry(mu.id.clone()).or_default() += f64::from(blk.months);
    }
    out
}

/// Commute and relocation totals, in a fixed order.
fn commute_totals(s: &Side) -> Vec<(&'static str, f64)> {
    let daily: Vec<&Block> = s.plan.blocks.iter().filter(|b| !b.relocate).collect();
    let moved: Vec<&Block> = s.plan.blocks.iter().filter(|b| b.relocate).collect();
    vec![
        (
            "daily_commute_minute_months",
            daily
                .iter()
                .map(|b| f64::from(b.commute_minutes) * f64::from(b.months))
                .sum(),
        ),
        (
            "longest_daily_commute_minutes",
            daily
                .iter()
                .map(|b| f64::from(b.commute_minutes))
                .fold(0.0, f64::max),
        ),
        (
            "relocation_months",
            moved.iter().map(|b| f64::from(b.months)).sum(),
        ),
        (
            "relocated_doctors",
            moved
                .iter()
                .map(|b| b.doctor)
                .collect::<BTreeSet<_>>()
                .len() as f64,
        ),
        ("blocks", s.plan.blocks.len() as f64),
    ]
}

fn unplaced_months(s: &Side) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for u in &s.plan.unplaced {
        *out.entry(s.inst.doctor(u.doctor).id.clone()).or_default() += f64::from(u.months);
    }
    out
}

fn group_of(s: &Side) -> BTreeMap<String, String> {
    s.plan
        .groups
        .iter()
        .flatten()
        .flat_map(|g| {
            g.members
                .iter()
                .map(|(d, _)| (s.inst.doctor(*d).id.clone(), g.id.clone()))
        })
        .collect()
}

/// Whether instance `b` can be compared with `a`: the same doctors, departments and
/// municipalities by id. The first difference found, in words, if not.
pub fn incompatible(a: &Instance, b: &Instance) -> Option<String> {
    let ids = |i: &Instance, what: &str| -> BTreeSet<String> {
        match what {
            "doctors" => i.doctors.iter().map(|d| d.id.clone()).collect(),
            "departments" => i.department_ids().map(|k| i.department_label(k)).collect(),
            _ => i
                .municipality_ids()
                .map(|m| i.municipality(m).id.clone())
                .collect(),
        }
    };
    for what in ["doctors", "departments", "municipalities"] {
        let (x, y) = (ids(a, what), ids(b, what));
        if x != y {
            let first = |s: &BTreeSet<String>, t: &BTreeSet<String>| {
                let v: Vec<&String> = s.difference(t).take(3).collect();
                if v.is_empty() {
                    "none".to_string()
                } else {
                    v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                }
            };
            return Some(format!(
                "their {what} differ (only in A: {}; only in B: {})",
                first(&x, &y),
                first(&y, &x)
            ));
        }
    }
    None
}

/// The comparison's files: (name, bytes).
pub fn files(c: &Comparison) -> Vec<(&'static str, Vec<u8>)> {
    let num = |x: f64| format!("{x:.1}");
    let pairs = |first: &str, rows: &[Pair]| {
        csv_bytes(
            &[first, "a", "b", "difference"],
            rows.iter()
                .map(|p| vec![p.name.clone(), num(p.a), num(p.b), num(p.difference)]),
        )
    };
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let mut json = serde_json::to_vec_pretty(c).expect("a comparison serialises");
    json.push(b'\n');
    vec![
        (
            "blocks.csv",
            csv_bytes(
                &["doctor", "kind", "a", "b"],
                c.blocks
                    .iter()
                    .map(|x| vec![x.doctor.clone(), x.kind.clone(), opt(&x.a), opt(&x.b)]),
            ),
        ),
        ("terms.csv", pairs("term", &c.terms)),
        (
            "substitute_months.csv",
            pairs("municipality", &c.substitute_months),
        ),
        ("commute.csv", pairs("figure", &c.commute)),
        ("unplaced.csv", pairs("doctor", &c.unplaced)),
        (
            "groups.csv",
            csv_bytes(
                &["doctor", "a", "b"],
                c.groups
                    .iter()
                    .map(|(d, x, y)| vec![d.clone(), opt(x), opt(y)]),
            ),
        ),
        ("comparison.json", json),
    ]
}
