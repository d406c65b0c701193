//! Templates: the built-in theme (this repository's `templates/`, embedded
//! in the binary) overridden by file name with a site's own `templates/`,
//! loaded into Tera with every broken template reported; and the theme's
//! static files (`templates/static/`), copied to the output root. Errors
//! name the template file as the author knows it.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use include_dir::{Dir, include_dir};
use tera::{Context, Tera, Value};
use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;
use crate::site::Site;
use crate::template_data::DataFiles;
use crate::template_functions::{self, Lookup};

/// The built-in theme.
static BUILTIN: Dir = include_dir!("$CARGO_MANIFEST_DIR/templates");

pub const TEMPLATES_DIR: &str = "templates";

/// How errors name a built-in template.
const BUILTIN_NOTE: &str = " (built-in template)";

/// Where a static file comes from.
#[derive(Debug, Clone)]
pub enum StaticFile {
    Builtin(&'static [u8]),
    Site(PathBuf),
}

pub struct Templates {
    tera: Tera,
    /// A hash of every template and static file name and text: equal when
    /// nothing a page could depend on changed.
    pub generation: u64,
    /// Template name -> the file as the user knows it, for error messages.
    origins: BTreeMap<String, String>,
    /// Output path -> source, for `templates/static/`.
    pub statics: BTreeMap<PathBuf, StaticFile>,
    /// The names of the templates in the site's own `templates/` (what a
    /// page's `layout:` or `template =` may ask for).
    pub own: BTreeSet<String>,
    /// Whether a template calls `get_url` or `get_page`: its pages then
    /// depend on every briefing and page (see `bind`).
    pub uses_site: bool,
    /// Whether a template calls `load_data`.
    pub uses_data: bool,
    /// The files `load_data` read.
    pub data: Arc<DataFiles>,
    /// The fingerprint of what `get_url` and `get_page` give this build.
    bound: u64,
    /// Whether a template calls `get_taxonomy_url` (then pages need the
    /// site's terms: `Views::with_term_urls`).
    pub calls_taxonomy_url: bool,
    /// The kinds of card this site's templates allow (see `card`): those
    /// whose partials are the built-in theme's, which read nothing but
    /// their item, `site` and the words.
    pub cards: Vec<Card>,
}

impl Templates {
    /// Loads the built-in theme and a site's overrides, reporting every
    /// template with a syntax error.
    pub fn load(
        root: &Path,
        locale: &std::sync::Arc<crate::locale::Locale>,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let (mut sources, mut statics) = builtin();
        let mut errors = add_site_files(root, &mut sources, &mut statics);
        let origins: BTreeMap<String, String> = sources
            .iter()
            .map(|(name, (_, shown))| (name.clone(), shown.clone()))
            .collect();
        let own = sources
            .iter()
            .filter(|(_, (_, shown))| !shown.ends_with(BUILTIN_NOTE))
            .map(|(name, _)| name.clone())
            .collect();
        errors.extend(syntax_errors(&sources, &origins));
        if !errors.is_empty() {
            return Err(errors);
        }
        let generation = {
            let mut hasher = crate::hash::FingerprintHasher::new();
            sources
                .iter()
                .for_each(|(name, (text, _))| (name, text).hash(&mut hasher));
            statics.keys().for_each(|path| path.hash(&mut hasher));
            hasher.finish()
        };
        let uses_site = sources
            .values()
            .any(|(text, _)| text.contains("get_url") || text.contains("get_page"));
        let uses_data = sources.values().any(|(text, _)| text.contains("load_data"));
        let cards = [Card::Summary, Card::TimelineEntry, Card::SearchBox]
            .into_iter()
            .filter(|card| {
                card.partials().iter().all(|name| {
                    sources.get(*name).map(|(text, _)| text.as_str()) == builtin_text(name)
                })
            })
            .collect();
        let data = Arc::new(DataFiles::new(root));
        let mut tera = Tera::default();
        template_functions::register(&mut tera, Arc::clone(&data));
        crate::locale::register(&mut tera, locale);
        tera.register_function("get_taxonomy_url", crate::taxonomy::get_taxonomy_url);
        let guarded: Vec<_> = sources
            .iter()
            .map(|(name, (text, _))| (name.as_str(), crate::template_default::guard(text)))
            .collect();
        tera.add_raw_templates(guarded.iter().map(|(name, text)| (*name, text.as_ref())))
            .map_err(|e| vec![tera_diagnostic(&e, &origins, None)])?;
        Ok(Templates {
            tera,
            generation,
            origins,
            statics,
            own,
            uses_site,
            uses_data,
            data,
            bound: 0,
            calls_taxonomy_url: sources
                .values()
                .any(|(text, _)| text.contains("get_taxonomy_url")),
            cards,
        })
    }

    /// Binds the functions that read the site (`get_url`, `get_page`,
    /// `markdown`, `now`) to this build's model; `now` is what `now()` gives.
    pub fn bind(&mut self, site: &Site, now: Result<jiff::Timestamp, String>) {
        let lookup = match self.uses_site {
            true => Lookup::new(site, &self.statics),
            false => Lookup::default(),
        };
        self.bound = match self.uses_site {
            true => lookup.fingerprint(),
            false => 0,
        };
        let style = crate::markdown::Style::of(&site.config);
        template_functions::bind(&mut self.tera, Arc::new(lookup), style, now);
    }

    /// What every page's fingerprint takes from the templates: their
    /// text, and what `get_url` and `get_page` give.
    pub fn fingerprint(&self) -> u64 {
        crate::hash::hash_of((self.generation, self.bound))
    }

    /// A Tera error met while rendering `page`, as the author knows it.
    pub fn error(&self, error: &tera::Error, page: &Page) -> Diagnostic {
        tera_diagnostic(error, &self.origins, Some(page))
    }

    /// Renders template `name`; `page` says which page, for errors.
    /// An item of a list as its partial renders it, with the item, `site`
    /// and nothing else: made once per build rather than once per list it
    /// is in (a briefing is on an index page and on each of its tags'
    /// pages; an event on each of its briefing's tags' timelines), or the
    /// search box (`item` none) once rather than on every page. `None`
    /// when the partial fails or this kind of card is off; the page then
    /// includes the partial itself, which reports the error at its page.
    pub fn card(
        &self,
        card: Card,
        item: Option<&Value>,
        site: &Value,
        term_urls: Option<&Value>,
    ) -> Option<String> {
        if !self.cards.contains(&card) {
            return None;
        }
        let mut context = Context::new();
        if let Some(item) = item {
            context.insert_value(card.variable(), item.clone());
        }
        context.insert_value("site", site.clone());
        if let Some(urls) = term_urls {
            context.insert_value(crate::taxonomy::TERM_URLS, urls.clone());
        }
        self.tera.render(card.partials()[0], &context).ok()
    }

    pub fn render(&self, name: &str, context: &Context, page: &Page) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| tera_diagnostic(&e, &self.origins, Some(page)))
    }
}

/// A list item rendered once per build (`Templates::card`), shown as
/// `card` by the built-in lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Card {
    /// A briefing's summary on the index and tag pages (`b.card`).
    Summary,
    /// An entry of the site's and the tags' timelines (`e.card`).
    TimelineEntry,
    /// The search box of every page's header (`search_box`).
    SearchBox,
}

impl Card {
    /// The partials it renders, the card's own first: cards of a kind are
    /// made while a site keeps the built-in ones.
    fn partials(self) -> &'static [&'static str] {
        match self {
            Card::Summary => &["partials/summary.html", "partials/terms.html"],
            Card::TimelineEntry => &["partials/timeline_entry.html"],
            Card::SearchBox => &["partials/search.html"],
        }
    }

    /// What the partial calls its item (the search box has none).
    fn variable(self) -> &'static str {
        match self {
            Card::Summary => "b",
            Card::TimelineEntry => "e",
            Card::SearchBox => "",
        }
    }
}

/// Template name -> its text and the file as the user knows it.
type Sources = BTreeMap<String, (String, String)>;

/// Output path -> source, for `templates/static/`.
type Statics = BTreeMap<PathBuf, StaticFile>;

/// The built-in stylesheets as served (name under `static/`, CSS):
/// minified once, so that a page with its CSS stays light (issue 12, item
/// 6) while the sources stay readable.
static STYLESHEETS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let Some(dir) = BUILTIN.get_dir("static") else {
        return Vec::new();
    };
    dir.files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "css"))
        .map(|f| {
            let name = f.path().file_name().unwrap().to_string_lossy().into_owned();
            let css = f.contents_utf8().expect("the built-in CSS is UTF-8");
            let minified = minifier::css::minify(css)
                .unwrap_or_else(|e| panic!("the built-in {name}: {e}"))
                .to_string();
            (name, minified)
        })
        .collect()
});

/// The built-in theme's templates and static files.
fn builtin() -> (Sources, Statics) {
    let mut sources = Sources::new();
    let mut statics = Statics::new();
    for file in builtin_files(&BUILTIN) {
        let name = file.path().to_string_lossy().replace('\\', "/");
        if is_translation(&name) {
            continue;
        }
        if let Some(rest) = name.strip_prefix("static/") {
            let bytes = match STYLESHEETS.iter().find(|(name, _)| name == rest) {
                Some((_, css)) => css.as_bytes(),
                None => file.contents(),
            };
            statics.insert(PathBuf::from(rest), StaticFile::Builtin(bytes));
        } else {
            let text = file.contents_utf8().expect("built-in templates are UTF-8");
            sources.insert(
                name.clone(),
                (text.to_string(), format!("{name}{BUILTIN_NOTE}")),
            );
        }
    }
    (sources, statics)
}

/// Adds the site's `templates/`, each file replacing the built-in one of
/// the same name, and returns the files that could not be read.
fn add_site_files(root: &Path, sources: &mut Sources, statics: &mut Statics) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let dir = root.join(TEMPLATES_DIR);
    if !dir.is_dir() {
        return errors;
    }
    for entry in WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) if e.file_type().is_file() => e,
            Ok(_) => continue,
            Err(e) => {
                errors.push(Diagnostic::new(TEMPLATES_DIR, format!("cannot read: {e}")));
                continue;
            }
        };
        let relative = entry
            .path()
            .strip_prefix(&dir)
            .expect("walkdir stays under its root");
        let name = relative.to_string_lossy().replace('\\', "/");
        if crate::content::is_ignored(&entry.file_name().to_string_lossy()) || is_translation(&name)
        {
            continue;
        }
        let shown = Path::new(TEMPLATES_DIR)
            .join(relative)
            .display()
            .to_string();
        if let Some(rest) = name.strip_prefix("static/") {
            statics.insert(
                PathBuf::from(rest),
                StaticFile::Site(entry.path().to_path_buf()),
            );
            continue;
        }
        match std::fs::read(entry.path()).map(String::from_utf8) {
            Ok(Ok(text)) => {
                sources.insert(name, (text, shown));
            }
            Ok(Err(_)) => errors.push(Diagnostic::new(
                &shown,
                "the template is not UTF-8 text: save it as UTF-8",
            )),
            Err(e) => errors.push(Diagnostic::new(&shown, format!("cannot read: {e}"))),
        }
    }
    errors
}

/// Parses each template alone first, so every broken one is reported.
fn syntax_errors(sources: &Sources, origins: &BTreeMap<String, String>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (name, (text, _)) in sources {
        let mut alone = Tera::default();
        if let Err(e) = alone.add_raw_template(name, text)
            && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
        {
            errors.push(tera_diagnostic(&e, origins, None));
        }
    }
    errors
}

/// Whether a file of `templates/` is a translation (`i18n/*.yaml`, read
/// by `locale.rs`), not a template.
pub fn is_translation(name: &str) -> bool {
    name.starts_with(&format!("{}/", crate::locale::I18N_DIR))
}

/// The text of a built-in file of `templates/` (`i18n/fr.yaml`).
pub fn builtin_text(name: &str) -> Option<&'static str> {
    BUILTIN.get_file(name).and_then(|f| f.contents_utf8())
}

/// Whether a built-in template names `name` in quotes (extends, include,
/// import), so a site's file of that name is used.
pub fn builtin_mentions(name: &str) -> bool {
    let quoted = format!("\"{name}\"");
    builtin_files(&BUILTIN)
        .iter()
        .filter_map(|f| f.contents_utf8())
        .any(|text| text.contains(&quoted))
}

fn builtin_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(builtin_files(sub));
    }
    files
}

/// Describes a page being rendered, for error messages.
pub struct Page {
    pub path: String,
    pub source: Option<PathBuf>,
}

fn tera_diagnostic(
    error: &tera::Error,
    origins: &BTreeMap<String, String>,
    page: Option<&Page>,
) -> Diagnostic {
    let rendering = page.map(|p| match &p.source {
        Some(source) => format!(
            " (while rendering {} from content/{})",
            p.path,
            source.display()
        ),
        None => format!(" (while rendering {})", p.path),
    });
    let rendering = rendering.unwrap_or_default();
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let file = origins
                .get(report.filename())
                .cloned()
                .unwrap_or_else(|| report.filename().to_string());
            let span = report.span();
            Diagnostic::new(file, format!("{}{rendering}", report.message()))
                .at(span.start_line, Some(span.start_col + 1))
        }
        _ => Diagnostic::new(TEMPLATES_DIR, format!("{error}{rendering}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12, item 6: the built-in stylesheets are served minified, and
    /// the minifier changed no value: the only whitespace it may not drop
    /// is around `+` and `-` in CSS maths, which it keeps inside `calc()`
    /// alone (so the theme writes its sums there).
    #[test]
    fn issue_12_the_built_in_stylesheets_are_minified_without_breaking_sums() {
        assert_eq!(STYLESHEETS.len(), 2);
        for (name, minified) in STYLESHEETS.iter() {
            let source = BUILTIN
                .get_file(format!("static/{name}"))
                .unwrap()
                .contents_utf8()
                .unwrap();
            same_css(minified, source);
        }
    }

    fn same_css(minified: &str, source: &str) {
        assert!(
            minified.len() * 10 < source.len() * 9,
            "{} of {}",
            minified.len(),
            source.len()
        );
        let squashed = |css: &str| {
            let without_comments = regex::Regex::new(r"(?s)/\*.*?\*/")
                .unwrap()
                .replace_all(css, "");
            without_comments
                .chars()
                .filter(|c| !c.is_whitespace() && *c != ';')
                .collect::<String>()
        };
        assert_eq!(squashed(minified), squashed(source));
        let glued = regex::Regex::new(r"[0-9][a-z%]*[+-][0-9.]").unwrap();
        assert_eq!(glued.find(minified).map(|m| m.as_str()), None);
    }
}
