//! robots.txt per RFC 9309, parsed and matched by `texting_robots` (longest match wins; `Allow`
//! beats `Disallow` at equal length), with the RFC's rules for a file that cannot be had.

use std::time::Duration;

use texting_robots::Robot;

/// What a host's robots.txt allows this crawler.
pub(crate) enum Robots {
    /// The file's groups for our user agent.
    Rules(Box<Robot>),
    /// No file (a 4xx answer: RFC 9309 §2.3.1.3, "unavailable"): everything may be fetched.
    AllowAll,
    /// The file could not be had (a 5xx answer after retries or no connection: §2.3.1.4,
    /// "unreachable"): nothing may be fetched. The reason says what happened.
    DisallowAll(String),
}

impl Robots {
    /// Parses a fetched file for `product_token` (the user agent's name before any `/`). An
    /// unparsable file allows everything, as an empty one would.
    pub(crate) fn parse(product_token: &str, body: &[u8]) -> Robots {
        match Robot::new(product_token, body) {
            Ok(robot) => Robots::Rules(Box::new(robot)),
            Err(_) => Robots::AllowAll,
        }
    }

    /// Whether `url` may be fetched; `None` when it may, else why not.
    pub(crate) fn refusal(&self, url: &str) -> Option<String> {
        match self {
            Robots::Rules(robot) if !robot.allowed(url) => {
                Some("a Disallow rule for this user agent matches it".to_owned())
            }
            Robots::DisallowAll(reason) => Some(reason.clone()),
            _ => None,
        }
    }

    /// The `Crawl-delay` for our user agent, when the file gives one.
    pub(crate) fn crawl_delay(&self) -> Option<Duration> {
        match self {
            Robots::Rules(robot) => robot
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_secs_f64(f64::from(d).min(3600.0))),
            _ => None,
        }
    }
}

/// The name robots.txt groups are matched against: the user agent's product token.
pub(crate) fn product_token(user_agent: &str) -> &str {
    user_agent
        .split(['/', ' '])
        .next()
        .filter(|t| !t.is_empty())
        .unwrap_or(user_agent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_match_wins_and_allow_wins_ties() {
        let txt = b"User-agent: *\nDisallow: /reviews\nAllow: /reviews/public\nDisallow: /a/b\nAllow: /a/b\nCrawl-delay: 2\n";
        let robots = Robots::parse("RestockBot", txt);
        assert!(robots.refusal("http://h/reviews/private/1").is_some());
        assert!(robots.refusal("http://h/reviews").is_some());
        assert!(robots.refusal("http://h/reviews/public/p1").is_none());
        assert!(robots.refusal("http://h/a/b").is_none());
        assert!(robots.refusal("http://h/other").is_none());
        assert_eq!(robots.crawl_delay(), Some(Duration::from_secs(2)));
    }

    #[test]
    fn a_group_for_our_agent_overrides_the_star_group() {
        let txt = b"User-agent: *\nDisallow: /\n\nUser-agent: restockbot\nAllow: /\n";
        let robots = Robots::parse(product_token("RestockBot/0.1 (+https://example.org)"), txt);
        assert!(robots.refusal("http://h/x").is_none());
    }
}
