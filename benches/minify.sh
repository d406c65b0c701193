#!/usr/bin/env bash
# What `minify: true` saves (bytes of HTML, CSS, JS, all files) and costs
# (build wall time), on a site folder: the same sources built with and
# without it, ROUNDS times each, alternating; prints medians and ratios.
#
#   benches/minify.sh [SITE_DIR]   # default: this repository's example site
#   ROUNDS=5 BRIEFLY=target/release/briefly benches/minify.sh /work/bench-corpus/briefing-10000
#
# The site is not changed: each variant is a temporary folder holding a
# copy of site.yaml (with `minify:` set) and symbolic links to content/
# and templates/.
set -euo pipefail
site=$(realpath "${1:-.}")
rounds=${ROUNDS:-5}
briefly=$(realpath "${BRIEFLY:-target/release/briefly}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for variant in plain minified; do
  mkdir -p "$work/$variant"
  grep -v '^minify:' "$site/site.yaml" > "$work/$variant/site.yaml"
  [ "$variant" = minified ] && echo "minify: true" >> "$work/$variant/site.yaml"
  for dir in content templates; do
    [ -e "$site/$dir" ] && ln -s "$site/$dir" "$work/$variant/$dir"
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

for round in $(seq "$rounds"); do
  for variant in plain minified; do
    # Wall and CPU (user + system) seconds: on a shared machine the wall
    # time waits for other work; the CPU time is what the build itself did.
    before=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)
    start=$(date +%s.%N)
    BRIEFLY_TODAY=2026-11-30 nice -n 19 "$briefly" build --quiet -r "$work/$variant" -o "$work/out-$variant" --force
    end=$(date +%s.%N)
    after=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)
    echo "$end - $start" | bc >> "$work/times-$variant"
    echo "($after - $before) / $(getconf CLK_TCK)" | bc -l >> "$work/cpu-$variant"
  done
done

bytes() { find "$1" -type f -name "$2" -print0 | xargs -0 cat 2>/dev/null | wc -c; }
printf '%-10s %12s %12s %7s\n' what plain minified ratio
for pattern in '*.html' '*.css' '*.js' '*'; do
  a=$(bytes "$work/out-plain" "$pattern"); b=$(bytes "$work/out-minified" "$pattern")
  printf '%-10s %12d %12d %7.3f\n' "$pattern" "$a" "$b" "$(echo "$b / $a" | bc -l)"
done
a=$(median < "$work/times-plain"); b=$(median < "$work/times-minified")
printf '%-10s %12.2f %12.2f %7.2f   (median wall seconds of %d rounds)\n' build "$a" "$b" "$(echo "$b / $a" | bc -l)" "$rounds"
a=$(median < "$work/cpu-plain"); b=$(median < "$work/cpu-minified")
printf '%-10s %12.2f %12.2f %7.2f   (median CPU seconds, user + system)\n' cpu "$a" "$b" "$(echo "$b / $a" | bc -l)"
echo "wall plain:    $(tr '\n' ' ' < "$work/times-plain")"
echo "wall minified: $(tr '\n' ' ' < "$work/times-minified")"
echo "cpu plain:     $(tr '\n' ' ' < "$work/cpu-plain")"
echo "cpu minified:  $(tr '\n' ' ' < "$work/cpu-minified")"
