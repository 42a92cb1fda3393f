//! Hash joins: a joined file is read completely into a map from its key to the distinct
//! combinations of the values it contributes; each row of the main file then yields one record
//! per combination found under its key.
//!
//! Why distinct combinations: Olist's order items have one row per unit, so a review joined to
//! the items of its order by `order_id` would otherwise count a product bought three times
//! three times. With the join contributing only `product_id`, an order with three units of one
//! product gives one document, and an order with two different products gives two documents
//! sharing the review's id.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use restock_core::Error;

use crate::plan::{JoinPlan, describe};
use crate::read::{RowReader, Tally};
use crate::row::Item;

/// One distinct combination of a joined file's values under a key.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Joined {
    /// The values of [`JoinPlan::columns`], in that order (`None`: absent or empty).
    pub values: Vec<Option<String>>,
    /// The line of the first row that had this combination.
    pub line: u64,
}

/// A joined file, indexed by its key column.
#[derive(Debug, Default)]
pub(crate) struct JoinIndex {
    rows: HashMap<String, Vec<Joined>>,
}

impl JoinIndex {
    /// Reads the joined file completely. Rows that cannot be read are quarantined with the
    /// joined file's name and line; rows with an empty key can never match and are skipped.
    pub(crate) fn load(join: &JoinPlan, tally: &mut Tally<'_>) -> Result<Self, Error> {
        let reader = RowReader::open(&join.file)?;
        if let Some(header) = reader.header() {
            let problems = join.check_header(header);
            if !problems.is_empty() {
                return Err(Error::Input {
                    location: restock_core::Provenance::at(join.file.source.clone(), 1),
                    message: describe(&problems),
                });
            }
        }
        let source = join.file.source.clone();
        let mut index = JoinIndex::default();
        // Key and values of every combination kept, so that a key with many rows is deduplicated
        // in constant time per row; dropped once the file is read.
        let mut seen: HashSet<(String, Vec<Option<String>>)> = HashSet::new();
        reader.for_each(&mut |item| {
            tally.tick()?;
            let (line, row) = match item {
                Item::Unreadable { line, reason, raw } => {
                    tally.quarantine(&source, line, format!("{reason} (joined file)"), raw);
                    return Ok(());
                }
                Item::Row { line, row } => (line, row),
            };
            let key = match row.get(&join.right).non_empty() {
                Ok(Some(key)) => key.into_owned(),
                Ok(None) => return Ok(()),
                Err(error) => {
                    let reason = format!(
                        "join key ({} {}): {error} (joined file)",
                        row.noun(),
                        join.right
                    );
                    tally.quarantine(&source, line, reason, row.raw());
                    return Ok(());
                }
            };
            let mut values = Vec::with_capacity(join.columns.len());
            for (field, column) in &join.columns {
                match row.get(column).non_empty() {
                    Ok(value) => values.push(value.map(Cow::into_owned)),
                    Err(error) => {
                        let reason = format!(
                            "field {field} ({} {column}): {error} (joined file)",
                            row.noun()
                        );
                        tally.quarantine(&source, line, reason, row.raw());
                        return Ok(());
                    }
                }
            }
            if seen.insert((key.clone(), values.clone())) {
                index
                    .rows
                    .entry(key)
                    .or_default()
                    .push(Joined { values, line });
            }
            Ok(())
        })?;
        Ok(index)
    }

    /// The distinct combinations under `key`, in file order.
    pub(crate) fn get(&self, key: &str) -> Option<&[Joined]> {
        self.rows.get(key).map(Vec::as_slice)
    }
}

/// What one join contributes to one record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Pick<'a> {
    /// A combination of the joined file's values.
    Row(&'a Joined),
    /// The main row's key matched no row; `key` is its value.
    NoMatch(String),
    /// The main row's key is empty.
    EmptyKey,
}

/// Every combination of one pick per join (the cartesian product), in order.
pub(crate) fn combinations<'a>(choices: &[Vec<Pick<'a>>]) -> Vec<Vec<Pick<'a>>> {
    let mut out: Vec<Vec<Pick<'a>>> = vec![Vec::with_capacity(choices.len())];
    for options in choices {
        let mut next = Vec::with_capacity(out.len() * options.len().max(1));
        for prefix in &out {
            for option in options {
                let mut combination = prefix.clone();
                combination.push(option.clone());
                next.push(combination);
            }
        }
        out = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_are_the_cartesian_product() {
        let a = Joined {
            values: vec![Some("a".into())],
            line: 2,
        };
        let b = Joined {
            values: vec![Some("b".into())],
            line: 3,
        };
        let choices = vec![
            vec![Pick::Row(&a), Pick::Row(&b)],
            vec![Pick::NoMatch("k".into())],
        ];
        let all = combinations(&choices);
        assert_eq!(
            all,
            vec![
                vec![Pick::Row(&a), Pick::NoMatch("k".into())],
                vec![Pick::Row(&b), Pick::NoMatch("k".into())],
            ]
        );
        assert_eq!(combinations(&[]), vec![Vec::<Pick<'_>>::new()]);
    }
}
