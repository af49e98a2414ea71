#include "adapters/http/job_runner.h"

#include <unistd.h>

#include <chrono>
#include <exception>
#include <ostream>

#include <nlohmann/json.hpp>

#include "adapters/documents/pdf_converter.h"
#include "adapters/documents/render.h"
#include "adapters/http/exports.h"
#include "adapters/http/imports.h"
#include "app/jobs.h"

namespace octroi::http {

namespace {

std::string process_name() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(getpid());
}

}  // namespace

JobRunner::JobRunner(sql::SqlStore& store, Clock& clock, int workers, int poll_ms,
                     std::ostream* log)
    : store_(store),
      clock_(clock),
      workers_(workers < 1 ? 1 : workers),
      poll_ms_(poll_ms < 10 ? 10 : poll_ms),
      log_(log),
      name_(process_name()) {}

JobRunner::~JobRunner() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_)
    t.join();
}

void JobRunner::start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!threads_.empty() || stopping_) return;
  for (int i = 0; i < workers_; ++i)
    threads_.emplace_back([this] { work(); });
}

void JobRunner::wake() {
  start();
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void JobRunner::log_line(const std::string& line) {
  if (!log_) return;
  std::lock_guard<std::mutex> lock(mu_);
  *log_ << (line + '\n') << std::flush;  // one write: lines of other threads do not cut it
}

void JobRunner::work() {
  documents::FodtEngine engine;
  documents::PdfConverter converter;
  WebExports exports(store_.hasher());
  WebImports imports(store_.hasher());
  JobTools tools{engine, converter, store_.hasher(), &exports, &imports};
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
    }
    bool ran = false;
    try {
      const JobRun r = run_next_job(store_, clock_, name_, tools);
      ran = r.ran;
      if (r.ran && !r.done)
        log_line(nlohmann::json{{"job", r.id}, {"state", "failed"}, {"detail", r.detail}}.dump(
            -1, ' ', false, nlohmann::json::error_handler_t::replace));
    } catch (const std::exception& e) {
      log_line(nlohmann::json{{"job_error", e.what()}}.dump(
          -1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    if (ran) continue;  // maybe more queued
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(poll_ms_), [&] { return stopping_ || woken_; });
    woken_ = false;
  }
}

}  // namespace octroi::http
