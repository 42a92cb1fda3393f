//! The carparts example's long sales file reads whole: every part and month, NA as unknown.

mod common;

use std::path::Path;

#[tokio::test]
async fn every_carparts_month_is_read_and_na_is_unknown() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/carparts");
    if !base.join("data/sales.csv").is_file() {
        println!("skipped: carparts sales are not in {}", base.display());
        return;
    }
    let config = r#"
        records = "sales"
        path = "data/sales.csv"
        columns = { product_id = "part", date = "month", quantity = "units" }
        missing_values = ["NA"]
    "#;
    let got = common::collect("csv", config, &base).await;
    let sales = &got.dataset().sales;
    assert!(got.quarantined.is_empty(), "{:?}", got.quarantined);
    // 2,674 parts × 51 months, of which 6,122 NA (see data/PROVENANCE.md).
    assert_eq!(sales.len(), 136_374);
    assert_eq!(sales.iter().filter(|s| s.quantity.is_nan()).count(), 6_122);
    assert_eq!(
        got.diagnostics[0].message,
        "read 136374 records, quarantined 0 rows; 6122 sales have a quantity recorded as unknown \
         (NaN: a cell \"NA\" in missing_values)"
    );
}
