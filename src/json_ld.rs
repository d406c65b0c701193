//! A briefing as schema.org structured data (JSON-LD), for its page's
//! `<script type="application/ld+json">`: a `NewsArticle` (not `Report`:
//! search engines read `NewsArticle` for headline, dates and authors, and a
//! briefing is reporting on the news) with its headline, summary, dates,
//! authors, tags as keywords, URL and the site as publisher. The JSON is
//! escaped for HTML: `<`, `>` and `&` are written as `\u003c`, `\u003e`,
//! `\u0026`, so a title holding `</script>` cannot end the script.

use serde::Serialize;

use crate::briefing::Briefing;
use crate::date::Date;
use crate::site::Site;

#[derive(Serialize)]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    /// The key judgements, each with its confidence.
    #[serde(rename = "abstract", skip_serializing_if = "String::is_empty")]
    abstract_: String,
    #[serde(rename = "datePublished")]
    date_published: String,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<Thing<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<&'a str>,
    url: String,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: String,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    publisher: Thing<'a>,
}

/// A `Person` or an `Organization`.
#[derive(Serialize)]
struct Thing<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

/// Briefing `i` of `site` as JSON-LD, ready to print inside a `<script>`.
pub fn briefing(site: &Site, i: usize) -> String {
    let b: &Briefing = &site.briefings[i];
    let config = &site.config;
    let authors: Vec<&str> = if b.authors.is_empty() && !config.author.is_empty() {
        vec![config.author.as_str()]
    } else {
        b.authors.iter().map(String::as_str).collect()
    };
    let permalink = site.base.permalink(&b.path);
    let article = NewsArticle {
        context: "https://schema.org",
        kind: "NewsArticle",
        headline: &b.title,
        description: &b.summary,
        abstract_: crate::briefing::Judgement::sentence(&b.judgements, &config.locale),
        date_published: date(&b.date),
        date_modified: b.updated.as_ref().map(date),
        author: authors
            .into_iter()
            .map(|name| Thing {
                kind: "Person",
                name,
                url: None,
            })
            .collect(),
        // Every term but the authors, who are `author` already.
        keywords: site.briefing_tags[i]
            .iter()
            .map(|&t| &site.tags[t])
            .filter(|t| site.config.taxonomies[t.taxonomy].name != crate::taxonomy::AUTHORS)
            .map(|t| t.name.as_str())
            .collect(),
        url: permalink.clone(),
        main_entity_of_page: permalink,
        in_language: &config.language,
        publisher: Thing {
            kind: "Organization",
            name: &config.title,
            url: Some(site.base.permalink("/")),
        },
    };
    let json = serde_json::to_string(&article).expect("JSON-LD is plain strings and lists");
    html_safe(json)
}

/// The day as written (`2024-06-20`), or with its time and zone when the
/// author gave a time: a briefing's date is a day, not an instant.
fn date(date: &Date) -> String {
    match date.time {
        Some(_) => date.rfc3339(),
        None => date.iso(),
    }
}

/// JSON that an HTML `<script>` holds as it is. These characters appear in
/// JSON only inside strings, where their `\u` escapes (`\u003c` for `<`)
/// mean the same.
fn html_safe(json: String) -> String {
    const UNSAFE: [char; 3] = ['<', '>', '&'];
    if !json.contains(UNSAFE) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 32);
    let mut from = 0;
    for (at, c) in json.match_indices(UNSAFE) {
        out.push_str(&json[from..at]);
        out.push_str(match c {
            "<" => "\\u003c",
            ">" => "\\u003e",
            _ => "\\u0026",
        });
        from = at + 1;
    }
    out.push_str(&json[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::html_safe;

    #[test]
    fn script_breaking_characters_are_escaped_and_mean_the_same() {
        let json = serde_json::to_string("</script><!-- & -->").unwrap();
        let safe = html_safe(json);
        assert_eq!(safe, r#""\u003c/script\u003e\u003c!-- \u0026 --\u003e""#);
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, "</script><!-- & -->");
    }
}
