//! The site's language: the built-in theme's words, month and weekday
//! names, date formats and writing direction. `site.yaml`'s `language`
//! picks them: English (`templates/i18n/en.yaml`, built in) is the base,
//! the built-in file of the language's primary subtag (`fr` for `fr-CA`)
//! goes over it, then the site's own `templates/i18n/<primary>.yaml` and
//! `templates/i18n/<tag>.yaml`. A key missing anywhere keeps the English
//! text; an unknown key is an error at its line. Templates read the words
//! with `trans(key=…)` and write dates with the `date` filter, both
//! registered here (formats themselves: `date_format.rs`).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, LazyLock, RwLock};

use rustc_hash::FxHashMap;

use serde_yaml::Value as Yaml;
use tera::{Kwargs, State, Tera, Value};

use crate::date::{Date, PartialDate};
use crate::date_format::{Dated, Format};
use crate::diagnostic::Diagnostic;
use crate::front_matter::yaml_key_line;
use crate::templates::{self, TEMPLATES_DIR};

/// The folder of translation files, in `templates/`.
pub const I18N_DIR: &str = "i18n";

/// Keys a translation may give that English does not.
const OPTIONAL_KEYS: &[&str] = &["dir", "months_genitive"];

/// Primary subtags written right to left.
const RTL: &[&str] = &[
    "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ps", "sd", "ug", "ur", "yi",
];

/// The plural forms a word may have (CLDR's categories).
const PLURAL_FORMS: &[&str] = &["zero", "one", "two", "few", "many", "other"];

/// One entry of a translation file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Entry {
    Text(String),
    /// By plural form; `other` is always there.
    Plural(BTreeMap<String, String>),
    List(Vec<String>),
}

/// A language, with every key filled in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Locale {
    /// As `site.yaml` wrote it (`fr-CA`).
    pub tag: String,
    /// Its primary subtag, lower case (`fr`).
    pub primary: String,
    /// `ltr` or `rtl`.
    pub dir: String,
    entries: BTreeMap<String, Entry>,
    day: Format,
    month: Format,
    year: Format,
}

static ENGLISH: LazyLock<Arc<Locale>> = LazyLock::new(|| Arc::new(Locale::builtin("en")));

impl Default for Locale {
    fn default() -> Locale {
        (**ENGLISH).clone()
    }
}

impl Locale {
    /// The language `tag` with the built-in files alone (tests, and the
    /// default before a site is loaded). Panics on a broken built-in file.
    pub fn builtin(tag: &str) -> Locale {
        Locale::from_files(tag, &[]).unwrap_or_else(|e| panic!("built-in translation: {e}"))
    }

    /// The language `tag` for the site in `root`: the built-in files, then
    /// the site's `templates/i18n/<primary>.yaml` and `<tag>.yaml`.
    pub fn load(root: &Path, tag: &str) -> Result<Locale, Diagnostic> {
        let primary = primary(tag);
        let mut names = vec![primary.clone()];
        if tag != primary {
            names.push(tag.to_string());
        }
        let mut files = Vec::new();
        for name in names {
            let shown = Path::new(TEMPLATES_DIR)
                .join(I18N_DIR)
                .join(format!("{name}.yaml"));
            let path = root.join(&shown);
            if !path.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(|e| {
                Diagnostic::new(&shown, format!("cannot read: {e} (save it as UTF-8 text)"))
            })?;
            files.push((shown.display().to_string(), text));
        }
        Locale::from_files(tag, &files)
    }

    /// English, then the built-in file of `tag`'s language, then `files`
    /// (shown name, text) in order.
    pub fn from_files(tag: &str, files: &[(String, String)]) -> Result<Locale, Diagnostic> {
        let primary = primary(tag);
        let builtin = |name: &str| {
            let file = format!("{I18N_DIR}/{name}.yaml");
            templates::builtin_text(&file).map(|text| (format!("{file} (built-in)"), text))
        };
        let (english_name, english_text) = builtin("en").expect("English is built in");
        let mut entries = read(&english_name, english_text, None)?;
        let mut layers: Vec<(String, &str)> = Vec::new();
        if primary != "en"
            && let Some((name, text)) = builtin(&primary)
        {
            layers.push((name, text));
        }
        layers.extend(
            files
                .iter()
                .map(|(name, text)| (name.clone(), text.as_str())),
        );
        let mut dir = if RTL.contains(&primary.as_str()) {
            "rtl"
        } else {
            "ltr"
        }
        .to_string();
        for (name, text) in layers {
            let mut layer = read(&name, text, Some(&entries))?;
            if let Some(Entry::Text(d)) = layer.remove("dir") {
                dir = d;
            }
            // A language's own months are its genitive ones too unless it
            // gives those.
            if layer.contains_key("months") && !layer.contains_key("months_genitive") {
                entries.remove("months_genitive");
            }
            entries.extend(layer);
        }
        let format = |key: &str| match entries.get(key) {
            Some(Entry::Text(f)) => Format::compile(f),
            _ => unreachable!("English gives every format as text"),
        };
        Ok(Locale {
            tag: tag.to_string(),
            primary,
            dir,
            day: format("date_format"),
            month: format("month_format"),
            year: format("year_format"),
            entries,
        })
    }

    /// Item `i` of a list (`months`, `weekdays`…); `months_genitive` is
    /// `months` unless the language gives it.
    pub fn list(&self, key: &str, i: usize) -> &str {
        let entry = match self.entries.get(key) {
            None if key == "months_genitive" => self.entries.get("months"),
            found => found,
        };
        match entry {
            Some(Entry::List(items)) => items.get(i).map_or("", String::as_str),
            _ => "",
        }
    }

    /// A full date in the language's own order (`6 novembre 2024`).
    pub fn display_day(&self, date: &Date) -> String {
        self.day.day(self, date).unwrap_or_else(|_| date.iso())
    }

    /// An event's date: a day, a month (`novembre 2024`) or a year.
    pub fn display_partial(&self, date: &PartialDate) -> String {
        match (date.month, date.day) {
            (Some(_), Some(_)) => self.day.partial(self, date),
            (Some(_), None) => self.month.partial(self, date),
            _ => self.year.partial(self, date),
        }
    }

    /// Word `key` for `n` things (its plural form for `n` when it has
    /// forms), with `{name}` placeholders filled from `args`.
    pub fn word(&self, key: &str, n: Option<i64>, args: &[(&str, String)]) -> Option<String> {
        let text = match self.entries.get(key)? {
            Entry::Text(text) => text,
            Entry::Plural(forms) => {
                let form = plural_form(&self.primary, n.unwrap_or(0));
                forms.get(form).unwrap_or(&forms["other"])
            }
            Entry::List(_) => return None,
        };
        Some(fill(text, args))
    }

    /// `{{ trans(key=…, n=…, lang=…, name=value…) }}`.
    fn trans(&self, kwargs: &Kwargs) -> tera::TeraResult<Value> {
        let key: &str = kwargs.must_get("key")?;
        if let Some(lang) = kwargs.get::<&str>("lang")?
            && lang != self.tag
            && primary(lang) != self.primary
        {
            return Err(tera::Error::message(format!(
                "trans: lang `{lang}` is not this site's language (`{}`): a site has one language, set by site.yaml's `language`",
                self.tag
            )));
        }
        let mut n = None;
        let mut args = Vec::new();
        for (name, value) in kwargs.iter() {
            let Some(name) = name.as_str() else { continue };
            if name == "key" || name == "lang" {
                continue;
            }
            if name == "n" {
                n = value.as_i64();
            }
            let shown = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_string);
            args.push((name, shown));
        }
        let Some(entry) = self.entries.get(key) else {
            let near = self
                .entries
                .keys()
                .map(|known| (strsim::damerau_levenshtein(key, known), known))
                .filter(|(d, known)| *d <= known.len().max(3) / 2)
                .min()
                .map(|(_, known)| format!(": did you mean `{known}`?"))
                .unwrap_or_default();
            return Err(tera::Error::message(format!(
                "trans: there is no word `{key}`{near} (the keys are those of briefly's templates/i18n/en.yaml)"
            )));
        };
        Ok(match entry {
            Entry::Plural(forms) if n.is_none() => Value::from_serializable(
                &forms
                    .iter()
                    .map(|(form, text)| (form, fill(text, &args)))
                    .collect::<BTreeMap<_, _>>(),
            ),
            Entry::List(items) => Value::from_serializable(items),
            _ => Value::from(self.word(key, n, &args).unwrap_or_default()),
        })
    }

    /// `{{ date_value | date(format="%-d %B %Y") }}`.
    fn date_filter(&self, value: &Value, kwargs: &Kwargs) -> tera::TeraResult<String> {
        let fail = |e: String| tera::Error::message(format!("date: {e}"));
        let given = |key: &str| -> tera::TeraResult<Option<Format>> {
            Ok(kwargs.get::<&str>(key)?.map(Format::compile))
        };
        match Dated::read(value).map_err(fail)? {
            Dated::Day(date) => match given("format")? {
                Some(format) => format.day(self, &date).map_err(fail),
                None => Ok(self.display_day(&date)),
            },
            Dated::Partial(date) => {
                let key = if date.month.is_some() {
                    "month_format"
                } else {
                    "year_format"
                };
                Ok(match given(key)? {
                    Some(format) => format.partial(self, &date),
                    None => self.display_partial(&date),
                })
            }
        }
    }
}

/// Registers `trans(key=…)` and the `date` filter, speaking `locale`.
pub fn register(tera: &mut Tera, locale: &Arc<Locale>) {
    let words = Words {
        locale: Arc::clone(locale),
        memo: RwLock::default(),
    };
    tera.register_function("trans", move |kwargs: Kwargs, _: &State| {
        words.trans(&kwargs)
    });
    let dates = Arc::clone(locale);
    tera.register_filter("date", move |value: Value, kwargs: Kwargs, _: &State| {
        dates.date_filter(&value, &kwargs)
    });
}

/// `trans` with a memo: templates ask for the same few words hundreds of
/// thousands of times in a big build (a timeline entry's kind, a summary's
/// reading time, a tag page's title), and a word is a pure function of its
/// arguments. Calls whose arguments are all integers or strings of at most
/// `MEMO_ARG` bytes (and no `lang`) are kept, up to `MEMO_WORDS` of them;
/// the others go the long way each time.
struct Words {
    locale: Arc<Locale>,
    memo: RwLock<FxHashMap<Box<str>, Value>>,
}

/// The longest string argument a memoised call has.
const MEMO_ARG: usize = 64;
/// How many calls the memo keeps.
const MEMO_WORDS: usize = 50_000;

impl Words {
    fn trans(&self, kwargs: &Kwargs) -> tera::TeraResult<Value> {
        thread_local! {
            static KEY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        KEY.with_borrow_mut(|key| {
            if !Self::memo_key(kwargs, key) {
                return self.locale.trans(kwargs);
            }
            if let Some(value) = self
                .memo
                .read()
                .ok()
                .and_then(|memo| memo.get(key.as_str()).cloned())
            {
                return Ok(value);
            }
            let value = self.locale.trans(kwargs)?;
            if let Ok(mut memo) = self.memo.write()
                && memo.len() < MEMO_WORDS
            {
                memo.insert(key.as_str().into(), value.clone());
            }
            Ok(value)
        })
    }

    /// Writes the call's arguments into `key` (name, type and value of
    /// each, in the call's order); false when the call is not memoised.
    fn memo_key(kwargs: &Kwargs, key: &mut String) -> bool {
        use std::fmt::Write;
        key.clear();
        for (name, value) in kwargs.iter() {
            let Some(name) = name.as_str() else {
                return false;
            };
            if name == "lang" {
                return false;
            }
            key.push_str(name);
            if let Some(text) = value.as_str() {
                // A NUL would let two calls write the same key.
                if text.len() > MEMO_ARG || text.contains('\0') {
                    return false;
                }
                key.push_str("=s");
                key.push_str(text);
            } else if let Some(n) = value.as_i64() {
                let _ = write!(key, "=i{n}");
            } else {
                return false;
            }
            key.push('\0');
        }
        true
    }
}

/// `fr` for `fr-CA`, `zh` for `zh_Hans`.
fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .to_ascii_lowercase()
}

fn fill(text: &str, args: &[(&str, String)]) -> String {
    if !text.contains('{') {
        return text.to_string();
    }
    let mut out = text.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// CLDR's plural form of a whole number in a language (its cardinal
/// rules for integers). Languages not listed use English's rule; a form a
/// translation does not give falls back to its `other`.
fn plural_form(primary: &str, n: i64) -> &'static str {
    let n = n.unsigned_abs();
    let (n10, n100) = (n % 10, n % 100);
    match primary {
        "ja" | "ko" | "zh" | "th" | "vi" | "id" | "ms" => "other",
        "fr" | "pt" => {
            if n <= 1 {
                "one"
            } else {
                "other"
            }
        }
        "ru" | "uk" | "be" => {
            if n10 == 1 && n100 != 11 {
                "one"
            } else if (2..=4).contains(&n10) && !(12..=14).contains(&n100) {
                "few"
            } else {
                "many"
            }
        }
        "pl" => {
            if n == 1 {
                "one"
            } else if (2..=4).contains(&n10) && !(12..=14).contains(&n100) {
                "few"
            } else {
                "many"
            }
        }
        "cs" | "sk" => match n {
            1 => "one",
            2..=4 => "few",
            _ => "other",
        },
        "ar" => match (n, n100) {
            (0, _) => "zero",
            (1, _) => "one",
            (2, _) => "two",
            (_, 3..=10) => "few",
            (_, 11..=99) => "many",
            _ => "other",
        },
        "he" | "iw" => match n {
            1 => "one",
            2 => "two",
            _ => "other",
        },
        _ => {
            if n == 1 {
                "one"
            } else {
                "other"
            }
        }
    }
}

/// Reads one translation file. `known` is what it goes over (None for
/// English, which defines the keys): its keys are the only ones allowed,
/// each with the same shape.
fn read(
    name: &str,
    text: &str,
    known: Option<&BTreeMap<String, Entry>>,
) -> Result<BTreeMap<String, Entry>, Diagnostic> {
    let at = |key: &str, message: String| {
        let line = yaml_key_line(text, key).unwrap_or(1);
        Diagnostic::new(name, message).at(line, Some(1))
    };
    let map: BTreeMap<String, Yaml> = match serde_yaml::from_str::<Option<_>>(text) {
        Ok(map) => map.unwrap_or_default(),
        Err(e) => {
            return Err(crate::front_matter::yaml_error(
                Path::new(name),
                &e,
                "translation file",
            ));
        }
    };
    let mut entries = BTreeMap::new();
    for (key, value) in map {
        let english = known.and_then(|k| k.get(&key));
        if let Some(known) = known
            && english.is_none()
            && !OPTIONAL_KEYS.contains(&key.as_str())
        {
            let near = known
                .keys()
                .map(|k| (strsim::damerau_levenshtein(&key, k), k))
                .filter(|(d, k)| *d <= k.len().max(3) / 2)
                .min()
                .map(|(_, k)| format!(": did you mean `{k}`?"))
                .unwrap_or_default();
            return Err(at(
                &key,
                format!(
                    "unknown key `{key}`{near} (a translation gives the keys of briefly's templates/i18n/en.yaml; see the README, \"Languages\")"
                ),
            ));
        }
        let entry = entry(&value).ok_or_else(|| {
            at(
                &key,
                format!("`{key}` must be text, a list of names, or plural forms (one:, other:…)"),
            )
        })?;
        let shape_of = |e: &Entry| match e {
            Entry::List(items) => Some(items.len()),
            _ => None,
        };
        match (english.map(shape_of), shape_of(&entry), key.as_str()) {
            (Some(Some(want)), got, _) if got != Some(want) => {
                return Err(at(&key, format!("`{key}` must list {want} names")));
            }
            (Some(None), Some(_), _) => {
                return Err(at(&key, format!("`{key}` must be text, not a list")));
            }
            (_, got, "months_genitive") if got != Some(12) => {
                return Err(at(&key, format!("`{key}` must list 12 names")));
            }
            (_, got, "dir")
                if got.is_some()
                    || !matches!(&entry, Entry::Text(d) if d == "ltr" || d == "rtl") =>
            {
                return Err(at(&key, "`dir` must be `ltr` or `rtl`".into()));
            }
            _ => {}
        }
        if let Entry::Plural(forms) = &entry {
            if let Some(bad) = forms.keys().find(|f| !PLURAL_FORMS.contains(&f.as_str())) {
                return Err(at(
                    &key,
                    format!(
                        "`{key}`: `{bad}` is not a plural form (zero, one, two, few, many, other)"
                    ),
                ));
            }
            if !forms.contains_key("other") {
                return Err(at(&key, format!("`{key}` needs an `other:` form")));
            }
        }
        entries.insert(key, entry);
    }
    Ok(entries)
}

fn entry(value: &Yaml) -> Option<Entry> {
    let text = |v: &Yaml| match v {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match value {
        Yaml::Sequence(items) => items
            .iter()
            .map(text)
            .collect::<Option<_>>()
            .map(Entry::List),
        Yaml::Mapping(forms) => forms
            .iter()
            .map(|(k, v)| Some((k.as_str()?.to_string(), text(v)?)))
            .collect::<Option<_>>()
            .map(Entry::Plural),
        other => text(other).map(Entry::Text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memo of `trans` gives what the call gives without it, for
    /// calls asked for again with the same and with other arguments.
    #[test]
    fn memoised_words_are_the_words() {
        let locale = Arc::new(Locale::builtin("ru"));
        let mut tera = Tera::default();
        register(&mut tera, &locale);
        let calls = [
            r#"trans(key="published")"#,
            r#"trans(key="min_read", n=1)"#,
            r#"trans(key="min_read", n=3)"#,
            r#"trans(key="min_read", n=11)"#,
            r#"trans(key="tag_title", tag="a")"#,
            r#"trans(key="tag_title", tag="b")"#,
            r#"trans(key="tag_title", tag=3)"#,
            r#"trans(key="published_with", generator="briefly 0.1")"#,
            r#"trans(key="entries", n=5) ~ trans(key="entries", n=2)"#,
        ];
        let template: String = calls
            .iter()
            .flat_map(|call| [call, call])
            .map(|call| format!("{{{{ {call} }}}}|"))
            .collect();
        tera.add_raw_template("t", &template).unwrap();
        let words = tera.render("t", &tera::Context::new()).unwrap();
        let expected: String = [
            locale.word("published", None, &[]).unwrap(),
            locale
                .word("min_read", Some(1), &[("n", "1".into())])
                .unwrap(),
            locale
                .word("min_read", Some(3), &[("n", "3".into())])
                .unwrap(),
            locale
                .word("min_read", Some(11), &[("n", "11".into())])
                .unwrap(),
            locale
                .word("tag_title", None, &[("tag", "a".into())])
                .unwrap(),
            locale
                .word("tag_title", None, &[("tag", "b".into())])
                .unwrap(),
            locale
                .word("tag_title", None, &[("tag", "3".into())])
                .unwrap(),
            locale
                .word(
                    "published_with",
                    None,
                    &[("generator", "briefly 0.1".into())],
                )
                .unwrap(),
            locale
                .word("entries", Some(5), &[("n", "5".into())])
                .unwrap()
                + &locale
                    .word("entries", Some(2), &[("n", "2".into())])
                    .unwrap(),
        ]
        .iter()
        .flat_map(|word| [word, word])
        .map(|word| {
            let mut escaped = Vec::new();
            tera::escape_html(word, &mut escaped).unwrap();
            format!("{}|", String::from_utf8(escaped).unwrap())
        })
        .collect();
        assert_eq!(words, expected);
        assert_ne!(
            locale.word("min_read", Some(1), &[("n", "1".into())]),
            locale.word("min_read", Some(3), &[("n", "3".into())]),
            "Russian has other forms for 1 and 3"
        );
        // An error is not kept: the unknown key fails each time.
        tera.add_raw_template("bad", r#"{{ trans(key="nope") }}"#)
            .unwrap();
        for _ in 0..2 {
            assert!(tera.render("bad", &tera::Context::new()).is_err());
        }
    }

    /// Every shipped language gives every English word (none falls back
    /// by mistake), and its file reads.
    #[test]
    fn every_shipped_language_has_every_word() {
        let english = Locale::builtin("en");
        for tag in ["fr", "de", "es", "ru", "uk", "ko", "ja", "zh", "he"] {
            let file = templates::builtin_text(&format!("{I18N_DIR}/{tag}.yaml")).unwrap();
            let own = read(tag, file, Some(&english.entries)).unwrap();
            let missing: Vec<_> = english
                .entries
                .keys()
                .filter(|k| !own.contains_key(*k))
                .collect();
            assert!(missing.is_empty(), "{tag} lacks {missing:?}");
            let dir = if tag == "he" { "rtl" } else { "ltr" };
            assert_eq!(Locale::builtin(tag).dir, dir);
        }
    }

    #[test]
    fn tags_fall_back_to_their_primary_language() {
        let fr = Locale::builtin("fr-CA");
        assert_eq!(fr.word("published", None, &[]).unwrap(), "Publié");
        assert_eq!(
            Locale::builtin("zh-Hans").word("older", None, &[]).unwrap(),
            "更早"
        );
        let pt = Locale::builtin("pt-BR");
        assert_eq!(pt.word("published", None, &[]).unwrap(), "Published");
        assert_eq!(Locale::builtin("ar").dir, "rtl");
        assert_eq!(Locale::builtin("he-IL").dir, "rtl");
    }

    #[test]
    fn plural_forms_follow_each_language() {
        let ru = Locale::builtin("ru");
        let found = |n| {
            ru.word("search_found", Some(n), &[("n", n.to_string())])
                .unwrap()
        };
        assert_eq!(found(1), "Найден 1 брифинг.");
        assert_eq!(found(3), "Найдено 3 брифинга.");
        assert_eq!(found(11), "Найдено 11 брифингов.");
        assert_eq!(found(21), "Найден 21 брифинг.");
        let fr = Locale::builtin("fr");
        assert_eq!(
            fr.word("min_read", Some(0), &[("n", "0".into())]).unwrap(),
            "0 min de lecture"
        );
    }

    #[test]
    fn a_site_file_overrides_and_unknown_keys_are_errors_at_their_line() {
        let files = [(
            "templates/i18n/fr.yaml".to_string(),
            "# ours\nolder: Avant\n".to_string(),
        )];
        let fr = Locale::from_files("fr", &files).unwrap();
        assert_eq!(fr.word("older", None, &[]).unwrap(), "Avant");
        assert_eq!(fr.word("newer", None, &[]).unwrap(), "Plus récent");
        let files = [(
            "templates/i18n/fr.yaml".to_string(),
            "older: Avant\nnewr: Après\n".to_string(),
        )];
        let err = Locale::from_files("fr", &files).unwrap_err();
        assert_eq!(err.path, Path::new("templates/i18n/fr.yaml"));
        assert_eq!(err.line, Some(2));
        assert!(
            err.message
                .contains("unknown key `newr`: did you mean `newer`?"),
            "{err}"
        );
        let files = [(
            "templates/i18n/fr.yaml".to_string(),
            "months: [a, b]\n".to_string(),
        )];
        let err = Locale::from_files("fr", &files).unwrap_err();
        assert!(err.message.contains("must list 12 names"), "{err}");
    }
}
