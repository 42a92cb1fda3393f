//! What one run measured: totals over the counted periods (those after the warm-up) and the
//! per-period figures derived from them.

/// Totals over the periods counted in a run (after the warm-up). Units are units of stock and
/// currency; "per period" figures divide by [`Metrics::periods`]. With no counted period every
/// average is 0 and both service levels are 1.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Metrics {
    /// Periods counted.
    pub periods: usize,
    /// Units demanded.
    pub demand: f64,
    /// Units served from stock on hand in the period they were demanded (backorders filled
    /// later do not count).
    pub served_from_stock: f64,
    /// Units of demand lost (lost sales only; 0 with backorders).
    pub lost_sales: f64,
    /// Units ordered.
    pub ordered: f64,
    /// Orders placed (orders of a positive quantity).
    pub orders: usize,
    /// Periods with a stock-out: ending with backorders (backorders), or losing demand (lost
    /// sales).
    pub stockout_periods: usize,
    /// Holding cost: h × ending on hand, summed.
    pub holding_cost: f64,
    /// Stock-out cost: p × ending backorders, or p × units lost, summed.
    pub stockout_cost: f64,
    /// Ordering cost: K × orders placed.
    pub ordering_cost: f64,
    /// Ending on hand, summed over periods (unit-periods).
    pub on_hand_sum: f64,
    /// Ending backorders, summed over periods (unit-periods).
    pub backorders_sum: f64,
}

impl Metrics {
    fn per_period(&self, total: f64) -> f64 {
        if self.periods == 0 {
            0.0
        } else {
            total / self.periods as f64
        }
    }

    /// Total cost (holding + stock-out + ordering), currency units.
    pub fn total_cost(&self) -> f64 {
        self.holding_cost + self.stockout_cost + self.ordering_cost
    }

    /// Expected total cost per period, currency units per period.
    pub fn cost_per_period(&self) -> f64 {
        self.per_period(self.total_cost())
    }

    /// Holding cost per period.
    pub fn holding_cost_per_period(&self) -> f64 {
        self.per_period(self.holding_cost)
    }

    /// Stock-out (backorder or lost-sales) cost per period.
    pub fn stockout_cost_per_period(&self) -> f64 {
        self.per_period(self.stockout_cost)
    }

    /// Fixed ordering cost per period.
    pub fn ordering_cost_per_period(&self) -> f64 {
        self.per_period(self.ordering_cost)
    }

    /// Fill rate (type 2 service level): units served from stock ÷ units demanded; 1 when
    /// nothing was demanded.
    pub fn fill_rate(&self) -> f64 {
        if self.demand > 0.0 {
            self.served_from_stock / self.demand
        } else {
            1.0
        }
    }

    /// Cycle service level (type 1): the share of periods without a stock-out, P(no stock-out);
    /// 1 with no counted period.
    pub fn cycle_service_level(&self) -> f64 {
        if self.periods == 0 {
            1.0
        } else {
            1.0 - self.stockout_periods as f64 / self.periods as f64
        }
    }

    /// Average ending on hand, units.
    pub fn average_on_hand(&self) -> f64 {
        self.per_period(self.on_hand_sum)
    }

    /// Average ending backorders, units.
    pub fn average_backorders(&self) -> f64 {
        self.per_period(self.backorders_sum)
    }

    /// Orders placed per period.
    pub fn orders_per_period(&self) -> f64 {
        self.per_period(self.orders as f64)
    }

    /// Units lost per period (lost sales).
    pub fn lost_sales_per_period(&self) -> f64 {
        self.per_period(self.lost_sales)
    }
}
