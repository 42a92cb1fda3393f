//! `redact` as a table: what must be replaced and what must survive, in English and Portuguese.
//! Each row is an input and the exact expected output.

use restock_privacy::{Counts, Kind, Kinds, redact};

#[track_caller]
fn check(input: &str, expected: &str) {
    let out = redact(input, &Kinds::all());
    assert_eq!(out.text, expected, "input: {input:?}");
}

/// Every row of `rows` checked, and every failure reported at once.
#[track_caller]
fn check_all<'a>(rows: impl IntoIterator<Item = (&'a str, &'a str)>) {
    let failures: Vec<String> = rows
        .into_iter()
        .filter_map(|(input, expected)| {
            let got = redact(input, &Kinds::all()).text;
            (got != expected)
                .then(|| format!("  {input:?}\n    want {expected:?}\n    got  {got:?}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_issue_example_keeps_the_order_number_and_the_date() {
    let out = redact(
        "Order 4410023381 arrived 2024-03-05, call me at +55 11 91234-5678 or a.b@example.com",
        &Kinds::all(),
    );
    assert_eq!(
        out.text,
        "Order 4410023381 arrived 2024-03-05, call me at [PHONE] or [EMAIL]"
    );
    assert_eq!(
        out.counts,
        Counts {
            email: 1,
            phone: 1,
            card: 0,
            address: 0
        }
    );
}

/// Rows whose personal data must be replaced.
const REPLACED: &[(&str, &str)] = &[
    // e-mail addresses
    ("write to a.b@example.com", "write to [EMAIL]"),
    ("mail: joao.silva+loja@gmail.com.br.", "mail: [EMAIL]."),
    ("contato: joão@exemplo.com.br", "contato: [EMAIL]"),
    ("(ana_souza99@hotmail.com)", "([EMAIL])"),
    (
        "Email ME: John.Doe@Sub.Example.co.uk!",
        "Email ME: [EMAIL]!",
    ),
    // phones, international
    ("call +55 11 91234-5678 today", "call [PHONE] today"),
    ("ring +1 (415) 555-0132", "ring [PHONE]"),
    ("UK office +44 20 7946 0958.", "UK office [PHONE]."),
    ("whats +5511912345678", "whats [PHONE]"),
    ("WhatsApp: +55 (21) 99876-5432!", "WhatsApp: [PHONE]!"),
    ("tel: +351 912 345 678", "tel: [PHONE]"),
    // phones, national and local
    (
        "liga no (11) 91234-5678 por favor",
        "liga no [PHONE] por favor",
    ),
    ("fixo (11) 3456-7890", "fixo [PHONE]"),
    (
        "call (415) 555-0132 or 415-555-0132",
        "call [PHONE] or [PHONE]",
    ),
    ("415.555.0132 after 5pm", "[PHONE] after 5pm"),
    ("toll free 1-800-555-0199", "toll free [PHONE]"),
    ("London 020 7946 0958", "London [PHONE]"),
    (
        "mobile 07700 900123, landline 0161 496 0000",
        "mobile [PHONE], landline [PHONE]",
    ),
    ("meu zap 11 91234-5678", "meu zap [PHONE]"),
    ("celular 91234-5678.", "celular [PHONE]."),
    ("loja 21 3456-7890", "loja [PHONE]"),
    // cards (all pass Luhn)
    (
        "card 4111 1111 1111 1111 was charged",
        "card [CARD] was charged",
    ),
    ("cartão 5555-5555-5555-4444", "cartão [CARD]"),
    ("amex 378282246310005", "amex [CARD]"),
    ("Mastercard 2223 0031 2200 3222", "Mastercard [CARD]"),
    ("Discover 6011111111111117.", "Discover [CARD]."),
    (
        "visa 4012 8888 8888 1881, exp 12/26",
        "visa [CARD], exp 12/26",
    ),
    // addresses, English
    (
        "I live at 221B Baker Street, London",
        "I live at [ADDRESS], London",
    ),
    ("send it to 10 Downing St.", "send it to [ADDRESS]."),
    (
        "1600 Pennsylvania Avenue NW, Washington",
        "[ADDRESS], Washington",
    ),
    ("350 Fifth Avenue, Suite 300, NY", "[ADDRESS], NY"),
    (
        "delivered to 42 Elm Road, Apt 4B yesterday",
        "delivered to [ADDRESS] yesterday",
    ),
    // addresses, Portuguese
    ("moro na Rua Augusta, 1500 em SP", "moro na [ADDRESS] em SP"),
    ("entrega: Av. Paulista 1000, apto 12", "entrega: [ADDRESS]"),
    ("Rua 25 de Março, 1000 - Centro", "[ADDRESS] - Centro"),
    ("Avenida Brigadeiro Faria Lima, 3477, sala 101", "[ADDRESS]"),
    ("Praça da Sé, nº 10", "[ADDRESS]"),
    ("Rua Dr. Arnaldo, 455 bloco B", "[ADDRESS]"),
    ("Alameda Santos 200", "[ADDRESS]"),
    // several kinds in one text
    (
        "Pedido 998877 — Rua Augusta, 1500; tel (11) 91234-5678; ana@x.com.br",
        "Pedido 998877 — [ADDRESS]; tel [PHONE]; [EMAIL]",
    ),
];

/// Rows that must come out exactly as they went in.
const SURVIVES: &[&str] = &[
    // order ids and references
    "Order 4410023381 arrived late",
    "pedido nº 123456789 chegou",
    "order #100234567 and #100234568",
    "Pedido 4410023381998 cancelado",
    "invoice INV-2024-000123",
    "ref 2024-0001-7788",
    // prices
    "paguei R$ 1.234,56 à vista",
    "only $19.99, was $1,299.00",
    "R$ 89,90 em 3x de R$ 29,97",
    "€ 1.000.000,00",
    "custou 1 234 567 reais",
    // dates and times
    "arrived 2024-03-05",
    "chegou em 05/03/2024 às 14:30",
    "delivered 03.05.2024 at 9:15 am",
    "5 de março de 2024",
    "between 2019-2024 it sold well",
    "2024-03-05T14:30:00Z",
    "entre 12/03 e 15/03",
    "2024/03/05, 10:30-11:45, Mar 5, 2024",
    "Order 4410023381 total R$ 249,90 on 05/03/2024 14h30",
    // ISBNs, tracking, barcodes, product codes
    "ISBN 978-3-16-148410-0",
    "ISBN 9780306406157",
    "ISBN 0-306-40615-2",
    "tracking LB123456789BR",
    "UPS 1Z999AA10123456784",
    "USPS 9400 1000 0000 0000 0000 00",
    "EAN 7891234567895",
    "SKU AB-1234-5678",
    "model XJ-9000 v2",
    "CEP 01310-100",
    "NF-e 35240312345678000123550010000123451234567890",
    "rastreio OJ123456789BR, CPF 123.456.789-09",
    "ISBN-13: 978-0-306-40615-7",
    "version v2.3.1, build 20240305.1",
    // percentages and quantities
    "50% off, 2x 500ml",
    "comprei 3 unidades de 250 g",
    "rated 4.5/5 by 1,234 people",
    "12 x 1.5 L",
    // text that looks a bit like an address
    "3 days on the road",
    "tamanho Largo demais, 2 números acima",
    "Via Sedex 10 chegou rápido",
    "moro perto da Rua Augusta",
    "2 pairs of street shoes",
    // digits that are not ASCII, and a card that fails Luhn
    "４１１１ １１１１ １１１１ １１１１",
    "card 4111 1111 1111 1112",
    // an e-mail-like thing without a domain
    "@loja no instagram, me@home",
];

#[test]
fn personal_data_is_replaced() {
    check_all(REPLACED.iter().copied());
}

#[test]
fn order_numbers_prices_dates_and_codes_survive() {
    check_all(SURVIVES.iter().map(|input| (*input, *input)));
}

#[test]
fn the_table_is_broad() {
    assert!(REPLACED.len() + SURVIVES.len() >= 40);
}

#[test]
fn only_the_kinds_asked_for_are_replaced() {
    let text = "a@b.com, (11) 91234-5678, 4111 1111 1111 1111, Rua Augusta, 1500";
    let only = |kind: Kind| redact(text, &[kind].into_iter().collect()).text;
    assert_eq!(
        only(Kind::Email),
        "[EMAIL], (11) 91234-5678, 4111 1111 1111 1111, Rua Augusta, 1500"
    );
    assert_eq!(
        only(Kind::Phone),
        "a@b.com, [PHONE], 4111 1111 1111 1111, Rua Augusta, 1500"
    );
    assert_eq!(
        only(Kind::Card),
        "a@b.com, (11) 91234-5678, [CARD], Rua Augusta, 1500"
    );
    assert_eq!(
        only(Kind::Address),
        "a@b.com, (11) 91234-5678, 4111 1111 1111 1111, [ADDRESS]"
    );
    let all = redact(text, &Kinds::all());
    assert_eq!(all.text, "[EMAIL], [PHONE], [CARD], [ADDRESS]");
    assert_eq!(all.counts.total(), 4);
    assert_eq!(redact(text, &Kinds::none()).text, text);
}

#[test]
fn a_card_is_never_half_taken_for_a_phone() {
    // 16 digits in 4-4-4-4 look like two phone-ish halves; the card wins.
    check("4111-1111-1111-1111", "[CARD]");
    // Without Luhn, neither.
    check("4111-1111-1111-1112", "4111-1111-1111-1112");
}

#[test]
fn non_ascii_text_around_matches_is_kept() {
    check(
        "很好 👍 ligue (11) 91234-5678 — ótimo",
        "很好 👍 ligue [PHONE] — ótimo",
    );
    check("", "");
}

/// The limits `docs/privacy.md` lists, as they are: if one of these rows changes, update the
/// page.
#[test]
fn documented_limits_hold() {
    check_all([
        ("a.b at example dot com", "a.b at example dot com"),
        ("zap 11912345678", "zap 11912345678"),
        ("tel 0044 20 7946 0958", "tel 0044 20 7946 0958"),
        ("fixo 3456-7890", "fixo 3456-7890"),
        ("rua augusta, 1500", "rua augusta, 1500"),
        (
            "221B Baker Street, London NW1 6XE",
            "[ADDRESS], London NW1 6XE",
        ),
        ("+55 11 91234-5678 2 vezes", "[PHONE] vezes"),
        ("CPF 123.456.789-09", "CPF 123.456.789-09"),
    ]);
}

#[test]
fn long_digit_runs_are_not_taken_and_do_not_stall() {
    let digits = "4".repeat(100_000);
    check(&digits, &digits);
    let groups = "4111 ".repeat(20_000);
    check(&groups, &groups);
    let dashed = "11 91234-5678/1 ".repeat(10_000);
    let start = std::time::Instant::now();
    check(&dashed, &dashed);
    // Generous: a rejected match resumes one character on, never from the start.
    assert!(start.elapsed().as_secs() < 20);
}
