// Internal to adapters/workbook: one reader per format (workbook.cc dispatches).
#pragma once

#include <string_view>

#include "adapters/workbook/workbook.h"

namespace octroi::workbook {

// With `each`, the rows are handed on as they are read, not kept (xlsx only).
Result<Sheet> read_xlsx(std::string_view bytes, const Limits& limits,
                        const RowFn& each = nullptr);  // xlsx_reader.cc
Result<Sheet> read_ods(std::string_view bytes, const Limits& limits,
                       const RowFn& each = nullptr);                   // ods_reader.cc
Result<Sheet> read_xls(std::string_view bytes, const Limits& limits);  // xls_reader.cc

}  // namespace octroi::workbook
