//! What posts moved in from Jekyll, Hugo or Zola say in their own words,
//! and what they leave out that those generators would find elsewhere:
//! a page's own URL (`permalink:`, `url:`, `path =`), its template
//! (`layout:`, `template =`), a date given only as `published:`, in the
//! page's URL or in dated folders, and a title given only by the file name.
//! `document.rs` reports what is still missing and what cannot be used.

use std::path::Path;

use crate::date::Date;
use crate::front_matter::FrontMatter;
use crate::permalink::{Fields, Permalink};
use crate::url::site_path;

/// The front-matter keys that give a page its own URL, in the order they
/// are tried: Jekyll's, Hugo's, Zola's.
pub const OWN_PATH_KEYS: [&str; 3] = ["permalink", "url", "path"];

/// A page's own URL path as written, with the key that gave it. A value
/// that is a full URL is not a path of this site (a link post's `url:`)
/// and is left to `extra`.
pub fn own_path(matter: &FrontMatter) -> Option<(&'static str, &str)> {
    OWN_PATH_KEYS.iter().find_map(|&key| {
        let value = matter.extra.get(key)?.as_str()?.trim();
        (!value.is_empty() && !value.contains("://")).then_some((key, value))
    })
}

/// The site path a page's own URL gives: Jekyll placeholders filled when
/// `fields` are given (a briefing's), else the path as written
/// (`url::site_path`). The error says why it cannot be a path of this site.
pub fn own_site_path(written: &str, fields: Option<&Fields>) -> Result<String, &'static str> {
    match (Permalink::parse(written), fields) {
        (Ok(pattern), Some(fields)) if pattern.has_fields() => pattern.expand(fields),
        _ => site_path(written),
    }
}

/// The template a page asks for, as a file name under `templates/`: Zola's
/// `template = "x.html"`, else Jekyll's and Hugo's `layout: x` (which gets
/// `.html`). Jekyll's `layout: none` / `null` asks for none.
pub fn template(matter: &FrontMatter) -> Option<String> {
    let name = ["template", "layout"].iter().find_map(|&key| {
        let name = matter.extra.get(key)?.as_str()?.trim();
        (!name.is_empty() && name != "none" && name != "null").then_some(name)
    })?;
    if name.ends_with(".html") {
        Some(name.to_string())
    } else {
        Some(format!("{name}.html"))
    }
}

/// A briefing's date, from the first place that gives one: `date`, the
/// other date keys (`front_matter_date`), the file name's `YYYY-MM-DD-`
/// prefix (`file_date`), the page's own URL (`2014/12/12/x`), its dated
/// folders (`2019/05/…`).
pub fn date(
    matter: &FrontMatter,
    file_date: Option<Date>,
    own_path: Option<&str>,
    relative: &Path,
) -> Option<Date> {
    matter
        .date
        .or_else(|| front_matter_date(matter))
        .or(file_date)
        .or_else(|| own_path.and_then(|p| date_in_path(p.split('/'))))
        .or_else(|| date_in_folders(relative))
}

/// Whether Hugo would make no page of it: `headless: true` (a bundle of
/// resources), or `build: {render: never}` (`render: false` in the older
/// `_build`). Such a file is left out as a draft is.
pub fn not_rendered_by_hugo(matter: &FrontMatter) -> bool {
    use serde_yaml::Value;
    let headless = matches!(matter.extra.get("headless"), Some(Value::Bool(true)));
    let never = |key: &str| {
        matter
            .extra
            .get(key)
            .and_then(|build| build.get("render"))
            .is_some_and(|render| match render {
                Value::Bool(b) => !b,
                Value::String(s) => s.eq_ignore_ascii_case("never") || s == "false",
                _ => false,
            })
    };
    headless || never("build") || never("_build")
}

/// A date written in the front matter under another key than `date`, in
/// Hugo's order: `publishDate`, `pubDate`, then `published` when it holds
/// a date (in Jekyll it is usually `published: false`).
pub fn front_matter_date(matter: &FrontMatter) -> Option<Date> {
    matter.publish_date.or(matter.pub_date).or_else(|| {
        let text = matter.extra.get("published")?.as_str()?;
        Date::parse(text).ok()
    })
}

/// The date of the first `YYYY/MM/DD` (or `YYYY/MM`, taken as its first
/// day) run of segments in a path: a page's own URL
/// (`2014/12/12/x`) or the folders of its file (`posts/2019/05/x.md`).
/// An impossible day (`2024/02/30`) is no date.
pub fn date_in_path<'a>(segments: impl IntoIterator<Item = &'a str>) -> Option<Date> {
    let segments: Vec<&str> = segments.into_iter().collect();
    let number = |s: &str, digits: std::ops::RangeInclusive<usize>| -> Option<i16> {
        (digits.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    (0..segments.len()).find_map(|i| {
        let year = number(segments[i], 4..=4)?;
        let month = number(segments.get(i + 1)?, 1..=2)?;
        let day = segments.get(i + 2).and_then(|s| number(s, 1..=2));
        let month = i8::try_from(month).ok()?;
        let day = i8::try_from(day.unwrap_or(1)).ok()?;
        jiff::civil::Date::new(year, month, day)
            .ok()
            .map(Date::from_day)
    })
}

/// The dated folders of a file under `content/` (`posts/2019/05/21/x.md`).
pub fn date_in_folders(relative: &Path) -> Option<Date> {
    let folders = relative.parent()?;
    let names: Vec<String> = folders
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    date_in_path(names.iter().map(String::as_str))
}

/// A title made from a file name less its date, as Jekyll makes one:
/// words split at `-` and `_`, each starting with a capital, the rest as
/// written (`example-post` -> "Example Post", `iOS-tips` -> "IOS Tips").
pub fn title_from_name(name: &str) -> String {
    name.split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
            first.unwrap_or_default() + chars.as_str()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Jekyll's categories from folders: those above a `_posts` folder
/// (`news/_posts/x.md` is in `news`).
pub fn folder_categories(relative: &Path) -> Vec<String> {
    let names: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    match names.iter().position(|n| n == "_posts") {
        Some(at) => names[..at].to_vec(),
        None => Vec::new(),
    }
}

/// Hugo's sections of the file at `relative` (under `content/`): its
/// folders, less a bundle's own (`blog/2022/x/index.md` is in
/// `blog/2022`).
pub fn sections(relative: &Path) -> Vec<String> {
    let mut names: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    names.pop();
    if relative.file_stem().is_some_and(|stem| stem == "index") {
        names.pop();
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matter(yaml: &str) -> FrontMatter {
        crate::front_matter::parse(Path::new("a.md"), yaml, &Default::default()).unwrap()
    }

    #[test]
    fn own_path_and_template_keys() {
        let m = matter("---\nurl: /old/x\npath: 2014/12/12/x\nlayout: post\n");
        assert_eq!(own_path(&m), Some(("url", "/old/x")));
        assert_eq!(template(&m).as_deref(), Some("post.html"));
        let m =
            matter("---\nurl: https://elsewhere.org/x\ntemplate: blog-page.html\nlayout: post\n");
        assert_eq!(own_path(&m), None, "a link post's url stays extra");
        assert_eq!(template(&m).as_deref(), Some("blog-page.html"));
        assert_eq!(template(&matter("---\nlayout: none\n")), None);
    }

    #[test]
    fn dates_from_other_keys_and_paths() {
        let m = matter("---\npubDate: 2020-01-02\npublished: 2021-01-01\n");
        assert_eq!(front_matter_date(&m).unwrap().iso(), "2020-01-02");
        let m = matter("---\npublished: 2021-01-01 10:00:00 +0100\n");
        assert_eq!(front_matter_date(&m).unwrap().iso(), "2021-01-01");
        assert_eq!(front_matter_date(&matter("---\npublished: false\n")), None);
        let day = |p: &str| date_in_path(p.split('/')).map(|d| d.iso());
        assert_eq!(day("2014/12/12/x").as_deref(), Some("2014-12-12"));
        assert_eq!(day("/blog/2019/5/x/").as_deref(), Some("2019-05-01"));
        assert_eq!(day("releases/1.88.0"), None);
        assert_eq!(day("2019/13/01/x"), None);
        assert_eq!(day("2024/02/30/x"), None);
        assert_eq!(
            date_in_folders(Path::new("posts/2019/05/21/x.md")).map(|d| d.iso()),
            Some("2019-05-21".into())
        );
        assert_eq!(date_in_folders(Path::new("2019/x.md")), None);
    }

    /// Issue 10, item 5: the order in which the places are tried.
    #[test]
    fn the_date_comes_from_the_first_place_that_gives_one() {
        let file_date = Date::parse("2019-01-01").ok();
        let folders = Path::new("posts/2017/03/x.md");
        let day = |yaml: &str, file_date, own| {
            date(&matter(yaml), file_date, own, folders).map(|d| d.iso())
        };
        let own = Some("2014/12/12/x");
        assert_eq!(
            day(
                "---\ndate: 2020-01-01\npublishDate: 2021-01-01\n",
                file_date,
                own
            )
            .unwrap(),
            "2020-01-01"
        );
        assert_eq!(
            day("---\npublished: 2018-05-06\n", file_date, own).unwrap(),
            "2018-05-06"
        );
        assert_eq!(
            day("---\ntitle: T\n", file_date, own).unwrap(),
            "2019-01-01"
        );
        assert_eq!(day("---\ntitle: T\n", None, own).unwrap(), "2014-12-12");
        assert_eq!(day("---\ntitle: T\n", None, None).unwrap(), "2017-03-01");
        assert_eq!(
            date(&matter("---\ntitle: T\n"), None, None, Path::new("x.md")),
            None
        );
    }

    #[test]
    fn own_site_paths() {
        let date = Date::parse("2019-05-01").unwrap();
        let fields = Fields {
            slug: "x",
            title: "x",
            date: &date,
            categories: &[],
            sections: &[],
        };
        assert_eq!(
            own_site_path("/blog/:year/:title/", Some(&fields)).unwrap(),
            "/blog/2019/x/"
        );
        assert_eq!(own_site_path("/blog/:year/", None).unwrap(), "/blog/:year/");
        assert_eq!(
            own_site_path("/talks/rust:conf/", Some(&fields)).unwrap(),
            "/talks/rust:conf/"
        );
        assert!(own_site_path("../x", Some(&fields)).is_err());
    }

    #[test]
    fn titles_and_folder_categories() {
        assert_eq!(title_from_name("example-post"), "Example Post");
        assert_eq!(title_from_name("iOS_tips--2"), "IOS Tips 2");
        assert_eq!(
            folder_categories(Path::new("news/world/_posts/2019-01-01-x.md")),
            ["news", "world"]
        );
        assert!(folder_categories(Path::new("posts/x.md")).is_empty());
    }
}
