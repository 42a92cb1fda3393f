//! Review dates as pages write them: `March 24, 2024`, `24 March 2024`, `12 novembre 2018`,
//! `5 de março de 2024`, `2024年3月5日`, ISO dates and RFC 3339 timestamps; or a configured
//! chrono format.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// Month names (full and abbreviated, lower case, accents as written) in English, Portuguese
/// and Italian, with their numbers.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("janeiro", 1),
    ("gennaio", 1),
    ("gen", 1),
    ("february", 2),
    ("feb", 2),
    ("fevereiro", 2),
    ("fev", 2),
    ("febbraio", 2),
    ("march", 3),
    ("mar", 3),
    ("março", 3),
    ("marco", 3),
    ("marzo", 3),
    ("april", 4),
    ("apr", 4),
    ("abril", 4),
    ("abr", 4),
    ("aprile", 4),
    ("may", 5),
    ("maio", 5),
    ("mai", 5),
    ("maggio", 5),
    ("mag", 5),
    ("june", 6),
    ("jun", 6),
    ("junho", 6),
    ("giugno", 6),
    ("giu", 6),
    ("july", 7),
    ("jul", 7),
    ("julho", 7),
    ("luglio", 7),
    ("lug", 7),
    ("august", 8),
    ("aug", 8),
    ("agosto", 8),
    ("ago", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("setembro", 9),
    ("set", 9),
    ("settembre", 9),
    ("october", 10),
    ("oct", 10),
    ("outubro", 10),
    ("out", 10),
    ("ottobre", 10),
    ("ott", 10),
    ("november", 11),
    ("nov", 11),
    ("novembro", 11),
    ("novembre", 11),
    ("december", 12),
    ("dec", 12),
    ("dezembro", 12),
    ("dez", 12),
    ("dicembre", 12),
    ("dic", 12),
];

/// Parses `text` as a date (midnight UTC) or timestamp. With `format`, only that chrono format
/// (a date or a date and time) is tried.
pub(crate) fn parse_date(text: &str, format: Option<&str>) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Some(format) = format {
        return NaiveDateTime::parse_from_str(text, format)
            .map(|t| t.and_utc())
            .or_else(|_| NaiveDate::parse_from_str(text, format).map(midnight))
            .map_err(|e| format!("date {text:?} does not match date_format {format:?}: {e}"));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(midnight(d));
    }
    if let Some(d) = cjk(text) {
        return Ok(midnight(d));
    }
    named_month(text)
        .map(midnight)
        .ok_or_else(|| format!("cannot read {text:?} as a date (day, month name and year, YYYY-MM-DD, YYYY年M月D日 or RFC 3339)"))
}

fn midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
}

/// `2024年3月5日`.
fn cjk(text: &str) -> Option<NaiveDate> {
    let (year, rest) = text.split_once('年')?;
    let (month, rest) = rest.split_once('月')?;
    let (day, _) = rest.split_once('日')?;
    let number = |s: &str| s.trim().parse::<u32>().ok();
    NaiveDate::from_ymd_opt(
        i32::try_from(number(year)?).ok()?,
        number(month)?,
        number(day)?,
    )
}

/// A month name with a day (1–2 digits) and a year (4 digits), in either order.
fn named_month(text: &str) -> Option<NaiveDate> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let month = words
        .iter()
        .find_map(|w| MONTHS.iter().find(|(name, _)| name == w).map(|&(_, m)| m))?;
    let numbers: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let year = numbers.iter().find(|n| n.len() == 4)?.parse().ok()?;
    let day = numbers.iter().find(|n| n.len() <= 2)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> String {
        parse_date(text, None)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|e| e)
    }

    #[test]
    fn localised_month_names() {
        for (text, expected) in [
            ("March 24, 2024", "2024-03-24"),
            (
                "Reviewed in the United States on July 9, 2024",
                "2024-07-09",
            ),
            ("24 Mar 2024", "2024-03-24"),
            ("12 novembre 2018", "2018-11-12"),
            ("14 aprile 2019", "2019-04-14"),
            ("5 de março de 2024", "2024-03-05"),
            ("5 de Dezembro de 2023", "2023-12-05"),
            ("2024年3月5日", "2024-03-05"),
            ("2024-03-05", "2024-03-05"),
            ("2024-03-05T10:00:00+02:00", "2024-03-05"),
        ] {
            assert_eq!(date(text), expected, "{text}");
        }
        assert!(parse_date("31 February 2024", None).is_err());
        assert!(parse_date("yesterday", None).is_err());
        assert_eq!(
            parse_date("05/03/2024", Some("%d/%m/%Y"))
                .unwrap()
                .format("%F")
                .to_string(),
            "2024-03-05"
        );
    }
}
