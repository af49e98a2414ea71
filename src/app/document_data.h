// The data a document template is filled with: pure values, already formatted the French way by
// the use case that builds them (amounts, dates, shares), so that a template can never print a
// figure the data does not hold. One record holds text fields, flags (conditional sections) and
// lists of records (repeated rows or sections: the articles of a deliberation, the lines of a
// financing plan, the dossiers of an annex).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace octroi {

struct DocRecord {
  std::map<std::string, std::string> text;
  std::map<std::string, bool> flags;
  std::map<std::string, std::vector<DocRecord>> lists;
};

}  // namespace octroi
