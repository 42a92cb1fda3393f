//! Generated documentation stays in step with the code.

#[test]
fn plugin_reference_is_up_to_date() {
    let expected = restock::plugin_reference(&restock::builtin_registry());
    let path = "docs/plugins.md";
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "{path} is out of date: run `UPDATE_DOCS=1 cargo test --test docs` and review the diff"
    );
}
