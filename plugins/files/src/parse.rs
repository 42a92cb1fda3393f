//! Parsing cell text into dates and numbers, with errors that quote the value.
//!
//! Dates: without a `date_format`, a value may be RFC 3339 (`2018-06-12T10:00:00-03:00`),
//! `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` (also with `T` and fractional seconds; taken as UTC),
//! `YYYYMMDD` (exactly eight digits: ISO 8601's basic form) or unix seconds (any other integer). With a `date_format`, the value must match it; a format with an
//! offset (`%z`) gives that offset, one with a time but no offset is taken as UTC, one with only
//! a date gives midnight UTC.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use restock_core::Period;

use crate::config::DistributionKind;

/// Why a cell's value could not become a field's value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum ValueError {
    /// A required field has no value.
    #[error("required, but the cell is empty")]
    Empty,
    /// A required field's column or key is absent from the row.
    #[error("required, but absent from the row")]
    Absent,
    /// The bytes are not UTF-8 (with `encoding = "utf-8"`).
    #[error("not valid UTF-8 (if the file is Latin-1 or Windows-1252, set `encoding`)")]
    InvalidUtf8,
    /// A JSON value that is neither a string, a number nor a boolean.
    #[error("is a JSON {0}, expected a string or a number")]
    NotScalar(&'static str),
    /// Not a number.
    #[error("{0:?} is not a number")]
    NotANumber(String),
    /// A number outside the field's range.
    #[error("{value:?} {problem}")]
    OutOfRange {
        /// The text as written.
        value: String,
        /// What is wrong, e.g. `is outside 1–5`.
        problem: &'static str,
    },
    /// Not a date in any accepted form.
    #[error(
        "{0:?} is not a date (expected RFC 3339, YYYY-MM-DD, YYYY-MM-DD HH:MM:SS, YYYYMMDD or \
         unix seconds; set date_format for other forms)"
    )]
    NotADate(String),
    /// Does not match the configured `date_format`.
    #[error("{value:?} does not match date_format {format:?}")]
    DateFormat {
        /// The text as written.
        value: String,
        /// The configured format.
        format: String,
    },
    /// Not one of the document kinds.
    #[error("{0:?} is not a document kind (expected review, question or post)")]
    NotAKind(String),
    /// Not one of the distribution families.
    #[error(
        "{0:?} is not a distribution (expected normal, poisson, negative_binomial or empirical)"
    )]
    NotADistribution(String),
    /// A forecast's period date that is not the first day of a period.
    #[error(
        "{value:?} is not the first day of a {} (period = \"{}\"{}); the {} containing it \
         starts on {start}",
        period.as_str(),
        period.as_str(),
        if *period == Period::Week { ": ISO weeks start on Monday" } else { "" },
        period.as_str()
    )]
    NotPeriodStart {
        /// The text as written.
        value: String,
        /// The configured period length.
        period: Period,
        /// The first day of the period containing the date.
        start: NaiveDate,
    },
    /// A field the row's distribution needs has no value.
    #[error("required for a {0} forecast, but there is no value")]
    RequiredFor(DistributionKind),
    /// A field the row's distribution does not use has a value.
    #[error("a {distribution} forecast has no such parameter{hint}; leave it empty")]
    NotFor {
        /// The row's distribution.
        distribution: DistributionKind,
        /// Why, e.g. ` (its standard deviation is √mean)`.
        hint: &'static str,
    },
    /// A negative binomial whose standard deviation does not exceed √mean.
    #[error(
        "{std_dev} is not above √mean = {} (mean {mean}): a negative binomial's variance must \
         exceed its mean (use poisson when they are equal)",
        mean.sqrt()
    )]
    NotOverdispersed {
        /// The standard deviation.
        std_dev: f64,
        /// The mean.
        mean: f64,
    },
    /// One item of a list is wrong.
    #[error("item {position}: {error}")]
    InList {
        /// 1-based position in the list.
        position: usize,
        /// What is wrong with it.
        error: Box<ValueError>,
    },
    /// An empirical distribution's values out of order.
    #[error(
        "item {position} ({value}) is not above the one before it: values must be strictly \
         ascending"
    )]
    NotAscending {
        /// 1-based position in the list.
        position: usize,
        /// The value.
        value: f64,
    },
    /// As many probabilities as values are needed.
    #[error("{probabilities} probabilities for {values} values")]
    LengthMismatch {
        /// How many probabilities.
        probabilities: usize,
        /// How many values.
        values: usize,
    },
    /// Probabilities that do not sum to 1.
    #[error("the probabilities sum to {0}, not 1 (tolerance 1e-9)")]
    ProbabilitySum(f64),
    /// A second forecast for the same item and period.
    #[error(
        "product {product_id:?} already has a forecast for the {} starting {start} (line \
         {line}); each product and period may appear once",
        period.as_str()
    )]
    Duplicate {
        /// The item.
        product_id: String,
        /// The period length.
        period: Period,
        /// The period's first day.
        start: NaiveDate,
        /// The line of the forecast kept.
        line: u64,
    },
}

/// The allowed range of a number field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Range {
    /// Any finite number ≥ 0.
    NonNegative,
    /// Any finite number > 0.
    Positive,
    /// A star rating, 1 to 5 inclusive.
    Rating,
    /// A probability strictly between 0 and 1.
    Fraction,
    /// A probability, 0 to 1 inclusive.
    Probability,
}

impl Range {
    fn contains(self, x: f64) -> bool {
        match self {
            Range::NonNegative => x >= 0.0,
            Range::Positive => x > 0.0,
            Range::Rating => (1.0..=5.0).contains(&x),
            Range::Fraction => x > 0.0 && x < 1.0,
            Range::Probability => (0.0..=1.0).contains(&x),
        }
    }

    fn problem(self) -> &'static str {
        match self {
            Range::NonNegative => "is negative",
            Range::Positive => "is not above 0",
            Range::Rating => "is outside 1–5",
            Range::Fraction => "is not strictly between 0 and 1",
            Range::Probability => "is outside 0–1",
        }
    }
}

/// Parses a finite number (surrounding whitespace allowed) within `range`.
pub(crate) fn number(text: &str, range: Range) -> Result<f64, ValueError> {
    let x: f64 = text
        .trim()
        .parse()
        .map_err(|_| ValueError::NotANumber(text.to_owned()))?;
    if !x.is_finite() {
        return Err(ValueError::NotANumber(text.to_owned()));
    }
    if !range.contains(x) {
        return Err(ValueError::OutOfRange {
            value: text.to_owned(),
            problem: range.problem(),
        });
    }
    Ok(x)
}

/// Parses a list of numbers within `range`, one per item; an error names the item's 1-based
/// position.
pub(crate) fn list<'s>(
    items: impl IntoIterator<Item = &'s str>,
    range: Range,
) -> Result<Vec<f64>, ValueError> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            number(item, range).map_err(|error| ValueError::InList {
                position: i + 1,
                error: Box::new(error),
            })
        })
        .collect()
}

/// A point in time as written: the wall-clock time and, when the text had one, its offset.
struct Written {
    local: NaiveDateTime,
    offset: Option<FixedOffset>,
}

impl Written {
    fn utc(&self) -> DateTime<Utc> {
        match self.offset {
            Some(offset) => match self.local.and_local_timezone(offset).single() {
                Some(at) => at.with_timezone(&Utc),
                None => self.local.and_utc(),
            },
            None => self.local.and_utc(),
        }
    }
}

/// Parses a timestamp; values without an offset are taken as UTC.
pub(crate) fn datetime(text: &str, format: Option<&str>) -> Result<DateTime<Utc>, ValueError> {
    written(text, format).map(|w| w.utc())
}

/// Parses a calendar day: the date part as written (an RFC 3339 value's own offset is kept, not
/// converted to UTC, so `2018-06-12T23:00:00-03:00` is 12 June).
pub(crate) fn date(text: &str, format: Option<&str>) -> Result<NaiveDate, ValueError> {
    written(text, format).map(|w| w.local.date())
}

fn written(text: &str, format: Option<&str>) -> Result<Written, ValueError> {
    let trimmed = text.trim();
    match format {
        Some(format) => with_format(trimmed, format).ok_or_else(|| ValueError::DateFormat {
            value: text.to_owned(),
            format: format.to_owned(),
        }),
        None => by_default(trimmed).ok_or_else(|| ValueError::NotADate(text.to_owned())),
    }
}

fn with_format(text: &str, format: &str) -> Option<Written> {
    if let Ok(at) = DateTime::parse_from_str(text, format) {
        return Some(Written {
            local: at.naive_local(),
            offset: Some(*at.offset()),
        });
    }
    if let Ok(local) = NaiveDateTime::parse_from_str(text, format) {
        return Some(Written {
            local,
            offset: None,
        });
    }
    NaiveDate::parse_from_str(text, format)
        .ok()
        .map(|day| Written {
            local: day.and_time(chrono::NaiveTime::MIN),
            offset: None,
        })
}

fn by_default(text: &str) -> Option<Written> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    // Eight digits are ISO 8601's basic date form (20240102), not seconds in August 1970.
    if text.len() == 8 && digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(text, "%Y%m%d")
            .ok()
            .map(|day| Written {
                local: day.and_time(chrono::NaiveTime::MIN),
                offset: None,
            });
    }
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let seconds: i64 = text.parse().ok()?;
        return DateTime::from_timestamp(seconds, 0).map(|at| Written {
            local: at.naive_utc(),
            offset: None,
        });
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(Written {
            local: at.naive_local(),
            offset: Some(*at.offset()),
        });
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(text, format) {
            return Some(Written {
                local,
                offset: None,
            });
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .map(|day| Written {
            local: day.and_time(chrono::NaiveTime::MIN),
            offset: None,
        })
}

/// Checks that `format` is a valid chrono format string.
pub(crate) fn check_date_format(format: &str) -> Result<(), String> {
    if format.trim().is_empty() {
        return Err("is empty; remove it to accept the default date forms".to_owned());
    }
    chrono::format::StrftimeItems::new(format)
        .parse()
        .map(|_| ())
        .map_err(|_| {
            format!(
                "{format:?} is not a valid chrono format (see \
                 https://docs.rs/chrono/latest/chrono/format/strftime/)"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().expect("test timestamp")
    }

    #[test]
    fn default_date_forms() {
        assert_eq!(
            datetime("2018-06-12T10:00:00-03:00", None),
            Ok(utc("2018-06-12T13:00:00Z"))
        );
        assert_eq!(
            datetime("2018-06-12", None),
            Ok(utc("2018-06-12T00:00:00Z"))
        );
        assert_eq!(
            datetime("2018-06-12 08:30:05", None),
            Ok(utc("2018-06-12T08:30:05Z"))
        );
        assert_eq!(
            datetime("1528761600", None),
            Ok(utc("2018-06-12T00:00:00Z"))
        );
        assert_eq!(
            date("2018-06-12T23:00:00-03:00", None),
            Ok(NaiveDate::from_ymd_opt(2018, 6, 12).expect("date"))
        );
        assert!(matches!(
            datetime("12/06/2018", None),
            Err(ValueError::NotADate(_))
        ));
    }

    #[test]
    fn configured_date_format() {
        assert_eq!(
            datetime("12/06/2018", Some("%d/%m/%Y")),
            Ok(utc("2018-06-12T00:00:00Z"))
        );
        assert_eq!(
            datetime("12/06/2018 10:11", Some("%d/%m/%Y %H:%M")),
            Ok(utc("2018-06-12T10:11:00Z"))
        );
        assert!(matches!(
            datetime("2018-06-12", Some("%d/%m/%Y")),
            Err(ValueError::DateFormat { .. })
        ));
        assert!(check_date_format("%d/%m/%Y").is_ok());
        assert!(check_date_format("%Q").is_err());
    }

    #[test]
    fn numbers_and_ranges() {
        assert_eq!(number(" 4 ", Range::Rating), Ok(4.0));
        assert_eq!(
            number("five", Range::Rating).map_err(|e| e.to_string()),
            Err("\"five\" is not a number".to_owned())
        );
        assert!(matches!(
            number("6", Range::Rating),
            Err(ValueError::OutOfRange { .. })
        ));
        assert!(number("-1", Range::NonNegative).is_err());
        assert!(number("NaN", Range::NonNegative).is_err());
        assert!(number("1", Range::Fraction).is_err());
    }
}
