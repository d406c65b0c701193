//! Where a link written in one source file to another goes
//! (`Site::resolve_link`): a path relative to the file or from `content/`
//! (`@/briefings/x.md`), Jekyll's `post_url` (a post by its file name) and
//! Hugo's `ref`/`relref`, found as Hugo finds it. The link's fragment must
//! name a heading of the target. Checking links into the rest of the site
//! is `links.rs`.

use std::path::{Component, Path, PathBuf};

use crate::markdown::{HUGO_REF, LinkTarget, POST_URL, is_source_link};
use crate::site::{Doc, Site};

impl Site {
    /// Where a link written in the source file `from` (under `content/`)
    /// goes: links to other source files become their pages' URLs, and a
    /// missing file or heading is broken.
    pub fn resolve_link(&self, from: &Path, dest: &str) -> LinkTarget {
        if !is_source_link(dest) {
            return LinkTarget::Keep;
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (dest, None),
        };
        let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        if let Some(name) = path.strip_prefix(POST_URL) {
            // Jekyll's `post_url` names a post by its file name alone.
            let found = self
                .sources
                .keys()
                .find(|p| p.file_stem().is_some_and(|s| s == name));
            return match found {
                Some(p) => self.resolve_link(Path::new(""), &format!("@/{}", p.display())),
                None => LinkTarget::Broken(format!(
                    "`{{% post_url {name} %}}`: no post named {name}.md in content/"
                )),
            };
        }
        if let Some(name) = path.strip_prefix(HUGO_REF) {
            let shown = format!("{{{{< ref \"{}\" >}}}}", &dest[HUGO_REF.len()..]);
            return match self.find_ref(from, name) {
                Ok(target) => self.link_to(&target, &shown, fragment),
                Err(why) => LinkTarget::Broken(format!("`{shown}`: {why}")),
            };
        }
        let target = match path.strip_prefix("@/") {
            Some(rest) => normalize(Path::new(rest)),
            None => normalize(&from.parent().unwrap_or(Path::new("")).join(path.as_ref())),
        };
        let Some(target) = target else {
            return LinkTarget::Broken(format!("`{dest}`: it points outside content/"));
        };
        if !self.sources.contains_key(&target) {
            return LinkTarget::Broken(format!(
                "`{dest}`: there is no content/{} (or it is a draft); name the Markdown file relative to this one, or from content/ as @/briefings/name.md",
                target.display()
            ));
        }
        self.link_to(&target, dest, fragment)
    }

    /// The source file a Hugo `ref` names, found as Hugo finds it: a name
    /// without a leading `/` relative to the file first (and, for a bundle's
    /// `index.md`, to the bundle's folder), then from `content/`, then as
    /// the one file of that name anywhere; a name without an extension is
    /// `name.md` or the bundle `name/index.md`. Else why not.
    fn find_ref(&self, from: &Path, name: &str) -> Result<PathBuf, String> {
        let folder = from.parent().unwrap_or(Path::new(""));
        let bundle = from.file_stem().is_some_and(|s| s == "index");
        let bases: Vec<&Path> = match name.strip_prefix('/') {
            Some(_) => vec![Path::new("")],
            None => [Some(folder), folder.parent().filter(|_| bundle)]
                .into_iter()
                .flatten()
                .chain([Path::new("")])
                .collect(),
        };
        let relative = name.trim_start_matches('/');
        let files = match Path::new(relative).extension() {
            Some(_) => vec![relative.to_string()],
            None => vec![format!("{relative}.md"), format!("{relative}/index.md")],
        };
        let mut tried: Vec<PathBuf> = Vec::new();
        for base in bases {
            for candidate in files.iter().filter_map(|f| normalize(&base.join(f))) {
                if self.sources.contains_key(&candidate) {
                    return Ok(candidate);
                }
                if !tried.contains(&candidate) {
                    tried.push(candidate);
                }
            }
        }
        let shown = |paths: &[PathBuf]| {
            let shown: Vec<String> = paths
                .iter()
                .map(|p| format!("content/{}", p.display()))
                .collect();
            shown.join(", ")
        };
        if name.contains('/') {
            return Err(format!("there is no {}", shown(&tried)));
        }
        // Hugo's last resort: a plain name that one file has, anywhere.
        match self.by_name.get(&self.sources, name) {
            [one] => Ok(one.clone()),
            [] => Err(format!(
                "there is no {}, nor a file of that name elsewhere",
                shown(&tried)
            )),
            many => Err(format!(
                "{} files have that name ({}); write its path from content/, as `/{}`",
                many.len(),
                shown(many),
                many[0].display()
            )),
        }
    }

    /// The URL of the source file `target` (which exists), with a fragment
    /// that must name one of its headings; `dest` is the link as written.
    fn link_to(&self, target: &Path, dest: &str, fragment: Option<&str>) -> LinkTarget {
        let (site_path, anchors) = match self.sources[target] {
            Doc::Briefing(i) => (&self.briefings[i].path, &self.briefings[i].anchors),
            Doc::Page(i) => (&self.pages[i].path, &self.pages[i].anchors),
        };
        match fragment {
            Some(f) if !f.is_empty() && !anchors.iter().any(|a| a == f) => {
                LinkTarget::Broken(format!(
                    "`{dest}`: content/{} has no heading with the id `{f}` (its headings: {})",
                    target.display(),
                    if anchors.is_empty() {
                        "none".to_string()
                    } else {
                        anchors.join(", ")
                    }
                ))
            }
            Some(f) if !f.is_empty() => {
                LinkTarget::Url(format!("{}#{f}", self.base.url(site_path)))
            }
            _ => LinkTarget::Url(self.base.url(site_path)),
        }
    }
}

/// `a/./b/../c` -> `a/c`; None when it climbs out of its root.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::Content;
    use crate::document::{Document, load};

    fn site(files: &[(&str, &str)]) -> Site {
        let config = Config::parse("title: T\nbase_url: https://example.org/\n").unwrap();
        let mut content = Content {
            root: PathBuf::new(),
            briefings: Vec::new(),
            pages: Vec::new(),
            files: Vec::new(),
        };
        for (path, title) in files {
            let relative = Path::new(path);
            let text = format!("---\ntitle: {title}\ndate: 2020-01-01\n---\n## Part two\n");
            match load(
                &Path::new("content").join(relative),
                relative,
                &text,
                &config,
            )
            .unwrap()
            {
                Document::Briefing(b) => content.briefings.push(b),
                Document::Page(p) => content.pages.push(p),
            }
        }
        Site::new(config, content)
    }

    /// Issue #10, item 11: Hugo's rule for a `ref` without a leading slash.
    #[test]
    fn hugo_refs_resolve_relative_to_the_file_then_from_content_then_by_name() {
        let site = site(&[
            ("post/a.md", "A"),
            ("post/other.md", "Other"),
            ("post/bundle/index.md", "Bundle"),
            ("notes/note.md", "Note"),
            ("archive/2013/old.md", "Old"),
            ("x/dup.md", "Dup"),
            ("y/dup.md", "Dup"),
        ]);
        for (from, name, url) in [
            ("post/a.md", "other", "/briefings/other/"),
            (
                "post/a.md",
                "other.md#part-two",
                "/briefings/other/#part-two",
            ),
            ("post/a.md", "bundle", "/briefings/bundle/"),
            ("post/a.md", "notes/note", "/briefings/note/"),
            ("post/a.md", "/post/other", "/briefings/other/"),
            ("post/bundle/index.md", "other", "/briefings/other/"),
            ("notes/note.md", "../post/a.md", "/briefings/a/"),
            ("notes/note.md", "Old.md", "/briefings/old/"),
            ("notes/note.md", "bundle", "/briefings/bundle/"),
        ] {
            let got = site.resolve_link(Path::new(from), &format!("{HUGO_REF}{name}"));
            assert_eq!(got, LinkTarget::Url(url.to_string()), "{from}: {name}");
        }
        let broken = |name: &str| match site.resolve_link(Path::new("post/a.md"), name) {
            LinkTarget::Broken(why) => why,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            broken("@ref:missing"),
            "`{{< ref \"missing\" >}}`: there is no content/post/missing.md, content/post/missing/index.md, content/missing.md, content/missing/index.md, nor a file of that name elsewhere"
        );
        assert_eq!(
            broken("@ref:/old"),
            "`{{< ref \"/old\" >}}`: there is no content/old.md, content/old/index.md",
            "a leading slash is from content/ only"
        );
        assert_eq!(
            broken("@ref:dup"),
            "`{{< ref \"dup\" >}}`: 2 files have that name (content/x/dup.md, content/y/dup.md); write its path from content/, as `/x/dup.md`"
        );
        assert_eq!(
            broken("@ref:other#nope"),
            "`{{< ref \"other#nope\" >}}`: content/post/other.md has no heading with the id `nope` (its headings: part-two)"
        );
    }
}
