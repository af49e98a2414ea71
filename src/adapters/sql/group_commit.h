// GroupCommitter: one writer thread that runs the write transactions of every caller of a store,
// several in one commit (group commit).
//
// Why: on SQLite a commit costs one fsync of the WAL, and there is one writer at a time anyway.
// Callers of write() queue their work; the writer thread opens one write transaction, runs each
// queued work under a SAVEPOINT of its own (a refusal or an exception rolls back that work
// alone, and reaches its own caller), takes more work while the batch is young and small, then
// commits once and wakes every caller of the batch. A caller returns only after the commit that
// holds its writes: no acknowledged write can be lost by a crash (kill -9, power loss with
// synchronous=FULL). If the commit fails, every caller whose writes it held gets the StoreError
// and nothing of theirs was written.
//
// Limits: a batch takes at most `max_batch` works and stops taking more once it has run for
// `max_batch_ms` (a long work, such as a vote of a thousand dossiers, commits on its own rather
// than delaying the answers of those before it). The queue itself is bounded by the callers:
// each blocks until its work is done (the server has a fixed number of handler threads).
//
// Thread-safety: write() may be called from any thread except the writer thread itself (work
// must not nest a write; it would wait for its own batch: OCTROI_CHECK refuses it).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "adapters/sql/connection.h"
#include "app/audit_chain.h"
#include "app/ports.h"

namespace octroi::sql {

class GroupCommitter {
 public:
  using Connect = std::function<std::unique_ptr<Connection>()>;

  GroupCommitter(Connect connect, Hasher& hasher, std::size_t max_batch = 256,
                 int max_batch_ms = 20);
  ~GroupCommitter();  // finishes the queued work, then stops the thread
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Runs `work` on the writer thread (Store::write's contract) and returns once it is durable
  // or rolled back; rethrows what the work threw, or the StoreError of a failed commit.
  void write(const WriteWork& work);

  // Commits so far (for tests and benchmarks: fewer commits than writes shows the grouping).
  std::size_t commits() const;

 private:
  struct Job;
  void loop();
  void run_batch(std::unique_lock<std::mutex>& lock);

  Connect connect_;
  Hasher& hasher_;
  const std::size_t max_batch_;
  const int max_batch_ms_;
  std::unique_ptr<Connection> conn_;  // the writer thread's; reopened after a failure

  mutable std::mutex mu_;
  std::condition_variable queued_;
  std::condition_variable finished_;
  std::deque<Job*> queue_;
  bool stopping_ = false;
  std::size_t commits_ = 0;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace octroi::sql
