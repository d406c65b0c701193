//! Measures pagefind's Rust API and elasticlunr-rs on a briefing corpus
//! (see Cargo.toml): time per phase, files and bytes. BENCHMARKS.md, "Search".
use std::collections::BTreeMap;
use std::time::Instant;
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn text_of(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for ev in pulldown_cmark::Parser::new(md) {
        match ev {
            pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => {
                out.push_str(&t);
                out.push(' ');
            }
            pulldown_cmark::Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out
}

struct Doc {
    url: String,
    title: String,
    date: String,
    summary: String,
    tags: Vec<String>,
    body: String,
}

fn load(dir: &str) -> Vec<Doc> {
    let mut paths: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().to_path_buf())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let s = std::fs::read_to_string(p).unwrap();
            let rest = s.strip_prefix("---\n").unwrap();
            let end = rest.find("\n---\n").unwrap();
            let fm: serde_yaml::Value = serde_yaml::from_str(&rest[..end]).unwrap();
            let body = &rest[end + 5..];
            let g = |k: &str| {
                fm.get(k)
                    .map(|v| match v {
                        serde_yaml::Value::String(s) => s.clone(),
                        other => serde_yaml::to_string(other).unwrap().trim().to_string(),
                    })
                    .unwrap_or_default()
            };
            let tags = fm
                .get("tags")
                .and_then(|t| t.as_sequence())
                .map(|s| {
                    s.iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            Doc {
                url: format!("/briefings/{}/", p.file_stem().unwrap().to_string_lossy()),
                title: g("title"),
                date: g("date"),
                summary: g("summary"),
                tags,
                body: body.to_string(),
            }
        })
        .collect()
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = &args[1];
    let mode = args.get(2).map(String::as_str).unwrap_or("custom");
    let t = Instant::now();
    let docs = load(dir);
    eprintln!("load {} docs: {:?}", docs.len(), t.elapsed());
    let t = Instant::now();
    let texts: Vec<String> = docs.iter().map(|d| text_of(&d.body)).collect();
    let words: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    eprintln!(
        "text: {:?} ({} words, {} bytes)",
        t.elapsed(),
        words,
        texts.iter().map(|t| t.len()).sum::<usize>()
    );
    if mode == "elasticlunr" {
        let t = Instant::now();
        let mut index = elasticlunr::Index::new(&["title", "tags", "summary", "body"]);
        for (d, text) in docs.iter().zip(&texts) {
            index.add_doc(
                &d.url,
                [
                    d.title.as_str(),
                    &d.tags.join(" "),
                    d.summary.as_str(),
                    text.as_str(),
                ],
            );
        }
        let json = index.to_json();
        eprintln!("elasticlunr: {:?}, {} bytes", t.elapsed(), json.len());
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, json.as_bytes()).unwrap();
        eprintln!("gzipped: {} bytes", gz.finish().unwrap().len());
        let mut index = elasticlunr::Index::new(&["title", "tags", "summary"]);
        for d in &docs {
            index.add_doc(
                &d.url,
                [d.title.as_str(), &d.tags.join(" "), d.summary.as_str()],
            );
        }
        eprintln!("elasticlunr without body: {} bytes", index.to_json().len());
        return;
    }
    let t = Instant::now();
    let options = pagefind::options::PagefindServiceConfig::builder()
        .force_language("en".to_string())
        .build();
    let mut index = pagefind::api::PagefindIndex::new(Some(options)).unwrap();
    for (d, text) in docs.iter().zip(texts) {
        let meta = BTreeMap::from([
            ("title".to_string(), d.title.clone()),
            ("date".to_string(), d.date.clone()),
            ("summary".to_string(), d.summary.clone()),
        ]);
        if mode == "dedup" || mode == "notext" {
            let mut seen = std::collections::HashSet::new();
            let distinct: Vec<&str> = if mode == "notext" {
                vec![]
            } else {
                text.split_whitespace()
                    .filter(|w| seen.insert(w.to_lowercase()))
                    .collect()
            };
            let content = format!(
                "{} {} {} {}",
                d.title,
                d.tags.join(" "),
                d.summary,
                distinct.join(" ")
            );
            index
                .add_custom_record(d.url.clone(), content, "en".into(), Some(meta), None, None)
                .await
                .unwrap();
        } else if mode == "custom" {
            let content = format!("{} {} {} {}", d.title, d.tags.join(" "), d.summary, text);
            index
                .add_custom_record(d.url.clone(), content, "en".into(), Some(meta), None, None)
                .await
                .unwrap();
        } else {
            let e = |s: &str| html_escape::encode_text(s).to_string();
            let html = format!(
                "<html lang=\"en\"><body><h1 data-pagefind-meta=\"title\">{}</h1><p data-pagefind-weight=\"5\">{}</p><p data-pagefind-meta=\"summary\">{}</p><div>{}</div></body></html>",
                e(&d.title),
                e(&d.tags.join(" ")),
                e(&d.summary),
                e(&text)
            );
            index
                .add_html_file(None, Some(d.url.clone()), html)
                .await
                .unwrap();
        }
    }
    eprintln!("fossick: {:?}", t.elapsed());
    // get_files builds the index, then returns its files.
    let t = Instant::now();
    let files = index.get_files().await.unwrap();
    eprintln!("build and get_files: {:?}", t.elapsed());
    let mut by_ext: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut all = Vec::new();
    for f in &files {
        let name = f.filename.to_string_lossy().to_string();
        let ext = name.rsplit('.').next().unwrap().to_string();
        let e = by_ext.entry(ext).or_default();
        e.0 += 1;
        e.1 += f.contents.len();
        e.2 = e.2.max(f.contents.len());
        all.push((name, f.contents.len()));
    }
    for (ext, (n, total, max)) in &by_ext {
        eprintln!("{ext}: {n} files, {total} bytes, max {max}");
    }
    all.sort();
    for (n, s) in all
        .iter()
        .filter(|(n, _)| !n.contains("fragment/") && !n.contains("index/"))
    {
        eprintln!("  {n} {s}");
    }
    if let Some(out) = args.get(3) {
        for f in &files {
            let p = std::path::Path::new(out).join(&f.filename);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, &f.contents).unwrap();
        }
    }
}
