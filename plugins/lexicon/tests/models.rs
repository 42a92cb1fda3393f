//! The `lexicon_sentiment` and `review_signals` models on small datasets: per-document scores
//! come from the analyzer, and the per-item summaries follow from them by the documented rules.

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use restock_core::context::MemorySink;
use restock_core::{
    Context, Dataset, Document, DocumentKind, Grouping, Model, Outlook, Product, Provenance,
    SignalKind,
};
use restock_lexicon::vader::{Analyzer, Language, Options};
use restock_lexicon::{LexiconSentiment, ReviewSignals};

fn doc(id: &str, product: &str, day: u32, text: &str, lang: Option<&str>) -> Document {
    Document {
        id: id.into(),
        product_id: Some(product.into()),
        kind: DocumentKind::Review,
        title: None,
        text: text.into(),
        rating: Some(3.0),
        created_at: Utc.with_ymd_and_hms(2018, 8, day, 12, 0, 0).unwrap(),
        lang: lang.map(str::to_owned),
        extra: Default::default(),
        provenance: Provenance::at("reviews.csv", u64::from(day)),
    }
}

fn dataset() -> Dataset {
    Dataset {
        documents: vec![
            doc(
                "r1",
                "p1",
                1,
                "Produto excelente, chegou antes do prazo. Recomendo!",
                None,
            ),
            doc(
                "r2",
                "p1",
                20,
                "Péssimo, veio quebrado e a loja não responde.",
                None,
            ),
            doc(
                "r3",
                "p2",
                25,
                "The blender broke after two days. Terrible.",
                Some("en"),
            ),
            doc(
                "r4",
                "p2",
                26,
                "Great gift for my wife, she loves it",
                Some("en"),
            ),
            // The same review of an order with two products of one category: counted once.
            doc("r5", "p3", 27, "Não recebi o produto até hoje", None),
            doc("r5", "p1", 27, "Não recebi o produto até hoje", None),
            doc("r6", "p2", 28, "", None),
        ],
        products: vec![
            product("p1", "casa"),
            product("p2", "kitchen"),
            product("p3", "casa"),
        ],
        ..Dataset::default()
    }
}

fn product(id: &str, category: &str) -> Product {
    Product {
        id: id.into(),
        title: None,
        category: Some(category.into()),
        price: None,
        provenance: Provenance::of("products.csv"),
    }
}

fn ctx() -> (Context, Arc<MemorySink>) {
    let sink = Arc::new(MemorySink::default());
    let as_of = NaiveDate::from_ymd_opt(2018, 9, 1).unwrap();
    (Context::new(as_of, sink.clone()), sink)
}

fn config<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap()
}

#[tokio::test]
async fn sentiment_per_category_follows_from_the_document_scores() {
    let model = LexiconSentiment::new(
        config(r#"{"group_by": "category", "fallback_language": "pt", "half_life_days": 10}"#),
        "sentiment",
    )
    .unwrap();
    let (ctx, _sink) = ctx();
    let mut outlook = Outlook::default();
    let data = dataset();
    model.assess(&data, &mut outlook, &ctx).await.unwrap();
    assert_eq!(outlook.grouping, Grouping::Category);

    let pt = Analyzer::new(Language::Portuguese, Options::default());
    let en = Analyzer::new(Language::English, Options::default());
    // Each id is scored once, with the lexicon of its language.
    assert_eq!(outlook.documents.len(), 5);
    assert_eq!(outlook.documents["r3"].lang, "en");
    assert!(!outlook.documents["r3"].detected);
    assert_eq!(outlook.documents["r2"].lang, "pt");
    assert_eq!(
        outlook.documents["r2"].scores,
        pt.polarity_scores(&data.documents[1].text)
    );
    assert_eq!(
        outlook.documents["r4"].scores,
        en.polarity_scores(&data.documents[3].text)
    );
    assert!(
        !outlook.documents.contains_key("r6"),
        "empty texts are not scored"
    );

    // casa: r1, r2 and r5 (once, although two of its products were in the order).
    let casa = &outlook.items["casa"].sentiment.as_ref().unwrap().value;
    assert_eq!(casa.documents, 3);
    let scores: Vec<(f64, u32)> = [("r1", 1), ("r2", 20), ("r5", 27)]
        .iter()
        .map(|(id, day)| (outlook.documents[*id].scores.compound, *day))
        .collect();
    let mean = scores.iter().map(|s| s.0).sum::<f64>() / 3.0;
    assert!((casa.mean_compound - mean).abs() < 1e-12);
    // Weights 2^(-age/10), age in days before 2018-09-01.
    let (mut num, mut den) = (0.0, 0.0);
    for (c, day) in &scores {
        let w = 0.5f64.powf(f64::from(32 - day) / 10.0);
        num += w * c;
        den += w;
    }
    assert!((casa.recency_weighted_compound - num / den).abs() < 1e-12);
    let positive = scores.iter().filter(|s| s.0 >= 0.05).count() as f64 / 3.0;
    let negative = scores.iter().filter(|s| s.0 <= -0.05).count() as f64 / 3.0;
    assert_eq!(
        (casa.positive_share, casa.negative_share),
        (positive, negative)
    );
    assert_eq!(casa.languages.get("pt"), Some(&3));
    // No demand model ran, so there are no periods to test a trend over.
    assert!(casa.trend.is_none());
    // The most negative review is cited.
    assert!(outlook.items["casa"].evidence.contains(&"r2".to_owned()));
}

#[tokio::test]
async fn signals_are_counted_per_item_with_evidence() {
    let model = ReviewSignals::new(
        config(r#"{"group_by": "category", "fallback_language": "pt"}"#),
        "signals",
    )
    .unwrap();
    let (ctx, _sink) = ctx();
    let mut outlook = Outlook::default();
    model.assess(&dataset(), &mut outlook, &ctx).await.unwrap();
    let kinds = |item: &str| -> Vec<(SignalKind, usize, Vec<String>)> {
        outlook.items[item]
            .signals
            .iter()
            .map(|s| (s.value.kind, s.value.documents, s.value.evidence.clone()))
            .collect()
    };
    assert_eq!(
        kinds("casa"),
        [
            (SignalKind::Delivery, 1, vec!["r5".to_owned()]),
            (SignalKind::Quality, 1, vec!["r2".to_owned()]),
        ]
    );
    assert_eq!(
        kinds("kitchen"),
        [
            (SignalKind::Quality, 1, vec!["r3".to_owned()]),
            (SignalKind::Gifting, 1, vec!["r4".to_owned()]),
        ]
    );
    let share = outlook.items["kitchen"].signals[0].value.share;
    assert_eq!(share, 0.5, "1 of kitchen's 2 documents with text");
}

#[tokio::test]
async fn the_sentiment_trend_runs_over_the_sales_models_weeks() {
    use restock_core::{DemandRate, Period, Tagged};
    // Eight weeks from Monday 2018-07-02, one review a week, turning from bad to good.
    let texts = [
        "Horrível, quebrou no primeiro dia",
        "Péssimo produto, não recomendo",
        "Ruim, veio com defeito",
        "Mais ou menos",
        "Bom produto",
        "Muito bom, gostei",
        "Ótimo, recomendo",
        "Excelente, perfeito, amei",
    ];
    let documents: Vec<Document> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut d = doc(&format!("w{i}"), "p1", 1, t, Some("pt"));
            d.created_at = Utc.with_ymd_and_hms(2018, 7, 2, 9, 0, 0).unwrap()
                + chrono::Duration::days(7 * i as i64 + 2);
            d
        })
        .collect();
    let data = Dataset {
        documents,
        ..Dataset::default()
    };
    let mut outlook = Outlook::default();
    outlook.item_mut("p1").demand = Some(Tagged {
        model: "sales".into(),
        value: DemandRate {
            period: Period::Week,
            periods: 8,
            from: NaiveDate::from_ymd_opt(2018, 7, 2).unwrap(),
            to: NaiveDate::from_ymd_opt(2018, 8, 26).unwrap(),
            mean: 1.0,
            std_dev: 0.0,
            units: 8.0,
            zero_share: 0.0,
        },
    });
    let model = LexiconSentiment::new(config(r#"{"min_periods": 6}"#), "sentiment").unwrap();
    let (ctx, _sink) = ctx();
    model.assess(&data, &mut outlook, &ctx).await.unwrap();
    let weekly: Vec<f64> = (0..8)
        .map(|i| outlook.documents[&format!("w{i}")].scores.compound)
        .collect();
    let expected = restock_stats::mann_kendall(&weekly);
    let trend = outlook.items["p1"]
        .sentiment
        .as_ref()
        .unwrap()
        .value
        .trend
        .clone()
        .expect("eight weeks with reviews are enough for a test");
    assert_eq!(
        (trend.n, trend.statistic, trend.p_value),
        (8, expected.s, expected.p_value)
    );
    assert_eq!(
        trend.direction,
        if expected.p_value < 0.05 && expected.s > 0.0 {
            restock_core::TrendDirection::Increase
        } else {
            restock_core::TrendDirection::Stable
        }
    );
}
