#!/usr/bin/env bash
# Open-data benchmark (issue 8), recorded, never asserted (bench/RESULTS.md):
#
#   bash bench/opendata_bench.sh [OCTROI_BINARY] [ROWS]      (ROWS: 1000000 by default)
#
# A synthetic SCDL file of ROWS lines (10 000 beneficiaries, amounts with a decimal comma, French
# dates, semicolons: the variants the importer must read) is imported into a fresh SQLite
# demonstration, against two baselines run by this same script on the same file:
#   python   Python's csv module (Debian's python3) reading every row and writing it back
#   sqlite   SQLite's own CSV import (`.import --csv` into a table)
# Each figure is rows per second; the ratio is octroi's rate over the baseline's.
# Then the SCDL export of the demonstration's awards is timed (a handful of rows: the export's
# cost at scale needs a million awards of octroi's own, which this script does not create).
set -euo pipefail

bin="${1:-build/release/octroi}"
rows="${2:-1000000}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
file="$dir/subventions.csv"

python3 - "$file" "$rows" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w", encoding="utf-8", newline="") as f:
    f.write("nomAttribuant;idAttribuant;dateConvention;referenceDecision;nomBeneficiaire;"
            "idBeneficiaire;objet;montant;nature;conditionsVersement;datesPeriodeVersement;"
            "notificationUE;pourcentageSubvention\r\n")
    for i in range(n):
        day, month = 1 + i % 28, 1 + (i // 28) % 12
        cents = 100000 + (i * 7919) % 10000000
        f.write(f"Département de Test;;{day:02d}/{month:02d}/2022;CP 2022-{i % 500:03d};"
                f"Association n° {i % 10000};;Projet {i};"
                f"{cents // 100:,}".replace(",", " ") + f",{cents % 100:02d};aide en numéraire;"
                f"unique;2022-{month:02d}-{day:02d};non;1,00\r\n")
PY

now_ns() { date +%s%N; }
ms() { awk -v n="$1" 'BEGIN { printf "%.0f", n / 1000000 }'; }
rate() { awk -v r="$1" -v ns="$2" 'BEGIN { printf "%.0f", r / (ns / 1e9) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

db="$dir/bench.db"
"$bin" demo --play --db "$db" >/dev/null
t0=$(now_ns)
"$bin" import scdl "$file" --db "$db" --problems-only >"$dir/report.txt" 2>/dev/null
t1=$(now_ns)
octroi_ns=$((t1 - t0))
tail -1 "$dir/report.txt"

t0=$(now_ns)
python3 - "$file" "$dir/copy.csv" <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8", newline="") as f, \
     open(sys.argv[2], "w", encoding="utf-8", newline="") as g:
    w = csv.writer(g)
    for row in csv.reader(f, delimiter=";"):
        w.writerow(row)
PY
t1=$(now_ns)
python_ns=$((t1 - t0))

t0=$(now_ns)
sqlite3 "$dir/baseline.db" ".mode csv" ".separator ;" ".import $file subventions" 2>"$dir/sqlite.err"
t1=$(now_ns)
sqlite_ns=$((t1 - t0))

o=$(rate "$rows" "$octroi_ns"); p=$(rate "$rows" "$python_ns"); s=$(rate "$rows" "$sqlite_ns")
echo "import   $rows rows: octroi $(ms $octroi_ns) ms ($o rows/s)"
echo "         python csv $(ms $python_ns) ms ($p rows/s)   ratio $(ratio "$o" "$p")"
echo "         sqlite .import $(ms $sqlite_ns) ms ($s rows/s)   ratio $(ratio "$o" "$s")"

"$bin" authority edit --siret 23750007900312 --db "$db" >/dev/null

t0=$(now_ns)
"$bin" export scdl --threshold 0 --out "$dir/pub" --db "$db" >/dev/null 2>&1
t1=$(now_ns)
echo "export   $(tail -n +2 "$dir"/pub/*.csv | wc -l) rows of the demonstration in $(ms $((t1 - t0))) ms (process included)"
