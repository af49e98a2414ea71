#include "adapters/sql/group_commit.h"

#include <chrono>
#include <exception>
#include <vector>

#include "adapters/sql/sql_transaction.h"
#include "core/result.h"

namespace octroi::sql {

struct GroupCommitter::Job {
  const WriteWork* work = nullptr;
  bool ran = false;   // the work was called
  bool kept = false;  // it returned true and its savepoint was released into the batch
  bool done = false;  // the batch is over: the caller may return
  std::exception_ptr error;
};

GroupCommitter::GroupCommitter(Connect connect, Hasher& hasher, std::size_t max_batch,
                               int max_batch_ms)
    : connect_(std::move(connect)),
      hasher_(hasher),
      max_batch_(max_batch),
      max_batch_ms_(max_batch_ms),
      thread_([this] { loop(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  queued_.notify_all();
  thread_.join();
}

std::size_t GroupCommitter::commits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return commits_;
}

void GroupCommitter::write(const WriteWork& work) {
  OCTROI_CHECK(std::this_thread::get_id() != thread_.get_id(),
               "a write transaction's work called Store::write: nested writes are not allowed");
  Job job;
  job.work = &work;
  {
    std::unique_lock<std::mutex> lock(mu_);
    queue_.push_back(&job);
    queued_.notify_one();
    finished_.wait(lock, [&] { return job.done; });
  }
  if (job.error) std::rethrow_exception(job.error);
}

void GroupCommitter::loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left to do
    run_batch(lock);
  }
}

// Called with the lock held and work queued; returns with the lock held.
void GroupCommitter::run_batch(std::unique_lock<std::mutex>& lock) {
  lock.unlock();
  std::vector<Job*> batch;
  std::exception_ptr failure;  // set when the batch as a whole cannot be committed
  bool begun = false;
  bool broken = false;
  try {
    if (!conn_) conn_ = connect_();
    conn_->exec(begin_statement(conn_->dialect(), true));
    begun = true;
  } catch (...) {
    failure = std::current_exception();
  }
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    Job* job = nullptr;
    {
      std::lock_guard<std::mutex> guard(mu_);
      const bool old =
          std::chrono::steady_clock::now() - start > std::chrono::milliseconds(max_batch_ms_);
      if (queue_.empty() || batch.size() >= max_batch_ || (old && !batch.empty())) break;
      job = queue_.front();
      queue_.pop_front();
    }
    batch.push_back(job);
    if (failure) break;  // BEGIN failed: this one job gets the failure
    job->ran = true;
    try {
      auto tx = begin_savepoint(hasher_, *conn_, "octroi_work", broken);
      if ((*job->work)(*tx)) {
        tx->commit();
        job->kept = true;
      }
    } catch (...) {
      job->error = std::current_exception();
    }
    if (broken) {
      failure = std::make_exception_ptr(
          StoreError("une écriture a laissé la transaction groupée dans un état inconnu : "
                     "le lot a été annulé"));
      break;
    }
  }
  if (!failure) {
    try {
      conn_->exec("COMMIT");
    } catch (...) {
      failure = std::current_exception();
    }
  }
  if (failure && begun) {
    try {
      conn_->exec("ROLLBACK");
    } catch (...) {
      broken = true;
    }
  }
  if (broken || !begun) conn_.reset();  // opened afresh for the next batch
  lock.lock();
  if (!failure) ++commits_;
  for (Job* j : batch) {
    // A work that was not run, or whose writes the failed batch held, gets the failure; a work
    // that refused or threw keeps its own outcome (nothing of it was written either way).
    if (failure && (!j->ran || j->kept)) j->error = failure;
    j->done = true;
  }
  finished_.notify_all();
}

}  // namespace octroi::sql
