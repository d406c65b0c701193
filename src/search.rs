//! The search index: each briefing's title, tags, summary and body cut
//! into terms (`search_terms.rs`), inverted (term -> the briefings that
//! have it, each with a weight), and written as small JSON files under
//! `search-index/` that `templates/static/search.js` fetches as a reader
//! types. A query fetches the manifest, the shard holding each of its
//! words and the blocks holding the hits it shows, never the whole index:
//! a first query stays small at 10,000 briefings and more (BENCHMARKS.md,
//! "Search", says why this is not pagefind or elasticlunr).
//!
//! Briefings are numbered oldest first, so a new briefing leaves the
//! blocks of older ones as they were. Files, all JSON:
//! - `search-index/index.json`, the manifest: the first term of each shard,
//!   and a short hash per shard and per block that is part of its file's
//!   name (a changed file gets a new name, so no cache mixes two builds);
//! - `search-index/terms/<n>-<hash>.json`: sorted terms, each with its
//!   briefings as pairs (number minus the previous one, weight), and the
//!   terms listed partially (`TERM_BYTES`);
//! - `search-index/briefings/<n>-<hash>.json`: briefings `n * BLOCK`
//!   onwards, as `[url, title, iso date, shown date, summary]`.
//!
//! A weight ranks title and tag matches first: `TITLE` + `TAG` + `SUMMARY`
//! for the fields a term is in, plus its count in the body up to
//! `BODY_MAX`. The same site gives the same bytes: terms are sorted, and
//! each term's briefings are in number order.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::briefing::Briefing;
use crate::content::CONTENT_DIR;
use crate::date::DateView;
use crate::diagnostic::Diagnostic;
use crate::output::Output;
use crate::search_terms;
use crate::shortcodes::PageVars;
use crate::site::Site;

/// The folder of the index in the output.
pub const DIR: &str = "search-index";
/// The manifest, at a fixed path (pages point at it).
pub const MANIFEST: &str = "/search-index/index.json";
/// The format of the files, for `search.js` to check.
const VERSION: u32 = 1;
/// Briefings per block file: a hit costs a block's download.
pub const BLOCK: usize = 8;
/// The hex digits of a file's hash in its name (they only tell one version
/// of a file from the next; its number makes the name unique).
const HASH_CHARS: usize = 6;
/// A shard is cut once it holds this many bytes.
const SHARD_BYTES: usize = 24 * 1024;
/// A term whose briefings take more bytes than this keeps only the
/// briefings that have it in their title, tags or summary, and is listed as
/// partial: a query does not narrow its hits by it (an `and` in most
/// briefings narrows nothing, and would cost a download of its own).
const TERM_BYTES: usize = 48 * 1024;
/// The summary a hit shows, in characters at most.
const SUMMARY_CHARS: usize = 240;

pub const TITLE: u32 = 64;
pub const TAG: u32 = 32;
pub const SUMMARY: u32 = 8;
pub const BODY_MAX: u32 = 7;
/// A posting: briefing number << `WEIGHT_BITS` | weight.
const WEIGHT_BITS: u32 = 7;
const WEIGHT_MASK: u32 = (1 << WEIGHT_BITS) - 1;
/// Where the index's files go: each file is handed over once, from any
/// thread, as soon as it is made.
pub type Sink<'a> = dyn Fn(Output) -> Result<(), Diagnostic> + Sync + 'a;

/// Builds the index of `site`'s briefings, reading their bodies from their
/// files, and hands each file to `sink`, the manifest last. Returns the
/// files' paths, or None when `stop` said so before the end (nothing was
/// handed over then).
pub fn build(
    site: &Site,
    stop: &(dyn Fn() -> bool + Sync),
    sink: &Sink,
) -> Result<Option<Vec<PathBuf>>, Diagnostic> {
    match gather(site, stop)? {
        Some(vocabulary) => {
            let blocks = blocks(site, sink)?;
            write(site, vocabulary, blocks, sink).map(Some)
        }
        None => Ok(None),
    }
}

/// The block files, written: what a hit shows of each briefing. They
/// depend only on the site, so a full build writes them while its pages
/// are rendered, and `Gatherer::write` the rest after.
pub struct Blocks {
    /// Each block's hash, in block order, one after the other.
    hashes: String,
    paths: Vec<PathBuf>,
}

/// Writes the block files through `sink`, on all cores.
pub fn blocks(site: &Site, sink: &Sink) -> Result<Blocks, Diagnostic> {
    let oldest_first: Vec<&Briefing> = site.briefings.iter().rev().map(|b| &**b).collect();
    let written: Vec<(String, PathBuf)> = oldest_first
        .par_chunks(BLOCK)
        .enumerate()
        .map(|(n, chunk)| put(sink, "briefings", n, block(site, chunk)))
        .collect::<Result<_, _>>()?;
    let mut blocks = Blocks {
        hashes: String::with_capacity(written.len() * HASH_CHARS),
        paths: Vec::with_capacity(written.len()),
    };
    for (hash, path) in written {
        blocks.hashes.push_str(&hash);
        blocks.paths.push(path);
    }
    Ok(blocks)
}

/// Hands file `n` of `folder` to `sink`, named by its number and hash;
/// returns the hash and the path.
fn put(sink: &Sink, folder: &str, n: usize, body: String) -> Result<(String, PathBuf), Diagnostic> {
    let hash = format!("{:08x}", crc32fast::hash(body.as_bytes()))[..HASH_CHARS].to_string();
    let path = PathBuf::from(format!("{DIR}/{folder}/{n}-{hash}.json"));
    sink(Output {
        path: path.clone(),
        body: body.into_bytes(),
    })?;
    Ok((hash, path))
}

/// Gathers the briefings' terms while their pages are rendered, from the
/// text of each body as the renderer reads it (`markdown::render_reading`),
/// so that a full build reads and parses each body once. Every briefing
/// must be read exactly once.
pub struct Gatherer {
    /// One vocabulary per rayon thread, and one for any other thread.
    parts: Vec<Mutex<Vocabulary>>,
}

impl Default for Gatherer {
    fn default() -> Gatherer {
        let parts = (0..=rayon::current_num_threads())
            .map(|_| Mutex::new(Vocabulary::default()))
            .collect();
        Gatherer { parts }
    }
}

impl Gatherer {
    /// Reads briefing `i`, whose body's text is `body` (`search_terms::push`).
    pub fn read(&self, site: &Site, i: usize, body: &str) {
        let slot = rayon::current_thread_index()
            .map_or(self.parts.len() - 1, |t| t.min(self.parts.len() - 1));
        let mut vocabulary = self.parts[slot].lock().expect("no panic holding it");
        vocabulary.read(site, i, body);
    }

    /// Writes the index of what was read beside the `blocks` already
    /// written (see `build`).
    pub fn write(
        self,
        site: &Site,
        blocks: Blocks,
        sink: &Sink,
    ) -> Result<Vec<PathBuf>, Diagnostic> {
        let vocabulary = self
            .parts
            .into_iter()
            .map(|part| part.into_inner().expect("no panic holding it"))
            .reduce(Vocabulary::merge)
            .unwrap_or_default();
        write(site, vocabulary, blocks, sink)
    }
}

/// Writes the term shards of `vocabulary` through `sink`, then the
/// manifest of them and of the `blocks`. Returns every file's path.
fn write(
    site: &Site,
    vocabulary: Vocabulary,
    blocks: Blocks,
    sink: &Sink,
) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut terms = vocabulary.into_terms();
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut paths = Vec::new();
    let mut shards: Vec<(String, String)> = Vec::new();
    shards_of(terms, |cut| {
        let first = shards.len();
        let written: Vec<(String, PathBuf)> = cut
            .par_iter_mut()
            .enumerate()
            .map(|(k, (_, body))| put(sink, "terms", first + k, std::mem::take(body)))
            .collect::<Result<_, _>>()?;
        for ((term, _), (hash, path)) in cut.drain(..).zip(written) {
            shards.push((term.into(), hash));
            paths.push(path);
        }
        Ok(())
    })?;
    paths.extend(blocks.paths);
    let manifest = serde_json::json!({
        "version": VERSION,
        "briefings": site.briefings.len(),
        "block": BLOCK,
        "hash": HASH_CHARS,
        "blocks": blocks.hashes,
        "shards": shards,
    });
    let path = crate::url::output_path(MANIFEST);
    paths.push(path.clone());
    sink(Output {
        path,
        body: manifest.to_string().into_bytes(),
    })?;
    Ok(paths)
}

/// Every term of every briefing with its postings, gathered on all cores;
/// None when stopped.
fn gather(site: &Site, stop: &(dyn Fn() -> bool + Sync)) -> Result<Option<Vocabulary>, Diagnostic> {
    let stopped = AtomicBool::new(false);
    let error: Mutex<Option<Diagnostic>> = Mutex::new(None);
    let vocabulary = (0..site.briefings.len())
        .into_par_iter()
        .fold(Vocabulary::default, |mut vocabulary, i| {
            if stopped.load(Ordering::Relaxed) || stop() {
                stopped.store(true, Ordering::Relaxed);
            } else {
                match body_text(site, i) {
                    Ok(body) => vocabulary.read(site, i, &body),
                    Err(d) => {
                        error.lock().expect("no panic holding it").get_or_insert(d);
                    }
                }
            }
            vocabulary
        })
        .reduce(Vocabulary::default, Vocabulary::merge);
    if let Some(d) = error.into_inner().expect("no panic holding it") {
        return Err(d);
    }
    Ok((!stopped.into_inner()).then_some(vocabulary))
}

/// Terms and their postings (briefing number << `WEIGHT_BITS` | weight),
/// as one thread gathers them from the briefings it reads.
#[derive(Default)]
struct Vocabulary {
    /// Terms of up to 8 bytes, by their bytes as a number (a term holds no
    /// zero byte, so the number is the term): most words of a text, found
    /// without hashing or comparing strings.
    short: FxHashMap<u64, u32>,
    /// Terms of 9 to 16 bytes, by their first and last 8 bytes and length
    /// (which hold every byte of them).
    medium: FxHashMap<(u64, u64, u8), u32>,
    long: FxHashMap<Box<str>, u32>,
    /// By term id.
    terms: Vec<Box<str>>,
    postings: Vec<Packed>,
    /// Per term, its weight in the briefing being read (0: not in it).
    weights: Vec<u32>,
    /// The terms of the briefing being read.
    touched: Vec<u32>,
    /// Short terms met lately, (key, id) by a hash of the key: most words
    /// are found here, before the map.
    recent: Vec<(u64, u32)>,
}

/// How `Vocabulary::add` counts a term of the body.
const BODY: u32 = 0;

/// Up to 8 bytes as a number, the first byte lowest.
fn number(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .rev()
        .fold(0u64, |key, &byte| key << 8 | u64::from(byte))
}

/// Slots of `Vocabulary::recent`: a word of a text is most often one of a
/// few hundred common ones.
const RECENT: usize = 1024;

impl Vocabulary {
    /// The id of `term`, made if it is new.
    fn id(&mut self, term: &str) -> usize {
        let next = self.terms.len() as u32;
        let bytes = term.as_bytes();
        let id = match bytes.len() {
            0..=8 => {
                let key = number(bytes);
                if self.recent.is_empty() {
                    self.recent = vec![(0, 0); RECENT];
                }
                let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54) as usize % RECENT;
                if self.recent[slot].0 == key {
                    return self.recent[slot].1 as usize;
                }
                let id = *self.short.entry(key).or_insert(next);
                self.recent[slot] = (key, id);
                id
            }
            length @ 9..=16 => {
                let key = (
                    number(&bytes[..8]),
                    number(&bytes[length - 8..]),
                    length as u8,
                );
                *self.medium.entry(key).or_insert(next)
            }
            _ => match self.long.get(term) {
                Some(&id) => id,
                None => {
                    self.long.insert(term.into(), next);
                    next
                }
            },
        };
        if id == next {
            self.terms.push(term.into());
            self.postings.push(Packed::default());
            self.weights.push(0);
        }
        id as usize
    }

    /// Notes `term` in the briefing being read, in the field `weight`
    /// stands for (`BODY`, `TITLE`, `TAG`, `SUMMARY`).
    fn add(&mut self, term: &str, weight: u32) {
        let id = self.id(term);
        let w = &mut self.weights[id];
        if *w == 0 {
            self.touched.push(id as u32);
        }
        if weight == BODY {
            if *w & BODY_MAX < BODY_MAX {
                *w += 1;
            }
        } else {
            *w |= weight;
        }
    }

    /// Reads briefing `i`, whose body's text is `body`.
    fn read(&mut self, site: &Site, i: usize, body: &str) {
        let b = &site.briefings[i];
        let mut scratch = String::new();
        search_terms::for_each(body, &mut scratch, |t| self.add(t, BODY));
        search_terms::for_each(&b.title, &mut scratch, |t| self.add(t, TITLE));
        for &tag in &site.briefing_tags[i] {
            let name = &site.tags[tag].name;
            search_terms::for_each(name, &mut scratch, |t| self.add(t, TAG));
        }
        search_terms::for_each(&b.summary, &mut scratch, |t| self.add(t, SUMMARY));
        self.end(i, site.briefings.len());
    }

    /// Ends briefing `i` of `count`: its terms join their postings, under
    /// its number in the index (oldest first).
    fn end(&mut self, i: usize, count: usize) {
        let number = (count - 1 - i) as u32;
        for id in self.touched.drain(..) {
            let weight = std::mem::take(&mut self.weights[id as usize]);
            let packed = &mut self.postings[id as usize];
            packed.seen += 1;
            // A term in more briefings than a whole list can hold will
            // list only its strong matches (`entry`): its body matches
            // need not be kept.
            if weight > BODY_MAX || packed.seen <= CERTAINLY_PARTIAL {
                packed.push(number, weight);
            }
        }
    }

    /// Both vocabularies in one (postings are sorted when unpacked).
    fn merge(self, other: Vocabulary) -> Vocabulary {
        let (mut into, from) = if self.terms.len() >= other.terms.len() {
            (self, other)
        } else {
            (other, self)
        };
        for (term, postings) in from.terms.into_iter().zip(from.postings) {
            let id = into.id(&term);
            into.postings[id].append(postings);
        }
        into
    }

    /// Each term with its postings.
    fn into_terms(self) -> Vec<(Box<str>, Packed)> {
        self.terms.into_iter().zip(self.postings).collect()
    }
}

/// A term's postings as they are gathered, packed: each briefing number as
/// its difference from the one before (zigzag, then 7 bits a byte), then
/// the weight's byte. About 2 bytes a posting, where a `u32` in a growing
/// `Vec` takes 4 to 8: at 100,000 briefings that is some 100 MB.
#[derive(Default)]
struct Packed {
    bytes: Vec<u8>,
    /// The number of the last posting pushed.
    last: u32,
    /// How many briefings have the term, pushed or not.
    seen: u32,
}

/// A list of more postings than this cannot be written whole: each takes at
/// least 4 bytes (`1,1,`).
const CERTAINLY_PARTIAL: u32 = (TERM_BYTES / 4) as u32;

impl Packed {
    fn push(&mut self, number: u32, weight: u32) {
        push_varint(
            &mut self.bytes,
            zigzag(i64::from(number) - i64::from(self.last)),
        );
        self.bytes.push(weight as u8);
        self.last = number;
    }

    /// Appends `other`'s postings, after this one's.
    fn append(&mut self, other: Packed) {
        if other.bytes.is_empty() {
            self.seen += other.seen;
            return;
        }
        // `other`'s first difference is from 0: its number.
        let (first, used) = read_varint(&other.bytes);
        let number = unzigzag(first);
        push_varint(&mut self.bytes, zigzag(number - i64::from(self.last)));
        self.bytes.extend_from_slice(&other.bytes[used..]);
        self.last = other.last;
        self.seen += other.seen;
    }

    /// The postings (number << `WEIGHT_BITS` | weight), sorted.
    fn unpack(&self) -> Vec<u32> {
        let mut postings = Vec::with_capacity(self.bytes.len() / 2);
        let (mut at, mut number) = (0, 0i64);
        while at < self.bytes.len() {
            let (delta, used) = read_varint(&self.bytes[at..]);
            number += unzigzag(delta);
            at += used;
            postings.push((number as u32) << WEIGHT_BITS | u32::from(self.bytes[at]));
            at += 1;
        }
        postings.sort_unstable();
        postings
    }
}

fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

fn unzigzag(z: u64) -> i64 {
    ((z >> 1) as i64) ^ -((z & 1) as i64)
}

fn push_varint(bytes: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        bytes.push(value as u8 | 0x80);
        value >>= 7;
    }
    bytes.push(value as u8);
}

/// A varint at the start of `bytes`, and how many bytes it took.
fn read_varint(bytes: &[u8]) -> (u64, usize) {
    let (mut value, mut shift) = (0u64, 0);
    for (k, &byte) in bytes.iter().enumerate() {
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return (value, k + 1);
        }
        shift += 7;
    }
    unreachable!("a packed posting list ends with a whole varint")
}

/// Briefing `i`'s body as plain text, read from its file again (bodies are
/// not kept in memory): the text `body.rs` renders, so the same as a
/// `Gatherer` gets.
fn body_text(site: &Site, i: usize) -> Result<String, Diagnostic> {
    let b = &site.briefings[i];
    let text = crate::content::read(&site.root, &b.source_path).map_err(|mut e| e.remove(0))?;
    let shown = Path::new(CONTENT_DIR).join(&b.source_path);
    let split = crate::front_matter::split(&shown, &text)?;
    let vars = PageVars {
        title: &b.title,
        date: Some(b.date),
        extra: &b.extra,
        site: &site.config.extra,
    };
    let translated =
        crate::shortcodes::translate_file(&b.source_path, split.body, &site.base, &vars);
    Ok(search_terms::body_text(&translated.text))
}

/// Cuts the terms into shards and hands them to `sink` as (first term,
/// JSON), in term order, a few at a time (`sink` empties the list). Terms
/// are encoded on all cores, a batch at a time; a batch's postings are
/// freed once encoded, and its shards are handed over once it is done, so
/// the whole index is never in memory twice.
fn shards_of(
    terms: Vec<(Box<str>, Packed)>,
    mut sink: impl FnMut(&mut Vec<(Box<str>, String)>) -> Result<(), Diagnostic>,
) -> Result<(), Diagnostic> {
    let mut words = String::new();
    let mut partial: Vec<Box<str>> = Vec::new();
    let mut first: Option<Box<str>> = None;
    let mut cut: Vec<(Box<str>, String)> = Vec::new();
    let close = |words: &mut String,
                 partial: &mut Vec<Box<str>>,
                 first: &mut Option<Box<str>>,
                 cut: &mut Vec<(Box<str>, String)>| {
        if let Some(term) = first.take() {
            let body = format!(
                "{{\"terms\":{{{words}}},\"partial\":{}}}",
                serde_json::to_string(partial).expect("strings serialise")
            );
            words.clear();
            partial.clear();
            cut.push((term, body));
        }
    };
    let mut terms = terms.into_iter();
    loop {
        let batch: Vec<(Box<str>, Packed)> = terms.by_ref().take(4096).collect();
        if batch.is_empty() {
            break;
        }
        let entries: Vec<(String, bool)> = batch
            .par_iter()
            .map(|(t, p)| entry(t, &p.unpack(), p.seen))
            .collect();
        for ((term, _), (entry, whole)) in batch.into_iter().zip(entries) {
            // A term never shares a shard it would take past the size.
            if first.is_some() && words.len() + entry.len() > SHARD_BYTES {
                close(&mut words, &mut partial, &mut first, &mut cut);
            }
            if !whole {
                partial.push(term.clone());
            }
            if first.is_none() {
                first = Some(term);
            } else {
                words.push(',');
            }
            words.push_str(&entry);
        }
        sink(&mut cut)?;
    }
    close(&mut words, &mut partial, &mut first, &mut cut);
    sink(&mut cut)
}

/// A term's entry in its shard, and whether it lists all its briefings
/// (else only those with the term in their title, tags or summary).
/// `seen` counts the briefings that have it, some of which `postings` may
/// leave out (`CERTAINLY_PARTIAL`).
fn entry(term: &str, postings: &[u32], seen: u32) -> (String, bool) {
    let mut out = String::new();
    if seen <= CERTAINLY_PARTIAL && encode(term, postings, &mut out) {
        return (out, true);
    }
    let strong: Vec<u32> = postings
        .iter()
        .copied()
        .filter(|p| p & WEIGHT_MASK > BODY_MAX)
        .collect();
    // Even these may be too many (a word in 20,000 titles): the newest
    // that fit are kept.
    let mut from = 0;
    loop {
        out.clear();
        if encode(term, &strong[from..], &mut out) {
            return (out, false);
        }
        from += (strong.len() - from).div_ceil(2);
    }
}

/// Writes `"term":[delta,weight,...]` into `out`; false (and `out` holds no
/// valid entry) when it would pass `TERM_BYTES`.
fn encode(term: &str, postings: &[u32], out: &mut String) -> bool {
    out.push_str(&serde_json::to_string(term).expect("strings serialise"));
    out.push_str(":[");
    let mut last = 0;
    let mut numbers = itoa::Buffer::new();
    for (k, posting) in postings.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        let doc = posting >> WEIGHT_BITS;
        out.push_str(numbers.format(doc - last));
        out.push(',');
        out.push_str(numbers.format(posting & WEIGHT_MASK));
        last = doc;
        if out.len() > TERM_BYTES {
            return false;
        }
    }
    out.push(']');
    true
}

/// A block's file: what a hit shows of each of these briefings.
fn block(site: &Site, chunk: &[&Briefing]) -> String {
    let rows: Vec<_> = chunk
        .iter()
        .map(|b| {
            let date = DateView::of(&b.date, &site.config.locale);
            (
                site.base.url(&b.path),
                b.title.as_str(),
                date.iso,
                date.display,
                shortened(&b.summary, SUMMARY_CHARS),
            )
        })
        .collect();
    // `<`, `>` and `&` as escapes, as in JSON embedded in HTML: a file
    // the browser mistook for a page still runs no script.
    serde_json::to_string(&rows)
        .expect("strings serialise")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// `text` cut at a word boundary before `max` characters, with an
/// ellipsis, when it is longer.
fn shortened(text: &str, max: usize) -> Cow<'_, str> {
    let Some((cut, _)) = text.char_indices().nth(max) else {
        return Cow::Borrowed(text);
    };
    let head = &text[..cut];
    let head = head.rfind(' ').map_or(head, |space| &head[..space]);
    let mut short = head.trim_end_matches([',', ';', ':', '.']).to_string();
    short.push('…');
    Cow::Owned(short)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_summary_is_cut_at_a_word() {
        assert_eq!(shortened("short", 10), "short");
        assert_eq!(shortened("one two three four", 10), "one two…");
    }

    #[test]
    fn a_term_in_most_briefings_lists_only_its_strong_matches() {
        // In 20,000 briefings, in the title of every thousandth.
        let postings: Vec<u32> = (0..20_000u32)
            .map(|doc| doc << WEIGHT_BITS | if doc % 1000 == 0 { TITLE } else { 1 })
            .collect();
        let (entry, whole) = entry("and", &postings, 20_000);
        assert!(!whole);
        assert!(entry.starts_with("\"and\":[0,64,1000,64,"), "{entry}");
        assert!(entry.len() < 200);
        let (entry, whole) = entry_of_few();
        assert!(whole, "{entry}");
        // In 100,000 titles: the newest that fit, still valid JSON.
        let postings: Vec<u32> = (0..100_000u32)
            .map(|doc| doc << WEIGHT_BITS | TITLE)
            .collect();
        let (entry, whole) = self::entry("the", &postings, 100_000);
        assert!(!whole);
        assert!(entry.len() <= TERM_BYTES, "{}", entry.len());
        let value: serde_json::Value = serde_json::from_str(&format!("{{{entry}}}")).unwrap();
        let pairs = value["the"].as_array().unwrap();
        let first = pairs[0].as_u64().unwrap();
        assert!(
            first >= 50_000,
            "the oldest were left out, not the newest: {first}"
        );
    }

    fn entry_of_few() -> (String, bool) {
        entry("kazan", &[3 << WEIGHT_BITS | 65], 1)
    }

    #[test]
    fn shards_stay_under_their_size_unless_one_term_is_bigger() {
        let packed = |numbers: std::ops::Range<u32>| {
            let mut packed = Packed::default();
            numbers.for_each(|n| packed.push(n, 1));
            packed
        };
        let mut terms: Vec<(Box<str>, Packed)> = (0..3000)
            .map(|n| (format!("t{n:05}").into(), packed(1..2)))
            .collect();
        terms.push(("zz".into(), packed(0..10_000)));
        let mut shards = Vec::new();
        shards_of(terms, |cut| {
            shards.extend(cut.drain(..).map(|(first, body)| (first.to_string(), body)));
            Ok(())
        })
        .unwrap();
        let (last, others) = shards.split_last().unwrap();
        assert!(others.len() > 1);
        for (_, body) in others {
            assert!(body.len() <= SHARD_BYTES + 64, "{}", body.len());
        }
        assert_eq!(last.0, "zz", "the big term has a shard of its own");
        assert!(last.1.len() > SHARD_BYTES);
        // Every term is in the shard whose range holds it.
        for (k, (first, body)) in shards.iter().enumerate() {
            assert!(body.contains(&format!("\"{first}\":")));
            if let Some((next, _)) = shards.get(k + 1) {
                assert!(first < next);
            }
        }
    }

    #[test]
    fn a_term_in_too_many_briefings_keeps_only_its_strong_matches() {
        let count = 13_000;
        let mut vocabulary = Vocabulary::default();
        for i in 0..count {
            vocabulary.add("and", BODY);
            if i == 5 {
                vocabulary.add("and", TITLE);
            }
            vocabulary.end(i, count);
        }
        let terms = vocabulary.into_terms();
        let packed = &terms[0].1;
        assert_eq!(packed.seen, count as u32);
        // The body matches kept would fit, but the list is not whole.
        let (entry, whole) = entry("and", &packed.unpack(), packed.seen);
        assert!(!whole);
        assert_eq!(entry, format!("\"and\":[{},65]", count - 1 - 5));
    }

    #[test]
    fn packed_postings_come_back_sorted_after_appends() {
        let mut a = Packed::default();
        for (n, w) in [(9, 1), (3, 64), (4, 2)] {
            a.push(n, w);
        }
        let mut b = Packed::default();
        for (n, w) in [(1_000_000, 7), (0, 8)] {
            b.push(n, w);
        }
        a.append(b);
        a.append(Packed::default());
        let numbers: Vec<(u32, u32)> = a
            .unpack()
            .into_iter()
            .map(|p| (p >> WEIGHT_BITS, p & WEIGHT_MASK))
            .collect();
        assert_eq!(numbers, [(0, 8), (3, 64), (4, 2), (9, 1), (1_000_000, 7)]);
        assert!(a.bytes.len() < 5 * 4, "{} bytes", a.bytes.len());
    }

    #[test]
    fn postings_are_deltas_and_weights() {
        let mut out = String::new();
        let postings = [3 << WEIGHT_BITS | 65, 10 << WEIGHT_BITS | 2];
        assert!(encode("kazan", &postings, &mut out));
        assert_eq!(out, "\"kazan\":[3,65,7,2]");
    }
}
