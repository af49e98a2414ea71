#include "adapters/postgres/pg_store.h"

#include <chrono>
#include <cstdlib>

#include "adapters/postgres/migrations.h"

namespace octroi::postgres {
namespace {

int env_int(const char* name, int fallback, int min, int max) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  const long n = std::strtol(v, &end, 10);
  if (*end != '\0' || n < min || n > max)
    throw StoreError(std::string(name) + " : valeur invalide « " + v + " » (entier de " +
                     std::to_string(min) + " à " + std::to_string(max) + " attendu)");
  return static_cast<int>(n);
}

bool has_octroi_schema(sql::Connection& c) {
  auto st = c.prepare("SELECT to_regclass('schema_migrations') IS NOT NULL");
  return st.step() && st.int64(0) != 0;
}

}  // namespace

bool is_postgres_url(const std::string& locator) {
  return locator.rfind("postgresql://", 0) == 0 || locator.rfind("postgres://", 0) == 0;
}

PoolSettings PoolSettings::from_environment() {
  PoolSettings s;
  s.max_connections = env_int("OCTROI_PG_POOL_MAX", s.max_connections, 1, 1000);
  s.acquire_timeout_ms = env_int("OCTROI_PG_ACQUIRE_TIMEOUT_MS", s.acquire_timeout_ms, 1, 3600000);
  s.connection.statement_timeout_ms =
      env_int("OCTROI_PG_STATEMENT_TIMEOUT_MS", s.connection.statement_timeout_ms, 1, 86400000);
  s.connection.lock_timeout_ms =
      env_int("OCTROI_PG_LOCK_TIMEOUT_MS", s.connection.lock_timeout_ms, 1, 86400000);
  return s;
}

std::unique_ptr<PgStore> PgStore::open(const std::string& url) {
  auto store = std::unique_ptr<PgStore>(new PgStore(url, PoolSettings::from_environment()));
  auto c = store->take();
  if (!has_octroi_schema(*c))
    throw StoreError("la base octroi n'existe pas dans " + redact_url(url) +
                     " (créez-la avec « octroi init --db URL »)");
  sql::migrate(*c, embedded_migrations());
  store->give_back(std::move(c), true);
  return store;
}

std::unique_ptr<PgStore> PgStore::create(const std::string& url) {
  auto store = std::unique_ptr<PgStore>(new PgStore(url, PoolSettings::from_environment()));
  auto c = store->take();
  sql::migrate(*c, embedded_migrations());
  store->give_back(std::move(c), true);
  return store;
}

PgStore::~PgStore() = default;

int PgStore::schema_version() {
  auto c = take();
  const int v = sql::schema_version(*c);
  give_back(std::move(c), true);
  return v;
}

std::unique_ptr<sql::Connection> PgStore::connect() {
  return Connection::connect(url_, settings_.connection);
}

std::unique_ptr<Connection> PgStore::take() {
  std::unique_lock<std::mutex> lock(mu_);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(settings_.acquire_timeout_ms);
  for (;;) {
    while (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      if (c->healthy()) return c;
      --open_;  // the server went away under it: drop it and look again
    }
    if (open_ < settings_.max_connections) break;
    if (freed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= settings_.max_connections)
      throw StoreError("PostgreSQL : aucune connexion libre après " +
                       std::to_string(settings_.acquire_timeout_ms) + " ms (" +
                       std::to_string(settings_.max_connections) + " au plus, OCTROI_PG_POOL_MAX)");
  }
  ++open_;
  lock.unlock();
  try {
    return Connection::connect(url_, settings_.connection);
  } catch (...) {
    lock.lock();
    --open_;
    freed_.notify_one();
    throw;
  }
}

void PgStore::give_back(std::unique_ptr<sql::Connection> c, bool reusable) {
  std::unique_ptr<Connection> pg(static_cast<Connection*>(c.release()));
  const bool keep = reusable && pg->healthy() && pg->idle();
  if (!keep) pg.reset();  // closed outside the lock
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (keep)
      idle_.push_back(std::move(pg));
    else
      --open_;
  }
  freed_.notify_one();
}

std::unique_ptr<Transaction> PgStore::begin(TxMode mode) {
  return sql::begin_transaction(*this, hasher_, take(), mode);
}

}  // namespace octroi::postgres
