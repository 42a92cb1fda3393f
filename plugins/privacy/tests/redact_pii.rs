//! `redact_pii` end to end: built from config through the registry, run on a dataset,
//! diagnostics inspected (counts only, never the values).

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use restock_core::config::{self, ConfigKey, ConfigKind};
use restock_core::{
    BuildContext, ConfigErrors, ConfigValue, Context, Dataset, Diagnostic, Document, DocumentKind,
    MemorySink, Preprocessor, Provenance, Registry, Sale, Severity,
};
use restock_privacy::{Config, Field, INFO, Kind, RedactPii};

// ---------------------------------------------------------------------------------------------
// helpers

/// A TOML table as the runner would hand it over, with dummy spans.
fn config_value(toml_body: &str) -> ConfigValue {
    let table: toml::Table = toml_body.parse().expect("valid TOML");
    from_toml(&toml::Value::Table(table))
}

fn from_toml(value: &toml::Value) -> ConfigValue {
    let kind = match value {
        toml::Value::String(s) => ConfigKind::String(s.clone()),
        toml::Value::Integer(i) => ConfigKind::Integer(*i),
        toml::Value::Float(f) => ConfigKind::Float(*f),
        toml::Value::Boolean(b) => ConfigKind::Boolean(*b),
        toml::Value::Datetime(d) => ConfigKind::Datetime(d.to_string()),
        toml::Value::Array(items) => ConfigKind::Array(items.iter().map(from_toml).collect()),
        toml::Value::Table(table) => ConfigKind::Table(
            table
                .iter()
                .map(|(k, v)| {
                    let key = ConfigKey {
                        name: k.clone(),
                        span: 0..0,
                    };
                    (key, from_toml(v))
                })
                .collect(),
        ),
    };
    ConfigValue::new(kind, 0..0)
}

fn try_build(toml_body: &str) -> Result<Box<dyn Preprocessor>, ConfigErrors> {
    let mut registry = Registry::new();
    restock_privacy::register(&mut registry);
    let ctx = BuildContext {
        base_dir: PathBuf::from("."),
        component: "privacy".into(),
    };
    registry
        .preprocessors
        .build("redact_pii", &config_value(toml_body), &ctx)
        .expect("redact_pii is registered")
}

fn build(toml_body: &str) -> Box<dyn Preprocessor> {
    try_build(toml_body).expect("config is valid")
}

fn doc(line: u64, text: &str, title: Option<&str>) -> Document {
    Document {
        id: format!("r{line}"),
        product_id: Some("p1".into()),
        kind: DocumentKind::Review,
        title: title.map(str::to_owned),
        text: text.to_owned(),
        rating: Some(4.0),
        created_at: Utc.with_ymd_and_hms(2018, 7, 1, 12, 0, 0).unwrap(),
        lang: None,
        extra: Default::default(),
        provenance: Provenance::at("reviews.csv", line),
    }
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, 8, 1).unwrap()
}

async fn run(
    preprocessor: &dyn Preprocessor,
    documents: Vec<Document>,
) -> (Vec<Document>, Vec<Diagnostic>) {
    let sink = Arc::new(MemorySink::default());
    let ctx = Context::new(as_of(), sink.clone()).for_component("privacy");
    let dataset = Dataset {
        documents,
        ..Dataset::default()
    };
    let out = preprocessor.process(dataset, &ctx).await.expect("process");
    let (diagnostics, quarantined) = sink.take();
    assert!(quarantined.is_empty());
    (out.documents, diagnostics)
}

fn reviews() -> Vec<Document> {
    vec![
        doc(
            2,
            "Order 4410023381 arrived 2024-03-05, call me at +55 11 91234-5678 or a.b@example.com",
            Some("Entrega: Rua Augusta, 1500"),
        ),
        doc(3, "Produto ótimo, paguei R$ 1.234,56", None),
        doc(
            4,
            "card 4111 1111 1111 1111 charged twice",
            Some("ana@x.com.br"),
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// config and plugin info

#[test]
fn the_example_validates_and_names_every_key() {
    let value = config_value(INFO.example);
    let config: Config = config::deserialize(&value).expect("example validates");
    assert_eq!(config, Config::default());
    for key in INFO.keys {
        assert!(
            value.get(key.name).is_some(),
            "key `{}` is documented but missing from the example",
            key.name
        );
        assert!(!key.doc.is_empty() && !key.ty.is_empty());
        let default = key.default.expect("every key is optional");
        let only_default = config_value(&format!("{} = {default}", key.name));
        assert_eq!(
            config::deserialize::<Config>(&only_default).unwrap(),
            Config::default(),
            "documented default of `{}`",
            key.name
        );
    }
    assert_eq!(INFO.type_name, "redact_pii");
    assert!(!INFO.example.contains("type"));
}

#[test]
fn an_empty_table_gives_the_defaults() {
    let config: Config = config::deserialize(&config_value("")).unwrap();
    assert_eq!(
        config,
        Config {
            kinds: vec![Kind::Email, Kind::Phone, Kind::Card, Kind::Address],
            fields: vec![Field::Text, Field::Title],
        }
    );
}

#[test]
fn unknown_keys_and_kinds_are_rejected_by_name() {
    let messages = |body: &str| -> Vec<String> {
        config::deserialize::<Config>(&config_value(body))
            .unwrap_err()
            .0
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    let unknown_key = messages("kind = [\"email\"]");
    assert!(
        unknown_key[0].contains("unknown field `kind`"),
        "{unknown_key:?}"
    );
    let unknown_kind = messages("kinds = [\"email\", \"name\"]");
    assert!(
        unknown_kind[0].starts_with("kinds[1]: unknown variant `name`"),
        "{unknown_kind:?}"
    );
    let unknown_field = messages("fields = [\"body\"]");
    assert!(
        unknown_field[0].contains("unknown variant `body`, expected `text` or `title`"),
        "{unknown_field:?}"
    );
}

#[test]
fn empty_lists_are_rejected_at_build() {
    let errors = try_build("kinds = []\nfields = []")
        .err()
        .expect("rejected")
        .0;
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("kinds: is empty"), "{messages:?}");
    assert!(messages[1].starts_with("fields: is empty"), "{messages:?}");
}

#[test]
fn register_adds_one_preprocessor() {
    let mut registry = Registry::new();
    restock_privacy::register(&mut registry);
    let plugins = registry.plugins();
    assert_eq!(plugins.len(), 1);
    assert_eq!(plugins[0].1.type_name, "redact_pii");
}

// ---------------------------------------------------------------------------------------------
// redaction

#[tokio::test]
async fn text_and_title_are_redacted_and_counts_reported_without_values() {
    let (out, diagnostics) = run(build("").as_ref(), reviews()).await;
    assert_eq!(
        out[0].text,
        "Order 4410023381 arrived 2024-03-05, call me at [PHONE] or [EMAIL]"
    );
    assert_eq!(out[0].title.as_deref(), Some("Entrega: [ADDRESS]"));
    assert_eq!(out[1].text, "Produto ótimo, paguei R$ 1.234,56");
    assert_eq!(out[2].text, "card [CARD] charged twice");
    assert_eq!(out[2].title.as_deref(), Some("[EMAIL]"));
    assert_eq!(diagnostics.len(), 1);
    let d = &diagnostics[0];
    assert_eq!(
        d.message,
        "redacted 5 values in 2 of 3 documents: 2 email, 1 card, 1 phone, 1 address"
    );
    assert_eq!(d.severity, Severity::Info);
    assert_eq!(d.component, "privacy");
    for value in ["91234", "example.com", "Augusta", "4111", "ana@"] {
        assert!(!d.message.contains(value), "{value} leaked: {}", d.message);
    }
}

#[tokio::test]
async fn only_the_fields_and_kinds_asked_for_are_touched() {
    let (out, diagnostics) = run(
        build("kinds = [\"email\"]\nfields = [\"text\"]").as_ref(),
        reviews(),
    )
    .await;
    assert_eq!(
        out[0].text,
        "Order 4410023381 arrived 2024-03-05, call me at +55 11 91234-5678 or [EMAIL]"
    );
    assert_eq!(out[0].title.as_deref(), Some("Entrega: Rua Augusta, 1500"));
    assert_eq!(out[2].title.as_deref(), Some("ana@x.com.br"));
    assert_eq!(
        diagnostics[0].message,
        "redacted 1 value in 1 of 3 documents: 1 email"
    );

    let (out, _) = run(build("fields = [\"title\"]").as_ref(), reviews()).await;
    assert!(out[0].text.contains("+55 11 91234-5678"));
    assert_eq!(out[0].title.as_deref(), Some("Entrega: [ADDRESS]"));
}

#[tokio::test]
async fn other_records_pass_through_and_nothing_is_dropped() {
    let sale = Sale {
        product_id: "p1".into(),
        date: as_of(),
        quantity: 2.0,
        unit_price: None,
        order_id: Some("a.b@example.com".into()),
        provenance: Provenance::at("sales.csv", 2),
    };
    let dataset = Dataset {
        documents: vec![doc(2, "", None), doc(3, "x@y.com", None)],
        sales: vec![sale.clone()],
        ..Dataset::default()
    };
    let ctx = Context::new(as_of(), Arc::new(MemorySink::default()));
    let out = RedactPii::new(Config::default())
        .process(dataset, &ctx)
        .await
        .unwrap();
    assert_eq!(out.sales, [sale]);
    assert_eq!(out.documents.len(), 2);
    assert_eq!(out.documents[1].text, "[EMAIL]");
}

#[tokio::test]
async fn a_cancelled_run_stops() {
    let ctx = Context::new(as_of(), Arc::new(MemorySink::default()));
    ctx.cancel();
    let dataset = Dataset {
        documents: reviews(),
        ..Dataset::default()
    };
    let err = RedactPii::new(Config::default())
        .process(dataset, &ctx)
        .await
        .unwrap_err();
    assert!(matches!(err, restock_core::Error::Cancelled), "{err}");
}
