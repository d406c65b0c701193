//! The template tags that posts moved in from Jekyll, Eleventy and Hugo
//! carry in their Markdown: links to other posts (`{% post_url … %}`,
//! `{% link … %}`, `{{< ref … >}}`) become links to source files that the
//! build resolves like any other; the site URL expressions (`{{ site.baseurl }}`,
//! a string piped through `relative_url`, `absolute_url` or `url`) become
//! this site's base. Any other Liquid tag or shortcode is left as text and
//! counted, so the build can warn once instead of failing.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::markdown::{HUGO_REF as REF, POST_URL};
use crate::url::BaseUrl;

static HUGO_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\{\{[<%]\s*(?:rel)?ref\s+"([^"]+)"\s*[>%]\}\}"#).expect("a valid pattern")
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
static OTHER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{%.*?%\}|\{\{[<%].*?[>%]\}\}").expect("a valid pattern"));

/// A body with the tags it understands replaced.
pub struct Translated<'a> {
    pub text: Cow<'a, str>,
    /// Tags and shortcodes left as text.
    pub unsupported: usize,
}

pub fn translate<'a>(body: &'a str, base: &BaseUrl) -> Translated<'a> {
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
    let text = HUGO_REF.replace_all(body, |c: &Captures| hugo_ref(&c[1]));
    let text = JEKYLL_POST_URL.replace_all(&text, |c: &Captures| format!("{POST_URL}{}", &c[1]));
    let text = JEKYLL_LINK.replace_all(&text, |c: &Captures| {
        format!("@/{}", c[1].trim_start_matches('/'))
    });
    let text = SITE_VARIABLE.replace_all(&text, |c: &Captures| match &c[1] {
        "baseurl" => base.root.trim_end_matches('/').to_string(),
        _ => host.clone(),
    });
    let text = URL_FILTER.replace_all(&text, |c: &Captures| match &c[2] {
        "absolute_url" => base.permalink(&c[1]),
        _ => base.url(&c[1]),
    });
    let unsupported = OTHER.find_iter(&text).count();
    Translated {
        text: Cow::Owned(text.into_owned()),
        unsupported,
    }
}

/// The source link a Hugo `ref` names, resolved by `Site::resolve_link`
/// the way Hugo does (relative to the file, then from `content/`);
/// `#anchor` alone stays a link on the same page.
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

    #[test]
    fn link_tags_and_url_expressions() {
        let base = BaseUrl::parse("https://example.org/watch").unwrap();
        let body = r##"[a]({{< ref "kazan.md#reactions" >}}) [b]({{< relref "/briefings/treaty" >}}) [c]({% post_url 2019-05-01-old-post %}) [d]({% link _posts/x.md %}) [e]({{ site.baseurl }}/about/) [f]({{ site.url }}{{ site.baseurl }}/) [g]({{ "/tags/" | relative_url }}) [h]({{ '/feed' | absolute_url }}) [i]({{< ref "#here" >}}) {% include note.html %} {{< figure src="a.png" >}}"##;
        let t = translate(body, &base);
        assert_eq!(
            t.text,
            "[a](@ref:kazan.md#reactions) [b](@ref:/briefings/treaty) [c](@post:2019-05-01-old-post) [d](@/_posts/x.md) [e](/watch/about/) [f](https://example.org/watch/) [g](/watch/tags/) [h](https://example.org/watch/feed) [i](#here) {% include note.html %} {{< figure src=\"a.png\" >}}"
        );
        assert_eq!(t.unsupported, 2);
        assert!(matches!(translate("plain", &base).text, Cow::Borrowed(_)));
    }
}
