//! Calendar months, the time unit of every plan.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar month, stored as months since year 0 so that arithmetic is plain integer
/// arithmetic. Written and read as `YYYY-MM`; `YYYY-MM-DD` is accepted when reading.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(i32);

impl Month {
    /// The month of `year`, `month` (1–12).
    pub fn new(year: i32, month: u32) -> Option<Month> {
        (1..=12)
            .contains(&month)
            .then(|| Month(year * 12 + month as i32 - 1))
    }

    /// The calendar year.
    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// The month of the year, 1 (January) to 12 (December).
    pub fn month_of_year(self) -> u32 {
        (self.0.rem_euclid(12) + 1) as u32
    }

    /// The month `n` months later (earlier when `n` is negative).
    pub fn plus(self, n: i32) -> Month {
        Month(self.0 + n)
    }

    /// Months from `self` to `later` (0 when equal, negative when `later` is earlier).
    pub fn until(self, later: Month) -> i32 {
        later.0 - self.0
    }

    /// The first day of the month.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.month_of_year(), 1)
            .expect("a Month always has a valid first day")
    }

    /// The first day of the following month (an exclusive end date).
    pub fn next_first_day(self) -> NaiveDate {
        self.plus(1).first_day()
    }

    /// The month that contains `date`.
    pub fn of_date(date: NaiveDate) -> Month {
        Month(date.year() * 12 + date.month0() as i32)
    }

    /// Every month from `self` to `last`, both included.
    pub fn through(self, last: Month) -> impl Iterator<Item = Month> + Clone {
        (self.0..=last.0).map(Month)
    }
}

/// Why a month could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a month: write YYYY-MM (e.g. 2027-08) or a date YYYY-MM-DD")]
pub struct MonthParseError(pub String);

impl FromStr for Month {
    type Err = MonthParseError;

    fn from_str(text: &str) -> Result<Month, MonthParseError> {
        let s = text.trim();
        let bad = || MonthParseError(text.to_string());
        if s.len() == 10 {
            let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad())?;
            return Ok(Month::of_date(date));
        }
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        Month::new(year, month).ok_or_else(bad)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month_of_year())
    }
}

impl fmt::Debug for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// An inclusive range of months, `first..=last`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
pub struct MonthRange {
    pub first: Month,
    pub last: Month,
}

impl MonthRange {
    pub fn new(first: Month, last: Month) -> MonthRange {
        MonthRange { first, last }
    }

    /// A range of `len` months starting at `first` (`len` ≥ 1).
    pub fn starting(first: Month, len: i32) -> MonthRange {
        MonthRange {
            first,
            last: first.plus(len - 1),
        }
    }

    /// Number of months in the range (0 if `last` is before `first`).
    pub fn len(&self) -> i32 {
        (self.first.until(self.last) + 1).max(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn contains(&self, m: Month) -> bool {
        self.first <= m && m <= self.last
    }

    /// Months shared by both ranges.
    pub fn overlap(&self, other: &MonthRange) -> i32 {
        let first = self.first.max(other.first);
        let last = self.last.min(other.last);
        (first.until(last) + 1).max(0)
    }

    pub fn months(&self) -> impl Iterator<Item = Month> + Clone {
        self.first.through(self.last)
    }
}

impl fmt::Display for MonthRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}..{}", self.first, self.last)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_months_and_dates() {
        let m: Month = "2027-08".parse().unwrap();
        assert_eq!((m.year(), m.month_of_year()), (2027, 8));
        assert_eq!("2027-08-15".parse::<Month>().unwrap(), m);
        assert_eq!(m.to_string(), "2027-08");
    }

    #[test]
    fn rejects_what_is_not_a_month() {
        for bad in [
            "2027-13",
            "2027-00",
            "27-08",
            "2027/08",
            "2027-8",
            "2027-02-30",
            "",
            "abc",
        ] {
            assert!(bad.parse::<Month>().is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn arithmetic_crosses_years() {
        let dec: Month = "2027-12".parse().unwrap();
        assert_eq!(dec.plus(1).to_string(), "2028-01");
        assert_eq!(dec.plus(-12).to_string(), "2026-12");
        assert_eq!(dec.until(dec.plus(7)), 7);
        assert_eq!(dec.next_first_day().to_string(), "2028-01-01");
    }

    #[test]
    fn ranges_count_and_overlap() {
        let a = MonthRange::starting("2027-03".parse().unwrap(), 6);
        assert_eq!(a.last.to_string(), "2027-08");
        assert_eq!(a.len(), 6);
        let b = MonthRange::new("2027-07".parse().unwrap(), "2028-01".parse().unwrap());
        assert_eq!(a.overlap(&b), 2);
        assert_eq!(b.overlap(&a), 2);
        assert_eq!(a.months().count(), 6);
    }
}
