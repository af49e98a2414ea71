#!/usr/bin/env bash
# `make fuzz` (docs/FUZZING.md): builds the fuzz targets of tests/fuzz/ with clang-14's libFuzzer,
# AddressSanitizer and UndefinedBehaviorSanitizer in build/fuzz, then runs each for
# FUZZ_SECONDS (60 by default) from its seed corpus (tests/fuzz/corpus/<target>/, read only;
# what libFuzzer finds goes to build/fuzz/corpus/<target>/). A crash is written to
# build/fuzz/crashes/<target>/ and the script fails: keep the input in
# tests/fuzz/corpus/<target>/ once fixed, so that `make test` replays it for ever.
# The executions and findings of the run are printed and written to build/fuzz/results.txt.
# FUZZ_JOBS targets run at once (the number of cores by default).
#   FUZZ_SECONDS=600 FUZZ_TARGETS="json_body table_reader" FUZZ_JOBS=2 bash scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
targets="${FUZZ_TARGETS:-json_body template_filler table_reader imputation identifiers money_date deliberation_text workbook}"
if ! command -v clang++-14 >/dev/null; then
  # Only `make fuzz` needs clang (and its libFuzzer); `make test` replays with g++.
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang-14
  else
    echo "fuzz: clang++-14 is missing (as root: apt-get install clang-14)" >&2
    exit 1
  fi
fi
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g"
cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DOCTROI_FUZZ=ON -DOCTROI_WERROR=OFF >/dev/null
build_targets=()
for t in $targets; do build_targets+=("octroi_fuzz_$t"); done
cmake --build build/fuzz -j "$(nproc)" --target "${build_targets[@]}"
results=build/fuzz/results.txt
jobs="${FUZZ_JOBS:-$(nproc)}"
echo "# make fuzz, $(date -u +%Y-%m-%dT%H:%MZ), ${seconds} s per target, ${jobs} at once, $(nproc) core(s)" > "$results"

# One target: its run, then its line of results in build/fuzz/<target>.result.
run_one() {
  local t="$1" log="build/fuzz/$1.log" outcome runs cov extra=()
  mkdir -p "build/fuzz/corpus/$t" "build/fuzz/crashes/$t"
  # The deliberation's seed is a whole text (90 KB): the parser's patterns are slow enough under
  # the sanitizers that inputs are kept to 8 KB (its sheets are a few hundred bytes each).
  if [ "$t" = deliberation_text ]; then extra=(-max_len=8192); fi
  if build/fuzz/tests/"octroi_fuzz_$t" "${extra[@]}" -max_total_time="$seconds" -print_final_stats=1 \
       -timeout=10 -rss_limit_mb=2048 -artifact_prefix="build/fuzz/crashes/$t/" \
       "build/fuzz/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
    outcome="0 crash"
  else
    outcome="FINDING (see $log and build/fuzz/crashes/$t/)"
  fi
  runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo '?')"
  cov="$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo '?')"
  echo "$t: $runs executions, coverage $cov edges, $outcome" > "build/fuzz/$t.result"
}

running=0
for t in $targets; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait
status=0
for t in $targets; do
  tee -a "$results" < "build/fuzz/$t.result"
  if grep -q FINDING "build/fuzz/$t.result"; then status=1; fi
done
exit $status
