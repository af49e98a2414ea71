// SCDL export benchmark (issue 8), recorded, never asserted (bench/RESULTS.md):
//
//   build/release/bench/octroi_scdl_export_bench [ROWS] [DIR] [OCTROI]   (ROWS: 1000000 by default;
//   OCTROI: the octroi binary, by default the one beside bench/)
//
// A SQLite database holding ROWS awards of octroi's own (inserted through the Transaction port,
// in one transaction: the setup, timed apart), then:
//   octroi   `octroi export scdl --threshold 0`, a process of its own (the awards read in the
//            file's order along an index, their details 500 at a time by bulk queries, each row
//            written as it is made, hashed and written on a second thread), its peak memory;
//   baselines SQLite's own CSV output of the same awards (`sqlite3 -csv`), run by this program
//            on the same database, twice:
//     columns  the file's 16 columns, each from where octroi reads it (the authority, the
//              dossier, its party, its scheme, its agreement), in the file's order (by the day the
//              row is dated, then dossier): the "sqlite3 -csv of the same columns";
//     reading  six of the award's columns from two tables, in no order (the first baseline,
//              2026-11-26): a floor on reading the awards at all, not the file.
// Each figure is rows per second; each ratio is octroi's over the baseline's.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <sys/resource.h>

#include "adapters/opendata/scdl_csv.h"
#include "adapters/store/open_store.h"
#include "app/context.h"
#include "app/open_data.h"
#include "app/ports/applications.h"
#include "app/use_cases.h"

namespace {

class BenchClock : public octroi::Clock {
 public:
  octroi::Instant now() override { return *octroi::Instant::parse("2023-03-01T09:00:00Z"); }
};

template <class T>
T need(octroi::Result<T> r, const char* what) {
  if (!r.ok()) {
    std::cerr << what << ": " << r.refusal().describe() << "\n";
    std::exit(1);
  }
  return std::move(r).value();
}

// The largest peak resident memory of the children waited for so far, in KiB.
long children_max_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  return u.ru_maxrss;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  const long rows = argc > 1 ? std::atol(argv[1]) : 1000000;
  if (rows < 1 || rows > 999999 + 1) {
    std::cerr << "ROWS: 1 to 1000000\n";
    return 2;
  }
  namespace fs = std::filesystem;
  const fs::path dir =
      argc > 2 ? fs::path(argv[2]) : fs::temp_directory_path() / "octroi-scdl-bench";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string db = (dir / "bench.db").string();
  auto store = octroi::stores::open(db, octroi::stores::OpenMode::Create);
  BenchClock clock;

  const auto t_setup = std::chrono::steady_clock::now();
  octroi::AuthorityId authority;
  need(octroi::run_write(
           *store,
           [&](octroi::Transaction& tx) -> octroi::Result<int> {
             octroi::AuthorityInput ai{"bench", "Région de Test", "23750007900312", "", ""};
             const auto a = need(octroi::create_authority(tx, "bench", clock, ai), "authority");
             authority = a.id;
             const octroi::Context ctx{a.id, "bench", &clock};
             octroi::SchemeInput s;
             s.number = "00000001";
             s.name = "Dispositif de test";
             s.budget_imputation = "936-632-657341-163003-400";
             s.budget_action = "16300302 - Test";
             s.rule.rate_percent = "50";
             need(octroi::create_scheme(tx, ctx, s), "scheme");
             octroi::PartyInput p;
             p.legal_name = "Association de test";
             const auto party = need(octroi::register_party(tx, ctx, p), "party");
             octroi::ApplicationInput in;
             in.number = "EX000000";
             in.scheme_number = s.number;
             in.party_id = party.party.id.value;
             in.title = "Projet de test";
             in.start = "2023-01-01";
             in.end = "2023-12-31";
             in.reference_year = "2023";
             in.expenses = {{"Dépenses", "10000.00", true}};
             in.resources = {{"Région", "5000.00", "authority", ""},
                             {"Autofinancement", "5000.00", "self_funding", ""}};
             auto model = need(octroi::create_application(tx, ctx, in), "application");
             // The model is the first award, the others copy it under the next numbers.
             model.restore_state(octroi::ApplicationState::Awarded);
             model.award = octroi::Award{octroi::Money::from_cents(100000),
                                         octroi::Date(2023, 1, 25), "CP 2023-040"};
             tx.applications().update_application(model);
             for (long i = 1; i < rows; ++i) {
               octroi::Application app = model;
               char number[32];
               std::snprintf(number, sizeof number, "EX%06ld", i);
               app.number = number;
               app.restore_state(octroi::ApplicationState::Awarded);
               app.award = octroi::Award{octroi::Money::from_cents(100000 + (i * 7919) % 10000000),
                                         octroi::Date(2023, 1, 25), "CP 2023-040"};
               tx.applications().insert_application(app);
             }
             return 0;
           }),
       "setup");
  std::cout << "setup    " << rows << " awards inserted in " << seconds_since(t_setup) << " s\n";

  // octroi: the command a user runs (`octroi export scdl`), a process of its own, so that its
  // peak memory is its own (getrusage of the children, read after it and before the baseline).
  const fs::path octroi_bin =
      argc > 3 ? fs::path(argv[3])
               : fs::absolute(fs::path(argv[0])).parent_path().parent_path() / "octroi";
  const fs::path out = dir / "publication";
  const auto t0 = std::chrono::steady_clock::now();
  const std::string export_cmd = "'" + octroi_bin.string() + "' export scdl --threshold 0 --out '" +
                                 out.string() + "' --db '" + db + "' > /dev/null 2>&1";
  if (std::system(export_cmd.c_str()) != 0) {
    std::cerr << "octroi export scdl failed: " << export_cmd << "\n";
    return 1;
  }
  const double octroi_s = seconds_since(t0);
  const long octroi_kb = children_max_rss_kb();
  long exported_rows = -1;  // the header is not a row
  for (const auto& f : fs::directory_iterator(out)) {
    std::ifstream in(f.path(), std::ios::binary);
    for (std::string line; std::getline(in, line);)
      ++exported_rows;
  }
  if (exported_rows != rows) {
    std::cerr << "the file has " << exported_rows << " rows for " << rows << " awards\n";
    return 1;
  }

  // Runs `sqlite3 -csv` on a SELECT into a file of the directory: seconds, or -1.
  const auto sqlite_csv = [&](const std::string& select, const std::string& name) {
    const auto t = std::chrono::steady_clock::now();
    const std::string cmd =
        "sqlite3 -csv '" + db + "' \"" + select + "\" > '" + (dir / name).string() + "'";
    if (std::system(cmd.c_str()) != 0) return -1.0;
    return seconds_since(t);
  };
  const double columns_s = sqlite_csv(
      "SELECT au.name, au.siret, a.published_on, a.award_deliberation, p.legal_name, p.siret, "
      "p.rna, a.title, a.awarded_cents / 100.0, 'aide en numéraire', s.name, "
      "g.eligibility_start || '/' || g.eligibility_end, '', "
      "CASE WHEN a.aid_regime = 'none' THEN 'non' ELSE 'oui' END, '1.00', '' "
      "FROM applications a JOIN authorities au ON au.id = a.authority_id "
      "JOIN parties p ON p.id = a.party_id JOIN aid_schemes s ON s.id = a.scheme_id "
      "LEFT JOIN agreements g ON g.application_id = a.id "
      "WHERE a.published_on IS NOT NULL ORDER BY a.published_on, a.number",
      "columns.csv");
  const double reading_s = sqlite_csv(
      "SELECT a.number, a.title, a.awarded_cents / 100.0, a.award_date, a.award_deliberation, "
      "p.legal_name FROM applications a JOIN parties p ON p.id = a.party_id "
      "WHERE a.state = 'awarded'",
      "reading.csv");
  if (columns_s < 0 || reading_s < 0) {
    std::cerr << "sqlite3 failed\n";
    return 1;
  }
  const long both_kb = children_max_rss_kb();
  const double octroi_rate = static_cast<double>(exported_rows) / octroi_s;
  const double columns_rate = static_cast<double>(rows) / columns_s;
  const double reading_rate = static_cast<double>(rows) / reading_s;
  std::cout << "export   " << exported_rows << " rows: octroi export scdl " << octroi_s << " s ("
            << static_cast<long>(octroi_rate) << " rows/s, process included), peak memory "
            << octroi_kb / 1024 << " MiB\n"
            << "         sqlite3 -csv, the file's 16 columns in its order " << columns_s << " s ("
            << static_cast<long>(columns_rate) << " rows/s)   ratio " << octroi_rate / columns_rate
            << "\n"
            << "         sqlite3 -csv, 6 columns of two tables in no order " << reading_s << " s ("
            << static_cast<long>(reading_rate) << " rows/s)   ratio " << octroi_rate / reading_rate
            << "\n"
            << "         peak memory of the three " << both_kb / 1024 << " MiB\n";
  if (!std::getenv("OCTROI_BENCH_KEEP")) fs::remove_all(dir);  // kept to look into
  return 0;
}
