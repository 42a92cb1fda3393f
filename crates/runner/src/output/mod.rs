//! Report writers: `json` (the whole report), `csv` (one table) and `markdown` (a planner's
//! summary). Each has a typed config like a plugin's; paths are relative to the output folder.

mod csv;
mod json;
mod markdown;

use std::path::{Path, PathBuf};

use restock_core::config::{self, ConfigErrors, ConfigValue};
use restock_core::{ConfigKeyDoc, Dataset, PluginInfo};

use crate::error::RunError;
use crate::report::Report;

pub use self::csv::{CsvConfig, CsvTable};
pub use self::json::JsonConfig;
pub use self::markdown::MarkdownConfig;

/// The output types, for `restock plugins` and "did you mean".
pub const TYPES: &[PluginInfo] = &[json::INFO, csv::INFO, markdown::INFO];

const PATH_KEY: ConfigKeyDoc = ConfigKeyDoc {
    name: "path",
    ty: "string",
    default: None,
    doc: "file to write, relative to the output folder (`[pipeline] out_dir` or `--out`)",
};

/// A configured report writer.
#[derive(Debug, Clone)]
pub enum Output {
    /// The whole report as JSON.
    Json(JsonConfig),
    /// One table as CSV.
    Csv(CsvConfig),
    /// A planner's summary in Markdown.
    Markdown(MarkdownConfig),
}

impl Output {
    /// Builds the output of `type_name` from its config; `None` for an unknown type.
    pub fn build(type_name: &str, value: &ConfigValue) -> Option<Result<Output, ConfigErrors>> {
        Some(match type_name {
            "json" => config::deserialize(value).map(Output::Json),
            "csv" => config::deserialize(value).map(Output::Csv),
            "markdown" => config::deserialize(value).map(Output::Markdown),
            _ => return None,
        })
    }

    /// The configured path, relative to the output folder.
    pub fn path(&self) -> &Path {
        match self {
            Output::Json(c) => &c.path,
            Output::Csv(c) => &c.path,
            Output::Markdown(c) => &c.path,
        }
    }

    /// Writes the output under `out_dir`; returns the file written.
    pub fn write(
        &self,
        report: &Report,
        dataset: &Dataset,
        out_dir: &Path,
    ) -> Result<PathBuf, RunError> {
        let path = out_dir.join(self.path());
        let text = match self {
            Output::Json(c) => json::render(c, report),
            Output::Csv(c) => csv::render(c, report, dataset),
            Output::Markdown(c) => markdown::render(c, report, dataset),
        };
        write_file(&path, text.as_bytes())?;
        Ok(path)
    }
}

/// Writes `bytes` to `path`, creating folders.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), RunError> {
    let fail = |source| RunError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    std::fs::write(path, bytes).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_output_type_documents_its_keys_in_its_example() {
        for info in TYPES {
            for key in info.keys {
                assert!(
                    info.example.contains(key.name),
                    "{}: {}",
                    info.type_name,
                    key.name
                );
            }
        }
    }
}
