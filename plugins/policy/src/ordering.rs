//! Turning a policy's levels into an order a supplier accepts: whole units, the minimum order
//! quantity (MOQ) and case packs.

use restock_core::StockPosition;
use restock_core::display::quantity as fmt;

/// An order or lot after rounding, with what the rounding did (for the rationale).
#[derive(Debug, Clone, PartialEq)]
pub struct Rounded {
    /// The quantity, units.
    pub quantity: f64,
    /// One phrase per step that changed it, e.g. "raised to the MOQ 24".
    pub steps: Vec<String>,
    /// The smallest quantity an order may have (MOQ rounded to case packs), units.
    pub minimum: f64,
    /// Orders grow in steps of this many units (the case pack, or 1 unit).
    pub step: f64,
}

/// Rounds `raw` units (> 0) up to whole units (under `integer_units`), raises it to the MOQ,
/// and rounds it up to whole case packs. Errors: a fractional case pack under `integer_units`.
pub fn round_order(
    raw: f64,
    stock: &StockPosition,
    integer_units: bool,
) -> Result<Rounded, String> {
    let pack = stock.case_pack.filter(|p| *p > 0.0);
    if let Some(p) = pack
        && integer_units
        && p.fract() != 0.0
    {
        return Err(format!(
            "{}: case_pack {p} is not a whole number of units (integer_units = true)",
            stock.provenance
        ));
    }
    let step = pack.unwrap_or(1.0);
    let moq = stock.moq.filter(|m| *m > 0.0).unwrap_or(0.0);
    let minimum = ceil_to(moq.max(step), pack);
    let mut quantity = if integer_units { ceil_units(raw) } else { raw };
    let mut steps = Vec::new();
    if quantity < moq {
        quantity = moq;
        steps.push(format!("raised to the MOQ {}", fmt(moq)));
    }
    if let Some(p) = pack {
        let packed = ceil_to(quantity, Some(p));
        if packed != quantity {
            let cases = packed / p;
            let noun = if cases == 1.0 { "case" } else { "cases" };
            steps.push(format!("rounded up to {cases} {noun} of {}", fmt(p)));
            quantity = packed;
        }
    }
    Ok(Rounded {
        quantity,
        steps,
        minimum,
        step,
    })
}

/// `x` rounded up to a multiple of `pack` (unchanged without one).
fn ceil_to(x: f64, pack: Option<f64>) -> f64 {
    match pack {
        Some(p) => (x / p - 1e-9).ceil().max(0.0) * p,
        None => x,
    }
}

/// `x` rounded up to whole units, guarding against 12.000000000001 becoming 13.
pub fn ceil_units(x: f64) -> f64 {
    (x - 1e-9).ceil()
}

/// The order of a reorder-point policy with lot `lot`: when the inventory position is at or
/// below `reorder_point`, the smallest n·lot that lifts it above (the (s, nQ) policy: Silver,
/// Pyke & Thomas, 4th ed., ch. 6). Returns the quantity and n.
pub fn lots_to_order(position: f64, reorder_point: f64, lot: f64) -> (f64, f64) {
    if lot <= 0.0 || position > reorder_point {
        return (0.0, 0.0);
    }
    let lots = ((reorder_point - position) / lot).floor() + 1.0;
    (lots * lot, lots)
}

/// The pieces an order of `quantity` units is bought in, cheapest-to-skip last: the minimum
/// first, then steps (the last one may be partial for continuous units). For the budget.
pub fn pieces(quantity: f64, minimum: f64, step: f64) -> Vec<f64> {
    let mut out = Vec::new();
    if quantity <= 0.0 {
        return out;
    }
    let first = minimum.max(step).min(quantity);
    out.push(first);
    let mut left = quantity - first;
    while left > 1e-9 {
        let piece = step.min(left);
        out.push(piece);
        left -= piece;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use restock_core::Provenance;

    fn stock(moq: Option<f64>, case_pack: Option<f64>) -> StockPosition {
        StockPosition {
            product_id: "x".into(),
            on_hand: 0.0,
            on_order: 0.0,
            backorders: 0.0,
            lead_time_days: 7.0,
            lead_time_std_days: 0.0,
            unit_cost: None,
            holding_cost_rate: None,
            ordering_cost: None,
            stockout_cost: None,
            service_level: None,
            moq,
            case_pack,
            provenance: Provenance::at("stock.csv", 2),
        }
    }

    #[test]
    fn moq_then_case_packs() {
        let r = round_order(7.2, &stock(Some(10.0), Some(6.0)), true).unwrap();
        assert_eq!(r.quantity, 12.0);
        assert_eq!(
            r.steps,
            ["raised to the MOQ 10", "rounded up to 2 cases of 6"]
        );
        assert_eq!((r.minimum, r.step), (12.0, 6.0));
        let r = round_order(25.0, &stock(Some(10.0), None), true).unwrap();
        assert_eq!((r.quantity, r.steps.len()), (25.0, 0));
        assert!(round_order(5.0, &stock(None, Some(2.5)), true).is_err());
    }

    #[test]
    fn pieces_start_with_the_minimum() {
        assert_eq!(pieces(30.0, 12.0, 6.0), [12.0, 6.0, 6.0, 6.0]);
        assert_eq!(pieces(2.5, 1.0, 1.0), [1.0, 1.0, 0.5]);
        assert!(pieces(0.0, 1.0, 1.0).is_empty());
    }

    #[test]
    fn lots_lift_the_position_above_the_reorder_point() {
        assert_eq!(lots_to_order(3.0, 10.0, 5.0), (10.0, 2.0));
        assert_eq!(lots_to_order(11.0, 10.0, 5.0), (0.0, 0.0));
    }
}
