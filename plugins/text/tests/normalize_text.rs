//! `normalize_text` end to end: built from config through the registry, run on a dataset,
//! diagnostics inspected.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{NaiveDate, TimeZone, Utc};
use restock_core::config::{self, ConfigKey, ConfigKind};
use restock_core::{
    BuildContext, ConfigValue, Context, Dataset, Diagnostic, Document, DocumentKind, Error,
    MemorySink, Preprocessor, Progress, ProgressFactory, Provenance, Registry, Sale, Severity,
};
use restock_text::{Config, EmptyPolicy, INFO, NormalizeText, UnicodeForm};

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

fn build(toml_body: &str) -> Box<dyn Preprocessor> {
    let mut registry = Registry::new();
    restock_text::register(&mut registry);
    let ctx = BuildContext {
        base_dir: PathBuf::from("."),
        component: "clean".into(),
    };
    registry
        .preprocessors
        .build("normalize_text", &config_value(toml_body), &ctx)
        .expect("normalize_text is registered")
        .expect("config is valid")
}

fn doc(line: u64, text: &str, title: Option<&str>, rating: Option<f64>) -> Document {
    Document {
        id: format!("r{line}"),
        product_id: Some("p1".into()),
        kind: DocumentKind::Review,
        title: title.map(str::to_owned),
        text: text.to_owned(),
        rating,
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
    let ctx = Context::new(as_of(), sink.clone()).for_component("clean");
    let dataset = Dataset {
        documents,
        ..Dataset::default()
    };
    let out = preprocessor.process(dataset, &ctx).await.expect("process");
    let (diagnostics, quarantined) = sink.take();
    assert!(quarantined.is_empty());
    (out.documents, diagnostics)
}

fn texts(documents: &[Document]) -> Vec<&str> {
    documents.iter().map(|d| d.text.as_str()).collect()
}

// ---------------------------------------------------------------------------------------------
// config and plugin info

#[test]
fn the_example_validates_and_names_every_key() {
    let value = config_value(INFO.example);
    let config: Config = config::deserialize(&value).expect("example validates");
    assert_eq!(config.empty, EmptyPolicy::KeepRated);
    for key in INFO.keys {
        assert!(
            value.get(key.name).is_some(),
            "key `{}` is documented but missing from the example",
            key.name
        );
        assert!(!key.doc.is_empty() && !key.ty.is_empty());
        // The documented default is what an empty table gives.
        let default = key.default.expect("every key is optional");
        let only_default = config_value(&format!("{} = {default}", key.name));
        assert_eq!(
            config::deserialize::<Config>(&only_default).unwrap(),
            Config::default(),
            "documented default of `{}`",
            key.name
        );
    }
    for (key, _) in match &value.kind {
        ConfigKind::Table(entries) => entries,
        _ => unreachable!(),
    } {
        assert!(
            INFO.keys.iter().any(|k| k.name == key.name),
            "example key `{}` is undocumented",
            key.name
        );
    }
    assert_eq!(INFO.type_name, "normalize_text");
    assert!(!INFO.example.contains("type"));
}

#[test]
fn an_empty_table_gives_the_defaults() {
    let config: Config = config::deserialize(&config_value("")).unwrap();
    assert_eq!(
        config,
        Config {
            html: true,
            unicode: UnicodeForm::Nfkc,
            whitespace: true,
            empty: EmptyPolicy::Drop,
        }
    );
}

#[test]
fn unknown_keys_and_bad_values_are_rejected_by_name() {
    let errors = config::deserialize::<Config>(&config_value(
        "htm = true\nunicode = \"nfd\"\nempty = \"keep_rated\"",
    ))
    .unwrap_err()
    .0;
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 2, "{messages:?}");
    assert!(messages[0].contains("unknown field `htm`"), "{messages:?}");
    assert!(
        messages[1].starts_with("unicode: unknown variant `nfd`"),
        "{messages:?}"
    );
}

#[test]
fn register_adds_one_preprocessor() {
    let mut registry = Registry::new();
    restock_text::register(&mut registry);
    let plugins = registry.plugins();
    assert_eq!(plugins.len(), 1);
    assert_eq!(plugins[0].1.type_name, "normalize_text");
    assert!(registry.preprocessors.contains("normalize_text"));
}

// ---------------------------------------------------------------------------------------------
// cleaning

#[tokio::test]
async fn html_is_stripped_and_entities_decoded() {
    let clean = build("");
    let (out, _) = run(
        clean.as_ref(),
        vec![
            doc(
                2,
                "<p>&#39;Five stars&#39; &amp; fast shipping</p><style>p{color:red}</style>\
                 <script>x()</script> &lt;3",
                None,
                Some(5.0),
            ),
            doc(3, "a<br>b", None, None),
            doc(4, "<div>one</div><div>two</div>", None, None),
        ],
    )
    .await;
    assert_eq!(
        texts(&out),
        ["'Five stars' & fast shipping <3", "a b", "one two"]
    );
}

#[tokio::test]
async fn whitespace_and_unicode_are_normalised_and_non_ascii_kept() {
    let clean = build("");
    let (out, diagnostics) = run(
        clean.as_ref(),
        vec![
            doc(2, "Produto   chegou\n\nantes do prazo!", None, Some(5.0)),
            doc(3, "não", None, Some(4.0)),
            doc(4, "ＡＢＣ", None, None),
            doc(5, "ﬁ", None, None),
            doc(6, "很好 👍&nbsp;😀", None, None),
        ],
    )
    .await;
    assert_eq!(
        texts(&out),
        [
            "Produto chegou antes do prazo!",
            "não",
            "ABC",
            "fi",
            "很好 👍 😀"
        ]
    );
    assert_eq!(
        diagnostics[0].message,
        "changed the text or title of 4 of 5 documents"
    );
    assert_eq!(diagnostics[0].severity, Severity::Info);
    assert_eq!(diagnostics[0].component, "clean");
}

#[tokio::test]
async fn nfc_keeps_compatibility_characters() {
    let clean = build("unicode = \"nfc\"");
    let (out, _) = run(
        clean.as_ref(),
        vec![doc(2, "ﬁ ＡＢＣ na\u{303}o", None, None)],
    )
    .await;
    assert_eq!(texts(&out), ["ﬁ ＡＢＣ não"]);
}

#[tokio::test]
async fn titles_are_cleaned_and_emptied_titles_become_none() {
    let clean = build("");
    let (out, _) = run(
        clean.as_ref(),
        vec![
            doc(2, "ok", Some("<b>Great</b>&nbsp; value"), None),
            doc(3, "ok", Some(" <br> "), None),
            doc(4, "", Some("Title only"), None),
        ],
    )
    .await;
    let titles: Vec<Option<&str>> = out.iter().map(|d| d.title.as_deref()).collect();
    assert_eq!(titles, [Some("Great value"), None, Some("Title only")]);
    assert_eq!(out[2].text, "");
}

// ---------------------------------------------------------------------------------------------
// empty documents

fn three_documents() -> Vec<Document> {
    vec![
        doc(2, "  <p> </p>\n", None, Some(1.0)),
        doc(3, "", Some("&nbsp;"), None),
        doc(4, "Chegou rápido", None, None),
    ]
}

#[tokio::test]
async fn drop_drops_every_empty_document() {
    let (out, diagnostics) = run(build("empty = \"drop\"").as_ref(), three_documents()).await;
    assert_eq!(texts(&out), ["Chegou rápido"]);
    let dropped = diagnostics
        .iter()
        .find(|d| d.message.starts_with("dropped"))
        .expect("a diagnostic about the dropped documents");
    assert_eq!(
        dropped.message,
        "dropped 2 documents with empty text and no title: reviews.csv:2, reviews.csv:3"
    );
    assert_eq!(dropped.severity, Severity::Info);
}

#[tokio::test]
async fn keep_rated_keeps_rating_only_reviews() {
    let (out, diagnostics) = run(build("empty = \"keep_rated\"").as_ref(), three_documents()).await;
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].rating, Some(1.0));
    assert_eq!(out[0].text, "");
    let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "changed the text or title of 2 of 3 documents",
            "dropped 1 document with empty text, no title and no rating: reviews.csv:3",
            "kept 1 document with a rating but empty text and no title: reviews.csv:2",
        ]
    );
    // A single dropped document is located.
    assert_eq!(
        diagnostics[1].location,
        Some(Provenance::at("reviews.csv", 3))
    );
}

#[tokio::test]
async fn keep_keeps_everything() {
    let (out, diagnostics) = run(build("empty = \"keep\"").as_ref(), three_documents()).await;
    assert_eq!(out.len(), 3);
    assert!(!diagnostics.iter().any(|d| d.message.starts_with("dropped")));
    assert!(diagnostics.iter().any(|d| d.message
        == "kept 2 documents with empty text and no title: reviews.csv:2, reviews.csv:3"));
}

#[tokio::test]
async fn many_dropped_documents_are_summarised() {
    let documents = (2..12).map(|line| doc(line, "", None, None)).collect();
    let (out, diagnostics) = run(build("").as_ref(), documents).await;
    assert!(out.is_empty());
    assert!(diagnostics.iter().any(|d| d.message
        == "dropped 10 documents with empty text and no title: \
            reviews.csv:2, reviews.csv:3, reviews.csv:4 and 7 more"
        && d.location.is_none()));
}

// ---------------------------------------------------------------------------------------------
// the rest of the dataset, progress, cancellation

#[tokio::test]
async fn other_records_pass_through() {
    let sale = Sale {
        product_id: "p1".into(),
        date: as_of(),
        quantity: 2.0,
        unit_price: None,
        order_id: None,
        provenance: Provenance::at("sales.csv", 2),
    };
    let dataset = Dataset {
        documents: vec![doc(2, "&lt;ok&gt;", None, None)],
        sales: vec![sale.clone()],
        ..Dataset::default()
    };
    let ctx = Context::new(as_of(), Arc::new(MemorySink::default()));
    let out = NormalizeText::new(Config::default())
        .process(dataset, &ctx)
        .await
        .unwrap();
    assert_eq!(out.sales, [sale]);
    assert_eq!(out.documents[0].text, "<ok>");
}

#[derive(Default)]
struct Counting {
    started: Mutex<Vec<(String, Option<u64>)>>,
    done: Arc<AtomicU64>,
}

struct Counter(Arc<AtomicU64>);

impl Progress for Counter {
    fn inc(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }
}

impl ProgressFactory for Counting {
    fn start(&self, label: &str, len: Option<u64>) -> Box<dyn Progress> {
        self.started.lock().unwrap().push((label.to_owned(), len));
        Box::new(Counter(self.done.clone()))
    }
}

#[tokio::test]
async fn long_inputs_show_progress_to_the_end() {
    let n = 5_000u64;
    let progress = Arc::new(Counting::default());
    let ctx = Context::new(as_of(), Arc::new(MemorySink::default()))
        .with_services(progress.clone(), PathBuf::from("cache"), Arc::new(|_| None))
        .for_component("clean");
    let dataset = Dataset {
        documents: (0..n).map(|i| doc(i + 2, "a  b", None, None)).collect(),
        ..Dataset::default()
    };
    let out = NormalizeText::new(Config::default())
        .process(dataset, &ctx)
        .await
        .unwrap();
    assert_eq!(out.documents.len() as u64, n);
    assert_eq!(
        *progress.started.lock().unwrap(),
        [("clean: cleaning text".to_owned(), Some(n))]
    );
    assert_eq!(progress.done.load(Ordering::Relaxed), n);
}

#[tokio::test]
async fn a_cancelled_run_stops() {
    let ctx = Context::new(as_of(), Arc::new(MemorySink::default()));
    ctx.cancel();
    let dataset = Dataset {
        documents: vec![doc(2, "x", None, None)],
        ..Dataset::default()
    };
    let result = NormalizeText::new(Config::default())
        .process(dataset, &ctx)
        .await;
    assert!(matches!(result, Err(Error::Cancelled)));
}
