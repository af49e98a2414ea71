// Open data and imports: export scdl, export xlsx, import scdl, import deliberation-text.
#include <stdlib.h>
#include <unistd.h>

#include <cctype>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

#include "adapters/cli/commands/commands.h"
#include "adapters/documents/pdf_converter.h"
#include "adapters/opendata/import_file.h"
#include "adapters/opendata/scdl_csv.h"
#include "adapters/opendata/table_reader.h"
#include "adapters/spreadsheet/xlsx.h"
#include "app/deliberation_import.h"
#include "app/open_data.h"
#include "app/scdl_import.h"
#include "core/french.h"

namespace octroi::cli {
namespace {

// A file written under a name of its own (mkstemp) in a folder, flushed to the disk, then
// renamed; removed when it never was.
class PartialFile {
 public:
  PartialFile() = default;
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;
  ~PartialFile() {
    if (f_) std::fclose(f_);
    if (!path_.empty() && !renamed_) {
      std::error_code ec;
      std::filesystem::remove(path_, ec);
    }
  }

  // (Again when the transaction is run again: the earlier attempt's file is removed.)
  bool open(const std::string& dir) {
    std::error_code ec;
    if (f_) std::fclose(f_);
    f_ = nullptr;
    if (!path_.empty()) std::filesystem::remove(path_, ec);
    std::filesystem::create_directories(dir, ec);
    std::string name = (std::filesystem::path(dir) / ".scdl-XXXXXX").string();
    const int fd = mkstemp(name.data());
    if (fd < 0) return false;
    path_ = name;
    f_ = fdopen(fd, "wb");
    if (!f_) close(fd);
    return f_ != nullptr;
  }
  bool write(std::string_view bytes) {
    return std::fwrite(bytes.data(), 1, bytes.size(), f_) == bytes.size();
  }
  bool finish() {
    const bool flushed = std::fflush(f_) == 0 && fsync(fileno(f_)) == 0;
    const bool closed = std::fclose(f_) == 0;
    f_ = nullptr;
    return flushed && closed;
  }
  bool rename_to(const std::filesystem::path& final_path) {
    std::error_code ec;
    std::filesystem::rename(path_, final_path, ec);
    renamed_ = !ec;
    return renamed_;
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::FILE* f_ = nullptr;
  std::filesystem::path path_;
  bool renamed_ = false;
};

// Hashes and writes a file's pieces on a thread of its own while the next ones are made (the
// SHA-256 of a million rows is a third of a second of work): at most two pieces wait, so the
// memory stays bounded whatever the file's size.
class BackgroundSink {
 public:
  BackgroundSink(HashStream& sha, PartialFile& file)
      : sha_(sha), file_(file), worker_([this] { loop(); }) {}
  BackgroundSink(const BackgroundSink&) = delete;
  BackgroundSink& operator=(const BackgroundSink&) = delete;
  ~BackgroundSink() {
    try {
      finish();
    } catch (...) {  // the export failed already; its own error is the one reported
    }
  }

  // Hands a piece over; gives back an empty one to fill (a piece written before, its memory
  // kept: no fresh pages to fault in for every megabyte).
  std::string push(std::string&& piece) {
    std::unique_lock lock(m_);
    room_.wait(lock, [&] { return queue_.size() < 2; });
    queue_.push_back(std::move(piece));
    ready_.notify_one();
    std::string next;
    if (!spare_.empty()) {
      next = std::move(spare_.back());
      spare_.pop_back();
    }
    next.clear();
    return next;
  }
  // Once every piece is hashed and written: whether each was written (a hashing failure is
  // thrown).
  bool finish() {
    {
      std::lock_guard lock(m_);
      closing_ = true;
    }
    ready_.notify_one();
    if (worker_.joinable()) worker_.join();
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    return written_;
  }

 private:
  void loop() {
    for (;;) {
      std::string piece;
      {
        std::unique_lock lock(m_);
        ready_.wait(lock, [&] { return !queue_.empty() || closing_; });
        if (queue_.empty()) return;
        piece = std::move(queue_.front());
        queue_.pop_front();
      }
      room_.notify_one();
      if (error_) continue;  // drained, so that the producer never waits for nothing
      try {
        sha_.update(piece);
        written_ = file_.write(piece) && written_;
      } catch (...) {
        error_ = std::current_exception();
      }
      std::lock_guard lock(m_);
      if (spare_.size() < 2) spare_.push_back(std::move(piece));
    }
  }

  HashStream& sha_;
  PartialFile& file_;
  std::mutex m_;
  std::condition_variable ready_, room_;
  std::deque<std::string> queue_;
  std::vector<std::string> spare_;  // pieces written, to be filled again
  bool closing_ = false;
  bool written_ = true;       // the worker's until it is joined
  std::exception_ptr error_;  // the same
  std::thread worker_;        // last: started once the rest is ready
};

struct OpenDataCommands : Area {
  using Area::Area;
  std::string scdl_out, scdl_threshold = "23000", scdl_from, scdl_until;
  std::string xlsx_out, xlsx_sheets;
  std::string import_file, import_report;
  bool import_dry_run = false, import_problems_only = false;
  std::string delib_file;
  bool delib_dry_run = false;

  void scdl_command(CLI::App* exp) {
    auto* exp_scdl = exp->add_subcommand(
        "scdl",
        "Données essentielles des conventions de subvention au format SCDL « subventions » 2.1.0 "
        "(décret 2017-779) : AAAAMMJJ_SIREN_subventions.csv");
    add_common(exp_scdl, c);
    exp_scdl->add_option("--out", scdl_out, "Dossier où écrire le fichier")->required();
    exp_scdl->add_option(
        "--threshold", scdl_threshold,
        "Seuil en euros : les aides d'un montant au plus égal ne sont pas publiées "
        "(23000 par défaut, le seuil légal ; 0 pour toutes)");
    exp_scdl->add_option("--from", scdl_from, "Conventions datées à partir du (date)");
    exp_scdl->add_option("--until", scdl_until, "Conventions datées jusqu'au (date)");
    exp_scdl->callback([this] {
      action = [this] {
        auto chosen = scdl_options({scdl_threshold, scdl_from, scdl_until});
        if (!chosen.ok()) return print_refusal(chosen.refusal(), c.json);
        const ScdlOptions& options = chosen.value();
        auto store = open_store();
        // Written as it is made, to a file of its own beside the final one (two exports into
        // one folder never share it), flushed to the disk and renamed once the publication is
        // recorded: a million rows are never held at once, and no half-written file ever bears
        // the final name.
        PartialFile file;
        const auto cannot_write = [&] {
          return Result<ScdlExport>(refuse(
              "scdl.out", "out", "Impossible d'écrire dans le dossier « " + scdl_out + " »."));
        };
        auto made = write(*store, clock, c, [&](Transaction& tx, const Context& ctx) {
          if (auto p = scdl_publishable(tx, ctx.authority); !p.ok())
            return Result<ScdlExport>(p.refusal());
          if (!file.open(scdl_out)) return cannot_write();
          const auto sha = store->hasher().sha256_stream();
          BackgroundSink sink(*sha, file);
          constexpr std::size_t kPiece = 1u << 20;
          std::string chunk = opendata::scdl_csv_header();
          chunk.reserve(kPiece + 4096);
          const auto spill = [&] {
            chunk = sink.push(std::move(chunk));
            chunk.reserve(kPiece + 4096);
          };
          auto e =
              scdl_export_each(tx, ctx.authority, options, clock.today(), [&](const ScdlRow& row) {
                opendata::append_scdl_csv_line(chunk, row);
                if (chunk.size() >= kPiece) spill();
              });
          if (!e.ok()) return e;
          spill();
          if (!sink.finish() || !file.finish()) return cannot_write();
          record_scdl_export(tx, ctx, e.value(), options, sha->finish_hex());
          return e;
        });
        if (!made.ok()) return print_refusal(made.refusal(), c.json);
        const auto path = std::filesystem::path(scdl_out) / made->file_name;
        if (!file.rename_to(path)) {
          std::cerr << "La publication est enregistrée, mais le fichier n'a pas pu être nommé « "
                    << path.string() << " » : il est resté « " << file.path().string() << " ».\n";
          return 2;
        }
        for (const auto& s : made->skipped)
          std::cerr << "non publié : " << s.dossier << " — " << s.reason << "\n";
        std::cerr << made->row_count << " ligne(s) publiée(s).\n";
        std::cout << path.string() << "\n";
        return 0;
      };
    });
  }

  void xlsx_command(CLI::App* exp) {
    auto* exp_xlsx = exp->add_subcommand(
        "xlsx",
        "Classeur .xlsx des listes : dossiers, lignes budgétaires, journal de chaque ligne, "
        "versements, lignes SCDL (montants exacts, formats de nombre et de date)");
    add_common(exp_xlsx, c);
    exp_xlsx->add_option("--out", xlsx_out, "Fichier .xlsx à écrire")->required();
    exp_xlsx->add_option("--sheets", xlsx_sheets,
                         "Feuilles, séparées par des virgules : dossiers, budget, journal, "
                         "payments, scdl (toutes par défaut)");
    exp_xlsx->callback([this] {
      action = [this] {
        std::vector<std::string> what;
        std::stringstream names(xlsx_sheets);
        for (std::string w; std::getline(names, w, ',');)
          if (!w.empty()) what.push_back(w);
        auto store = open_store();
        auto sheets = read(*store, c, [&](Transaction& tx, AuthorityId a) {
          return spreadsheet::authority_sheets(tx, a, what, {}, clock.today());
        });
        if (!sheets.ok()) return print_refusal(sheets.refusal(), c.json);
        auto bytes = spreadsheet::write_xlsx(sheets.value());
        if (!bytes.ok()) return print_refusal(bytes.refusal(), c.json);
        std::ofstream(xlsx_out, std::ios::binary) << bytes.value();
        for (const auto& s : sheets.value())
          std::cerr << s.name << " : " << s.rows.size() << " ligne(s)\n";
        std::cout << xlsx_out << "\n";
        return 0;
      };
    });
  }

  void import_scdl_command(CLI::App* imp) {
    auto* imp_scdl = imp->add_subcommand(
        "scdl",
        "Importe un fichier de subventions (SCDL 2.x ou 1.x, CSV en UTF-8 ou Windows-1252, virgule "
        "ou point-virgule) : les aides d'autres attribuants, rattachées aux tiers (vue 360°, cumul "
        "de minimis). Rapport ligne par ligne ; statut 0 si le fichier a été lu");
    add_common(imp_scdl, c);
    imp_scdl
        ->add_option("file", import_file,
                     "Fichier CSV, TSV ou texte, ou classeur .xlsx, .ods, .xls (première feuille, "
                     "lue par valeur de cellule)")
        ->required();
    imp_scdl->add_flag("--dry-run", import_dry_run, "Lit et rapporte sans rien enregistrer");
    imp_scdl->add_flag("--problems-only", import_problems_only,
                       "N'affiche que les lignes rejetées ou avec avertissements");
    imp_scdl->add_option("--report", import_report,
                         "Écrit le rapport ligne par ligne dans ce fichier, au fil de la lecture "
                         "(le résumé reste affiché)");
    imp_scdl->callback([this] {
      action = [this] {
        std::error_code ec;
        std::ifstream in(import_file, std::ios::binary);
        if (!in || !std::filesystem::is_regular_file(import_file, ec)) {
          std::cerr << "Impossible de lire le fichier « " << import_file << " ».\n";
          return 2;
        }
        const std::string name = std::filesystem::path(import_file).filename().string();
        // A text table is checked, then read again as it is imported, never held (its bytes
        // take a few MiB whatever its size; the lines seen, 32 to 48 bytes each); a workbook is
        // read whole (its size is bounded by the workbook reader's limits).
        auto table = opendata::open_import_file(import_file, name);
        if (!table.ok()) return print_refusal(table.refusal(), c.json);
        // The report goes to --report's file, written as the lines are read, or to stdout.
        std::ofstream report_file;
        if (!import_report.empty()) {
          report_file.open(import_report, std::ios::binary | std::ios::trunc);
          if (!report_file) {
            std::cerr << "Impossible d'écrire le rapport « " << import_report << " ».\n";
            return 2;
          }
        }
        std::ostream& out = import_report.empty() ? std::cout : report_file;
        ImportOptions options;
        options.dry_run = import_dry_run;
        options.progress = [](std::size_t done, std::size_t all) {
          std::cerr << "\r" << done << " / " << all << " lignes lues" << std::flush;
          if (done == all) std::cerr << "\n";
        };
        // The report is written as the lines are read.
        options.on_start = [this, &out](const ImportReport& r) {
          if (c.json) {
            out << json::json_import_head(r);
            return;
          }
          // A workbook has no separator (delimiter '\0'): its cells are read as they are.
          out << "Fichier : " << r.source << " (" << r.encoding
              << (r.delimiter == '\0'   ? std::string()
                  : r.delimiter == '\t' ? std::string(", séparateur « tabulation »")
                                        : ", séparateur « " + std::string(1, r.delimiter) + " »")
              << ")" << (r.dry_run ? " — essai, rien n'est enregistré" : "") << "\n";
          if (r.header_line > 1)
            out << "en-tête à la ligne " << r.header_line << " (les lignes au-dessus sont "
                << "un titre)\n";
          for (const auto& col : r.columns_kept)
            out << "colonne conservée telle quelle : " << col << "\n";
        };
        options.on_line = [this, &out](const LineReport& l) {
          if (import_problems_only && l.outcome == LineOutcome::Accepted) return;
          if (c.json) {
            out << json::json_import_line(l);
            return;
          }
          out << "ligne " << l.line << " : " << french(l.outcome) << " — " << l.beneficiary
              << (l.amount.empty() ? "" : ", " + l.amount) << "\n";
          for (const auto& n : l.notes)
            out << "    " << (n.column.empty() ? std::string() : n.column + " : ") << n.message
                << "\n";
        };
        auto store = open_store();
        auto tx = store->begin(TxMode::Write);
        auto a = resolve_authority(*tx, c.authority);
        if (!a.ok()) return print_refusal(a.refusal(), c.json);
        const Context ctx{a->id, actor(), &clock};
        auto imported = import_scdl(*tx, ctx, store->hasher(), table.value(), options);
        if (!imported.ok()) return print_refusal(imported.refusal(), c.json);
        if (!import_dry_run) tx->commit();  // a dry run is rolled back with the transaction
        const ImportReport& r = imported.value();
        if (c.json) {
          out << json::json_import_tail(r);
          if (!import_report.empty()) std::cout << json::json_import_tail(r);
          return 0;
        }
        out << import_summary(r) << "\n";
        if (!import_report.empty()) std::cout << import_summary(r) << "\n";
        return 0;
      };
    });
  }

  void deliberation_command(CLI::App* imp) {
    auto* imp_delib = imp->add_subcommand(
        "deliberation-text",
        "Reprend les fiches projets d'une délibération (texte extrait de son PDF, pdftotext) : "
        "dossiers marqués comme importés, avec un rapport de ce qui a été reconnu ou non");
    add_common(imp_delib, c);
    imp_delib->add_option("file", delib_file, "Fichier texte (UTF-8)")->required();
    imp_delib->add_flag("--dry-run", delib_dry_run, "Lit et rapporte sans rien enregistrer");
    imp_delib->callback([this] {
      action = [this] {
        std::error_code ec;
        std::ifstream in(delib_file, std::ios::binary);
        if (!in || !std::filesystem::is_regular_file(delib_file, ec)) {
          std::cerr << "Impossible de lire le fichier « " << delib_file << " ».\n";
          return 2;
        }
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        auto store = open_store();
        auto tx = store->begin(TxMode::Write);
        auto a = resolve_authority(*tx, c.authority);
        if (!a.ok()) return print_refusal(a.refusal(), c.json);
        const Context ctx{a->id, actor(), &clock};
        auto done = import_deliberation_text(
            *tx, ctx, text, std::filesystem::path(delib_file).filename().string(), delib_dry_run);
        if (!done.ok()) return print_refusal(done.refusal(), c.json);
        if (!delib_dry_run) tx->commit();
        int imported = 0;
        for (const auto& r : done->sheets) {
          const auto& sh = r.sheet;
          const char* verdict = r.outcome == SheetOutcome::Imported         ? "importé"
                                : r.outcome == SheetOutcome::AlreadyPresent ? "déjà présent"
                                                                            : "non importé";
          imported += r.outcome == SheetOutcome::Imported;
          std::cout << sh.number << " (ligne " << sh.line << ") : " << verdict << " — "
                    << sh.organisation << "\n";
          std::cout << "    dispositif " << sh.scheme_number << ", imputation " << sh.imputation
                    << ", action " << sh.action_code << ", montant "
                    << (sh.amount ? fr::euros(*sh.amount) : std::string("?")) << "\n";
          std::cout << "    " << sh.expenses.size() << " dépense(s), " << sh.resources.size()
                    << " recette(s) ; dates " << (sh.start ? fr::date_long(*sh.start) : "?")
                    << " - " << (sh.end ? fr::date_long(*sh.end) : "?") << "\n";
          for (const auto& n : r.notes)
            std::cout << "    " << n << "\n";
        }
        std::cout << done->sheets.size() << " fiche(s) lue(s), " << imported << " dossier(s) "
                  << (delib_dry_run ? "importable(s) — essai, rien n'est enregistré" : "importé(s)")
                  << ".\n";
        return 0;
      };
    });
  }
};

}  // namespace

void add_open_data_commands(CLI::App& app, Env& env) {
  auto& area = env.keep<OpenDataCommands>(env);
  auto* exp = app.add_subcommand("export", "Publication des données (open data)");
  exp->require_subcommand(1);
  area.scdl_command(exp);
  area.xlsx_command(exp);

  auto* imp = app.add_subcommand("import", "Reprise de données (fichiers de subventions)");
  imp->require_subcommand(1);
  area.import_scdl_command(imp);
  area.deliberation_command(imp);
}

}  // namespace octroi::cli
