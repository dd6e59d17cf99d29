//! Latency samples and their summary: nearest-rank percentiles, as the peer drivers compute
//! them (bench/peers/stats.py), so the numbers compare.

use std::time::Duration;

use serde::Serialize;

/// Samples in milliseconds.
#[derive(Clone, Debug, Default)]
pub struct Samples(Vec<f64>);

/// What `docs/PERFORMANCE.md` quotes: count, mean and percentiles, in milliseconds.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub n: usize,
    pub mean: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
}

impl Samples {
    pub fn push(&mut self, d: Duration) {
        self.0.push(d.as_secs_f64() * 1e3);
    }

    pub fn extend(&mut self, other: Samples) {
        self.0.extend(other.0);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn sorted(&self) -> Vec<f64> {
        let mut v = self.0.clone();
        v.sort_by(f64::total_cmp);
        v
    }

    /// Nearest rank: the smallest sample with at least `q` of all samples at or below it.
    fn rank(sorted: &[f64], q: f64) -> f64 {
        if sorted.is_empty() {
            return f64::NAN;
        }
        let k = (q * sorted.len() as f64).ceil() as usize;
        sorted[k.clamp(1, sorted.len()) - 1]
    }

    pub fn summary(&self) -> Summary {
        let s = self.sorted();
        let mean = s.iter().sum::<f64>() / s.len().max(1) as f64;
        Summary {
            n: s.len(),
            mean,
            p50: Self::rank(&s, 0.50),
            p90: Self::rank(&s, 0.90),
            p99: Self::rank(&s, 0.99),
            p999: Self::rank(&s, 0.999),
            max: s.last().copied().unwrap_or(f64::NAN),
        }
    }

    /// The q-th percentile for q = 0, 1, ..., 100 (q = 0 is the minimum), for charts.
    pub fn cdf(&self) -> Vec<f64> {
        let s = self.sorted();
        (0..=100)
            .map(|q| {
                if q == 0 {
                    s.first().copied().unwrap_or(f64::NAN)
                } else {
                    Self::rank(&s, q as f64 / 100.0)
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut s = Samples::default();
        for ms in 1..=1000 {
            s.push(Duration::from_millis(ms));
        }
        let sum = s.summary();
        assert_eq!(sum.n, 1000);
        assert_eq!(sum.p50, 500.0);
        assert_eq!(sum.p99, 990.0);
        assert_eq!(sum.p999, 999.0);
        assert_eq!(sum.max, 1000.0);
        assert_eq!(s.cdf()[0], 1.0);
        assert_eq!(s.cdf()[100], 1000.0);
    }
}
