//! Fenced code -> HTML with syntect. Tokens get CSS classes (prefixed `hl-`)
//! and one generated stylesheet carries the colours of the configured theme,
//! so pages stay small. Syntaxes are loaded once, on the first code block, and
//! an unknown language falls back to escaped plain code: never a failure.

use std::sync::LazyLock;

use syntect::highlighting::{Theme, ThemeSet};
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Shown in dark mode when the configured theme is a light one.
const DARK_THEME: &str = "base16-ocean.dark";

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The names `highlight_theme` accepts.
pub fn theme_names() -> Vec<String> {
    ThemeSet::load_defaults().themes.into_keys().collect()
}

/// The stylesheet for a theme, with a dark variant under
/// `prefers-color-scheme: dark` when the theme itself is light.
pub fn stylesheet(theme_name: &str) -> Result<String, String> {
    let mut themes = ThemeSet::load_defaults().themes;
    let theme = themes.remove(theme_name).ok_or_else(|| {
        let names: Vec<String> = themes.keys().cloned().collect();
        format!(
            "unknown highlight_theme `{theme_name}`: use one of {}",
            names.join(", ")
        )
    })?;
    let mut sheet = css(&theme)?;
    if !is_dark(&theme)
        && let Some(dark) = themes.get(DARK_THEME)
    {
        sheet.push_str("@media (prefers-color-scheme: dark) {\n");
        sheet.push_str(&css(dark)?);
        sheet.push_str("}\n");
    }
    Ok(sheet)
}

fn css(theme: &Theme) -> Result<String, String> {
    css_for_theme_with_class_style(theme, CLASS_STYLE).map_err(|e| e.to_string())
}

fn is_dark(theme: &Theme) -> bool {
    theme
        .settings
        .background
        .is_some_and(|c| (u32::from(c.r) + u32::from(c.g) + u32::from(c.b)) < 3 * 128)
}

/// Highlights one fenced block. `lang` is the first word of the info string.
pub fn highlight(code: &str, lang: &str) -> String {
    let lang = lang.trim();
    let syntax = (!lang.is_empty())
        .then(|| SYNTAXES.find_syntax_by_token(lang))
        .flatten();
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape(lang))
    };
    let Some(syntax) = syntax else {
        return format!(
            "<pre class=\"code\"><code{class}>{}</code></pre>\n",
            escape(code)
        );
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!(
                "<pre class=\"code\"><code{class}>{}</code></pre>\n",
                escape(code)
            );
        }
    }
    format!(
        "<pre class=\"code hl-code\"><code{class}>{}</code></pre>\n",
        generator.finalize()
    )
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes() {
        let html = highlight("fn main() {}\n", "rust");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("language-rust"));
    }

    #[test]
    fn unknown_language_is_escaped_plain_code() {
        let html = highlight("<b>&</b>\n", "no-such-language");
        assert_eq!(
            html,
            "<pre class=\"code\"><code class=\"language-no-such-language\">&lt;b&gt;&amp;&lt;/b&gt;\n</code></pre>\n"
        );
    }

    #[test]
    fn stylesheet_for_known_and_unknown_themes() {
        let css = stylesheet("InspiredGitHub").unwrap();
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(stylesheet("Nope").unwrap_err().contains("InspiredGitHub"));
    }
}
