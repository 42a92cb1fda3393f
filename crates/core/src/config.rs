//! Component configuration as a tree that remembers where each value was written.
//!
//! The runner parses the manifest (TOML) into a [`ConfigValue`] tree whose nodes carry byte
//! spans into the manifest's text. A plugin's typed config is deserialised from that tree with
//! serde (`#[serde(deny_unknown_fields)]` recommended), and every error comes back as a
//! [`ConfigError`] with the key path and the span of the key or value at fault, which the runner
//! turns into `file:line:col`.
//!
//! Why a tree of our own instead of the TOML crate's: serde's internally tagged enums and
//! `flatten` buffer their input and lose spans, and plugins must not depend on TOML. The runner
//! takes `type` and `name` out of each component table and hands the rest here.
//!
//! [`deserialize`] reports more than the first error: after an error at a key it removes that
//! key and tries again, so a misspelled key and a wrong type in one table are both reported.

use std::fmt;
use std::ops::Range;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};

/// Byte offsets into the manifest's text.
pub type Span = Range<usize>;

/// A configuration value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigValue {
    /// Byte span of the value in the manifest (empty for values made by the runner).
    pub span: Span,
    /// The value.
    pub kind: ConfigKind,
    /// True when the value came from an environment variable: errors never show it.
    pub from_env: bool,
}

/// The shapes a configuration value can take (TOML's).
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigKind {
    /// A string.
    String(String),
    /// A 64-bit integer.
    Integer(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Boolean(bool),
    /// A date, time or date-time, as written (RFC 3339 form).
    Datetime(String),
    /// An array.
    Array(Vec<ConfigValue>),
    /// A table, keys in the order written.
    Table(Vec<(ConfigKey, ConfigValue)>),
}

/// A table key and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigKey {
    /// The key.
    pub name: String,
    /// Byte span of the key.
    pub span: Span,
}

impl ConfigValue {
    /// A value with `span`.
    pub fn new(kind: ConfigKind, span: Span) -> Self {
        Self {
            span,
            kind,
            from_env: false,
        }
    }

    /// The entry `key` of a table.
    pub fn get(&self, key: &str) -> Option<&ConfigValue> {
        match &self.kind {
            ConfigKind::Table(entries) => entries.iter().find(|(k, _)| k.name == key).map(|e| &e.1),
            _ => None,
        }
    }

    /// The span of the key `key` of a table.
    pub fn key_span(&self, key: &str) -> Option<Span> {
        match &self.kind {
            ConfigKind::Table(entries) => entries
                .iter()
                .find(|(k, _)| k.name == key)
                .map(|e| e.0.span.clone()),
            _ => None,
        }
    }

    /// Removes and returns the entry `key` of a table.
    pub fn remove(&mut self, key: &str) -> Option<ConfigValue> {
        match &mut self.kind {
            ConfigKind::Table(entries) => {
                let index = entries.iter().position(|(k, _)| k.name == key)?;
                Some(entries.remove(index).1)
            }
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ConfigKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value at `path` (keys, and `[i]` for array elements).
    pub fn find(&self, path: &[String]) -> Option<&ConfigValue> {
        let Some((first, rest)) = path.split_first() else {
            return Some(self);
        };
        let next = match (&self.kind, index_of(first)) {
            (ConfigKind::Array(items), Some(i)) => items.get(i),
            _ => self.get(first),
        }?;
        next.find(rest)
    }

    fn remove_path(&mut self, path: &[String]) -> bool {
        match path {
            [] => false,
            [last] => index_of(last).is_none() && self.remove(last).is_some(),
            [first, rest @ ..] => {
                let next = match &mut self.kind {
                    ConfigKind::Table(entries) => entries
                        .iter_mut()
                        .find(|(k, _)| &k.name == first)
                        .map(|e| &mut e.1),
                    ConfigKind::Array(items) => index_of(first).and_then(|i| items.get_mut(i)),
                    _ => None,
                };
                next.is_some_and(|v| v.remove_path(rest))
            }
        }
    }

    fn type_name(&self) -> &'static str {
        match self.kind {
            ConfigKind::String(_) => "string",
            ConfigKind::Integer(_) => "integer",
            ConfigKind::Float(_) => "float",
            ConfigKind::Boolean(_) => "boolean",
            ConfigKind::Datetime(_) => "datetime",
            ConfigKind::Array(_) => "array",
            ConfigKind::Table(_) => "table",
        }
    }
}

fn index_of(segment: &str) -> Option<usize> {
    segment.strip_prefix('[')?.strip_suffix(']')?.parse().ok()
}

/// Joins a key path for display: `columns.text`, `stages[2].name`.
pub fn display_path(path: &[String]) -> String {
    let mut out = String::new();
    for segment in path {
        if !out.is_empty() && !segment.starts_with('[') {
            out.push('.');
        }
        out.push_str(segment);
    }
    out
}

/// A configuration error: what is wrong, at which key path, and where in the manifest.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ConfigError {
    /// Key path inside the component's table (empty for the table itself).
    pub path: Vec<String>,
    /// Byte span in the manifest, when known.
    pub span: Option<Span>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", display_path(&self.path), self.message)
        }
    }
}

impl ConfigError {
    /// An error about the key at `path` (e.g. `["path"]` for a file that does not exist).
    /// The registry fills in the span from the configuration tree.
    pub fn at_key(path: &[&str], message: impl Into<String>) -> Self {
        Self {
            path: path.iter().map(|s| s.to_string()).collect(),
            span: None,
            message: message.into(),
        }
    }

    fn locate(mut self, path: &[String], value: &ConfigValue) -> Self {
        if self.span.is_none() {
            self.path = path.to_vec();
            self.span = Some(value.span.clone());
            if value.from_env {
                self.message = scrub(&self.message, value);
            }
        }
        self
    }
}

fn scrub(message: &str, value: &ConfigValue) -> String {
    match &value.kind {
        ConfigKind::String(secret) if !secret.is_empty() => {
            message.replace(secret.as_str(), "<value from environment not shown>")
        }
        _ => message.to_owned(),
    }
}

impl de::Error for ConfigError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self {
            path: Vec::new(),
            span: None,
            message: msg.to_string(),
        }
    }
}

/// Several configuration errors, reported together.
#[derive(Debug, Clone, Default, PartialEq, thiserror::Error)]
#[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl From<ConfigError> for ConfigErrors {
    fn from(error: ConfigError) -> Self {
        ConfigErrors(vec![error])
    }
}

/// Deserialises `T` from `value`, reporting every key error it can find (up to 32), each with
/// its path and span.
pub fn deserialize<T: DeserializeOwned>(value: &ConfigValue) -> Result<T, ConfigErrors> {
    let mut attempt = value.clone();
    let mut errors: Vec<ConfigError> = Vec::new();
    let mut removed: Vec<Vec<String>> = Vec::new();
    for _ in 0..32 {
        match T::deserialize(ValueDeserializer::new(&attempt)) {
            Ok(config) if errors.is_empty() => return Ok(config),
            Ok(_) => break,
            Err(error) => {
                // A key removed after an earlier error is now "missing": that is the same
                // mistake, already reported.
                if let Some(field) = missing_field(&error.message) {
                    let mut full = error.path.clone();
                    full.push(field.to_owned());
                    if removed.contains(&full) {
                        break;
                    }
                }
                let path = error.path.clone();
                errors.push(error);
                if !attempt.remove_path(&path) {
                    break;
                }
                removed.push(path);
            }
        }
    }
    Err(ConfigErrors(errors))
}

fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.strip_suffix('`')
}

/// A serde `Deserializer` over a [`ConfigValue`] that locates its errors.
pub struct ValueDeserializer<'a> {
    value: &'a ConfigValue,
    path: Vec<String>,
}

impl<'a> ValueDeserializer<'a> {
    /// A deserializer for the whole of `value`.
    pub fn new(value: &'a ConfigValue) -> Self {
        Self {
            value,
            path: Vec::new(),
        }
    }

    fn child(&self, segment: String, value: &'a ConfigValue) -> Self {
        let mut path = self.path.clone();
        path.push(segment);
        Self { value, path }
    }
}

impl<'de> de::Deserializer<'de> for ValueDeserializer<'de> {
    type Error = ConfigError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ConfigError> {
        let result = match &self.value.kind {
            ConfigKind::String(s) | ConfigKind::Datetime(s) => visitor.visit_borrowed_str(s),
            ConfigKind::Integer(i) => visitor.visit_i64(*i),
            ConfigKind::Float(f) => visitor.visit_f64(*f),
            ConfigKind::Boolean(b) => visitor.visit_bool(*b),
            ConfigKind::Array(items) => visitor.visit_seq(SeqDeserializer {
                items: items.iter().enumerate(),
                parent: &self,
            }),
            ConfigKind::Table(entries) => visitor.visit_map(MapDeserializer {
                entries: entries.iter(),
                pending: None,
                parent: &self,
            }),
        };
        result.map_err(|e| e.locate(&self.path, self.value))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ConfigError> {
        let (path, value) = (self.path.clone(), self.value);
        visitor.visit_some(self).map_err(|e| e.locate(&path, value))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ConfigError> {
        let (path, value) = (self.path.clone(), self.value);
        visitor
            .visit_newtype_struct(self)
            .map_err(|e| e.locate(&path, value))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ConfigError> {
        let result = match &self.value.kind {
            ConfigKind::String(s) => visitor.visit_enum(
                IntoDeserializer::<ConfigError>::into_deserializer(s.as_str()),
            ),
            ConfigKind::Table(entries) if entries.len() == 1 => {
                let (key, value) = &entries[0];
                visitor.visit_enum(TableEnum {
                    variant: &key.name,
                    value: self.child(key.name.clone(), value),
                })
            }
            _ => Err(de::Error::custom(format!(
                "invalid type: {}, expected a string naming one variant",
                self.value.type_name()
            ))),
        };
        result.map_err(|e| e.locate(&self.path, self.value))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ConfigError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

struct SeqDeserializer<'a, 'p> {
    items: std::iter::Enumerate<std::slice::Iter<'a, ConfigValue>>,
    parent: &'p ValueDeserializer<'a>,
}

impl<'de> SeqAccess<'de> for SeqDeserializer<'de, '_> {
    type Error = ConfigError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ConfigError> {
        match self.items.next() {
            Some((index, value)) => seed
                .deserialize(self.parent.child(format!("[{index}]"), value))
                .map(Some),
            None => Ok(None),
        }
    }
}

struct MapDeserializer<'a, 'p> {
    entries: std::slice::Iter<'a, (ConfigKey, ConfigValue)>,
    pending: Option<&'a (ConfigKey, ConfigValue)>,
    parent: &'p ValueDeserializer<'a>,
}

impl<'de> MapAccess<'de> for MapDeserializer<'de, '_> {
    type Error = ConfigError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ConfigError> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        self.pending = Some(entry);
        let key = de::value::BorrowedStrDeserializer::<ConfigError>::new(&entry.0.name);
        seed.deserialize(key).map(Some).map_err(|mut e| {
            if e.span.is_none() {
                e.path = self.parent.path.clone();
                e.path.push(entry.0.name.clone());
                e.span = Some(entry.0.span.clone());
            }
            e
        })
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, ConfigError> {
        let (key, value) = self
            .pending
            .take()
            .ok_or_else(|| de::Error::custom("value requested before its key"))?;
        seed.deserialize(self.parent.child(key.name.clone(), value))
    }
}

struct TableEnum<'a> {
    variant: &'a str,
    value: ValueDeserializer<'a>,
}

impl<'de> EnumAccess<'de> for TableEnum<'de> {
    type Error = ConfigError;
    type Variant = ValueDeserializer<'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), ConfigError> {
        let variant = seed.deserialize(de::value::BorrowedStrDeserializer::<ConfigError>::new(
            self.variant,
        ))?;
        Ok((variant, self.value))
    }
}

impl<'de> VariantAccess<'de> for ValueDeserializer<'de> {
    type Error = ConfigError;

    fn unit_variant(self) -> Result<(), ConfigError> {
        Err(de::Error::custom(
            "expected a plain string for this variant",
        ))
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, ConfigError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ConfigError> {
        de::Deserializer::deserialize_any(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ConfigError> {
        de::Deserializer::deserialize_any(self, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn s(v: &str, span: Span) -> ConfigValue {
        ConfigValue::new(ConfigKind::String(v.into()), span)
    }
    fn key(name: &str, span: Span) -> ConfigKey {
        ConfigKey {
            name: name.into(),
            span,
        }
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Cfg {
        path: String,
        #[serde(default)]
        limit: u32,
        #[serde(default)]
        mode: Option<Mode>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Mode {
        Fast,
        Exact,
    }

    #[test]
    fn every_key_error_is_reported_with_its_span() {
        let table = ConfigValue::new(
            ConfigKind::Table(vec![
                (key("path", 0..4), s("a.csv", 7..14)),
                (key("pth", 15..18), s("b.csv", 21..28)),
                (key("limit", 29..34), s("ten", 37..42)),
                (key("mode", 43..47), s("slow", 50..56)),
            ]),
            0..56,
        );
        let errors = deserialize::<Cfg>(&table).unwrap_err().0;
        let found: Vec<_> = errors
            .iter()
            .map(|e| (display_path(&e.path), e.span.clone().unwrap()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("pth".to_string(), 15..18),
                ("limit".to_string(), 37..42),
                ("mode".to_string(), 50..56),
            ]
        );
        assert!(
            errors[0].message.contains("unknown field `pth`"),
            "{}",
            errors[0]
        );
        assert!(errors[1].message.contains("expected u32"), "{}", errors[1]);
        assert!(
            errors[2].message.contains("unknown variant `slow`"),
            "{}",
            errors[2]
        );
    }

    #[test]
    fn a_removed_required_key_is_not_reported_twice() {
        let table = ConfigValue::new(
            ConfigKind::Table(vec![(
                key("path", 0..4),
                ConfigValue::new(ConfigKind::Integer(3), 7..8),
            )]),
            0..8,
        );
        let errors = deserialize::<Cfg>(&table).unwrap_err().0;
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].span, Some(7..8));
    }

    #[test]
    fn values_from_the_environment_are_never_shown() {
        let mut secret = s("sk-very-secret", 7..20);
        secret.from_env = true;
        let table = ConfigValue::new(
            ConfigKind::Table(vec![
                (key("path", 0..4), s("x", 0..1)),
                (key("limit", 5..10), secret),
            ]),
            0..20,
        );
        let errors = deserialize::<Cfg>(&table).unwrap_err().0;
        assert!(
            !errors[0].message.contains("sk-very-secret"),
            "{}",
            errors[0]
        );
    }
}
