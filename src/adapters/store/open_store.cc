#include "adapters/store/open_store.h"

#include "adapters/postgres/pg_store.h"
#include "adapters/sqlite/sqlite_store.h"

namespace octroi::stores {

std::unique_ptr<sql::SqlStore> open(const std::string& locator, OpenMode mode) {
  if (postgres::is_postgres_url(locator))
    return mode == OpenMode::Create ? postgres::PgStore::create(locator)
                                    : postgres::PgStore::open(locator);
  return mode == OpenMode::Create ? sqlite::SqliteStore::create(locator)
                                  : sqlite::SqliteStore::open(locator);
}

std::string display_name(const std::string& locator) {
  return postgres::is_postgres_url(locator) ? postgres::redact_url(locator) : locator;
}

}  // namespace octroi::stores
