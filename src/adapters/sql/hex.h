// Bytes in a text column, hex-encoded (the relational seam carries integers and text only): a
// job's file (jobs_rows.cc), a dossier's file (file_rows.cc).
#pragma once

#include <string>

namespace octroi::sql {

std::string to_hex(const std::string& bytes);
// Throws StoreError for text that is not an even number of lower-case hexadecimal digits (a
// corrupt row).
std::string from_hex_or_throw(const std::string& hex);

}  // namespace octroi::sql
