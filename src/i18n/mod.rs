//! What hospitals, municipalities and doctors read, in their language: the review sheets
//! and workbooks, the files under `notify/`, the report and the calendars. Each language
//! has one table of messages ([`Messages`], in `en.rs` and `nb.rs`); the compiler makes
//! sure every table has every message, so nothing is translated by hand twice. The
//! command line, errors and the README stay in English.
//!
//! Messages with blanks name them in braces (`{hospital}`) and are filled by [`fill`].

mod en;
mod nb;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::{ChangeKind, Decision, LeaveKind, Scheme};

/// A language of the outputs: `nb` (Norwegian bokmål) or `en` (English).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Nb,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nb, Lang::En];

    /// The field separator of the CSV files people open in a spreadsheet program: a
    /// semicolon for `nb` (Excel in a Norwegian locale, where the comma is the decimal
    /// sign, splits on it), a comma for `en`.
    pub fn csv_delimiter(self) -> u8 {
        match self {
            Lang::En => b',',
            Lang::Nb => b';',
        }
    }

    /// The language's code, as written in `settings.toml` and given to `--lang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nb => "nb",
        }
    }

    /// The message table of the language.
    pub fn t(self) -> &'static Messages {
        match self {
            Lang::En => &en::MESSAGES,
            Lang::Nb => &nb::MESSAGES,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Lang, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Ok(Lang::En),
            "nb" | "no" => Ok(Lang::Nb),
            other => Err(format!("'{other}' is not a language: use nb or en")),
        }
    }
}

/// Fill the blanks `{name}` of `template` with `values`. A blank without a value is left
/// as it is, so a missing value shows in the output instead of vanishing.
pub fn fill(template: &str, values: &[(&str, &dyn fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(&v.to_string()),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A decision written in a review sheet, in any language, case-insensitive: `godkjent`,
/// `ja`, `accept` (and the other words of [`Messages::accept_words`]) accept; `avslått`,
/// `nei`, `reject` (…) reject. `None` for anything else.
pub fn parse_decision(word: &str) -> Option<Decision> {
    let w = word.trim().to_lowercase();
    Lang::ALL.into_iter().find_map(|l| {
        let t = l.t();
        if t.accept_words.contains(&w.as_str()) {
            Some(Decision::Accept)
        } else if t.reject_words.contains(&w.as_str()) {
            Some(Decision::Reject)
        } else {
            None
        }
    })
}

/// The column key a header cell names, in any language (`beslutning` → `decision`); the
/// key itself is accepted too.
pub fn column_key(header: &str) -> Option<&'static str> {
    let h = header.trim().to_lowercase();
    Lang::ALL.into_iter().find_map(|l| {
        l.t()
            .columns
            .iter()
            .find(|(key, label)| *key == h || label.to_lowercase() == h)
            .map(|(key, _)| *key)
    })
}

/// Every message of one language.
pub struct Messages {
    // Words and names.
    /// Words read as `accept`; the first is the one written.
    pub accept_words: &'static [&'static str],
    /// Words read as `reject`; the first is the one written.
    pub reject_words: &'static [&'static str],
    pub yes: &'static str,
    pub no: &'static str,
    /// `(column key, header)` of every column of the review sheets and `notify/` files.
    pub columns: &'static [(&'static str, &'static str)],
    pub scheme_new: &'static str,
    pub scheme_old: &'static str,
    pub leave_parental: &'static str,
    pub leave_sick: &'static str,
    pub leave_other: &'static str,
    /// `{kind}` leave `{range}` inside a block.
    pub leave_in_block: &'static str,
    pub any_specialty: &'static str,

    // Review sheets and workbooks.
    pub sheet_title: &'static str,
    pub sheet_round: &'static str,
    pub sheet_deadline: &'static str,
    pub sheet_instructions: &'static str,
    pub sheet_tab: &'static str,
    pub sheet_list_prompt: &'static str,
    pub previous_new: &'static str,
    pub previous_accepted: &'static str,
    pub previous_unanswered: &'static str,
    pub previous_changed: &'static str,

    // Review statuses, as the report shows them.
    pub status_proposed: &'static str,
    pub status_accepted: &'static str,
    pub status_rejected: &'static str,
    pub status_accepted_changed: &'static str,

    // Changes (notify files, report).
    pub change_moved_hospital: (&'static str, &'static str),
    pub change_shifted: (&'static str, &'static str),
    pub change_added: (&'static str, &'static str),
    pub change_removed: (&'static str, &'static str),
    pub change_extended: (&'static str, &'static str),
    pub change_ended_early: (&'static str, &'static str),
    pub change_cancelled: (&'static str, &'static str),
    pub change_interrupted: (&'static str, &'static str),

    // Calendars.
    pub cal_block_summary: &'static str,
    pub cal_block_description: &'static str,
    pub cal_relocates: &'static str,
    pub cal_leave_inside: &'static str,
    pub cal_group_summary: &'static str,
    pub cal_group_description: &'static str,
    pub cal_rhythm_short: &'static str,
    pub cal_rhythm_long: &'static str,
    pub cal_period_summary: &'static str,
    pub cal_period_description: &'static str,

    /// The report.
    pub report: Report,
}

impl Messages {
    /// The word written for a decision.
    pub fn decision(&self, d: Decision) -> &'static str {
        match d {
            Decision::Accept => self.accept_words[0],
            Decision::Reject => self.reject_words[0],
        }
    }

    pub fn yes_no(&self, b: bool) -> &'static str {
        if b { self.yes } else { self.no }
    }

    /// The header of column `key` (the key itself if the table has none).
    pub fn column<'a>(&self, key: &'a str) -> &'a str {
        self.columns
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(key, |(_, label)| label)
    }

    pub fn scheme(&self, s: Scheme) -> &'static str {
        match s {
            Scheme::New => self.scheme_new,
            Scheme::Old => self.scheme_old,
        }
    }

    pub fn leave(&self, k: LeaveKind) -> &'static str {
        match k {
            LeaveKind::Parental => self.leave_parental,
            LeaveKind::Sick => self.leave_sick,
            LeaveKind::Other => self.leave_other,
        }
    }

    /// The name and meaning of a kind of change.
    pub fn change(&self, k: ChangeKind) -> (&'static str, &'static str) {
        match k {
            ChangeKind::MovedHospital => self.change_moved_hospital,
            ChangeKind::Shifted => self.change_shifted,
            ChangeKind::Added => self.change_added,
            ChangeKind::Removed => self.change_removed,
            ChangeKind::Extended => self.change_extended,
            ChangeKind::EndedEarly => self.change_ended_early,
            ChangeKind::Cancelled => self.change_cancelled,
            ChangeKind::Interrupted => self.change_interrupted,
        }
    }
}

/// Every text of the report (`report.html`), in one language.
pub struct Report {
    pub title: &'static str,
    pub title_named: &'static str,
    pub lead: &'static str,
    pub lead_replan: &'static str,
    pub lead_history: &'static str,
    pub nav_label: &'static str,
    pub nav_figures: &'static str,
    pub nav_changes: &'static str,
    pub nav_review: &'static str,
    pub nav_hospitals: &'static str,
    pub nav_municipalities: &'static str,
    pub nav_doctors: &'static str,
    pub nav_groups: &'static str,
    pub nav_hospital_pages: &'static str,
    pub nav_substitutes: &'static str,
    pub footer: &'static str,
    pub legend_label: &'static str,
    pub legend_bar: &'static str,
    pub legend_reloc: &'static str,
    pub legend_changed: &'static str,
    pub legend_leave: &'static str,
    pub legend_noslot: &'static str,
    pub legend_part: &'static str,
    pub legend_full: &'static str,
    pub legend_over: &'static str,
    pub legend_below: &'static str,
    pub wk: &'static str,
    pub solver_unknown: &'static str,
    pub gap_value: &'static str,
    pub no_summary: &'static str,
    pub part_placement: &'static str,
    pub part_groups: &'static str,
    pub status_optimal: &'static str,
    pub status_gap_limit: &'static str,
    pub status_time_limit: &'static str,
    pub status_unknown: &'static str,
    pub x_of_y: &'static str,
    pub card_placed: &'static str,
    pub card_placed_detail: &'static str,
    pub card_missing_detail: &'static str,
    pub card_solver: &'static str,
    pub card_months: &'static str,
    pub card_mean_commute: &'static str,
    pub card_mean_detail: &'static str,
    pub card_worst: &'static str,
    pub card_worst_detail: &'static str,
    pub card_relocated: &'static str,
    pub months_count: &'static str,
    pub card_substitute: &'static str,
    pub nok: &'static str,
    pub card_groups: &'static str,
    pub members_count: &'static str,
    pub check_passes: &'static str,
    pub check_broken: &'static str,
    pub card_check: &'static str,
    pub solver_title: &'static str,
    pub solver_none: &'static str,
    pub solver_caption: &'static str,
    pub col_part: &'static str,
    pub col_status: &'static str,
    pub col_objective: &'static str,
    pub col_bound: &'static str,
    pub col_gap: &'static str,
    pub col_variables: &'static str,
    pub col_constraints: &'static str,
    pub terms_caption: &'static str,
    pub col_term: &'static str,
    pub col_points: &'static str,
    pub unplaced_title: &'static str,
    pub all_placed: &'static str,
    pub unplaced_caption: &'static str,
    pub col_doctor: &'static str,
    pub col_name: &'static str,
    pub col_specialty: &'static str,
    pub col_months: &'static str,
    pub col_reason: &'static str,
    pub missing_reason: &'static str,
    pub substitute_title: &'static str,
    pub substitute_caption: &'static str,
    pub col_municipality: &'static str,
    pub col_alis: &'static str,
    pub col_sub_months: &'static str,
    pub col_peak: &'static str,
    pub col_allowed: &'static str,
    pub col_cost: &'static str,
    pub over_limit: &'static str,
    pub all_row: &'static str,
    pub fairness_title: &'static str,
    pub check_title: &'static str,
    pub check_ok: &'static str,
    pub check_ok_rules: &'static str,
    pub check_broken_text: &'static str,
    pub fair_caption: &'static str,
    pub col_measure: &'static str,
    pub col_value: &'static str,
    pub fair_commute: &'static str,
    pub fair_commute_value: &'static str,
    pub fair_no_commuter: &'static str,
    pub fair_worst: &'static str,
    pub fair_worst_value: &'static str,
    pub fair_relocated_detail: &'static str,
    pub fair_wishes: &'static str,
    pub fair_wishes_value: &'static str,
    pub fair_sizes: &'static str,
    pub fair_sizes_value: &'static str,
    pub fair_travel: &'static str,
    pub fair_travel_value: &'static str,
    pub fair_from_summary: &'static str,
    pub hospitals_title: &'static str,
    pub hospitals_intro: &'static str,
    pub hospital_months: &'static str,
    pub munis_title: &'static str,
    pub munis_intro: &'static str,
    pub muni_caption: &'static str,
    pub col_year: &'static str,
    pub over: &'static str,
    pub who_title: &'static str,
    pub doctors_intro: &'static str,
    pub doctors_caption: &'static str,
    pub col_scheme: &'static str,
    pub col_hospital_dept: &'static str,
    pub col_period: &'static str,
    pub col_commute: &'static str,
    pub col_relocates: &'static str,
    pub col_group: &'static str,
    pub col_replan: &'static str,
    pub col_review: &'static str,
    pub group_at: &'static str,
    pub period_no_group: &'static str,
    pub not_placed: &'static str,
    pub no_reason: &'static str,
    pub unplaced_part: &'static str,
    pub changes_title: &'static str,
    pub replanned_from: &'static str,
    pub previous_plan: &'static str,
    pub changes_count: &'static str,
    pub changes_marked: &'static str,
    pub changed_badge: &'static str,
    pub changes_marked_2: &'static str,
    pub changes_marked_3: &'static str,
    pub nothing_changed: &'static str,
    pub changes_caption: &'static str,
    pub col_change: &'static str,
    pub col_before: &'static str,
    pub col_after: &'static str,
    pub no_groups: &'static str,
    pub groups_intro: &'static str,
    pub map_caption: &'static str,
    pub map_legend_label: &'static str,
    pub legend_group: &'static str,
    pub legend_hospital: &'static str,
    pub legend_home: &'static str,
    pub legend_venue: &'static str,
    pub legend_sup: &'static str,
    pub legend_road: &'static str,
    pub legend_ferry: &'static str,
    pub group_caption: &'static str,
    pub col_group_period: &'static str,
    pub col_travel: &'static str,
    pub col_hospital_in_period: &'static str,
    pub timeline_title: &'static str,
    pub replan_title: &'static str,
    pub replan_label: &'static str,
    pub any_month: &'static str,
    pub dept_title: &'static str,
    pub used_slots: &'static str,
    pub slot_title: &'static str,
    pub noslot_title: &'static str,
    pub history_title: &'static str,
    pub load_title: &'static str,
    pub over_capacity: &'static str,
    pub below_min: &'static str,
    pub bar_title: &'static str,
    pub bar_reloc: &'static str,
    pub bar_changed: &'static str,
    pub on_leave: &'static str,
    pub map_title: &'static str,
    pub edge_title: &'static str,
    pub map_group_title: &'static str,
    pub sup_travel_title: &'static str,
    pub member_title: &'static str,
    pub hospital_title: &'static str,
    pub home_title: &'static str,
    pub sup_home_title: &'static str,
    pub venue_title: &'static str,
    pub venue_groups: &'static str,
    pub scale_title: &'static str,
    pub review_title: &'static str,
    pub review_intro: &'static str,
    pub review_deadline: &'static str,
    pub review_caption: &'static str,
    pub col_answered: &'static str,
    pub col_comment: &'static str,
    pub answered_value: &'static str,
    pub was_value: &'static str,
    pub not_in_plan: &'static str,
    pub review_none: &'static str,
    pub hpages_intro: &'static str,
    pub hpage_heading: &'static str,
    pub hpage_caption: &'static str,
    pub col_department: &'static str,
    pub util_caption: &'static str,
    pub col_slot_months: &'static str,
    pub col_used: &'static str,
    pub col_utilisation: &'static str,
    pub hpage_none: &'static str,
    pub subs_intro: &'static str,
    pub subs_heading: &'static str,
    pub subs_caption: &'static str,
    pub col_from: &'static str,
    pub col_to: &'static str,
    pub col_cost_short: &'static str,
    pub subs_total: &'static str,
    pub subs_none: &'static str,
    pub month_abbr: [&'static str; 12],
    pub month_initials: [&'static str; 12],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_are_filled_by_name_and_unknown_ones_stay() {
        assert_eq!(
            fill("{a} and {b}, {a}; {c} {", &[("a", &1), ("b", &"two")]),
            "1 and two, 1; {c} {"
        );
        assert_eq!(fill("no blanks", &[]), "no blanks");
    }

    #[test]
    fn decisions_are_read_in_both_languages_in_any_case() {
        for w in ["accept", "Accepted", "godkjent", "GODKJENT", "ja", "Ja"] {
            assert_eq!(parse_decision(w), Some(Decision::Accept), "{w}");
        }
        for w in [
            "reject", "REJECTED", "avslått", "Avslått", "AVSLÅTT", "nei", "avslatt",
        ] {
            assert_eq!(parse_decision(w), Some(Decision::Reject), "{w}");
        }
        for w in ["maybe", "", "kanskje"] {
            assert_eq!(parse_decision(w), None, "{w}");
        }
        for l in Lang::ALL {
            for d in [Decision::Accept, Decision::Reject] {
                assert_eq!(parse_decision(l.t().decision(d)), Some(d));
            }
        }
    }

    #[test]
    fn every_language_names_the_same_columns_and_headers_read_back() {
        let keys = |l: Lang| l.t().columns.iter().map(|c| c.0).collect::<Vec<_>>();
        assert_eq!(keys(Lang::Nb), keys(Lang::En));
        for l in Lang::ALL {
            for (key, label) in l.t().columns {
                assert_eq!(column_key(label), Some(*key), "{l}: {label}");
                assert_eq!(column_key(&label.to_uppercase()), Some(*key));
            }
        }
        assert_eq!(column_key("nonsense"), None);
    }

    #[test]
    fn languages_read_from_their_codes() {
        assert_eq!("nb".parse::<Lang>(), Ok(Lang::Nb));
        assert_eq!("EN".parse::<Lang>(), Ok(Lang::En));
        assert!("de".parse::<Lang>().is_err());
    }
}
