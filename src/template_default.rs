//! `default()` over a missing nested field. Tera 2 stops at the first
//! missing link of a path (`page.extra.analyst.name` is an error when
//! `analyst` is missing) unless the path is written with optional links
//! (`page.extra.analyst?.name`); Tera 1, and so every Zola theme, gave the
//! default. Before templates are compiled, the path right before each
//! `| default(` is made optional, link by link. Only the inside of
//! `{{ }}` and `{% %}` tags is read, strings and `{% raw %}` blocks are
//! left alone, and lines do not move (errors keep their line).

use std::borrow::Cow;

/// The template with every path filtered by `default` made optional.
pub fn guard(text: &str) -> Cow<'_, str> {
    if !text.contains("default") {
        return Cow::Borrowed(text);
    }
    let mut marks = Vec::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(found) = text[at..].find('{') {
        let open = at + found;
        match bytes.get(open + 1) {
            Some(b'#') => at = find_from(text, open + 2, "#}").map_or(text.len(), |e| e + 2),
            Some(b'%') if is_raw(&text[open + 2..]) => {
                at = find_from(text, open + 2, "endraw").map_or(text.len(), |e| e + 6);
            }
            Some(b'{') | Some(b'%') => {
                let close = if bytes[open + 1] == b'{' { "}}" } else { "%}" };
                let end = tag_end(text, open + 2, close);
                marks.extend(optional_links(text, open + 2, end));
                at = end;
            }
            _ => at = open + 1,
        }
    }
    if marks.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + marks.len());
    let mut last = 0;
    for mark in marks {
        out.push_str(&text[last..mark]);
        out.push('?');
        last = mark;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

fn find_from(text: &str, from: usize, needle: &str) -> Option<usize> {
    text[from..].find(needle).map(|i| from + i)
}

/// Whether a `{%` tag is `{% raw %}` (or `{%- raw -%}`).
fn is_raw(after_open: &str) -> bool {
    let rest = after_open.trim_start_matches('-').trim_start();
    rest.starts_with("raw")
        && rest[3..]
            .trim_start()
            .trim_start_matches('-')
            .starts_with("%}")
}

/// Where a tag opened before `from` closes, skipping strings.
fn tag_end(text: &str, from: usize, close: &str) -> usize {
    let mut quote = None;
    for (i, c) in text[from..].char_indices() {
        let i = from + i;
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '\'' | '`') => quote = Some(c),
            None if text[i..].starts_with(close) => return i,
            None => {}
        }
    }
    text.len()
}

/// The byte offsets, inside the tag `start..end`, where a `?` makes a
/// link of a path filtered by `default` optional.
fn optional_links(text: &str, start: usize, end: usize) -> Vec<usize> {
    let mut marks = Vec::new();
    let mut quote = None;
    for (i, c) in text[start..end].char_indices() {
        let i = start + i;
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '\'' | '`') => quote = Some(c),
            None if c == '|' && is_default(&text[i + 1..end]) => {
                marks.extend(path_links(text, start, i));
            }
            None => {}
        }
    }
    marks
}

/// Whether a filter call is `default(`.
fn is_default(after_bar: &str) -> bool {
    let rest = after_bar.trim_start();
    rest.strip_prefix("default")
        .is_some_and(|r| r.trim_start().starts_with('('))
}

/// The links (`.name`, `[key]`) of the path that ends right before
/// `before` (spaces aside), as offsets where `?` goes; none when what comes
/// before is not a plain variable path.
fn path_links(text: &str, start: usize, before: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut end = before;
    while end > start && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    let mut i = end;
    let mut links = Vec::new();
    while i > start {
        let c = bytes[i - 1];
        if c.is_ascii_alphanumeric() || c == b'_' || c == b'?' {
            i -= 1;
        } else if c == b'.' {
            i -= 1;
            links.push(i);
        } else if c == b']' {
            let Some(open) = matching_bracket(bytes, start, i - 1) else {
                return Vec::new();
            };
            i = open;
            links.push(i);
        } else {
            break;
        }
    }
    let path = &bytes[i..end];
    let starts_as_name = path
        .first()
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_');
    if !starts_as_name {
        return Vec::new();
    }
    links.retain(|&link| link > i && bytes[link - 1] != b'?');
    links.reverse();
    links
}

/// The `[` that opens the `]` at `close`.
fn matching_bracket(bytes: &[u8], start: usize, close: usize) -> Option<usize> {
    let mut depth = 0;
    for i in (start..=close).rev() {
        match bytes[i] {
            b']' => depth += 1,
            b'[' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::guard;

    #[test]
    fn paths_before_default_get_optional_links() {
        assert_eq!(
            guard("{{ page.extra.analyst.name | default(value=\"desk\") }}"),
            "{{ page?.extra?.analyst?.name | default(value=\"desk\") }}"
        );
        assert_eq!(
            guard("{% set n = a[\"b\"].c|default (value=1) %}"),
            "{% set n = a?[\"b\"]?.c|default (value=1) %}"
        );
        assert_eq!(
            guard("{{ a?.b | default(value=1) }}"),
            "{{ a?.b | default(value=1) }}"
        );
    }

    #[test]
    fn everything_else_is_left_alone() {
        for text in [
            "a.b | default(value=1)",
            "{# a.b | default(value=1) #}",
            "{% raw %}{{ a.b | default(value=1) }}{% endraw %}",
            "{{ \"a.b | default(\" }}",
            "{{ 1.5 | default(value=1) }}",
            "{{ f(x=1).b | default(value=1) }}",
            "{{ a.b | upper }}",
        ] {
            assert_eq!(guard(text), text);
        }
    }
}
