// Jobs: long work (document batches, exports, imports) run by the servers' workers rather than
// inside a request (table jobs, migrations 0008, 0010). Part of the Transaction port (app/ports.h):
// reached as tx.jobs(); the same thread-safety and failure contract (StoreError) as every port of a
// transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_names.h"
#include "core/instant.h"
#include "domain/ids.h"

namespace octroi {

enum class JobState { Queued, Running, Done, Failed };
// Stored codes and French words: "queued" (en attente), "running" (en cours), "done" (terminé),
// "failed" (échoué).
inline constexpr auto kJobStateNames = name_table<JobState>({
    {JobState::Queued, "queued", "en attente"},
    {JobState::Running, "running", "en cours"},
    {JobState::Done, "done", "terminé"},
    {JobState::Failed, "failed", "échoué"},
});

struct JobRecord {
  std::int64_t id = 0;
  AuthorityId authority;
  std::string owner;    // the actor who asked for it: "web:chef", "api:export"
  std::string kind;     // "documents"
  std::string title;    // French, shown: "Documents du rapport CP 2023-040 (.zip)"
  std::string request;  // what to do, as the kind's use case wrote it (app/jobs.cc)
  JobState state = JobState::Queued;
  std::int64_t steps_done = 0, steps_total = 0;
  std::string stage;                     // French: "Conversion en PDF"
  std::string failure;                   // French reason, when failed
  std::string result_name, result_type;  // when done: "deliberation.pdf", "application/pdf"
  std::string result;                    // the file's bytes; read by job_result only
  std::string runner;                    // the process that claimed it
  std::string input;  // the uploaded file an import waits with; written by insert_job only
  Instant created_at;
  std::optional<Instant> started_at, heartbeat_at, finished_at;
};

class JobsPort {
 public:
  virtual ~JobsPort() = default;

  // Stores the job, queued, with its input if it has one.
  virtual std::int64_t insert_job(const JobRecord& j) = 0;
  // The input a job waits with (empty if none, or once the job has ended).
  virtual std::string job_input(std::int64_t id) = 0;
  // The job without its result's bytes (result empty), if it belongs to `a`.
  virtual std::optional<JobRecord> find_job(AuthorityId a, std::int64_t id) = 0;
  // The bytes of a done job's file (empty if none).
  virtual std::string job_result(AuthorityId a, std::int64_t id) = 0;
  // The newest jobs of `owner` in `a`, without their bytes.
  virtual std::vector<JobRecord> list_jobs(AuthorityId a, const std::string& owner, int limit) = 0;
  // Marks the oldest queued job running for `runner` and returns it (with its request), or
  // nullopt when none is queued. Safe when several processes claim at once: each job is
  // claimed by one.
  virtual std::optional<JobRecord> claim_job(const std::string& runner, Instant now) = 0;
  // Progress of a running job (moves its heartbeat).
  virtual void job_progress(std::int64_t id, std::int64_t done, std::int64_t total,
                            const std::string& stage, Instant now) = 0;
  // Ends a running job with its file and what it says of it (`summary`, French, shown as its
  // stage: "12 lignes importées…", or empty). Drops its input.
  virtual void finish_job(std::int64_t id, const std::string& name, const std::string& type,
                          const std::string& bytes, const std::string& summary, Instant now) = 0;
  // Ends a running job as failed; drops its input.
  virtual void fail_job(std::int64_t id, const std::string& failure, Instant now) = 0;
  // Marks failed every running job whose heartbeat is older than `before` (their worker died),
  // dropping their input; how many.
  virtual std::int64_t fail_abandoned_jobs(Instant before, const std::string& failure,
                                           Instant now) = 0;
  // Deletes the jobs finished (done or failed) before `before`, with their files; how many.
  virtual std::int64_t purge_jobs(Instant before) = 0;
};

}  // namespace octroi
