#include "adapters/sqlite/sqlite_store.h"

#include "adapters/sqlite/migrations.h"

namespace octroi::sqlite {
namespace {

// A connection that writes gets a page cache of 32 MiB (SQLite's default is 2 MiB): a large
// import inserts into indexes by random keys (import_key), and a small cache spills and re-reads
// the same pages for each line. Readers keep the default and rely on the system's file cache.
std::unique_ptr<Connection> for_writing(std::unique_ptr<Connection> c) {
  c->exec("PRAGMA cache_size = -32768");
  return c;
}

}  // namespace

std::unique_ptr<SqliteStore> SqliteStore::open(const std::string& path) {
  auto store = std::unique_ptr<SqliteStore>(new SqliteStore(path));
  auto c = Connection::open(path);
  sql::migrate(*c, embedded_migrations());
  store->give_back(std::move(c), true);
  return store;
}

std::unique_ptr<SqliteStore> SqliteStore::create(const std::string& path) {
  auto store = std::unique_ptr<SqliteStore>(new SqliteStore(path));
  auto c = Connection::create(path);
  sql::migrate(*c, embedded_migrations());
  store->give_back(std::move(c), true);
  return store;
}

int SqliteStore::schema_version() {
  auto c = take();
  const int v = sql::schema_version(*c);
  give_back(std::move(c), true);
  return v;
}

std::unique_ptr<Connection> SqliteStore::take() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      auto* c = static_cast<Connection*>(idle_.back().release());
      idle_.pop_back();
      return std::unique_ptr<Connection>(c);
    }
  }
  return Connection::open(path_);
}

void SqliteStore::give_back(std::unique_ptr<sql::Connection> c, bool reusable) {
  if (!reusable) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(c));
}

SqliteStore::~SqliteStore() {
  writer_.reset();  // finishes the queued work while the store is whole
}

void SqliteStore::write(const WriteWork& work) {
  sql::GroupCommitter* writer = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!writer_)
      writer_ = std::make_unique<sql::GroupCommitter>(
          [path = path_] {
            return std::unique_ptr<sql::Connection>(for_writing(Connection::open(path)));
          },
          hasher_);
    writer = writer_.get();
  }
  writer->write(work);
}

std::size_t SqliteStore::group_commits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return writer_ ? writer_->commits() : 0;
}

std::unique_ptr<Transaction> SqliteStore::begin(TxMode mode) {
  return sql::begin_transaction(*this, hasher_,
                                mode == TxMode::Write ? for_writing(take()) : take(), mode);
}

}  // namespace octroi::sqlite
