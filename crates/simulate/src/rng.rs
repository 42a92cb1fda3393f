//! Seeded random streams. ChaCha8 keyed by the seed (rand_core's `seed_from_u64`, a fixed
//! algorithm) with one 64-bit stream number per use: replication i draws its demand from stream
//! 2i and its lead times from stream 2i + 1, so streams never overlap, replication 0 of
//! [`crate::replicate`] is [`crate::simulate`] with the same seed, and a scenario's demand does not
//! depend on its policy or lead times.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;

/// The generator for `seed` on stream `stream`.
pub(crate) fn stream(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// The demand stream of replication `replication`.
pub(crate) fn demand_stream(seed: u64, replication: u64) -> ChaCha8Rng {
    stream(seed, 2 * replication)
}

/// The lead-time stream of replication `replication`.
pub(crate) fn lead_time_stream(seed: u64, replication: u64) -> ChaCha8Rng {
    stream(seed, 2 * replication + 1)
}
