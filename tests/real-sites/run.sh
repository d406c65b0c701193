#!/usr/bin/env bash
# Builds real public sites' posts, unedited, with a few-line site.yaml, the way
# a new user moving in from Jekyll, Hugo, Zola or Eleventy would (issue 10),
# and prints one Markdown table row per run: posts found, pages built, exit
# code, errors, warnings by kind, and how many of the old site's URLs exist in
# the output.
#
# Not part of `cargo test`: it needs the sites' repositories, fetched first
# (see sites.tsv). A site whose source or commit is missing is skipped.
#
#   tests/real-sites/run.sh [name ...]       # all sites, or only these
#
# Environment:
#   BRIEFLY_BIN        the binary (default /work/main/target/release/briefly)
#   REAL_SITES_MIRROR  where relative sources live (default /work/.mirror)
#   REAL_SITES_TSV     the site list (default: sites.tsv beside this script)
#   REAL_SITES_WORK    where temp sites and logs go (default: a new mktemp -d)
#   NICE               niceness of the builds (default 10)
#   REAL_SITES_YAML    more site.yaml lines, e.g. 'broken_links: warn'
#   REAL_SITES_REMOVE  files to delete from a run's content before building, as a
#                      user would after the build's error names them:
#                      'run=content/x.md run2=content/y.md' (run names as in the table)
#
# Each run keeps, under $REAL_SITES_WORK/<run>/: site/ (site.yaml, content/,
# public/), copy.log, build.out, build.err, check.out, check.err and
# old-urls-missing.txt. The fetched posts are never committed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${BRIEFLY_BIN:-/work/main/target/release/briefly}
mirror=${REAL_SITES_MIRROR:-/work/.mirror}
tsv=${REAL_SITES_TSV:-$here/sites.tsv}
work=${REAL_SITES_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/real-sites.XXXXXX")}
niceness=${NICE:-10}
measure=(python3 "$here/measure.py")

if [[ ! -x $bin ]]; then
    echo "real-sites: no briefly binary at $bin (set BRIEFLY_BIN)" >&2
    exit 2
fi
python3 -c 'import yaml, tomllib' 2>/dev/null || {
    echo "real-sites: needs python3 >= 3.11 with PyYAML (pip install pyyaml)" >&2
    exit 2
}
mkdir -p "$work"
rows=$work/rows.jsonl
: >"$rows"

wanted=("$@")
seen=()
is_wanted() {
    [[ ${#wanted[@]} -eq 0 ]] && return 0
    local w
    for w in "${wanted[@]}"; do [[ $w == "$1" ]] && return 0; done
    return 1
}

# Copies path/in/repo (a folder or a file) from the source at the commit to dest.
copy_posts() {
    local source=$1 commit=$2 from=$3 dest=$4 log=$5 stage
    mkdir -p "$dest"
    if [[ -f $source/HEAD && -d $source/objects ]]; then # a git dir, as `fetch` brings
        stage=$(mktemp -d "$work/stage.XXXXXX")
        # A snapshot may lack its largest files; git archive then complains about
        # files outside $from too, so its messages go to a log and the count is
        # checked instead.
        git --git-dir="$source" archive "$commit" -- "$from" 2>>"$log" | tar -x -C "$stage"
        local want got
        want=$(git --git-dir="$source" ls-tree -r --name-only "$commit" -- "$from" | wc -l)
        got=$(find "$stage/$from" -type f | wc -l)
        [[ $want == "$got" ]] || echo "real-sites: $from: $got of $want files copied" >&2
        cp -a "$stage/$from/." "$dest/"
        rm -rf "$stage"
    else
        cp -a "$source/$from/." "$dest/"
    fi
}

# Builds one site with one site.yaml permalink (or none) into $work/<run>/.
run_one() {
    local run=$1 generator=$2 source=$3 commit=$4 posts=$5 base_url=$6 permalink=$7
    local old_urls=$8 license=$9 dir=$work/$1
    rm -rf "$dir"
    mkdir -p "$dir/site/content"
    local spec from to
    IFS=',' read -r -a specs <<<"$posts"
    for spec in "${specs[@]}"; do
        from=${spec%%=*}
        to=${spec#*=}
        copy_posts "$source" "$commit" "$from" "$dir/site/content/$to" "$dir/copy.log"
    done
    local removal
    for removal in ${REAL_SITES_REMOVE:-}; do
        if [[ ${removal%%=*} == "$run" ]]; then
            rm -- "$dir/site/${removal#*=}"
            echo "${removal#*=}" >>"$dir/removed.txt"
        fi
    done
    {
        printf 'title: "%s"\n' "$run"
        printf 'base_url: "%s"\n' "$base_url"
        [[ $permalink != - ]] && printf 'permalink: "%s"\n' "$permalink"
        [[ -n ${REAL_SITES_YAML:-} ]] && printf '%s\n' "$REAL_SITES_YAML"
    } >"$dir/site/site.yaml"
    local build_rc=0 check_rc=0 start end
    start=$(date +%s%N)
    nice -n "$niceness" "$bin" build --root "$dir/site" --output "$dir/site/public" \
        >"$dir/build.out" 2>"$dir/build.err" || build_rc=$?
    end=$(date +%s%N)
    nice -n "$niceness" "$bin" check --root "$dir/site" \
        >"$dir/check.out" 2>"$dir/check.err" || check_rc=$?
    "${measure[@]}" row --name "$run" --generator "$generator" --dir "$dir" \
        --build-rc "$build_rc" --check-rc "$check_rc" \
        --build-ms $(((end - start) / 1000000)) --permalink "$permalink" \
        --old-urls "$old_urls" --license "$license" --base-url "$base_url" >>"$rows"
}

while IFS=$'\t' read -r name generator source commit posts license base_url permalink alt old_urls; do
    [[ -z $name || $name == \#* ]] && continue
    is_wanted "$name" || continue
    seen+=("$name")
    [[ $source == /* ]] || source=$mirror/$source
    if [[ ! -e $source ]]; then
        echo "real-sites: skipping $name: no source at $source (fetch it first)" >&2
        continue
    fi
    if [[ $commit != - ]] && ! git --git-dir="$source" cat-file -e "$commit^{commit}" 2>/dev/null &&
        ! git -C "$source" cat-file -e "$commit^{commit}" 2>/dev/null; then
        echo "real-sites: skipping $name: commit $commit is not in $source" >&2
        continue
    fi
    [[ $commit == - ]] && commit=HEAD
    echo "real-sites: $name ($generator) ..." >&2
    run_one "$name" "$generator" "$source" "$commit" "$posts" "$base_url" "$permalink" "$old_urls" "$license"
    if [[ $alt != - ]]; then
        run_one "$name+alt" "$generator" "$source" "$commit" "$posts" "$base_url" "$alt" "$old_urls" "$license"
    fi
done <"$tsv"

for w in "${wanted[@]}"; do
    [[ " ${seen[*]} " == *" $w "* ]] || echo "real-sites: no site named $w in $tsv" >&2
done

"${measure[@]}" table "$rows"
echo
echo "Logs and built sites: $work"
