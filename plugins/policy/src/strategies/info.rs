//! What each textbook strategy says about itself: type, one line, keys, example.

use restock_core::{ConfigKeyDoc, PluginInfo};

use crate::config::COMMON_KEYS;

const fn with<const A: usize, const B: usize, const C: usize>(
    a: [ConfigKeyDoc; A],
    b: [ConfigKeyDoc; B],
) -> [ConfigKeyDoc; C] {
    assert!(A + B == C);
    let mut out = [a[0]; C];
    let mut i = 0;
    while i < A {
        out[i] = a[i];
        i += 1;
    }
    let mut j = 0;
    while j < B {
        out[A + j] = b[j];
        j += 1;
    }
    out
}

const S_S_KEYS: [ConfigKeyDoc; 12] = with(
    COMMON_KEYS,
    [ConfigKeyDoc {
        name: "method",
        ty: "\"exact\" | \"power\"",
        default: Some("(exact for count demand, power for normal)"),
        doc: "under target = \"costs\": Zheng–Federgruen's exact optimum (count demand; the default there) or the power approximation (the default for normal demand)",
    }],
);

const R_Q_KEYS: [ConfigKeyDoc; 12] = with(
    COMMON_KEYS,
    [ConfigKeyDoc {
        name: "method",
        ty: "\"exact\" | \"eoqss\" | \"eoqb\" | \"eil\" | \"loss_function\"",
        default: Some("\"exact\""),
        doc: "under target = \"costs\": the exact optimum of g(r, Q) or one of the textbook approximations",
    }],
);

const R_S_KEYS: [ConfigKeyDoc; 12] = with(
    COMMON_KEYS,
    [ConfigKeyDoc {
        name: "review_period",
        ty: "integer",
        default: Some("1"),
        doc: "R: periods (of the demand plan) between reviews; S protects lead time + R periods",
    }],
);

const EOQ_KEYS: [ConfigKeyDoc; 15] = with(
    COMMON_KEYS,
    [
        ConfigKeyDoc {
            name: "variant",
            ty: "\"basic\" | \"backorders\" | \"production\" | \"all_units_discounts\" | \"incremental_discounts\"",
            default: Some("\"basic\""),
            doc: "the lot-size model: EOQ, EOQ with planned backorders, EPQ, or quantity discounts",
        },
        ConfigKeyDoc {
            name: "production_rate",
            ty: "float",
            default: Some("(not set)"),
            doc: "variant = \"production\": units produced per period (above the demand rate)",
        },
        ConfigKeyDoc {
            name: "breakpoints",
            ty: "array of floats",
            default: Some("(not set)"),
            doc: "quantity discounts: order quantities where a price starts, from 0, e.g. [0, 200, 500]",
        },
        ConfigKeyDoc {
            name: "unit_costs",
            ty: "array of floats",
            default: Some("(not set)"),
            doc: "quantity discounts: the unit cost from each breakpoint, e.g. [5.0, 4.75, 4.5]",
        },
    ],
);

const WAGNER_WHITIN_KEYS: [ConfigKeyDoc; 8] = [
    COMMON_KEYS[1],
    COMMON_KEYS[2],
    COMMON_KEYS[4],
    COMMON_KEYS[5],
    COMMON_KEYS[6],
    COMMON_KEYS[7],
    COMMON_KEYS[9],
    ConfigKeyDoc {
        name: "horizon",
        ty: "integer",
        default: Some("(all the plan's periods)"),
        doc: "periods of the plan to lot-size (default: all the plan's periods)",
    },
];

pub(crate) const BASE_STOCK: PluginInfo = PluginInfo {
    type_name: "base_stock",
    doc: "periodic review every period: order up to the base-stock level S, which protects lead time + 1 periods (newsvendor critical fractile under costs)",
    keys: &COMMON_KEYS,
    example: "target = { cycle_service_level = 0.95 }\nservice_levels = { AX = 0.99, CZ = 0.90 }\nbudget = 5000\ninteger_units = true\nmissing_stock = \"skip\"\n",
};

pub(crate) const S_S: PluginInfo = PluginInfo {
    type_name: "s_s",
    doc: "periodic review: when the inventory position is at or below s, order up to S (exact Zheng–Federgruen optimum for count demand, power approximation for normal)",
    keys: &S_S_KEYS,
    example: "target = \"costs\"\nmethod = \"exact\"\n",
};

pub(crate) const R_Q: PluginInfo = PluginInfo {
    type_name: "r_q",
    doc: "continuous review: when the inventory position falls to r, order Q (exact cost for normal and Poisson demand, or the textbook approximations)",
    keys: &R_Q_KEYS,
    example: "target = \"costs\"\nmethod = \"exact\"\n",
};

pub(crate) const R_S: PluginInfo = PluginInfo {
    type_name: "r_s",
    doc: "periodic review every R periods: order up to S, which protects lead time + R periods",
    keys: &R_S_KEYS,
    example: "review_period = 2\ntarget = { fill_rate = 0.98 }\n",
};

pub(crate) const EOQ: PluginInfo = PluginInfo {
    type_name: "eoq",
    doc: "continuous review with an EOQ-family lot size (EOQ, planned backorders, EPQ, quantity discounts) and a reorder point for the target",
    keys: &EOQ_KEYS,
    example: "variant = \"basic\"\ntarget = { cycle_service_level = 0.95 }\n",
};

pub(crate) const WAGNER_WHITIN: PluginInfo = PluginInfo {
    type_name: "wagner_whitin",
    doc: "Wagner–Whitin lot sizing of the planner's time-varying demand plan, netted against the inventory position and offset by the lead time",
    keys: &WAGNER_WHITIN_KEYS,
    example: "horizon = 12\nclassification = { abc = [0.8, 0.95], xyz = [0.5, 1.0] }\n",
};
