//! `minify: true`: the output's HTML pages, with the CSS and JS inside
//! them, and the theme's CSS and JS files, made smaller by minify-html
//! (lightningcss for CSS, oxc for JS). It keeps what changes a page: the
//! text of `<pre>` and `<textarea>`, JSON-LD and other data scripts (left as
//! written), closing tags (`serve` puts its live-reload script before
//! `</body>`) and the `<html>` and `<head>` tags. What it cannot parse it
//! leaves as written. Files copied from `content/` are left as they are.

use std::path::Path;
use std::sync::LazyLock;

static SETTINGS: LazyLock<minify_html::Cfg> = LazyLock::new(|| minify_html::Cfg {
    keep_closing_tags: true,
    keep_html_and_head_opening_tags: true,
    minify_css: true,
    minify_js: true,
    // Only what the HTML standard allows: no unquoted attribute values
    // with odd characters, no attributes run together.
    ..minify_html::Cfg::default()
});

/// The minified bytes of an output file at `path`: an HTML page, a CSS or
/// a JS file; any other file as it is.
pub fn file(path: &Path, body: Vec<u8>) -> Vec<u8> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match extension {
        "html" | "htm" => minify_html::minify(&body, &SETTINGS),
        "css" => inside(body, "style"),
        "js" | "mjs" => inside(body, "script"),
        _ => body,
    }
}

/// A stylesheet or script minified as the content of a `<style>` or
/// `<script>` element, which is how minify-html takes them; as it is when
/// it is not UTF-8 or would end that element early.
fn inside(body: Vec<u8>, element: &str) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(&body) else {
        return body;
    };
    let closing = format!("</{element}");
    if text.to_ascii_lowercase().contains(&closing) {
        return body;
    }
    let page = format!("<{element}>{text}</{element}>");
    let minified = minify_html::minify(page.as_bytes(), &SETTINGS);
    let open = format!("<{element}>");
    let close = format!("</{element}>");
    match minified
        .strip_prefix(open.as_bytes())
        .and_then(|rest| rest.strip_suffix(close.as_bytes()))
    {
        Some(inner) if inner.len() <= body.len() => inner.to_vec(),
        _ => body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str) -> String {
        String::from_utf8(file(Path::new("index.html"), text.as_bytes().to_vec())).unwrap()
    }

    #[test]
    fn pages_lose_spaces_but_not_pre_json_ld_or_closing_tags() {
        let page = "<!doctype html>\n<html lang=\"en\">\n  <head>\n    <title> T </title>\n    <script type=\"application/ld+json\">{\"@type\": \"Article\",\n  \"name\": \"a  b\"}</script>\n  </head>\n  <body>\n    <p>One   two</p>\n    <pre>  keep\n    this  </pre>\n    <script>var   answer = 1 + 2;\n console.log( answer );</script>\n  </body>\n</html>\n";
        let out = html(page);
        assert!(out.len() < page.len(), "{out}");
        assert!(out.contains("<pre>  keep\n    this  </pre>"), "{out}");
        assert!(
            out.contains("{\"@type\": \"Article\",\n  \"name\": \"a  b\"}"),
            "{out}"
        );
        assert!(out.contains("</body>") && out.contains("<head>"), "{out}");
        assert!(!out.contains("var   answer"), "{out}");
        assert_eq!(html(page), out, "the same page gives the same bytes");
    }

    #[test]
    fn stylesheets_and_scripts_are_minified_alone() {
        let css = file(Path::new("a.css"), b"a {\n  color : red ;\n}\n".to_vec());
        assert_eq!(String::from_utf8(css).unwrap(), "a{color:red}");
        let source = "function add(first, second) {\n  return first + second;\n}\n";
        let js = file(Path::new("x/a.js"), source.as_bytes().to_vec());
        let js = String::from_utf8(js).unwrap();
        assert!(
            js.len() < source.len() - 8 && !js.contains('\n') && js.contains("function add("),
            "{js}"
        );
        let odd = b"var s = '</script>';".to_vec();
        assert_eq!(file(Path::new("a.js"), odd.clone()), odd);
        let other = b"  keep  ".to_vec();
        assert_eq!(file(Path::new("a.txt"), other.clone()), other);
    }
}
