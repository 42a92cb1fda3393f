//! Turning one row (and what the joins contribute to it) into records.
//!
//! Rules: an absent or empty cell of an optional field is `None`; a required field without a
//! value, or any value that cannot be parsed, makes the whole row fail with a [`RowError`] that
//! names the field, the column and the value. A row whose joins give several combinations
//! yields one record per combination; if any of them fails, the row fails (it is quarantined
//! whole, so a row is either read or set aside, never half read).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use chrono::NaiveDate;
use restock_core::{
    Document, DocumentKind, ForecastRecord, Product, Provenance, Sale, StockPosition,
};

use crate::config::{DistributionKind, RecordKind};
use crate::forecast::{self, Parameters};
use crate::join::{JoinIndex, Pick, combinations};
use crate::parse::{self, Range, ValueError};
use crate::plan::{FieldSource, Mapping, Plan};
use crate::row::{Cell, Row};

/// Why a row could not become records.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum RowError {
    /// A field's value is missing or malformed.
    #[error("field {field} ({origin}): {error}")]
    Field {
        /// The record field.
        field: &'static str,
        /// Where the value was read, e.g. `column review_score`.
        origin: String,
        /// What is wrong with it.
        error: ValueError,
    },
    /// A required field comes from a join, and the row's key matched nothing.
    #[error("no row with {column} = {key:?} in {file} (join), needed for required field {field}")]
    NoMatch {
        /// The record field.
        field: &'static str,
        /// The joined file's key column.
        column: String,
        /// The main row's key value.
        key: String,
        /// The joined file's name.
        file: String,
    },
    /// A sale, stock position, product or forecast whose key matched several different rows of a
    /// joined file: one record per match would count the same thing twice.
    #[error(
        "{column} = {key:?} matches {count} different rows of {file} (lines {lines}); {noun} \
         need exactly one (only documents may join one-to-many)"
    )]
    Ambiguous {
        /// The joined file's key column.
        column: String,
        /// The main row's key value.
        key: String,
        /// How many distinct rows matched.
        count: usize,
        /// Their lines.
        lines: String,
        /// The joined file's name.
        file: String,
        /// `sales`, `stock positions`, `products` or `forecasts`.
        noun: &'static str,
    },
    /// A required field comes from a join, and the row's key is empty.
    #[error(
        "join key ({noun} {column}) is empty, so no row of {file} (join) can fill required field \
         {field}"
    )]
    EmptyKey {
        /// The record field.
        field: &'static str,
        /// `column` or `key`.
        noun: &'static str,
        /// The main file's key column.
        column: String,
        /// The joined file's name.
        file: String,
    },
    /// The row's join key cannot be read.
    #[error("join key ({noun} {column}): {error}")]
    Key {
        /// `column` or `key`.
        noun: &'static str,
        /// The main file's key column.
        column: String,
        /// What is wrong with it.
        error: ValueError,
    },
}

/// One record of any kind.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Record {
    /// A document.
    Document(Document),
    /// A sale.
    Sale(Sale),
    /// A stock position.
    Stock(StockPosition),
    /// A product.
    Product(Product),
    /// A forecast.
    Forecast(ForecastRecord),
}

/// The records made from one row.
#[derive(Debug)]
pub(crate) struct Converted {
    /// One per combination of joined values (one when there are no joins).
    pub records: Vec<Record>,
    /// The joins (by index) under which the row's key matched nothing.
    pub unmatched: Vec<usize>,
}

/// Makes records from rows, following a plan and its resolved mapping.
pub(crate) struct Converter<'p> {
    plan: &'p Plan,
    mapping: &'p Mapping,
    indexes: &'p [JoinIndex],
    /// The forecasts read so far: (product, period start) → line.
    forecasts: HashMap<(String, NaiveDate), u64>,
}

impl<'p> Converter<'p> {
    /// A converter following `plan` and `mapping`, with one index per join of the plan.
    pub(crate) fn new(plan: &'p Plan, mapping: &'p Mapping, indexes: &'p [JoinIndex]) -> Self {
        Self {
            plan,
            mapping,
            indexes,
            forecasts: HashMap::new(),
        }
    }

    /// The records of `row`, each with `provenance`. A forecast for a product and period read
    /// before (from an earlier row) is an error: the first one is kept.
    pub(crate) fn convert(
        &mut self,
        row: &dyn Row,
        provenance: &Provenance,
    ) -> Result<Converted, RowError> {
        let mut choices = Vec::with_capacity(self.plan.joins.len());
        let mut unmatched = Vec::new();
        for (j, (join, index)) in self.plan.joins.iter().zip(self.indexes).enumerate() {
            let key = row
                .get(&join.left)
                .non_empty()
                .map_err(|error| RowError::Key {
                    noun: row.noun(),
                    column: join.left.clone(),
                    error,
                })?;
            let found = key.as_deref().and_then(|k| index.get(k));
            if let (Some(rows), Some(key), false) =
                (found, &key, self.plan.kind == RecordKind::Documents)
                && rows.len() > 1
            {
                let lines: Vec<String> = rows.iter().map(|r| r.line.to_string()).collect();
                return Err(RowError::Ambiguous {
                    column: join.right.clone(),
                    key: key.to_string(),
                    count: rows.len(),
                    lines: lines.join(", "),
                    file: join.file.name.clone(),
                    noun: match self.plan.kind {
                        RecordKind::Sales => "sales",
                        RecordKind::Stock => "stock positions",
                        RecordKind::Forecasts => "forecasts",
                        _ => "products",
                    },
                });
            }
            choices.push(match (found, key) {
                (Some(rows), _) => rows.iter().map(Pick::Row).collect(),
                (None, Some(key)) => {
                    unmatched.push(j);
                    vec![Pick::NoMatch(key.into_owned())]
                }
                (None, None) => {
                    unmatched.push(j);
                    vec![Pick::EmptyKey]
                }
            });
        }
        let records = combinations(&choices)
            .iter()
            .map(|picks| {
                let view = View {
                    row,
                    plan: self.plan,
                    mapping: self.mapping,
                    picks,
                    forecasts: &self.forecasts,
                };
                view.record(provenance)
            })
            .collect::<Result<Vec<_>, _>>()?;
        for record in &records {
            if let Record::Forecast(f) = record {
                let line = provenance.line.unwrap_or_default();
                self.forecasts.insert((f.product_id.clone(), f.start), line);
            }
        }
        Ok(Converted { records, unmatched })
    }
}

/// Where a value was read, for messages.
#[derive(Debug, Clone, Copy)]
enum Origin<'a> {
    Main {
        noun: &'static str,
        column: &'a str,
    },
    Joined {
        column: &'a str,
        file: &'a str,
        line: u64,
    },
    Unmapped,
}

impl fmt::Display for Origin<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Main { noun, column } => write!(f, "{noun} {column}"),
            Origin::Joined { column, file, line } => {
                write!(f, "column {column} of {file} line {line}, joined")
            }
            Origin::Unmapped => f.write_str("no column"),
        }
    }
}

/// One row with one pick per join: the values of one record.
struct View<'a> {
    row: &'a dyn Row,
    plan: &'a Plan,
    mapping: &'a Mapping,
    picks: &'a [Pick<'a>],
    /// The forecasts read from earlier rows: (product, period start) → line.
    forecasts: &'a HashMap<(String, NaiveDate), u64>,
}

impl<'a> View<'a> {
    fn record(&self, provenance: &Provenance) -> Result<Record, RowError> {
        Ok(match self.plan.kind {
            RecordKind::Documents => Record::Document(self.document(provenance)?),
            RecordKind::Sales => Record::Sale(self.sale(provenance)?),
            RecordKind::Stock => Record::Stock(self.stock(provenance)?),
            RecordKind::Products => Record::Product(self.product(provenance)?),
            RecordKind::Forecasts => Record::Forecast(self.forecast(provenance)?),
        })
    }

    fn document(&self, provenance: &Provenance) -> Result<Document, RowError> {
        let id = self.required_text("id")?;
        let product_id = self.text("product_id")?;
        let kind = match self.lookup("kind")? {
            Some((text, origin)) => parse_kind(&text)
                .ok_or_else(|| field_error("kind", origin, ValueError::NotAKind(text.into())))?,
            None => self.plan.default_kind,
        };
        let mut extra = BTreeMap::new();
        for column in &self.plan.extra {
            let value = self.row.get(column).non_empty().map_err(|error| {
                let origin = Origin::Main {
                    noun: self.row.noun(),
                    column,
                };
                field_error("extra", origin, error)
            })?;
            if let Some(value) = value {
                extra.insert(column.clone(), value.into_owned());
            }
        }
        Ok(Document {
            id,
            product_id,
            kind,
            title: self.text("title")?,
            text: self.text("text")?.unwrap_or_default(),
            rating: self.number("rating", Range::Rating)?,
            created_at: self.parsed("created_at", parse::datetime)?,
            lang: self.text("lang")?,
            extra,
            provenance: provenance.clone(),
        })
    }

    fn sale(&self, provenance: &Provenance) -> Result<Sale, RowError> {
        Ok(Sale {
            product_id: self.required_text("product_id")?,
            date: self.parsed("date", parse::date)?,
            quantity: self.quantity()?,
            unit_price: self.number("unit_price", Range::NonNegative)?,
            order_id: self.text("order_id")?,
            provenance: provenance.clone(),
        })
    }

    fn stock(&self, provenance: &Provenance) -> Result<StockPosition, RowError> {
        let nn = Range::NonNegative;
        Ok(StockPosition {
            product_id: self.required_text("product_id")?,
            on_hand: self.required_number("on_hand", nn)?,
            on_order: self.number("on_order", nn)?.unwrap_or(0.0),
            backorders: self.number("backorders", nn)?.unwrap_or(0.0),
            lead_time_days: self.required_number("lead_time_days", nn)?,
            lead_time_std_days: self.number("lead_time_std_days", nn)?.unwrap_or(0.0),
            unit_cost: self.number("unit_cost", nn)?,
            holding_cost_rate: self.number("holding_cost_rate", nn)?,
            ordering_cost: self.number("ordering_cost", nn)?,
            stockout_cost: self.number("stockout_cost", nn)?,
            service_level: self.number("service_level", Range::Fraction)?,
            moq: self.number("moq", nn)?,
            case_pack: self.number("case_pack", Range::Positive)?,
            provenance: provenance.clone(),
        })
    }

    fn product(&self, provenance: &Provenance) -> Result<Product, RowError> {
        Ok(Product {
            id: self.required_text("id")?,
            title: self.text("title")?,
            category: self.text("category")?,
            price: self.number("price", Range::NonNegative)?,
            provenance: provenance.clone(),
        })
    }

    /// A sale's quantity: `NaN` when the cell is one of the `missing_values` (`""` matching a
    /// field that has a source but no value), 1 when there is no value, else the number.
    fn quantity(&self) -> Result<f64, RowError> {
        let missing = &self.plan.missing_values;
        match self.lookup("quantity")? {
            Some((text, _)) if missing.iter().any(|m| m == text.trim()) => Ok(f64::NAN),
            Some((text, origin)) => parse::number(&text, Range::NonNegative)
                .map_err(|e| field_error("quantity", origin, e)),
            None if missing.iter().any(String::is_empty) && self.has_source("quantity") => {
                Ok(f64::NAN)
            }
            None => Ok(1.0),
        }
    }

    fn forecast(&self, provenance: &Provenance) -> Result<ForecastRecord, RowError> {
        let product_id = self.required_text("product_id")?;
        let period = self.plan.period;
        let (text, origin) = self.required("period")?;
        let start = parse::date(&text, self.plan.date_format.as_deref())
            .map_err(|e| field_error("period", origin, e))?;
        if period.start_of(start) != start {
            let error = ValueError::NotPeriodStart {
                value: text.into_owned(),
                period,
                start: period.start_of(start),
            };
            return Err(field_error("period", origin, error));
        }
        if let Some(&line) = self.forecasts.get(&(product_id.clone(), start)) {
            let error = ValueError::Duplicate {
                product_id,
                period,
                start,
                line,
            };
            return Err(field_error("period", origin, error));
        }
        let kind = match self.lookup("distribution")? {
            Some((text, origin)) => DistributionKind::parse(&text).ok_or_else(|| {
                field_error(
                    "distribution",
                    origin,
                    ValueError::NotADistribution(text.into_owned()),
                )
            })?,
            None => self.plan.default_distribution,
        };
        let parameters = Parameters {
            mean: self.number("mean", Range::NonNegative)?,
            std_dev: self.number("std_dev", Range::NonNegative)?,
            values: self.list("values", Range::NonNegative)?,
            probabilities: self.list("probabilities", Range::Probability)?,
        };
        let distribution = forecast::distribution(kind, parameters)
            .map_err(|(field, error)| field_error(field, self.origin(field), error))?;
        Ok(ForecastRecord {
            product_id,
            period,
            start,
            distribution,
            provenance: provenance.clone(),
        })
    }

    /// A list field: a JSON array, or text with items separated by `;` (`0;1;2;5`). `None`
    /// when empty or absent (an empty JSON array included).
    fn list(&self, field: &'static str, range: Range) -> Result<Option<Vec<f64>>, RowError> {
        if let FieldSource::Main(column) = self.mapping.source(field)
            && let Cell::List(items) = self.row.get(column)
        {
            if items.is_empty() {
                return Ok(None);
            }
            let origin = Origin::Main {
                noun: self.row.noun(),
                column,
            };
            return parse::list(items.iter().map(Cow::as_ref), range)
                .map(Some)
                .map_err(|e| field_error(field, origin, e));
        }
        self.lookup(field)?
            .map(|(text, origin)| {
                parse::list(text.split(LIST_SEPARATOR), range)
                    .map_err(|e| field_error(field, origin, e))
            })
            .transpose()
    }

    /// True when `field` has somewhere to be read from in this record: a column of the main
    /// file, or a joined row (or the main file's column standing in for a join without match).
    fn has_source(&self, field: &str) -> bool {
        match self.mapping.source(field) {
            FieldSource::Main(_) => true,
            FieldSource::Join { join, fallback, .. } => {
                matches!(self.picks[*join], Pick::Row(_)) || fallback.is_some()
            }
            FieldSource::Absent => false,
        }
    }

    /// Where `field` is read from, for a message about its value (or its lack of one).
    fn origin(&self, field: &str) -> Origin<'a> {
        let main = |column: &'a str| Origin::Main {
            noun: self.row.noun(),
            column,
        };
        match self.mapping.source(field) {
            FieldSource::Main(column) => main(column),
            FieldSource::Join {
                join,
                slot,
                fallback,
            } => match (&self.picks[*join], fallback) {
                (Pick::Row(joined), _) => {
                    let plan = &self.plan.joins[*join];
                    Origin::Joined {
                        column: &plan.columns[*slot].1,
                        file: &plan.file.name,
                        line: joined.line,
                    }
                }
                (_, Some(column)) => main(column),
                (_, None) => Origin::Unmapped,
            },
            FieldSource::Absent => Origin::Unmapped,
        }
    }

    /// The non-empty value of `field` and where it was read, or `None`.
    fn lookup(&self, field: &'static str) -> Result<Option<(Cow<'a, str>, Origin<'a>)>, RowError> {
        match self.mapping.source(field) {
            FieldSource::Main(column) => self.main(field, column),
            FieldSource::Join {
                join,
                slot,
                fallback,
            } => match &self.picks[*join] {
                Pick::Row(joined) => Ok(joined.values[*slot].as_deref().map(|v| {
                    let plan = &self.plan.joins[*join];
                    let origin = Origin::Joined {
                        column: &plan.columns[*slot].1,
                        file: &plan.file.name,
                        line: joined.line,
                    };
                    (Cow::Borrowed(v), origin)
                })),
                Pick::NoMatch(_) | Pick::EmptyKey => match fallback {
                    Some(column) => self.main(field, column),
                    None => Ok(None),
                },
            },
            FieldSource::Absent => Ok(None),
        }
    }

    /// The non-empty value of `column` of the main file, for `field`.
    fn main(
        &self,
        field: &'static str,
        column: &'a str,
    ) -> Result<Option<(Cow<'a, str>, Origin<'a>)>, RowError> {
        let origin = Origin::Main {
            noun: self.row.noun(),
            column,
        };
        let value = self
            .row
            .get(column)
            .non_empty()
            .map_err(|error| field_error(field, origin, error))?;
        Ok(value.map(|v| (v, origin)))
    }

    /// The error for a required `field` that has no value.
    fn missing(&self, field: &'static str) -> RowError {
        match self.mapping.source(field) {
            FieldSource::Main(column) => {
                let error = match self.row.get(column) {
                    Cell::Absent => ValueError::Absent,
                    _ => ValueError::Empty,
                };
                let origin = Origin::Main {
                    noun: self.row.noun(),
                    column,
                };
                field_error(field, origin, error)
            }
            FieldSource::Join { join, slot, .. } => {
                let plan = &self.plan.joins[*join];
                match &self.picks[*join] {
                    Pick::Row(joined) => {
                        let origin = Origin::Joined {
                            column: &plan.columns[*slot].1,
                            file: &plan.file.name,
                            line: joined.line,
                        };
                        field_error(field, origin, ValueError::Empty)
                    }
                    Pick::NoMatch(key) => RowError::NoMatch {
                        field,
                        column: plan.right.clone(),
                        key: key.clone(),
                        file: plan.file.name.clone(),
                    },
                    Pick::EmptyKey => RowError::EmptyKey {
                        field,
                        noun: self.row.noun(),
                        column: plan.left.clone(),
                        file: plan.file.name.clone(),
                    },
                }
            }
            FieldSource::Absent => field_error(field, Origin::Unmapped, ValueError::Absent),
        }
    }

    fn required(&self, field: &'static str) -> Result<(Cow<'a, str>, Origin<'a>), RowError> {
        self.lookup(field)?.ok_or_else(|| self.missing(field))
    }

    fn text(&self, field: &'static str) -> Result<Option<String>, RowError> {
        Ok(self.lookup(field)?.map(|(v, _)| v.into_owned()))
    }

    fn required_text(&self, field: &'static str) -> Result<String, RowError> {
        self.required(field).map(|(v, _)| v.into_owned())
    }

    fn number(&self, field: &'static str, range: Range) -> Result<Option<f64>, RowError> {
        self.lookup(field)?
            .map(|(v, origin)| parse::number(&v, range).map_err(|e| field_error(field, origin, e)))
            .transpose()
    }

    fn required_number(&self, field: &'static str, range: Range) -> Result<f64, RowError> {
        let (v, origin) = self.required(field)?;
        parse::number(&v, range).map_err(|e| field_error(field, origin, e))
    }

    /// A required date field, parsed with `parse` and the configured `date_format`.
    fn parsed<T>(
        &self,
        field: &'static str,
        parse: impl Fn(&str, Option<&str>) -> Result<T, ValueError>,
    ) -> Result<T, RowError> {
        let (v, origin) = self.required(field)?;
        parse(&v, self.plan.date_format.as_deref()).map_err(|e| field_error(field, origin, e))
    }
}

/// Separates the items of a list field written in one cell.
pub(crate) const LIST_SEPARATOR: char = ';';

fn field_error(field: &'static str, origin: Origin<'_>, error: ValueError) -> RowError {
    RowError::Field {
        field,
        origin: origin.to_string(),
        error,
    }
}

fn parse_kind(text: &str) -> Option<DocumentKind> {
    match text.trim().to_ascii_lowercase().as_str() {
        "review" => Some(DocumentKind::Review),
        "question" => Some(DocumentKind::Question),
        "post" => Some(DocumentKind::Post),
        _ => None,
    }
}
