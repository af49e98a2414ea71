#!/usr/bin/env bash
# Documents benchmark (issue 7), recorded, never asserted (bench/RESULTS.md):
#
#   bash bench/documents_bench.sh [OCTROI_BINARY] [REPEATS]
#
# On a fresh SQLite demonstration, each figure against a baseline run by this same script:
#   sheet    `octroi document sheet EX070162` (read the dossier, choose the template version,
#            fill it, write the .odt and its audit line), against `octroi application show
#            EX070162` (the same process start and read, no document): the ratio is what
#            choosing, filling, packaging and auditing add.
#   session  `octroi document render --report "CP 2023-040" --pdf` (the report, the
#            deliberation, the avenant and the four sheets: seven documents, one LibreOffice
#            run), against the same .odt files converted by one LibreOffice run per document, as
#            a program without batching would.
set -euo pipefail

bin="${1:-build/release/octroi}"
repeats="${2:-20}"
command -v soffice >/dev/null || { echo "documents_bench: soffice is missing" >&2; exit 1; }
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
db="$dir/bench.db"
"$bin" demo --db "$db" >/dev/null

now_ns() { date +%s%N; }
ms() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1000000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

t0=$(now_ns)
for _ in $(seq "$repeats"); do "$bin" application show EX070162 --db "$db" >/dev/null; done
t1=$(now_ns)
for _ in $(seq "$repeats"); do "$bin" document sheet EX070162 --db "$db" --out "$dir/sheet" >/dev/null 2>&1; done
t2=$(now_ns)
show=$(( (t1 - t0) / repeats )); sheet=$(( (t2 - t1) / repeats ))
echo "sheet    $(ms $sheet) ms per sheet (.odt)   baseline show $(ms $show) ms   ratio $(ratio $sheet $show)"

t0=$(now_ns)
"$bin" document render --report "CP 2023-040" --db "$db" --out "$dir/batch" --pdf >/dev/null 2>&1
t1=$(now_ns)
"$bin" document render --report "CP 2023-040" --db "$db" --out "$dir/single" >/dev/null 2>&1
for odt in "$dir"/single/*.odt; do
  profile="$(mktemp -d)"
  soffice --headless --norestore --nolockcheck "-env:UserInstallation=file://$profile" \
    --convert-to pdf --outdir "$dir/single" "$odt" >/dev/null 2>&1
  rm -rf "$profile"
done
t2=$(now_ns)
count=$(ls "$dir"/batch/*.pdf | wc -l)
batch=$((t1 - t0)); single=$((t2 - t1))
echo "session  $count PDFs in $(ms $batch) ms (one LibreOffice run)   baseline $(ms $single) ms (one run per document)   ratio $(ratio $batch $single)"
