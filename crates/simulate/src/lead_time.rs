//! Lead times: fixed, or drawn per order from an explicit distribution, with or without order
//! crossing.

use rand_chacha::ChaCha8Rng;

use crate::demand::invert;
use crate::error::{Result, cumulative_pmf};

/// Periods between placing an order and receiving it. An order placed in period t with lead
/// time L is received in period t + L, after that period's order decision and before its
/// demand (Snyder & Shen, 2nd ed., §4.3): with L = 0 it is on hand for the same period's demand,
/// so a base-stock level protects L + 1 periods of demand.
#[derive(Debug, Clone, PartialEq)]
pub enum LeadTime {
    /// The same lead time for every order, in periods.
    Fixed(usize),
    /// A lead time drawn for each order, independently, from `pmf` (P(L = l periods) =
    /// `pmf[l]`, l = 0, 1, …; summing to 1 within 1e-6), from the lead-time random stream.
    Random {
        /// P(L = l), l = 0, 1, ….
        pmf: Vec<f64>,
        /// Whether a later order may arrive before an earlier one.
        crossing: OrderCrossing,
    },
}

/// Whether orders may cross (arrive out of the order they were placed in) under random lead
/// times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderCrossing {
    /// Each order arrives after its own drawn lead time, so a later order can overtake an
    /// earlier one; the lead times are i.i.d. as `pmf` says.
    Allowed,
    /// An order never arrives before one placed earlier: its arrival is the later of
    /// t + drawn L and the latest arrival scheduled so far (a single queue at the supplier).
    /// The effective lead times are then longer than `pmf` says, and not independent.
    Prevented,
}

/// A validated lead time, ready to draw.
#[derive(Debug, Clone)]
pub(crate) enum LeadTimeSampler {
    Fixed(usize),
    Random {
        cdf: Vec<f64>,
        crossing: OrderCrossing,
    },
}

impl LeadTime {
    /// Checks the distribution of a random lead time.
    pub fn validate(&self) -> Result<()> {
        self.sampler().map(|_| ())
    }

    pub(crate) fn sampler(&self) -> Result<LeadTimeSampler> {
        Ok(match self {
            LeadTime::Fixed(periods) => LeadTimeSampler::Fixed(*periods),
            LeadTime::Random { pmf, crossing } => LeadTimeSampler::Random {
                cdf: cumulative_pmf("lead_time_pmf", pmf)?,
                crossing: *crossing,
            },
        })
    }
}

impl LeadTimeSampler {
    /// The period in which an order placed in `period` arrives, given the latest arrival
    /// scheduled so far.
    pub(crate) fn arrival(
        &self,
        period: usize,
        latest_arrival: usize,
        rng: &mut ChaCha8Rng,
    ) -> usize {
        match self {
            LeadTimeSampler::Fixed(lead_time) => period + lead_time,
            LeadTimeSampler::Random { cdf, crossing } => {
                let arrival = period + invert(cdf, rng);
                match crossing {
                    OrderCrossing::Allowed => arrival,
                    OrderCrossing::Prevented => arrival.max(latest_arrival),
                }
            }
        }
    }
}
