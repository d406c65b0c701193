//! Fenced code -> HTML with syntect. Tokens get CSS classes (prefixed `hl-`)
//! and one generated stylesheet carries the colours of the configured theme,
//! so pages stay small. Syntaxes are loaded once, on the first code block, and
//! an unknown language falls back to escaped plain code: never a failure.
//!
//! syntect's line parser is the costliest step of a build (its regexes run at
//! well under 1 MiB/s), and code blocks repeat lines: imports, braces, blank
//! lines, the same snippet in a series of briefings. The parse of a line is a
//! pure function of the parser's state before it and the line's text, so each
//! thread keeps a bounded memo of (state, line) -> (scope operations, state
//! after) and skips the regexes when both match. The HTML is the same with or
//! without the memo. (A state holding a captured delimiter, as inside some
//! string literals, never compares equal to another, so those lines are
//! always parsed.)
//!
//! Every reader gets readable code: each token colour is pushed towards
//! black (on a light theme) or white (on a dark one) until it has WCAG AA
//! contrast (4.5:1) with its background, and the light and dark variants
//! each apply only in their own colour scheme, so no colour of one ends on
//! the other's background.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{LazyLock, Mutex};

use syntect::highlighting::{Color, Theme, ThemeSet};
use syntect::html::{ClassStyle, css_for_theme_with_class_style};
use syntect::parsing::{
    BasicScopeStackOp, ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet,
};
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
    if is_dark(&theme) {
        return css(theme);
    }
    let Some(dark) = themes.remove(DARK_THEME) else {
        return css(theme);
    };
    Ok(format!(
        "@media not all and (prefers-color-scheme: dark) {{\n{}}}\n\
         @media (prefers-color-scheme: dark) {{\n{}}}\n",
        css(theme)?,
        css(dark)?
    ))
}

/// The theme's stylesheet, its colours made readable, minified.
fn css(theme: Theme) -> Result<String, String> {
    let css = css_for_theme_with_class_style(&readable_theme(theme), CLASS_STYLE)
        .map_err(|e| e.to_string())?;
    Ok(compact(&css))
}

/// The theme with every foreground colour `readable` on its background.
fn readable_theme(mut theme: Theme) -> Theme {
    let background = theme.settings.background.unwrap_or(WHITE);
    if let Some(fg) = &mut theme.settings.foreground {
        *fg = readable(*fg, background);
    }
    for item in &mut theme.scopes {
        if let Some(fg) = &mut item.style.foreground {
            *fg = readable(*fg, item.style.background.unwrap_or(background));
        }
    }
    theme
}

const WHITE: Color = Color::WHITE;
/// WCAG AA for body text is 4.5:1; a little over, so that rounding in a
/// browser's or a checker's arithmetic never takes a colour under it.
const CONTRAST: f64 = 4.6;

/// `fg`, or the first mix of it with black or white (whichever is further
/// from `bg`) in steps of 5% that has `CONTRAST` with `bg`.
fn readable(fg: Color, bg: Color) -> Color {
    let bg_light = luminance(bg) > 0.18;
    let target = if bg_light { Color::BLACK } else { WHITE };
    let mix =
        |a: u8, b: u8, t: f64| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    (0..=20)
        .map(|step| {
            let t = f64::from(step) / 20.0;
            Color {
                r: mix(fg.r, target.r, t),
                g: mix(fg.g, target.g, t),
                b: mix(fg.b, target.b, t),
                a: fg.a,
            }
        })
        .find(|c| contrast(*c, bg) >= CONTRAST)
        .unwrap_or(target)
}

/// WCAG 2 relative luminance.
fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

fn contrast(a: Color, b: Color) -> f64 {
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// syntect's stylesheet minified (a page with code links it), or as it is
/// should the minifier refuse it.
fn compact(css: &str) -> String {
    minifier::css::minify(css).map_or_else(|_| css.to_string(), |m| m.to_string())
}

/// Whether `html`, made by `highlight`, is highlighted (needs the stylesheet).
pub fn is_highlighted(html: &str) -> bool {
    html.starts_with(HIGHLIGHTED)
}

const HIGHLIGHTED: &str = "<pre class=\"code hl-code\" tabindex=\"0\">";

fn is_dark(theme: &Theme) -> bool {
    theme
        .settings
        .background
        .is_some_and(|c| (u32::from(c.r) + u32::from(c.g) + u32::from(c.b)) < 3 * 128)
}

/// The longest line highlighted, in bytes. syntect's memory and time grow
/// faster than a line (a 1 MB line took 680 MB and gave a 64 MB page); a
/// block holding a longer line is shown plain, as a whole, so that no
/// line is coloured from a parser state the plain line skipped. Such a
/// line is data (minified code, base64), not code to read.
pub const LINE_MAX: usize = 4096;

/// The first line of `code` longer than `LINE_MAX` bytes: its index in the
/// block and its length. Only a block longer than that is looked at.
pub fn long_line(code: &str) -> Option<(usize, usize)> {
    if code.len() <= LINE_MAX {
        return None;
    }
    code.split('\n')
        .map(str::len)
        .enumerate()
        .find(|&(_, len)| len > LINE_MAX)
}

/// Whether a block in `lang` would be highlighted (else it is plain code).
pub fn knows(lang: &str) -> bool {
    syntax(lang).is_some()
}

fn syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let lang = lang.trim();
    (!lang.is_empty())
        .then(|| SYNTAXES.find_syntax_by_token(lang))
        .flatten()
}

/// Highlights one fenced block. `lang` is the first word of the info
/// string. A block with a line over `LINE_MAX` bytes is shown plain. The
/// block scrolls sideways inside itself, so it is in the tab order: a
/// keyboard can reach and scroll it (axe-core's
/// `scrollable-region-focusable`).
pub fn highlight(code: &str, lang: &str, classes: &'static CodeClasses) -> String {
    let lang = lang.trim();
    let syntax = syntax(lang).filter(|_| long_line(code).is_none());
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape(lang))
    };
    let Some(syntax) = syntax else {
        return format!(
            "<pre class=\"code\" tabindex=\"0\"><code{class}>{}</code></pre>\n",
            escape(code)
        );
    };
    match classed_html(code, syntax, classes) {
        Some(html) => format!("{HIGHLIGHTED}<code{class}>{html}</code></pre>\n"),
        None => format!(
            "<pre class=\"code\" tabindex=\"0\"><code{class}>{}</code></pre>\n",
            escape(code)
        ),
    }
}

/// The code as HTML spans with classes, or `None` when syntect fails on it.
/// The block is parsed first, so that its spans carry only the classes of
/// the rules that can apply in it (see `Live`).
fn classed_html(
    code: &str,
    syntax: &SyntaxReference,
    classes: &'static CodeClasses,
) -> Option<String> {
    let mut state = ParseState::new(syntax);
    let lines = LINE_MEMO.with_borrow_mut(|memo| {
        LinesWithEndings::from(code)
            .map(|line| Some((line, memo.parse(&mut state, line)?)))
            .collect::<Option<Vec<(&str, Vec<(usize, ScopeStackOp)>)>>>()
    })?;
    let mut pushed: Vec<Scope> = lines
        .iter()
        .flat_map(|(_, ops)| ops)
        .filter_map(|(_, op)| match op {
            ScopeStackOp::Push(scope) => Some(*scope),
            _ => None,
        })
        .collect();
    pushed.sort_unstable();
    pushed.dedup();
    let mut spans = Spans {
        classes,
        live: classes.live(&pushed),
        scopes: ScopeStack::new(),
        opened: Vec::new(),
    };
    let mut html = String::with_capacity(code.len() * 2);
    for (line, ops) in &lines {
        spans.line(&mut html, line, ops)?;
    }
    for _ in spans.opened.iter().filter(|&&open| open) {
        html.push_str("</span>");
    }
    Some(html)
}

/// Turns syntect's scope operations into `<span>`s, like syntect's
/// `line_tokens_to_classed_spans`, but a span carries only the classes some
/// rule of `highlight.css` that can apply in this block can match, and a
/// scope that no such rule can match gets no span at all. A CSS compound
/// like `.hl-entity.hl-name` matches an element whose classes include all
/// of its own, and a rule (`.hl-source.hl-js .hl-meta.hl-function`)
/// applies only where each of its compounds matches an element; so keeping,
/// for each scope, exactly the classes of the live compounds contained in
/// it leaves every rule applying where it applied before. The scope
/// `meta.qualified-name.python` (three classes) costs nothing, and
/// InspiredGitHub's rules for JSON nested twenty deep (`.hl-meta .hl-meta
/// …`) no longer put `hl-meta` around every Python name; code blocks were
/// more than half of a code-heavy page's bytes.
struct Spans {
    classes: &'static CodeClasses,
    /// The compounds of the rules that can apply in this block.
    live: Live,
    /// The scope stack across lines (a string or comment spans lines).
    scopes: ScopeStack,
    /// For each scope on the stack, whether it opened a `<span>`.
    opened: Vec<bool>,
}

impl Spans {
    fn line(&mut self, html: &mut String, line: &str, ops: &[(usize, ScopeStackOp)]) -> Option<()> {
        let mut at = 0;
        // The latest span opened with nothing in it yet: it is dropped when
        // its scope ends at once (as syntect does).
        let mut empty_since: Option<usize> = None;
        let opened = &mut self.opened;
        let (classes, live) = (self.classes, &self.live);
        for (i, op) in ops {
            if *i > at {
                pulldown_cmark_escape::escape_html(&mut *html, &line[at..*i]).ok()?;
                empty_since = None;
                at = *i;
            }
            self.scopes
                .apply_with_hook(op, |basic, _| match basic {
                    BasicScopeStackOp::Push(scope) => match classes.of_scope(scope, live) {
                        Some(classes) => {
                            empty_since = Some(html.len());
                            html.push_str("<span class=\"");
                            html.push_str(&classes);
                            html.push_str("\">");
                            opened.push(true);
                        }
                        None => opened.push(false),
                    },
                    BasicScopeStackOp::Pop => {
                        if opened.pop().unwrap_or(false) {
                            match empty_since {
                                Some(start) => html.truncate(start),
                                None => html.push_str("</span>"),
                            }
                        }
                        empty_since = None;
                    }
                })
                .ok()?;
        }
        pulldown_cmark_escape::escape_html(&mut *html, &line[at..]).ok()?;
        Some(())
    }
}

/// A span's `class` attribute, or `None` for no span.
type SpanClass = Option<Rc<str>>;

/// A set of compounds (indices into `CodeClasses::compounds`), as bits.
type Bits = Rc<[u64]>;

fn has(bits: &[u64], i: usize) -> bool {
    bits[i / 64] & (1 << (i % 64)) != 0
}

/// The compounds of the rules that can apply in one block: those whose
/// every compound is contained in some scope the block pushes. `id` names
/// the set within a thread (blocks of one language share it), for the memo
/// of span classes.
struct Live {
    id: u32,
    bits: Bits,
}

/// The scopes `highlight.css` can style for one `highlight_theme`: every
/// compound selector (one scope of a rule's path) of the theme and of its
/// dark pair, and each rule's path as its compounds. Made once per theme
/// name and kept for the process (there are seven themes).
pub struct CodeClasses {
    theme: &'static str,
    compounds: Vec<Scope>,
    /// Each rule's path (`.hl-source.hl-js .hl-meta.hl-function`: two
    /// compounds), as indices into `compounds`.
    rules: Vec<Vec<usize>>,
}

impl CodeClasses {
    /// The classes for `theme_name` (an unknown name, which the build
    /// reports from `stylesheet`, gets every theme's).
    pub fn of(theme_name: &str) -> &'static CodeClasses {
        static MADE: LazyLock<Mutex<HashMap<String, &'static CodeClasses>>> =
            LazyLock::new(Mutex::default);
        let mut made = MADE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(classes) = made.get(theme_name) {
            return classes;
        }
        let themes = ThemeSet::load_defaults().themes;
        // Every unknown name shares one entry: names typed while serving
        // are not each kept for the process.
        const UNKNOWN: &str = "";
        let theme_name = if themes.contains_key(theme_name) {
            theme_name
        } else {
            UNKNOWN
        };
        if let Some(classes) = made.get(theme_name) {
            return classes;
        }
        let chosen: Vec<&Theme> = match themes.get(theme_name) {
            Some(theme) if is_dark(theme) => vec![theme],
            Some(theme) => vec![theme, &themes[DARK_THEME]],
            None => themes.values().collect(),
        };
        let paths: Vec<Vec<Scope>> = chosen
            .iter()
            .flat_map(|theme| &theme.scopes)
            .flat_map(|item| &item.scope.selectors)
            .map(|selector| {
                let mut path = selector.extract_scopes();
                path.retain(|scope| !scope.is_empty());
                path
            })
            .filter(|path| !path.is_empty())
            .collect();
        let mut compounds: Vec<Scope> = paths.iter().flatten().copied().collect();
        compounds.sort_unstable();
        compounds.dedup();
        let mut rules: Vec<Vec<usize>> = paths
            .iter()
            .map(|path| {
                path.iter()
                    .map(|scope| compounds.binary_search(scope).expect("collected above"))
                    .collect()
            })
            .collect();
        rules.sort_unstable();
        rules.dedup();
        let classes = Box::leak(Box::new(CodeClasses {
            theme: Box::leak(theme_name.into()),
            compounds,
            rules,
        }));
        made.insert(theme_name.to_string(), classes);
        classes
    }

    /// The classes of the default `highlight_theme`.
    pub fn default_theme() -> &'static CodeClasses {
        CodeClasses::of(crate::config::DEFAULT_HIGHLIGHT_THEME)
    }

    fn words(&self) -> usize {
        self.compounds.len().div_ceil(64)
    }

    /// The compounds of the rules that can apply in a block that pushes
    /// `scopes`: a rule whose compound no scope contains matches nothing
    /// there, so its classes need not be written.
    fn live(&'static self, scopes: &[Scope]) -> Live {
        thread_local! {
            static CONTAINED: RefCell<HashMap<(&'static str, Scope), Bits>> =
                RefCell::new(HashMap::new());
            static IDS: RefCell<HashMap<(&'static str, Bits), u32>> =
                RefCell::new(HashMap::new());
        }
        let mut met = vec![0u64; self.words()];
        CONTAINED.with_borrow_mut(|contained| {
            for &scope in scopes {
                let bits = contained
                    .entry((self.theme, scope))
                    .or_insert_with(|| self.contained(scope));
                for (m, b) in met.iter_mut().zip(bits.iter()) {
                    *m |= b;
                }
            }
        });
        let mut live = vec![0u64; self.words()];
        for rule in &self.rules {
            if rule.iter().all(|&c| has(&met, c)) {
                for &c in rule {
                    live[c / 64] |= 1 << (c % 64);
                }
            }
        }
        let bits: Bits = live.into();
        let id = IDS.with_borrow_mut(|ids| {
            let next = ids.len() as u32;
            *ids.entry((self.theme, bits.clone())).or_insert(next)
        });
        Live { id, bits }
    }

    /// The compounds `scope` contains (each of their atoms is one of its).
    fn contained(&self, scope: Scope) -> Bits {
        let atoms = atoms(scope);
        let mut bits = vec![0u64; self.words()];
        for (i, compound) in self.compounds.iter().enumerate() {
            if atoms_of(*compound).all(|atom| atoms.contains(&atom)) {
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        bits.into()
    }

    /// The `class` attribute of a scope's span (`hl-` and the atoms some
    /// live compound names, in the scope's order), or `None` when no live
    /// rule can match it. Memoised per thread: a site has a few thousand
    /// distinct scopes and a few sets of live rules.
    fn of_scope(&'static self, scope: Scope, live: &Live) -> Option<Rc<str>> {
        thread_local! {
            static MEMO: RefCell<HashMap<(&'static str, Scope, u32), SpanClass>> =
                RefCell::new(HashMap::new());
        }
        MEMO.with_borrow_mut(|memo| {
            memo.entry((self.theme, scope, live.id))
                .or_insert_with(|| self.classes(scope, &live.bits))
                .clone()
        })
    }

    fn classes(&self, scope: Scope, live: &[u64]) -> Option<Rc<str>> {
        let atoms = atoms(scope);
        let contained = self.contained(scope);
        let mut keep = vec![false; atoms.len()];
        for (i, compound) in self.compounds.iter().enumerate() {
            if has(live, i) && has(&contained, i) {
                let named: Vec<u16> = atoms_of(*compound).collect();
                for (k, atom) in keep.iter_mut().zip(&atoms) {
                    *k |= named.contains(atom);
                }
            }
        }
        let names = scope.build_string();
        let kept: Vec<String> = names
            .split('.')
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(name, _)| format!("hl-{name}"))
            .collect();
        (!kept.is_empty()).then(|| Rc::from(kept.join(" ")))
    }
}

/// A scope's atoms (`meta`, `function`, `python`) as syntect numbers them.
fn atoms_of(scope: Scope) -> impl Iterator<Item = u16> {
    (0..scope.len() as usize).map(move |i| scope.atom_at(i))
}

fn atoms(scope: Scope) -> Vec<u16> {
    atoms_of(scope).collect()
}

/// Lines per generation of the memo (see `LineMemo`). A line costs its
/// text, two parser states and its scope operations, a few hundred bytes, so
/// the two generations of a thread hold about 15 MiB of typical code.
const MEMO_LINES: usize = 32_768;

/// Bytes per generation, counted roughly (`Parsed::cost`): long distinct
/// lines (up to `LINE_MAX` each, say a page of generated code) age out by
/// size before they reach the line count, so a thread's memo stays near
/// 2 × 8 MiB whatever the pages hold.
const MEMO_BYTES: usize = 8 << 20;

// Per thread, not shared: a parser state may hold an Oniguruma capture
// region, which is neither `Send` nor `Sync`.
thread_local! {
    static LINE_MEMO: RefCell<LineMemo> = RefCell::new(LineMemo::default());
}

/// Empties this thread's memo, so that the next blocks are parsed by syntect
/// from scratch (for benchmarks of a cold build).
pub fn forget_lines() {
    LINE_MEMO.with_borrow_mut(|memo| *memo = LineMemo::default());
}

/// One parsed line: the state it was parsed from, what the parser produced
/// and the state it left.
struct Parsed {
    before: ParseState,
    ops: Vec<(usize, ScopeStackOp)>,
    after: ParseState,
}

impl Parsed {
    /// About what this line holds in the memo, with its text.
    fn cost(&self, line: &str) -> usize {
        line.len()
            + self.ops.len() * std::mem::size_of::<(usize, ScopeStackOp)>()
            + 2 * std::mem::size_of::<ParseState>()
            + 256
    }
}

/// Two generations: new lines go into `young`; when it is full it becomes
/// `old` and the previous `old` is dropped. A line found in `old` moves back
/// to `young`, so the lines that keep coming back (imports, braces, blank
/// lines) survive while one-off lines age out.
struct LineMemo {
    young: HashMap<String, Vec<Parsed>>,
    old: HashMap<String, Vec<Parsed>>,
    young_len: usize,
    young_bytes: usize,
    /// Lines per generation.
    capacity: usize,
    /// Bytes per generation (`Parsed::cost`).
    bytes_capacity: usize,
}

impl Default for LineMemo {
    fn default() -> Self {
        LineMemo {
            young: HashMap::new(),
            old: HashMap::new(),
            young_len: 0,
            young_bytes: 0,
            capacity: MEMO_LINES,
            bytes_capacity: MEMO_BYTES,
        }
    }
}

impl LineMemo {
    /// `state.parse_line(line)`, from the memo when this line was parsed from
    /// an equal state before.
    fn parse(&mut self, state: &mut ParseState, line: &str) -> Option<Vec<(usize, ScopeStackOp)>> {
        if let Some(parsed) = self
            .young
            .get(line)
            .and_then(|seen| seen.iter().find(|p| p.before == *state))
        {
            state.clone_from(&parsed.after);
            return Some(parsed.ops.clone());
        }
        if let Some(k) = self
            .old
            .get(line)
            .and_then(|seen| seen.iter().position(|p| p.before == *state))
        {
            let parsed = self.old.get_mut(line).expect("found above").swap_remove(k);
            state.clone_from(&parsed.after);
            let ops = parsed.ops.clone();
            self.insert(line, parsed);
            return Some(ops);
        }
        let before = state.clone();
        let ops = state.parse_line(line, &SYNTAXES).ok()?;
        let parsed = Parsed {
            before,
            ops: ops.clone(),
            after: state.clone(),
        };
        self.insert(line, parsed);
        Some(ops)
    }

    fn insert(&mut self, line: &str, parsed: Parsed) {
        if self.young_len >= self.capacity || self.young_bytes >= self.bytes_capacity {
            self.old = std::mem::take(&mut self.young);
            self.young_len = 0;
            self.young_bytes = 0;
        }
        self.young_len += 1;
        self.young_bytes += parsed.cost(line);
        self.young.entry(line.to_owned()).or_default().push(parsed);
    }
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
        let html = highlight("fn main() {}\n", "rust", CodeClasses::default_theme());
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("language-rust"));
    }

    /// syntect's own generator, without the memo.
    fn reference(code: &str, lang: &str) -> String {
        let syntax = SYNTAXES.find_syntax_by_token(lang).unwrap();
        let mut generator = syntect::html::ClassedHTMLGenerator::new_with_class_style(
            syntax,
            &SYNTAXES,
            CLASS_STYLE,
        );
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .unwrap();
        }
        generator.finalize()
    }

    /// What styles each character of highlighted HTML: for every span
    /// around it, outermost first, the rules of `classes` that match it (a
    /// rule's last compound in the span's classes, its others in those of
    /// spans around it, in order), leaving out spans no rule matches. Equal
    /// for two pieces of HTML means every rule of that theme's
    /// `highlight.css` applies to the same text in both.
    fn styling(html: &str, classes: &CodeClasses) -> Vec<(char, Vec<Vec<usize>>)> {
        let compounds: Vec<Vec<String>> = classes
            .compounds
            .iter()
            .map(|scope| {
                let names = scope.build_string();
                names.split('.').map(|atom| format!("hl-{atom}")).collect()
            })
            .collect();
        let holds = |span: &[String], c: usize| compounds[c].iter().all(|a| span.contains(a));
        // The rules matching the innermost of `spans`.
        let matching = |spans: &[Vec<String>]| -> Vec<usize> {
            let (last, around) = spans.split_last().unwrap();
            (0..classes.rules.len())
                .filter(|&r| {
                    let (tail, path) = classes.rules[r].split_last().unwrap();
                    if !holds(last, *tail) {
                        return false;
                    }
                    let mut need = path.iter().rev().peekable();
                    for span in around.iter().rev() {
                        if need.peek().is_some_and(|&&c| holds(span, c)) {
                            need.next();
                        }
                    }
                    need.peek().is_none()
                })
                .collect()
        };
        let mut spans: Vec<Vec<String>> = Vec::new();
        let mut matched: Vec<Vec<usize>> = Vec::new();
        let mut out = Vec::new();
        let mut rest = html;
        while let Some(c) = rest.chars().next() {
            if let Some(after) = rest.strip_prefix("<span class=\"") {
                let (names, after) = after.split_once("\">").unwrap();
                spans.push(names.split(' ').map(String::from).collect());
                matched.push(matching(&spans));
                rest = after;
                continue;
            }
            if let Some(after) = rest.strip_prefix("</span>") {
                spans.pop().unwrap();
                matched.pop().unwrap();
                rest = after;
                continue;
            }
            let (c, after) = if c == '&' {
                let (entity, after) = rest.split_once(';').unwrap();
                let c = match entity {
                    "&amp" => '&',
                    "&lt" => '<',
                    "&gt" => '>',
                    "&quot" => '"',
                    "&#39" => '\'',
                    _ => panic!("{entity}"),
                };
                (c, after)
            } else {
                (c, &rest[c.len_utf8()..])
            };
            let styled = matched.iter().filter(|m| !m.is_empty()).cloned().collect();
            out.push((c, styled));
            rest = after;
        }
        assert!(spans.is_empty(), "unclosed spans in {html}");
        out
    }

    /// The `<code>` content of `highlight`'s output.
    fn code_of(html: &str) -> &str {
        let start = html.find("<code").unwrap();
        let start = start + html[start..].find('>').unwrap() + 1;
        &html[start..html.rfind("</code>").unwrap()]
    }

    #[test]
    fn memo_gives_syntects_html_for_lines_seen_in_other_states() {
        // `x = 1` and `"""` appear as code and inside a docstring; `}` closes
        // different things; the memo must not mix them up.
        let blocks = [
            ("python", "x = 1\n\"\"\"\nx = 1\n\"\"\"\nx = 1\n"),
            (
                "python",
                "def f():\n    \"\"\"\n    x = 1\n    \"\"\"\n    x = 1\n",
            ),
            ("rust", "fn a() {\n}\nconst S: &str = \"\n}\n\";\n}\n"),
            ("rust", "/* open\n}\n*/\n}\n"),
            ("yaml", "a: |\n  b: 1\nb: 1\n"),
            (
                "html",
                "<p class='x'>&amp; <script>let r = /a[b]/g; // c\n</script>\n",
            ),
            ("js", "const re = /[a-z]+\\d/g; `t ${x}`\n"),
            ("diff", "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n"),
            // InspiredGitHub's rules for strings in JSON nested 21 deep.
            (
                "json",
                "[[[[[[[[[[[[[[[[[[[[[{\"k\": \"v\", \"n\": {\"k\": \"v\"}}]]]]]]]]]]]]]]]]]]]]]\n",
            ),
        ];
        for theme in theme_names() {
            let classes = CodeClasses::of(&theme);
            for round in 0..2 {
                for (lang, code) in blocks {
                    let html = highlight(code, lang, classes);
                    let expected = reference(code, lang);
                    assert_eq!(
                        styling(code_of(&html), classes),
                        styling(&expected, classes),
                        "{theme}, round {round}, {lang}: {code:?}\n{html}\n{expected}"
                    );
                }
            }
        }
    }

    /// Every syntax syntect ships, on text that opens strings, comments and
    /// tags across lines (CRLF line ends too): the pruned spans style the
    /// same characters as syntect's own for the default theme and a theme
    /// that styles `meta`.
    #[test]
    fn every_syntax_keeps_its_styling() {
        let code = "<a href=\"x\">/* c */ 'q' \"s\\\"\" # h\r\n  let x = [1, 2.5e3]; // end\n\"\"\"\n{ key: value } `t` $v @d\n";
        let mut compared = 0;
        for theme in ["base16-ocean.light", "InspiredGitHub"] {
            let classes = CodeClasses::of(theme);
            for syntax in SYNTAXES.syntaxes() {
                let Some(token) = syntax.file_extensions.first() else {
                    continue;
                };
                if SYNTAXES.find_syntax_by_token(token).map(|s| &s.name) != Some(&syntax.name) {
                    continue;
                }
                let html = highlight(code, token, classes);
                if !is_highlighted(&html) {
                    continue;
                }
                assert_eq!(
                    styling(code_of(&html), classes),
                    styling(&reference(code, token), classes),
                    "{theme}, {}",
                    syntax.name
                );
                compared += 1;
            }
        }
        assert!(compared > 2 * 40, "only {compared} syntaxes compared");
    }

    /// Unknown theme names (the build reports them) share one entry.
    #[test]
    fn unknown_theme_names_share_their_classes() {
        assert!(std::ptr::eq(
            CodeClasses::of("nope-a"),
            CodeClasses::of("nope-b")
        ));
        assert!(!std::ptr::eq(
            CodeClasses::of("nope-a"),
            CodeClasses::default_theme()
        ));
    }

    /// Spans and classes that no rule of the theme can match are left out:
    /// a Python call is much shorter than syntect's own HTML.
    #[test]
    fn spans_carry_only_classes_the_theme_styles() {
        let code = "import os\nos.path.join(a, 'b')\n";
        let html = highlight(code, "python", CodeClasses::default_theme());
        assert!(!html.contains("hl-python"), "{html}");
        assert!(!html.contains("hl-meta hl-qualified-name"), "{html}");
        assert!(html.contains("<span class=\"hl-keyword"), "{html}");
        assert!(html.contains("<span class=\"hl-string"), "{html}");
        assert!(!html.contains("hl-meta"), "{html}");
        assert!(
            code_of(&html).len() * 2 < reference(code, "python").len(),
            "{html}"
        );
        // InspiredGitHub styles `meta` in JSON nested twenty deep, in CSS,
        // JavaScript and diffs: not in Python, whose spans drop it...
        let inspired = CodeClasses::of("InspiredGitHub");
        let html = highlight(code, "python", inspired);
        assert!(!html.contains("hl-meta"), "{html}");
        assert!(html.contains("<span class=\"hl-keyword"), "{html}");
        // ... but a diff's header keeps it.
        let diff = "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n";
        let html = highlight(diff, "diff", inspired);
        assert!(html.contains("hl-meta hl-diff"), "{html}");
        assert_eq!(
            styling(code_of(&html), inspired),
            styling(&reference(diff, "diff"), inspired)
        );
    }

    #[test]
    fn a_small_memo_ages_lines_out_and_stays_exact() {
        let code = "x = 1\n\"\"\"\nx = 1\n\"\"\"\nimport os\nx = 1\ny = 2\nimport os\n";
        let syntax = SYNTAXES.find_syntax_by_token("python").unwrap();
        let mut memo = LineMemo {
            capacity: 2,
            ..LineMemo::default()
        };
        for round in 0..4 {
            let mut fresh = ParseState::new(syntax);
            let mut memoised = ParseState::new(syntax);
            for line in LinesWithEndings::from(code) {
                let expected = fresh.parse_line(line, &SYNTAXES).unwrap();
                let ops = memo.parse(&mut memoised, line).unwrap();
                // Equal operations on every line also mean equal states
                // after each (a state holding an Oniguruma capture region
                // never compares equal to a copy, so `==` cannot tell).
                assert_eq!(ops, expected, "round {round}, line {line:?}");
            }
            assert!(memo.young_len <= 2);
        }
    }

    /// Long distinct lines age out by their bytes, well before the line
    /// count, and what the memo gives stays exact.
    #[test]
    fn long_lines_age_out_by_size() {
        let syntax = SYNTAXES.find_syntax_by_token("python").unwrap();
        let mut memo = LineMemo {
            bytes_capacity: 64 << 10,
            ..LineMemo::default()
        };
        let lines: Vec<String> = (0..200)
            .map(|i| format!("x{i} = '{}'\n", "a".repeat(4000)))
            .collect();
        for round in 0..2 {
            let mut fresh = ParseState::new(syntax);
            let mut memoised = ParseState::new(syntax);
            for line in &lines {
                let expected = fresh.parse_line(line, &SYNTAXES).unwrap();
                assert_eq!(
                    memo.parse(&mut memoised, line).unwrap(),
                    expected,
                    "{round}"
                );
                assert!(
                    memo.young_bytes <= (64 << 10) + 5000,
                    "{}",
                    memo.young_bytes
                );
            }
        }
        assert!(memo.young_len < 20, "{}", memo.young_len);
    }

    /// Issue 11, item 14: a line up to `LINE_MAX` bytes is highlighted; a
    /// block with a longer one is escaped plain code, as a whole.
    #[test]
    fn a_block_with_a_very_long_line_is_plain() {
        let line = |n: usize| format!("x = [{}]\n", "1,".repeat(n / 2))[..n].to_string();
        let fits = format!("{}\ny = 1\n", line(LINE_MAX));
        assert!(highlight(&fits, "python", CodeClasses::default_theme()).contains("hl-code"));
        assert_eq!(long_line(&fits), None);
        let long = format!("y = 1\n{}\n<z>\n", line(LINE_MAX + 1));
        assert_eq!(long_line(&long), Some((1, LINE_MAX + 1)));
        assert_eq!(
            highlight(&long, "python", CodeClasses::default_theme()),
            format!(
                "<pre class=\"code\" tabindex=\"0\"><code class=\"language-python\">y = 1\n{}\n&lt;z&gt;\n</code></pre>\n",
                line(LINE_MAX + 1)
            )
        );
        assert!(knows("python") && !knows("no-such-language") && !knows(""));
    }

    #[test]
    fn unknown_language_is_escaped_plain_code() {
        let html = highlight(
            "<b>&</b>\n",
            "no-such-language",
            CodeClasses::default_theme(),
        );
        assert_eq!(
            html,
            "<pre class=\"code\" tabindex=\"0\"><code class=\"language-no-such-language\">&lt;b&gt;&amp;&lt;/b&gt;\n</code></pre>\n"
        );
    }

    #[test]
    fn stylesheet_for_known_and_unknown_themes() {
        let css = stylesheet("InspiredGitHub").unwrap();
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(stylesheet("Nope").unwrap_err().contains("InspiredGitHub"));
    }

    /// Issue 12, item 6: every token colour of every theme has 4.5:1
    /// contrast with its background (InspiredGitHub's green tag names were
    /// 3.0:1 on white, base16-ocean.dark's red 3.2:1), and each variant of
    /// a light theme applies only in its own colour scheme.
    #[test]
    fn issue_12_every_token_colour_is_readable_on_its_background() {
        let worst = |theme: &Theme| {
            let bg = theme.settings.background.unwrap_or(WHITE);
            theme
                .scopes
                .iter()
                .filter_map(|i| {
                    Some(contrast(
                        i.style.foreground?,
                        i.style.background.unwrap_or(bg),
                    ))
                })
                .fold(f64::MAX, f64::min)
        };
        let themes = ThemeSet::load_defaults().themes;
        assert!(worst(&themes["InspiredGitHub"]) < 3.1);
        for (name, theme) in themes {
            assert!(worst(&readable_theme(theme)) >= 4.5, "{name}");
        }
        let css = stylesheet("InspiredGitHub").unwrap();
        let (light, dark) = css
            .split_once("@media (prefers-color-scheme: dark)")
            .unwrap();
        assert!(light.starts_with("@media not all and (prefers-color-scheme: dark) {"));
        assert!(light.contains(".hl-code{"), "{light}");
        assert!(dark.contains(".hl-code{"), "{dark}");
        assert!(!css.contains("/*"), "{css}");
    }
}
