//! Criterion micro-benchmarks of the build's hot stages, through the library's
//! public API: front matter (also with a key written twice), Markdown (a
//! typical and a code-heavy briefing), highlighting, loading and rendering a
//! site of 200 generated briefings, and single pages of a site of 2,000: a typical and a code-heavy briefing page,
//! the largest tag page, the timeline and the first index page.
//! The whole-build comparison with Hugo is `benches/compare.sh`.
//!
//!     cargo bench --bench stages               # full measurement
//!     cargo bench --bench stages -- --quick    # a quick pass
//!     cargo bench --bench stages -- markdown   # only benches whose name matches
//!
//! The site benches generate their corpus with `../shared/bench/gen_corpus.py`
//! (or `$BRIEFLY_CORPUS_GEN`) into a temporary folder, and are skipped with a
//! message when python3 or the generator is missing. The typical briefing is
//! the median-sized one of that corpus (a built-in stand-in without it).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

use briefly::config::Config;
use briefly::output::Output;
use briefly::pages::{Outputs, PageId as Job};
use briefly::render::{self, Fingerprinting, PageRenderer};
use briefly::site::Site;
use briefly::sources::Sources;
use briefly::templates::Templates;
use briefly::view::Views;
use briefly::view_parts::SummaryHashes;
use briefly::{content, front_matter, highlight, markdown};

/// Briefings in the generated site.
const SITE_SIZE: usize = 200;

/// Briefings in the site whose single pages are rendered: enough for long
/// tag pages (about 500 briefings on the largest) and a timeline split by
/// year.
const PAGES_SITE_SIZE: usize = 2_000;

/// A generated site in a temporary folder, removed on drop.
struct Corpus {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Corpus {
    /// Generates the site, or says why it cannot.
    fn generate(pages: usize) -> Result<Corpus, String> {
        let generator = std::env::var_os("BRIEFLY_CORPUS_GEN")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py")
            });
        if !generator.is_file() {
            return Err(format!(
                "the corpus generator {} is missing (set BRIEFLY_CORPUS_GEN)",
                generator.display()
            ));
        }
        let dir = tempfile::tempdir().map_err(|e| format!("cannot make a temp folder: {e}"))?;
        let root = dir.path().join("site");
        let status = Command::new("python3")
            .arg(&generator)
            .args([
                "--pages",
                &pages.to_string(),
                "--format",
                "briefing",
                "--out",
            ])
            .arg(&root)
            .stderr(std::process::Stdio::null())
            .status()
            .map_err(|e| format!("cannot run python3: {e}"))?;
        if !status.success() {
            return Err(format!("{} failed: {status}", generator.display()));
        }
        Ok(Corpus { _dir: dir, root })
    }

    /// The text of the median-sized briefing.
    fn typical_briefing(&self) -> String {
        let dir = self.root.join(content::CONTENT_DIR).join("briefings");
        let mut texts: Vec<String> = std::fs::read_dir(&dir)
            .expect("the generator wrote content/briefings")
            .map(|e| std::fs::read_to_string(e.expect("readable entry").path()).expect("UTF-8"))
            .collect();
        texts.sort_by_key(String::len);
        texts.swap_remove(texts.len() / 2)
    }

    fn config(&self) -> Config {
        let text = std::fs::read_to_string(self.root.join(briefly::config::FILE_NAME))
            .expect("the generator wrote site.yaml");
        Config::parse(&text).expect("the generated site.yaml is valid")
    }
}

/// A stand-in for a generated briefing: front matter, headings, paragraphs
/// with inline markup, a list, a table, a footnote and one YAML block.
fn builtin_typical_briefing() -> String {
    let mut text = String::from(
        "---\ntitle: \"Acting brigade in Rason: what the restraint shows\"\ndate: 2023-12-20\n\
         summary: \"What the brigade's quiet month says about the port.\"\n\
         tags: [ship-to-ship-transfer, south-korea-propaganda, nato-diplomacy]\n\
         events:\n  - date: 2022\n    title: \"Of entity only fine this government\"\n\
         \x20 - date: 2022-02-09\n    title: \"Airspace may troops the investigation\"\n\
         sources:\n  - title: \"There other of Tehran\"\n    url: \"https://example.net/monitors/1\"\n---\n\n",
    );
    let paragraph = "The arrest and *military* been in to ceasefire as and, Primorye not of the \
        such first election but and. Between to both this since for and the the newspaper \
        experts the **condition**. See the [report](https://example.org/report/425) for details. \
        Security as imagery and to with the regional suspended the negotiations fertiliser.\n\n";
    for section in 0..6 {
        text.push_str(&format!("## Section {section} on the border talks\n\n"));
        for _ in 0..3 {
            text.push_str(paragraph);
        }
    }
    text.push_str("- Diplomatic drills Kharkiv\n- Primorye the defence delegation\n\n");
    text.push_str("| Date | Dollar | Agency |\n|---|---|---|\n");
    for row in 0..6 {
        text.push_str(&format!("| 2022-06-0{row} | 8541{row} | semiconductor |\n"));
    }
    text.push_str("\nA ruble that of to component drones currency channel[^1].\n\n");
    text.push_str(&fenced("yaml", YAML_BLOCK));
    text.push_str("\n[^1]: Monitoring report, page 4.\n");
    text
}

const RUST_BLOCK: &str = r#"use std::collections::BTreeMap;

/// Counts shipments per port, newest first.
pub fn tally(records: &[(String, u32, f64)]) -> BTreeMap<&str, (u32, f64)> {
    let mut totals: BTreeMap<&str, (u32, f64)> = BTreeMap::new();
    for (port, count, tonnes) in records {
        let entry = totals.entry(port.as_str()).or_default();
        entry.0 += count;
        entry.1 += tonnes * 1.05; // wet tonnes -> dry
    }
    totals.retain(|_, (n, _)| *n > 0);
    totals
}

#[cfg(test)]
mod tests {
    #[test]
    fn empty() {
        assert!(super::tally(&[]).is_empty());
    }
}
"#;

const PYTHON_BLOCK: &str = r#"import csv
from dataclasses import dataclass
from datetime import date


@dataclass
class Sighting:
    vessel: str
    seen: date
    port: str = "Rason"

    def days_since(self, today: date) -> int:
        return (today - self.seen).days


def load(path):
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            yield Sighting(row["vessel"], date.fromisoformat(row["seen"]))


if __name__ == "__main__":
    recent = [s for s in load("sightings.csv") if s.days_since(date.today()) < 30]
    print(f"{len(recent)} vessels seen in the last 30 days")
"#;

const YAML_BLOCK: &str = r#"# waters tracking configuration
name: mercenaries-rotation
interval_minutes: 60
sources:
  - id: trade-42
    url: https://example.org/framework/feed.xml
    weight: 0.1
    tags: [fishing, vietnam-air-force]
  - id: agency-87
    url: https://example.org/guideline/feed.xml
    weight: 0.3
    tags: [humanitarian-aid, south-korea-air-force]
alerts:
  email: desk@example.org
  threshold: 0.75
"#;

fn fenced(lang: &str, code: &str) -> String {
    format!("```{lang}\n{code}```\n\n")
}

/// A briefing whose body is mostly code: two blocks each of Rust, Python and
/// YAML between short paragraphs.
fn code_heavy_briefing() -> String {
    let mut text = String::from("## Method\n\nThe scripts the desk runs each morning.\n\n");
    for round in 0..2 {
        for (lang, code) in [
            ("rust", RUST_BLOCK),
            ("python", PYTHON_BLOCK),
            ("yaml", YAML_BLOCK),
        ] {
            text.push_str(&format!(
                "### Step {round}: {lang}\n\nThis one reads the *feeds*.\n\n"
            ));
            text.push_str(&fenced(lang, code));
        }
    }
    text
}

fn body_of(text: &str) -> &str {
    front_matter::split(Path::new("bench.md"), text)
        .expect("the bench briefing has front matter")
        .body
}

fn stages(c: &mut Criterion) {
    let corpus = Corpus::generate(SITE_SIZE);
    let typical = match &corpus {
        Ok(corpus) => corpus.typical_briefing(),
        Err(why) => {
            eprintln!("stages: using the built-in typical briefing: {why}");
            builtin_typical_briefing()
        }
    };
    let code_heavy = code_heavy_briefing();
    let tags_from = front_matter::TermKeys::tags(&["tags", "categories"]);
    let path = Path::new("content/briefings/bench.md");

    let mut group = c.benchmark_group("front_matter");
    group.throughput(Throughput::Bytes(typical.len() as u64));
    group.bench_function("split+parse typical", |b| {
        b.iter(|| {
            let split = front_matter::split(path, black_box(&typical)).expect("valid");
            front_matter::parse(path, split.yaml, &tags_from).expect("valid")
        })
    });
    // The same with `title` written twice: the rare path that reads the
    // parser's events to keep the last one.
    let repeated = typical.replacen("---\n", "---\ntitle: \"An earlier title\"\n", 1);
    group.bench_function("split+parse a key written twice", |b| {
        b.iter(|| {
            let split = front_matter::split(path, black_box(&repeated)).expect("valid");
            front_matter::parse(path, split.yaml, &tags_from).expect("valid")
        })
    });
    group.finish();

    let mut group = c.benchmark_group("markdown");
    let body = body_of(&typical);
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("render typical", |b| {
        b.iter(|| markdown::render(black_box(body)))
    });
    group.throughput(Throughput::Bytes(code_heavy.len() as u64));
    group.bench_function("render code-heavy", |b| {
        b.iter_batched(
            highlight::forget_lines,
            |()| markdown::render(black_box(&code_heavy)),
            BatchSize::PerIteration,
        )
    });
    group.finish();

    let mut group = c.benchmark_group("highlight");
    for (lang, code) in [
        ("rust", RUST_BLOCK),
        ("python", PYTHON_BLOCK),
        ("yaml", YAML_BLOCK),
    ] {
        group.throughput(Throughput::Bytes(code.len() as u64));
        // Cold: syntect parses every line, as in a build that meets this
        // block's lines for the first time.
        group.bench_function(format!("one {lang} block"), |b| {
            b.iter_batched(
                highlight::forget_lines,
                |()| {
                    highlight::highlight(
                        black_box(code),
                        lang,
                        highlight::CodeClasses::default_theme(),
                    )
                },
                BatchSize::PerIteration,
            )
        });
        // Warm: every line is in the memo (a block seen before, or a rebuild).
        group.bench_function(format!("one {lang} block, lines seen before"), |b| {
            b.iter(|| {
                highlight::highlight(
                    black_box(code),
                    lang,
                    highlight::CodeClasses::default_theme(),
                )
            })
        });
    }
    group.throughput(Throughput::Elements(1));
    group.bench_function("stylesheet InspiredGitHub", |b| {
        b.iter(|| highlight::stylesheet(black_box("InspiredGitHub")).expect("a known theme"))
    });
    group.finish();

    let corpus = match corpus {
        Ok(corpus) => corpus,
        Err(why) => {
            eprintln!("stages: skipping the site benches: {why}");
            return;
        }
    };
    let config = corpus.config();
    let root = corpus.root.as_path();
    let mut group = c.benchmark_group(format!("site of {SITE_SIZE}"));
    group.sample_size(10);
    group.throughput(Throughput::Elements(SITE_SIZE as u64));
    group.bench_function("templates load", |b| {
        b.iter(|| {
            Templates::load(black_box(root), &Default::default())
                .expect("the built-in templates compile")
        })
    });
    group.bench_function("content load + site model", |b| {
        b.iter(|| load_site(black_box(root), &config))
    });
    let site = load_site(root, &config);
    let templates =
        Templates::load(root, &Default::default()).expect("the built-in templates compile");
    let outputs = Outputs::new(&site, &templates.statics);
    let hashes = SummaryHashes::new(site.briefings.len());
    let list = &outputs.pages;
    let views = Views::new(&site, templates.generation, &outputs, &hashes);
    let bytes = AtomicUsize::new(0);
    let pages = render::render(
        &views,
        &templates,
        list,
        Fingerprinting::Off,
        None,
        |out: Output| {
            bytes.fetch_add(out.body.len(), Ordering::Relaxed);
            Ok(())
        },
    )
    .expect("the site renders")
    .len();
    eprintln!(
        "stages: the site of {SITE_SIZE} renders {pages} pages, {} KiB",
        bytes.load(Ordering::Relaxed) / 1024
    );
    group.bench_function("render all pages", |b| {
        b.iter(|| {
            let views = Views::new(&site, templates.generation, &outputs, &hashes);
            render::render(
                &views,
                &templates,
                list,
                Fingerprinting::Off,
                None,
                |out: Output| {
                    black_box(out.body.len());
                    Ok(())
                },
            )
            .expect("the site renders")
        })
    });
    group.finish();
    drop(corpus);
    single_pages(c);
}

/// One page at a time, with the site loaded and the shared views prepared
/// once, as `render::render` does for every page.
fn single_pages(c: &mut Criterion) {
    let corpus = match Corpus::generate(PAGES_SITE_SIZE) {
        Ok(corpus) => corpus,
        Err(why) => {
            eprintln!("stages: skipping the single-page benches: {why}");
            return;
        }
    };
    let root = corpus.root.as_path();
    let config = corpus.config();
    let site = load_site(root, &config);
    let templates =
        Templates::load(root, &Default::default()).expect("the built-in templates compile");
    let outputs = Outputs::new(&site, &templates.statics);
    let hashes = SummaryHashes::new(site.briefings.len());
    let views = Views::new(&site, templates.generation, &outputs, &hashes);
    let pages = PageRenderer::new(&views, &templates);
    let source = |i: usize| {
        std::fs::read_to_string(
            root.join(content::CONTENT_DIR)
                .join(&site.briefings[i].source_path),
        )
        .expect("a readable briefing")
    };
    let with_code = (0..site.briefings.len())
        .find(|&i| source(i).contains("```"))
        .expect("the corpus has code blocks");
    let without_code = (site.briefings.len() / 2..site.briefings.len())
        .find(|&i| !source(i).contains("```"))
        .expect("the corpus has briefings without code");
    let largest_tag = (0..site.tags.len())
        .max_by_key(|&t| (site.tags[t].briefings.len(), std::cmp::Reverse(t)))
        .expect("the corpus has tags");
    let mut cases = vec![
        (
            "briefing page, typical".to_string(),
            Job::Briefing(without_code),
        ),
        (
            "briefing page, with code".to_string(),
            Job::Briefing(with_code),
        ),
        (
            format!(
                "tag page 1 ({} briefings in the tag)",
                site.tags[largest_tag].briefings.len()
            ),
            Job::Tag(largest_tag, 0),
        ),
        (
            "tag timeline (largest tag)".to_string(),
            Job::TagTimeline(largest_tag, None),
        ),
        ("timeline.json".to_string(), Job::TimelineJs),
        ("timeline.ics".to_string(), Job::Calendar),
        ("timeline".to_string(), Job::Timeline(None)),
        ("index page 1".to_string(), Job::Index(0)),
    ];
    if site.timeline.is_split() {
        let busiest = (0..site.timeline.years.len())
            .max_by_key(|&y| site.timeline.years[y].months.len())
            .expect("a split timeline has years");
        cases.push((
            format!("timeline year {}", site.timeline.years[busiest].year),
            Job::Timeline(Some(busiest)),
        ));
    }
    let mut group = c.benchmark_group(format!("page of {PAGES_SITE_SIZE}"));
    for (name, job) in cases {
        let size = pages.render(job).expect("the page renders").body.len();
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_function(name, |b| {
            b.iter(|| pages.render(black_box(job)).expect("the page renders"))
        });
    }
    group.finish();
}

/// Reads and parses every file, then makes the site model: the engine's
/// first two steps.
fn load_site(root: &std::path::Path, config: &Config) -> Site {
    let mut sources = Sources::default();
    sources.refresh(root, config).expect("valid corpus");
    let files = sources.files.iter().cloned().collect();
    // Everything but drafts, whatever the day (as the bench always built).
    let publish = content::Publish {
        drafts: false,
        future: true,
        expired: true,
        today: jiff::civil::date(2024, 1, 1),
    };
    let content = content::assemble(root, sources.documents().cloned(), files, &publish);
    Site::new(config.clone(), content)
}

criterion_group!(benches, stages);
criterion_main!(benches);
