// Workbooks read natively by typed cell value (issue 17, finding 2): hand-made .xlsx and .ods
// packages whose cells are formatted the ways that lost data when they were read as displayed
// text — "#,##0" amounts, "mm/dd/yyyy" and built-in short dates, SIRETs typed as numbers, cells
// with line breaks — and the refusals of damaged or oversized workbooks. (.xls, which needs
// LibreOffice to be made, is read in the import tests.)
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "adapters/documents/odt_package.h"
#include "adapters/workbook/workbook.h"
#include "common/xlsx_package.h"

namespace {

using octroi::workbook::Cell;
using octroi::workbook::Format;
using octroi::workbook::Limits;
using octroi::workbook::read_first_sheet;
using octroi::workbook::Sheet;
using Kind = Cell::Kind;

std::string xlsx(const std::string& sheet_data, const std::string& shared,
                 const std::string& workbook_pr = "", const std::string& sheets = "") {
  const std::string ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"";
  const std::string rns =
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
  const std::string book =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook " + ns + " " + rns + ">" + workbook_pr +
      "<sheets>" +
      (sheets.empty() ? "<sheet name=\"Subventions\" sheetId=\"1\" r:id=\"rId1\"/>" : sheets) +
      "</sheets></workbook>";
  const std::string rels =
      "<?xml version=\"1.0\"?><Relationships "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\" Type=\"x\"/>"
      "<Relationship Id=\"rId2\" Target=\"/xl/worksheets/sheet2.xml\" Type=\"x\"/>"
      "</Relationships>";
  // Styles: 0 General, 1 "#,##0" (built-in 3), 2 "mm/dd/yyyy" (custom 164), 3 Excel's built-in
  // short date (14), 4 "hh:mm" (custom 165), 5 "00000" (custom 166), 6 fourteen zeros (167).
  const std::string styles =
      "<?xml version=\"1.0\"?><styleSheet " + ns +
      "><numFmts count=\"4\"><numFmt numFmtId=\"164\" formatCode=\"mm/dd/yyyy\"/>"
      "<numFmt numFmtId=\"165\" formatCode=\"hh:mm\"/>"
      "<numFmt numFmtId=\"166\" formatCode=\"00000\"/>"
      "<numFmt numFmtId=\"167\" formatCode=\"00000000000000\"/></numFmts>"
      "<cellXfs count=\"7\"><xf numFmtId=\"0\"/><xf numFmtId=\"3\"/><xf numFmtId=\"164\"/>"
      "<xf numFmtId=\"14\"/><xf numFmtId=\"165\"/><xf numFmtId=\"166\"/>"
      "<xf numFmtId=\"167\"/></cellXfs></styleSheet>";
  const std::string sheet = "<?xml version=\"1.0\"?><worksheet " + ns + "><sheetData>" +
                            sheet_data + "</sheetData></worksheet>";
  return octroi::documents::zip_archive(
      {{"[Content_Types].xml", "<Types/>"},
       {"xl/workbook.xml", book},
       {"xl/_rels/workbook.xml.rels", rels},
       {"xl/sharedStrings.xml", "<sst " + ns + ">" + shared + "</sst>"},
       {"xl/styles.xml", styles},
       {"xl/worksheets/sheet1.xml", sheet},
       {"xl/worksheets/sheet2.xml", sheet}});
}

Sheet read_ok(const std::string& bytes, Format f, const Limits& limits = {}) {
  auto r = read_first_sheet(bytes, f, limits);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.refusal().describe());
  return r.ok() ? r.value() : Sheet{};
}

void expect_cell(const Sheet& s, std::size_t row, std::size_t col, Kind kind,
                 const std::string& value) {
  ASSERT_LT(row, s.rows.size());
  ASSERT_LT(col, s.rows[row].cells.size()) << "row " << s.rows[row].number;
  EXPECT_EQ(s.rows[row].cells[col].kind, kind) << "row " << s.rows[row].number << " col " << col;
  EXPECT_EQ(s.rows[row].cells[col].value, value) << "row " << s.rows[row].number << " col " << col;
}

const std::string kShared =
    "<si><t>Nom du bénéficiaire</t></si><si><t>Montant</t></si>"
    "<si><r><t>Date de </t></r><r><t>convention</t></r><rPh><t>ふりがな</t></rPh></si>"
    "<si><t xml:space=\"preserve\"> </t></si>";

TEST(XlsxReader, ValuesNotTheirDisplayAndRowsAsTheSpreadsheetNumbersThem) {
  const std::string data =
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Subventions versées en "
      "2017</t></is></c></row>"
      "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>0</v></c><c r=\"B3\" t=\"s\"><v>1</v></c>"
      "<c r=\"C3\" t=\"s\"><v>2</v></c><c r=\"E3\" t=\"s\"><v>3</v></c></row>"
      "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>Association\ndes amis</t></is></c>"
      "<c r=\"B4\" s=\"1\"><v>99.5</v></c><c r=\"C4\" s=\"2\"><v>43075</v></c>"
      "<c r=\"D4\" s=\"3\"><v>43075</v></c><c r=\"E4\"><v>21860194600000</v></c>"
      "<c r=\"F4\" s=\"4\"><v>0.4375</v></c></row>"
      "<row r=\"6\"><c r=\"A6\" t=\"str\"><f>A4</f><v>Formule</v></c>"
      "<c r=\"B6\" s=\"1\"><v>1234567.5</v></c><c r=\"C6\" t=\"b\"><v>1</v></c>"
      "<c r=\"D6\" t=\"e\"><v>#N/A</v></c><c r=\"E6\"><v>2.18601946E+13</v></c>"
      "<c r=\"F6\" s=\"3\"/></row>";
  const Sheet s = read_ok(xlsx(data, kShared), Format::Xlsx);
  EXPECT_EQ(s.name, "Subventions");
  ASSERT_EQ(s.rows.size(), 4u);
  EXPECT_EQ(s.rows[0].number, 1);
  EXPECT_EQ(s.rows[1].number, 3);
  EXPECT_EQ(s.rows[2].number, 4);
  EXPECT_EQ(s.rows[3].number, 6);
  expect_cell(s, 1, 0, Kind::Text, "Nom du bénéficiaire");
  expect_cell(s, 1, 2, Kind::Text, "Date de convention");  // runs joined, phonetics left out
  EXPECT_EQ(s.rows[1].cells[3].kind, Kind::Empty);
  expect_cell(s, 1, 4, Kind::Text, " ");
  expect_cell(s, 2, 0, Kind::Text, "Association\ndes amis");
  expect_cell(s, 2, 1, Kind::Number, "99.5");            // shown "100" by "#,##0"
  expect_cell(s, 2, 2, Kind::Date, "2017-12-06");        // shown "12/06/2017"
  expect_cell(s, 2, 3, Kind::Date, "2017-12-06");        // the built-in short date
  expect_cell(s, 2, 4, Kind::Number, "21860194600000");  // a SIRET typed as a number
  expect_cell(s, 2, 5, Kind::Time, "10:30:00");
  expect_cell(s, 3, 0, Kind::Text, "Formule");
  expect_cell(s, 3, 1, Kind::Number, "1234567.5");  // shown "1 234 568"
  expect_cell(s, 3, 2, Kind::Boolean, "true");
  expect_cell(s, 3, 3, Kind::Error, "#N/A");
  expect_cell(s, 3, 4, Kind::Number, "21860194600000");
  EXPECT_EQ(s.rows[3].cells.size(), 5u);  // F6 has a style and no value
}

// Identifiers typed as numbers under a format of zeros keep the zeros the sheet shows (a
// postal code 01234, a SIRET beginning with 0); Excel's escapes in strings are read
// ("_x000D_" a carriage return, a surrogate pair one character).
TEST(XlsxReader, ZeroPaddedIdentifiersAndEscapedCharactersAreReadAsShown) {
  const std::string data =
      "<row r=\"1\"><c r=\"A1\" s=\"5\"><v>1234</v></c><c r=\"B1\" s=\"6\"><v>1234567800012</v>"
      "</c><c r=\"C1\" s=\"5\"><v>123456</v></c><c r=\"D1\" s=\"5\"><v>12.5</v></c>"
      "<c r=\"E1\" t=\"inlineStr\"><is><t>ligne 1_x000D_\nligne 2 _x005F_x0041_ "
      "_xD83D__xDE00_ _xD83D_ _x00zz_</t></is></c></row>";
  const Sheet s = read_ok(xlsx(data, kShared), Format::Xlsx);
  ASSERT_EQ(s.rows.size(), 1u);
  expect_cell(s, 0, 0, Kind::Text, "01234");
  expect_cell(s, 0, 1, Kind::Text, "01234567800012");
  expect_cell(s, 0, 2, Kind::Number, "123456");  // wider than the format: as it is
  expect_cell(s, 0, 3, Kind::Number, "12.5");    // not a whole number: as it is
  expect_cell(s, 0, 4, Kind::Text, "ligne 1\r\nligne 2 _x0041_ \xF0\x9F\x98\x80 _xD83D_ _x00zz_");
  EXPECT_EQ(octroi::workbook::zero_padding("00000;[Red]-00000"), 5);
  EXPECT_EQ(octroi::workbook::zero_padding("0.00"), 0);
  EXPECT_EQ(octroi::workbook::zero_padding("#,##0"), 0);
}

// The sheet is read as it inflates, a run of whole rows at a time, never held whole: rows cut by
// the pieces, a prefixed namespace, a comment or a CDATA section holding "</row>" are read as
// they are; a sheet cut in the middle of its rows, or without rows, is refused.
TEST(XlsxReader, ALargeSheetIsReadARunOfRowsAtATime) {
  std::string data;
  for (int r = 1; r <= 20000; ++r)
    data +=
        "<x:row r=\"" + std::to_string(r) + "\"><x:c r=\"A" + std::to_string(r) +
        "\" t=\"inlineStr\"><x:is><x:t>Ligne " + std::to_string(r) +
        "</x:t></x:is></x:c><x:c r=\"B" + std::to_string(r) + "\"><x:v>" + std::to_string(r) +
        ".5</x:v></x:c>" +
        (r == 9000 ? "<x:c r=\"C9000\" t=\"str\"><x:v><![CDATA[a</x:row>b]]></x:v></x:c>" : "") +
        "</x:row><!-- </x:row> un commentaire -->" + std::string(40, ' ');
  // The sheet written with the prefix "x:" (as some generators write it).
  const std::string ns = "xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"";
  const auto package = [&](const std::string& sheet) {
    return octroi_testing::one_sheet_xlsx(sheet);
  };
  const std::string head =
      "<?xml version=\"1.0\"?><x:worksheet " + ns +
      "><x:sheetPr/><x:cols><x:col min=\"1\" max=\"2\"/></x:cols><x:sheetData>";
  const Sheet s =
      read_ok(package(head + data + "</x:sheetData><x:mergeCells/></x:worksheet>"), Format::Xlsx);
  ASSERT_EQ(s.rows.size(), 20000u);
  expect_cell(s, 0, 0, Kind::Text, "Ligne 1");
  expect_cell(s, 6999, 1, Kind::Number, "7000.5");
  expect_cell(s, 7000, 0, Kind::Text, "Ligne 7001");
  EXPECT_EQ(s.rows[8999].number, 9000);
  expect_cell(s, 8999, 2, Kind::Text, "a</x:row>b");
  EXPECT_EQ(s.rows.back().number, 20000);
  expect_cell(s, 19999, 1, Kind::Number, "20000.5");

  // Cut in the middle of its rows, or without rows at all.
  const auto refused = [&](const std::string& sheet) {
    auto r = read_first_sheet(package(sheet), Format::Xlsx, {});
    return r.ok() ? std::string("accepted") : r.refusal().first().message;
  };
  EXPECT_EQ(refused(head + data.substr(0, data.size() / 2)),
            "Le classeur .xlsx est endommagé : sa feuille s'arrête au milieu de ses lignes.");
  EXPECT_EQ(refused("<?xml version=\"1.0\"?><x:worksheet " + ns + "/>"),
            "Le classeur .xlsx est endommagé : sa feuille n'a pas de lignes (sheetData).");
  EXPECT_NE(
      refused(head + "<x:row r=\"1\"><x:c r=\"A1\"><x:v>1</x:row></x:sheetData></x:worksheet>")
          .find("n'est pas du XML"),
      std::string::npos);
}

// What the sheet's scanner must not mistake: a part declared in another encoding (converted as
// before), a comment or CDATA section holding "</sheetData>", end tags with spaces, a sheetData
// start tag cut by the pieces after a long run of spaces, "sheetData" as text or in a comment
// before the real one, quoted '>' in attribute values.
TEST(XlsxReader, WhatTheSheetScannerMustNotMistake) {
  const std::string ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"";
  const auto package = [&](const std::string& sheet) {
    const std::string rns =
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
    return octroi::documents::zip_archive(
        {{"[Content_Types].xml", "<Types/>"},
         {"xl/workbook.xml", "<?xml version=\"1.0\"?><workbook " + ns + " " + rns +
                                 "><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
                                 "</sheets></workbook>"},
         {"xl/_rels/workbook.xml.rels",
          "<?xml version=\"1.0\"?><Relationships "
          "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
          "Id=\"rId1\" Target=\"worksheets/sheet1.xml\" Type=\"x\"/></Relationships>"},
         {"xl/worksheets/sheet1.xml", sheet}});
  };
  // ISO-8859-1, as the declaration says: "é" is E9.
  Sheet s = read_ok(package("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><worksheet " + ns +
                            "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>"
                            "b\xE9"
                            "n\xE9"
                            "ficiaire</t></is></c></row></sheetData></worksheet>"),
                    Format::Xlsx);
  ASSERT_EQ(s.rows.size(), 1u);
  expect_cell(s, 0, 0, Kind::Text, "bénéficiaire");

  // Comments, CDATA, spaces in end tags, quoted '>'.
  s = read_ok(package("<?xml version=\"1.0\"?><worksheet " + ns +
                      "><sheetPr codeName=\"a>b\"/><sheetData ><!-- </sheetData> -->"
                      "<row r=\"1\" spans=\"1:2\"><c r=\"A1\" t=\"inlineStr\"><is><t>"
                      "<![CDATA[x</sheetData>y]]></t></is></c></row >"
                      "<row r=\"2\" customFormat=\"1\"/><row r=\"3\"><c r=\"A3\"><v>3</v></c>"
                      "</row></sheetData ><mergeCells/></worksheet>"),
              Format::Xlsx);
  ASSERT_EQ(s.rows.size(), 2u);
  expect_cell(s, 0, 0, Kind::Text, "x</sheetData>y");
  expect_cell(s, 1, 0, Kind::Number, "3");

  // The start tag cut by the end of the first piece (64 KiB), after "sheetData" as text and in
  // a comment.
  std::string head = "<?xml version=\"1.0\"?><worksheet " + ns +
                     "><extra>x:sheetData</extra><!--<sheetData>--><!--";
  head.append(65536 - 200 - head.size(), '-');
  head += "-->";
  head += "<sheetData" + std::string(400, ' ') + ">";
  s = read_ok(package(head + "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData></worksheet>"),
              Format::Xlsx);
  ASSERT_EQ(s.rows.size(), 1u);
  expect_cell(s, 0, 0, Kind::Number, "1");
}

TEST(XlsxReader, The1904EpochAndTheFirstVisibleSheet) {
  const std::string data = "<row r=\"2\"><c r=\"B2\" s=\"3\"><v>41613</v></c></row>";
  const Sheet s =
      read_ok(xlsx(data, "", "<workbookPr date1904=\"1\"/>",
                   "<sheet name=\"Cachée\" sheetId=\"1\" state=\"hidden\" r:id=\"rId2\"/>"
                   "<sheet name=\"Visible\" sheetId=\"2\" r:id=\"rId1\"/>"),
              Format::Xlsx);
  EXPECT_EQ(s.name, "Visible");
  EXPECT_EQ(s.sheets_in_workbook, 2);
  ASSERT_EQ(s.rows.size(), 1u);
  expect_cell(s, 0, 1, Kind::Date, "2017-12-06");
}

std::string refusal_of(const std::string& bytes, Format f, const Limits& limits = {}) {
  auto r = read_first_sheet(bytes, f, limits);
  if (r.ok()) return "accepted";
  EXPECT_EQ(r.refusal().first().field, "file");
  return r.refusal().first().code + ": " + r.refusal().first().message;
}

TEST(XlsxReader, DamagedOrOversizedWorkbooksAreRefusedSayingWhy) {
  EXPECT_NE(refusal_of("ceci n'est pas un classeur", Format::Xlsx)
                .find("workbook.unreadable: Ce fichier n'est pas un classeur .xlsx lisible"),
            std::string::npos);
  EXPECT_NE(refusal_of(octroi::documents::zip_archive({{"a.txt", "x"}}), Format::Xlsx)
                .find("il lui manque « xl/workbook.xml »"),
            std::string::npos);
  EXPECT_NE(
      refusal_of(xlsx("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>9</v></c></row>", kShared), Format::Xlsx)
          .find("la cellule A1 renvoie à un texte qui n'existe pas"),
      std::string::npos);
  EXPECT_NE(refusal_of(xlsx("<row r=\"1\"><c r=\"A2\"><v>1</v></c></row>", ""), Format::Xlsx)
                .find("la référence de cellule « A2 » est fausse"),
            std::string::npos);
  EXPECT_NE(refusal_of(xlsx("<row r=\"1\"><c r=\"A1\"><v>1,5</v></c></row>", ""), Format::Xlsx)
                .find("« 1,5 », qui n'est pas un nombre"),
            std::string::npos);
  EXPECT_NE(refusal_of(xlsx("<row r=\"2\"><c r=\"A2\"><v>1</v></c></row>"
                            "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>",
                            ""),
                       Format::Xlsx)
                .find("ses lignes ne se suivent pas"),
            std::string::npos);
  EXPECT_NE(refusal_of(xlsx("<row r=\"1\"><c r=\"A1\"><f>B1*2</f></c></row>", ""), Format::Xlsx)
                .find("la cellule A1 tient une formule dont le résultat n'a pas été enregistré"),
            std::string::npos);
  // The empty cells a row holds before its last one count: one cell far right on each row is a
  // whole row each.
  Limits narrow;
  narrow.max_cells = 1000;
  EXPECT_NE(refusal_of(xlsx("<row r=\"1\"><c r=\"CV1\"><v>1</v></c></row>"
                            "<row r=\"2\"><c r=\"CV2\"><v>1</v></c></row>"
                            "<row r=\"3\"><c r=\"GR3\"><v>1</v></c></row>"
                            "<row r=\"4\"><c r=\"ZZ4\"><v>1</v></c></row>"
                            "<row r=\"5\"><c r=\"ALL5\"><v>1</v></c></row>",
                            ""),
                       Format::Xlsx, narrow)
                .find("plus de 1000 cellules"),
            std::string::npos);
  EXPECT_NE(refusal_of(xlsx("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>", ""), Format::Xlsx)
                .find("workbook.too_large: Le classeur .xlsx a plus de 16384 colonnes"),
            std::string::npos);
  // A sheet that inflates beyond the budget is not inflated further.
  std::string big;
  for (int i = 1; i <= 2000; ++i)
    big += "<row r=\"" + std::to_string(i) + "\"><c r=\"A" + std::to_string(i) +
           "\"><v>1</v></c></row>";
  Limits small;
  small.max_inflated_bytes = 20'000;
  EXPECT_NE(refusal_of(xlsx(big, ""), Format::Xlsx, small).find("workbook.too_large"),
            std::string::npos);
  Limits few;
  few.max_cells = 100;
  EXPECT_NE(refusal_of(xlsx(big, ""), Format::Xlsx, few).find("plus de 100 cellules"),
            std::string::npos);
}

std::string ods(const std::string& rows) {
  const std::string content =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
      "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
      "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
      "xmlns:calcext=\"urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0\">"
      "<office:body><office:spreadsheet><table:table table:name=\"Feuille1\">"
      "<table:table-column table:number-columns-repeated=\"5\"/>" +
      rows +
      "</table:table><table:table table:name=\"Autre\"/></office:spreadsheet></office:body>"
      "</office:document-content>";
  return octroi::documents::zip_archive(
      {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}, {"content.xml", content}});
}

TEST(OdsReader, ValuesByTypeRepeatsCountedAndEmptyRowsTakingNoRoom) {
  const std::string rows =
      "<table:table-header-rows><table:table-row>"
      "<table:table-cell office:value-type=\"string\"><text:p>Montant</text:p></table:table-cell>"
      "<table:table-cell office:value-type=\"string\"><text:p>Date</text:p></table:table-cell>"
      "</table:table-row></table:table-header-rows>"
      "<table:table-row>"
      "<table:table-cell office:value-type=\"float\" office:value=\"99.5\"><text:p>100</text:p>"
      "</table:table-cell>"
      "<table:table-cell office:value-type=\"date\" office:date-value=\"2017-12-06\">"
      "<text:p>12/06/17</text:p></table:table-cell>"
      "<table:table-cell office:value-type=\"currency\" office:value=\"1234567.5\"/>"
      "<table:table-cell office:value-type=\"percentage\" office:value=\"0.5162\"/>"
      "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"false\"/>"
      "</table:table-row>"
      "<table:table-row table:number-rows-repeated=\"1000000\"><table:table-cell "
      "table:number-columns-repeated=\"1024\"/></table:table-row>"
      "<table:table-row>"
      "<table:table-cell office:value-type=\"string\"><text:p>Deux<text:s text:c=\"3\"/>espaces"
      "<text:line-break/>et une ligne</text:p><text:p>puis un paragraphe</text:p>"
      "<office:annotation><text:p>commentaire</text:p></office:annotation></table:table-cell>"
      "<table:covered-table-cell/>"
      "<table:table-cell office:value-type=\"time\" office:time-value=\"PT10H30M00S\"/>"
      "<table:table-cell table:number-columns-repeated=\"2\" office:value-type=\"float\" "
      "office:value=\"7\"/>"
      "</table:table-row>"
      "<table:table-row table:number-rows-repeated=\"2\">"
      "<table:table-cell office:value-type=\"date\" office:date-value=\"2017-12-06T10:30:00\"/>"
      "<table:table-cell calcext:value-type=\"error\"><text:p>#N/A</text:p></table:table-cell>"
      "</table:table-row>";
  const Sheet s = read_ok(ods(rows), Format::Ods);
  EXPECT_EQ(s.name, "Feuille1");
  EXPECT_EQ(s.sheets_in_workbook, 2);
  ASSERT_EQ(s.rows.size(), 5u);
  EXPECT_EQ(s.rows[0].number, 1);
  EXPECT_EQ(s.rows[1].number, 2);
  EXPECT_EQ(s.rows[2].number, 1000003);
  EXPECT_EQ(s.rows[3].number, 1000004);
  EXPECT_EQ(s.rows[4].number, 1000005);
  expect_cell(s, 0, 0, Kind::Text, "Montant");
  expect_cell(s, 1, 0, Kind::Number, "99.5");
  expect_cell(s, 1, 1, Kind::Date, "2017-12-06");
  expect_cell(s, 1, 2, Kind::Number, "1234567.5");
  expect_cell(s, 1, 3, Kind::Number, "0.5162");
  expect_cell(s, 1, 4, Kind::Boolean, "false");
  expect_cell(s, 2, 0, Kind::Text, "Deux   espaces\net une ligne\npuis un paragraphe");
  EXPECT_EQ(s.rows[2].cells[1].kind, Kind::Empty);
  expect_cell(s, 2, 2, Kind::Time, "10:30:00");
  expect_cell(s, 2, 3, Kind::Number, "7");
  expect_cell(s, 2, 4, Kind::Number, "7");
  expect_cell(s, 3, 0, Kind::DateTime, "2017-12-06T10:30:00");
  expect_cell(s, 3, 1, Kind::Error, "#N/A");
  expect_cell(s, 4, 0, Kind::DateTime, "2017-12-06T10:30:00");
}

// A whole number shown with leading zeros keeps them; anything else shown differently from its
// value (rounded, grouped) is read by value.
TEST(OdsReader, ZeroPaddedIdentifiersKeepTheirZeros) {
  const std::string rows =
      "<table:table-row>"
      "<table:table-cell office:value-type=\"float\" office:value=\"1234\"><text:p>01234</text:p>"
      "</table:table-cell>"
      "<table:table-cell office:value-type=\"float\" office:value=\"1234\"><text:p>1 234</text:p>"
      "</table:table-cell>"
      "<table:table-cell office:value-type=\"float\" office:value=\"12.5\"><text:p>012.5</text:p>"
      "</table:table-cell>"
      "<table:table-cell office:value-type=\"currency\" office:value=\"7\"><text:p>007</text:p>"
      "</table:table-cell>"
      "</table:table-row>";
  const Sheet s = read_ok(ods(rows), Format::Ods);
  ASSERT_EQ(s.rows.size(), 1u);
  expect_cell(s, 0, 0, Kind::Text, "01234");
  expect_cell(s, 0, 1, Kind::Number, "1234");
  expect_cell(s, 0, 2, Kind::Number, "12.5");
  expect_cell(s, 0, 3, Kind::Number, "7");  // an amount, never an identifier
}

// content.xml is read as it inflates, a run of whole rows at a time: rows inside groups nested
// deeply, columns and shapes beside them, comments holding a row's end tag, rows cut by the
// pieces; the other tables are counted, not read.
TEST(OdsReader, ALargeSheetIsReadARunOfRowsAtATime) {
  std::string rows =
      "<table:table-column-group><table:table-column/></table:table-column-group>"
      "<table:shapes><draw:frame><text:p>pas une ligne</text:p></draw:frame>"
      "</table:shapes>";
  for (int g = 0; g < 40; ++g)
    rows += "<table:table-row-group>";
  for (int r = 1; r <= 20000; ++r)
    rows += "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>Ligne " +
            std::to_string(r) +
            "</text:p></table:table-cell><table:table-cell office:value-type=\"float\" "
            "office:value=\"" +
            std::to_string(r) + ".5\"/></table:table-row><!-- </table:table-row> -->" +
            std::string(30, ' ');
  for (int g = 0; g < 40; ++g)
    rows += "</table:table-row-group>";
  const Sheet s = read_ok(ods(rows), Format::Ods);
  EXPECT_EQ(s.name, "Feuille1");
  EXPECT_EQ(s.sheets_in_workbook, 2);
  ASSERT_EQ(s.rows.size(), 20000u);
  expect_cell(s, 0, 0, Kind::Text, "Ligne 1");
  expect_cell(s, 12345, 1, Kind::Number, "12346.5");
  EXPECT_EQ(s.rows.back().number, 20000);
}

// What content.xml's scanner must not mistake: quoted '>' in attribute values (a row's style, the
// sheet's name), a sub-table inside a cell (its rows stay in the cell's row), sub-tables of the
// next sheets (not sheets of their own).
TEST(OdsReader, WhatTheTableScannerMustNotMistake) {
  const std::string content =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
      "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
      "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\">"
      "<office:body><office:spreadsheet><table:table table:name=\"a>b\">"
      "<table:table-row table:style-name=\"r/>1\"><table:table-cell office:value-type=\"string\">"
      "<text:p>un</text:p></table:table-cell><table:table-cell>"
      "<table:table table:is-sub-table=\"true\"><table:table-row><table:table-cell "
      "office:value-type=\"string\"><text:p>dedans</text:p></table:table-cell></table:table-row>"
      "</table:table></table:table-cell><table:table-cell office:value-type=\"float\" "
      "office:value=\"2\"/></table:table-row>"
      "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>deux</text:p>"
      "</table:table-cell></table:table-row></table:table>"
      "<table:table table:name=\"Autre\"><table:table-row><table:table-cell>"
      "<table:table table:is-sub-table=\"true\"/></table:table-cell></table:table-row>"
      "</table:table></office:spreadsheet></office:body></office:document-content>";
  const Sheet s = read_ok(octroi::documents::zip_archive({{"content.xml", content}}), Format::Ods);
  EXPECT_EQ(s.name, "a>b");
  EXPECT_EQ(s.sheets_in_workbook, 2);
  ASSERT_EQ(s.rows.size(), 2u);
  expect_cell(s, 0, 0, Kind::Text, "un");
  expect_cell(s, 0, 2, Kind::Number, "2");
  expect_cell(s, 1, 0, Kind::Text, "deux");
}

TEST(OdsReader, DamagedOrOversizedWorkbooksAreRefusedSayingWhy) {
  EXPECT_NE(refusal_of("PK pas un zip", Format::Ods).find("workbook.unreadable"),
            std::string::npos);
  EXPECT_NE(refusal_of(octroi::documents::zip_archive({{"content.xml", "<a><b></a>"}}), Format::Ods)
                .find("il n'a aucune feuille"),
            std::string::npos);
  EXPECT_NE(refusal_of(ods("<table:table-row><table:table-cell></table:table-row>"), Format::Ods)
                .find("« content.xml » n'est pas du XML"),
            std::string::npos);
  EXPECT_NE(refusal_of(octroi::documents::zip_archive(
                           {{"content.xml",
                             "<office:document-content><office:body><office:spreadsheet>"
                             "<table:table table:name=\"S\"><table:table-row>"
                             "<table:table-cell/>"}}),
                       Format::Ods)
                .find("sa feuille s'arrête au milieu de ses lignes"),
            std::string::npos);
  EXPECT_NE(refusal_of(ods("<table:table-row><table:table-cell office:value-type=\"float\" "
                           "office:value=\"beaucoup\"/></table:table-row>"),
                       Format::Ods)
                .find("ligne 1, colonne 1 : « beaucoup » n'est pas un nombre"),
            std::string::npos);
  // Spans nested deeper than any document: refused, not recursed into.
  std::string deep = "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>";
  for (int i = 0; i < 100; ++i)
    deep += "<text:span>";
  deep += "x";
  for (int i = 0; i < 100; ++i)
    deep += "</text:span>";
  deep += "</text:p></table:table-cell></table:table-row>";
  EXPECT_NE(refusal_of(ods(deep), Format::Ods).find("un texte imbriqué plus que tout document"),
            std::string::npos);
  // A value repeated over a million rows is a million cells, and bounded as such.
  Limits few;
  few.max_cells = 1000;
  EXPECT_NE(refusal_of(ods("<table:table-row table:number-rows-repeated=\"1000000\">"
                           "<table:table-cell office:value-type=\"float\" office:value=\"1\"/>"
                           "</table:table-row>"),
                       Format::Ods, few)
                .find("plus de 1000 cellules"),
            std::string::npos);
  EXPECT_NE(refusal_of(ods("<table:table-row><table:table-cell table:number-columns-repeated="
                           "\"20000\" office:value-type=\"float\" office:value=\"1\"/>"
                           "</table:table-row>"),
                       Format::Ods)
                .find("plus de 16384 colonnes"),
            std::string::npos);
}

}  // namespace
