// Reading a CSV file as it really is into an ImportTable (app/scdl_import.h): UTF-8 with or
// without BOM, or Windows-1252 / Latin-1 (converted with iconv); comma, semicolon or tab as
// separator (the one the header uses); quoted fields with separators and line breaks inside
// (libcsv). libcsv and iconv are used by this adapter only.
#pragma once

#include <string>
#include <string_view>

#include "app/scdl_import.h"
#include "core/result.h"

namespace octroi::opendata {

// `source` names the file in the report. Refuses ("import.csv", field file) a file libcsv
// cannot read (a quote left open).
Result<ImportTable> read_table(std::string_view bytes, const std::string& source);

// The text of `bytes` in UTF-8, and the encoding it was read in ("UTF-8", "UTF-8 (BOM)",
// "Windows-1252", or "Windows-1252 (précédé d'un BOM UTF-8)": some exports put a BOM before
// Windows-1252 text, and the bytes, not the BOM, decide).
std::string to_utf8(std::string_view bytes, std::string& encoding);

}  // namespace octroi::opendata
