#!/usr/bin/env bash
# A bounded soak of `briefly serve` (issue 11): wrk keeps the preview busy
# for DURATION seconds on a generated site of N briefings while a briefing
# is edited every second. Reports requests, errors (socket errors and
# non-2xx/3xx answers), latency percentiles, rebuilds, and the server's
# resident memory at the start, every 30 s, and at the end.
#
#   benches/soak.sh [N] [DURATION]       # defaults: 1000 briefings, 600 s
#
# Needs wrk (Debian: apt-get install wrk) and python3; builds the release
# binary. Environment: BRIEFLY_BIN (default target/release/briefly),
# CONNECTIONS (default 32), SOAK_DIR (default a new mktemp -d).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${1:-1000}
duration=${2:-600}
connections=${CONNECTIONS:-32}
work=${SOAK_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/soak.XXXXXX")}
bin=${BRIEFLY_BIN:-$here/target/release/briefly}
gen=${GEN_CORPUS:-$here/../shared/bench/gen_corpus.py}

command -v wrk >/dev/null || { echo "soak: needs wrk (apt-get install wrk)" >&2; exit 2; }
[[ -n ${BRIEFLY_BIN:-} ]] || (cd "$here" && cargo build --release --quiet)

site=$work/site
python3 "$gen" --pages "$n" --out "$site" --format briefing --force >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --root "$site" --port "$port" >"$work/serve.out" 2>"$work/serve.err" &
server=$!
trap 'kill $server 2>/dev/null || true; kill $editor 2>/dev/null || true; kill $sampler 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
    sleep 0.1
done

# Pages to ask for: list pages, feeds and a few briefings (by their slugs).
mapfile -t files < <(find "$site/content/briefings" -name '*.md' | sort | head -5)
paths=(/ /timeline/ /tags/ /atom.xml /sitemap.xml /404.html)
for f in "${files[@]}"; do
    slug=$(basename "$f" .md)
    paths+=("/briefings/$slug/")
done
for p in "${paths[@]}"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$p")
    [[ $code == 200 ]] || echo "soak: warning: $p answers $code before the soak" >&2
done
lua=$work/paths.lua
{
    printf 'local paths = {'
    printf '"%s",' "${paths[@]}"
    printf '}\nlocal i = 0\nrequest = function()\n  i = i %% #paths + 1\n  return wrk.format("GET", paths[i])\nend\n'
    # Non-2xx/3xx answers are counted by wrk itself.
} >"$lua"

rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
echo "soak: $n briefings, $duration s, $connections connections, site in $site" >&2
start_rss=$(rss)

# One edit a second: a line appended to one of the first five briefings.
(
    i=0
    while true; do
        f=${files[$((i % ${#files[@]}))]}
        printf '\nSoak edit %d.\n' "$i" >>"$f"
        i=$((i + 1))
        sleep 1
    done
) &
editor=$!
# Memory every 30 s.
(
    while true; do
        sleep 30
        echo "$(date +%s) $(rss)" >>"$work/rss.log"
    done
) &
sampler=$!

wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$lua" "http://127.0.0.1:$port" >"$work/wrk.out"
kill $editor $sampler 2>/dev/null || true
end_rss=$(rss)
alive=yes
kill -0 $server 2>/dev/null || alive=no

cat "$work/wrk.out"
echo
echo "server alive at the end: $alive"
echo "resident memory: start $((start_rss / 1024)) MiB, end $((end_rss / 1024)) MiB; every 30 s (KiB):"
awk '{printf " %s", $2} END {print ""}' "$work/rss.log" 2>/dev/null || true
echo "rebuilds: $(grep -c " changed: " "$work/serve.out" || true); serve errors: $(grep -c -i "error" "$work/serve.err" || true)"
echo "logs: $work"
