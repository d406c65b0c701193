//! What posts moved in from Jekyll, Hugo or Zola say in their own words,
//! and what they leave out that those generators would find elsewhere:
//! a page's own URL (`permalink:`, `url:`, `path =`), its template
//! (`layout:`, `template =`), a date given only as `published:`, in the
//! page's URL or in dated folders, and a title given only by the file name.
//! `document.rs` decides the order in which these are tried and reports
//! what is missing; this module only reads.

use std::path::Path;

use crate::date::Date;
use crate::front_matter::FrontMatter;

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

#[cfg(test)]
mod tests {
    use super::*;

    fn matter(yaml: &str) -> FrontMatter {
        crate::front_matter::parse(Path::new("a.md"), yaml, &[]).unwrap()
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
