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
#   floor    what storing the lines costs SQLite alone: the sqlite3 shell imports the file into a
#            scratch table, then copies its lines into a table made from imported_awards' own
#            schema (its columns, CHECKs, unique key and index), each line keyed by a 256-bit
#            digest of its fields (SQLite's sha3) as octroi keys it by SHA-256, in one
#            transaction with octroi's pragmas (WAL, synchronous FULL, 32 MiB of page cache).
#            octroi cannot beat this floor: it is the database's share of octroi's own work.
#   bare     the same copy into a table of the same columns without any constraint, key or
#            index, no digest computed: what no importer storing its lines in SQLite can beat.
# Each figure is rows per second, with the peak resident memory of the process; the import's is
# checked afterwards (as many awards stored as lines). The SCDL export at scale is
# bench/scdl_export_bench.cc (a million awards of octroi's own).
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

# Runs a command (its output to /dev/null), prints "<nanoseconds> <peak resident KiB>" of it and
# of what it started: Python's getrusage of the children it waited for.
measure() {
  python3 -c '
import resource, subprocess, sys, time
t = time.monotonic_ns()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
t = time.monotonic_ns() - t
if r.returncode:
    sys.exit("failed: " + " ".join(sys.argv[1:]))
print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}
ms() { awk -v n="$1" 'BEGIN { printf "%.0f", n / 1000000 }'; }
rate() { awk -v r="$1" -v ns="$2" 'BEGIN { printf "%.0f", r / (ns / 1e9) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

db="$dir/bench.db"
"$bin" demo --play --db "$db" >/dev/null
read -r octroi_ns octroi_kb < <(measure sh -c \
  "'$bin' import scdl '$file' --db '$db' --problems-only > '$dir/report.txt'")
tail -1 "$dir/report.txt"
test "$(sqlite3 "$db" "SELECT count(*) FROM imported_awards")" = "$rows" \
  || { echo "octroi stored $(sqlite3 "$db" "SELECT count(*) FROM imported_awards") awards for $rows lines" >&2; exit 1; }

cat > "$dir/copy.py" <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8", newline="") as f, \
     open(sys.argv[2], "w", encoding="utf-8", newline="") as g:
    w = csv.writer(g)
    for row in csv.reader(f, delimiter=";"):
        w.writerow(row)
PY
read -r python_ns python_kb < <(measure python3 "$dir/copy.py" "$file" "$dir/copy.csv")
read -r sqlite_ns sqlite_kb < <(measure sqlite3 "$dir/baseline.db" ".mode csv" ".separator ;" \
  ".import $file subventions")

# The floor: imported_awards' schema under another name, in a database of its own.
sqlite3 "$db" ".schema imported_awards" | sed 's/imported_awards/floor_awards/g' \
  | grep -v "^CREATE TRIGGER\|^BEGIN\|^END" > "$dir/floor.sql"
grep -q "UNIQUE (authority_id, import_key)" "$dir/floor.sql" \
  || { echo "imported_awards has no longer its unique key: the floor must follow" >&2; exit 1; }
# The lines copied from the scratch table into TABLE, each keyed by a 256-bit digest of its fields
# (as octroi keys them), or by a constant when the second argument is "unkeyed".
copy_lines() {
  local key="lower(hex(sha3(nomAttribuant || '|' || idAttribuant || '|' || dateConvention || '|' ||
    referenceDecision || '|' || nomBeneficiaire || '|' || idBeneficiaire || '|' || objet || '|' ||
    montant || '|' || nature || '|' || conditionsVersement || '|' || datesPeriodeVersement || '|' ||
    notificationUE || '|' || pourcentageSubvention, 256)))"
  if [ "${2:-}" = unkeyed ]; then key="'$(printf '0%.0s' $(seq 64))'"; fi
  cat <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA cache_size = -32768;
.mode csv
.separator ;
.import $file staging
BEGIN;
INSERT INTO $1 (authority_id, party_id, import_key, grantor, grantor_id, granted_on,
  reference, object, amount_cents, share_bp, part_cents, nature, payment_terms, payment_period,
  regime, source, source_line, imported_at, imported_by, other_fields, beneficiary_name,
  beneficiary_siret)
SELECT 1, 1 + rowid % 10000, $key,
  nomAttribuant, idAttribuant,
  substr(dateConvention, 7, 4) || '-' || substr(dateConvention, 4, 2) || '-' ||
    substr(dateConvention, 1, 2),
  referenceDecision, objet, CAST(replace(replace(montant, ' ', ''), ',', '') AS INTEGER), 10000,
  CAST(replace(replace(montant, ' ', ''), ',', '') AS INTEGER), nature, conditionsVersement,
  datesPeriodeVersement, 'none', 'subventions.csv', rowid + 1, '2026-01-01T00:00:00Z', 'bench',
  '{}', nomBeneficiaire, ''
FROM staging;
COMMIT;
SQL
}
copy_lines floor_awards >> "$dir/floor.sql"
read -r floor_ns floor_kb < <(measure sqlite3 "$dir/floor.db" ".read $dir/floor.sql")
test "$(sqlite3 "$dir/floor.db" "SELECT count(*) FROM floor_awards")" = "$rows" \
  || { echo "the floor stored $(sqlite3 "$dir/floor.db" "SELECT count(*) FROM floor_awards") lines for $rows" >&2; exit 1; }
# The bare floor: the same lines into a table of the same columns without any constraint, key
# or index, and no digest computed (what no importer that stores its lines in SQLite can beat).
{ echo "CREATE TABLE bare_awards AS SELECT * FROM floor_awards WHERE 0;"; copy_lines bare_awards unkeyed; } \
  > "$dir/bare.sql"
sqlite3 "$dir/bare.db" ".read $dir/floor.sql" >/dev/null 2>&1 || true  # the table to copy from
sqlite3 "$dir/bare.db" "DELETE FROM floor_awards; DROP TABLE staging; VACUUM;"
read -r bare_ns bare_kb < <(measure sqlite3 "$dir/bare.db" ".read $dir/bare.sql")
test "$(sqlite3 "$dir/bare.db" "SELECT count(*) FROM bare_awards")" = "$rows" \
  || { echo "the bare floor stored a wrong number of lines" >&2; exit 1; }

o=$(rate "$rows" "$octroi_ns"); p=$(rate "$rows" "$python_ns"); s=$(rate "$rows" "$sqlite_ns")
f=$(rate "$rows" "$floor_ns"); b=$(rate "$rows" "$bare_ns")
echo "import   $rows rows: octroi $(ms "$octroi_ns") ms ($o rows/s), peak $(mib "$octroi_kb") MiB"
echo "         python csv $(ms "$python_ns") ms ($p rows/s)   ratio $(ratio "$o" "$p")"
echo "         sqlite .import $(ms "$sqlite_ns") ms ($s rows/s)   ratio $(ratio "$o" "$s")"
echo "         floor: SQLite storing the same lines under imported_awards' keys $(ms "$floor_ns") ms ($f rows/s)   ratio $(ratio "$o" "$f")"
echo "         bare floor: the same lines into a table without key, index or constraint $(ms "$bare_ns") ms ($b rows/s)   ratio $(ratio "$o" "$b"); python / bare floor $(ratio "$p" "$b")"
echo "         (peak memory is the largest child's so far: python $(mib "$python_kb") MiB,"
echo "          python or sqlite $(mib "$sqlite_kb") MiB)"
