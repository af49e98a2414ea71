// The SQLite schema history, embedded at build time from migrations/sqlite/NNNN_name.sql.
#pragma once

#include <vector>

namespace octroi::sqlite {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

// In ascending version order.
const std::vector<Migration>& embedded_migrations();

}  // namespace octroi::sqlite
