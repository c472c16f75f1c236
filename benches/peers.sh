#!/usr/bin/env bash
# Issue 17's benchmarks: pir against the tools a writer would otherwise run,
# every figure the median of several whole-process runs (hyperfine), with
# its baseline measured in the same run on the same machine.
#
#   benches/peers.sh            # everything but 300 issues
#   BIG=1 benches/peers.sh      # also 300 issues (a few more minutes)
#   QUICK=1 benches/peers.sh    # smoke run: 1 and 10 issues, 3 runs each
#   KINDS=varied SIZES="100 300" benches/peers.sh   # one corpus, chosen sizes
#
# It builds pir in release mode, then installs what is missing into
# target/peers/ (never system-wide): the Typst CLI (crates.io, the version
# of the `typst` crate pir embeds), pandoc 3 (PyPI's pypandoc-binary, in a
# venv) and Hugo (Debian's package, unpacked with dpkg -x, not installed).
# Zola, which issue 17 names, is not on crates.io and this machine reaches
# no other source of it; Hugo is the same kind of tool. Needs hyperfine,
# GNU time, jq, python3, apt-get and flock.
# Cases:
#   1. Issue 2: `pir build --force` / the Typst CLI compiling the reading PDF
#      from `pir build --emit-typst`'s sources / pandoc -t typst, then Typst.
#   2. N copies of Issue 2 and N varied issues (benches/support/corpus.rs)
#      at 1, 10, 100 (and 300) issues: full build, peak RSS, no-change
#      rebuild, one piece edited.
#   3. The site alone (a rebuild after a stylesheet edit, nothing typeset)
#      against `hugo` building the same pieces' Markdown, per 100 issues.
#   4. One 2 MB paragraph, and the other large inputs (benches/large-input.sh).
#   Also: Issue 2 built from nothing (a CI deploy), the Typst CLI compiling
#   100 reading PDFs two at a time, and save-to-paint under pir serve at 100
#   issues (benches/serve-paint.mjs, in Debian's Chromium).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
peers="$here/target/peers"
lock="${PIR_CARGO_LOCK:-/tmp/pir-cargo.lock}"
runs="${RUNS:-5}"
sizes="1 10 100"
[ -n "${BIG:-}" ] && sizes="$sizes 300"
if [ -n "${QUICK:-}" ]; then sizes="1 10"; runs=3; fi
sizes="${SIZES:-$sizes}"
kinds="${KINDS:-copies varied}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$peers"

# cargo under a lock, so that only one heavy build runs at a time on the machine.
cargo_locked() { flock "$lock" nice -n 10 cargo "$@"; }

# 0. pir and the corpus writer, in release mode.
(cd "$here" && cargo_locked build --release --locked --quiet)
pir="$here/target/release/pir"
corpus="$(cd "$here" && cargo_locked bench --locked --bench corpus --no-run --message-format=json 2>/dev/null |
  jq -r 'select(.executable != null and .target.name == "corpus") | .executable' | tail -1)"

[ -x "$corpus" ] || { echo "the corpus writer (cargo bench --bench corpus) did not build" >&2; exit 1; }

# The peers, installed on first use; each install's time is printed.
typst_version="$(sed -n 's/^typst = "\(.*\)"/\1/p' "$here/Cargo.toml")"
typst="$peers/bin/typst"
if ! "$typst" --version 2>/dev/null | grep -q " $typst_version"; then
  s=$SECONDS
  cargo_locked install typst-cli --version "$typst_version" --locked --root "$peers"
  echo "installed typst-cli $typst_version in $((SECONDS - s)) s"
fi
hugo_dir="$peers/hugo"
hugo="$hugo_dir/usr/bin/hugo"
export LD_LIBRARY_PATH="$hugo_dir/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
if ! "$hugo" version >/dev/null 2>&1; then
  s=$SECONDS
  mkdir -p "$peers/deb"
  (cd "$peers/deb" && apt-get download hugo libsass1 2>/dev/null)
  for deb in "$peers"/deb/*.deb; do dpkg -x "$deb" "$hugo_dir"; done
  echo "installed hugo in $((SECONDS - s)) s"
fi
if ! [ -x "$peers/venv/bin/python" ]; then python3 -m venv "$peers/venv"; fi
if ! "$peers/venv/bin/python" -c "import pypandoc" 2>/dev/null; then
  s=$SECONDS
  "$peers/venv/bin/pip" install --quiet "pypandoc-binary>=1.13"
  echo "installed pandoc in $((SECONDS - s)) s"
fi
pandoc="$("$peers/venv/bin/python" -c 'import pypandoc; print(pypandoc.get_pandoc_path())')"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "pir $(git -C "$here" rev-parse --short HEAD), $("$typst" --version | head -1), $("$pandoc" --version | head -1), $("$hugo" version | cut -d' ' -f1-2)"
echo "each time is the median wall time of $runs whole-process runs after one warm-up (hyperfine) unless it says otherwise,"
echo "then the mean CPU time (user + system) of a run; load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"

# median N CMD...: hyperfine's median wall time of N runs after a warm-up,
# then the mean CPU time (user + system) of a run, both in ms; extra
# hyperfine flags may come before CMD. On a shared machine the CPU time is
# the steadier figure: other work stretches the wall time more than it.
median() {
  local n="$1"; shift
  hyperfine --style none --warmup 1 --runs "$n" --export-json "$work/h.json" "$@" >/dev/null 2>&1 ||
    { echo "failed: $*" >&2; hyperfine --runs 1 "$@" >&2; exit 1; }
  jq -r '.results[0] | "\(.median * 10000 | round / 10) \((.user + .system) * 10000 | round / 10)"' "$work/h.json"
}
# peak CMD...: the peak resident memory of one run, in MB (GNU time); "failed"
# and the command's last words on standard error if it fails.
peak() {
  if /usr/bin/time -f '%M %e' -o "$work/time" "$@" >/dev/null 2>"$work/stderr"; then
    awk '{printf "%.0f", $1 / 1024}' "$work/time"
  else
    echo "failed: $(grep -v '^Command' "$work/stderr" | tail -1)"
  fi
}
row() { printf '  %-58s %10s %s\n' "$1" "$2" "${3:-}"; }
# timed LABEL "WALL CPU" [NOTE]: a row for a time measured by median.
timed() { local w c; read -r w c <<<"$2"; row "$1" "$w ms" "(cpu $c ms) ${3:-}"; }
wall() { echo "${1%% *}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# 1. Issue 2 against the Typst CLI and pandoc.
echo
echo "Issue 2 (the repository's own project)"
"$pir" --root "$here" build --force --quiet --emit-typst --output "$work/emit"
typ="$work/emit/issues/march-2020/typst"
md="$work/issue-2.md"
for piece in $(sed -n 's/^pieces = \[\(.*\)\]/\1/p' "$here/issues/march-2020/issue.toml" | tr -d '",'); do
  # The piece's body, its front matter dropped: pandoc's input.
  awk 'NR == 1 {d = $0; next} !body && $0 == d {body = 1; next} body' "$here/issues/march-2020/$piece" >>"$md"
  printf '\n\n' >>"$md"
done
fonts=(--ignore-system-fonts --font-path "$here/fonts")
t_pir=$(median "$runs" "$pir --root $here build --force --quiet --output $work/issue-2")
t_typst=$(median "$runs" "$typst compile ${fonts[*]} $typ/main.typ $work/typst.pdf")
t_pandoc=$(median "$runs" "$pandoc $md -f markdown-citations -t typst -s -o $work/pandoc.typ && $typst compile ${fonts[*]} $work/pandoc.typ $work/pandoc.pdf")
t_cold=$(median "$runs" --prepare "rm -rf $work/issue-2-cold $work/.issue-2-cold.pir-build.json" "$pir --root $here build --quiet --output $work/issue-2-cold")
timed "pir build --force (site, reading, print, pocket PDFs)" "$t_pir"
timed "pir build from nothing (no output, no record: a CI deploy)" "$t_cold" "cold/typst = $(ratio "$(wall "$t_cold")" "$(wall "$t_typst")") (target <= 1.5)"
timed "typst compile of the reading PDF alone (--emit-typst)" "$t_typst" "pir/typst = $(ratio "$(wall "$t_pir")" "$(wall "$t_typst")") (target < 1.0)"
timed "pandoc -t typst, then typst compile (reading PDF only)" "$t_pandoc" "pandoc/pir = $(ratio "$(wall "$t_pandoc")" "$(wall "$t_pir")")"
echo "  pages: pir $(pdfinfo "$work/issue-2/issues/march-2020/issue-2.pdf" 2>/dev/null | awk '/^Pages/ {print $2}'), typst $(pdfinfo "$work/typst.pdf" 2>/dev/null | awk '/^Pages/ {print $2}'), pandoc $(pdfinfo "$work/pandoc.pdf" 2>/dev/null | awk '/^Pages/ {print $2}')"

# 2. Archives of N issues: copies of Issue 2, and varied issues.
declare -A rss
for kind in $kinds; do
  echo
  echo "$kind: N issues (full build: median of 3, or 1 run at 300; peak RSS: one full build)"
  for n in $sizes; do
    dir="$work/$kind-$n"
    "$corpus" "$kind" "$n" "$dir" >/dev/null
    build="$pir --root $dir build --quiet"
    if [ "$n" -lt 300 ]; then
      full=$(median 3 --prepare "rm -rf $dir/public $dir/.public.pir-build.json" "$build")
      rm -rf "$dir/public" "$dir/.public.pir-build.json"
      mem=$(peak $build)
    else
      # One run: the full build's time and its peak memory together.
      mem=$(peak $build)
      full="$(awk '{printf "%.0f", $2 * 1000}' "$work/time") (1 run)"
    fi
    if [[ "$mem" == failed* ]]; then
      # A build that fails (300 issues overflowed a thread's stack at 93dc745) is reported, not timed.
      row "$n issues: full build" "$mem"
      rm -rf "$dir"
      continue
    fi
    rss[$kind-$n]=$mem
    pages=$(find "$dir/public/issues" -name 'issue-*.pdf' ! -name '*print*' -exec pdfinfo {} \; 2>/dev/null | awk '/^Pages/ {s += $2} END {print s}')
    same=$(median "$runs" "$build")
    # The middle issue's essay (copies) or editors' note (varied).
    piece="$(ls "$dir/issues/issue-$(printf %03d $(((n + 1) / 2)))"/{documentary,note}.md 2>/dev/null | head -1 || true)"
    edit=$(median "$runs" --prepare "printf '\nOne more sentence.\n' >> $piece" "$build")
    if [ "$n" -lt 300 ]; then timed "$n issues ($pages pages): full build" "$full"; else row "$n issues ($pages pages): full build" "$full"; fi
    if [ "$n" = 100 ]; then
      # The Typst CLI compiling the same issues' reading PDFs, two at a time (the machine's cores).
      "$pir" --root "$dir" build --quiet --emit-typst --force --output "$work/emit-$kind"
      cli=$(median 3 "sh -c 'ls -d $work/emit-$kind/issues/*/typst | xargs -P2 -I{} $typst compile ${fonts[*]} {}/main.typ {}/out.pdf'")
      timed "100 issues: typst compile of the 100 reading PDFs (xargs -P2)" "$cli" "pir/typst = $(ratio "$(wall "$full")" "$(wall "$cli")") (target <= 1.0)"
      rm -rf "$work/emit-$kind"
      "$pir" --root "$dir" build --quiet
    fi
    row "$n issues: peak RSS of the full build" "$mem MB"
    timed "$n issues: no-change rebuild" "$same"
    timed "$n issues: one piece edited ($(basename "$piece"))" "$edit"
    if [ "$n" = 100 ]; then
      # 3. The site alone against Hugo, on the same pieces.
      # At the top: zine.toml may end inside a table such as [newsletter].
      printf 'extra_css = "templates/extra.css"\n%s\n' "$(cat "$dir/zine.toml")" >"$dir/zine.toml"
      mkdir -p "$dir/templates" && echo 'body {}' >"$dir/templates/extra.css"
      $build
      site=$(median "$runs" --prepare "echo '/* edit */' >> $dir/templates/extra.css" "$build")
      "$corpus" hugo "$dir" "$work/hugo-$kind" >/dev/null
      h=$(median "$runs" "$hugo --quiet --source $work/hugo-$kind --destination $work/hugo-$kind/public")
      timed "100 issues: the site alone (stylesheet edited)" "$site"
      timed "100 issues: hugo building the same pieces" "$h" "pir site/hugo = $(ratio "$(wall "$site")" "$(wall "$h")")"
    fi
    if [ "$n" = 100 ] && [ "$kind" = copies ]; then
      # pir serve: a save to a piece until the open page in Chromium shows it.
      issue="issue-$(printf %03d $(((n + 1) / 2)))"
      paint=$(node "$here/benches/serve-paint.mjs" "$pir" "$dir" "$dir/issues/$issue/documentary.md" "issues/$issue/documentary.html" "$runs" 2>&1 | tail -1)
      row "100 issues: pir serve, save to paint in Chromium" "${paint#save-to-paint: }" "(target < 300 ms)"
    fi
    rm -rf "$dir"
    echo "  (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
  done
  if [ -n "${rss[$kind-100]:-}" ]; then
    row "peak RSS at 100 issues" "${rss[$kind-100]} MB" "(target < 400 MB)"
  fi
  if [ -n "${rss[$kind-300]:-}" ]; then
    row "peak RSS growth 100 -> 300 issues" "$(awk -v a="${rss[$kind-100]}" -v b="${rss[$kind-300]}" 'BEGIN {printf "%+.0f%%", (b / a - 1) * 100}')" "(target <= +20%)"
  fi
done

# 4. Large input: one 2 MB paragraph (a pasted log), and the other shapes.
echo
echo "large input (benches/large-input.sh: one cold build each)"
if [ -n "${QUICK:-}" ]; then
  SIZES_PARA=2000 SIZES_CODE=512 SIZES_PROSE=1000 "$here/benches/large-input.sh" "pir=$pir"
else
  SIZES_PARA="${SIZES_PARA:-128 2000}" "$here/benches/large-input.sh" "pir=$pir"
fi
