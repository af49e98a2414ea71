// JobRunner: the job workers of one server process (app/jobs.h). Each worker claims the oldest
// queued job of the database (submitted through this process or another one on the same
// database), runs it and records its end, then looks again; an idle worker sleeps until a job
// is submitted here (wake()) or `poll_ms` passes. The workers bound the long work a process
// does at once (LibreOffice runs are bounded again by adapters/documents). A failure's detail
// (a tool's output, a store error) goes to the log as one JSON line, never to users.
//
// Thread-safety: wake() and start() may be called from any thread. The destructor waits for
// the jobs in progress to end.
#pragma once

#include <condition_variable>
#include <iosfwd>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/sql/sql_store.h"
#include "app/ports.h"

namespace octroi::http {

class JobRunner {
 public:
  JobRunner(sql::SqlStore& store, Clock& clock, int workers, int poll_ms, std::ostream* log);
  ~JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Starts the workers (once; later calls do nothing). Called by `octroi serve`, and by the
  // first submission (so that an Api used without a server still runs its jobs).
  void start();
  // A job was submitted: an idle worker looks at once.
  void wake();
  // This process's name in the jobs table ("host:pid").
  const std::string& name() const { return name_; }

 private:
  void work();
  void log_line(const std::string& line);

  sql::SqlStore& store_;
  Clock& clock_;
  const int workers_;
  const int poll_ms_;
  std::ostream* log_;
  std::string name_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace octroi::http
