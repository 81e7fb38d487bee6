//! The documented bounds of every number alisplan reads from a file or a flag.
//!
//! A value outside its bound is an input error that names the file, line, column and the
//! bound (or, for a flag, a usage error with the allowed range). Within these bounds every
//! sum and product the planner forms stays far from overflow (months × 100, minutes along a
//! route, slot-months over the horizon) and every objective coefficient stays finite.

/// The allowed range of one kind of number. Both ends are included unless `above_min` or
/// `below_max` says the end itself is excluded.
#[derive(Clone, Copy, Debug)]
pub struct Bound<T: 'static> {
    /// What the number is, for messages ("minutes per edge").
    pub what: &'static str,
    pub min: T,
    pub max: T,
    /// The value must be strictly above `min`.
    pub above_min: bool,
    /// The value must be strictly below `max`.
    pub below_max: bool,
}

/// A number a bound can be given in.
pub trait Number: Copy + PartialOrd + std::str::FromStr {
    const ZERO: Self;
    /// What a value of the type is called: "a whole number".
    const KIND: &'static str;

    /// The number as written in messages: large and tiny decimals with an exponent.
    fn show(self) -> String;
}

impl Number for u32 {
    const ZERO: u32 = 0;
    const KIND: &'static str = "a whole number";

    fn show(self) -> String {
        self.to_string()
    }
}

impl Number for f64 {
    const ZERO: f64 = 0.0;
    const KIND: &'static str = "a number";

    fn show(self) -> String {
        let a = self.abs();
        if a != 0.0 && a.is_finite() && !(1e-4..1e7).contains(&a) {
            format!("{self:e}")
        } else {
            self.to_string()
        }
    }
}

impl<T: Number> Bound<T> {
    /// The range `min..=max`.
    pub const fn new(what: &'static str, min: T, max: T) -> Bound<T> {
        Bound {
            what,
            min,
            max,
            above_min: false,
            below_max: false,
        }
    }

    /// Whether `v` lies within the bound (NaN never does).
    pub fn contains(&self, v: T) -> bool {
        let low = if self.above_min {
            v > self.min
        } else {
            v >= self.min
        };
        let high = if self.below_max {
            v < self.max
        } else {
            v <= self.max
        };
        low && high
    }

    /// The range in words: "from 0 to 1440", "at least 0 and below 1".
    pub fn range(&self) -> String {
        let low = if self.above_min { "above" } else { "at least" };
        match (self.above_min, self.below_max) {
            (false, false) => format!("from {} to {}", self.min.show(), self.max.show()),
            (_, true) => format!("{low} {} and below {}", self.min.show(), self.max.show()),
            (true, false) => format!("{low} {} and at most {}", self.min.show(), self.max.show()),
        }
    }

    /// `Ok(v)` if `v` is within the bound, else the message naming the bound.
    pub fn check(&self, v: T) -> Result<T, String> {
        if self.contains(v) {
            Ok(v)
        } else {
            Err(format!(
                "{} is out of bounds: {} must be {}",
                v.show(),
                self.what,
                self.range()
            ))
        }
    }
}

/// Read a command-line value that must lie within `bound`; the error names the range (the
/// caller, clap, prints it with the flag and exits with 2).
pub fn parse_within<T: Number>(s: &str, bound: &Bound<T>) -> Result<T, String> {
    let v = s.trim().parse::<T>().map_err(|_| {
        format!(
            "'{s}' is not {}: {} must be {}",
            T::KIND,
            bound.what,
            bound.range()
        )
    })?;
    bound.check(v)
}

/// The longest horizon: 20 years.
pub const HORIZON_MONTHS: Bound<u32> = Bound::new("the horizon in months", 1, 240);
/// Months of hospital service of one requirement (`hospital_months`, `months`,
/// `[scheme] new_months`, `old_months`), and the block settings `min_block`, `max_blocks`.
pub const SERVICE_MONTHS: Bound<u32> = Bound::new("months of hospital service", 1, 120);
/// The shortest block a part may be split into, in calendar months.
pub const MIN_BLOCK: Bound<u32> = Bound::new("min_block (months)", 1, 120);
/// The number of blocks a part may be split into.
pub const MAX_BLOCKS: Bound<u32> = Bound::new("max_blocks", 1, 120);
/// The calendar months of one block (a lock's or a review sheet's `months`).
pub const BLOCK_MONTHS: Bound<u32> = Bound::new("the months of a block", 1, 240);
/// One edge of the road and ferry network. Real edges take minutes to hours; the bound is
/// wide so that benchmark instances with scaled distances (the p-median family of issue
/// 17, with edges up to 275,872 "minutes") load, and narrow enough that every sum of
/// travel minutes alisplan forms stays exact (sums are saturating or 64-bit).
pub const EDGE_MINUTES: Bound<u32> = Bound::new("minutes per edge", 0, 1_000_000);
/// Kilometres of one edge.
pub const EDGE_KM: Bound<f64> = Bound::new("km per edge", 0.0, 5000.0);
/// A one-way travel limit (`max_commute`, `max_relocation_minutes`, `long_travel_minutes`).
pub const TRAVEL_MINUTES: Bound<u32> = Bound::new("one-way minutes", 0, 1_000_000);
/// ALIS slots of one department at a time (`capacity`, `min_fill`).
pub const CAPACITY: Bound<u32> = Bound::new("ALIS slots of a department", 0, 1000);
/// ALIS of one municipality in hospital at once.
pub const MAX_AWAY: Bound<u32> = Bound::new("max_away", 1, 1000);
/// NOK a municipality pays per doctor-month away.
pub const SUBSTITUTE_COST: Bound<f64> = Bound::new("substitute_cost (NOK)", 0.0, 10_000_000.0);
/// A doctor's preference weight for a hospital or department.
pub const PREFERENCE_WEIGHT: Bound<f64> = Bound::new("a preference weight", -1000.0, 1000.0);
/// Groups one supervisor leads at a time.
pub const SUPERVISOR_GROUPS: Bound<u32> = Bound::new("max_groups", 0, 100);
/// Groups one venue hosts at a time. A venue is a place (a town or municipality), where
/// many groups may meet at once in rooms of their own: `generate` puts up to about 2,500
/// in one town at its largest size (50,000 doctors in one region), and above 100 from
/// 3,000 doctors in four regions.
pub const VENUE_GROUPS: Bound<u32> = Bound::new("max_groups", 0, 10_000);
/// A weight of the objectives (`[weights]`, `[groups]` weights, `[replan]`).
pub const WEIGHT: Bound<f64> = Bound::new("a weight", 0.0, 100_000_000.0);
/// How many times less a relocated doctor's travel minutes count.
pub const TRIPS_PER_MONTH: Bound<f64> = Bound::new("trips or days per month", 0.0, 31.0);
/// The part-time floor in percent.
pub const FTE_FLOOR: Bound<u32> = Bound::new("fte_floor (%)", 1, 100);
/// Members of a guidance group (`min_size`, `max_size`) and of one municipality in it.
pub const GROUP_MEMBERS: Bound<u32> = Bound::new("members of a group", 1, 1000);
/// The guidance-group period and the months of it that may be spent in hospital.
pub const GROUP_MONTHS: Bound<u32> = Bound::new("months of the group period", 1, 120);
/// Months between the earliest and latest `group_from` of one group.
pub const START_SPREAD: Bound<u32> = Bound::new("max_start_spread (months)", 0, 240);
/// Group meetings a year.
pub const MEETINGS: Bound<u32> = Bound::new("meetings a year", 1, 366);
/// The solver's time limit in seconds.
pub const TIME_LIMIT: Bound<f64> = Bound {
    above_min: true,
    ..Bound::new("the time limit in seconds", 0.0, 1_000_000.0)
};
/// The relative gap at which the solver may stop.
pub const GAP: Bound<f64> = Bound {
    below_max: true,
    ..Bound::new("the gap", 0.0, 1.0)
};
/// CBC threads.
pub const THREADS: Bound<u32> = Bound::new("threads", 1, 256);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_are_included_unless_excluded() {
        assert!(EDGE_MINUTES.contains(0) && EDGE_MINUTES.contains(1_000_000));
        assert!(!EDGE_MINUTES.contains(1_000_001));
        assert!(GAP.contains(0.0) && GAP.contains(0.99) && !GAP.contains(1.0));
        assert!(!TIME_LIMIT.contains(0.0) && TIME_LIMIT.contains(0.5));
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e99] {
            assert!(!WEIGHT.contains(v), "{v}");
            assert!(!GAP.contains(v), "{v}");
            assert!(!TIME_LIMIT.contains(v), "{v}");
        }
    }

    #[test]
    fn messages_name_the_bound() {
        assert_eq!(
            EDGE_MINUTES.check(4_294_967_295).unwrap_err(),
            "4294967295 is out of bounds: minutes per edge must be from 0 to 1000000"
        );
        assert_eq!(GAP.range(), "at least 0 and below 1");
        assert_eq!(
            PREFERENCE_WEIGHT.check(1e99).unwrap_err(),
            "1e99 is out of bounds: a preference weight must be from -1000 to 1000"
        );
        assert_eq!(WEIGHT.range(), "from 0 to 1e8");
        assert_eq!(
            parse_within("-1", &THREADS).unwrap_err(),
            "'-1' is not a whole number: threads must be from 1 to 256"
        );
        assert_eq!(parse_within(" 0.05", &GAP), Ok(0.05));
        assert_eq!(TIME_LIMIT.range(), "above 0 and at most 1000000");
    }
}
