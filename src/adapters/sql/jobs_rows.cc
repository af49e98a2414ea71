// The jobs port (app/ports/jobs.h) over sql::Connection. A job's file is stored hex-encoded in
// a text column (the relational seam carries integers and text only; a document batch is a few
// MiB).
#include <string>
#include <vector>

#include "adapters/sql/hex.h"
#include "adapters/sql/row.h"
#include "adapters/sql/tx_context.h"
#include "app/ports/jobs.h"

namespace octroi::sql {
namespace {

// Every column but the result's bytes (and the request unless asked), in JobRecord's order.
std::string columns(bool with_request) {
  return std::string("id, authority_id, owner, kind, title, ") + (with_request ? "request" : "''") +
         ", state, steps_done, steps_total, stage, failure, coalesce(result_name, ''), "
         "coalesce(result_type, ''), coalesce(runner, ''), created_at, started_at, heartbeat_at, "
         "finished_at";
}

JobRecord read_job(const Statement& st) {
  Row row(st);
  JobRecord j;
  j.id = row.int64();
  j.authority = row.id<AuthorityId>();
  j.owner = row.text();
  j.kind = row.text();
  j.title = row.text();
  j.request = row.text();
  j.state = row.parsed<JobState>(
      [](const std::string& t, JobState& out) { return kJobStateNames.parse(t, out); },
      "job state");
  j.steps_done = row.int64();
  j.steps_total = row.int64();
  j.stage = row.text();
  j.failure = row.text();
  j.result_name = row.text();
  j.result_type = row.text();
  j.runner = row.text();
  j.created_at = row.instant();
  j.started_at = row.opt_instant();
  j.heartbeat_at = row.opt_instant();
  j.finished_at = row.opt_instant();
  return j;
}

class SqlJobs final : public JobsPort {
 public:
  explicit SqlJobs(TxContext& t) : t_(t) {}

  std::int64_t insert_job(const JobRecord& j) override {
    t_.scope(j.authority);
    Params p(
        t_.c.prepare("INSERT INTO jobs (authority_id, owner, kind, title, request, "
                     "state, steps_done, steps_total, stage, created_at, input_hex) "
                     "VALUES (?,?,?,?,?,'queued',0,?,?,?,?) RETURNING id"));
    p.add(j.authority.value)
        .add(j.owner)
        .add(j.kind)
        .add(j.title)
        .add(j.request)
        .add(j.steps_total)
        .add(j.stage)
        .add(j.created_at);
    if (j.input.empty())
      p.null();
    else
      p.add(to_hex(j.input));
    return p.run_returning_id();
  }

  std::string job_input(std::int64_t id) override {
    auto st = t_.c.prepare("SELECT coalesce(input_hex, '') FROM jobs WHERE id = ?");
    Params(st).add(id);
    if (!st.step()) return "";
    return from_hex_or_throw(st.text(0));
  }

  std::optional<JobRecord> find_job(AuthorityId a, std::int64_t id) override {
    auto st =
        t_.c.prepare("SELECT " + columns(false) + " FROM jobs WHERE authority_id = ? AND id = ?");
    Params(st).add(a.value).add(id);
    if (!st.step()) return std::nullopt;
    return read_job(st);
  }

  std::string job_result(AuthorityId a, std::int64_t id) override {
    auto st =
        t_.c.prepare("SELECT coalesce(result_hex, '') FROM jobs WHERE authority_id = ? AND id = ?");
    Params(st).add(a.value).add(id);
    if (!st.step()) return "";
    return from_hex_or_throw(st.text(0));
  }

  std::vector<JobRecord> list_jobs(AuthorityId a, const std::string& owner, int limit) override {
    auto st = t_.c.prepare("SELECT " + columns(false) +
                           " FROM jobs WHERE authority_id = ? AND owner = ? "
                           "ORDER BY id DESC LIMIT ?");
    Params(st).add(a.value).add(owner).add(std::int64_t{limit});
    std::vector<JobRecord> out;
    while (st.step())
      out.push_back(read_job(st));
    return out;
  }

  std::optional<JobRecord> claim_job(const std::string& runner, Instant now) override {
    auto st = t_.c.prepare(
        "UPDATE jobs SET state = 'running', runner = ?, started_at = ?, heartbeat_at = ? "
        "WHERE id = (SELECT id FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1) "
        "AND state = 'queued' RETURNING " +
        columns(true));
    Params(st).add(runner).add(now).add(now);
    if (!st.step()) return std::nullopt;
    JobRecord j = read_job(st);
    st.run();
    return j;
  }

  void job_progress(std::int64_t id, std::int64_t done, std::int64_t total,
                    const std::string& stage, Instant now) override {
    Params(t_.c.prepare("UPDATE jobs SET steps_done = ?, steps_total = ?, stage = ?, "
                        "heartbeat_at = ? WHERE id = ? AND state = 'running'"))
        .add(done)
        .add(total)
        .add(stage)
        .add(now)
        .add(id)
        .run();
  }

  void finish_job(std::int64_t id, const std::string& name, const std::string& type,
                  const std::string& bytes, const std::string& summary, Instant now) override {
    Params(t_.c.prepare("UPDATE jobs SET state = 'done', steps_done = steps_total, stage = ?, "
                        "result_name = ?, result_type = ?, result_hex = ?, heartbeat_at = ?, "
                        "finished_at = ?, input_hex = NULL WHERE id = ? AND state = 'running'"))
        .add(summary)
        .add(name)
        .add(type)
        .add(to_hex(bytes))
        .add(now)
        .add(now)
        .add(id)
        .run();
  }

  void fail_job(std::int64_t id, const std::string& failure, Instant now) override {
    Params(t_.c.prepare("UPDATE jobs SET state = 'failed', failure = ?, finished_at = ?, "
                        "input_hex = NULL WHERE id = ? AND state = 'running'"))
        .add(failure)
        .add(now)
        .add(id)
        .run();
  }

  std::int64_t fail_abandoned_jobs(Instant before, const std::string& failure,
                                   Instant now) override {
    Params(t_.c.prepare("UPDATE jobs SET state = 'failed', failure = ?, finished_at = ?, "
                        "input_hex = NULL WHERE state = 'running' AND heartbeat_at < ?"))
        .add(failure)
        .add(now)
        .add(before)
        .run();
    return t_.c.changes();
  }

  std::int64_t purge_jobs(Instant before) override {
    Params(t_.c.prepare("DELETE FROM jobs WHERE state IN ('done', 'failed') AND finished_at < ?"))
        .add(before)
        .run();
    return t_.c.changes();
  }

 private:
  TxContext& t_;
};

}  // namespace

std::unique_ptr<JobsPort> jobs_rows(TxContext& t) {
  return std::make_unique<SqlJobs>(t);
}

}  // namespace octroi::sql
