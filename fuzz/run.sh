#!/usr/bin/env bash
# Run satkit's fuzz targets for a set time each, one after another, and print per target the
# executions and the coverage that libFuzzer reports at the end. See docs/fuzzing.md.
#
#   fuzz/run.sh all 1800               # every target, 30 minutes each
#   fuzz/run.sh results_report 240     # one target, 4 minutes
#
# Environment:
#   SANITIZER=none|address   (default none: the build is then plain release code with libFuzzer's
#                             coverage instrumentation; `address` adds ASan, slower and larger)
#   KEEP_GOING=1             fork mode (-fork=1 -ignore_crashes=1 -ignore_timeouts=1
#                             -ignore_ooms=1): keep fuzzing after a crash, collecting every crash
#                             into artifacts/TARGET/ (the final stats then come from the fork
#                             supervisor: no stat::number_of_executed_units line)
#   NICE=15                  the niceness of the build and the runs (default 15)
#
# Dictionary: numbers.dict (edge numbers and TOML/JSON tokens) for every target.
# Inputs: seeds/TARGET/ (committed, read only) and corpus/TARGET/ (grown by libFuzzer, ignored by
# git). Crashes: artifacts/TARGET/crash-*, timeout-*, oom-*. Logs: logs/TARGET.log.
# Exit status: 0 when no target crashed, 1 when one did, 2 on a usage error.
set -u

TARGETS=(survey_check csv_import results_report rubric_parse lint_config)

usage() {
    echo "usage: fuzz/run.sh [TARGET|all] SECONDS   (targets: ${TARGETS[*]})" >&2
    exit 2
}

[ $# -eq 2 ] || usage
which=$1
seconds=$2
case $seconds in '' | *[!0-9]*) usage ;; esac
if [ "$which" = all ]; then
    run=("${TARGETS[@]}")
else
    found=0
    for t in "${TARGETS[@]}"; do [ "$t" = "$which" ] && found=1; done
    [ $found = 1 ] || usage
    run=("$which")
fi

cd "$(dirname "$0")" || exit 2
sanitizer=${SANITIZER:-none}
niceness=${NICE:-15}
extra=()
if [ "${KEEP_GOING:-0}" = 1 ]; then
    extra=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
fi

# One build of every target first, so the timed runs do not include it.
nice -n "$niceness" cargo +nightly fuzz build -s "$sanitizer" || exit 2

mkdir -p logs
summary=()
status=0
for t in "${run[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    before=$(find "artifacts/$t" -type f | wc -l)
    log="logs/$t.log"
    echo "== $t: ${seconds}s (log fuzz/$log)" >&2
    nice -n "$niceness" cargo +nightly fuzz run -s "$sanitizer" "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=10 -print_final_stats=1 \
        -dict=numbers.dict \
        "${extra[@]}" >"$log" 2>&1
    rc=$?
    after=$(find "artifacts/$t" -type f | wc -l)
    # The last status line (`#N DONE cov: C ft: F corp: ...`, or the last `#N ... cov:` line
    # before a crash) and the final statistics.
    last=$(grep -E '^#[0-9]+.*cov: [0-9]+' "$log" | tail -n 1)
    execs=$(grep -E '^stat::number_of_executed_units:' "$log" | tail -n 1 | awk '{print $2}')
    [ -n "$execs" ] || execs=$(printf '%s\n' "$last" | sed -E 's/^#([0-9]+).*/\1/')
    cov=$(printf '%s\n' "$last" | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
    ft=$(printf '%s\n' "$last" | sed -nE 's/.*ft: ([0-9]+).*/\1/p')
    corp=$(find "corpus/$t" -type f | wc -l)
    result=ok
    if [ "$after" -gt "$before" ] || [ "$rc" -ne 0 ]; then
        result="CRASH (exit $rc, $((after - before)) new artifact(s) in fuzz/artifacts/$t/)"
        status=1
        # The panic (`thread '...' (TID) panicked at FILE:LINE:COL:` and its message), or
        # libFuzzer's own verdict for an abort, an out-of-memory or a timeout.
        grep -E -A1 "^thread '.*panicked at" "$log" | head -n 4 | sed 's/^/    /' >&2
        grep -E "^==[0-9]+== ERROR|out-of-memory|timeout after" "$log" |
            sort -u | head -n 3 | sed 's/^/    /' >&2
    fi
    summary+=("$(printf '%-16s execs %-10s cov %-6s ft %-7s corpus %-6s %s' \
        "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$corp" "$result")")
done

echo
printf '%s\n' "${summary[@]}"
exit $status
