//! Sales per item and period, zero-filled; a period with a sale of unknown quantity is NaN.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use restock_core::Period;

/// Units per complete period for one item, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodSeries {
    /// The period length.
    pub period: Period,
    /// Start of each period.
    pub starts: Vec<NaiveDate>,
    /// Units sold in each period; NaN where the period holds a sale whose quantity is unknown
    /// (a `Sale` with a NaN quantity), since the period's total is then unknown too.
    pub units: Vec<f64>,
}

impl PeriodSeries {
    /// The number of periods whose demand is unknown (NaN).
    pub fn missing(&self) -> usize {
        self.units.iter().filter(|u| u.is_nan()).count()
    }
}

/// Aggregates `(date, quantity)` pairs into every complete period from the one holding
/// `first` (usually the item's first sale) up to `as_of`, with zeros where nothing sold.
/// Sales outside those periods (before `first`'s period, or in the incomplete current period)
/// are not counted.
///
/// A NaN quantity (demand recorded as unknown) makes its period's total NaN, whatever else sold
/// in it: a partly known total is not a number a model may read as the demand. Callers apply
/// an explicit missing-value policy to such periods ([`PeriodSeries::missing`] counts them).
pub fn aggregate(
    sales: impl IntoIterator<Item = (NaiveDate, f64)>,
    period: Period,
    first: NaiveDate,
    as_of: NaiveDate,
) -> PeriodSeries {
    let starts = period.complete_periods(first, as_of);
    let index: BTreeMap<NaiveDate, usize> =
        starts.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let mut units = vec![0.0; starts.len()];
    for (date, quantity) in sales {
        if let Some(&i) = index.get(&period.start_of(date)) {
            // NaN + x = NaN: an unknown quantity keeps its period unknown.
            units[i] += quantity;
        }
    }
    PeriodSeries {
        period,
        starts,
        units,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn weeks_are_zero_filled_and_the_current_week_left_out() {
        let sales = [
            (d("2018-07-02"), 1.0),
            (d("2018-07-04"), 2.0),
            (d("2018-07-18"), 1.0),
            (d("2018-07-31"), 5.0), // week of 07-30: not complete on 2018-08-01
        ];
        let s = aggregate(sales, Period::Week, d("2018-07-02"), d("2018-08-01"));
        assert_eq!(s.starts.len(), 4);
        assert_eq!(s.units, vec![3.0, 0.0, 1.0, 0.0]);
        assert_eq!(s.missing(), 0);
    }

    #[test]
    fn a_sale_of_unknown_quantity_makes_its_period_unknown() {
        let sales = [
            (d("2018-07-02"), 1.0),
            (d("2018-07-04"), f64::NAN),
            (d("2018-07-05"), 2.0),
            (d("2018-07-18"), 1.0),
        ];
        let s = aggregate(sales, Period::Week, d("2018-07-02"), d("2018-08-01"));
        assert!(s.units[0].is_nan());
        assert_eq!(&s.units[1..], &[0.0, 1.0, 0.0]);
        assert_eq!(s.missing(), 1);
    }
}
