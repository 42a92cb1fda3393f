//! Progress bars (indicatif) on a terminal; nothing when stderr is not one.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use restock_core::context::{Progress, ProgressFactory};

/// Shows each long step as a bar on stderr, hidden when stderr is not a terminal.
pub struct TerminalProgress {
    bars: MultiProgress,
}

impl TerminalProgress {
    /// Bars on stderr when `enabled` and stderr is a terminal.
    pub fn new(enabled: bool) -> Self {
        let target = if enabled {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        Self {
            bars: MultiProgress::with_draw_target(target),
        }
    }
}

struct Bar(ProgressBar);

impl Progress for Bar {
    fn inc(&self, n: u64) {
        self.0.inc(n);
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

impl ProgressFactory for TerminalProgress {
    fn start(&self, label: &str, len: Option<u64>) -> Box<dyn Progress> {
        let bar = match len {
            Some(len) => ProgressBar::new(len).with_style(
                ProgressStyle::with_template("{msg:30} {wide_bar} {pos}/{len} {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            ),
            None => ProgressBar::new_spinner(),
        };
        let bar = self.bars.add(bar.with_message(label.to_owned()));
        Box::new(Bar(bar))
    }
}
