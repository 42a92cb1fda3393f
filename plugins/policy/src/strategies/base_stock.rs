//! The base-stock policy (the newsvendor with a lead time): every period, order up to S.
//!
//! **Protection period.** With a lead time of L periods (rounded up to whole periods), the
//! order placed now arrives at the start of period L + 1 and is the last to arrive before the
//! end of it, so S protects **L + 1 periods** of demand (Snyder & Shen, *Fundamentals of Supply
//! Chain Theory*, 2nd ed., ch. 4, eqs. (4.30) and (4.37)); L = 0 is the one-period newsvendor.
//! Under `target = "costs"`, S is the critical fractile p/(p + h) of that demand, by
//! `textbook::newsvendor` (normal, Poisson, or an explicit pmf for negative binomial and
//! empirical demand, convolved over the L + 1 periods). The decision reports S as both the
//! reorder point and the order-up-to level: an order is placed whenever the inventory position
//! is below S. Everything else is the (R, S) policy with R = 1 ([`super::r_s`]).

use super::{Item, Outcome, Policy};

/// The `base_stock` policy.
#[derive(Debug, Clone, Copy, Default)]
pub struct BaseStock;

impl Policy for BaseStock {
    fn name(&self) -> &'static str {
        "base_stock"
    }

    fn decide(&self, item: &Item) -> Result<Outcome, String> {
        super::r_s::order_up_to(item, 1, "base_stock")
    }
}
