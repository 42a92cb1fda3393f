//! Requests-per-minute and tokens-per-minute limits, shared by every clone of a client.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// A per-minute allowance kept as a GCRA bucket (`governor`) that refills evenly and holds
/// `burst_window`'s worth (at least one unit).
#[derive(Debug)]
pub(crate) struct PerMinute {
    limiter: DefaultDirectRateLimiter,
    capacity: NonZeroU32,
}

impl PerMinute {
    pub fn new(per_minute: NonZeroU32, burst_window: Duration) -> Self {
        let period = Duration::from_secs(60) / per_minute.get();
        let burst = (f64::from(per_minute.get()) * burst_window.as_secs_f64() / 60.0).floor();
        let capacity = NonZeroU32::new((burst as u32).max(1)).expect("at least one");
        let quota = Quota::with_period(period.max(Duration::from_nanos(1)))
            .expect("a positive period")
            .allow_burst(capacity);
        PerMinute {
            limiter: RateLimiter::direct(quota),
            capacity,
        }
    }

    /// Waits until `amount` units may be spent. An amount larger than the bucket is taken in
    /// bucket-sized pieces, so the long-run rate stays the configured one.
    pub async fn acquire(&self, amount: u32) {
        let mut left = amount;
        while left > 0 {
            let piece = left.min(self.capacity.get());
            let n = NonZeroU32::new(piece).expect("piece > 0");
            // Cannot fail: `piece` never exceeds the bucket's capacity.
            let _ = self.limiter.until_n_ready(n).await;
            left -= piece;
        }
    }
}
