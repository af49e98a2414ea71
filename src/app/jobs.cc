#include "app/jobs.h"

#include <cctype>
#include <charconv>
#include <exception>
#include <optional>
#include <sstream>
#include <utility>

#include "app/audit_json.h"

namespace octroi {
namespace {

// A document job's request, one line per field, tab-separated: "documents\t<format>\t<zip>",
// then per document "<template name>\t<report>\t<number>\t<file>". The values are identifiers
// octroi checked (numbers, file names): they hold no tab nor newline, which submit refuses.
const char* format_name(DocumentFormat f) {
  switch (f) {
    case DocumentFormat::Odt:
      return "odt";
    case DocumentFormat::Pdf:
      return "pdf";
    case DocumentFormat::Zip:
      return "zip";
  }
  return "zip";
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == sep)
      out.emplace_back();
    else
      out.back() += c;
  }
  return out;
}

struct DocumentJob {
  DocumentFormat format = DocumentFormat::Zip;
  std::string zip_name;
  std::vector<DocumentRequest> wanted;
};

std::string encode(const DocumentJob& j) {
  std::string out = std::string("documents\t") + format_name(j.format) + "\t" + j.zip_name + "\n";
  for (const auto& d : j.wanted)
    out += std::string(template_name(d.kind)) + "\t" + d.report + "\t" + d.number + "\t" + d.file +
           "\n";
  return out;
}

std::optional<DocumentJob> decode(const std::string& request) {
  std::istringstream in(request);
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  const auto head = split(line, '\t');
  if (head.size() != 3 || head[0] != "documents") return std::nullopt;
  DocumentJob j;
  if (head[1] == "odt")
    j.format = DocumentFormat::Odt;
  else if (head[1] == "pdf")
    j.format = DocumentFormat::Pdf;
  else if (head[1] == "zip")
    j.format = DocumentFormat::Zip;
  else
    return std::nullopt;
  j.zip_name = head[2];
  while (std::getline(in, line)) {
    const auto f = split(line, '\t');
    const auto kind = f.size() == 4 ? parse_template_name(f[0]) : std::nullopt;
    if (!kind) return std::nullopt;
    j.wanted.push_back({*kind, f[1], f[2], f[3]});
  }
  if (j.wanted.empty()) return std::nullopt;
  return j;
}

bool clean(const std::string& s) {
  return s.find_first_of("\t\n\r") == std::string::npos;
}

// An export job's request: "export", then one "key\tvalue" line per option.
std::string encode_export(const ExportRequest& r) {
  std::string out = "export\n";
  for (const auto& [k, v] : r)
    out += k + "\t" + v + "\n";
  return out;
}

std::optional<ExportRequest> decode_export(const std::string& request) {
  std::istringstream in(request);
  std::string line;
  if (!std::getline(in, line) || line != "export") return std::nullopt;
  ExportRequest out;
  while (std::getline(in, line)) {
    const auto f = split(line, '\t');
    if (f.size() != 2) return std::nullopt;
    out[f[0]] = f[1];
  }
  return out;
}

// An import job's request: "import", the trial flag (0 or 1), the file's name; tab-separated.
std::string encode_import(const ImportJobRequest& r) {
  return std::string("import\t") + (r.dry_run ? "1" : "0") + "\t" + r.file_name;
}

std::optional<ImportJobRequest> decode_import(const std::string& request) {
  const auto f = split(request, '\t');
  if (f.size() != 3 || f[0] != "import" || (f[1] != "0" && f[1] != "1")) return std::nullopt;
  return ImportJobRequest{f[2], "", f[1] == "1"};
}

// The types an import reads (adapters/opendata): text tables and spreadsheets.
bool importable_name(const std::string& name) {
  const auto dot = name.rfind('.');
  if (dot == std::string::npos) return false;
  std::string ext = name.substr(dot + 1);
  for (auto& ch : ext)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return ext == "csv" || ext == "tsv" || ext == "txt" || ext == "xlsx" || ext == "xls" ||
         ext == "ods";
}

Refusal unknown_job(const std::string& id) {
  return refuse("job.unknown", "job", "Aucun travail n° " + id + " à votre nom.");
}

std::optional<std::int64_t> parse_id(const std::string& s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

std::string content_type(const std::string& name) {
  auto ends = [&](const char* ext) {
    const std::string e(ext);
    return name.size() >= e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".pdf")) return "application/pdf";
  if (ends(".zip")) return "application/zip";
  return "application/vnd.oasis.opendocument.text";
}

// A queued job of `ctx`'s actor, recorded in the audit trail ("job.submit").
JobRecord insert_job(Transaction& tx, const Context& ctx, const std::string& kind,
                     const std::string& title, std::string request, std::int64_t steps,
                     const std::string& input = "") {
  JobRecord j;
  j.input = input;
  j.authority = ctx.authority;
  j.owner = ctx.actor;
  j.kind = kind;
  j.title = title;
  j.request = std::move(request);
  j.steps_total = steps;
  j.stage = "En attente d'un poste de travail";
  j.created_at = ctx.clock->now();
  j.id = tx.jobs().insert_job(j);
  j.input.clear();
  record_audit(tx, ctx,
               {.action = "job.submit",
                .entity = "job",
                .key = std::to_string(j.id),
                .after = title,
                .at = j.created_at});
  return j;
}

// One small write of the worker's (claim, progress, end), committed at once.
template <class F>
void worker_write(Store& store, F&& f) {
  store.write([&](Transaction& tx) {
    f(tx);
    return true;
  });
}

}  // namespace

std::string_view french(JobState s) {
  return kJobStateNames.label(s);
}

std::string_view job_state_name(JobState s) {
  return kJobStateNames.code(s);
}

Result<JobRecord> submit_document_job(Transaction& tx, const Context& ctx,
                                      const std::vector<DocumentRequest>& wanted,
                                      DocumentFormat format, const std::string& zip_name,
                                      const std::string& title) {
  if (wanted.empty()) return refuse("job.request", "documents", "Aucun document à produire.");
  if (wanted.size() > 1 && format != DocumentFormat::Zip)
    return refuse("job.request", "format", "Plusieurs documents se livrent dans une archive .zip.");
  bool ok = clean(zip_name) && clean(title);
  for (const auto& d : wanted)
    ok = ok && clean(d.report) && clean(d.number) && clean(d.file);
  if (!ok)
    return refuse("job.request", "documents",
                  "Un nom de document contient une tabulation ou un saut de ligne.");
  return insert_job(tx, ctx, "documents", title, encode({format, zip_name, wanted}),
                    static_cast<std::int64_t>(wanted.size()) + 1);
}

Result<JobRecord> submit_export_job(Transaction& tx, const Context& ctx,
                                    const ExportRequest& request, const std::string& title) {
  bool ok = clean(title);
  for (const auto& [k, v] : request)
    ok = ok && clean(k) && clean(v) && !k.empty();
  if (!ok)
    return refuse("job.request", "export",
                  "Une option de l'export contient une tabulation ou un saut de ligne.");
  return insert_job(tx, ctx, "export", title, encode_export(request), 1);
}

Result<JobRecord> submit_import_job(Transaction& tx, const Context& ctx,
                                    const ImportJobRequest& r) {
  if (r.bytes.empty()) return refuse("job.request", "file", "Le fichier à importer est vide.");
  if (r.bytes.size() > kImportMaxBytes)
    return refuse("job.request", "file",
                  "Le fichier à importer dépasse 32 Mio : découpez-le en plusieurs fichiers.");
  if (r.file_name.empty() || r.file_name.size() > 255 || !clean(r.file_name) ||
      !importable_name(r.file_name))
    return refuse("job.request", "file",
                  "Nom de fichier « " + r.file_name +
                      " » : un fichier .csv, .tsv, .txt, .xlsx, .xls ou .ods est attendu.");
  JobRecord j = insert_job(
      tx, ctx, "import", std::string(r.dry_run ? "Essai d'import de " : "Import de ") + r.file_name,
      encode_import(r), 2, r.bytes);
  return j;
}

Result<JobRecord> job_of(Transaction& tx, const Context& ctx, const std::string& id) {
  const auto n = parse_id(id);
  if (!n) return unknown_job(id);
  auto j = tx.jobs().find_job(ctx.authority, *n);
  if (!j || j->owner != ctx.actor) return unknown_job(id);
  return *j;
}

Result<JobFile> job_file(Transaction& tx, const Context& ctx, const std::string& id) {
  auto j = job_of(tx, ctx, id);
  if (!j.ok()) return j.refusal();
  if (j->state != JobState::Done)
    return refuse("job.not_done", "job",
                  "Le travail n° " + id + " est " + std::string(french(j->state)) +
                      " : son fichier n'est pas prêt.");
  return JobFile{j->result_name, j->result_type, tx.jobs().job_result(ctx.authority, j->id), ""};
}

std::vector<JobRecord> my_jobs(Transaction& tx, const Context& ctx) {
  return tx.jobs().list_jobs(ctx.authority, ctx.actor, 50);
}

JobRun run_next_job(Store& store, Clock& clock, const std::string& runner, JobTools& tools) {
  JobRun out;
  std::optional<JobRecord> job;
  worker_write(store, [&](Transaction& tx) {
    const Instant now = clock.now();
    tx.jobs().fail_abandoned_jobs(now.plus_seconds(-kJobAbandonedSeconds),
                                  "Le serveur qui exécutait ce travail s'est arrêté : "
                                  "relancez-le.",
                                  now);
    tx.jobs().purge_jobs(now.plus_seconds(-kJobKeptSeconds));
    job = tx.jobs().claim_job(runner, now);
  });
  if (!job) return out;
  out.ran = true;
  out.id = job->id;
  auto fail = [&](const std::string& why) {
    worker_write(store, [&](Transaction& tx) { tx.jobs().fail_job(job->id, why, clock.now()); });
  };
  auto finish = [&](const JobFile& file) {
    if (file.bytes.size() > kJobMaxResultBytes) {
      out.detail = "result of " + std::to_string(file.bytes.size()) + " bytes";
      fail("Le fichier produit dépasse 100 Mio : demandez-en moins à la fois.");
      return out;
    }
    worker_write(store, [&](Transaction& tx) {
      tx.jobs().finish_job(job->id, file.name, file.type, file.bytes, file.summary, clock.now());
    });
    out.done = true;
    return out;
  };
  // A request the worker cannot read (or a kind this process cannot make): failed in words.
  auto unreadable = [&](const std::string& detail) {
    out.detail = detail;
    fail("Ce travail est illisible : demandez-le de nouveau.");
    return out;
  };
  // The file an adapter made (an export, an import's report), or its refusal told in words.
  auto deliver = [&](const Result<JobFile>& file) {
    if (file.ok()) return finish(file.value());
    out.detail = file.refusal().describe();
    fail(file.refusal().describe());
    return out;
  };
  const Context ctx{job->authority, job->owner, &clock};
  try {
    if (job->kind == "import") {
      auto request = decode_import(job->request);
      if (!request || !tools.imports)
        return unreadable(request ? "no import maker in this process" : "malformed request");
      request->bytes =
          run_read(store, [&](Transaction& tx) { return tx.jobs().job_input(job->id); });
      worker_write(store, [&](Transaction& tx) {
        tx.jobs().job_progress(job->id, 1, 2, "Lecture et import des lignes", clock.now());
      });
      return deliver(tools.imports->make(store, ctx, *request));
    }
    if (job->kind == "export") {
      const auto request = decode_export(job->request);
      if (!request || !tools.exports)
        return unreadable(request ? "no export maker in this process" : "malformed request");
      worker_write(store, [&](Transaction& tx) {
        tx.jobs().job_progress(job->id, 0, 1, "Préparation du fichier", clock.now());
      });
      return deliver(tools.exports->make(store, ctx, *request));
    }
    const auto request = decode(job->request);
    if (!request) return unreadable("malformed request");
    const auto total = static_cast<std::int64_t>(request->wanted.size()) + 1;
    worker_write(store, [&](Transaction& tx) {
      tx.jobs().job_progress(job->id, 0, total, "Génération des documents", clock.now());
    });
    auto made = run_write(store, [&](Transaction& tx) {
      return generate_documents(tx, ctx, tools.engine, tools.hasher, request->wanted);
    });
    if (!made.ok()) {
      out.detail = made.refusal().describe();
      fail(made.refusal().describe());
      return out;
    }
    worker_write(store, [&](Transaction& tx) {
      tx.jobs().job_progress(
          job->id, total - 1, total,
          request->format == DocumentFormat::Odt ? "Assemblage" : "Conversion en PDF", clock.now());
    });
    auto files =
        deliver_documents(made.value(), request->format, tools.converter, request->zip_name);
    if (!files.ok()) {
      // The converter's message may name temporary paths and LibreOffice's output: it goes to
      // the log, the user reads what happened in words.
      out.detail = files.refusal().describe();
      fail(
          "Les documents ont été générés (et inscrits au journal d'audit) mais leur conversion "
          "en PDF a échoué : réessayez, ou téléchargez-les en .odt.");
      return out;
    }
    const DocumentFile& file = files->front();
    return finish({file.name, content_type(file.name), file.bytes, ""});
  } catch (const std::exception& e) {
    out.detail = e.what();
    try {
      fail("Le travail a échoué sur une erreur interne : réessayez.");
    } catch (...) {
      // The store failed again: the job stays running until it is found abandoned.
    }
    throw;
  }
}

}  // namespace octroi
