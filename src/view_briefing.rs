//! What a briefing's page and a standalone page receive: the briefing with
//! its body, events, sources and JSON-LD; the page with its body. Part of
//! the page views of `view.rs`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::date::DateView;
use crate::markdown::Rendered;
use crate::site::Doc;
use crate::view_parts::{BodyView, Parts, Summary};

#[derive(Serialize, Hash)]
pub struct BriefingView<'a> {
    #[serde(flatten)]
    summary: Summary<'a>,
    slug: &'a str,
    #[serde(flatten)]
    body: BodyView<'a>,
    word_count: usize,
    events: Vec<EventView>,
    sources: Vec<SourceView>,
    /// `{text, confidence}`, the confidence as written (`low`, `moderate`,
    /// `high`).
    judgements: Vec<JudgementView<'a>>,
    /// `{date, note, kind}`, newest first; `kind` is `update` or `correction`.
    updates: Vec<UpdateView<'a>>,
    /// With `stale_after_days`, the day from which the page is stale (its
    /// last update plus that many days), for the freshness notice's script.
    stale_from: Option<String>,
    extra: &'a BTreeMap<String, serde_yaml::Value>,
    source_path: String,
    /// schema.org `NewsArticle` JSON, escaped for a `<script>` (`json_ld.rs`).
    json_ld: String,
}

/// A source in the Sources list: its number (`id="source-N"`) and the
/// ids of its citations in the body, for back-links.
#[derive(Serialize, Hash)]
pub struct SourceView {
    title: String,
    url: String,
    number: usize,
    id: Option<String>,
    citations: Vec<String>,
}

#[derive(Serialize, Hash)]
pub struct UpdateView<'a> {
    date: DateView,
    note: &'a str,
    kind: crate::front_matter::UpdateKind,
}

#[derive(Serialize, Hash)]
pub struct JudgementView<'a> {
    text: &'a str,
    confidence: crate::front_matter::Confidence,
}

#[derive(Serialize, Hash)]
pub struct EventView {
    date: DateView,
    end: Option<DateView>,
    title: String,
}

#[derive(Serialize, Hash)]
pub struct StandaloneView<'a> {
    title: &'a str,
    slug: &'a str,
    url: String,
    permalink: String,
    #[serde(flatten)]
    body: BodyView<'a>,
    extra: &'a BTreeMap<String, serde_yaml::Value>,
    source_path: String,
}

impl Parts<'_> {
    pub(crate) fn briefing<'b>(&'b self, i: usize, body: Option<&'b Rendered>) -> BriefingView<'b> {
        let b = &self.site.briefings[i];
        let locale = &self.site.config.locale;
        BriefingView {
            summary: self.summary(i),
            slug: &b.slug,
            body: self.body(Doc::Briefing(i), body),
            word_count: b.word_count,
            events: b
                .events
                .iter()
                .map(|e| EventView {
                    date: DateView::of_partial(&e.date, locale),
                    end: e.end.as_ref().map(|d| DateView::of_partial(d, locale)),
                    title: e.title.clone(),
                })
                .collect(),
            sources: b
                .sources
                .iter()
                .enumerate()
                .map(|(i, s)| SourceView {
                    title: s.title.clone(),
                    url: s.url.clone(),
                    number: i + 1,
                    id: s.id.clone(),
                    citations: (1..=s.citations)
                        .map(|k| crate::markdown_cite::cite_id(i + 1, k))
                        .collect(),
                })
                .collect(),
            judgements: b
                .judgements
                .iter()
                .map(|j| JudgementView {
                    text: &j.text,
                    confidence: j.confidence,
                })
                .collect(),
            updates: b
                .updates
                .iter()
                .map(|u| UpdateView {
                    date: DateView::of(&u.date, locale),
                    note: &u.note,
                    kind: u.kind,
                })
                .collect(),
            stale_from: self.site.config.stale_after_days.and_then(|days| {
                let last = b.updated.unwrap_or(b.date).day;
                let from = last.checked_add(jiff::Span::new().days(i64::from(days)));
                from.ok().map(|d| d.to_string())
            }),
            extra: &b.extra,
            source_path: b.source_path.display().to_string(),
            json_ld: crate::json_ld::briefing(self.site, i),
        }
    }

    pub(crate) fn standalone<'b>(
        &'b self,
        i: usize,
        body: Option<&'b Rendered>,
    ) -> StandaloneView<'b> {
        let p = &self.site.pages[i];
        StandaloneView {
            title: &p.title,
            slug: &p.slug,
            url: self.site.base.url(&p.path),
            permalink: self.site.base.permalink(&p.path),
            body: self.body(Doc::Page(i), body),
            extra: &p.extra,
            source_path: p.source_path.display().to_string(),
        }
    }
}
