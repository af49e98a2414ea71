// Internal to adapters/workbook: the rows of a sheet's XML part found as the part inflates,
// without building its tree, so that a sheet of any size is never held whole.
//
// A small tag scanner (comments, CDATA sections, processing instructions and declarations
// skipped; quoted attribute values may hold '>') finds the container (.xlsx's sheetData, the
// first table of an .ods content.xml), the rows in it (the groups that hold rows are
// transparent; the container's other children are skipped whole; a row's nested rows, such as
// an .ods sub-table's, stay inside it), and hands runs of whole rows, each run parsed alone by
// pugixml under a root <d>, to `on_rows`. A part that declares another encoding than UTF-8 (or
// is UTF-16) is first converted whole by pugixml, then scanned the same way.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/workbook/xml_support.h"
#include "core/result.h"

namespace octroi::workbook {

struct RowScan {
  std::string container;                 // the local name: "sheetData", "table"
  std::string row;                       // "row", "table-row"
  std::vector<std::string> transparent;  // "table-row-group", "table-header-rows"…
  std::string what, part;                // "classeur .ods", "content.xml": for the messages
  std::string missing;  // why a part without the container is refused ("il n'a aucune feuille")
};

class RowScanner {
 public:
  // Called with the root of each run; its element children are rows (and nothing else).
  using Rows = std::function<std::optional<Refusal>(const pugi::xml_node& root)>;
  RowScanner(RowScan scan, Rows on_rows);

  std::optional<Refusal> feed(std::string_view piece);
  // The end of the part. Refused: no container, or a part that ends inside it.
  std::optional<Refusal> finish();

  // The attribute `local` of the first container's start tag ("" when absent).
  const std::string& container_attribute(const char* local) const;
  // How many containers the part holds at its top level (the first one included).
  int containers() const { return containers_; }

 private:
  struct Tag {
    std::size_t start = 0, end = 0;
    std::string local;
    bool closing = false, empty = false, skip = false;
  };
  enum class State { Before, In, Row, Other, After };

  std::optional<Refusal> scan();
  std::optional<Tag> next_tag();
  std::optional<Refusal> step(const Tag& t);
  std::optional<Refusal> add_row(std::size_t end);
  std::optional<Refusal> run();
  Refusal damaged(const std::string& why) const;

  RowScan scan_;
  Rows on_rows_;
  std::string text_, rows_;
  std::size_t pos_ = 0;        // where the next tag is looked for
  std::size_t row_start_ = 0;  // where the row being read starts
  State state_ = State::Before;
  int depth_ = 0, row_depth_ = 0, after_depth_ = 0, containers_ = 0;
  bool started_ = false, whole_ = false;  // whole_: a part converted by pugixml first
  std::string held_;                      // such a part, until its end
  pugi::xml_document container_tag_;
  mutable std::string attribute_;
};

}  // namespace octroi::workbook
