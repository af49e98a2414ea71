// The PostgreSQL schema history, embedded at build time from migrations/postgres/NNNN_name.sql.
#pragma once

#include <vector>

#include "adapters/sql/connection.h"

namespace octroi::postgres {

// In ascending version order.
const std::vector<sql::Migration>& embedded_migrations();

}  // namespace octroi::postgres
