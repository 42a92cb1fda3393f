//! How numbers read in text meant for planners (rationales, summaries): the same everywhere,
//! so a number in a rationale can be found in the summary.

/// A quantity: whole numbers without decimals (`12`), others with two (`3.95`); `-0` reads `0`.
pub fn quantity(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round() + 0.0)
    } else {
        format!("{x:.2}")
    }
}

/// A share in [0, 1] as a percentage with one decimal (`95.2%`).
pub fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_plainly() {
        assert_eq!(quantity(12.0), "12");
        assert_eq!(quantity(-0.0), "0");
        assert_eq!(quantity(3.947649), "3.95");
        assert_eq!(percent(0.95221), "95.2%");
    }
}
