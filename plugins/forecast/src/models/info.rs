//! What each forecasting model type says about itself: `restock plugins` and
//! `docs/plugins.md` are generated from these.

use restock_core::{ConfigKeyDoc, PluginInfo};

const PERIOD: ConfigKeyDoc = ConfigKeyDoc {
    name: "period",
    ty: "\"day\" | \"week\" | \"month\"",
    default: Some("\"week\""),
    doc: "aggregation period (weeks are ISO, Monday first; only complete periods before as_of are history)",
};
const HORIZON: ConfigKeyDoc = ConfigKeyDoc {
    name: "horizon",
    ty: "integer",
    default: Some("12"),
    doc: "periods forecast, the first being the period holding as_of",
};
const GROUP_BY: ConfigKeyDoc = ConfigKeyDoc {
    name: "group_by",
    ty: "\"product\" | \"category\"",
    default: Some("\"product\""),
    doc: "forecast per product, or per product category (needs products with a category)",
};
const QUANTILES: ConfigKeyDoc = ConfigKeyDoc {
    name: "quantiles",
    ty: "array of floats in (0, 1)",
    default: Some("[0.5, 0.9, 0.95]"),
    doc: "quantile levels reported per forecast period (never below 0; see docs/forecasting.md for the distribution)",
};
const MISSING: ConfigKeyDoc = ConfigKeyDoc {
    name: "missing",
    ty: "\"zero\" | \"drop\" | \"error\"",
    default: Some("\"drop\""),
    doc: "a period holding a sale of unknown quantity (NaN): read as 0, left out of the history, or no forecast for the item; counted in the forecast's notes and a warning",
};
const LEADING_ZEROS: ConfigKeyDoc = ConfigKeyDoc {
    name: "leading_zeros",
    ty: "\"trim\" | \"keep\"",
    default: Some("\"trim\""),
    doc: "history starts at the item's first sale (trim), or at the dataset's first sale or `start` with zeros before the item's first sale (keep)",
};
const START: ConfigKeyDoc = ConfigKeyDoc {
    name: "start",
    ty: "date",
    default: Some("(the dataset's first sale)"),
    doc: "with leading_zeros = \"keep\": the first day of every item's history (its period's start)",
};
const WINDOW: ConfigKeyDoc = ConfigKeyDoc {
    name: "window",
    ty: "integer",
    default: Some("(all periods)"),
    doc: "most recent complete periods used as history",
};

/// The shared keys, then the type's own.
macro_rules! keys {
    ($($extra:expr),* $(,)?) => {
        &[PERIOD, HORIZON, GROUP_BY, QUANTILES, MISSING, LEADING_ZEROS, START, WINDOW, $($extra),*]
    };
}

pub(crate) const NAIVE: PluginInfo = PluginInfo {
    type_name: "naive",
    doc: "demand forecast per item: every period equals the last complete period (normal, spread growing with √h)",
    keys: keys![],
    example: "period = \"week\"\nhorizon = 8\nquantiles = [0.5, 0.9, 0.95]\n",
};

pub(crate) const SEASONAL_NAIVE: PluginInfo = PluginInfo {
    type_name: "seasonal_naive",
    doc: "demand forecast per item: each period equals the same period one season earlier (shorter history: the last value, with a warning)",
    keys: keys![ConfigKeyDoc {
        name: "season_length",
        ty: "integer",
        default: Some("(7 days, 52 weeks or 12 months)"),
        doc: "season length in periods",
    }],
    example: "period = \"month\"\nhorizon = 12\nseason_length = 12\nleading_zeros = \"keep\"\nstart = \"2017-01-01\"\n",
};

pub(crate) const MOVING_AVERAGE: PluginInfo = PluginInfo {
    type_name: "moving_average",
    doc: "demand forecast per item: the mean of the last `window_size` periods (statsforecast WindowAverage)",
    keys: keys![ConfigKeyDoc {
        name: "window_size",
        ty: "integer",
        default: Some("4"),
        doc: "periods averaged (a shorter history is averaged whole, noted)",
    }],
    example: "period = \"week\"\nhorizon = 8\nwindow_size = 6\nmissing = \"zero\"\n",
};

pub(crate) const SES: PluginInfo = PluginInfo {
    type_name: "ses",
    doc: "demand forecast per item by simple exponential smoothing (alpha given, or fitted by least squares)",
    keys: keys![ConfigKeyDoc {
        name: "alpha",
        ty: "float in [0, 1]",
        default: Some("(fitted per item on [0.01, 0.99])"),
        doc: "smoothing constant; absent, the one minimising the in-sample squared one-step error",
    }],
    example: "period = \"week\"\nhorizon = 12\nalpha = 0.2\nwindow = 104\n",
};

pub(crate) const CROSTON: PluginInfo = PluginInfo {
    type_name: "croston",
    doc: "intermittent demand forecast per item by Croston's method (alpha 0.1; Poisson or negative binomial)",
    keys: keys![],
    example: "period = \"week\"\nhorizon = 12\ngroup_by = \"category\"\nmissing = \"error\"\n",
};

pub(crate) const SBA: PluginInfo = PluginInfo {
    type_name: "sba",
    doc: "intermittent demand forecast per item by the Syntetos–Boylan approximation (0.95 × Croston)",
    keys: keys![],
    example: "period = \"week\"\nhorizon = 8\nquantiles = [0.5, 0.95, 0.99]\n",
};

pub(crate) const TSB: PluginInfo = PluginInfo {
    type_name: "tsb",
    doc: "intermittent demand forecast per item by Teunter–Syntetos–Babai (decays through periods without demand)",
    keys: keys![
        ConfigKeyDoc {
            name: "alpha_d",
            ty: "float in [0, 1]",
            default: Some("0.1"),
            doc: "smoothing constant of the demand sizes",
        },
        ConfigKeyDoc {
            name: "alpha_p",
            ty: "float in [0, 1]",
            default: Some("0.1"),
            doc: "smoothing constant of the probability of a demand",
        },
    ],
    example: "period = \"month\"\nhorizon = 6\nalpha_d = 0.2\nalpha_p = 0.1\n",
};

pub(crate) const ADIDA: PluginInfo = PluginInfo {
    type_name: "adida",
    doc: "intermittent demand forecast per item by ADIDA (SES of buckets as long as the mean interval between demands)",
    keys: keys![],
    example: "period = \"week\"\nhorizon = 12\nleading_zeros = \"keep\"\n",
};

pub(crate) const IMAPA: PluginInfo = PluginInfo {
    type_name: "imapa",
    doc: "intermittent demand forecast per item by IMAPA (mean of ADIDA at every aggregation level up to the mean interval)",
    keys: keys![],
    example: "period = \"month\"\nhorizon = 6\nwindow = 36\n",
};

pub(crate) const ETS: PluginInfo = PluginInfo {
    type_name: "ets",
    doc: "demand forecast per item by exponential smoothing, the ETS model chosen by AICc (statsforecast AutoETS)",
    keys: keys![
        ConfigKeyDoc {
            name: "season_length",
            ty: "integer, 1 to 64",
            default: Some("1"),
            doc: "season length in periods (1: no season; a season is tried only on a history longer than it)",
        },
        ConfigKeyDoc {
            name: "model",
            ty: "string",
            default: Some("\"ZZZ\""),
            doc: "models allowed, as statsforecast writes them: error A|M|Z, trend N|A|Ad|Z, season N|A|M|Z (Z: chosen by AICc), e.g. \"ZZZ\", \"ANN\", \"AAdN\"",
        },
    ],
    example: "period = \"month\"\nhorizon = 12\nseason_length = 12\nmodel = \"ZZZ\"\n",
};

pub(crate) const AUTO: PluginInfo = PluginInfo {
    type_name: "auto",
    doc: "demand forecast per item by the method its Syntetos–Boylan class calls for: smooth → ets, erratic, intermittent or lumpy → sba",
    keys: keys![
        ConfigKeyDoc {
            name: "adi_cutoff",
            ty: "float ≥ 1",
            default: Some("1.32"),
            doc: "average inter-demand interval (periods per period with demand) at and above which demand is intermittent or lumpy",
        },
        ConfigKeyDoc {
            name: "cv2_cutoff",
            ty: "float ≥ 0",
            default: Some("0.49"),
            doc: "squared coefficient of variation of the demand sizes at and above which demand is erratic or lumpy",
        },
    ],
    example: "period = \"week\"\nhorizon = 12\nadi_cutoff = 1.32\ncv2_cutoff = 0.49\nquantiles = [0.5, 0.9, 0.95]\nmissing = \"drop\"\nleading_zeros = \"trim\"\n",
};
