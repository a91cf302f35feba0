#!/usr/bin/env bash
# Times satkit (release build) against the Python competitor in ../shared/bench on the same
# files: the competitor's generator writes responses for 10k, 100k and 1M respondents
# (30 Likert items, overall, NPS, ~2% missing); satkit imports and analyses them with
# bench/bench-survey.toml. Prints a Markdown table with wall time (median of RUNS) and peak RSS.
#
# Usage: bench/run.sh [--sizes "10000 100000 1000000"] [--runs 3] [--python]
#   --python  also time ../shared/bench/baseline_polars.py (and baseline.py up to 100k) on the
#             same files; needs a venv with ../shared/bench/requirements.txt (made in bench/venv).
# Environment: SATKIT_BIN to use an existing release binary; BENCH_DATA for the data directory.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="10000 100000 1000000"
runs=3
python=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --python) python=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
shared="$(cd .. && pwd)/shared/bench"
data="${BENCH_DATA:-bench/data}"
mkdir -p "$data"
bin="${SATKIT_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --locked >&2
  bin="target/release/satkit"
fi
venv="bench/venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
  if [ "$python" = 1 ]; then
    "$venv/bin/pip" install -q -r "$shared/requirements.txt" >&2
  else
    "$venv/bin/pip" install -q numpy >&2
  fi
fi
py="$venv/bin/python"

# median wall seconds and max peak KiB of a command over $runs runs
measure() {
  local times=() peak=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$data/.time" "$@" > /dev/null 2> "$data/.stderr" || { cat "$data/.stderr" >&2; return 1; }
    read -r t m < "$data/.time"
    times+=("$t")
    [ "$m" -gt "$peak" ] && peak=$m
  done
  local med
  med=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$med $peak"
}

fmt() { awk -v t="$1" -v m="$2" 'BEGIN { printf "%.2f s, %.0f MB", t, m/1024 }'; }

echo "| step | $(for n in $sizes; do printf '%s | ' "$n"; done)"
echo "|---|$(for _ in $sizes; do printf -- '---|'; done)"
declare -A row
for n in $sizes; do
  csv="$data/responses_$n.csv"
  [ -s "$csv" ] || "$py" "$shared/gen_responses.py" --rows "$n" --seed 42 --out "$csv" >&2
  pq="$data/clean_$n.parquet"
  read -r t m < <(measure "$bin" import bench/bench-survey.toml "$csv" -o "$pq")
  row[import]+="$(fmt "$t" "$m") | "
  read -r t m < <(measure "$bin" analyze bench/bench-survey.toml "$csv" -o "$data/out_csv_$n" --no-report)
  row[analyze_csv]+="$(fmt "$t" "$m") | "
  read -r t m < <(measure "$bin" analyze bench/bench-survey.toml "$pq" -o "$data/out_pq_$n" --no-report)
  row[analyze_parquet]+="$(fmt "$t" "$m") | "
  if [ "$python" = 1 ]; then
    read -r t m < <(measure "$py" "$shared/baseline_polars.py" "$csv" --out "$data/py_polars_$n.json")
    row[py_polars]+="$(fmt "$t" "$m") | "
    if [ "$n" -le 100000 ]; then
      read -r t m < <(OPENBLAS_NUM_THREADS=1 measure "$py" "$shared/baseline.py" "$csv" --out "$data/py_$n.json")
      row[py_full]+="$(fmt "$t" "$m") | "
    else
      row[py_full]+="(not run) | "
    fi
  fi
done
echo "| \`satkit import\` CSV → Parquet | ${row[import]}"
echo "| \`satkit analyze\` from CSV | ${row[analyze_csv]}"
echo "| \`satkit analyze\` from Parquet | ${row[analyze_parquet]}"
if [ "$python" = 1 ]; then
  echo "| baseline_polars.py (subset) | ${row[py_polars]}"
  echo "| baseline.py (full) | ${row[py_full]}"
fi
