// Long work off the request path (issue 15): a request that would take seconds (a document
// batch converted by LibreOffice, an export, an import) submits a job and answers at once; a worker
// of any server on the database claims it, runs it and stores its file; the job's page shows the
// progress and offers the file when done. Jobs are in the database (app/ports/jobs.h), so that
// several server processes on one PostgreSQL share them.
//
// A job is seen only by whoever asked for it (its authority and its owner, the actor), and
// refused as unknown ("job.unknown", 404) to anyone else.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/document_batch.h"
#include "app/documents.h"
#include "app/ports/jobs.h"
#include "core/result.h"

namespace octroi {

// A job's file: its name, its media type, its bytes, and what the job says of it in a sentence
// (French, shown on the job's page once done; may be empty).
struct JobFile {
  std::string name, type, bytes;
  std::string summary;
};

// What the pages and the API say of a state: "en attente", "en cours", "terminé", "échoué".
std::string_view french(JobState s);
std::string_view job_state_name(JobState s);  // "queued", "running", "done", "failed"

// Submits the batch `wanted` to be generated and delivered as `format` (Zip for several
// documents; Odt or Pdf for one), named `zip_name` (Zip) and shown as `title`. Refuses an empty
// batch or several documents in another format than Zip ("job.request"). Nothing is generated
// yet: the worker does it (and audits each document then).
Result<JobRecord> submit_document_job(Transaction& tx, const Context& ctx,
                                      const std::vector<DocumentRequest>& wanted,
                                      DocumentFormat format, const std::string& zip_name,
                                      const std::string& title);

// The job `id` (as typed in a path) of `ctx`'s actor in its authority, without its file;
// "job.unknown" otherwise.
Result<JobRecord> job_of(Transaction& tx, const Context& ctx, const std::string& id);
// The file of a done job: "job.not_done" (409) while it is queued or running or if it failed.
Result<JobFile> job_file(Transaction& tx, const Context& ctx, const std::string& id);
// The actor's newest jobs (at most 50), without their files.
std::vector<JobRecord> my_jobs(Transaction& tx, const Context& ctx);

// The request of an export job: what to make ("what": scdl, dossiers, budget, conventions) and
// its options as the page's query gave them (seuil, du, au, the search's filters).
using ExportRequest = std::map<std::string, std::string>;

// Submits an export (made by an adapter: the SCDL CSV, the workbooks), shown as `title`.
// Refuses a key or value holding a tab or a newline ("job.request").
Result<JobRecord> submit_export_job(Transaction& tx, const Context& ctx,
                                    const ExportRequest& request, const std::string& title);

// Makes the file of an export job, for `ctx` (its authority and actor, who asked for it);
// implemented by the adapters that know the formats (adapters/http/exports.h).
class ExportMaker {
 public:
  virtual ~ExportMaker() = default;
  virtual Result<JobFile> make(Store& store, const Context& ctx, const ExportRequest& request) = 0;
};

// An import of a subsidy file uploaded by a user (a page or the API): its name as uploaded, its
// bytes, and whether it is a trial (read and reported, nothing kept).
struct ImportJobRequest {
  std::string file_name, bytes;
  bool dry_run = false;
};

// The largest file an import job takes.
inline constexpr std::size_t kImportMaxBytes = 32u << 20;

// Submits the import of `r`: the file waits in the job until a worker reads and imports it (the
// job's file is then the line-by-line report). Refuses ("job.request", field "file") an empty
// file, one above 32 MiB, and a name without one of the types octroi reads (.csv, .tsv, .txt,
// .xlsx, .xls, .ods) or holding a tab or a newline.
Result<JobRecord> submit_import_job(Transaction& tx, const Context& ctx, const ImportJobRequest& r);

// Reads and imports the file of an import job for `ctx` (who asked for it); its JobFile is the
// report, its summary the counts. Implemented by the adapters that read the formats
// (adapters/http/imports.h).
class ImportMaker {
 public:
  virtual ~ImportMaker() = default;
  virtual Result<JobFile> make(Store& store, const Context& ctx, const ImportJobRequest& r) = 0;
};

// What a worker needs to run a job.
struct JobTools {
  DocumentEngine& engine;
  DocumentConverter& converter;
  Hasher& hasher;
  ExportMaker* exports = nullptr;  // export jobs fail without it
  ImportMaker* imports = nullptr;  // import jobs fail without it
};

struct JobRun {
  bool ran = false;     // a job was claimed (false: the queue was empty)
  std::int64_t id = 0;  // its id
  bool done = false;    // it finished (false: it failed)
  std::string detail;   // for the server's log, never shown to users (a tool's output)
};

// A job still "running" without a sign of life for this long was abandoned (its process died).
inline constexpr std::int64_t kJobAbandonedSeconds = 15 * 60;
// Finished jobs and their files are kept this long, then deleted.
inline constexpr std::int64_t kJobKeptSeconds = 7 * 24 * 3600;
// A job's file may not exceed this (the job fails rather than store more).
inline constexpr std::size_t kJobMaxResultBytes = 100u << 20;

// Claims the oldest queued job of the store (any authority), runs it in its own transactions
// (the claim, the audited generation, the progress, the result: each committed as it happens)
// and records how it ended. Marks failed the jobs abandoned by a dead worker and deletes the
// old finished ones first. Throws what the store throws (after marking the job failed when it
// can).
JobRun run_next_job(Store& store, Clock& clock, const std::string& runner, JobTools& tools);

}  // namespace octroi
