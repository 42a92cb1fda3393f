//! Each plugin's self-description: the example deserialises and builds, the keys list covers the
//! config struct, and every required key appears in the example.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use restock_core::{PluginInfo, Registry};
use restock_files::{FilesConfig, JoinConfig};
use serde::Deserialize;
use serde::de::{self, Visitor};

fn infos() -> Vec<PluginInfo> {
    let mut registry = Registry::new();
    restock_files::register(&mut registry);
    registry.collectors.infos().copied().collect()
}

/// The field names serde's derive declares for `T`.
fn struct_fields<T: for<'de> Deserialize<'de>>() -> Vec<&'static str> {
    struct Probe<'a>(&'a mut Vec<&'static str>);

    impl<'de> de::Deserializer<'de> for Probe<'_> {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Self::Error> {
            self.0.extend_from_slice(fields);
            Err(de::Error::custom("probed"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }

    let mut fields = Vec::new();
    let _ = T::deserialize(Probe(&mut fields));
    fields
}

#[test]
fn both_types_are_registered_with_docs() {
    let names: Vec<_> = infos().iter().map(|i| i.type_name).collect();
    assert_eq!(names, ["csv", "jsonl"]);
    for info in infos() {
        assert!(
            !info.doc.is_empty() && !info.doc.contains('\n'),
            "{}",
            info.type_name
        );
        for key in info.keys {
            assert!(
                !key.doc.is_empty() && !key.doc.contains('\n'),
                "{}",
                key.name
            );
            assert!(!key.ty.is_empty(), "{}", key.name);
        }
    }
}

#[test]
fn examples_deserialise_and_keys_cover_the_config() {
    let top_fields = struct_fields::<FilesConfig>();
    let join_fields = struct_fields::<JoinConfig>();
    assert!(top_fields.contains(&"records") && join_fields.contains(&"on"));
    for info in infos() {
        let value = common::table(info.example);
        if let Err(errors) = restock_core::config::deserialize::<FilesConfig>(&value) {
            panic!("{} example does not deserialise: {errors}", info.type_name);
        }
        let example: toml::Table = info.example.parse().expect("example is TOML");
        assert!(!example.contains_key("type") && !example.contains_key("name"));
        let keys: BTreeSet<&str> = info.keys.iter().map(|k| k.name).collect();

        // Every key of the struct is documented (jsonl rejects `delimiter` at build time, so it
        // does not list it).
        for field in &top_fields {
            if info.type_name == "jsonl" && *field == "delimiter" {
                assert!(!keys.contains(field));
                continue;
            }
            assert!(
                keys.contains(field),
                "{}: key {field} undocumented",
                info.type_name
            );
        }
        for field in &join_fields {
            let dotted = format!("join.{field}");
            assert!(
                keys.contains(dotted.as_str()),
                "{}: {dotted} undocumented",
                info.type_name
            );
        }

        // Every documented key exists, and every required one appears in the example.
        let example_join = example.get("join").and_then(|j| j.as_table());
        for key in info.keys {
            match key.name.split_once('.') {
                None => {
                    assert!(top_fields.contains(&key.name), "{}", key.name);
                    if key.default.is_none() {
                        assert!(example.contains_key(key.name), "{} missing", key.name);
                    }
                }
                Some((parent, child)) => {
                    assert_eq!(parent, "join");
                    assert!(join_fields.contains(&child), "{}", key.name);
                    if let (None, Some(join)) = (key.default, example_join) {
                        assert!(join.contains_key(child), "{} missing", key.name);
                    }
                }
            }
        }
        for key in example.keys() {
            assert!(
                keys.contains(key.as_str()),
                "{}: example key {key}",
                info.type_name
            );
        }
    }
}

#[tokio::test]
async fn the_csv_example_builds_and_reads_the_olist_sample() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/olist");
    if !base.join("data/olist_order_reviews_dataset.csv").is_file() {
        println!("skipped: the Olist sample is not in {}", base.display());
        return;
    }
    let info = infos()
        .into_iter()
        .find(|i| i.type_name == "csv")
        .expect("csv");
    let got = common::collect("csv", info.example, &base).await;
    assert!(got.quarantined.is_empty());
    assert_eq!(got.dataset().documents.len(), 4122);
}

#[tokio::test]
async fn the_jsonl_example_builds_and_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("data")).expect("mkdir");
    let line = r#"{"overall": 5.0, "verified": true, "reviewTime": "06 12, 2018", "reviewerID": "A2SUAM1J3GNN3B", "asin": "0000013714", "reviewerName": "J. McDonald", "reviewText": "I bought this for my husband.", "summary": "Heavenly Highway Hymns", "unixReviewTime": 1528761600}"#;
    common::write(
        dir.path(),
        "data/reviews.jsonl.gz",
        common::gzip(format!("{line}\n").as_bytes()),
    );
    let info = infos()
        .into_iter()
        .find(|i| i.type_name == "jsonl")
        .expect("jsonl");
    let got = common::collect("jsonl", info.example, dir.path()).await;
    let docs = &got.dataset().documents;
    assert!(got.quarantined.is_empty(), "{:?}", got.quarantined);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].id, "A2SUAM1J3GNN3B");
    assert_eq!(docs[0].product_id.as_deref(), Some("0000013714"));
    assert_eq!(docs[0].title.as_deref(), Some("Heavenly Highway Hymns"));
    assert_eq!(docs[0].created_at.to_rfc3339(), "2018-06-12T00:00:00+00:00");
}
