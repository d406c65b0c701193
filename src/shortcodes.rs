//! The template tags that posts moved in from Jekyll, Eleventy and Hugo
//! carry in their Markdown: links to other posts (`{% post_url … %}`,
//! `{% link … %}`, `{{< ref … >}}`) become links to source files that the
//! build resolves like any other; the site URL expressions (`{{ site.baseurl }}`,
//! a string piped through `relative_url`, `absolute_url` or `url`) become
//! this site's base, and `{{ page.KEY }}` the page's own front matter. Any
//! other tag or expression in a link target is kept as one target, which
//! the rendering reports as a broken link; any other Liquid tag or
//! shortcode is left as text and counted, so the build can warn once
//! instead of failing. A line of nothing but such tags is marked to be
//! shown as a paragraph of its own, so it never changes how the Markdown
//! around it parses (reference definitions under `{% include x.html %}`).
//! Each replacement keeps the body's lines, so line numbers stay right.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::date::Date;
use crate::markdown::{self, HUGO_REF as REF, POST_URL};
use crate::url::BaseUrl;

static HUGO_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\{\{[<%]\s*(?:rel)?ref\s+"([^"]+)"\s*[>%]\}\}"#).expect("a valid pattern")
});
/// Hugo's built-in `figure` shortcode, its parameters in group 1.
static HUGO_FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)\{\{[<%]\s*figure\s(.*?)\s*/?[>%]\}\}").expect("a valid pattern")
});
/// Hugo's built-in embeds: `youtube`, `vimeo`, `tweet`, `x`, `gist`, their
/// parameters in group 2.
static HUGO_EMBED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{[<%]\s*(youtube|vimeo|tweet|x|gist)\s([^{}]*?)\s*/?[>%]\}\}")
        .expect("a valid pattern")
});
/// A shortcode's named parameter: `name="value"`, `name='value'` or
/// `name=value`.
static PARAMETER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"']+))"#)
        .expect("a valid pattern")
});
/// Hugo's `{{< highlight go >}}` / `{{< /highlight >}}` on lines of their
/// own: a fenced code block's fences, as Jekyll's `highlight`.
static HUGO_HIGHLIGHT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^([ \t]*)\{\{[<%]\s*highlight\s+["']?([A-Za-z0-9_+#.-]+)["']?[^\n]*?[>%]\}\}[ \t]*$"#)
        .expect("a valid pattern")
});
static HUGO_END_HIGHLIGHT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^([ \t]*)\{\{[<%]\s*/highlight\s*[>%]\}\}[ \t]*$").expect("a valid pattern")
});
static JEKYLL_POST_URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{%-?\s*post_url\s+([^\s%]+)\s*-?%\}").expect("a valid pattern"));
static JEKYLL_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{%-?\s*link\s+([^\s%]+)\s*-?%\}").expect("a valid pattern"));
static SITE_VARIABLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{\{\s*site\.(baseurl|url)\s*\}\}").expect("a valid pattern"));
static URL_FILTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\{\{\s*["']([^"']*)["']\s*\|\s*(relative_url|absolute_url|url)\s*\}\}"#)
        .expect("a valid pattern")
});
/// Hugo's `param` shortcode, `{{< param "key" >}}` or `{{% param a.b %}}`:
/// the key in group 1, 2 or 3.
static HUGO_PARAM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\{\{[<%]\s*param\s+(?:"([^"\n]+)"|'([^'\n]+)'|([^\s"'<>%{}]+))\s*[>%]\}\}"#)
        .expect("a valid pattern")
});
static PAGE_VARIABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{-?\s*page\.([A-Za-z0-9_-]+)\s*-?\}\}").expect("a valid pattern")
});
/// Jekyll's `{% comment %}…{% endcomment %}`: dropped, its lines kept.
static COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}")
        .expect("a valid pattern")
});
/// Jekyll's `{% highlight ruby %}` / `{% endhighlight %}` on lines of their
/// own: a fenced code block's fences.
static HIGHLIGHT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?m)^([ \t]*)\{%-?\s*highlight\s+["']?([A-Za-z0-9_+#.-]+)["']?[^%\n]*-?%\}[ \t]*$"#,
    )
    .expect("a valid pattern")
});
static END_HIGHLIGHT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^([ \t]*)\{%-?\s*endhighlight\s*-?%\}[ \t]*$").expect("a valid pattern")
});
/// Jekyll's `{% raw %}` … `{% endraw %}`: what they enclose is shown as
/// written, tags and all; the markers go.
static RAW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}").expect("a valid pattern")
});
/// A `raw` marker left over (one never closed, an `endraw` with no
/// `raw`): dropped.
static RAW_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{%-?\s*(?:end)?raw\s*-?%\}").expect("a valid pattern"));
/// Any other tag: Liquid's `{% … %}`, Hugo's `{{< … >}}` and `{{% … %}}`,
/// Zola's inline shortcodes `{{ name(args) }}`.
static OTHER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{%.*?%\}|\{\{[<%].*?[>%]\}\}|\{\{-?\s*[A-Za-z_][A-Za-z0-9_]*\([^{}]*?\)\s*-?\}\}")
        .expect("a valid pattern")
});
/// A link target, inline (`](…)`) or in a reference definition
/// (`[ref]: …`), whose words may be template expressions with spaces. A
/// footnote's definition (`[^1]: {{% param x %}}`) is no reference
/// definition: its text is not a target.
static LINK_TARGET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\]\([ \t]*<?|(?m:^[ \t>]*\[[^\]\n^][^\]\n]*\]:[ \t]*<?))((?:[^\s()<>{}]|\{\{[^{}\n]*\}\}|\{%[^{}\n]*%\})+)",
    )
    .expect("a valid pattern")
});
/// A line of nothing but Liquid tags and shortcodes (in a blockquote too).
static TAG_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)^([ \t]*(?:>[ \t]*)*)((?:(?:\{%(?:[^%]|%[^}])*?%\}|\{\{[<%](?:[^>%]|[>%][^}])*?[>%]\}\}|\{\{-?[ \t]*[A-Za-z_][A-Za-z0-9_]*\([^{}\n]*?\)[ \t]*-?\}\})[ \t]*)+?)[ \t]*\r?$",
    )
    .expect("a valid pattern")
});

/// What `{{ page.KEY }}` reads: the page's own front matter; and Hugo's
/// `param`, that and then the site's `extra` (Hugo's `params`).
pub struct PageVars<'a> {
    pub title: &'a str,
    pub date: Option<Date>,
    pub extra: &'a BTreeMap<String, serde_yaml::Value>,
    pub site: &'a serde_yaml::Value,
}

impl PageVars<'_> {
    /// `title`, `date` (as `2024-10-25`) or any other key holding a string,
    /// number or boolean, as text.
    fn get(&self, key: &str) -> Option<String> {
        use serde_yaml::Value;
        match key {
            "title" => Some(self.title.to_string()),
            "date" => self.date.map(|d| d.iso()),
            _ => match self.extra.get(key)? {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                _ => None,
            },
        }
    }

    /// Hugo's `param KEY`: the front matter's value (its `params:` map
    /// too), else the site's; a dotted key walks maps (`social.x`); keys
    /// match without regard to case, as Hugo lower-cases them. Text, a
    /// number or a boolean, as text.
    fn param(&self, key: &str) -> Option<String> {
        use serde_yaml::Value;
        let mut parts = key.split('.');
        let first = parts.next()?;
        let rest: Vec<&str> = parts.collect();
        if rest.is_empty() && matches!(first, "title" | "date") {
            return self.get(first);
        }
        let in_matter = find(self.extra.iter(), first)
            .or_else(|| match find(self.extra.iter(), "params")? {
                Value::Mapping(m) => {
                    find(m.iter().filter_map(|(k, v)| Some((k.as_str()?, v))), first)
                }
                _ => None,
            })
            .and_then(|v| walk(v, &rest));
        let value = in_matter.or_else(|| walk(self.site, &[&[first][..], &rest].concat()))?;
        match value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

/// The value of `key` among `entries`, its case aside.
fn find<'v, K: AsRef<str>>(
    mut entries: impl Iterator<Item = (K, &'v serde_yaml::Value)>,
    key: &str,
) -> Option<&'v serde_yaml::Value> {
    entries
        .find(|(k, _)| k.as_ref().eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// Down `value`'s maps by `keys`.
fn walk<'v>(value: &'v serde_yaml::Value, keys: &[&str]) -> Option<&'v serde_yaml::Value> {
    keys.iter().try_fold(value, |v, key| match v {
        serde_yaml::Value::Mapping(m) => {
            find(m.iter().filter_map(|(k, v)| Some((k.as_str()?, v))), key)
        }
        _ => None,
    })
}

/// A body with the tags it understands replaced.
pub struct Translated<'a> {
    pub text: Cow<'a, str>,
    /// Tags and shortcodes left as text.
    pub unsupported: usize,
}

/// `translate` for the body of the file at `relative` (under `content/`):
/// an HTML post's body then made Markdown (`content::html_post_body`).
/// What every reader of a body (the scan, the render, search) calls.
pub fn translate_file<'a>(
    relative: &std::path::Path,
    body: &'a str,
    base: &BaseUrl,
    page: &PageVars,
) -> Translated<'a> {
    let mut translated = translate(body, base, page);
    translated.text = crate::content::html_post_body(relative, translated.text);
    translated.text = crate::content::mdx_body(relative, translated.text);
    translated.text = crate::markdown_callouts::containers(translated.text);
    translated
}

pub fn translate<'a>(body: &'a str, base: &BaseUrl, page: &PageVars) -> Translated<'a> {
    if !body.contains("{%") && !body.contains("{{") {
        return Translated {
            text: Cow::Borrowed(body),
            unsupported: 0,
        };
    }
    let host = base
        .absolute
        .strip_suffix(&base.root)
        .unwrap_or(&base.absolute)
        .to_string();
    let (body, raw) = set_aside_raw(body);
    let text = block_tags(&body);
    let text = replace(&HUGO_REF, &text, |c| hugo_ref(&c[1]));
    let text = replace(&HUGO_EMBED, &text, |c| {
        embed(&c[1], &c[2]).unwrap_or_else(|| c[0].to_string())
    });
    let text = replace(&HUGO_FIGURE, &text, |c| {
        figure(&c[1]).unwrap_or_else(|| c[0].to_string())
    });
    let text = replace(&JEKYLL_POST_URL, &text, |c| format!("{POST_URL}{}", &c[1]));
    let text = replace(&JEKYLL_LINK, &text, |c| {
        format!("@/{}", c[1].trim_start_matches('/'))
    });
    let text = replace(&SITE_VARIABLE, &text, |c| match &c[1] {
        "baseurl" => base.root.trim_end_matches('/').to_string(),
        _ => host.clone(),
    });
    let text = replace(&URL_FILTER, &text, |c| match &c[2] {
        "absolute_url" => base.permalink(&c[1]),
        _ => base.url(&c[1]),
    });
    let text = replace(&HUGO_PARAM, &text, |c| {
        let key = c
            .get(1)
            .or(c.get(2))
            .or(c.get(3))
            .map_or("", |m| m.as_str());
        page.param(key).unwrap_or_else(|| c[0].to_string())
    });
    let text = replace(&PAGE_VARIABLE, &text, |c| {
        page.get(&c[1]).unwrap_or_else(|| c[0].to_string())
    });
    let tags = OTHER.find_iter(&text).count();
    let (text, in_links) = unresolved_targets(&text);
    let text = put_back_raw(own_lines(&text), &raw);
    Translated {
        text: Cow::Owned(text),
        // A tag found in the whole text may run into a link target and
        // hold the tags found there (`{{< ](x{%a%})]({{%>}})`).
        unsupported: tags.saturating_sub(in_links),
    }
}

/// What `raw` blocks enclose and what escaped Hugo shortcodes show, by
/// number, and the stand-in of each in the text: `\u{E000}n\u{E001}` and
/// the line breaks of what it stands for (so lines stay where they
/// were), which no tag pattern matches, so nothing inside is read as a
/// tag, counted as one or replaced.
struct SetAside {
    stand_ins: Vec<(String, String)>,
}

/// Hugo's escaped shortcodes, `{{</* figure */>}}` and `{{%/* note */%}}`:
/// shown as the shortcode written (`{{< figure >}}`), not run.
static HUGO_ESCAPED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)\{\{([<%])/\*(.*?)\*/([>%])\}\}").expect("a valid pattern"));

fn set_aside_raw(body: &str) -> (Cow<'_, str>, SetAside) {
    let mut stand_ins = Vec::new();
    let lines = |text: &str| text.matches('\n').count();
    let mut set_aside = |written: &str, shown: String| {
        // Line breaks the shown text lacks go before it.
        let shown = "\n".repeat(lines(written).saturating_sub(lines(&shown))) + &shown;
        let stand_in = format!(
            "\u{E000}{}\u{E001}{}",
            stand_ins.len(),
            "\n".repeat(lines(written))
        );
        stand_ins.push((stand_in.clone(), shown));
        stand_in
    };
    let mut text = Cow::Borrowed(body);
    if body.contains("raw") {
        text = Cow::Owned(
            RAW.replace_all(&text, |c: &Captures| set_aside(&c[0], c[1].to_string()))
                .into_owned(),
        );
    }
    if text.contains("/*") {
        text = Cow::Owned(
            HUGO_ESCAPED
                .replace_all(&text, |c: &Captures| {
                    set_aside(&c[0], format!("{{{{{}{}{}}}}}", &c[1], &c[2], &c[3]))
                })
                .into_owned(),
        );
    }
    (text, SetAside { stand_ins })
}

fn put_back_raw(mut text: String, raw: &SetAside) -> String {
    for (stand_in, enclosed) in &raw.stand_ins {
        text = text.replacen(stand_in.as_str(), enclosed, 1);
    }
    text
}

/// Jekyll's block tags that have a Markdown meaning: comments dropped
/// (their lines kept, so line numbers stay right), `highlight` blocks (and
/// Hugo's) as fenced code, stray `raw` markers removed (`set_aside_raw` took the
/// blocks).
fn block_tags(body: &str) -> Cow<'_, str> {
    if !body.contains("{%") && !body.contains("highlight") {
        return Cow::Borrowed(body);
    }
    let text = replace(&COMMENT, body, |_| String::new());
    let text = fences(&text, &HIGHLIGHT, &END_HIGHLIGHT);
    let text = fences(&text, &HUGO_HIGHLIGHT, &HUGO_END_HIGHLIGHT);
    Cow::Owned(replace(&RAW_MARKER, &text, |_| String::new()).into_owned())
}

/// Each `open` line (`{% highlight ruby %}`, its language in capture 2) a
/// code fence, and the first `close` line after it the closing fence; a
/// close with no open before it stays as written (shown as text, with the
/// warning), never a fence that would make the rest of the body code.
fn fences<'t>(text: &'t str, open: &Regex, close: &Regex) -> Cow<'t, str> {
    let mut marks: Vec<(std::ops::Range<usize>, Option<String>, String)> = open
        .captures_iter(text)
        .map(|c| {
            (
                c.get(0).expect("whole").range(),
                Some(c[2].to_string()),
                c[1].to_string(),
            )
        })
        .collect();
    if marks.is_empty() && !close.is_match(text) {
        return Cow::Borrowed(text);
    }
    marks.extend(
        close
            .captures_iter(text)
            .map(|c| (c.get(0).expect("whole").range(), None, c[1].to_string())),
    );
    marks.sort_by_key(|(range, ..)| range.start);
    let (mut out, mut at, mut inside) = (String::with_capacity(text.len()), 0, false);
    for (range, language, indent) in marks {
        let fence = match (&language, inside) {
            (Some(language), false) => format!("{indent}```{language}"),
            (None, true) => format!("{indent}```"),
            _ => continue,
        };
        inside = !inside;
        out.push_str(&text[at..range.start]);
        // A tag written over lines keeps them (`{%\nhighlight ruby %}`).
        out.push_str(&"\n".repeat(text[range.clone()].matches('\n').count()));
        out.push_str(&fence);
        at = range.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// Replaces each tag `re` finds with `value`, after the line breaks written
/// inside the tag that the value does not keep (Liquid reads
/// `{{ site.baseurl\n}}` too), so the body keeps its lines; a link's
/// target may start on the next line.
fn replace<'t>(re: &Regex, text: &'t str, value: impl Fn(&Captures) -> String) -> Cow<'t, str> {
    re.replace_all(text, |c: &Captures| {
        let value = value(c);
        let lines = |text: &str| text.matches('\n').count();
        "\n".repeat(lines(&c[0]).saturating_sub(lines(&value))) + &value
    })
}

/// Keeps each link target that still holds a template expression one
/// target (its spaces and angle brackets percent-encoded), so the parser
/// sees the link and the rendering reports it as broken. Returns the text
/// and how many tags it found in such targets (they are not shown).
fn unresolved_targets(text: &str) -> (String, usize) {
    let mut in_links = 0;
    let text = LINK_TARGET.replace_all(text, |c: &Captures| {
        let target = &c[2];
        if !target.contains("{{") && !target.contains("{%") {
            return c[0].to_string();
        }
        in_links += OTHER.find_iter(target).count();
        let mut encoded = String::with_capacity(target.len());
        for ch in target.chars() {
            match ch {
                ' ' | '\t' => encoded.push_str("%20"),
                '<' => encoded.push_str("%3C"),
                '>' => encoded.push_str("%3E"),
                '"' => encoded.push_str("%22"),
                ch => encoded.push(ch),
            }
        }
        format!("{}{encoded}", &c[1])
    });
    (text.into_owned(), in_links)
}

/// Marks each line of nothing but tags, outside code and raw HTML, to be
/// shown as a paragraph of its own (see `markdown::shown_line`).
fn own_lines(text: &str) -> String {
    if !TAG_LINE.is_match(text) {
        return text.to_string();
    }
    let literal = markdown::literal_ranges(text);
    TAG_LINE
        .replace_all(text, |c: &Captures| {
            let at = c.get(2).map_or(0, |m| m.start());
            let tags = c[2].trim_end();
            match markdown::shown_line(tags) {
                Some(marked) if !literal.iter().any(|r| r.contains(&at)) => {
                    format!("{}{marked}", &c[1])
                }
                _ => c[0].to_string(),
            }
        })
        .into_owned()
}

/// The source link a Hugo `ref` names, resolved by `Site::resolve_link`
/// the way Hugo does (relative to the file, then from `content/`);
/// `#anchor` alone stays a link on the same page.
/// Hugo's `figure` as Hugo's own template writes it, less its classes
/// and sizes: the image (in a link with `link`), then a caption of
/// `title` and `caption`, as text; `alt` defaults to the caption. None
/// without a `src`.
fn figure(parameters: &str) -> Option<String> {
    use html_escape::{encode_double_quoted_attribute as attribute, encode_text as text};
    let get = named_parameters(parameters);
    let src = get.get("src")?;
    let caption = get.get("caption").map(String::as_str).unwrap_or("");
    let alt = get.get("alt").map_or(caption, String::as_str);
    let mut html = String::from("<figure>");
    let link = get.get("link");
    if let Some(link) = link {
        html += &format!("<a href=\"{}\">", attribute(link));
    }
    html += &format!("<img src=\"{}\" alt=\"{}\"", attribute(src), attribute(alt));
    if let Some(title) = get.get("title") {
        html += &format!(" title=\"{}\"", attribute(title));
    }
    html += ">";
    if link.is_some() {
        html += "</a>";
    }
    let title = get.get("title").filter(|t| !t.is_empty());
    if title.is_some() || !caption.is_empty() {
        html += "<figcaption>";
        if let Some(title) = title {
            html += &format!("<strong>{}</strong>", text(title));
            if !caption.is_empty() {
                html += " ";
            }
        }
        html += &text(caption);
        html += "</figcaption>";
    }
    Some(html + "</figure>")
}

/// A shortcode's `name=value` parameters, by name in lower case, each
/// value unquoted (`\"` inside double quotes is `"`).
fn named_parameters(parameters: &str) -> BTreeMap<String, String> {
    PARAMETER
        .captures_iter(parameters)
        .map(|c| {
            let value = c
                .get(2)
                .or(c.get(3))
                .or(c.get(4))
                .map_or("", |m| m.as_str());
            (c[1].to_ascii_lowercase(), value.replace("\\\"", "\""))
        })
        .collect()
}

/// Hugo's embed shortcodes as a link to what they embed, never the
/// embed (which would load another site's scripts): the link's text is
/// the `title` given, else the URL. None when the parameters name no
/// video, post or gist.
fn embed(kind: &str, parameters: &str) -> Option<String> {
    let named = named_parameters(parameters);
    // Positional parameters: the words that are no `name=value`.
    let rest = PARAMETER.replace_all(parameters, "");
    let positional: Vec<&str> = rest
        .split_whitespace()
        .map(|w| w.trim_matches(['"', '\'']))
        .collect();
    let get = |name: &str, at: usize| {
        named
            .get(name)
            .map(String::as_str)
            .or(positional.get(at).copied())
            .filter(|v| {
                !v.is_empty()
                    && v.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
            })
    };
    let url = match kind {
        "youtube" => format!("https://www.youtube.com/watch?v={}", get("id", 0)?),
        "vimeo" => format!("https://vimeo.com/{}", get("id", 0)?),
        "gist" => format!(
            "https://gist.github.com/{}/{}",
            get("user", 0)?,
            get("id", 1)?
        ),
        _ => match (get("user", 0), get("id", 1)) {
            (Some(user), Some(id)) => format!("https://x.com/{user}/status/{id}"),
            // The old form, `{{< tweet 1453110110599868418 >}}`.
            _ => format!("https://x.com/i/status/{}", get("id", 0)?),
        },
    };
    let text = match named.get("title").filter(|t| !t.trim().is_empty()) {
        Some(title) => title
            .replace('\\', "\\\\")
            .replace('[', "\\[")
            .replace(']', "\\]"),
        None => url.clone(),
    };
    Some(format!("[{text}](<{url}>)"))
}

fn hugo_ref(target: &str) -> String {
    if target.starts_with('#') {
        target.to_string()
    } else {
        format!("{REF}{target}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> BaseUrl {
        BaseUrl::parse("https://example.org/watch").unwrap()
    }

    fn plain(body: &str) -> Translated<'_> {
        let extra = BTreeMap::new();
        let page = PageVars {
            title: "T",
            date: None,
            extra: &extra,
            site: &serde_yaml::Value::Null,
        };
        translate(body, &base(), &page)
    }

    /// What `raw` encloses is written as it is, even expressions briefly
    /// would otherwise replace, and is not counted as tags shown as text;
    /// lines stay where they were, also with markers written over lines.
    #[test]
    fn raw_blocks_keep_their_tags_as_written() {
        let body = "Use {% raw %}`{{ site.baseurl }}`{% endraw %} or\n\n{%- raw -%}\n```liquid\n{{ \"/docs/\" | relative_url }} {% post_url x %}\n{% assign a = 1 %}\n{% highlight ruby %}\n```\n{%\nendraw %}\n[b]({{ site.baseurl }}/b/) {% endraw %}\n";
        let t = plain(body);
        assert_eq!(
            t.text,
            "Use `{{ site.baseurl }}` or\n\n\n\n```liquid\n{{ \"/docs/\" | relative_url }} {% post_url x %}\n{% assign a = 1 %}\n{% highlight ruby %}\n```\n\n[b](/watch/b/) \n"
        );
        assert_eq!(t.text.lines().count(), body.lines().count());
        assert_eq!(t.unsupported, 0);
    }

    /// Hugo's escaped shortcodes show the shortcode written, never run
    /// (`ref` would otherwise become a link) or counted as shown as text.
    #[test]
    fn escaped_hugo_shortcodes_show_as_written() {
        let body = "Write `{{</* figure src=\"a.png\" */>}}` or {{%/* note */%}}.\n\n```\n[x]({{</* ref \"kazan.md\"\n*/>}})\n```\n{{< sidenote a1 >}}\n";
        let t = plain(body);
        assert_eq!(
            t.text,
            "Write `{{< figure src=\"a.png\" >}}` or {{% note %}}.\n\n```\n[x]({{< ref \"kazan.md\"\n>}})\n```\n<!--briefly:shown {{< sidenote a1 >}}-->\n"
        );
        assert_eq!(t.text.lines().count(), body.lines().count());
        assert_eq!(t.unsupported, 1, "only the shortcode not escaped");
    }

    /// Hugo's built-in `figure` and `highlight` keep their meaning: an
    /// image with its caption (escaped; `alt` defaults to it) and fenced
    /// code; lines stay where they were.
    #[test]
    fn hugo_figure_and_highlight() {
        let body = "{{< figure src=\"/img/a.png\" title=\"Map\"\n  caption=\"Front \\\"late\\\" <b>\" >}}\n\n{{% figure src='b.png' alt=\"Chart\" link=https://example.org/ %}}\n\n{{< highlight go \"linenos=table\" >}}\nfunc main() {}\n{{< /highlight >}}\n";
        let t = plain(body);
        assert_eq!(
            t.text,
            "\n<figure><img src=\"/img/a.png\" alt=\"Front &quot;late&quot; &lt;b&gt;\" title=\"Map\"><figcaption><strong>Map</strong> Front \"late\" &lt;b&gt;</figcaption></figure>\n\n<figure><a href=\"https://example.org/\"><img src=\"b.png\" alt=\"Chart\"></a></figure>\n\n```go\nfunc main() {}\n```\n"
        );
        assert_eq!(t.text.lines().count(), body.lines().count());
        assert_eq!(t.unsupported, 0);
        // No image: shown as written, and counted.
        let t = plain("A {{< figure caption=\"x\" >}} b.");
        assert_eq!(t.text, "A {{< figure caption=\"x\" >}} b.");
        assert_eq!(t.unsupported, 1);
    }

    /// Zola's inline shortcodes are counted as shown as text, and a line
    /// of one is a paragraph of its own; `{{ page.KEY }}` is not one.
    #[test]
    fn zola_inline_shortcodes_are_counted() {
        let t = plain("A {{ youtube(id=\"a1\") }} b {{ page.title }}.\n\n{{ gist(url=\"x\") }}\n");
        assert_eq!(t.unsupported, 2);
        assert_eq!(
            t.text,
            "A {{ youtube(id=\"a1\") }} b T.\n\n<!--briefly:shown {{ gist(url=\"x\") }}-->\n"
        );
    }

    /// Hugo's embeds become links to what they embed (no other site's
    /// script is loaded); what names nothing stays as written.
    #[test]
    fn hugo_embeds_are_links() {
        let t = plain(concat!(
            "{{< youtube 0RKpf3rK57I >}}\n",
            "{{< youtube id=\"w7Ft2ymGmfc\" title=\"A [new] talk\" >}}\n",
            "{{< vimeo 55073825 >}} {{< gist spf13 7896402 >}}\n",
            "{{< tweet user=\"SanDiegoZoo\" id=\"1453110110599868418\" >}} {{< tweet 877500564405444608 >}}\n",
            "{{< x user=\"a\" id=\"1\" >}} {{< youtube >}} {{< youtube id=\"a b\" >}}\n",
        ));
        assert_eq!(
            t.text,
            concat!(
                "[https://www.youtube.com/watch?v=0RKpf3rK57I](<https://www.youtube.com/watch?v=0RKpf3rK57I>)\n",
                "[A \\[new\\] talk](<https://www.youtube.com/watch?v=w7Ft2ymGmfc>)\n",
                "[https://vimeo.com/55073825](<https://vimeo.com/55073825>) [https://gist.github.com/spf13/7896402](<https://gist.github.com/spf13/7896402>)\n",
                "[https://x.com/SanDiegoZoo/status/1453110110599868418](<https://x.com/SanDiegoZoo/status/1453110110599868418>) [https://x.com/i/status/877500564405444608](<https://x.com/i/status/877500564405444608>)\n",
                "[https://x.com/a/status/1](<https://x.com/a/status/1>) {{< youtube >}} {{< youtube id=\"a b\" >}}\n",
            )
        );
        assert_eq!(t.unsupported, 2);
    }

    #[test]
    fn link_tags_and_url_expressions() {
        let body = r##"[a]({{< ref "kazan.md#reactions" >}}) [b]({{< relref "/briefings/treaty" >}}) [c]({% post_url 2019-05-01-old-post %}) [d]({% link _posts/x.md %}) [e]({{ site.baseurl }}/about/) [f]({{ site.url }}{{ site.baseurl }}/) [g]({{ "/tags/" | relative_url }}) [h]({{ '/feed' | absolute_url }}) [i]({{< ref "#here" >}}) {% include note.html %} {{< sidenote id="a1" >}}"##;
        let t = plain(body);
        assert_eq!(
            t.text,
            "[a](@ref:kazan.md#reactions) [b](@ref:/briefings/treaty) [c](@post:2019-05-01-old-post) [d](@/_posts/x.md) [e](/watch/about/) [f](https://example.org/watch/) [g](/watch/tags/) [h](https://example.org/watch/feed) [i](#here) {% include note.html %} {{< sidenote id=\"a1\" >}}"
        );
        assert_eq!(t.unsupported, 2);
        assert!(matches!(plain("plain").text, Cow::Borrowed(_)));
    }

    /// Eleventy's and Hugo's quoted languages open a code block; a close
    /// with no open before it stays text (counted), never opening a code
    /// block that runs to the end of the body.
    #[test]
    fn quoted_languages_and_a_lone_close() {
        let body = "{% highlight \"bash\" %}\n# Local\n{% endhighlight %}\n\n{{< highlight 'go' >}}\nx\n{{< /highlight >}}\n\n{% endhighlight %}\n\n## After\n";
        let t = plain(body);
        assert_eq!(
            t.text,
            "```bash\n# Local\n```\n\n```go\nx\n```\n\n<!--briefly:shown {% endhighlight %}-->\n\n## After\n"
        );
        assert_eq!(t.unsupported, 1);
    }

    /// A footnote starting with a tag is text with a tag in it, not a
    /// link target to percent-encode.
    #[test]
    fn a_footnote_starting_with_a_tag_is_not_a_target() {
        let t = plain(
            "One[^1].\n\n[^1]: {{% param foo %}} and {% include x.html %}\n[r]: {{ page.nope }}\n",
        );
        assert_eq!(
            t.text,
            "One[^1].\n\n[^1]: {{% param foo %}} and {% include x.html %}\n[r]: {{%20page.nope%20}}\n"
        );
    }

    #[test]
    fn jekyll_block_tags_keep_their_meaning_and_the_lines() {
        let body = "Intro.\n\n{% comment %}\nnot for readers\n{% endcomment %}\n\n{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}\n\nUse {% raw %}`{{ x }}`{% endraw %}.\n";
        let t = plain(body);
        assert_eq!(
            t.text,
            "Intro.\n\n\n\n\n\n```ruby\nputs 1\n```\n\nUse `{{ x }}`.\n"
        );
        assert_eq!(t.text.lines().count(), body.lines().count());
        assert_eq!(t.unsupported, 0);
        let html = crate::markdown::render(&t.text).html;
        assert!(html.contains("<pre"), "{html}");
        assert!(
            !html.contains("not for readers") && !html.contains("{%"),
            "{html}"
        );
    }

    #[test]
    fn hugo_param_reads_the_front_matter_then_the_site() {
        let extra: BTreeMap<String, serde_yaml::Value> = serde_yaml::from_str(
            "canonical_url: https://e.org/a\nissue: 12\nSocial: {mastodon: '@desk'}\nparams: {colour: teal}\nlist: [a]\n",
        )
        .unwrap();
        let site: serde_yaml::Value =
            serde_yaml::from_str("issue: 99\nrepo: https://git.example/r\nsocial: {x: desk}\n")
                .unwrap();
        let page = PageVars {
            title: "T",
            date: Some(Date::parse("2019-05-01").unwrap()),
            extra: &extra,
            site: &site,
        };
        let body = "{{% param canonical_url %}} {{< param \"issue\" >}} {{< param 'social.mastodon' >}} \
                    {{% param colour %}} [r]({{< param repo >}}/x) {{% param social.x %}} {{% param date %}} \
                    {{% param list %}} {{< param nope >}}\n";
        let t = translate(body, &base(), &page);
        assert_eq!(
            t.text,
            "https://e.org/a 12 @desk teal [r](https://git.example/r/x) desk 2019-05-01 \
             {{% param list %}} {{< param nope >}}\n"
        );
        assert_eq!(t.unsupported, 2);
    }

    #[test]
    fn page_variables_come_from_the_front_matter() {
        let extra: BTreeMap<String, serde_yaml::Value> = serde_yaml::from_str(
            "cover: /img/a.png\nissue: 12\nfeatured: true\nauthors_list: [a, b]\n",
        )
        .unwrap();
        let page = PageVars {
            title: "The EPA\u{2019}s rule",
            date: Some(Date::parse("2019-05-01").unwrap()),
            extra: &extra,
            site: &serde_yaml::Value::Null,
        };
        let body = "# {{ page.title }}\n\n{{page.date}}, issue {{ page.issue }} ({{- page.featured -}}): ![c]({{ page.cover }}) {{ page.authors_list }} {{ page.nope }}\n";
        let t = translate(body, &base(), &page);
        assert_eq!(
            t.text,
            "# The EPA\u{2019}s rule\n\n2019-05-01, issue 12 (true): ![c](/img/a.png) {{ page.authors_list }} {{ page.nope }}\n"
        );
        assert_eq!(t.unsupported, 0);
    }

    #[test]
    fn unresolved_expressions_in_link_targets_stay_one_target() {
        let t = plain(
            "[a]({{ site.repo }}/x \"T\") [b]({% include url.html %}) {{ site.title }} {% capture x %}\n\n[ref]: {{ page.nope }}/y\n",
        );
        assert_eq!(
            t.text,
            "[a]({{%20site.repo%20}}/x \"T\") [b]({%%20include%20url.html%20%}) {{ site.title }} {% capture x %}\n\n[ref]: {{%20page.nope%20}}/y\n"
        );
        assert_eq!(
            t.unsupported, 1,
            "the tag in a target is a broken link, not text"
        );
    }

    /// Issue 11, fuzzing (`tests/fuzz`, target `shortcodes`): Liquid lets a
    /// tag run over lines, and its replacement dropped the line breaks, so
    /// every line after it was misnumbered in errors.
    #[test]
    fn a_tag_written_over_lines_keeps_them() {
        let body = "[home]({{ site.baseurl\n}}/) {{\n'/x' | relative_url }} {%\r\nraw %}\n{{ page.title\n}}\n{% post_url\na %}\n{%\nhighlight ruby %}\n{{ '/y\n' | url\n}}\n";
        let t = plain(body);
        assert_eq!(t.text.matches('\n').count(), body.matches('\n').count());
        assert_eq!(
            t.text,
            "[home](\n/watch/) \n/watch/x \n\n\nT\n\n@post:a\n\n```ruby\n\n/watch/y\n\n"
        );
        let html = crate::markdown::render(&t.text).html;
        assert!(html.contains("<a href=\"/watch/\">home</a>"), "{html}");
    }

    /// Issue 11, fuzzing (`tests/fuzz`, target `shortcodes`): more tags in
    /// link targets than in the whole text, counted apart, overflowed.
    #[test]
    fn tags_counted_in_targets_and_overall_do_not_overflow() {
        let t = plain("{{<  ]({%st %})]({{%>}})");
        assert_eq!(t.unsupported, 0);
    }

    /// Issue 11, fuzzing (`tests/fuzz`, target `shortcodes`): a tag over
    /// several lines of its own was marked, but the Markdown parser hands
    /// an HTML block on line by line, so the mark was never taken off and
    /// the tag vanished into an HTML comment. It is shown as written.
    #[test]
    fn a_tag_over_lines_of_its_own_is_shown() {
        let t = plain("Intro\n\n{% include a.html\n   x=1 %}\n\nEnd\n");
        let html = crate::markdown::render(&t.text).html;
        assert_eq!(
            html,
            "<p>Intro</p>\n<p>{% include a.html\nx=1 %}</p>\n<p>End</p>\n"
        );
    }

    #[test]
    fn a_line_of_tags_is_marked_as_a_block_of_its_own() {
        let body = "Intro\n{% include signup.html %}\n[ref]: https://example.org/\n\n> {{< note >}} {% x %}\n\n```\n{% include code.html %}\n```\n\n    {% include indented %}\n\nText {% inline %}\n";
        let t = plain(body);
        assert_eq!(
            t.text,
            "Intro\n<!--briefly:shown {% include signup.html %}-->\n[ref]: https://example.org/\n\n> <!--briefly:shown {{< note >}} {% x %}-->\n\n```\n{% include code.html %}\n```\n\n    {% include indented %}\n\nText {% inline %}\n"
        );
        assert_eq!(t.unsupported, 6);
        assert_eq!(t.text.lines().count(), body.lines().count());
    }
}
