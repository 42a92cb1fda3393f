//! Calendar periods for aggregating sales: days, ISO weeks (Monday first) and calendar months.
//!
//! The run's `as_of` date is "today": a period is complete when its last day is before `as_of`.
//! Models use complete periods only, so a half-elapsed week never reads as a demand drop.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// A period length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// One calendar day.
    Day,
    /// One ISO week, Monday to Sunday.
    Week,
    /// One calendar month.
    Month,
}

impl Period {
    /// `day`, `week` or `month`.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }

    /// Mean length in days: 1, 7, or 365.25 / 12 = 30.4375 for a month.
    pub fn mean_days(self) -> f64 {
        match self {
            Period::Day => 1.0,
            Period::Week => 7.0,
            Period::Month => 365.25 / 12.0,
        }
    }

    /// First day of the period that contains `date`.
    pub fn start_of(self, date: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => date,
            Period::Week => date - Days::new(u64::from(date.weekday().num_days_from_monday())),
            Period::Month => date.with_day(1).expect("day 1 exists in every month"),
        }
    }

    /// First day of the period after the one starting at `start`.
    pub fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => start + Days::new(1),
            Period::Week => start + Days::new(7),
            Period::Month => start + Months::new(1),
        }
    }

    /// The starts of every complete period from the one containing `first` up to the last one
    /// that ends before `as_of`. Empty when no period is complete.
    pub fn complete_periods(self, first: NaiveDate, as_of: NaiveDate) -> Vec<NaiveDate> {
        let mut starts = Vec::new();
        let mut start = self.start_of(first);
        loop {
            let next = self.next(start);
            if next > as_of {
                break;
            }
            starts.push(start);
            start = next;
        }
        starts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn weeks_start_on_monday() {
        // 2018-08-01 was a Wednesday.
        assert_eq!(Period::Week.start_of(d("2018-08-01")), d("2018-07-30"));
        assert_eq!(Period::Week.start_of(d("2018-07-30")), d("2018-07-30"));
        assert_eq!(Period::Week.start_of(d("2018-08-05")), d("2018-07-30"));
    }

    #[test]
    fn only_complete_periods_count() {
        // as_of Wednesday 2018-08-01: the week of 07-30 is not complete.
        let weeks = Period::Week.complete_periods(d("2018-07-10"), d("2018-08-01"));
        assert_eq!(
            weeks,
            vec![d("2018-07-09"), d("2018-07-16"), d("2018-07-23")]
        );
        // as_of Monday 2018-07-30: the week of 07-23 ended Sunday 07-29, so it is complete.
        let weeks = Period::Week.complete_periods(d("2018-07-23"), d("2018-07-30"));
        assert_eq!(weeks, vec![d("2018-07-23")]);
        let months = Period::Month.complete_periods(d("2018-01-31"), d("2018-04-01"));
        assert_eq!(
            months,
            vec![d("2018-01-01"), d("2018-02-01"), d("2018-03-01")]
        );
        assert!(
            Period::Day
                .complete_periods(d("2018-08-01"), d("2018-08-01"))
                .is_empty()
        );
    }
}
