//! Each rule broken once, with a hand-made plan on a tiny instance.

use super::*;
use crate::io::load_instance;
use crate::io::plan::{groups_csv, placements_csv, read_plan};

/// A tiny instance: 7 doctors in 5 municipalities, two hospitals (H2 across a ferry,
/// beyond everyone's 60-minute commute), three departments, leave, split and
/// specialty requirements, locks, and guidance groups of 2–3 with at most one member
/// per municipality and start months at most 6 apart.
const TINY: [(&str, &str); 13] = [
    (
        "settings.toml",
        "name = \"tiny\"\n[horizon]\nstart = \"2027-01\"\nend = \"2028-12\"\n\
         [scheme]\nmax_commute = 60\n\
         [groups]\nmin_size = 2\nmax_size = 3\nmax_per_municipality = 1\n\
         max_start_spread = 6\nmonths = 12\n",
    ),
    (
        "places.csv",
        "id,name,lat,lon\nta,A town,60.0,5.0\ntb,B town,60.1,5.1\ntc,C town,60.2,5.2\n\
         td,D town,60.3,5.3\nte,E town,60.4,5.4\nh1,Hospital town 1,60.5,5.5\n\
         h2,Hospital town 2,61.0,6.0\n",
    ),
    (
        "network.csv",
        "from,to,minutes,km,mode\nta,h1,30,30,road\ntb,h1,40,40,road\ntc,h1,20,20,road\n\
         td,h1,50,50,road\nte,h1,45,45,road\nh1,h2,100,60,ferry\n",
    ),
    (
        "municipalities.csv",
        "id,name,place,max_away\nma,A,ta,1\nmb,B,tb,1\nmc,C,tc,2\nmd,D,td,1\nme,E,te,1\n",
    ),
    (
        "hospitals.csv",
        "id,name,place\nH1,Hospital One,h1\nH2,Hospital Two,h2\n",
    ),
    (
        "departments.csv",
        "hospital,specialty,capacity,start_months\nH1,medicine,1,\nH1,surgery,2,1;7\n\
         H2,medicine,2,\n",
    ),
    (
        "doctors.csv",
        "id,name,municipality,scheme,earliest,relocate,group_from\n\
         D1,One,ma,new,,no,2027-01\nD2,Two,mb,new,2027-07,no,2027-04\n\
         D3,Three,mc,new,,yes,2027-09\nD4,Four,mc,old,,no,2027-03\n\
         D5,Five,ma,new,,no,\nD6,Six,me,new,,no,\nD7,Seven,md,new,,yes,2027-05\n",
    ),
    (
        "requirements.csv",
        "doctor,specialty,months,min_block,max_blocks\nD4,medicine,6,,\nD4,any,6,,\n\
         D5,any,6,3,2\n",
    ),
    (
        "leave.csv",
        "doctor,from,to,kind\nD6,2027-03,2027-04,sick\n",
    ),
    (
        "locks.csv",
        "doctor,hospital,decision\nD3,H2,accept\nD7,H1,reject\n",
    ),
    (
        "supervisors.csv",
        "id,name,place,max_groups\nS1,Sup One,ta,1\nS2,Sup Two,tb,1\nS3,Sup Three,tc,1\n",
    ),
    ("venues.csv", "place,max_groups\ntc,1\nh1,1\nta,1\n"),
    ("preferences.csv", "doctor,hospital,weight\nD1,H1,1\n"),
];

/// The tiny instance, loaded, with its travel network.
struct Tiny {
    inst: Instance,
    travel: Travel,
}

fn tiny() -> Tiny {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in TINY {
        std::fs::write(dir.path().join(name), text).expect("write instance file");
    }
    let inst = match load_instance(dir.path()) {
        Ok(inst) => inst,
        Err(e) => panic!("the tiny instance must load: {e}"),
    };
    assert!(inst.warnings.is_empty(), "{:?}", inst.warnings);
    let travel = Travel::new(&inst);
    Tiny { inst, travel }
}

fn month(s: &str) -> Month {
    s.parse().expect("a month")
}

impl Tiny {
    fn doctor(&self, id: &str) -> DoctorId {
        self.inst
            .doctor_id(id)
            .expect("a doctor of the tiny instance")
    }

    /// A block with its facts (months, commute, relocation) written as they should be.
    fn block(
        &self,
        doctor: &str,
        hospital: &str,
        specialty: &str,
        start: &str,
        end: &str,
    ) -> Block {
        let d = self.doctor(doctor);
        let h = self.inst.hospital_id(hospital).expect("hospital");
        let s = self.inst.specialty_id(specialty).expect("specialty");
        let department = self.inst.department_id(h, s).expect("department");
        let span = MonthRange::new(month(start), month(end));
        let doc = self.inst.doctor(d);
        let commute = self.travel.commute(&self.inst, d, h);
        Block {
            doctor: d,
            department,
            start: span.first,
            end: span.last,
            months: span.months().filter(|&m| !doc.on_leave(m)).count() as u32,
            commute_minutes: commute,
            relocate: commute > doc.max_commute,
        }
    }

    /// A group with the members' travel minutes written as the network gives them.
    fn group(&self, id: &str, venue: &str, supervisor: &str, members: &[&str]) -> Group {
        let venue = self.inst.venue_id(venue).expect("venue");
        let place = self.inst.venues[venue.index()].place;
        Group {
            id: id.into(),
            venue,
            supervisor: self.inst.supervisor_id(supervisor).expect("supervisor"),
            members: members
                .iter()
                .map(|m| {
                    let d = self.doctor(m);
                    (d, self.travel.minutes(self.inst.home_of(d), place))
                })
                .collect(),
        }
    }

    /// `doctor` reported unplaced for `reason`.
    fn unplaced(&self, doctor: &str, reason: &str) -> Unplaced {
        Unplaced {
            doctor: self.doctor(doctor),
            specialty: None,
            months: 0,
            reason: reason.to_string(),
        }
    }

    /// A plan that keeps every rule.
    fn correct(&self) -> Plan {
        Plan {
            blocks: vec![
                self.block("D1", "H1", "medicine", "2028-01", "2028-06"),
                self.block("D2", "H1", "surgery", "2028-07", "2028-12"),
                self.block("D3", "H2", "medicine", "2027-01", "2027-06"),
                self.block("D4", "H1", "surgery", "2028-01", "2028-06"),
                self.block("D4", "H1", "medicine", "2028-07", "2028-12"),
                self.block("D5", "H1", "medicine", "2027-01", "2027-03"),
                self.block("D5", "H1", "medicine", "2027-07", "2027-09"),
                self.block("D6", "H1", "surgery", "2027-07", "2027-12"),
                self.block("D7", "H2", "medicine", "2028-05", "2028-10"),
            ],
            groups: Some(self.correct_groups()),
            ..Plan::default()
        }
    }

    fn correct_groups(&self) -> Vec<Group> {
        vec![
            self.group("G1", "tc", "S1", &["D1", "D4"]),
            self.group("G2", "h1", "S2", &["D2", "D3", "D7"]),
        ]
    }

    /// The correct plan with `doctor`'s blocks replaced by `blocks`.
    fn with_blocks(&self, doctor: &str, blocks: Vec<Block>) -> Plan {
        let d = self.doctor(doctor);
        let mut plan = self.correct();
        plan.blocks.retain(|b| b.doctor != d);
        plan.blocks.extend(blocks);
        plan
    }

    /// The correct plan with other groups.
    fn with_groups(&self, groups: Vec<Group>) -> Plan {
        Plan {
            groups: Some(groups),
            ..self.correct()
        }
    }

    /// The rules `plan` breaks, each once, in order.
    fn broken(&self, plan: &Plan) -> Vec<Rule> {
        let mut rules: Vec<Rule> = verify(&self.inst, plan).iter().map(|v| v.rule).collect();
        rules.sort();
        rules.dedup();
        rules
    }

    /// `plan` breaks `rule` and nothing else; returns the violations.
    fn breaks_only(&self, plan: &Plan, rule: Rule) -> Vec<Violation> {
        let v = verify(&self.inst, plan);
        assert_eq!(self.broken(plan), vec![rule], "violations: {v:#?}");
        v
    }
}

#[test]
fn a_correct_plan_passes() {
    let t = tiny();
    let v = verify(&t.inst, &t.correct());
    assert!(v.is_empty(), "{v:#?}");
}

#[test]
fn requirement_met_too_few_months() {
    let t = tiny();
    let plan = t.with_blocks(
        "D1",
        vec![t.block("D1", "H1", "medicine", "2028-01", "2028-05")],
    );
    let v = t.breaks_only(&plan, Rule::RequirementMet);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].doctor.as_deref(), Some("D1"));
    assert!(v[0].message.contains("gives 5 months"), "{}", v[0].message);
}

#[test]
fn requirement_met_doctor_left_out() {
    let t = tiny();
    let v = t.breaks_only(&t.with_blocks("D1", vec![]), Rule::RequirementMet);
    assert!(v[0].message.contains("nothing"), "{}", v[0].message);
}

#[test]
fn an_unplaced_doctor_with_a_reason_and_no_blocks_passes() {
    let t = tiny();
    let mut plan = t.with_blocks("D1", vec![]);
    plan.unplaced = vec![t.unplaced("D1", "no slot within reach")];
    assert_eq!(t.broken(&plan), vec![]);
}

#[test]
fn an_unplaced_doctor_may_be_placed_in_part_in_an_allowed_block() {
    let t = tiny();
    // D5 may split 6 months into 2 blocks of at least 3: one block of 3 can be
    // completed later.
    let mut plan = t.with_blocks(
        "D5",
        vec![t.block("D5", "H1", "medicine", "2027-01", "2027-03")],
    );
    plan.unplaced = vec![t.unplaced("D5", "only 3 months found")];
    assert_eq!(t.broken(&plan), vec![]);
    // D1 must serve in one block: 3 months of it cannot be completed by another block.
    let mut plan = t.with_blocks(
        "D1",
        vec![t.block("D1", "H1", "medicine", "2028-01", "2028-03")],
    );
    plan.unplaced = vec![t.unplaced("D1", "only 3 months found")];
    t.breaks_only(&plan, Rule::BlockShape);
}

#[test]
fn a_doctor_listed_unplaced_but_placed_in_full_is_reported() {
    let t = tiny();
    let mut plan = t.correct();
    plan.unplaced = vec![t.unplaced("D2", "no slot")];
    let v = t.breaks_only(&plan, Rule::RequirementMet);
    assert!(v[0].message.contains("unplaced.csv"), "{}", v[0].message);
}

#[test]
fn specialty_match_medicine_served_in_surgery() {
    let t = tiny();
    // D4 needs 6 months medicine + 6 any; both blocks are now in surgery.
    let plan = t.with_blocks(
        "D4",
        vec![
            t.block("D4", "H1", "surgery", "2028-01", "2028-06"),
            t.block("D4", "H1", "surgery", "2028-07", "2028-12"),
        ],
    );
    let v = t.breaks_only(&plan, Rule::SpecialtyMatch);
    assert_eq!(v[0].doctor.as_deref(), Some("D4"));
}

#[test]
fn block_shape_split_block_shorter_than_min_block() {
    let t = tiny();
    let plan = t.with_blocks(
        "D5",
        vec![
            t.block("D5", "H1", "medicine", "2027-01", "2027-02"),
            t.block("D5", "H1", "medicine", "2027-07", "2027-10"),
        ],
    );
    t.breaks_only(&plan, Rule::BlockShape);
}

#[test]
fn block_shape_split_although_one_block_is_required() {
    let t = tiny();
    let plan = t.with_blocks(
        "D1",
        vec![
            t.block("D1", "H1", "medicine", "2028-01", "2028-03"),
            t.block("D1", "H1", "medicine", "2028-04", "2028-06"),
        ],
    );
    t.breaks_only(&plan, Rule::BlockShape);
}

#[test]
fn within_window_block_before_earliest() {
    let t = tiny();
    // D2 may start 2027-07 at the earliest.
    let plan = t.with_blocks(
        "D2",
        vec![t.block("D2", "H1", "surgery", "2027-01", "2027-06")],
    );
    let v = t.breaks_only(&plan, Rule::WithinWindow);
    assert_eq!(v[0].month, Some(month("2027-01")));
}

#[test]
fn no_leave_in_block() {
    let t = tiny();
    // D6 is on sick leave 2027-03..04; 8 calendar months give the 6 of service.
    let plan = t.with_blocks(
        "D6",
        vec![t.block("D6", "H1", "surgery", "2027-01", "2027-08")],
    );
    let v = t.breaks_only(&plan, Rule::NoLeaveInBlock);
    let months: Vec<Month> = v.iter().filter_map(|v| v.month).collect();
    assert_eq!(months, [month("2027-03"), month("2027-04")]);
}

#[test]
fn a_running_block_of_a_replan_may_contain_leave() {
    let t = tiny();
    let mut plan = t.with_blocks(
        "D6",
        vec![t.block("D6", "H1", "surgery", "2027-01", "2027-08")],
    );
    plan.replan_from = Some(month("2027-05"));
    assert_eq!(t.broken(&plan), vec![]);
    // A block that starts at or after the re-plan month is new and may not.
    let mut plan = t.with_blocks(
        "D6",
        vec![t.block("D6", "H1", "surgery", "2027-01", "2027-08")],
    );
    plan.replan_from = Some(month("2027-01"));
    t.breaks_only(&plan, Rule::NoLeaveInBlock);
}

#[test]
fn one_place_at_a_time() {
    let t = tiny();
    let plan = t.with_blocks(
        "D5",
        vec![
            t.block("D5", "H1", "medicine", "2027-01", "2027-03"),
            t.block("D5", "H1", "surgery", "2027-01", "2027-03"),
        ],
    );
    let v = t.breaks_only(&plan, Rule::OnePlaceAtATime);
    assert_eq!(v.len(), 1);
}

#[test]
fn department_capacity() {
    let t = tiny();
    // H1 medicine has one slot; D5 is there 2027-07..09.
    let plan = t.with_blocks(
        "D6",
        vec![t.block("D6", "H1", "medicine", "2027-07", "2027-12")],
    );
    let v = t.breaks_only(&plan, Rule::DepartmentCapacity);
    assert_eq!(v.len(), 3);
    assert!(v.iter().all(|v| v.hospital.as_deref() == Some("H1")));
    assert!(v[0].message.contains("D5") && v[0].message.contains("D6"));
}

#[test]
fn capacity_overrides_are_honoured() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in TINY {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    // H1 surgery closes in 2028-08: D2's block there now overflows it.
    std::fs::write(
        dir.path().join("capacity.csv"),
        "hospital,specialty,from,to,capacity\nH1,surgery,2028-08,2028-08,0\n",
    )
    .expect("write");
    let inst = load_instance(dir.path()).expect("loads");
    let t = Tiny {
        travel: Travel::new(&inst),
        inst,
    };
    let v = t.breaks_only(&t.correct(), Rule::DepartmentCapacity);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].month, Some(month("2028-08")));
}

#[test]
fn allowed_start_months() {
    let t = tiny();
    // H1 surgery starts rotations in January and July only.
    let plan = t.with_blocks(
        "D2",
        vec![t.block("D2", "H1", "surgery", "2028-06", "2028-11")],
    );
    let v = t.breaks_only(&plan, Rule::AllowedStartMonths);
    assert_eq!(v[0].month, Some(month("2028-06")));
}

#[test]
fn commute_limit() {
    let t = tiny();
    // D1 will not relocate; H2 is 130 minutes from A town.
    let plan = t.with_blocks(
        "D1",
        vec![t.block("D1", "H2", "medicine", "2028-01", "2028-06")],
    );
    let v = t.breaks_only(&plan, Rule::CommuteLimit);
    assert!(v[0].message.contains("130 min"), "{}", v[0].message);
}

#[test]
fn relocation_beyond_the_relocation_limit() {
    let mut t = tiny();
    // D3 relocates to H2, 120 minutes from C town; allow only 100.
    t.inst.settings.scheme.max_relocation_minutes = 100;
    let v = t.breaks_only(&t.correct(), Rule::CommuteLimit);
    assert!(
        v[0].message.contains("relocation limit of 100 min"),
        "{}",
        v[0].message
    );
}

#[test]
fn municipality_max_away() {
    let t = tiny();
    // D5 and D1 both live in municipality ma (max_away 1); D1 is away 2028-01..06.
    let plan = t.with_blocks(
        "D5",
        vec![
            t.block("D5", "H1", "surgery", "2028-01", "2028-03"),
            t.block("D5", "H1", "medicine", "2027-07", "2027-09"),
        ],
    );
    let v = t.breaks_only(&plan, Rule::MunicipalityMaxAway);
    assert_eq!(v.len(), 3);
    assert!(
        v[0].message.starts_with("ma has 2 ALIS"),
        "{}",
        v[0].message
    );
}

#[test]
fn group_period_in_practice() {
    let t = tiny();
    // D2's group years are 2027-04..2027-09 and 2027-10..2028-03; one must have no
    // hospital month.
    let plan = t.with_blocks(
        "D2",
        vec![t.block("D2", "H1", "surgery", "2027-07", "2027-12")],
    );
    let v = t.breaks_only(&plan, Rule::GroupPeriodInPractice);
    assert!(
        v[0].message.starts_with("both guidance-group years have hospital months (3 in 2027-04..2027-09, 3 in 2027-10..2028-03)"),
        "{}",
        v[0].message
    );
}

#[test]
fn group_period_in_a_replan_is_what_the_past_leaves_open() {
    let mut t = tiny();
    // D7's group years are 2027-05..2027-10 and 2027-11..2028-04. Leave takes 4 of the
    // second year's 6 months, so the first year should be the practice year …
    let d = t.doctor("D7");
    t.inst.doctors[d.index()].leave.push(Leave {
        range: MonthRange::new(month("2027-12"), month("2028-03")),
        kind: LeaveKind::Sick,
        source: Source {
            file: "leave.csv".into(),
            line: 3,
        },
    });
    let block = t.block("D7", "H2", "medicine", "2027-05", "2027-10");
    let plan = t.with_blocks("D7", vec![block.clone()]);
    let v = t.breaks_only(&plan, Rule::GroupPeriodInPractice);
    assert!(
        v[0].message.starts_with("the only guidance-group year without hospital months, 2027-11..2028-04, has 4 of its 6 months on leave"),
        "{}",
        v[0].message
    );
    // … but when the leave is reported after the block began, that year is served: the
    // other year is the practice year, leave or not.
    let mut replan = plan.clone();
    replan.replan_from = Some(month("2027-06"));
    assert_eq!(t.broken(&replan), vec![]);
    // A block begun before the re-plan month is history, not a choice: from 2027-05 the
    // block is new and the rule holds as before.
    let mut new = plan;
    new.replan_from = Some(month("2027-05"));
    t.breaks_only(&new, Rule::GroupPeriodInPractice);
}

#[test]
fn locks_respected_accept_not_kept() {
    let t = tiny();
    // locks.csv accepts D3 at H2.
    let plan = t.with_blocks(
        "D3",
        vec![t.block("D3", "H1", "surgery", "2027-01", "2027-06")],
    );
    let v = t.breaks_only(&plan, Rule::LocksRespected);
    assert!(v[0].message.starts_with("accept"), "{}", v[0].message);
}

#[test]
fn locks_respected_reject_ignored() {
    let t = tiny();
    // locks.csv rejects D7 at H1.
    let plan = t.with_blocks(
        "D7",
        vec![t.block("D7", "H1", "surgery", "2027-01", "2027-06")],
    );
    let v = t.breaks_only(&plan, Rule::LocksRespected);
    assert!(v[0].message.starts_with("reject"), "{}", v[0].message);
}

#[test]
fn block_facts_commute_minutes() {
    let t = tiny();
    let mut b = t.block("D1", "H1", "medicine", "2028-01", "2028-06");
    b.commute_minutes += 1;
    t.breaks_only(&t.with_blocks("D1", vec![b]), Rule::BlockFacts);
}

#[test]
fn block_facts_months() {
    let t = tiny();
    // The months written are wrong, the span itself is right: only the fact is wrong.
    let mut b = t.block("D1", "H1", "medicine", "2028-01", "2028-06");
    b.months = 7;
    let v = t.breaks_only(&t.with_blocks("D1", vec![b]), Rule::BlockFacts);
    assert!(v[0].message.contains("written as 7"), "{}", v[0].message);
}

#[test]
fn block_facts_relocation() {
    let t = tiny();
    let mut b = t.block("D3", "H2", "medicine", "2027-01", "2027-06");
    b.relocate = false;
    t.breaks_only(&t.with_blocks("D3", vec![b]), Rule::BlockFacts);
}

#[test]
fn group_membership_doctor_without_group_period() {
    let t = tiny();
    let plan = t.with_groups(vec![
        t.group("G1", "tc", "S1", &["D1", "D4", "D6"]),
        t.group("G2", "h1", "S2", &["D2", "D3", "D7"]),
    ]);
    let v = t.breaks_only(&plan, Rule::GroupMembership);
    assert_eq!(v[0].doctor.as_deref(), Some("D6"));
}

#[test]
fn group_membership_doctor_due_but_in_no_group() {
    let t = tiny();
    let plan = t.with_groups(vec![
        t.group("G1", "tc", "S1", &["D1", "D4"]),
        t.group("G2", "h1", "S2", &["D2", "D3"]),
    ]);
    let v = t.breaks_only(&plan, Rule::GroupMembership);
    assert_eq!(v[0].doctor.as_deref(), Some("D7"));
}

#[test]
fn group_size() {
    let t = tiny();
    let plan = t.with_groups(vec![
        t.group("G1", "tc", "S1", &["D1", "D4"]),
        t.group("G2", "h1", "S2", &["D2", "D3"]),
        t.group("G3", "ta", "S3", &["D7"]),
    ]);
    let v = t.breaks_only(&plan, Rule::GroupSize);
    assert!(
        v[0].message.starts_with("group G3 has 1"),
        "{}",
        v[0].message
    );
}

#[test]
fn venue_capacity() {
    let t = tiny();
    let plan = t.with_groups(vec![
        t.group("G1", "tc", "S1", &["D1", "D4"]),
        t.group("G2", "tc", "S2", &["D2", "D3", "D7"]),
    ]);
    t.breaks_only(&plan, Rule::VenueCapacity);
}

#[test]
fn supervisor_capacity() {
    let t = tiny();
    let plan = t.with_groups(vec![
        t.group("G1", "tc", "S1", &["D1", "D4"]),
        t.group("G2", "h1", "S1", &["D2", "D3", "D7"]),
    ]);
    t.breaks_only(&plan, Rule::SupervisorCapacity);
}

#[test]
fn group_municipality_mix() {
    let t = tiny();
    // D3 and D4 both live in municipality mc; one per municipality is allowed.
    let plan = t.with_groups(vec![
        t.group("G1", "tc", "S1", &["D1", "D7"]),
        t.group("G2", "h1", "S2", &["D2", "D3", "D4"]),
    ]);
    t.breaks_only(&plan, Rule::GroupMunicipalityMix);
}

#[test]
fn group_start_spread() {
    let t = tiny();
    // D1 starts 2027-01 and D3 2027-09: 8 months apart, at most 6 allowed.
    let plan = t.with_groups(vec![
        t.group("G1", "tc", "S1", &["D1", "D3"]),
        t.group("G2", "h1", "S2", &["D2", "D4", "D7"]),
    ]);
    let v = t.breaks_only(&plan, Rule::GroupStartSpread);
    assert!(v[0].message.contains("8 months apart"), "{}", v[0].message);
}

#[test]
fn group_travel_facts() {
    let t = tiny();
    let mut groups = t.correct_groups();
    groups[0].members[0].1 += 1;
    t.breaks_only(&t.with_groups(groups), Rule::GroupTravelFacts);
}

#[test]
fn a_plan_written_and_read_back_passes() {
    let t = tiny();
    let plan = t.correct();
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("placements.csv"),
        placements_csv(&t.inst, &plan.blocks),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("groups.csv"),
        groups_csv(&t.inst, plan.groups.as_deref().expect("groups")),
    )
    .expect("write");
    let (back, _) = read_plan(&t.inst, dir.path()).expect("reads back");
    let mut want = plan.blocks.clone();
    sort_blocks(&mut want);
    assert_eq!(back.blocks, want);
    assert_eq!(back.groups, plan.groups);
    assert_eq!(back.replan_from, None);
    assert!(verify(&t.inst, &back).is_empty());
}

#[test]
fn a_replan_folder_declares_its_start_in_summary_json() {
    let t = tiny();
    let plan = t.with_blocks(
        "D6",
        vec![t.block("D6", "H1", "surgery", "2027-01", "2027-08")],
    );
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("placements.csv"),
        placements_csv(&t.inst, &plan.blocks),
    )
    .expect("write");
    let (back, _) = read_plan(&t.inst, dir.path()).expect("reads");
    assert_eq!(t.broken(&back), vec![Rule::NoLeaveInBlock]);
    std::fs::write(
        dir.path().join("summary.json"),
        "{\"replan\": {\"from\": \"2027-05\"}}\n",
    )
    .expect("write");
    let (back, _) = read_plan(&t.inst, dir.path()).expect("reads");
    assert_eq!(back.replan_from, Some(month("2027-05")));
    assert_eq!(t.broken(&back), vec![]);
}

#[test]
fn unplaced_csv_is_read_with_the_plan() {
    let t = tiny();
    let plan = t.with_blocks("D1", vec![]);
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("placements.csv"),
        placements_csv(&t.inst, &plan.blocks),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("unplaced.csv"),
        "doctor,specialty,months,reason\nD1,any,6,no slot within reach\n",
    )
    .expect("write");
    let (back, _) = read_plan(&t.inst, dir.path()).expect("reads");
    assert_eq!(
        back.unplaced,
        vec![Unplaced {
            doctor: t.doctor("D1"),
            specialty: None,
            months: 6,
            reason: "no slot within reach".to_string()
        }]
    );
    assert_eq!(t.broken(&back), vec![]);
}
