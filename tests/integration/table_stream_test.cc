// Issue 17, finding 6: a subsidy file is checked whole, then read again as it is imported, a
// piece of 1 MiB at a time, never held. These files are larger than a piece: characters of
// several bytes, UTF-16 surrogate pairs and quoted fields cut by the end of a piece are read
// whole; a problem after the first piece still names its line; a file that changes between the
// two readings stops the import; a record beyond 1 MiB is refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/opendata/import_file.h"
#include "adapters/opendata/table_reader.h"
#include "adapters/opendata/text_decoding.h"
#include "app/digest_map.h"
#include "app/scdl_import.h"
#include "common/xlsx_package.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

using octroi::opendata::kPiece;

// A UTF-8 file of `pieces` pieces or more: a header, then numbered lines, the first "é" of the
// line that crosses each piece's end placed across it, and a quoted field on two lines across
// the second piece's end. Returns the bytes; `rows` gets the names written, in order.
std::string large_file(std::size_t pieces, std::vector<std::string>& names) {
  std::string out = "nomBeneficiaire;montant;objet\n";
  for (std::size_t boundary = kPiece; boundary <= pieces * kPiece; boundary += kPiece) {
    while (out.size() + 64 < boundary - 200) {
      names.push_back("Association n° " + std::to_string(names.size()));
      out += names.back() + ";1000;Objet\n";
    }
    if (boundary == 2 * kPiece) {
      // A quoted field whose line break is the piece's last byte.
      names.push_back("Cut by a piece");
      out += names.back() + ";1000;\"première ligne";
      out.append(boundary - 1 - out.size(), 'x');
      out += "\nseconde ligne\"\n";
      continue;
    }
    // "é" (C3 A9) with its first byte the piece's last ("Comit" is 5 bytes).
    const std::size_t pad = boundary - 1 - out.size() - 5;
    const std::string line = "Comit" + std::string(pad, 'z') + "é";
    names.push_back(line);
    out += line + ";1000;Objet\n";
  }
  return out;
}

octroi::ImportTable read(std::string_view bytes, const std::string& source = "gros.csv") {
  auto t = octroi::opendata::read_table(bytes, source);
  if (!t.ok()) {
    ADD_FAILURE() << t.refusal().describe();
    return {};
  }
  return std::move(t).value();
}

std::string refusal_of(std::string_view bytes) {
  auto t = octroi::opendata::read_table(bytes, "gros.csv");
  if (t.ok()) return "accepted";
  return t.refusal().first().code + " " + t.refusal().first().message;
}

TEST(TableStream, CharactersAndQuotedFieldsCutByAPieceAreReadWhole) {
  std::vector<std::string> names;
  const std::string bytes = large_file(3, names);
  ASSERT_GT(bytes.size(), 3 * kPiece - 1024);
  // The "é" placed across the first piece's end.
  ASSERT_EQ(static_cast<unsigned char>(bytes[kPiece - 1]), 0xC3);
  ASSERT_EQ(bytes[2 * kPiece - 1], '\n');
  const auto t = read(bytes);
  EXPECT_EQ(t.encoding, "UTF-8");
  EXPECT_EQ(t.delimiter, ';');
  ASSERT_EQ(t.rows.size(), names.size());
  EXPECT_EQ(t.row_count, names.size());
  int line = 2;
  for (std::size_t i = 0; i < names.size(); ++i) {
    ASSERT_EQ(t.rows[i].size(), 3u) << i;
    EXPECT_EQ(t.rows[i][0], names[i]) << i;
    EXPECT_EQ(t.lines[i], line) << i;
    line += names[i] == "Cut by a piece" ? 2 : 1;
    if (names[i] == "Cut by a piece") {
      EXPECT_EQ(t.rows[i][2].substr(t.rows[i][2].size() - 14), "\nseconde ligne");
    }
  }

  // The same file on disk, read as the import reads it: the same rows, the same lines.
  TempDir dir;
  const std::string path = dir.file("gros.csv");
  std::ofstream(path, std::ios::binary) << bytes;
  auto head = octroi::opendata::open_table(path, "gros.csv");
  ASSERT_TRUE(head.ok()) << head.refusal().describe();
  EXPECT_TRUE(head->rows.empty());
  EXPECT_EQ(head->rows_in_all(), names.size());
  EXPECT_EQ(head->header, t.header);
  std::vector<std::vector<std::string>> rows;
  std::vector<int> lines;
  head->for_each_row([&](const std::vector<std::string>& row, int l) {
    rows.push_back(row);
    lines.push_back(l);
  });
  EXPECT_EQ(rows, t.rows);
  EXPECT_EQ(lines, t.lines);

  // Changed between the two readings: the import stops (its transaction is rolled back).
  auto again = octroi::opendata::open_table(path, "gros.csv");
  ASSERT_TRUE(again.ok());
  std::ofstream(path, std::ios::binary | std::ios::app) << "Intrus;1;x\n";
  EXPECT_THROW(again->for_each_row([](const std::vector<std::string>&, int) {}),
               octroi::ImportInterrupted);
  EXPECT_THROW(octroi::opendata::open_table(dir.file("absent.csv"), "absent.csv"),
               octroi::ImportInterrupted);
}

TEST(TableStream, Windows1252AndUtf16AreConvertedAPieceAtATime) {
  std::vector<std::string> names;
  const std::string utf8 = large_file(2, names);
  // Windows-1252: "é" is E9, "°" B0.
  std::string cp1252;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c == 0xC3 || c == 0xC2) {
      cp1252 += static_cast<char>(c == 0xC3 ? static_cast<unsigned char>(utf8[i + 1]) + 0x40
                                            : static_cast<unsigned char>(utf8[i + 1]));
      ++i;
    } else {
      cp1252 += utf8[i];
    }
  }
  const auto w = read(cp1252);
  EXPECT_EQ(w.encoding, "Windows-1252");
  ASSERT_EQ(w.rows.size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i)
    EXPECT_EQ(w.rows[i][0], names[i]) << i;

  // UTF-16LE with a BOM, an emoji (a surrogate pair, four bytes) across the first piece's end.
  std::string text = "nomBeneficiaire;montant\n";
  std::string u16 = "\xFF\xFE";
  const auto put = [&](char16_t unit) {
    u16 += static_cast<char>(unit & 0xFF);
    u16 += static_cast<char>(unit >> 8);
  };
  for (const char c : text)
    put(static_cast<unsigned char>(c));
  int rows = 0;
  while (u16.size() + 64 < kPiece) {
    for (const char c : std::string("Ligne;1\n"))
      put(static_cast<unsigned char>(c));
    ++rows;
  }
  while (u16.size() < kPiece - 2)
    put(u'a');
  put(0xD83D);  // 😀, U+1F600: D83D DE00, cut in two by the piece's end
  put(0xDE00);
  for (const char c : std::string(";2\n"))
    put(static_cast<unsigned char>(c));
  const auto u = read(u16);
  EXPECT_EQ(u.encoding, "UTF-16LE (BOM)");
  ASSERT_EQ(u.rows.size(), static_cast<std::size_t>(rows) + 1);
  const std::string& last = u.rows.back()[0];
  EXPECT_EQ(last.substr(last.size() - 4), "\xF0\x9F\x98\x80");
  EXPECT_EQ(u.rows.back()[1], "2");
}

TEST(TableStream, AProblemAfterTheFirstPieceNamesItsLine) {
  std::vector<std::string> names;
  const std::string good = large_file(2, names);
  const int lines = static_cast<int>(std::count(good.begin(), good.end(), '\n'));
  // One Windows-1252 byte after the UTF-8 "é"s of the first piece.
  EXPECT_EQ(refusal_of(good + "Caf\xE9;1;x\n").substr(0, 22), "import.encoding_mixed ");
  EXPECT_NE(refusal_of(good + "Caf\xE9;1;x\n").find("ligne " + std::to_string(lines + 1) + " :"),
            std::string::npos)
      << refusal_of(good + "Caf\xE9;1;x\n");
  // A NUL.
  const std::string nul = refusal_of(good + "A" + std::string(1, '\0') + "B;1;x\n");
  EXPECT_EQ(nul.substr(0, 11), "import.nul ") << nul;
  EXPECT_NE(nul.find("ligne " + std::to_string(lines + 1) + " :"), std::string::npos) << nul;
  // A last line cut inside its amount.
  const std::string cut = refusal_of(good + "Dernière;90");
  EXPECT_EQ(cut.substr(0, 17), "import.truncated ") << cut;
  EXPECT_NE(cut.find("ligne " + std::to_string(lines + 1) + " :"), std::string::npos) << cut;
  // A record of more than 1 MiB (a quoted field that never ends, or a file that is no table).
  const std::string huge =
      refusal_of("nomBeneficiaire;montant\nA;1\n\"" + std::string(kPiece + 10, 'y') + "\";2\n");
  EXPECT_EQ(huge.substr(0, 21), "import.line_too_long ") << huge.substr(0, 200);
  EXPECT_NE(huge.find("ligne 3 :"), std::string::npos) << huge.substr(0, 200);
  // Or a line of a hundred thousand empty fields: each field costs its string too.
  const std::string empties =
      refusal_of("nomBeneficiaire;montant\nA;1\nB;2" + std::string(100000, ';') + "\n");
  EXPECT_EQ(empties.substr(0, 21), "import.line_too_long ") << empties.substr(0, 200);
  EXPECT_NE(empties.find("ligne 3 :"), std::string::npos) << empties.substr(0, 200);
}

// Lines ended by a lone CR (Excel for Mac) are decided on the first piece; a CRLF later in the
// file, or cut by a piece's end, stays one line end, and a CR inside quotes followed by LF is
// kept as it is.
TEST(TableStream, LoneCrLinesAndALaterCrlfAreEachOneLineEnd) {
  std::string bytes = "nomBeneficiaire;montant\r";
  int lines = 1;
  while (bytes.size() + 32 < kPiece - 20) {
    bytes += "Ligne " + std::to_string(lines) + ";1\r";
    ++lines;
  }
  // A CRLF cut by the first piece's end.
  bytes += "Coupée;2";
  bytes.append(kPiece - 1 - bytes.size(), '0');
  bytes += "\r\n";
  ++lines;
  ASSERT_EQ(bytes[kPiece - 1], '\r');
  bytes += "\"x\r\ny\";3\r\nDernière;4\r";
  const auto t = read(bytes);
  ASSERT_EQ(t.rows.size(), static_cast<std::size_t>(lines) + 1);
  EXPECT_EQ(t.rows[static_cast<std::size_t>(lines) - 2][0], "Coupée");
  EXPECT_EQ(t.lines[static_cast<std::size_t>(lines) - 2], lines);
  EXPECT_EQ(t.rows[static_cast<std::size_t>(lines) - 1][0], "x\r\ny");
  EXPECT_EQ(t.lines[static_cast<std::size_t>(lines) - 1], lines + 1);
  EXPECT_EQ(t.rows.back()[0], "Dernière");
  EXPECT_EQ(t.lines.back(), lines + 3);
}

// A workbook is read twice the same way, its rows handed on one at a time (an .xlsx sheet never
// held whole): a title above the header, a cell right of the header, rows as the sheet numbers
// them; the same table as when it is read in memory.
TEST(TableStream, AWorkbookIsCheckedThenReadAgainRowByRow) {
  const std::string ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"";
  const auto text = [](const std::string& ref, const std::string& t) {
    return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + t + "</t></is></c>";
  };
  std::string rows = "<row r=\"1\">" + text("A1", "Subventions 2022") + "</row><row r=\"3\">" +
                     text("A3", "Nom du bénéficiaire") + text("B3", "Montant") +
                     text("C3", "Date de la convention") + "</row>";
  for (int r = 4; r < 3004; ++r) {
    const std::string n = std::to_string(r);
    rows += "<row r=\"" + n + "\">" + text("A" + n, "Association " + n) + "<c r=\"B" + n +
            "\"><v>" + n + ".25</v></c>" + text("C" + n, "2022-05-01") +
            (r == 2000 ? text("E" + n, "note") : "") + "</row>";
  }
  const std::string bytes =
      octroi_testing::one_sheet_xlsx("<?xml version=\"1.0\"?><worksheet " + ns + "><sheetData>" +
                                     rows + "</sheetData></worksheet>");
  auto held = octroi::opendata::read_import_file(bytes, "classeur.xlsx");
  ASSERT_TRUE(held.ok()) << held.refusal().describe();
  EXPECT_EQ(held->header_line, 3);
  EXPECT_EQ(held->header, (std::vector<std::string>{"Nom du bénéficiaire", "Montant",
                                                    "Date de la convention", "", ""}));
  ASSERT_EQ(held->rows.size(), 3000u);
  EXPECT_EQ(held->lines.front(), 4);
  EXPECT_EQ(held->rows.front(),
            (std::vector<std::string>{"Association 4", "4.25", "2022-05-01", "", ""}));
  EXPECT_EQ(held->rows[1996][4], "note");

  TempDir dir;
  std::ofstream(dir.file("classeur.xlsx"), std::ios::binary) << bytes;
  auto head = octroi::opendata::open_import_file(dir.file("classeur.xlsx"), "classeur.xlsx");
  ASSERT_TRUE(head.ok()) << head.refusal().describe();
  EXPECT_TRUE(head->rows.empty());
  EXPECT_EQ(head->rows_in_all(), 3000u);
  EXPECT_EQ(head->header, held->header);
  EXPECT_EQ(head->encoding, held->encoding);
  std::vector<std::vector<std::string>> streamed;
  std::vector<int> lines;
  head->for_each_row([&](const std::vector<std::string>& row, int line) {
    streamed.push_back(row);
    lines.push_back(line);
  });
  EXPECT_EQ(streamed, held->rows);
  EXPECT_EQ(lines, held->lines);
}

TEST(DigestMap, CountsEachDigestWhateverTheirNumber) {
  octroi::DigestMap m;
  octroi::DigestMap reserved;
  reserved.reserve(50000);
  const auto key = [](int i) {
    char hex[65];
    std::snprintf(hex, sizeof hex, "%016x%016x%032x", i * 2654435761u, i, 0);
    return std::string(hex);
  };
  for (int i = 0; i < 100000; ++i) {
    auto& e = m.at(key(i));
    ++e.count;
    if (e.first == 0) e.first = i + 1;
  }
  for (int i = 0; i < 100000; i += 2)
    ++m.at(key(i)).count;
  for (int i = 0; i < 100000; ++i)  // reserved for half as many: it grows still
    reserved.at(key(i)).count += i;
  EXPECT_EQ(reserved.size(), 100000u);
  EXPECT_EQ(reserved.at(key(77777)).count, 77777);
  EXPECT_EQ(m.size(), 100000u);
  for (int i : {0, 1, 2, 4097, 99999}) {
    EXPECT_EQ(m.at(key(i)).count, i % 2 == 0 ? 2 : 1) << i;
    EXPECT_EQ(m.at(key(i)).first, i + 1) << i;
  }
  // Keys that differ only in their second half are distinct (key(0) is (0, 0), kept as (0, 1):
  // the empty slot's mark).
  EXPECT_EQ(m.at(std::string(16, '0') + std::string(15, '0') + "2" + std::string(32, 'f')).count,
            0);
  EXPECT_EQ(m.at(std::string(16, '0') + std::string(15, '0') + "1" + std::string(32, 'f')).count,
            2);
}

}  // namespace
}  // namespace octroi_test
