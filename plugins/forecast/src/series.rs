//! Sales per item and period, zero-filled.

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
    /// Units sold in each period.
    pub units: Vec<f64>,
}

/// Aggregates `(date, quantity)` pairs into every complete period from the one holding
/// `first` (usually the item's first sale) up to `as_of`, with zeros where nothing sold.
/// Sales outside those periods (before `first`'s period, or in the incomplete current period)
/// are not counted.
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
    }
}
