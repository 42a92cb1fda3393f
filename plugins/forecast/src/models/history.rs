//! An item's demand history as a method sees it: complete periods before `as_of`, starting
//! where the leading-zeros option says, cut to the window, with the missing-value policy
//! applied. Everything done to the history is stated in its notes.

use chrono::NaiveDate;
use restock_core::Severity;

use super::config::{CommonConfig, LeadingZeros, MissingPolicy};
use super::count;
use crate::series::aggregate;

/// The history of one item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct History {
    /// Units per period, oldest first, all finite.
    pub values: Vec<f64>,
    /// What was trimmed, dropped or read as zero, one line each.
    pub notes: Vec<String>,
    /// Periods whose demand was unknown, before the missing-value policy.
    pub missing: usize,
}

/// Why an item gets no forecast; the message names the cause and the option that decided it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NoHistory {
    /// What happened.
    pub message: String,
    /// `Error` when the data or the method failed (or `missing = "error"` says so); `Warning`
    /// when there is simply nothing to forecast from yet (a first sale in the current period).
    pub severity: Severity,
}

impl NoHistory {
    /// Nothing to forecast from (yet).
    pub(crate) fn warning(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            severity: Severity::Warning,
        }
    }

    /// A failure.
    pub(crate) fn error(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            severity: Severity::Error,
        }
    }
}

/// Builds the history of an item from its `(date, quantity)` sales (quantity NaN when
/// unknown). `dataset_start` is the date of the dataset's first sale (any item).
pub(crate) fn build(
    sales: &[(NaiveDate, f64)],
    config: &CommonConfig,
    dataset_start: Option<NaiveDate>,
    as_of: NaiveDate,
) -> Result<History, NoHistory> {
    let period = config.period;
    let p = period.as_str();
    // The first sale is the first positive quantity; an item without one (only zero or
    // unknown quantities) starts at its first record, so an all-zero item forecasts 0.
    let first_sale = sales
        .iter()
        .filter(|s| s.1 > 0.0)
        .map(|s| s.0)
        .min()
        .or_else(|| sales.iter().map(|s| s.0).min());
    let keep_from = config.start.or(dataset_start);
    let from = match config.leading_zeros {
        LeadingZeros::Trim => first_sale.ok_or_else(|| {
            NoHistory::warning(
                "no sales before as_of: nothing to forecast from (leading_zeros = \"trim\" starts a history at the first sale)"
                    .to_owned(),
            )
        })?,
        LeadingZeros::Keep => keep_from.ok_or_else(|| {
            NoHistory::warning("the dataset has no sales and no `start` is set: nothing to forecast from")
        })?,
    };
    let series = aggregate(sales.iter().copied(), period, from, as_of);
    let skip = config
        .window
        .map_or(0, |w| series.units.len().saturating_sub(w));
    let units = &series.units[skip..];
    if units.is_empty() {
        let what = match config.leading_zeros {
            LeadingZeros::Trim => "the first sale",
            LeadingZeros::Keep => "the history's start",
        };
        return Err(NoHistory::warning(format!(
            "{what} ({from}) is in the current {p}: no complete {p} before as_of {as_of}"
        )));
    }

    let mut notes = Vec::new();
    match config.leading_zeros {
        LeadingZeros::Trim => {
            if let Some(keep_from) = keep_from {
                let kept = period.complete_periods(keep_from, as_of).len();
                let kept = config.window.map_or(kept, |w| kept.min(w));
                let trimmed = kept.saturating_sub(units.len());
                if trimmed > 0 {
                    let first_day = period.start_of(from);
                    let unknown = sales
                        .iter()
                        .filter(|s| s.0 < first_day && s.1.is_nan())
                        .count();
                    let unknown = if unknown > 0 {
                        format!(
                            ", {} of unknown quantity among them",
                            count(unknown, "sale")
                        )
                    } else {
                        String::new()
                    };
                    notes.push(format!(
                        "trimmed {} before the first sale ({from}{unknown}); leading_zeros = \"keep\" would count them as zero demand",
                        count(trimmed, &format!("leading {p}"))
                    ));
                }
            }
        }
        LeadingZeros::Keep => {
            if let Some(start) = config.start {
                let first_day = period.start_of(start);
                let before = sales.iter().filter(|s| s.0 < first_day).count();
                if before > 0 {
                    notes.push(format!(
                        "{} before the history's start ({first_day}, from `start`) left out",
                        count(before, "sale")
                    ));
                }
            }
        }
    }

    let missing = units.iter().filter(|u| u.is_nan()).count();
    let values = if missing == 0 {
        units.to_vec()
    } else {
        let first_unknown =
            series.starts[skip..][units.iter().position(|u| u.is_nan()).expect("missing > 0")];
        let what = format!(
            "{missing} of {} had unknown demand (a sale without a quantity; the first in the {p} of {first_unknown})",
            count(units.len(), p)
        );
        match config.missing {
            MissingPolicy::Zero => {
                notes.push(format!("{what}: read as 0 (missing = \"zero\")"));
                units
                    .iter()
                    .map(|&u| if u.is_nan() { 0.0 } else { u })
                    .collect()
            }
            MissingPolicy::Drop => {
                let known: Vec<f64> = units.iter().copied().filter(|u| !u.is_nan()).collect();
                if known.is_empty() {
                    return Err(NoHistory::warning(format!(
                        "{what}: nothing left to forecast from (missing = \"drop\")"
                    )));
                }
                notes.push(format!(
                    "{what}: left out, the method saw the other {} in order (missing = \"drop\")",
                    known.len()
                ));
                known
            }
            MissingPolicy::Error => {
                return Err(NoHistory::error(format!(
                    "{what}: no forecast (missing = \"error\")"
                )));
            }
        }
    };
    Ok(History {
        values,
        notes,
        missing,
    })
}
