use std::path::PathBuf;

use restock_core::{ConfigKeyDoc, PluginInfo};
use serde::Deserialize;

use crate::report::{Report, to_rounded_json};

/// `type = "json"`: the whole report.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonConfig {
    /// File to write.
    pub path: PathBuf,
    /// Indent for people (true) or one line for machines (false).
    #[serde(default = "yes")]
    pub pretty: bool,
}

fn yes() -> bool {
    true
}

pub(super) const INFO: PluginInfo = PluginInfo {
    type_name: "json",
    doc: "the whole report as JSON: sorted, floats rounded to 6 decimals, timings in `timings`",
    keys: &[
        super::PATH_KEY,
        ConfigKeyDoc {
            name: "pretty",
            ty: "boolean",
            default: Some("true"),
            doc: "indented (true) or one line (false)",
        },
    ],
    example: "path = \"report.json\"\npretty = true\n",
};

pub(super) fn render(config: &JsonConfig, report: &Report) -> String {
    let json = to_rounded_json(report);
    let mut text = if config.pretty {
        serde_json::to_string_pretty(&json)
    } else {
        serde_json::to_string(&json)
    }
    .expect("JSON values serialise");
    text.push('\n');
    text
}
