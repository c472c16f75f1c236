#!/usr/bin/env bash
# Build time and peak memory on large input, for one or more pir binaries in
# the same run (a baseline and the new one see the same machine). Cases:
# one paragraph (a pasted log), the same text as a code block, and a piece
# of ordinary paragraphs, at several sizes.
#
# Usage: benches/large-input.sh label=path/to/pir [label=path/to/pir ...]
# Needs GNU time (/usr/bin/time) and awk. Sizes are in KB; set SIZES_PARA,
# SIZES_CODE, SIZES_PROSE to change them.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# make KIND KB DIR: a copy of the valid fixture whose note.md holds KB of text.
make() {
  rm -rf "$3"
  cp -r "$here/tests/fixtures/valid" "$3"
  awk -v kind="$1" -v size="$(($2 * 1000))" 'BEGIN {
    srand(1)
    split("GET /api/v9/gateway 200 latency=12ms node-17 retrying connection reset by peer INFO WARN upstream timeout", w, " ")
    printf "+++\nkind = \"editors-note\"\ntitle = \"Large\"\n+++\n\n"
    if (kind == "code") print "```"
    n = 0; words = 0
    while (n < size) {
      word = w[int(rand() * 14) + 1]; n += length(word) + 1; words++
      if (kind == "prose" && words % 80 == 0) { printf "%s.\n\n", word }
      else if (kind == "code" && words % 10 == 0) { printf "%s\n", word }
      else { printf "%s ", word }
    }
    printf "\n"
    if (kind == "code") print "```"
  }' > "$3/issues/january-2021/note.md"
}

# run LABEL BINARY KIND KB: one cold build; prints seconds, peak memory and the outcome.
run() {
  local dir="$work/$3-$4"
  make "$3" "$4" "$dir"
  /usr/bin/time -f '%e %M' "$2" --root "$dir" build --quiet --force >/dev/null 2>"$work/stderr" || true
  local secs mem outcome
  read -r secs mem <<<"$(tail -1 "$work/stderr")"
  if grep -q "E015" "$work/stderr"; then outcome="refused (E015)"; elif [ -f "$dir/public/index.html" ]; then outcome="built"; else outcome="failed"; fi
  printf '%-10s %-6s %6s KB  %7.2f s  %6d MB  %s\n' "$1" "$3" "$4" "$secs" "$((mem / 1024))" "$outcome"
}

for spec in "$@"; do
  label="${spec%%=*}"; bin="${spec#*=}"
  for kb in ${SIZES_PARA:-128 256 512}; do run "$label" "$bin" para "$kb"; done
  for kb in ${SIZES_CODE:-512 2000}; do run "$label" "$bin" code "$kb"; done
  for kb in ${SIZES_PROSE:-1000 2000}; do run "$label" "$bin" prose "$kb"; done
done
