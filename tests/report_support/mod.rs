//! Hand-made plans for the report tests: a tiny instance written into a temporary folder,
//! and a valid plan for `instances/alis-vest` built greedily (the placement solver is not
//! needed to test the report). Shared by `tests/report.rs` and `tests/browser.rs`.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use alisplan::io::plan::{groups_csv, placements_csv};
use alisplan::model::*;
use alisplan::travel::Travel;
use alisplan::verify::verify;

pub fn alis_vest_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/alis-vest")
}

pub fn load(dir: &Path) -> Instance {
    alisplan::io::load_instance(dir).expect("the test instance loads")
}

/// A tiny instance whose names try to break HTML and iCalendar: a doctor called
/// `<script>…`, a hospital name with `,`, `;`, `"` and `\`.
pub fn write_tiny_instance(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    let files: [(&str, &str); 9] = [
        (
            "settings.toml",
            "name = \"Tiny <b>test</b> & co\"\n[horizon]\nstart = \"2027-01\"\nend = \"2027-12\"\n[groups]\nmin_size = 1\nmax_size = 4\n",
        ),
        (
            "places.csv",
            "id,name,lat,lon\nhome,Heim,60.0,5.0\nhosp,Sjukehusbyen,60.2,5.4\n",
        ),
        ("network.csv", "from,to,minutes\nhome,hosp,40\n"),
        (
            "municipalities.csv",
            "id,name,place,max_away\ntown,\"Town <i>x</i>\",home,2\n",
        ),
        (
            "hospitals.csv",
            "id,name,place\nh1,\"St. Olav, \"\"Main\"\"; A\\B\",hosp\n",
        ),
        (
            "departments.csv",
            "hospital,specialty,capacity\nh1,medicine,1\n",
        ),
        (
            "doctors.csv",
            "id,name,municipality,scheme,group_from\nD1,<script>alert(1)</script>,town,new,2027-01\nD2,\"Åse Berit, Jr.; \\o/\",town,new,2027-03\n",
        ),
        ("supervisors.csv", "id,name,place\nS1,Sup One,home\n"),
        ("venues.csv", "place,max_groups\nhosp,1\n"),
    ];
    for (name, text) in files {
        fs::write(dir.join(name), text).unwrap();
    }
}

/// A valid plan for the tiny instance: D1 in h1 medicine 2027-01..06, D2 2027-07..12, both
/// in group G1.
pub fn write_tiny_plan(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    fs::write(
        dir.join("placements.csv"),
        "doctor,hospital,specialty,start,end,months,commute_minutes,relocate\n\
         D1,h1,medicine,2027-01,2027-06,6,40,no\n\
         D2,h1,medicine,2027-07,2027-12,6,40,no\n",
    )
    .unwrap();
    fs::write(
        dir.join("groups.csv"),
        "group,venue,supervisor,doctor,travel_minutes\nG1,hosp,S1,D1,40\nG1,hosp,S1,D2,40\n",
    )
    .unwrap();
    fs::write(
        dir.join("summary.json"),
        r#"{"placement":{"status":"optimal","objective":480.0,"bound":480.0,"gap":0.0,"seconds":0.1,"variables":24,"constraints":30,"terms":{"commute":480.0}}}"#,
    )
    .unwrap();
}

/// Whether doctor `d` may serve a block of `len` months at department `k` from `start`,
/// given the blocks placed so far (the rules of `verify`, checked by hand).
#[allow(clippy::too_many_arguments)]
fn fits(
    inst: &Instance,
    travel: &Travel,
    placed: &[Block],
    d: DoctorId,
    k: DepartmentId,
    start: Month,
    len: u32,
) -> Option<Block> {
    let doc = inst.doctor(d);
    let dept = inst.department(k);
    let span = MonthRange::starting(start, len as i32);
    if span.last > doc.window.last || !dept.may_start_in(start) {
        return None;
    }
    if span.months().any(|m| doc.on_leave(m)) {
        return None;
    }
    let commute = travel.commute(inst, d, dept.hospital);
    if commute > doc.max_commute && !doc.relocate {
        return None;
    }
    for m in span.months() {
        let in_dept = placed
            .iter()
            .filter(|b| b.department == k && b.span().contains(m))
            .count() as u32;
        if in_dept >= dept.capacity_in(m) {
            return None;
        }
        let mut away: Vec<DoctorId> = placed
            .iter()
            .filter(|b| {
                inst.doctor(b.doctor).municipality == doc.municipality && b.span().contains(m)
            })
            .map(|b| b.doctor)
            .collect();
        away.sort();
        away.dedup();
        if !away.contains(&d) && away.len() as u32 >= inst.municipality(doc.municipality).max_away {
            return None;
        }
        if placed.iter().any(|b| b.doctor == d && b.span().contains(m)) {
            return None;
        }
    }
    if let Some((years, may)) = alisplan::groups::years::practice_years(inst, doc) {
        // One group year that may be the practice year without hospital months.
        let hospital = years.map(|y| {
            placed
                .iter()
                .filter(|b| b.doctor == d)
                .map(|b| b.span().overlap(&y))
                .sum::<i32>()
                + span.overlap(&y)
        });
        if !(0..2).any(|k| may[k] && hospital[k] == 0) {
            return None;
        }
    }
    Some(Block {
        doctor: d,
        department: k,
        start,
        end: span.last,
        months: len,
        commute_minutes: commute,
        relocate: commute > doc.max_commute,
    })
}

/// A greedy plan: doctors with the most months first; each requirement part as one block
/// at the nearest department that fits, as early as it fits.
pub fn greedy_blocks(inst: &Instance) -> Vec<Block> {
    let travel = Travel::new(inst);
    let mut order: Vec<DoctorId> = inst.doctor_ids().collect();
    order.sort_by_key(|&d| {
        let doc = inst.doctor(d);
        (
            std::cmp::Reverse(doc.required_calendar_months()),
            doc.window.len(),
            d,
        )
    });
    // A doctor the greedy order leaves without a place goes first, and the plan starts over.
    for _ in 0..order.len() {
        match greedy_in_order(inst, &travel, &order) {
            Ok(mut placed) => {
                sort_blocks(&mut placed);
                return placed;
            }
            Err(d) => {
                order.retain(|&o| o != d);
                order.insert(0, d);
            }
        }
    }
    panic!("the greedy test plan found no place for every doctor")
}

/// The greedy plan in `order`, or the first doctor it cannot place.
fn greedy_in_order(
    inst: &Instance,
    travel: &Travel,
    order: &[DoctorId],
) -> Result<Vec<Block>, DoctorId> {
    let mut placed: Vec<Block> = Vec::new();
    for &d in order {
        let doc = inst.doctor(d);
        let mut parts = doc.requirement.clone();
        parts.sort_by_key(|p| p.specialty.is_none());
        for part in parts {
            let mut depts: Vec<(u32, DepartmentId)> = inst
                .department_ids()
                .filter(|&k| {
                    part.specialty
                        .is_none_or(|s| s == inst.department(k).specialty)
                })
                .map(|k| (travel.commute(inst, d, inst.department(k).hospital), k))
                .collect();
            depts.sort();
            let block = depts.iter().find_map(|&(_, k)| {
                doc.window.months().find_map(|start| {
                    fits(inst, travel, &placed, d, k, start, part.calendar_months)
                })
            });
            placed.push(block.ok_or(d)?);
        }
    }
    Ok(placed)
}

/// Two groups for alis-vest: the doctors living south of 60.7° N meet in Bergen, the
/// others in Førde.
pub fn alis_vest_groups(inst: &Instance) -> Vec<Group> {
    let travel = Travel::new(inst);
    let venue = |place: &str| inst.venue_id(place).expect("venue exists");
    let sup = |id: &str| inst.supervisor_id(id).expect("supervisor exists");
    let mut south = Group {
        id: "G1".into(),
        venue: venue("bergen"),
        supervisor: sup("S2"),
        members: Vec::new(),
    };
    let mut north = Group {
        id: "G2".into(),
        venue: venue("forde"),
        supervisor: sup("S3"),
        members: Vec::new(),
    };
    for d in inst.doctor_ids() {
        let home = inst.home_of(d);
        let g = if inst.place(home).lat < 60.7 {
            &mut south
        } else {
            &mut north
        };
        let minutes = travel.minutes(home, inst.venues[g.venue.index()].place);
        g.members.push((d, minutes));
    }
    vec![south, north]
}

/// Write the hand-made alis-vest plan (placements, groups, a summary) into `dir` and check
/// it with `verify`. Returns the blocks and groups.
pub fn write_alis_vest_plan(inst: &Instance, dir: &Path) -> (Vec<Block>, Vec<Group>) {
    let blocks = greedy_blocks(inst);
    let groups = alis_vest_groups(inst);
    let violations = verify(
        inst,
        &Plan {
            blocks: blocks.clone(),
            groups: Some(groups.clone()),
            ..Plan::default()
        },
    );
    assert!(
        violations.is_empty(),
        "the hand-made alis-vest plan must be valid: {violations:#?}"
    );
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join("placements.csv"), placements_csv(inst, &blocks)).unwrap();
    fs::write(dir.join("groups.csv"), groups_csv(inst, &groups)).unwrap();
    let commute: u32 = blocks.iter().map(|b| b.commute_minutes * b.months).sum();
    fs::write(
        dir.join("summary.json"),
        format!(
            "{{\n  \"name\": \"ALIS-Vest\",\n  \"placement\": {{\"status\": \"time_limit\", \"objective\": {obj:.1}, \"bound\": {bound:.1}, \"gap\": 0.0125, \"seconds\": 60.0, \"variables\": 1200, \"constraints\": 900, \"terms\": {{\"commute\": {commute}.0, \"relocation\": 1800.0}}}},\n  \"groups\": {{\"status\": \"optimal\", \"objective\": 2000.0, \"bound\": 2000.0, \"gap\": 0.0, \"seconds\": 1.5}}\n}}\n",
            obj = f64::from(commute) + 1800.0,
            bound = (f64::from(commute) + 1800.0) * (1.0 - 0.0125),
        ),
    )
    .unwrap();
    (blocks, groups)
}

/// Copy every file of `from` into `to` (one level, as plan folders are flat apart from
/// the report's `calendars/`).
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// What a calendar program holds after importing iCalendar texts one after another, as
/// RFC 5545 says for `METHOD:PUBLISH`: an event is kept by its UID; a later import of the
/// same UID replaces it only with a higher `SEQUENCE` (an equal one leaves it as it is);
/// `STATUS:CANCELLED` removes it. Returns UID → (DTSTART, DTEND, SUMMARY).
pub fn client_import(
    texts: &[&str],
) -> std::collections::BTreeMap<String, (String, String, String)> {
    use icalendar::{Calendar, Component};
    use std::str::FromStr;
    let mut held: std::collections::BTreeMap<String, (i64, (String, String, String))> =
        std::collections::BTreeMap::new();
    for text in texts {
        let cal = Calendar::from_str(text).expect("a valid calendar");
        for e in cal.events() {
            let uid = e.get_uid().expect("every event has a UID").to_string();
            let seq: i64 = e
                .property_value("SEQUENCE")
                .map_or(0, |s| s.parse().expect("SEQUENCE is a number"));
            if held.get(&uid).is_some_and(|(s, _)| *s >= seq) {
                continue;
            }
            if e.property_value("STATUS") == Some("CANCELLED") {
                held.remove(&uid);
                continue;
            }
            let facts = (
                format!("{:?}", e.get_start()),
                format!("{:?}", e.get_end()),
                e.get_summary().unwrap_or("").to_string(),
            );
            held.insert(uid, (seq, facts));
        }
    }
    held.into_iter().map(|(k, (_, v))| (k, v)).collect()
}
