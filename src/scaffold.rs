//! Writing a site's sources for the author: `briefly init` starts a site that
//! builds at once (with the built-in theme copied out on request), and
//! `briefly new` writes a briefing's front-matter skeleton. This module only
//! creates files under a site's folder and never deletes or overwrites what
//! the author wrote, unless told to with `--force`; reading and checking the
//! site stays with `config.rs`, `content.rs` and the build. The texts it
//! writes are in `scaffold_texts.rs`.

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use include_dir::{Dir, include_dir};
use jiff::civil;

use crate::config;
use crate::content::CONTENT_DIR;
use crate::date::Date;
use crate::scaffold_texts::{
    ABOUT_PAGE, PAGES_WORKFLOW_PATH, SITE_YAML, briefing_skeleton, pages_workflow, welcome_briefing,
};
use crate::standalone::PAGES_DIR;
use crate::templates::TEMPLATES_DIR;
use crate::url::slugify;

/// The built-in theme, embedded again (render.rs keeps its copy private) so
/// `init --templates` can write it out for the author to change.
static THEME: Dir = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Where `briefly new` writes briefings, under `content/`.
pub const BRIEFINGS_DIR: &str = "briefings";

const GITIGNORE: &str = ".gitignore";
const IGNORED_OUTPUT: &str = "public/";

/// Parses a `--date` value: a plain `YYYY-MM-DD` day.
pub fn parse_day(text: &str) -> Result<civil::Date, String> {
    let date = Date::parse(text)?;
    if date.time.is_some() || date.offset.is_some() {
        return Err(format!("write the date as YYYY-MM-DD, not `{text}`"));
    }
    Ok(date.day)
}

/// What `briefly init` was asked to do.
#[derive(Debug, Clone)]
pub struct Init {
    pub dir: PathBuf,
    /// Also copy the built-in theme into `templates/`.
    pub templates: bool,
    /// Write into a folder that is not empty.
    pub force: bool,
}

/// What `briefly init` wrote, shown to the author with the next commands.
#[derive(Debug, Clone)]
pub struct Created {
    pub dir: PathBuf,
    /// Files written, relative to `dir`, in the order written.
    pub files: Vec<PathBuf>,
    /// How many of `files` are the theme under `templates/`.
    pub templates: usize,
}

/// Starts a site in `options.dir` (created if missing) dated `today`: a
/// `site.yaml`, one sample briefing, an about page, a `.gitignore` and a
/// GitHub Pages workflow.
pub fn init(options: &Init, today: civil::Date) -> anyhow::Result<Created> {
    let dir = &options.dir;
    if dir.exists() && !dir.is_dir() {
        bail!("{} exists and is not a folder", dir.display());
    }
    if dir.is_dir() && !options.force {
        let found = occupants(dir, options.templates)
            .with_context(|| format!("cannot read the folder {}", dir.display()))?;
        if !found.is_empty() {
            bail!(
                "{} is not empty (it holds {}); use --force to write into it anyway",
                shown_dir(dir),
                listing(&found)
            );
        }
    }
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (config::FILE_NAME.into(), SITE_YAML.as_bytes().to_vec()),
        (
            Path::new(CONTENT_DIR)
                .join(BRIEFINGS_DIR)
                .join(format!("{today}-welcome.md")),
            welcome_briefing(today).into_bytes(),
        ),
        (
            Path::new(CONTENT_DIR).join(PAGES_DIR).join("about.md"),
            ABOUT_PAGE.as_bytes().to_vec(),
        ),
        (GITIGNORE.into(), gitignore(dir)?.into_bytes()),
        (PAGES_WORKFLOW_PATH.into(), pages_workflow().into_bytes()),
    ];
    let mut theme = Vec::new();
    if options.templates {
        theme_files(&THEME, &mut theme);
        theme.sort_by_key(|f| f.path());
    }
    let templates = theme.len();
    files.extend(theme.into_iter().map(|f| {
        (
            Path::new(TEMPLATES_DIR).join(f.path()),
            f.contents().to_vec(),
        )
    }));
    for (relative, bytes) in &files {
        write(&dir.join(relative), bytes)?;
    }
    Ok(Created {
        dir: dir.clone(),
        files: files.into_iter().map(|(path, _)| path).collect(),
        templates,
    })
}

impl fmt::Display for Created {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let here = is_current_dir(&self.dir);
        if here {
            writeln!(f, "Created a site in this folder:")?;
        } else {
            writeln!(f, "Created a site in {}:", shown_dir(&self.dir))?;
        }
        for path in &self.files[..self.files.len() - self.templates] {
            writeln!(f, "  {}", path.display())?;
        }
        if self.templates > 0 {
            writeln!(
                f,
                "  {TEMPLATES_DIR}/ ({} files: the built-in theme, yours to change)",
                self.templates
            )?;
        }
        writeln!(f, "Next:")?;
        let serve = if here {
            "briefly serve".to_string()
        } else {
            format!("cd {} && briefly serve", shell_word(&self.dir))
        };
        writeln!(
            f,
            "  {serve:<32} preview it at http://127.0.0.1:1111/, rebuilt on every save"
        )?;
        writeln!(
            f,
            "  {:<32} start a briefing",
            "briefly new \"Your first title\""
        )?;
        write!(f, "  {:<32} write the site into public/", "briefly build")
    }
}

/// What is in a folder that `init` would be writing into, without `--force`:
/// the names init itself writes first, then the rest by name. Hidden entries
/// (`.git`, an existing `.gitignore`) do not count, so `git init` may come
/// first, as zola's `is_directory_quasi_empty` (`src/cmd/init.rs`) allows.
fn occupants(dir: &Path, templates: bool) -> std::io::Result<Vec<String>> {
    let mut ours = vec![config::FILE_NAME, CONTENT_DIR];
    if templates {
        ours.push(TEMPLATES_DIR);
    }
    let mut found = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let rank = ours.iter().position(|o| *o == name).unwrap_or(ours.len());
        let shown = if entry.path().is_dir() {
            format!("{name}/")
        } else {
            name.clone()
        };
        found.push((rank, name, shown));
    }
    found.sort();
    Ok(found.into_iter().map(|(_, _, shown)| shown).collect())
}

/// `a`, `a and b`, `a, b and c`, `a, b and 2 more`.
fn listing(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [a, b, c] => format!("{a}, {b} and {c}"),
        [a, b, rest @ ..] => format!("{a}, {b} and {} more", rest.len()),
    }
}

/// The `.gitignore` to write: an existing one (init does not count hidden
/// files as occupants) keeps its lines and gains `public/` if it lacks it.
fn gitignore(dir: &Path) -> anyhow::Result<String> {
    let path = dir.join(GITIGNORE);
    if !path.is_file() {
        return Ok(format!("{IGNORED_OUTPUT}\n"));
    }
    let mut text =
        fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let ignored = text
        .lines()
        .any(|l| matches!(l.trim(), "public" | "public/" | "/public" | "/public/"));
    if !ignored {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(IGNORED_OUTPUT);
        text.push('\n');
    }
    Ok(text)
}

fn theme_files(dir: &'static Dir<'static>, into: &mut Vec<&'static include_dir::File<'static>>) {
    into.extend(dir.files());
    for sub in dir.dirs() {
        theme_files(sub, into);
    }
}

/// What `briefly new` was asked to write.
#[derive(Debug, Clone)]
pub struct NewBriefing {
    pub root: PathBuf,
    pub title: String,
    /// The briefing's date; today when not given.
    pub date: Option<civil::Date>,
    pub tags: Vec<String>,
    pub draft: bool,
    /// The folder under `content/` (default `briefings`).
    pub section: Option<String>,
}

/// The folder under `content/` a new briefing goes in: `briefings`, or a
/// relative path that stays inside `content/`.
fn section(given: Option<&str>) -> anyhow::Result<PathBuf> {
    let Some(given) = given else {
        return Ok(PathBuf::from(BRIEFINGS_DIR));
    };
    let path = Path::new(given.trim_matches('/'));
    let inside = path
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    if !inside || path.as_os_str().is_empty() {
        bail!(
            "--section `{given}` must be a folder under content/, such as `briefings` or `analysis/asia`"
        );
    }
    Ok(path.to_path_buf())
}

/// Writes `content/briefings/<date>-<slug>.md` under `options.root` with a
/// front-matter skeleton, and returns its path. An existing file is never
/// overwritten.
pub fn new_briefing(options: &NewBriefing, today: civil::Date) -> anyhow::Result<PathBuf> {
    let title = options
        .title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let slug = slugify(&title);
    let slug = short_slug(&slug);
    if slug.is_empty() {
        bail!(
            "the title `{title}` has no letters or digits to make a file name from: give the briefing a title in words"
        );
    }
    let site_yaml = options.root.join(config::FILE_NAME);
    if !site_yaml.is_file() {
        bail!(
            "{} not found: run `briefly new` in a site's folder or point --root at one (`briefly init` starts a site)",
            shown(&site_yaml).display()
        );
    }
    let date = options.date.unwrap_or(today);
    let path = options
        .root
        .join(CONTENT_DIR)
        .join(section(options.section.as_deref())?)
        .join(format!("{date}-{slug}.md"));
    let text = briefing_skeleton(&title, date, &options.tags, options.draft);
    let parent = path.parent().expect("the path has a folder");
    fs::create_dir_all(parent)
        .with_context(|| format!("cannot create the folder {}", shown(parent).display()))?;
    // `create_new` refuses an existing file in the same step that creates it,
    // so two runs at once cannot both write it.
    let mut file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
            "{} already exists: edit it, or give the new briefing another title or --date",
            shown(&path).display()
        ),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot write {}", shown(&path).display()));
        }
    };
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", shown(&path).display()))?;
    Ok(shown(&path))
}

/// The longest slug `new` puts in a file name (and so in the briefing's
/// URL), in bytes: an address a reader can still read, far below the 255
/// bytes file systems allow in a name.
const NEW_SLUG_MAX: usize = 80;

/// `slug` cut to `NEW_SLUG_MAX` bytes after its last whole word, or on a
/// character boundary when its first word is longer than that.
fn short_slug(slug: &str) -> &str {
    if slug.len() <= NEW_SLUG_MAX {
        return slug;
    }
    let mut end = NEW_SLUG_MAX;
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    let cut = if slug[end..].starts_with('-') {
        &slug[..end]
    } else {
        slug[..end]
            .rsplit_once('-')
            .map_or(&slug[..end], |(words, _)| words)
    };
    cut.trim_end_matches('-')
}

/// Writes one file, creating its folder; the error names the path.
fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder {}", parent.display()))?;
    }
    fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

fn is_current_dir(dir: &Path) -> bool {
    dir.as_os_str().is_empty() || dir == Path::new(".") || dir == Path::new("./")
}

fn shown_dir(dir: &Path) -> String {
    if is_current_dir(dir) {
        "this folder".to_string()
    } else {
        dir.display().to_string()
    }
}

/// A path as the author can use it from where they ran the command, without
/// a leading `./`.
fn shown(path: &Path) -> PathBuf {
    path.strip_prefix(".").unwrap_or(path).to_path_buf()
}

/// A path as one shell word, quoted when it holds anything but plain
/// characters.
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = text
        .chars()
        .all(|c| c.is_alphanumeric() || "-_./+,@%:".contains(c));
    if plain {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_slug_is_cut_after_a_whole_word() {
        assert_eq!(short_slug("kazan-summit"), "kazan-summit");
        let words = "talks-".repeat(50);
        let cut = short_slug(words.trim_end_matches('-'));
        assert_eq!(cut, "talks-".repeat(13).trim_end_matches('-'));
        let one = "a".repeat(300);
        assert_eq!(short_slug(&one), "a".repeat(NEW_SLUG_MAX));
        let exact = format!("{}-b", "a".repeat(NEW_SLUG_MAX));
        assert_eq!(short_slug(&exact), "a".repeat(NEW_SLUG_MAX));
        // Not ASCII (should slugify ever keep letters as written).
        let wide = "é".repeat(100);
        assert_eq!(short_slug(&wide), "é".repeat(NEW_SLUG_MAX / 2));
    }

    fn day(text: &str) -> civil::Date {
        parse_day(text).unwrap()
    }

    #[test]
    fn what_is_there_is_listed_briefly() {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(listing(&names(&["site.yaml"])), "site.yaml");
        assert_eq!(listing(&names(&["a", "b"])), "a and b");
        assert_eq!(listing(&names(&["a", "b", "c"])), "a, b and c");
        assert_eq!(
            listing(&names(&["site.yaml", "content/", "a", "b"])),
            "site.yaml, content/ and 2 more"
        );
    }

    #[test]
    fn dates_must_be_plain_days() {
        assert_eq!(day("2024-10-26").to_string(), "2024-10-26");
        assert!(parse_day("2024-02-30").unwrap_err().contains("29 days"));
        assert!(parse_day("2024-10-26T10:00:00Z").is_err());
        assert!(parse_day("tomorrow").is_err());
    }

    #[test]
    fn paths_are_quoted_for_the_shell_when_needed() {
        assert_eq!(shell_word(Path::new("my-site")), "my-site");
        assert_eq!(shell_word(Path::new("my site")), "'my site'");
        assert_eq!(shell_word(Path::new("it's")), r"'it'\''s'");
    }
}
