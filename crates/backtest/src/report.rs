//! The backtest report as a Markdown table (what `restock backtest` prints).

use std::fmt::Write as _;

use crate::BacktestReport;

impl BacktestReport {
    /// The report as Markdown: the settings, one row per model, the policy replay.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let s = &self.settings;
        let period = self.period.as_str();
        let (first, last) = (self.origins.first().copied(), self.origins.last().copied());
        let _ = writeln!(out, "# Backtest: {}\n", self.pipeline);
        let _ = writeln!(
            out,
            "Rolling origin, {} origin{} from {} to {} every {} {period}{}, horizon {} {period}{}, \
             {} items with sales; data up to {}. Errors scaled by the in-sample MAE (MASE, \
             pinball) or MSE (RMSSE) of the {}naive forecast.\n",
            self.origins.len(),
            plural(self.origins.len()),
            first.map(|d| d.to_string()).unwrap_or_default(),
            last.map(|d| d.to_string()).unwrap_or_default(),
            s.step,
            plural(s.step),
            s.horizon,
            plural(s.horizon),
            self.items,
            self.as_of,
            if s.scale_season > 1 {
                format!("lag-{} seasonal ", s.scale_season)
            } else {
                String::new()
            },
        );
        if self.models.is_empty() {
            let _ = writeln!(
                out,
                "No model made forecasts: only the strategy is replayed."
            );
        } else {
            let _ = writeln!(
                out,
                "| model | type | forecasts | scored | constant history | missing actuals | MASE | RMSSE | scaled bias | scaled pinball |"
            );
            let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            for m in &self.models {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                    m.model,
                    m.type_name,
                    m.forecasts,
                    m.scored,
                    m.constant_history,
                    m.missing_actuals,
                    num(m.mase),
                    num(m.rmsse),
                    num(m.scaled_bias),
                    m.scaled_pinball.map(num).unwrap_or_else(|| "–".into()),
                );
            }
        }
        let methods: Vec<String> = self
            .models
            .iter()
            .filter(|m| m.methods.len() > 1)
            .map(|m| {
                let parts: Vec<String> =
                    m.methods.iter().map(|(k, v)| format!("{k} {v}")).collect();
                format!("`{}` used {}", m.model, parts.join(", "))
            })
            .collect();
        if !methods.is_empty() {
            let _ = writeln!(out, "\nMethods chosen: {}.", methods.join("; "));
        }
        if let Some(p) = &self.policy {
            out.push('\n');
            out.push_str(&p.to_markdown());
        }
        if let Some(a) = &self.adjustments {
            let _ = writeln!(
                out,
                "\n## Trend adjustments\n\nThe strategy proposed a sales- or sentiment-trend adjustment of the demand rate for {} item{}; against the demand that followed it lowered the rate's mean absolute error for {} of them{}. Strategies with `adjustment = \"gated\"` apply it only there (gates written to `{}`).",
                a.items,
                plural(a.items),
                a.lowers_error,
                if a.applied_to.is_empty() {
                    String::new()
                } else {
                    format!(
                        " ({}{})",
                        a.applied_to.join(", "),
                        if a.lowers_error > a.applied_to.len() {
                            ", …"
                        } else {
                            ""
                        }
                    )
                },
                a.file
            );
        }
        if !self.diagnostics.is_empty() {
            let _ = writeln!(out, "\n## Diagnostics\n");
            for d in &self.diagnostics {
                let _ = writeln!(out, "- {:?} `{}`: {}", d.severity, d.component, d.message);
            }
        }
        out
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Four decimals, `–` for NaN (no pair scored).
pub(crate) fn num(v: f64) -> String {
    if v.is_nan() {
        "–".into()
    } else {
        format!("{v:.4}")
    }
}
