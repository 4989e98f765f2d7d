#!/usr/bin/env bash
# Performance benchmark (`./dev bench`): builds the release examples, measures frame intake against Pillow
# (the yardstick, measured in the same run on the same machine) and the jobs history queries, and prints one
# table. Not part of `./dev test`: the figures need a quiet machine and a release build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
VENV=$TARGET/bench/venv
INPUTS=$TARGET/bench-inputs
RUNS=11

say() { printf '\033[1;36m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || die "Rust is not installed: install it from rustup.rs, then run this again"
command -v python3 >/dev/null || die "Python 3 is not installed: the Pillow yardstick needs it"

if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c 'import PIL' 2>/dev/null; then
  say "making the yardstick's Python venv with Pillow ($VENV, once)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pillow
fi

say "building the benchmarks (release; slow the first time)"
cargo build --release --quiet -p seedance-core --examples

declare -A R
collect() { # reads `RESULT key=value` lines from stdin into R, passing every line through to the terminal
  local line kv
  while IFS= read -r line; do
    echo "$line"
    if [[ $line == RESULT\ * ]]; then
      for kv in ${line#RESULT }; do R[${kv%%=*}]=${kv#*=}; done
    fi
  done
}

say "ours: frame intake (inputs made once under $INPUTS)"
collect < <("$TARGET/release/examples/bench_intake")

say "yardstick: Pillow, same files, median of $RUNS"
collect < <("$VENV/bin/python" bench/pillow_intake.py "$INPUTS/photo-6000x4000.jpg" "$INPUTS/photo-6000x6000.png" "$RUNS")

say "ours: jobs history with 10 000 jobs"
jobs_out=$("$TARGET/release/examples/bench_jobs")
echo "$jobs_out"
R[first_page_ms]=$(awk '/^first page \(50 newest\)/ { for (i = 1; i < NF; i++) if ($i == "median") print $(i + 1) }' <<<"$jobs_out")
# The slowest of the prompt searches (English, Chinese indexed, Chinese short), so no word is flattered.
R[search_ms]=$(awk '/^search / { for (i = 1; i < NF; i++) if ($i == "median" && $(i + 1) > max) max = $(i + 1) } END { print max }' <<<"$jobs_out")

for key in jpeg_ms png_ms pair_ms bomb_ms bomb_peak_mib pillow_jpeg_ms pillow_png_ms first_page_ms search_ms; do
  [[ -n "${R[$key]:-}" ]] || die "no figure for $key: see the output above"
done
slower=$(awk -v a="${R[jpeg_ms]}" -v b="${R[png_ms]}" 'BEGIN { print (a > b ? a : b) }')

FAILS=0
# row FIGURE OURS YARDSTICK(or -) UNIT OP LIMIT: with a yardstick the limit applies to ours/yardstick.
row() {
  local figure=$1 ours=$2 yard=$3 unit=$4 op=$5 limit=$6 ratio="-" value target verdict
  if [[ $yard != "-" ]]; then
    ratio=$(awk -v o="$ours" -v y="$yard" 'BEGIN { printf "%.2f", o / y }')
    value=$ratio
    yard=$(printf '%.3f %s' "$yard" "$unit")
    target="$op ${limit}x"
  else
    value=$ours
    target="$op $limit $unit"
  fi
  if awk -v v="$value" -v l="$limit" -v op="$op" 'BEGIN { exit !((op == "<" && v < l) || (op == "<=" && v <= l)) }'; then
    verdict=pass
  else
    verdict=FAIL; FAILS=$((FAILS + 1))
  fi
  printf '%-38s | %12s | %12s | %5s | %10s | %s\n' "$figure" "$(printf '%.3f %s' "$ours" "$unit")" "$yard" "$ratio" "$target" "$verdict"
}

echo
echo "Seedance Studio benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, Pillow ${R[pillow_version]:-?}"
printf '%-38s | %12s | %12s | %5s | %10s | %s\n' "figure" "ours" "yardstick" "ratio" "target" "pass/fail"
printf '%s\n' "---------------------------------------+--------------+--------------+-------+------------+----------"
row "intake 24 MP JPEG (6000x4000)" "${R[jpeg_ms]}" "${R[pillow_jpeg_ms]}" ms "<=" 0.8
row "intake 6000x6000 PNG" "${R[png_ms]}" "${R[pillow_png_ms]}" ms "<=" 0.8
row "both frames together (vs slower alone)" "${R[pair_ms]}" "$slower" ms "<=" 1.2
row "bomb 60000x60000 refused: time" "${R[bomb_ms]}" - ms "<" 50
row "bomb 60000x60000 refused: peak RSS" "${R[bomb_peak_mib]}" - MiB "<" 50
row "jobs (10 000): first page" "${R[first_page_ms]}" - ms "<" 50
row "jobs (10 000): search (slowest word)" "${R[search_ms]}" - ms "<" 100
echo "(ours and yardstick: medians; intake $RUNS runs each, jobs 30 runs each; peak RSS is the whole process)"
echo "$FAILS of 7 targets missed"
