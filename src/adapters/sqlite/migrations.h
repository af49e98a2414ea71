// The SQLite schema history, embedded at build time from migrations/sqlite/NNNN_name.sql.
#pragma once

#include <vector>

#include "adapters/sql/connection.h"

namespace octroi::sqlite {

// In ascending version order.
const std::vector<sql::Migration>& embedded_migrations();

}  // namespace octroi::sqlite
