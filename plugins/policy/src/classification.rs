//! ABC/XYZ classification of items.
//!
//! ABC ranks items by demand value (mean demand per period × unit cost) and cuts the ranking
//! at cumulative value shares: an item is A when the items ranked above it hold less than the
//! A cut-off (0.8 by default) of the total value, B when they hold less than the B cut-off
//! (0.95), C otherwise — so the item that crosses 80 % is still A (Silver, Pyke & Thomas,
//! 4th ed., ch. 2, the Pareto/ABC classification). XYZ classes an item by the coefficient of
//! variation of its demand per period, σ/μ: X up to the first limit (0.5), Y up to the second
//! (1.0), Z above (and for items with no mean demand).

use std::collections::BTreeMap;

use crate::config::ClassificationConfig;

/// What classification needs of one item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassInput {
    /// Mean demand per period, units.
    pub mean: f64,
    /// Standard deviation of demand per period, units.
    pub std_dev: f64,
    /// Unit cost (or price), when known.
    pub unit_cost: Option<f64>,
}

/// Classes by item, e.g. `AX`, and whether values were by units because some cost was unknown.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Classes {
    /// The class of each item.
    pub by_item: BTreeMap<String, String>,
    /// True when some item had no unit cost, so ABC ranked units instead of value.
    pub by_units: bool,
}

/// Classifies every item.
pub fn classify(items: &BTreeMap<String, ClassInput>, config: &ClassificationConfig) -> Classes {
    let by_units = items.values().any(|i| i.unit_cost.is_none());
    let value = |i: &ClassInput| {
        if by_units {
            i.mean
        } else {
            i.mean * i.unit_cost.unwrap_or(0.0)
        }
    };
    let mut ranked: Vec<(&String, f64)> = items.iter().map(|(k, i)| (k, value(i))).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let total: f64 = ranked.iter().map(|r| r.1).sum();
    let mut by_item = BTreeMap::new();
    let mut above = 0.0;
    for (item, v) in ranked {
        let share = if total > 0.0 { above / total } else { 1.0 };
        let abc = if total > 0.0 && v > 0.0 && share < config.abc[0] {
            'A'
        } else if total > 0.0 && v > 0.0 && share < config.abc[1] {
            'B'
        } else {
            'C'
        };
        above += v;
        let input = &items[item];
        let cv = if input.mean > 0.0 {
            input.std_dev / input.mean
        } else {
            f64::INFINITY
        };
        let xyz = if cv <= config.xyz[0] {
            'X'
        } else if cv <= config.xyz[1] {
            'Y'
        } else {
            'Z'
        };
        by_item.insert(item.clone(), format!("{abc}{xyz}"));
    }
    Classes { by_item, by_units }
}

/// The service level for `class` from a table keyed by class (`AX`), ABC letter (`A`) or XYZ
/// letter (`X`), most specific first.
pub fn service_level_of(class: &str, levels: &BTreeMap<String, f64>) -> Option<(String, f64)> {
    let abc = &class[..1];
    let xyz = &class[1..];
    [class, abc, xyz]
        .into_iter()
        .find_map(|k| levels.get(k).map(|v| (k.to_owned(), *v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(mean: f64, std_dev: f64, unit_cost: f64) -> ClassInput {
        ClassInput {
            mean,
            std_dev,
            unit_cost: Some(unit_cost),
        }
    }

    #[test]
    fn abc_by_value_share_and_xyz_by_variation() {
        let items: BTreeMap<String, ClassInput> = [
            ("a", input(100.0, 10.0, 7.0)), // value 700, 70 % of 1000
            ("b", input(10.0, 8.0, 15.0)),  // 150: above it 70 % → A
            ("c", input(10.0, 20.0, 10.0)), // 100: above it 85 % → B
            ("d", input(5.0, 1.0, 10.0)),   // 50: above it 95 % → C
            ("e", input(0.0, 0.0, 10.0)),   // no demand → CZ
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let classes = classify(&items, &ClassificationConfig::default());
        let got: Vec<&str> = classes.by_item.values().map(String::as_str).collect();
        assert_eq!(got, ["AX", "AY", "BZ", "CX", "CZ"]);
        assert!(!classes.by_units);
    }

    #[test]
    fn the_most_specific_service_level_wins() {
        let levels: BTreeMap<String, f64> = [
            ("AX".to_owned(), 0.99),
            ("A".to_owned(), 0.97),
            ("Z".to_owned(), 0.9),
        ]
        .into();
        assert_eq!(service_level_of("AX", &levels), Some(("AX".into(), 0.99)));
        assert_eq!(service_level_of("AY", &levels), Some(("A".into(), 0.97)));
        assert_eq!(service_level_of("CZ", &levels), Some(("Z".into(), 0.9)));
        assert_eq!(service_level_of("BY", &levels), None);
    }
}
