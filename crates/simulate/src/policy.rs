//! Replenishment policies as plain data, and the order each places given the inventory
//! position. Notation and rules follow Snyder & Shen, *Fundamentals of Supply Chain Theory*,
//! 2nd ed.: base-stock §4.3, (s, S) §4.5, (r, Q) ch. 5 (here reviewed every period), (R, S)
//! periodic review.

use crate::error::{Result, finite, invalid, non_negative};

/// How many units to order, decided once per period from the inventory position IP (on hand −
/// backorders + on order, in units) observed before the order. Quantities are real numbers of
/// units; with integer demand and integer levels every order is an integer.
#[derive(Debug, Clone, PartialEq)]
pub enum Policy {
    /// Base-stock: order S − IP whenever IP < S, so IP after ordering is S (Snyder & Shen §4.3).
    /// S protects L + 1 periods of demand.
    BaseStock {
        /// Order-up-to (base-stock) level S, units.
        order_up_to_level: f64,
    },
    /// (s, S): when IP ≤ s, order S − IP; otherwise nothing (Snyder & Shen §4.5; the
    /// convention of Zheng & Federgruen 1991 and `stockpyl.ss`).
    Ss {
        /// Reorder point s, units.
        reorder_point: f64,
        /// Order-up-to level S, units (> s).
        order_up_to_level: f64,
    },
    /// (r, Q) reviewed every period: when IP ≤ r, order n·Q with n the smallest integer that lifts
    /// IP above r (n = ⌊(r − IP)/Q⌋ + 1).
    Rq {
        /// Reorder point r, units.
        reorder_point: f64,
        /// Order quantity (batch) Q, units (> 0).
        order_quantity: f64,
    },
    /// (R, S) periodic review: in review periods order S − IP (when IP < S); in the others
    /// nothing. Reviews happen in periods 1, 1 + R, 1 + 2R, … counted from the simulator's first
    /// period, whenever the policy was set.
    PeriodicReview {
        /// Review period R, in periods (≥ 1; R = 1 is base-stock).
        review_period: usize,
        /// Order-up-to level S, units.
        order_up_to_level: f64,
    },
    /// Order the same quantity every period, whatever the inventory position (for tests and
    /// for replaying a plan).
    FixedOrder {
        /// Units ordered each period (≥ 0; 0 places no order).
        quantity: f64,
    },
    /// Never order.
    NoOrders,
}

impl Policy {
    /// Checks the parameters: levels finite, s < S, Q > 0, R ≥ 1, a fixed quantity ≥ 0.
    pub fn validate(&self) -> Result<()> {
        match *self {
            Policy::BaseStock { order_up_to_level } => {
                finite("order_up_to_level", order_up_to_level)
            }
            Policy::Ss {
                reorder_point,
                order_up_to_level,
            } => {
                finite("reorder_point", reorder_point)?;
                finite("order_up_to_level", order_up_to_level)?;
                if reorder_point < order_up_to_level {
                    Ok(())
                } else {
                    Err(invalid(
                        "reorder_point",
                        reorder_point,
                        "must be less than order_up_to_level",
                    ))
                }
            }
            Policy::Rq {
                reorder_point,
                order_quantity,
            } => {
                finite("reorder_point", reorder_point)?;
                if order_quantity.is_finite() && order_quantity > 0.0 {
                    Ok(())
                } else {
                    Err(invalid(
                        "order_quantity",
                        order_quantity,
                        "must be finite and > 0",
                    ))
                }
            }
            Policy::PeriodicReview {
                review_period,
                order_up_to_level,
            } => {
                if review_period == 0 {
                    return Err(invalid("review_period", 0.0, "must be at least 1 period"));
                }
                finite("order_up_to_level", order_up_to_level)
            }
            Policy::FixedOrder { quantity } => non_negative("quantity", quantity),
            Policy::NoOrders => Ok(()),
        }
    }

    /// The units to order in `period` (1-based) given the inventory position observed before
    /// ordering; 0 when the policy places no order.
    pub fn order_quantity(&self, period: usize, inventory_position: f64) -> f64 {
        let up_to = |level: f64| (level - inventory_position).max(0.0);
        match *self {
            Policy::BaseStock { order_up_to_level } => up_to(order_up_to_level),
            Policy::Ss {
                reorder_point,
                order_up_to_level,
            } => {
                if inventory_position <= reorder_point {
                    up_to(order_up_to_level)
                } else {
                    0.0
                }
            }
            Policy::Rq {
                reorder_point,
                order_quantity,
            } => {
                if inventory_position > reorder_point {
                    return 0.0;
                }
                let mut batches =
                    ((reorder_point - inventory_position) / order_quantity).floor() + 1.0;
                // Guard against rounding in the division leaving IP + nQ exactly at r.
                if inventory_position + batches * order_quantity <= reorder_point {
                    batches += 1.0;
                }
                batches * order_quantity
            }
            Policy::PeriodicReview {
                review_period,
                order_up_to_level,
            } => {
                if period.saturating_sub(1).is_multiple_of(review_period) {
                    up_to(order_up_to_level)
                } else {
                    0.0
                }
            }
            Policy::FixedOrder { quantity } => quantity,
            Policy::NoOrders => 0.0,
        }
    }

    /// The inventory level a simulation starts from when none is given: S for base-stock,
    /// (s, S) and (R, S); r + Q for (r, Q); 0 for fixed orders and no orders. Starting where
    /// the policy would bring the inventory position keeps the warm-up short.
    pub fn starting_level(&self) -> f64 {
        match *self {
            Policy::BaseStock { order_up_to_level }
            | Policy::Ss {
                order_up_to_level, ..
            }
            | Policy::PeriodicReview {
                order_up_to_level, ..
            } => order_up_to_level,
            Policy::Rq {
                reorder_point,
                order_quantity,
            } => reorder_point + order_quantity,
            Policy::FixedOrder { .. } | Policy::NoOrders => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_q_orders_the_smallest_multiple_that_lifts_the_position_above_r() {
        let policy = Policy::Rq {
            reorder_point: 5.0,
            order_quantity: 4.0,
        };
        assert_eq!(policy.order_quantity(1, 6.0), 0.0);
        assert_eq!(policy.order_quantity(1, 5.0), 4.0); // 5 + 4 = 9 > 5
        assert_eq!(policy.order_quantity(1, 2.0), 4.0); // 2 + 4 = 6 > 5
        assert_eq!(policy.order_quantity(1, 1.0), 8.0); // 1 + 4 = 5 is not above 5
        assert_eq!(policy.order_quantity(1, -10.0), 16.0); // -10 + 16 = 6
    }

    #[test]
    fn s_s_orders_at_or_below_s() {
        let policy = Policy::Ss {
            reorder_point: 4.0,
            order_up_to_level: 10.0,
        };
        assert_eq!(policy.order_quantity(1, 5.0), 0.0);
        assert_eq!(policy.order_quantity(1, 4.0), 6.0);
        assert_eq!(policy.order_quantity(1, -3.0), 13.0);
    }

    #[test]
    fn periodic_review_orders_only_in_review_periods() {
        let policy = Policy::PeriodicReview {
            review_period: 3,
            order_up_to_level: 10.0,
        };
        let orders: Vec<f64> = (1..=7).map(|t| policy.order_quantity(t, 4.0)).collect();
        assert_eq!(orders, [6.0, 0.0, 0.0, 6.0, 0.0, 0.0, 6.0]);
    }

    #[test]
    fn base_stock_never_orders_a_negative_quantity() {
        let policy = Policy::BaseStock {
            order_up_to_level: 10.0,
        };
        assert_eq!(policy.order_quantity(1, 12.0), 0.0);
        assert_eq!(policy.order_quantity(1, 7.5), 2.5);
    }

    #[test]
    fn invalid_parameters_are_refused() {
        assert!(
            Policy::Ss {
                reorder_point: 10.0,
                order_up_to_level: 10.0
            }
            .validate()
            .is_err()
        );
        assert!(
            Policy::Rq {
                reorder_point: 1.0,
                order_quantity: 0.0
            }
            .validate()
            .is_err()
        );
        assert!(
            Policy::PeriodicReview {
                review_period: 0,
                order_up_to_level: 1.0
            }
            .validate()
            .is_err()
        );
        assert!(
            Policy::BaseStock {
                order_up_to_level: f64::NAN
            }
            .validate()
            .is_err()
        );
        assert!(Policy::FixedOrder { quantity: -1.0 }.validate().is_err());
    }
}
