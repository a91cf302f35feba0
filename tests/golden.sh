#!/usr/bin/env bash
# Byte-identity check for refactors: run one satkit binary over every example survey, test
# fixture and command, and keep every output file, stdout, stderr and exit status in OUTDIR.
# Two binaries' OUTDIRs must then be identical:
#
#   tests/golden.sh /tmp/satkit-before /tmp/golden-before
#   tests/golden.sh target/debug/satkit /tmp/golden-after
#   diff -r /tmp/golden-before /tmp/golden-after && echo identical
#
# Not part of `cargo test` (it runs ~150 commands); the closing notes of refactoring sessions
# quote it. The paths inside outputs are relative to a scratch copy of the repository inputs,
# so two runs compare equal wherever they are made.
set -uo pipefail

bin=$(realpath "$1")
out=$(realpath -m "$2")
repo=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$repo/surveys" "$work/surveys"
mkdir -p "$work/tests"
cp -r "$repo/tests/fixtures" "$work/tests/fixtures"
cp "$bin" "$work/satkit"
bin=$work/satkit
cd "$work"
export NO_COLOR=1
unset SOURCE_DATE_EPOCH

n=0
# run NAME ARGS...: stdout, stderr and exit status of one call, under OUTDIR/calls/NAME.
run() {
  local name=$1
  shift
  n=$((n + 1))
  mkdir -p "$out/calls"
  "$bin" "$@" > "$out/calls/$name.stdout" 2> "$out/calls/$name.stderr" < /dev/null
  echo "$?" > "$out/calls/$name.rc"
}

surveys="b2b-platform bookstore servqual acsi"
for s in $surveys; do
  sv=surveys/$s/survey.toml
  data=surveys/$s/responses.csv
  run "check-$s" check "$sv"
  run "check-json-$s" check "$sv" --format json
  for to in markdown html template; do
    run "build-$to-$s" build "$sv" --to "$to" -o "o/$s/q.$to"
  done
  run "build-codebook-$s" build "$sv" --to codebook -o "o/$s/codebook.csv"
  run "build-codebook-json-$s" build "$sv" --to codebook --codebook-format json
  run "build-xlsform-$s" build "$sv" --to xlsform -o "o/$s/form.xlsx"
  run "lint-$s" lint "$sv"
  run "lint-json-$s" lint "$sv" --format json
  run "weights-$s" weights "$sv"
  run "weights-data-$s" weights "$sv" "$data"
  run "weights-json-$s" weights "$sv" "$data" --format json
  run "import-parquet-$s" import "$sv" "$data" -o "o/$s/clean.parquet" --rejects "o/$s/rejects.csv"
  run "import-csv-$s" import "$sv" "$data" -o "o/$s/clean.csv" --format json
  run "simulate-$s" simulate "$sv" -n 60 --seed 3 -o "o/$s/sim.csv"
  run "analyze-$s" analyze "$sv" "$data" -o "o/$s/a" --no-timestamp --by region
  run "analyze-listwise-$s" analyze "$sv" "$data" -o "o/$s/l" --no-timestamp --missing listwise --weight weight --format json
  run "analyze-parquet-$s" analyze "$sv" "o/$s/clean.parquet" -o "o/$s/p" --no-report --by region,segment
  run "analyze-options-$s" analyze "$sv" "$data" -o "o/$s/x" --no-timestamp --factors kaiser \
    --importance beta --ipa-cross midpoint --fuzzy-operator max-min --csat top3box --threads 1
  run "analyze-fixed-$s" analyze "$sv" "$data" -o "o/$s/f" --no-report --factors 2 --fail-under 99 --fail-alpha-under 0.9
  run "report-$s" report "o/$s/a/results.json" -o "o/$s/r" --no-timestamp
  run "analyze-wave2-$s" analyze "$sv" "o/$s/sim.csv" -o "o/$s/w2" --no-report
  run "compare-$s" compare "o/$s/a/results.json" "o/$s/w2/results.json" -o "o/$s/cmp"
  run "compare-json-$s" compare "o/$s/a/results.json" "o/$s/w2/results.json" "o/$s/x/results.json" --format json --threshold 2
  run "compare-gates-$s" compare "o/$s/a/results.json" "o/$s/w2/results.json" --fail-drop 1 --fail-under 60
  run "gate-baseline-$s" analyze "$sv" "o/$s/sim.csv" -o "o/$s/g" --no-report --fail-drop 0.5 --baseline "o/$s/a/results.json"
done

for f in tests/fixtures/analyze/survey.toml tests/fixtures/report/survey.toml; do
  d=$(dirname "$f")
  name=$(basename "$d")
  for csv in "$d"/*.csv; do
    [ -f "$csv" ] || continue
    run "fixture-$name-$(basename "$csv" .csv)" analyze "$f" "$csv" -o "o/fixture-$name" --no-timestamp
  done
done
for csv in tests/fixtures/import/*.csv; do
  b=$(basename "$csv" .csv)
  run "import-fixture-$b" import tests/fixtures/import/survey.toml "$csv" -o "o/import/$b.csv" --rejects "o/import/$b.rejects.csv"
done
run "import-fixture-mapped" import tests/fixtures/import/survey.toml tests/fixtures/import/mapped.csv --map tests/fixtures/import/mapping.toml -o o/import/mapped-map.csv
run "import-fixture-gbk" import tests/fixtures/import/survey.toml tests/fixtures/import/gbk.csv --encoding gbk -o o/import/gbk-enc.csv
for f in tests/fixtures/surveys/*.toml; do
  b=$(basename "$f" .toml)
  run "check-fixture-$b" check "$f"
  run "lint-fixture-$b" lint "$f"
done
for f in tests/fixtures/lint/wording_zh.toml tests/fixtures/lint/wording_en.toml; do
  b=$(basename "$f" .toml)
  run "lint-$b" lint "$f" --format json
  run "lint-rules-$b" lint "$f" --rules tests/fixtures/lint/rules.toml
done
run "lint-bad-rules" lint tests/fixtures/lint/wording_en.toml --rules tests/fixtures/lint/bad_rules.toml

run "grade" grade tests/fixtures/grading --rubric surveys/rubrics/default.toml -o o/grade/gradebook.csv --feedback o/grade/feedback
run "grade-zh" grade tests/fixtures/grading --rubric surveys/rubrics/default-zh.toml -o o/grade/gradebook-zh.csv --feedback o/grade/feedback-zh --name-from author

run "batch" batch surveys/batch.toml
run "batch-json" batch surveys/batch.toml --format json --no-report

run "plan-1" plan --population 1000 --margin 0.05 --confidence 0.95
run "plan-2" plan --population 12000 --margin 0.05 --response-rate 0.3 --strata north=7000,south=5000
run "plan-3" plan --survey surveys/b2b-platform/survey.toml --margin 0.04 --format json
run "plan-4" plan --margin 0.03 --proportion 0.3 --format json
run "plan-5" plan --population 500 --strata a=100,b=250,c=150 --allocation equal --response-rate 0.2

for t in basic servqual acsi; do
  for l in zh en; do
    run "new-$t-$l" new "shop-$t-$l" --template "$t" --lang "$l" -o "o/new/$t-$l.toml"
  done
done
run "completions-bash" completions bash
run "man" man -o o/man
run "help" --help
for c in analyze report check build new import simulate weights lint grade plan batch compare; do
  run "help-$c" "$c" --help
done

# Every output file, less the xlsx (a zip with a time stamp) which is listed by name only.
mkdir -p "$out/files"
find o surveys/batch-out -type f | sort | while read -r f; do
  case "$f" in
    *.xlsx) echo "$f" >> "$out/xlsx-files" ;;
    *) mkdir -p "$out/files/$(dirname "$f")"; cp "$f" "$out/files/$f" ;;
  esac
done
echo "golden: $n calls, $(find "$out/files" -type f | wc -l) files in $out" >&2
