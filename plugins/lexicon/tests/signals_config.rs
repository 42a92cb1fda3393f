//! Manifest changes to the phrase lists: how `PhrasesConfig` deserialises (through the same
//! `ConfigValue` tree the runner builds from TOML) and how `extend` and `replace` apply.

use restock_core::SignalKind::{self, Delivery, Gifting, Quality, StockOut};
use restock_core::config::{ConfigKey, ConfigKind, ConfigValue, deserialize};
use restock_lexicon::signals::{ChangeMode, Lang, PhraseChange, PhrasesConfig, SignalRules};

fn s(text: &str) -> ConfigValue {
    ConfigValue::new(ConfigKind::String(text.to_owned()), 0..0)
}

fn array(items: &[&str]) -> ConfigValue {
    ConfigValue::new(
        ConfigKind::Array(items.iter().map(|i| s(i)).collect()),
        0..0,
    )
}

fn table(entries: Vec<(&str, ConfigValue)>) -> ConfigValue {
    let entries = entries
        .into_iter()
        .map(|(k, v)| {
            (
                ConfigKey {
                    name: k.to_owned(),
                    span: 0..0,
                },
                v,
            )
        })
        .collect();
    ConfigValue::new(ConfigKind::Table(entries), 0..0)
}

#[test]
fn deserialises_the_manifest_shape() {
    // phrases = { stock_out = { pt = ["acabou o estoque"], mode = "extend" } }
    let value = table(vec![(
        "stock_out",
        table(vec![
            ("pt", array(&["acabou o estoque"])),
            ("mode", s("extend")),
        ]),
    )]);
    let config: PhrasesConfig = deserialize(&value).expect("a valid config");
    assert_eq!(
        config.stock_out,
        Some(PhraseChange {
            en: None,
            pt: Some(vec!["acabou o estoque".to_owned()]),
            mode: ChangeMode::Extend,
        })
    );
    assert_eq!(config.change(Delivery), None);
}

#[test]
fn mode_defaults_to_extend() {
    let value = table(vec![("gifting", table(vec![("en", array(&["xmas"]))]))]);
    let config: PhrasesConfig = deserialize(&value).unwrap();
    assert_eq!(config.gifting.unwrap().mode, ChangeMode::Extend);
}

#[test]
fn unknown_kinds_keys_and_modes_are_rejected_with_their_path() {
    let bad_kind = table(vec![("stockout", table(vec![("pt", array(&["x"]))]))]);
    let errors = deserialize::<PhrasesConfig>(&bad_kind)
        .unwrap_err()
        .to_string();
    assert!(errors.contains("stockout"), "{errors}");

    let bad_key = table(vec![("quality", table(vec![("es", array(&["x"]))]))]);
    let errors = deserialize::<PhrasesConfig>(&bad_key)
        .unwrap_err()
        .to_string();
    assert!(errors.contains("es"), "{errors}");

    let bad_mode = table(vec![("quality", table(vec![("mode", s("append"))]))]);
    let errors = deserialize::<PhrasesConfig>(&bad_mode)
        .unwrap_err()
        .to_string();
    assert!(errors.contains("append"), "{errors}");
}

#[test]
fn deserialises_from_json_too() {
    let config: PhrasesConfig =
        serde_json::from_str(r#"{"quality": {"en": ["wobbly"], "pt": [], "mode": "replace"}}"#)
            .unwrap();
    let change = config.quality.unwrap();
    assert_eq!(change.mode, ChangeMode::Replace);
    assert_eq!(change.pt, Some(vec![]));
}

fn change(en: Option<&[&str]>, pt: Option<&[&str]>, mode: ChangeMode) -> PhraseChange {
    let list = |l: Option<&[&str]>| l.map(|l| l.iter().map(|p| p.to_string()).collect());
    PhraseChange {
        en: list(en),
        pt: list(pt),
        mode,
    }
}

#[test]
fn extend_adds_to_the_defaults() {
    let config = PhrasesConfig {
        stock_out: Some(change(
            None,
            Some(&["acabou o estoque"]),
            ChangeMode::Extend,
        )),
        ..Default::default()
    };
    let rules = SignalRules::new(&config).unwrap();
    let defaults = SignalRules::defaults();
    assert_eq!(
        rules.phrases(StockOut, Lang::Pt).len(),
        defaults.phrases(StockOut, Lang::Pt).len(),
        "\"acabou o estoque\" is already a default: no repeat"
    );
    let config = PhrasesConfig {
        stock_out: Some(change(None, Some(&["zerou o estoque"]), ChangeMode::Extend)),
        ..Default::default()
    };
    let rules = SignalRules::new(&config).unwrap();
    assert_eq!(
        rules.phrases(StockOut, Lang::Pt).last().map(String::as_str),
        Some("zerou o estoque")
    );
    assert_eq!(rules.detect("zerou o estoque", Lang::Pt), [StockOut]);
    assert!(defaults.detect("zerou o estoque", Lang::Pt).is_empty());
    // Defaults still work, and the other language is untouched.
    assert_eq!(rules.detect("sem estoque", Lang::Pt), [StockOut]);
    assert_eq!(
        rules.phrases(StockOut, Lang::En),
        defaults.phrases(StockOut, Lang::En)
    );
}

#[test]
fn replace_swaps_the_lists_it_names_only() {
    let config = PhrasesConfig {
        gifting: Some(change(Some(&["xmas"]), Some(&[]), ChangeMode::Replace)),
        quality: Some(change(None, Some(&["bichado"]), ChangeMode::Replace)),
        ..Default::default()
    };
    let rules = SignalRules::new(&config).unwrap();
    assert_eq!(rules.phrases(Gifting, Lang::En), ["xmas"]);
    assert!(rules.phrases(Gifting, Lang::Pt).is_empty());
    assert!(rules.detect("comprei para presente", Lang::Pt).is_empty());
    assert_eq!(rules.detect("a xmas treat", Lang::En), [Gifting]);
    assert!(rules.detect("a gift", Lang::En).is_empty());
    assert_eq!(rules.phrases(Quality, Lang::Pt), ["bichado"]);
    assert!(rules.detect("veio quebrado", Lang::Pt).is_empty());
    assert_eq!(rules.detect("veio quebrado", Lang::En), []);
    assert!(!rules.phrases(Quality, Lang::En).is_empty());
}

#[test]
fn bad_phrases_are_named_in_the_error() {
    for (phrase, expected) in [
        ("* chegou", "phrases.delivery.pt: \"* chegou\""),
        ("", "phrases.delivery.pt: \"\""),
        ("ab*", "phrases.delivery.pt: \"ab*\""),
        ("!", "phrases.delivery.pt: \"!\""),
    ] {
        let config = PhrasesConfig {
            delivery: Some(change(None, Some(&[phrase]), ChangeMode::Extend)),
            ..Default::default()
        };
        let error = SignalRules::new(&config).unwrap_err();
        assert!(error.starts_with(expected), "{error}");
    }
}

#[test]
fn exclusions_from_the_manifest() {
    // A shop whose product is literally called "presente" can stop it counting as a gift.
    let config = PhrasesConfig {
        gifting: Some(change(None, Some(&["!kit presente"]), ChangeMode::Extend)),
        ..Default::default()
    };
    let rules = SignalRules::new(&config).unwrap();
    assert!(rules.detect("o kit presente chegou", Lang::Pt).is_empty());
    assert_eq!(rules.detect("era um presente", Lang::Pt), [Gifting]);
}

#[test]
fn every_default_phrase_matches_itself() {
    // A phrase that cannot match its own text is a typo (or a stem/wildcard to spell out).
    let rules = SignalRules::defaults();
    for lang in Lang::ALL {
        for kind in SignalKind::ALL {
            for phrase in rules.phrases(kind, lang) {
                if phrase.starts_with('!') || phrase.contains('*') || phrase.contains("...") {
                    continue;
                }
                let found = rules.matches(phrase, lang);
                assert!(
                    found.iter().any(|m| m.kind == kind && m.phrase == *phrase),
                    "{} {}: {phrase:?} does not match itself",
                    lang.as_str(),
                    kind.as_str()
                );
            }
        }
    }
}
