#!/usr/bin/env python3
"""Measures one real-site build for tests/real-sites/run.sh, and prints the table.

  measure.py row --name N --generator G --dir D ...   one JSON line on stdout
  measure.py table rows.jsonl                         the Markdown table + details

`row` reads D/build.err, D/check.err, D/site/content and D/site/public. It
counts the posts, the pages built, the errors (with the first five) and the
warnings grouped by the shape of their message, and computes each post's URL
on the old site -- from its own `permalink` (Jekyll, Eleventy), `url` (Hugo) or
`path` (Zola), else from the site's pattern and the file name -- and looks for
it in the output. The URLs not found go to D/old-urls-missing.txt.

Front matter is read with PyYAML and tomllib, as the old generators' own
parsers would read it; a file neither can read is counted, not guessed at.
"""

import argparse
import datetime as dt
import json
import os
import re
import sys
import tomllib
import unicodedata
import urllib.parse
from pathlib import Path

import yaml

# ---------------------------------------------------------------- logs

DIAG_START = re.compile(r"^(?:error: |warning: )?(?:\S[^:]*):\d+(?::\d+)?: |^(?:error: |warning: )?content/")
ERRORS_FOUND = re.compile(r"^(\d+) errors? found")
SUMMARY = re.compile(r"^(\d+) (.+?): (.*) and (\d+) more \(`briefly check` lists them all\)$")


def shape(message: str) -> str:
    """The kind of a message: its words with the file, numbers and names blanked."""
    m = re.sub(r"^(?:error: |warning: )", "", message.strip())
    m = re.sub(r"^\S*?:\d+(?::\d+)?: ", "", m)  # file:line:col:
    m = re.sub(r"^content/\S*?: ", "", m)  # file:
    m = re.sub(r"`[^`]*`", "`…`", m)
    m = re.sub(r'"[^"]*"', '"…"', m)
    m = re.sub(r"\bcontent/\S+", "<file>", m)
    m = re.sub(r"(?:https?://|/)\S+", "<url>", m)
    m = re.sub(r"\d+", "N", m)
    m = re.sub(r"\s+", " ", m)
    return m[:110]


def parse_build_err(text: str):
    """Errors (each diagnostic line) and warnings (with `N kind: ... and M more`
    summaries expanded into their count) from `briefly build`'s stderr."""
    errors, warnings = [], []  # warnings: (kind, count, example)
    total_errors = None
    in_error = False
    for line in text.splitlines():
        if line.startswith("warning: "):
            in_error = False
            body = line[len("warning: "):]
            s = SUMMARY.match(body)
            if s:
                warnings.append((s.group(2), int(s.group(1)), body[:300]))
            else:
                warnings.append((shape(body), 1, body[:300]))
            continue
        if line.startswith("error: "):
            in_error = True
            line = line[len("error: "):]
        if not in_error:
            continue
        f = ERRORS_FOUND.match(line)
        if f:
            total_errors = int(f.group(1))
            continue
        if not line.strip():
            continue
        if errors and not DIAG_START.match(line):
            errors[-1] += "\n" + line  # continuation of the previous diagnostic
        else:
            errors.append(line)
    return errors, (total_errors if total_errors is not None else len(errors)), warnings


def parse_check_err(text: str):
    errors, warnings = [], []
    for line in text.splitlines():
        if line.startswith("error: check failed"):
            continue
        if line.startswith("error: "):
            errors.append(line[7:])
        elif line.startswith("warning: "):
            warnings.append(line[9:])
        elif errors or warnings:
            (warnings if warnings else errors)[-1] += "\n" + line
    return errors, warnings


def group(items):
    """{shape: [count, first example]} for a list of (kind, count, example)."""
    kinds = {}
    for kind, count, example in items:
        k = kinds.setdefault(kind, [0, example])
        k[0] += count
    return kinds


# ---------------------------------------------------------------- front matter

def split_front_matter(text: str):
    """(format, front matter text, body) or (None, None, text)."""
    t = text.lstrip("\ufeff").replace("\r\n", "\n")
    stripped = t.lstrip("\n")
    for fence, fmt in (("---", "yaml"), ("+++", "toml")):
        if stripped.startswith(fence + "\n"):
            rest = stripped[len(fence) + 1:]
            m = re.search(r"^" + re.escape(fence) + r"[ \t]*$", rest, re.M)
            if m:
                return fmt, rest[: m.start()], rest[m.end():]
    return None, None, text


def read_front_matter(path: Path):
    """(dict, error) as PyYAML / tomllib read it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return {}, f"unreadable: {e}"
    fmt, fm, _ = split_front_matter(text)
    if fmt is None:
        return {}, None
    try:
        data = yaml.safe_load(fm) if fmt == "yaml" else tomllib.loads(fm)
    except Exception as e:  # noqa: BLE001 -- any parser error is a finding
        return {}, f"{fmt}: {str(e).splitlines()[0]}"
    return (data if isinstance(data, dict) else {}), None


# ---------------------------------------------------------------- dates, slugs

DATE_PREFIX = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[-_]?")
ELEVENTY_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}-")
DATE_TEXT = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")


def as_date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        m = DATE_TEXT.match(value)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


def post_date(fm, stem, keys=("date",)):
    for k in keys:
        d = as_date(fm.get(k))
        if d:
            return d
    m = DATE_PREFIX.match(stem)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return None


def strip_date(stem: str) -> str:
    return DATE_PREFIX.sub("", stem, count=1)


def slugify_ascii(text: str) -> str:
    """Zola's and Jekyll's default slug: ASCII, lower case, runs of other
    characters become one `-`."""
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", t.lower()).strip("-")


def jekyll_pretty(text: str) -> str:
    """Jekyll's `:title`: slugify mode "pretty", case kept."""
    return re.sub(r"[^\w.~!$&'()+,;=@\-]+", "-", str(text)).strip("-")


def hugo_urlize(text: str) -> str:
    """Hugo's MakePath + lower case: spaces become `-`, most punctuation goes."""
    t = str(text).strip().lower().replace(" ", "-")
    return "".join(c for c in t if c.isalnum() or c in "._-/#+~")


def listify(value):
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


# ---------------------------------------------------------------- old URLs

JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


def fill(pattern: str, values: dict) -> str:
    # longest token first, so `:title` is not eaten by `:t...`
    for token in sorted(values, key=len, reverse=True):
        pattern = pattern.replace(":" + token, values[token])
    return pattern


def normalise_url(url: str) -> str:
    url = str(url).strip()
    if not url.startswith("/"):
        url = "/" + url
    return re.sub(r"/{2,}", "/", url)


def is_draft(generator, fm):
    if fm.get("draft") is True:
        return True
    if generator == "jekyll" and fm.get("published") is False:
        return True
    return False


def old_urls(generator: str, rel: Path, fm: dict, pattern: str, today: dt.date):
    """(primary URL or None, [alias URLs], note). `rel` is relative to content/."""
    stem = rel.stem
    bundle = stem == "index"
    name = rel.parent.name if bundle else stem
    if generator == "jekyll":
        date = post_date(fm, stem)
        own = fm.get("permalink")
        cats = []
        parts = rel.parts
        if "_posts" in parts:
            cats = list(parts[: parts.index("_posts")])
        cats += listify(fm.get("categories")) + listify(fm.get("category"))
        cats = list(dict.fromkeys(c.lower() for c in cats))
        title = jekyll_pretty(fm.get("slug") or strip_date(stem))
        values = {
            "categories": "/".join(cats),
            "title": title,
            "slug": slugify_ascii(fm.get("slug") or strip_date(stem)),
            "output_ext": ".html",
            "name": strip_date(stem),
        }
        if date:
            values.update(
                year=f"{date.year:04}", month=f"{date.month:02}", day=f"{date.day:02}",
                i_month=str(date.month), i_day=str(date.day), short_year=f"{date.year % 100:02}",
                y_day=f"{date.timetuple().tm_yday:03}",
            )
        pat = str(own) if own else JEKYLL_STYLES.get(pattern, pattern)
        pat = JEKYLL_STYLES.get(pat, pat)
        if not own and not date:
            return None, [], "no date"
        url = normalise_url(fill(pat, values))
        aliases = [normalise_url(a) for a in listify_list(fm.get("redirect_from"))]
        return url, aliases, None
    if generator == "hugo":
        date = post_date(fm, stem, ("date", "publishDate", "publishdate"))
        aliases = [normalise_url(a) for a in listify_list(fm.get("aliases"))]
        if fm.get("url"):
            return normalise_url(fm["url"]), aliases, None
        if not date:
            return None, aliases, "no date"
        title = fm.get("title") or name
        values = {
            "year": f"{date.year:04}", "month": f"{date.month:02}", "day": f"{date.day:02}",
            "slug": hugo_urlize(fm.get("slug") or title),
            "title": hugo_urlize(title),
            "filename": name.lower(),
            "contentbasename": name.lower(),
            "section": rel.parts[0] if len(rel.parts) > 1 else "",
        }
        return normalise_url(fill(pattern, values)), aliases, None
    if generator == "zola":
        aliases = [normalise_url(a) for a in listify_list(fm.get("aliases"))]
        if fm.get("path"):
            p = str(fm["path"]).strip("/")
            return normalise_url(p if p.endswith(".html") else p + "/"), aliases, None
        section = rel.parent.parent if bundle else rel.parent
        slug = slugify_ascii(fm.get("slug") or strip_date(name))
        values = {"section": "/".join(section.parts), "slug": slug}
        return normalise_url(fill(pattern, values)), aliases, None
    if generator == "eleventy":
        own = fm.get("permalink")
        if isinstance(own, str) and "{" not in own:
            return normalise_url(own), [], None
        date = post_date(fm, stem)
        if not date:
            return None, [], "no date"
        values = {
            "year": f"{date.year:04}", "month": f"{date.month:02}", "day": f"{date.day:02}",
            # Eleventy's fileSlug drops a date only as \d{4}-\d{2}-\d{2}-
            # (TemplateFileSlug); `2024-12-5-x` keeps it.
            "fileslug": ELEVENTY_DATE.sub("", name, count=1),
            "slug": slugify_ascii(strip_date(name)),
        }
        return normalise_url(fill(pattern, values)), [], None
    raise SystemExit(f"measure.py: unknown generator {generator}")


def listify_list(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v]
    return []


BROKEN = re.compile(r"^(content/[^:]+?)(?::\d+)?(?::\d+)?: broken link `([^`]*)`: (.*)$")


def classify_links(check_errors, old_by_file, old_set, base_url):
    """What `check`'s broken links point at: {kind: [count, example]}."""
    base = urllib.parse.urlsplit(base_url)
    kinds = {}
    for e in check_errors:
        m = BROKEN.match(e.splitlines()[0])
        if not m:
            continue
        source, target, why = m.groups()
        decoded = urllib.parse.unquote(target)
        t = urllib.parse.urlsplit(decoded)
        if "{{" in decoded or "{%" in decoded:
            kind = "a Liquid/template expression in the link target"
        elif "heading or id" in why:
            kind = "an anchor missing on the page"
        else:
            path = None
            if t.scheme in ("http", "https") and t.netloc == base.netloc:
                path = t.path
            elif not t.scheme and not t.netloc:
                page = old_by_file.get(source, "/")
                path = urllib.parse.urljoin(page, t.path)
            if path is None:
                kind = "other"
            else:
                p = path if path.endswith("/") or "." in path.rsplit("/", 1)[-1] else path + "/"
                if p in old_set or path in old_set:
                    kind = "the old URL of a post of this site (would resolve if old URLs were kept)"
                elif t.scheme:
                    kind = "this site's own host, outside the copied posts"
                else:
                    kind = "a path outside the copied posts (other pages, images, docs)"
        k = kinds.setdefault(kind, [0, e.splitlines()[0]])
        k[0] += 1
    return kinds


def find_in_output(public: Path, url: str):
    """'page', 'redirect' or None: what the output holds at an old URL."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path).lstrip("/")
    candidates = []
    if path == "" or path.endswith("/"):
        candidates.append(public / path / "index.html")
    else:
        candidates += [public / path, public / path / "index.html", public / (path + ".html")]
    for c in candidates:
        if c.is_file():
            try:
                head = c.read_text(encoding="utf-8", errors="replace")[:2000].lower()
            except OSError:
                head = ""
            return "redirect" if 'http-equiv="refresh"' in head else "page"
    return None


# ---------------------------------------------------------------- commands

def cmd_row(a):
    d = Path(a.dir)
    content, public = d / "site" / "content", d / "site" / "public"
    build_err = (d / "build.err").read_text(errors="replace")
    build_out = (d / "build.out").read_text(errors="replace")
    check_err = (d / "check.err").read_text(errors="replace")
    errors, error_total, warnings = parse_build_err(build_err)
    # a failed build prints one `error:` chain; group its diagnostics by shape
    error_kinds = group((shape(e.splitlines()[0]), 1, e) for e in errors)
    check_errors, check_warnings = parse_check_err(check_err)

    posts, unreadable, drafts, expired, no_url = 0, [], 0, 0, []
    old_by_file, old_set = {}, set()
    found = {"page": 0, "redirect": 0}
    alias_total, alias_found = 0, 0
    missing = []
    today = dt.date.today()
    for path in sorted(content.rglob("*")):
        rel = path.relative_to(content)
        if not path.is_file():
            continue
        suffix = path.suffix.lower()
        markdown = suffix in (".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mkdown")
        # An HTML file is a post when it starts with front matter (a fence line).
        html = suffix in (".html", ".htm") and path.read_bytes()[:8].removeprefix(
            b"\xef\xbb\xbf"
        ).startswith((b"---\n", b"---\r\n", b"+++\n", b"+++\r\n"))
        if not (markdown or html):
            continue
        if path.stem == "_index" or any(p.startswith(".") for p in rel.parts):
            continue
        posts += 1
        fm, err = read_front_matter(path)
        if err:
            unreadable.append(f"content/{rel}: {err}")
        if is_draft(a.generator, fm):
            drafts += 1
            continue
        if a.generator == "hugo":
            exp = as_date(fm.get("expiryDate") or fm.get("expirydate"))
            if exp and exp <= today:
                expired += 1  # Hugo does not render expired pages: no old URL
                continue
        url, aliases, note = old_urls(a.generator, rel, fm, a.old_urls, today)
        if url is None:
            no_url.append(f"content/{rel}: {note}")
            continue
        old_by_file[f"content/{rel}"] = url
        old_set.add(url)
        what = find_in_output(public, url)
        if what:
            found[what] += 1
        else:
            missing.append(f"{url}\tcontent/{rel}")
        for alias in aliases:
            alias_total += 1
            if find_in_output(public, alias):
                alias_found += 1
    (d / "old-urls-missing.txt").write_text("".join(m + "\n" for m in missing))

    html = redirects = 0
    if public.is_dir():
        for f in public.rglob("*.html"):
            html += 1
            try:
                if 'http-equiv="refresh"' in f.read_text(errors="replace")[:2000].lower():
                    redirects += 1
            except OSError:
                pass
    built = re.search(r"Built (\d+) briefing", build_out)
    link_kinds = classify_links(check_errors, old_by_file, old_set, a.base_url)
    row = {
        "name": a.name,
        "generator": a.generator,
        "license": a.license,
        "permalink": a.permalink,
        "posts": posts,
        "drafts": drafts,
        "expired": expired,
        "front_matter_unreadable_by_pyyaml_or_tomllib": unreadable,
        "briefings_built": int(built.group(1)) if built else 0,
        "html_files": html,
        "redirect_pages": redirects,
        "build_rc": a.build_rc,
        "build_ms": a.build_ms,
        "errors": error_total,
        "error_kinds": error_kinds,
        "first_errors": errors[:5],
        "warnings": sum(c for _, c, _ in warnings),
        "warning_kinds": group(warnings),
        "check_rc": a.check_rc,
        "check_errors": len(check_errors),
        "check_error_kinds": group((shape(e.splitlines()[0]), 1, e) for e in check_errors),
        "check_broken_links": link_kinds,
        "check_warnings": len(check_warnings),
        "check_warning_kinds": group((shape(w.splitlines()[0]), 1, w) for w in check_warnings),
        "old_urls": posts - drafts - expired,
        "old_urls_without_url": no_url,
        "old_urls_page": found["page"],
        "old_urls_redirect": found["redirect"],
        "aliases": alias_total,
        "aliases_found": alias_found,
        "dir": str(d),
    }
    print(json.dumps(row, ensure_ascii=False))


def cmd_table(a):
    rows = [json.loads(l) for l in Path(a.rows).read_text().splitlines() if l.strip()]
    print("| site | generator | site.yaml permalink | posts | briefings built | HTML files | exit | errors | warnings | `check` errors / warnings | old URLs found | aliases found |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---|---|---|")
    for r in rows:
        old = r["old_urls"]
        got = r["old_urls_page"] + r["old_urls_redirect"]
        extra = []
        if r["old_urls_redirect"]:
            extra.append(f"{r['old_urls_redirect']} as redirects")
        skipped = [f"{r['drafts']} drafts" if r["drafts"] else "", f"{r['expired']} expired" if r["expired"] else ""]
        skipped = [s for s in skipped if s]
        old_cell = f"{got}/{old}" + (f" ({', '.join(extra)})" if extra else "")
        if skipped:
            old_cell += f"; not counted: {', '.join(skipped)}"
        al = f"{r['aliases_found']}/{r['aliases']}" if r["aliases"] else "–"
        print(
            f"| {r['name']} | {r['generator']} | `{r['permalink']}` | {r['posts']} | {r['briefings_built']} | "
            f"{r['html_files']} | {r['build_rc']} | {r['errors']} | {r['warnings']} | "
            f"{r['check_errors']} / {r['check_warnings']} | {old_cell} | {al} |"
        )
    print()
    for r in rows:
        print(f"### {r['name']} ({r['generator']}; posts: {r['license']})")
        print()
        if r["front_matter_unreadable_by_pyyaml_or_tomllib"]:
            u = r["front_matter_unreadable_by_pyyaml_or_tomllib"]
            print(f"- front matter PyYAML/tomllib cannot read either: {len(u)} ({'; '.join(u[:3])})")
        if r["old_urls_without_url"]:
            n = r["old_urls_without_url"]
            print(f"- no old URL computable: {len(n)} ({'; '.join(n[:3])})")
        if r["errors"]:
            print(f"- build errors: {r['errors']}, by kind:")
            for k, (c, ex) in sorted(r["error_kinds"].items(), key=lambda kv: -kv[1][0]):
                print(f"  - {c} × {k}  \n    e.g. `{one_line(ex)}`")
            print("- first errors:")
            for e in r["first_errors"]:
                print(f"  - `{one_line(e)}`")
        if r["warning_kinds"]:
            print(f"- build warnings: {r['warnings']}, by kind:")
            for k, (c, ex) in sorted(r["warning_kinds"].items(), key=lambda kv: -kv[1][0]):
                print(f"  - {c} × {k}  \n    e.g. `{one_line(ex)}`")
        if r["check_error_kinds"] or r["check_warning_kinds"]:
            print(f"- `check`: exit {r['check_rc']}, {r['check_errors']} errors, {r['check_warnings']} warnings, by kind:")
            for label, kinds in (("error", r["check_error_kinds"]), ("warning", r["check_warning_kinds"])):
                for k, (c, ex) in sorted(kinds.items(), key=lambda kv: -kv[1][0])[:12]:
                    print(f"  - {label} {c} × {k}  \n    e.g. `{one_line(ex)}`")
        if r["check_broken_links"]:
            print("- `check`'s broken links point at:")
            for k, (c, ex) in sorted(r["check_broken_links"].items(), key=lambda kv: -kv[1][0]):
                print(f"  - {c} × {k}  \n    e.g. `{one_line(ex)}`")
        print(f"- logs: {r['dir']} (old URLs not found: old-urls-missing.txt)")
        print()


def one_line(text: str, width: int = 260) -> str:
    t = " ⏎ ".join(text.splitlines()).replace("`", "'")
    return t if len(t) <= width else t[: width - 1] + "…"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("row")
    r.add_argument("--name", required=True)
    r.add_argument("--generator", required=True, choices=["jekyll", "hugo", "zola", "eleventy"])
    r.add_argument("--dir", required=True)
    r.add_argument("--build-rc", type=int, required=True)
    r.add_argument("--check-rc", type=int, required=True)
    r.add_argument("--build-ms", type=int, default=0)
    r.add_argument("--permalink", default="-")
    r.add_argument("--old-urls", required=True)
    r.add_argument("--license", default="")
    r.add_argument("--base-url", default="")
    t = sub.add_parser("table")
    t.add_argument("rows")
    a = p.parse_args()
    {"row": cmd_row, "table": cmd_table}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
