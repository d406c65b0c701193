#!/usr/bin/env bash
# Pathological inputs from issue 11, each built once, with wall time, peak
# memory and output size: 20,000 identical headings (item 12), one briefing
# with 10,000 tags (item 13), a 1 MB single-line code block (item 14).
#
#   benches/hardening.sh [BINARY ...]     # default: target/release/briefly
#
# Give two binaries (an old and a new one) to compare them in one run.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[[ $# -gt 0 ]] || { (cd "$here" && cargo build --release --quiet); set -- "$here/target/release/briefly"; }
work=$(mktemp -d "${TMPDIR:-/tmp}/hardening.XXXXXX")
trap 'rm -rf "$work"' EXIT

site() { # name, then the briefing's text on stdin
    mkdir -p "$work/$1/content/briefings"
    printf 'title: "Hardening"\nbase_url: "https://example.org/"\n' >"$work/$1/site.yaml"
    cat >"$work/$1/content/briefings/2024-01-01-case.md"
}
python3 - >"$work/headings.md" <<'PY'
print("---\ntitle: Headings\ndate: 2024-01-01\n---")
print("\n".join("## Same heading\n\nText." for _ in range(20000)))
PY
site headings <"$work/headings.md"
python3 - >"$work/tags.md" <<'PY'
print("---\ntitle: Tags\ndate: 2024-01-01\ntags:")
print("\n".join(f"  - tag number {i}" for i in range(10000)))
print("---\nA briefing with ten thousand tags.")
PY
site tags <"$work/tags.md"
python3 - >"$work/code.md" <<'PY'
print("---\ntitle: Code\ndate: 2024-01-01\n---\n```rust")
print("let x = [" + ", ".join(str(i) for i in range(150000)) + "];")
print("```")
PY
site code <"$work/code.md"

printf '| binary | case | exit | wall s | peak MiB | output MB |\n|---|---|---:|---:|---:|---:|\n'
for bin in "$@"; do
    for case in headings tags code; do
        rm -rf "$work/$case/public"
        rc=0
        /usr/bin/time -f '%e %M' -o "$work/time" timeout 600 "$bin" build --root "$work/$case" \
            >/dev/null 2>"$work/err" || rc=$?
        read -r wall kib <"$work/time" || true
        size=$(du -sb "$work/$case/public" 2>/dev/null | cut -f1)
        printf '| %s | %s | %s | %s | %d | %.1f |\n' "$(basename "$bin")" "$case" "$rc" "$wall" \
            "$((kib / 1024))" "$(echo "${size:-0} / 1000000" | bc -l)"
    done
done
