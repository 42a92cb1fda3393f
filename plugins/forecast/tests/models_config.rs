//! The forecasting models' configuration: every example builds, defaults build, each type
//! accepts exactly its keys, and range mistakes are all reported with their key.

mod models_support;

use models_support::*;

#[test]
fn every_forecasting_type_is_registered_and_its_example_builds() {
    let registry = registry();
    let infos: Vec<_> = registry.models.infos().map(|i| i.type_name).collect();
    for type_name in ALL_TYPES {
        assert!(infos.contains(&type_name), "{type_name} is not registered");
    }
    for info in registry.models.infos() {
        if let Err(e) = build(info.type_name, info.example) {
            panic!("{}: {:?}\n{}", info.type_name, messages(&e), info.example);
        }
        // Every key of the example is documented.
        for line in info.example.lines() {
            let key = line.split('=').next().unwrap().trim();
            assert!(
                info.keys.iter().any(|k| k.name == key),
                "{}: example key {key} is not documented",
                info.type_name
            );
        }
    }
}

#[test]
fn defaults_build() {
    for type_name in ALL_TYPES {
        if let Err(e) = build(type_name, "") {
            panic!("{type_name}: {:?}", messages(&e));
        }
    }
}

#[test]
fn a_key_of_another_method_is_refused_with_the_keys_accepted() {
    let errors = messages(&build("croston", "alpha = 0.2\n").err().expect("refused"));
    assert_eq!(errors.len(), 1);
    assert!(errors[0].contains("unknown field `alpha`"), "{errors:?}");
    assert!(errors[0].contains("`leading_zeros`"), "{errors:?}");
    // The same key is accepted where it belongs.
    assert!(build("ses", "alpha = 0.2\n").is_ok());
}

#[test]
fn range_mistakes_are_all_reported_with_their_keys() {
    let errors = messages(
        &build(
            "tsb",
            "horizon = 0\nwindow = 0\nquantiles = [0.5, 1.2]\nalpha_d = 1.5\nstart = 2018-01-01\n",
        )
        .err()
        .expect("refused"),
    );
    for key in ["horizon", "window", "quantiles", "alpha_d", "start"] {
        assert!(
            errors.iter().any(|e| e.starts_with(&format!("{key}:"))),
            "{key} not reported: {errors:?}"
        );
    }
    let errors = messages(
        &build("auto", "adi_cutoff = 0.5\ncv2_cutoff = -1.0\n")
            .err()
            .expect("refused"),
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(build("seasonal_naive", "season_length = 0\n").is_err());
    assert!(build("moving_average", "window_size = 0\n").is_err());
    assert!(build("naive", "quantiles = [0.9, 0.9]\n").is_err());
    assert!(build("naive", "missing = \"guess\"\n").is_err());
    let errors = messages(&build("ets", "model = \"XYZ\"\n").err().expect("refused"));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("model:") && errors[0].contains("ZZZ"),
        "{errors:?}"
    );
    assert!(build("ets", "season_length = 65\n").is_err());
    assert!(build("ets", "model = \"AAdN\"\nseason_length = 12\n").is_ok());
}
