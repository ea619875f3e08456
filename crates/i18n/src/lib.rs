//! Burin's user-facing texts, in English and French.
//!
//! The catalogues are [Fluent](https://projectfluent.org) files under `locales/<lang>/`, compiled
//! into the binary with `include_str!`, so the application never depends on files being
//! installed next to it. Tests check that every catalogue parses, that both languages define the
//! same messages, and that every GRBL code and setting has its texts.
//!
//! ```
//! use burin_i18n::{Arg, Catalog, Lang};
//!
//! let fr = Catalog::new(Lang::Fr);
//! assert_eq!(fr.tr("language"), "Langue");
//! assert_eq!(fr.tr("no-such-key"), "no-such-key");
//! assert_eq!(fr.grbl_error(999), "Erreur inconnue (code 999).");
//! let _ = fr.tr_args("grbl-alarm-unknown", &[("code", Arg::from(42u32))]);
//! ```

use std::borrow::Cow;
use std::collections::BTreeSet;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};
use unic_langid::{LanguageIdentifier, langid};

/// A catalogue file: its path under `locales/` (for error messages) and its text.
type Source = (&'static str, &'static str);

/// English catalogue files, loaded in this order into one bundle. Adding a file is one line.
const EN_FILES: &[Source] = &[
    ("en/grbl.ftl", include_str!("../locales/en/grbl.ftl")),
    ("en/app.ftl", include_str!("../locales/en/app.ftl")),
];

/// French catalogue files; keep the same list as [`EN_FILES`].
const FR_FILES: &[Source] = &[
    ("fr/grbl.ftl", include_str!("../locales/fr/grbl.ftl")),
    ("fr/app.ftl", include_str!("../locales/fr/app.ftl")),
];

/// A language the interface is translated into.
///
/// Serialized as its lowercase code (`"en"`, `"fr"`) so settings files stay readable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English, the fallback when the system language is not translated.
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Every supported language, in the order a language menu lists them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The ISO 639-1 code: `"en"` or `"fr"`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language's name in itself, as a language menu shows it whatever the current language.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
        }
    }

    /// Reads a language tag or POSIX locale (`"fr"`, `"fr-FR"`, `"fr_CA.UTF-8"`, `"EN_us"`):
    /// only the primary language subtag counts, case-insensitively. `None` for other languages.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code
            .trim()
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or_default();
        Lang::ALL
            .into_iter()
            .find(|lang| primary.eq_ignore_ascii_case(lang.code()))
    }

    /// The language of the user's system locale, or English when it is not French (or unknown).
    pub fn system() -> Lang {
        sys_locale::get_locale()
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or(Lang::En)
    }

    /// The Fluent language identifier (used for plural rules).
    fn langid(self) -> LanguageIdentifier {
        match self {
            Lang::En => langid!("en"),
            Lang::Fr => langid!("fr"),
        }
    }

    /// This language's catalogue files.
    fn sources(self) -> &'static [Source] {
        match self {
            Lang::En => EN_FILES,
            Lang::Fr => FR_FILES,
        }
    }
}

/// A value for a message variable (`{ $name }` in the catalogue).
///
/// Numbers stay numbers so Fluent's plural selectors (`[one]`, `*[other]`) work; they print
/// plainly (`10`, `2.5`), the same in every language.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg<'a> {
    /// Text, inserted as is.
    Str(Cow<'a, str>),
    /// A number.
    Num(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Str(Cow::Borrowed(s))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Str(Cow::Borrowed(s))
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Str(Cow::Owned(s))
    }
}

impl<'a> From<Cow<'a, str>> for Arg<'a> {
    fn from(s: Cow<'a, str>) -> Self {
        Arg::Str(s)
    }
}

/// `From<number>` for [`Arg`]. `i32` is included so a bare literal (`Arg::from(3)`) compiles.
macro_rules! arg_from_number {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg<'_> {
            fn from(n: $t) -> Self {
                Arg::Num(n as f64)
            }
        }
    )*};
}
arg_from_number!(f64, u16, u32, u64, usize, i32, i64);

impl<'a> Arg<'a> {
    /// The Fluent value; numbers keep Fluent's default options, which print like Rust's `{}`.
    fn to_fluent(&self) -> FluentValue<'a> {
        match self {
            Arg::Str(s) => FluentValue::String(s.clone()),
            Arg::Num(n) => FluentValue::from(*n),
        }
    }
}

/// All the messages of one language, ready to format.
///
/// Thread-safe (`Send + Sync`) so the application can share it; building one parses the
/// compiled-in catalogues, so build it once per language switch rather than per frame.
pub struct Catalog {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
    keys: Vec<String>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("lang", &self.lang)
            .field("messages", &self.keys.len())
            .finish_non_exhaustive()
    }
}

impl Catalog {
    /// Loads the catalogue of `lang`.
    ///
    /// Never panics: a syntax error only drops the broken entry and a duplicate id keeps the
    /// first definition (the crate's tests reject both).
    pub fn new(lang: Lang) -> Catalog {
        let mut bundle = FluentBundle::new_concurrent(vec![lang.langid()]);
        // No Unicode isolation marks around variables: labels must match exactly in UI tests.
        bundle.set_use_isolating(false);
        let mut keys = BTreeSet::new();
        for (_, text) in lang.sources() {
            keys.extend(message_ids(text).map(str::to_owned));
            // Collisions are reported by the tests; at run time the first definition wins.
            let _ = bundle.add_resource(parse(text));
        }
        // Ids of broken entries were dropped by the parser.
        keys.retain(|key| bundle.has_message(key));
        Catalog {
            lang,
            bundle,
            keys: keys.into_iter().collect(),
        }
    }

    /// The language of this catalogue.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The text of message `key` (or of attribute `key.attr`). A missing key returns the key
    /// itself, so an untranslated label is visible rather than blank.
    pub fn tr(&self, key: &str) -> String {
        self.format(key, None).unwrap_or_else(|| key.to_owned())
    }

    /// Like [`Catalog::tr`], with values for the message's variables (`{ $name }`).
    pub fn tr_args(&self, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fluent_args.set(*name, value.to_fluent());
        }
        self.format(key, Some(&fluent_args))
            .unwrap_or_else(|| key.to_owned())
    }

    /// Whether message `key` (or attribute `key.attr`) exists in this language.
    pub fn has(&self, key: &str) -> bool {
        let (id, attr) = split_key(key);
        self.bundle
            .get_message(id)
            .is_some_and(|message| match attr {
                None => message.value().is_some(),
                Some(attr) => message.get_attribute(attr).is_some(),
            })
    }

    /// Every message id of this language, sorted.
    pub fn keys(&self) -> Vec<String> {
        self.keys.clone()
    }

    /// What GRBL's `error:code` means. Codes GRBL 1.1 does not define (forks add their own)
    /// get a generic text that includes the number.
    pub fn grbl_error(&self, code: u16) -> String {
        self.code_text("grbl-error", code)
    }

    /// What GRBL's `ALARM:code` means; unknown codes as in [`Catalog::grbl_error`].
    pub fn grbl_alarm(&self, code: u16) -> String {
        self.code_text("grbl-alarm", code)
    }

    /// Short name of GRBL setting `$number`, if GRBL 1.1 defines it.
    pub fn grbl_setting_name(&self, number: u16) -> Option<String> {
        self.optional(&format!("grbl-setting-{number}-name"))
    }

    /// What GRBL setting `$number` does, if GRBL 1.1 defines it.
    pub fn grbl_setting_desc(&self, number: u16) -> Option<String> {
        self.optional(&format!("grbl-setting-{number}-desc"))
    }

    /// Unit of GRBL setting `$number` ("mm/min", "boolean", ...), if GRBL 1.1 defines it.
    pub fn grbl_setting_unit(&self, number: u16) -> Option<String> {
        self.optional(&format!("grbl-setting-{number}-unit"))
    }

    /// `{prefix}-{code}` if it exists, else `{prefix}-unknown` with `$code`.
    fn code_text(&self, prefix: &str, code: u16) -> String {
        let key = format!("{prefix}-{code}");
        if self.has(&key) {
            self.tr(&key)
        } else {
            self.tr_args(&format!("{prefix}-unknown"), &[("code", Arg::from(code))])
        }
    }

    fn optional(&self, key: &str) -> Option<String> {
        self.has(key).then(|| self.tr(key))
    }

    /// Formats `key` (`id` or `id.attr`), or `None` if it does not exist.
    fn format(&self, key: &str, args: Option<&FluentArgs>) -> Option<String> {
        let (id, attr) = split_key(key);
        let message = self.bundle.get_message(id)?;
        let pattern = match attr {
            None => message.value()?,
            Some(attr) => message.get_attribute(attr)?.value(),
        };
        // Resolution errors (a missing variable) leave a readable `{$name}` in the text.
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        Some(text.into_owned())
    }
}

/// Splits `id.attr` into its message id and attribute name.
fn split_key(key: &str) -> (&str, Option<&str>) {
    match key.split_once('.') {
        None => (key, None),
        Some((id, attr)) => (id, Some(attr)),
    }
}

/// Parses a catalogue file, keeping the valid entries if some are broken.
fn parse(text: &str) -> FluentResource {
    FluentResource::try_new(text.to_owned()).unwrap_or_else(|(resource, _errors)| resource)
}

/// The message ids a catalogue file defines. In Fluent every entry starts at column 0 and
/// continuation lines are indented, so a line starting with a letter opens a message (terms start
/// with `-`, comments with `#`).
fn message_ids(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter_map(|line| {
        let (id, _) = line.split_once('=')?;
        let id = id.trim_end();
        let valid = id.starts_with(|c: char| c.is_ascii_alphabetic())
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        valid.then_some(id)
    })
}

/// Every `(lang, key)` where message `key` exists in some other language but not in `lang`.
/// Empty when the catalogues are complete; the tests assert it.
pub fn missing_translations() -> Vec<(Lang, String)> {
    let keys: Vec<(Lang, BTreeSet<String>)> = Lang::ALL
        .into_iter()
        .map(|lang| (lang, Catalog::new(lang).keys.into_iter().collect()))
        .collect();
    let all: BTreeSet<&String> = keys.iter().flat_map(|(_, k)| k).collect();
    let mut missing = Vec::new();
    for (lang, have) in &keys {
        for key in &all {
            if !have.contains(*key) {
                missing.push((*lang, (*key).clone()));
            }
        }
    }
    missing
}

#[cfg(test)]
mod tests;
