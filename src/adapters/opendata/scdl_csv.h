// The SCDL "subventions" 2.1.0 file (schemas/scdl/subventions-2.1.0.json): its header and rows
// as CSV, UTF-8 without BOM, comma separator, fields quoted only when they must be (RFC 4180),
// lines ended by CRLF as RFC 4180 says.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "app/open_data.h"

namespace octroi::opendata {

// The 16 field names, in the schema's order.
const std::array<std::string_view, 16>& scdl_field_names();

// The whole file: the header, then one line per row.
std::string scdl_csv(const std::vector<ScdlRow>& rows);

// The file a piece at a time: its header line, and each row's line appended to `out`.
std::string scdl_csv_header();
void append_scdl_csv_line(std::string& out, const ScdlRow& r);

// One CSV field, quoted if it holds a comma, a quote or a line break.
std::string csv_field(std::string_view value);

}  // namespace octroi::opendata
