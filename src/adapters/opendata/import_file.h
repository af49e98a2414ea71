// A subsidy file to import, from its bytes: the one reader the command line (`octroi import
// scdl`) and the import jobs (adapters/http/imports.h) share.
#pragma once

#include <string>

#include "app/scdl_import.h"
#include "core/result.h"

namespace octroi::opendata {

// The table of the file `name` holding `bytes`: a CSV, TSV or text table read as it is
// (read_table: its encoding and separator detected); a workbook's first sheet read natively by
// cell value (adapters/workbook: numbers exact, dates as dates, the rows numbered as the
// spreadsheet shows them). Refuses what read_table or the workbook reader refuses.
Result<ImportTable> read_import_file(const std::string& bytes, const std::string& name);

// The same from the file at `path`, named `name` in the report: a text table is checked, then
// read again as it is imported (opendata::open_table), never held (a few MiB for its bytes,
// whatever its size); a workbook is read whole.
Result<ImportTable> open_import_file(const std::string& path, const std::string& name);

}  // namespace octroi::opendata
