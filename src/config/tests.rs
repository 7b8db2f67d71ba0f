//! Configuration parsing: defaults, precedence and one-line errors that name the setting.

use super::*;

fn defaults() -> Vec<String> {
    SPECS.iter().map(|s| s.default.to_string()).collect()
}

fn with(index: usize, value: &str) -> Vec<String> {
    let mut raw = defaults();
    raw[index] = value.to_string();
    raw
}

#[test]
fn defaults_parse_to_the_documented_values() {
    let settings = Settings::parse(&defaults()).expect("defaults are valid");
    assert_eq!(settings.listen.to_string(), "127.0.0.1:8080");
    assert!(settings.database.url.is_default());
    assert!(!settings.database.url.is_postgres());
    assert_eq!(settings.database.max_connections, 10);
    assert_eq!(settings.log.format, LogFormat::Text);
    assert_eq!(settings.site_root, PathBuf::from("target/site"));
    assert_eq!(settings.body_limit, 4 * 1024 * 1024);
}

#[test]
fn an_unparsable_value_names_the_setting_and_its_variable() {
    let error = Settings::parse(&with(0, "not-an-address")).unwrap_err().to_string();
    assert!(error.contains("listen (VEXIL_LISTEN)"), "{error}");
    assert!(error.contains("not-an-address"), "{error}");
    assert!(!error.contains('\n'), "one line: {error}");

    for (index, bad) in [
        (1, "mysql://x"),
        (2, "0"),
        (2, "many"),
        (3, "info,[["),
        (4, "xml"),
        (6, "12"),
        (7, "10"),
        (7, "soon"),
        (8, "0"),
        (9, "forever"),
    ] {
        let error = Settings::parse(&with(index, bad)).unwrap_err().to_string();
        assert!(error.contains(SPECS[index].env), "{error}");
    }
}

#[test]
fn postgres_urls_select_postgres() {
    let settings = Settings::parse(&with(1, "postgres://root@127.0.0.1:5432/vexil")).unwrap();
    assert!(settings.database.url.is_postgres());
}

#[test]
fn the_database_password_never_shows() {
    let url = DatabaseUrl("postgres://vexil:s3cret@db:5432/vexil".into());
    assert_eq!(url.to_string(), "postgres://vexil:***@db:5432/vexil");
    assert!(!format!("{url:?}").contains("s3cret"));
    assert_eq!(url.expose(), "postgres://vexil:s3cret@db:5432/vexil");
}

#[test]
fn unknown_vexil_variables_are_rejected_and_others_ignored() {
    let ok = ["PATH", "VEXIL_LISTEN", "VEXIL_CONFIG", "HOME"].map(String::from);
    assert!(check_environment(ok.into_iter()).is_ok());
    let error = check_environment(["VEXIL_LISTN".to_string()].into_iter()).unwrap_err();
    assert!(error.to_string().contains("VEXIL_LISTN"), "{error}");
}

#[test]
fn the_file_supplies_values_and_rejects_unknown_keys() {
    let dir = std::env::temp_dir().join(format!("vexil-config-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.yaml");
    std::fs::write(&good, "listen: 127.0.0.1:9999\ndatabase_max_connections: 3\n").unwrap();
    let values = read_file(&good).unwrap();
    assert_eq!(values["listen"], "127.0.0.1:9999");
    assert_eq!(values["database_max_connections"], "3");

    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "listen: 127.0.0.1:9999\nlisten_port: 1\n").unwrap();
    let error = read_file(&bad).unwrap_err().to_string();
    assert!(error.contains("unknown setting `listen_port`"), "{error}");

    let missing = read_file(&dir.join("missing.yaml")).unwrap_err().to_string();
    assert!(missing.contains("missing.yaml"), "{missing}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// README's configuration table has a row for every setting, with its environment variable,
/// so no option ships undocumented.
#[test]
fn the_readme_documents_every_setting() {
    let readme = include_str!("../../README.md");
    let missing: Vec<&str> = SPECS
        .iter()
        .filter(|spec| !readme.contains(&format!("| `{}` | `{}` |", spec.key, spec.env)))
        .map(|spec| spec.key)
        .collect();
    assert!(missing.is_empty(), "README.md's configuration table lacks {missing:?}");
}
