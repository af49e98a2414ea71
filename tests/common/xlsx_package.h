// A one-sheet .xlsx package for the tests: the sheet part as given, the workbook and its
// relationships around it (with the prefix `p`, "x:" for a workbook written with prefixes).
#pragma once

#include <string>

#include "adapters/documents/odt_package.h"

namespace octroi_testing {

inline const std::string kSpreadsheetNs =
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

inline std::string one_sheet_xlsx(const std::string& sheet, const std::string& p = "") {
  const std::string ns =
      "xmlns" + (p.empty() ? "" : ":" + p.substr(0, p.size() - 1)) + "=\"" + kSpreadsheetNs + "\"";
  const std::string rns =
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
  return octroi::documents::zip_archive(
      {{"[Content_Types].xml", "<Types/>"},
       {"xl/workbook.xml",
        "<?xml version=\"1.0\"?><" + p + "workbook " + ns + " " + rns + "><" + p + "sheets><" + p +
            "sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></" + p + "sheets></" + p + "workbook>"},
       {"xl/_rels/workbook.xml.rels",
        "<?xml version=\"1.0\"?><Relationships "
        "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
        "Id=\"rId1\" Target=\"worksheets/sheet1.xml\" Type=\"x\"/></Relationships>"},
       {"xl/worksheets/sheet1.xml", sheet}});
}

}  // namespace octroi_testing
