//! Checks on the catalogue files themselves: syntax, collisions, formatting of every message.

use fluent_bundle::resolver::ResolverError;
use fluent_bundle::resolver::errors::ReferenceKind;
use fluent_bundle::{FluentArgs, FluentError, FluentResource};

use super::*;

#[test]
fn every_file_parses_without_errors() {
    for lang in Lang::ALL {
        for (path, text) in lang.sources() {
            if let Err((_, errors)) = FluentResource::try_new((*text).to_owned()) {
                panic!("locales/{path}: {errors:?}");
            }
        }
    }
}

#[test]
fn both_languages_load_the_same_files() {
    let names = |lang: Lang| -> Vec<&str> {
        lang.sources()
            .iter()
            .map(|(path, _)| path.split_once('/').map_or(*path, |(_, name)| name))
            .collect()
    };
    assert_eq!(names(Lang::En), names(Lang::Fr));
}

#[test]
fn adding_resources_reports_no_collisions() {
    for lang in Lang::ALL {
        let mut bundle = FluentBundle::new_concurrent(vec![lang.langid()]);
        for (path, text) in lang.sources() {
            if let Err(errors) = bundle.add_resource(parse(text)) {
                panic!("locales/{path}: {errors:?}");
            }
        }
    }
}

#[test]
fn message_ids_finds_what_the_parser_finds() {
    for lang in Lang::ALL {
        for (path, text) in lang.sources() {
            let resource = parse(text);
            // The AST types are not re-exported by fluent-bundle; their Debug names are enough.
            let parsed = resource
                .entries()
                .filter(|entry| format!("{entry:?}").starts_with("Message("))
                .count();
            assert_eq!(message_ids(text).count(), parsed, "locales/{path}");
        }
    }
}

/// Formats `key` with values for whatever variables it asks for: first without arguments,
/// then adding a number for each variable reported missing.
fn format_with_dummy_args(catalog: &Catalog, key: &str) -> Vec<FluentError> {
    let message = catalog.bundle.get_message(key).expect("listed key exists");
    let mut patterns: Vec<_> = message.value().into_iter().collect();
    patterns.extend(message.attributes().map(|attr| attr.value()));
    let mut args = FluentArgs::new();
    let mut errors = Vec::new();
    for _ in 0..8 {
        errors.clear();
        for pattern in &patterns {
            catalog
                .bundle
                .format_pattern(pattern, Some(&args), &mut errors);
        }
        let mut added = false;
        for error in &errors {
            if let FluentError::ResolverError(ResolverError::Reference(ReferenceKind::Variable {
                id,
            })) = error
            {
                args.set(id.clone(), 1);
                added = true;
            }
        }
        if !added {
            break;
        }
    }
    errors
}

#[test]
fn every_message_formats_without_errors() {
    for lang in Lang::ALL {
        let catalog = Catalog::new(lang);
        assert!(!catalog.keys.is_empty());
        for key in &catalog.keys {
            let message = catalog.bundle.get_message(key).expect("listed key exists");
            assert!(message.value().is_some(), "{lang:?} {key}: no value");
            let errors = format_with_dummy_args(&catalog, key);
            assert!(errors.is_empty(), "{lang:?} {key}: {errors:?}");
            assert!(!catalog.tr(key).trim().is_empty(), "{lang:?} {key}: empty");
        }
    }
}

/// The variables a message needs, found by formatting it until nothing is missing.
fn variables(catalog: &Catalog, key: &str) -> std::collections::BTreeSet<String> {
    let message = catalog.bundle.get_message(key).expect("listed key exists");
    let mut needed = std::collections::BTreeSet::new();
    let mut args = FluentArgs::new();
    for _ in 0..16 {
        let mut errors = Vec::new();
        if let Some(p) = message.value() {
            catalog.bundle.format_pattern(p, Some(&args), &mut errors);
        }
        let mut added = false;
        for error in &errors {
            if let FluentError::ResolverError(ResolverError::Reference(ReferenceKind::Variable {
                id,
            })) = error
            {
                needed.insert(id.clone());
                args.set(id.clone(), 1);
                added = true;
            }
        }
        if !added {
            break;
        }
    }
    needed
}

/// A translation that drops or invents a variable would show a hole or a `{$x}` to users.
#[test]
fn both_languages_use_the_same_variables() {
    let en = Catalog::new(Lang::En);
    let fr = Catalog::new(Lang::Fr);
    for key in &en.keys {
        assert_eq!(variables(&en, key), variables(&fr, key), "{key}");
    }
}

/// GRBL's texts are shown as they are: none of them needs an argument.
#[test]
fn grbl_messages_need_no_arguments() {
    for lang in Lang::ALL {
        let catalog = Catalog::new(lang);
        for key in catalog
            .keys
            .iter()
            .filter(|k| k.starts_with("grbl-") && !k.ends_with("-unknown"))
        {
            let pattern = catalog
                .bundle
                .get_message(key)
                .and_then(|m| m.value())
                .expect("message has a value");
            let mut errors = Vec::new();
            catalog.bundle.format_pattern(pattern, None, &mut errors);
            assert!(errors.is_empty(), "{lang:?} {key}: {errors:?}");
        }
    }
}

#[test]
fn numbers_format_plainly() {
    let catalog = Catalog::new(Lang::Fr);
    for (n, text) in [
        (10.0, "10"),
        (2.5, "2.5"),
        (-0.125, "-0.125"),
        (1e6, "1000000"),
    ] {
        assert_eq!(
            catalog.tr_args("grbl-alarm-unknown", &[("code", Arg::Num(n))]),
            format!("Alarme inconnue (code {text}).")
        );
    }
}

#[test]
fn message_ids_ignores_terms_comments_and_continuations() {
    let text =
        "# a = b\n-term = T\nfirst = One\n    second = not an entry\nthird_x-2 =\n    Three\n";
    assert_eq!(
        message_ids(text).collect::<Vec<_>>(),
        ["first", "third_x-2"]
    );
}
