// A subsidy file to import, from its bytes: the one reader the command line (`octroi import
// scdl`) and the import jobs (adapters/http/imports.h) share.
#pragma once

#include <string>

#include "app/scdl_import.h"
#include "core/result.h"

namespace octroi::opendata {

// True for the names of spreadsheets (.xlsx, .xls, .ods, in any case), which are read through
// LibreOffice Calc (seconds, not milliseconds).
bool is_spreadsheet_name(const std::string& name);

// The table of the file `name` holding `bytes`: a CSV, TSV or text table read as it is
// (read_table: its encoding and separator detected), a spreadsheet's first sheet converted to
// CSV by LibreOffice Calc in a private temporary directory, removed afterwards. Refuses what
// read_table or the conversion refuses.
Result<ImportTable> read_import_file(const std::string& bytes, const std::string& name);

}  // namespace octroi::opendata
