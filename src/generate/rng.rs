//! A seeded random source that gives the same numbers on every platform.
//!
//! The generator draws only raw 64-bit words from PCG-64 (`rand_pcg`) and turns them into
//! ranges, coin flips and fractions with integer arithmetic and plain division, never with
//! `ln`, `sin` or `powf` (whose last bit may differ between C libraries). Each phase of the
//! generator has its own stream, derived from the seed and the phase's name, so that changing
//! how one phase draws does not shift the numbers of another.

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

/// A seeded stream of random numbers.
pub struct Random(Pcg64);

/// One step of SplitMix64, used to mix the seed with a stream name.
fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

impl Random {
    /// The stream called `name` of seed `seed`.
    pub fn new(seed: u64, name: &str) -> Random {
        let mut h = splitmix(seed);
        for b in name.bytes() {
            h = splitmix(h ^ u64::from(b));
        }
        Random(Pcg64::seed_from_u64(h))
    }

    /// The stream called `name`, attempt `attempt` (for deterministic retries).
    pub fn attempt(seed: u64, name: &str, attempt: u32) -> Random {
        Random::new(splitmix(seed ^ (u64::from(attempt) << 32)), name)
    }

    pub fn u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A whole number in `0..n` (`n` ≥ 1), without modulo bias.
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let x = self.u64();
            if x < zone {
                return x % n;
            }
        }
    }

    /// A whole number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo) as u64 + 1) as i64
    }

    /// A fraction in `[0, 1)` with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A real number in `[lo, hi)`.
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// An approximately standard normal number (sum of twelve uniforms, minus six).
    pub fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.unit()).sum::<f64>() - 6.0
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }

    /// An index drawn with probability proportional to `weights` (all ≥ 0, some > 0).
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.iter().rposition(|&w| w > 0.0).unwrap_or(0)
    }

    /// Shuffle a slice in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            xs.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_numbers_and_streams_differ() {
        let a: Vec<u64> = (0..5).map(|_| Random::new(7, "x").u64()).collect();
        let mut r = Random::new(7, "x");
        let b: Vec<u64> = (0..5).map(|_| r.u64()).collect();
        assert_eq!(a[0], b[0]);
        assert_ne!(Random::new(7, "x").u64(), Random::new(7, "y").u64());
        assert_ne!(Random::new(7, "x").u64(), Random::new(8, "x").u64());
    }

    #[test]
    fn ranges_stay_inside_their_bounds() {
        let mut r = Random::new(1, "t");
        for _ in 0..1000 {
            let x = r.range(-3, 4);
            assert!((-3..=4).contains(&x));
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
            assert!(r.below(5) < 5);
        }
        assert_eq!(r.range(2, 2), 2);
    }

    #[test]
    fn weighted_never_picks_a_zero_weight() {
        let mut r = Random::new(3, "w");
        for _ in 0..500 {
            assert_ne!(r.weighted(&[1.0, 0.0, 2.0]), 1);
        }
    }
}
