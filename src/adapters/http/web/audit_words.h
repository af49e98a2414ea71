// The audit trail in words (issue 18): an entry's before and after (JSON objects, as the use
// cases record them) as French lines a grants officer reads: "État : proposé en commission →
// en instruction", "Montant proposé : 8 000,00 € → —". Amounts, dates and states are written the
// French way; a changed field the table does not know keeps its name and its JSON value, never
// hidden. A creation lists the known fields set, and says how many others the raw data holds.
#pragma once

#include <string>
#include <vector>

namespace octroi::http::pages {

// The fields that changed (or, for a creation, those that were set), one line each, in the order
// of the entry's own fields. Empty when neither side is a JSON object.
std::vector<std::string> audit_in_words(const std::string& before, const std::string& after);

}  // namespace octroi::http::pages
