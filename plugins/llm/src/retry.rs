//! When to try again and how long to wait first.

use std::time::{Duration, SystemTime};

/// The wait a `Retry-After` header asks for: delay-seconds (`"1"`, `"1.5"`) or an HTTP date
/// (`"Wed, 21 Oct 2015 07:28:00 GMT"`, measured against `now`; a date in the past is zero).
/// `None` when the value is neither.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The wait before retry number `retry` (1 for the first retry) of a 408, 5xx, timeout or
/// transport error: `initial · 2^(retry−1)`, capped at `max`, then "equal jitter" — a uniform
/// draw in [½, 1] of that — so concurrent clients do not retry in lockstep.
pub fn backoff(retry: u32, initial: Duration, max: Duration) -> Duration {
    let exponent = retry.saturating_sub(1).min(30);
    let full = initial.saturating_mul(1u32 << exponent).min(max);
    full.mul_f64(0.5 + 0.5 * fastrand::f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // 07:28:00
        assert_eq!(parse_retry_after("1", now), Some(Duration::from_secs(1)));
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("0.5", now),
            Some(Duration::from_millis(500))
        );
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        let initial = Duration::from_millis(100);
        let max = Duration::from_millis(1000);
        for _ in 0..100 {
            let first = backoff(1, initial, max);
            assert!(
                first >= Duration::from_millis(50) && first <= initial,
                "{first:?}"
            );
            let third = backoff(3, initial, max);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
            let late = backoff(40, initial, max);
            assert!(
                late >= Duration::from_millis(500) && late <= max,
                "{late:?}"
            );
        }
    }
}
