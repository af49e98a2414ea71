// Importing workbooks read natively by cell value (issue 17, finding 2): a hand-made .xlsx whose
// amounts are formatted "#,##0", whose dates are formatted "mm/dd/yyyy" or with Excel's built-in
// short date, with a cell holding a line break; the same sheet as .ods, and as .xls (converted
// by LibreOffice from the .xlsx). Read as displayed text, 99.5 became 100,00 €, 2017-12-06
// became 2017-06-12 and the line numbers after the line break were one off; read by value, the
// three files give the same awards, with their cents, dates and lines.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/documents/odt_package.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

// A cell of the hand-made sheet: a shared text, or a number with a style (0 General, 1 "#,##0",
// 2 "mm/dd/yyyy", 3 the built-in short date).
struct XCell {
  std::string text;
  std::string number;
  int style = 0;
};
XCell t(std::string s) {
  return {std::move(s), "", 0};
}
XCell n(std::string v, int style = 0) {
  return {"", std::move(v), style};
}

const std::vector<std::string> kHeader = {"nomAttribuant", "dateConvention", "nomBeneficiaire",
                                          "objet", "montant"};
// Row 2's object holds a line break; row 4 follows it.
const std::vector<std::vector<XCell>> kRows = {
    {t("Ville de Test"), n("43075", 2), t("Association Alpha"), t("Fête du quartier\nédition 2017"),
     n("99.5", 1)},
    {t("Ville de Test"), n("43076", 3), t("Association Beta"), t("Chorale"), n("1234567.5", 1)},
    {t("Ville de Test"), n("43077", 2), t("Association Gamma"), t("Théâtre"), n("2500", 1)},
};

std::string escaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else
      out += c;
  }
  return out;
}

std::string column_letter(std::size_t i) {
  return std::string(1, static_cast<char>('A' + i));
}

std::string make_xlsx() {
  const std::string ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"";
  std::vector<std::string> shared;
  auto shared_index = [&](const std::string& s) {
    shared.push_back(s);
    return std::to_string(shared.size() - 1);
  };
  std::string data = "<row r=\"1\">";
  for (std::size_t i = 0; i < kHeader.size(); ++i)
    data +=
        "<c r=\"" + column_letter(i) + "1\" t=\"s\"><v>" + shared_index(kHeader[i]) + "</v></c>";
  data += "</row>";
  for (std::size_t r = 0; r < kRows.size(); ++r) {
    const std::string row = std::to_string(r + 2);
    data += "<row r=\"" + row + "\">";
    for (std::size_t i = 0; i < kRows[r].size(); ++i) {
      const auto& c = kRows[r][i];
      const std::string ref = column_letter(i) + row;
      if (c.number.empty())
        data += "<c r=\"" + ref + "\" t=\"s\"><v>" + shared_index(c.text) + "</v></c>";
      else
        data += "<c r=\"" + ref + "\" s=\"" + std::to_string(c.style) + "\"><v>" + c.number +
                "</v></c>";
    }
    data += "</row>";
  }
  std::string sst = "<sst " + ns + ">";
  for (const auto& s : shared)
    sst += "<si><t xml:space=\"preserve\">" + escaped(s) + "</t></si>";
  sst += "</sst>";
  return octroi::documents::zip_archive(
      {{"[Content_Types].xml",
        "<?xml version=\"1.0\"?><Types "
        "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default "
        "Extension=\"rels\" ContentType=\"application/"
        "vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" "
        "ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" "
        "ContentType=\"application/"
        "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override "
        "PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/"
        "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/><Override "
        "PartName=\"/xl/styles.xml\" ContentType=\"application/"
        "vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/><Override "
        "PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/"
        "vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>"},
       {"_rels/.rels",
        "<?xml version=\"1.0\"?><Relationships "
        "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
        "Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
       {"xl/workbook.xml",
        "<?xml version=\"1.0\"?><workbook " + ns +
            " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
            "<sheets><sheet name=\"Subventions\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
            "</workbook>"},
       {"xl/_rels/workbook.xml.rels",
        "<?xml version=\"1.0\"?><Relationships "
        "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/styles\" Target=\"styles.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>"},
       {"xl/styles.xml",
        "<?xml version=\"1.0\"?><styleSheet " + ns +
            "><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"mm/dd/yyyy\"/></numFmts>"
            "<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
            "<fills count=\"1\"><fill><patternFill patternType=\"none\"/></fill></fills>"
            "<borders count=\"1\"><border/></borders><cellStyleXfs count=\"1\"><xf "
            "numFmtId=\"0\"/></cellStyleXfs><cellXfs count=\"4\"><xf numFmtId=\"0\" xfId=\"0\"/>"
            "<xf numFmtId=\"3\" xfId=\"0\" applyNumberFormat=\"1\"/><xf numFmtId=\"164\" "
            "xfId=\"0\" applyNumberFormat=\"1\"/><xf numFmtId=\"14\" xfId=\"0\" "
            "applyNumberFormat=\"1\"/></cellXfs></styleSheet>"},
       {"xl/sharedStrings.xml", sst},
       {"xl/worksheets/sheet1.xml", "<?xml version=\"1.0\"?><worksheet " + ns + "><sheetData>" +
                                        data + "</sheetData></worksheet>"}});
}

// The same sheet as .ods (dates by their value, amounts as floats shown rounded).
std::string make_ods() {
  const char* dates[] = {"2017-12-06", "2017-12-07", "2017-12-08"};
  std::string rows = "<table:table-row>";
  for (const auto& h : kHeader)
    rows += "<table:table-cell office:value-type=\"string\"><text:p>" + h +
            "</text:p></table:table-cell>";
  rows += "</table:table-row>";
  for (std::size_t r = 0; r < kRows.size(); ++r) {
    rows += "<table:table-row>";
    for (std::size_t i = 0; i < kRows[r].size(); ++i) {
      const auto& c = kRows[r][i];
      if (i == 1) {
        rows += std::string("<table:table-cell office:value-type=\"date\" office:date-value=\"") +
                dates[r] + "\"><text:p>12/06/17</text:p></table:table-cell>";
      } else if (!c.number.empty()) {
        rows += "<table:table-cell office:value-type=\"float\" office:value=\"" + c.number +
                "\"><text:p>arrondi</text:p></table:table-cell>";
      } else {
        std::string text = escaped(c.text);
        for (std::size_t at; (at = text.find('\n')) != std::string::npos;)
          text.replace(at, 1, "<text:line-break/>");
        rows += "<table:table-cell office:value-type=\"string\"><text:p>" + text +
                "</text:p></table:table-cell>";
      }
    }
    rows += "</table:table-row>";
  }
  return octroi::documents::zip_archive(
      {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
       {"content.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content "
        "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
        "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
        "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body>"
        "<office:spreadsheet><table:table table:name=\"Subventions\">" +
            rows + "</table:table></office:spreadsheet></office:body></office:document-content>"}});
}

class WorkbookImportTest : public DemoDatabaseTest {
 protected:
  std::string write(const std::string& name, const std::string& bytes) {
    const std::string path = dir_.file(name);
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  ProcessResult import(const std::string& path) {
    return run_octroi({"import", "scdl", path, "--db", db_});
  }
  std::vector<std::vector<std::string>> stored() {
    return query(db_,
                 "SELECT source_line, granted_on, amount_cents, object FROM imported_awards "
                 "ORDER BY source_line");
  }
};

TEST_F(WorkbookImportTest, AnXlsxIsReadByCellValueNotByItsDisplay) {
  const auto r = import(write("subventions.xlsx", make_xlsx()));
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("(classeur .xlsx, feuille « Subventions »)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3 ligne(s) acceptée(s)"), std::string::npos) << r.out;
  const auto rows = stored();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"2", "2017-12-06", "9950",
                                               "Fête du quartier\nédition 2017"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"3", "2017-12-07", "123456750", "Chorale"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"4", "2017-12-08", "250000", "Théâtre"}));
}

TEST_F(WorkbookImportTest, TheSameSheetAsOdsOrXlsGivesTheSameAwards) {
  ASSERT_EQ(import(write("subventions.xlsx", make_xlsx())).status, 0);
  const auto before = stored();
  const auto ods = import(write("subventions.ods", make_ods()));
  ASSERT_EQ(ods.status, 0) << ods.err << ods.out;
  EXPECT_NE(ods.out.find("(classeur .ods, feuille « Subventions »)"), std::string::npos);
  EXPECT_NE(ods.out.find("0 ligne(s) acceptée(s)"), std::string::npos) << ods.out;
  EXPECT_NE(ods.out.find("3 déjà importée(s)"), std::string::npos) << ods.out;
  // .xls: LibreOffice converts the .xlsx (Excel 97-2003); freexl reads it back.
  const std::string xlsx = write("legacy.xlsx", make_xlsx());
  const std::string command = "cd '" + dir_.path() + "' && HOME='" + dir_.path() +
                              "' soffice --headless --convert-to xls legacy.xlsx >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << "LibreOffice could not make the .xls";
  const auto xls = import(dir_.file("legacy.xls"));
  ASSERT_EQ(xls.status, 0) << xls.err << xls.out;
  EXPECT_NE(xls.out.find("(classeur .xls, feuille « Subventions »)"), std::string::npos);
  EXPECT_NE(xls.out.find("3 déjà importée(s)"), std::string::npos) << xls.out;
  EXPECT_EQ(stored(), before);
}

// Issue 17, finding 4: `--json` printed plain text. It prints JSON lines: the file, each line,
// the counts.
TEST_F(WorkbookImportTest, TheReportInJsonIsOneObjectPerLineOfText) {
  const auto r = run_octroi({"import", "scdl", write("subventions.xlsx", make_xlsx()), "--json",
                             "--dry-run", "--db", db_});
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<nlohmann::json> objects;
  std::istringstream lines(r.out);
  for (std::string l; std::getline(lines, l);) {
    auto j = nlohmann::json::parse(l, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << l;
    objects.push_back(j);
  }
  ASSERT_EQ(objects.size(), 5u) << r.out;
  EXPECT_EQ(objects[0]["file"], "subventions.xlsx");
  EXPECT_EQ(objects[0]["encoding"], "classeur .xlsx, feuille « Subventions »");
  EXPECT_TRUE(objects[0]["separator"].is_null());
  EXPECT_EQ(objects[0]["dry_run"], true);
  EXPECT_EQ(objects[1]["line"], 2);
  EXPECT_EQ(objects[1]["outcome"], "accepted");
  EXPECT_EQ(objects[1]["amount"], "99.5");
  EXPECT_EQ(objects[4]["accepted"], 3);
  EXPECT_TRUE(stored().empty());  // a dry run
}

// Issue 17, finding 3: a sheet whose header is on row 3, below a title and a blank row, in the
// schema's French titles, with a comment right of the header.
TEST_F(WorkbookImportTest, AHeaderOnRow3WithFrenchTitlesBelowATitle) {
  const auto cell = [](const std::string& type, const std::string& attrs, const std::string& text) {
    return "<table:table-cell office:value-type=\"" + type + "\" " + attrs + "><text:p>" + text +
           "</text:p></table:table-cell>";
  };
  std::string rows = "<table:table-row>" + cell("string", "", "Subventions de la Ville de Test") +
                     "</table:table-row><table:table-row><table:table-cell/></table:table-row>"
                     "<table:table-row>";
  for (const char* h : {"Nom de l'attribuant", "Date de la convention de subvention",
                        "Nom du bénéficiaire", "Montant total de la subvention"})
    rows += cell("string", "", h);
  rows += "</table:table-row><table:table-row>" + cell("string", "", "Ville de Test") +
          cell("date", "office:date-value=\"2019-03-01\"", "01/03/19") +
          cell("string", "", "Association Alpha") +
          cell("float", "office:value=\"1500.5\"", "1 501") +
          cell("string", "", "versée en une fois") + "</table:table-row>";
  const std::string content =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content "
      "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
      "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
      "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body>"
      "<office:spreadsheet><table:table table:name=\"2019\">" +
      rows + "</table:table></office:spreadsheet></office:body></office:document-content>";
  const auto r =
      import(write("titre.ods", octroi::documents::zip_archive(
                                    {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
                                     {"content.xml", content}})));
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("en-tête à la ligne 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("colonne conservée telle quelle : colonne 5"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ligne 4 : acceptée — Association Alpha, 1500.5"), std::string::npos)
      << r.out;
  EXPECT_EQ(query(db_,
                  "SELECT source_line, granted_on, amount_cents, other_fields FROM "
                  "imported_awards"),
            (std::vector<std::vector<std::string>>{
                {"4", "2019-03-01", "150050", "{\"colonne 5\":\"versée en une fois\"}"}}));
}

TEST_F(WorkbookImportTest, ADamagedWorkbookIsRefusedAndNothingIsStored) {
  const std::string before = dump_database(db_);
  const auto r = import(write("faux.xlsx", "ceci n'est pas un classeur"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("[workbook.unreadable]"), std::string::npos) << r.err;
  const auto xls = import(write("faux.xls", std::string(4096, 'x')));
  EXPECT_EQ(xls.status, 1);
  EXPECT_NE(xls.err.find("n'est pas un classeur Excel 97-2003"), std::string::npos) << xls.err;
  EXPECT_EQ(dump_database(db_), before);
}

}  // namespace
}  // namespace octroi_test
