//! The texts `briefly init` and `briefly new` write: a new site's
//! `site.yaml`, sample briefing, about page and GitHub Pages workflow, and
//! a new briefing's front-matter skeleton, with the YAML quoting that keeps
//! any title readable. Deciding where they go and writing them is `scaffold.rs`.

use jiff::civil;

/// The `site.yaml` of a new site.
pub(crate) const SITE_YAML: &str = r#"# This site's settings; README.md of briefly describes every key.
title: "My briefings"                      # shown on every page and in the feed
base_url: "https://example.org/"           # where the site will live; may hold a sub-path
description: "Dated notes on current events, with their sources."
language: en
timeline:
  order: newest-first                      # or oldest-first
"#;

/// The sample briefing of a new site, dated `today`: it shows every part of
/// a briefing and says what each is for.
pub(crate) fn welcome_briefing(today: civil::Date) -> String {
    let month = format!("{:04}-{:02}", today.year(), today.month());
    format!(
        r#"---
title: "Welcome: how a briefing is made"
date: {today}
summary: "What the parts of a briefing are for, and how to write the next one."
tags: [how-to, site-news]
events:
  - date: {month}
    title: "The briefing site is set up"
  - date: {today}
    title: "The first briefing is published"
sources:
  - title: "CommonMark: Markdown in ten minutes"
    url: "https://commonmark.org/help/"
---

This is a briefing: a dated note written in Markdown, kept in
`content/briefings/`. The block between the `---` lines at the top is its
front matter, which says what the briefing is; the text below it is what
readers see.

## What the front matter holds

- `title` and `date` are required; the file name's `YYYY-MM-DD-` prefix
  can stand in for `date`.
- `summary` is shown on the index and in the feed. Without it, the first
  paragraph is used.
- `tags` group briefings, each tag with its own page under `/tags/`.
- `events` put dated events on the timeline at `/timeline/`. An event date
  may be a year (`2024`), a month (`2024-06`) or a day, and `end:` makes it
  a range.
- `sources` are listed under the briefing as further reading.
- `draft: true` keeps a briefing out of the site until you build with
  `--drafts`.

## Writing the next one

Run `briefly new "Your title"` in the site's folder. It writes
`content/briefings/<date>-your-title.md` with the front matter laid out,
and `briefly serve` shows the site at <http://127.0.0.1:1111/>, rebuilt on
every save. Delete this briefing when you have written your own.
"#
    )
}

/// The about page of a new site.
pub(crate) const ABOUT_PAGE: &str = r#"---
title: "About"
---

Who writes these briefings, for whom, and how to reach the desk.

This page is `content/pages/about.md`. Every Markdown file in
`content/pages/` becomes a page of its own, linked from every page's
navigation and kept out of the index, the tags and the timeline.
"#;

/// The front matter `briefly new` writes, with the optional keys as
/// comments, and headings for the body.
pub(crate) fn briefing_skeleton(
    title: &str,
    date: civil::Date,
    tags: &[String],
    draft: bool,
) -> String {
    let tags: Vec<String> = tags
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .map(quoted)
        .collect();
    let draft = if draft { "draft: true\n" } else { "" };
    format!(
        r#"---
title: {title}
date: {date}
tags: [{tags}]
{draft}summary:                  # one or two sentences for the index and the feed; left empty, the first paragraph is used
# events:                 # dated events for the timeline
#   - date: {date}    # YYYY, YYYY-MM or YYYY-MM-DD; `end:` makes a range
#     title: "What happened"
# sources:                # further reading
#   - title: "Where it comes from"
#     url: "https://example.org/"
---

What happened and why it matters, in two or three sentences.

## Background

## What to watch
"#,
        title = quoted(title),
        tags = tags.join(", "),
    )
}

/// A YAML double-quoted scalar: safe for any text, including quotes, colons,
/// `#`, and leading characters YAML would otherwise read as syntax.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            // Control characters, and the line and paragraph separators a
            // YAML parser would read as line breaks.
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Where `briefly init` writes the GitHub Pages workflow.
pub(crate) const PAGES_WORKFLOW_PATH: &str = ".github/workflows/pages.yml";

/// The repository `cargo install --git` takes briefly from: Cargo.toml's
/// `repository` when it names one, else a stand-in the workflow stops on.
const REPOSITORY: &str = match option_env!("CARGO_PKG_REPOSITORY") {
    Some(url) if !url.is_empty() => url,
    _ => "https://github.com/OWNER/briefly",
};

/// The GitHub Actions workflow of a new site: install briefly (kept in the
/// cache until its commit changes), build with the Pages URL as
/// `--base-url`, and publish `public/` with GitHub's own Pages actions.
pub(crate) fn pages_workflow() -> String {
    PAGES_WORKFLOW.replace("{repository}", REPOSITORY)
}

const PAGES_WORKFLOW: &str = r#"# Builds this site with briefly and publishes it to GitHub Pages on every
# push to main. Once, in the repository's Settings > Pages, set "Source" to
# "GitHub Actions". Written by `briefly init`; see briefly's README,
# "Deploying".
name: Deploy to GitHub Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

# What the Pages deployment needs: read the code, write Pages, and an
# OpenID Connect token to prove where the upload comes from.
permissions:
  contents: read
  pages: write
  id-token: write

# One deployment at a time; one in progress is finished, not cancelled.
concurrency:
  group: pages
  cancel-in-progress: false

env:
  # Where briefly is installed from (cargo install --git), and its branch,
  # tag or commit. The cached build is kept until that commit changes.
  BRIEFLY_GIT: {repository}
  BRIEFLY_REF: main

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Check out the site
        uses: actions/checkout@v4
      - name: Find briefly's commit
        id: briefly
        run: |
          case "$BRIEFLY_GIT" in *OWNER*)
            echo "::error file=.github/workflows/pages.yml::set BRIEFLY_GIT to the Git URL of briefly's repository"
            exit 1;;
          esac
          commit=$(git ls-remote "$BRIEFLY_GIT" "$BRIEFLY_REF" "$BRIEFLY_REF^{}" | tail -n 1 | cut -f 1)
          echo "commit=${commit:-$BRIEFLY_REF}" >> "$GITHUB_OUTPUT"
      - name: Cache briefly
        id: cache
        uses: actions/cache@v4
        with:
          path: ~/.cargo/bin/briefly
          key: briefly-${{ runner.os }}-${{ steps.briefly.outputs.commit }}
      - name: Install briefly
        if: steps.cache.outputs.cache-hit != 'true'
        run: |
          rustup toolchain install stable --profile minimal
          cargo +stable install --locked --git "$BRIEFLY_GIT" --rev "${{ steps.briefly.outputs.commit }}" briefly
      - name: Configure GitHub Pages
        id: pages
        uses: actions/configure-pages@v5
      - name: Build the site
        run: briefly build --base-url "${{ steps.pages.outputs.base_url }}"
      - name: Upload the site
        uses: actions/upload-pages-artifact@v3
        with:
          path: public

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v4
"#;

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config;
    use crate::front_matter;
    use crate::scaffold::parse_day;

    fn day(text: &str) -> civil::Date {
        parse_day(text).unwrap()
    }

    #[test]
    fn titles_survive_yaml_whatever_they_hold() {
        for title in [
            r#"Kazan: "BRICS" & more"#,
            "#1 - what's next?",
            "- a list? [no] {no} *no* &no !no |no >no %no @no `no",
            r"back\slash and tab\t",
            "yes",
            "2024",
            "null",
            "Север: «Курск»",
        ] {
            let text =
                briefing_skeleton(title, day("2024-10-26"), &["a: b".into(), "c".into()], true);
            let path = Path::new("x.md");
            let split = front_matter::split(path, &text).unwrap();
            let matter = front_matter::parse(
                path,
                split.yaml,
                &crate::front_matter::TermKeys::tags(&["tags"]),
            )
            .unwrap_or_else(|e| panic!("{title}: {e}\n{text}"));
            assert_eq!(matter.title.unwrap().0, title);
            assert_eq!(matter.date.unwrap().iso(), "2024-10-26");
            assert_eq!(matter.tags, vec!["a: b", "c"]);
            assert_eq!(matter.draft, Some(true));
            assert_eq!(matter.summary, None);
        }
    }

    #[test]
    fn the_sample_briefing_parses() {
        let text = welcome_briefing(day("2025-03-07"));
        let path = Path::new("x.md");
        let split = front_matter::split(path, &text).unwrap();
        let matter = front_matter::parse(
            path,
            split.yaml,
            &crate::front_matter::TermKeys::tags(&["tags"]),
        )
        .unwrap();
        assert_eq!(matter.date.unwrap().iso(), "2025-03-07");
        assert_eq!(matter.events.len(), 2);
        assert_eq!(matter.events[0].date.iso(), "2025-03");
        assert_eq!(matter.tags, vec!["how-to", "site-news"]);
        config::Config::parse(SITE_YAML).unwrap();
    }
}
