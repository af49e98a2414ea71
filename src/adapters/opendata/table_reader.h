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

// `source` names the file in the report. Checks the whole file before any line is used, each
// problem naming its line (field "file"): its encoding (decode_text), no NUL ("import.nul"),
// every line of data with as many fields as the header has columns ("import.field_count"; a last
// line cut short, "import.truncated"; empty fields past the header are dropped), no quote left
// open ("import.csv").
Result<ImportTable> read_table(std::string_view bytes, const std::string& source);

// The same checks on the file at `path` (its name in the report: `source`), read a piece at a
// time and never held: the table's head (header, encoding, separator, the number of rows), whose
// stream_rows reads the file again and hands its rows one at a time: its bytes take a few MiB
// whatever the file's size. Throws if the file cannot be opened, or if it changed between the
// two readings (the import's transaction is then rolled back).
Result<ImportTable> open_table(const std::string& path, const std::string& source);

// The text of `bytes` in UTF-8, and the encoding it was read in: "UTF-16LE"/"UTF-16BE" (by
// their BOM, " (BOM)", or by their zero bytes), "UTF-8", "UTF-8 (BOM)", "Windows-1252" (only
// when no character of the file is UTF-8), or "Windows-1252 (précédé d'un BOM UTF-8)" (some
// exports put a BOM before Windows-1252 text: the bytes, not the BOM, decide). Refused, naming
// the line: a file that mixes UTF-8 and another encoding ("import.encoding_mixed"), a byte
// neither UTF-8 nor Windows-1252 defines or invalid UTF-16 ("import.encoding_invalid"), UTF-16
// with an odd number of bytes ("import.truncated").
Result<std::string> decode_text(std::string_view bytes, const std::string& source,
                                std::string& encoding);

}  // namespace octroi::opendata
