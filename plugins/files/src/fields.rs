//! The record fields a column can fill, per record kind, and which of them are required.

use crate::config::RecordKind;

/// Whether a field must have a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    /// A row without a value is quarantined.
    Required,
    /// A missing or empty value becomes `None` (or the documented default).
    Optional,
}

/// One field of a record kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Field {
    /// The field's name, as used in `columns`.
    pub name: &'static str,
    /// Required or optional.
    pub presence: Presence,
}

const fn required(name: &'static str) -> Field {
    Field {
        name,
        presence: Presence::Required,
    }
}

const fn optional(name: &'static str) -> Field {
    Field {
        name,
        presence: Presence::Optional,
    }
}

const DOCUMENT: &[Field] = &[
    required("id"),
    optional("product_id"),
    optional("kind"),
    optional("title"),
    optional("text"),
    optional("rating"),
    required("created_at"),
    optional("lang"),
];

const SALE: &[Field] = &[
    required("product_id"),
    required("date"),
    optional("quantity"),
    optional("unit_price"),
    optional("order_id"),
];

const STOCK: &[Field] = &[
    required("product_id"),
    required("on_hand"),
    optional("on_order"),
    optional("backorders"),
    required("lead_time_days"),
    optional("lead_time_std_days"),
    optional("unit_cost"),
    optional("holding_cost_rate"),
    optional("ordering_cost"),
    optional("stockout_cost"),
    optional("service_level"),
    optional("moq"),
    optional("case_pack"),
];

const PRODUCT: &[Field] = &[
    required("id"),
    optional("title"),
    optional("category"),
    optional("price"),
];

const FORECAST: &[Field] = &[
    required("product_id"),
    required("period"),
    optional("distribution"),
    optional("mean"),
    optional("std_dev"),
    optional("values"),
    optional("probabilities"),
];

/// The fields a file's columns can fill, per kind of record.
pub(crate) trait RecordFields: Copy {
    /// Every field a column can fill, in the record's order.
    fn fields(self) -> &'static [Field];

    /// The field named `name`, if the kind has one.
    fn field(self, name: &str) -> Option<Field> {
        self.fields().iter().copied().find(|f| f.name == name)
    }

    /// The field names, comma-separated, for error messages.
    fn field_list(self) -> String {
        self.fields()
            .iter()
            .map(|f| f.name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl RecordFields for RecordKind {
    fn fields(self) -> &'static [Field] {
        match self {
            RecordKind::Documents => DOCUMENT,
            RecordKind::Sales => SALE,
            RecordKind::Stock => STOCK,
            RecordKind::Products => PRODUCT,
            RecordKind::Forecasts => FORECAST,
        }
    }
}
