// Reading subsidy files as they really are (issue 8), the adapter alone: the bytes of a CSV file
// into a table of UTF-8 text (adapters/opendata/table_reader.h). The encoding is decided by the
// bytes (a BOM before Windows-1252 text does not make it UTF-8), the separator by the header,
// quoted fields keep their separators, quotes and line breaks, and every row knows the line of
// the file where it starts. The two real files of tests/fixtures/scdl/real are read byte for byte.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/opendata/table_reader.h"
#include "domain/text.h"

namespace octroi_test {
namespace {

#define OCTROI_TR_NBSP "\xC2\xA0"

using Rows = std::vector<std::vector<std::string>>;
using Strings = std::vector<std::string>;

constexpr const char* kNievre = "real/DEP_Nièvre_CD58_SUBVENTIONS_2016_LISTE.csv";
constexpr const char* kSomme = "real/DEP_Somme_TB_20180302_DONNEES_CONVENTIONS.csv";

std::string fixture(const std::string& name) {
  const std::string path = std::string(OCTROI_SOURCE_DIR) + "/tests/fixtures/scdl/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The table of `bytes`, failing the test if read_table refuses them.
octroi::ImportTable table(std::string_view bytes, const std::string& source = "t.csv") {
  auto t = octroi::opendata::read_table(bytes, source);
  if (!t.ok()) {
    ADD_FAILURE() << "read_table refused: " << t.refusal().describe();
    return {};
  }
  return std::move(t).value();
}

std::string utf8(std::string_view bytes, std::string& encoding) {
  auto text = octroi::opendata::decode_text(bytes, "t.csv", encoding);
  if (!text.ok()) {
    ADD_FAILURE() << "decode_text refused: " << text.refusal().describe();
    return "";
  }
  return std::move(text).value();
}

TEST(TableReader, Utf8WithoutBomIsKeptAsItIs) {
  const auto t = table("nomBeneficiaire,montant\nRégion Île-de-France,1500\n", "a.csv");
  EXPECT_EQ(t.source, "a.csv");
  EXPECT_EQ(t.encoding, "UTF-8");
  EXPECT_EQ(t.delimiter, ',');
  EXPECT_EQ(t.header, (Strings{"nomBeneficiaire", "montant"}));
  EXPECT_EQ(t.rows, (Rows{{"Région Île-de-France", "1500"}}));
  EXPECT_EQ(t.lines, (std::vector<int>{2}));
}

TEST(TableReader, ABomIsRemovedAndDoesNotStickToTheFirstColumnName) {
  const auto t = table("\xEF\xBB\xBFnomBeneficiaire;montant\r\nÉole;12\r\n");
  EXPECT_EQ(t.encoding, "UTF-8 (BOM)");
  EXPECT_EQ(t.delimiter, ';');
  EXPECT_EQ(t.header, (Strings{"nomBeneficiaire", "montant"}));
  EXPECT_EQ(t.rows, (Rows{{"Éole", "12"}}));
}

TEST(TableReader, Windows1252IsConvertedWithItsSpecialCharacters) {
  std::string encoding;
  // é, €, ’ (0x92), œ (0x9C), « » and a no-break space (0xA0).
  EXPECT_EQ(utf8("Op\xE9ration \x80 l\x92\xE9t\xE9 \x9Cuvre \xAB\xA0x\xA0\xBB", encoding),
            "Opération € l’été œuvre «\xC2\xA0x\xC2\xA0»");
  EXPECT_EQ(encoding, "Windows-1252");
  // A BOM before Windows-1252 text (the Somme's export): the bytes decide, the BOM is dropped.
  EXPECT_EQ(utf8("\xEF\xBB\xBF"
                 "D\xE9partement",
                 encoding),
            "Département");
  EXPECT_EQ(encoding, "Windows-1252 (précédé d'un BOM UTF-8)");
  // The five bytes Windows-1252 leaves undefined mean the file is in another encoding: refused
  // (issue 17: they used to become U+FFFD, the character lost without a word).
  auto undefined = octroi::opendata::decode_text("a\nb\n\x81x\xE9", "u.csv", encoding);
  ASSERT_FALSE(undefined.ok());
  EXPECT_EQ(undefined.refusal().first().code, "import.encoding_invalid");
  EXPECT_NE(undefined.refusal().first().message.find("ligne 3 : l'octet 0x81"), std::string::npos)
      << undefined.refusal().first().message;
  // Pure ASCII is UTF-8; so is a BOM alone.
  EXPECT_EQ(utf8("abc", encoding), "abc");
  EXPECT_EQ(encoding, "UTF-8");
  EXPECT_EQ(utf8("\xEF\xBB\xBF", encoding), "");
  EXPECT_EQ(encoding, "UTF-8 (BOM)");

  const auto t = table(
      "nomBeneficiaire;objet\r\nSoci\xE9t\xE9 d\x92histoire;Cr\xE9"
      "ation\r\n");
  EXPECT_EQ(t.encoding, "Windows-1252");
  EXPECT_EQ(t.rows, (Rows{{"Société d’histoire", "Création"}}));
  EXPECT_TRUE(octroi::text::is_valid_utf8(t.rows[0][0]));
}

TEST(TableReader, TheSeparatorIsTheOneTheHeaderUses) {
  EXPECT_EQ(table("a;b;c\n1;2;3\n").delimiter, ';');
  EXPECT_EQ(table("a\tb\tc\n1\t2\t3\n").delimiter, '\t');
  EXPECT_EQ(table("a,b,c\n1,2,3\n").delimiter, ',');
  EXPECT_EQ(table("seul\n1\n").delimiter, ',');
  // Separators inside a quoted column name do not count.
  const auto quoted = table("\"nom, dit\";montant;date\n\"A, B\";1,5;2017-01-01\n");
  EXPECT_EQ(quoted.delimiter, ';');
  EXPECT_EQ(quoted.header, (Strings{"nom, dit", "montant", "date"}));
  EXPECT_EQ(quoted.rows, (Rows{{"A, B", "1,5", "2017-01-01"}}));
  // Only the header decides: commas in the rows do not turn a semicolon file into a comma one.
  const auto body = table("a;b\n1,2,3,4;5\n");
  EXPECT_EQ(body.delimiter, ';');
  EXPECT_EQ(body.rows, (Rows{{"1,2,3,4", "5"}}));
  // Tab-separated: an empty cell between two tabs is a cell (a tab is not trimmed as a space).
  const auto tabs = table("a\tb\tc\nx\t\tz\n");
  EXPECT_EQ(tabs.rows, (Rows{{"x", "", "z"}}));
}

TEST(TableReader, QuotedFieldsKeepSeparatorsQuotesAndLineBreaks) {
  const std::string csv =
      "nomBeneficiaire,objet,montant\r\n"          // 1
      "\"Asso, dite \"\"A\"\"\",\"sur deux\r\n"    // 2
      "lignes\",100\r\n"                           // 3
      "B,simple,200\r\n"                           // 4
      "C,\"trois\nlignes, avec\nvirgules\",300\n"  // 5, 6, 7
      "D,x,400";                                   // 8, no final line break
  const auto t = table(csv);
  ASSERT_EQ(t.rows.size(), 4u);
  EXPECT_EQ(t.rows[0], (Strings{"Asso, dite \"A\"", "sur deux\r\nlignes", "100"}));
  EXPECT_EQ(t.rows[1], (Strings{"B", "simple", "200"}));
  EXPECT_EQ(t.rows[2], (Strings{"C", "trois\nlignes, avec\nvirgules", "300"}));
  EXPECT_EQ(t.rows[3], (Strings{"D", "x", "400"}));
  EXPECT_EQ(t.lines, (std::vector<int>{2, 4, 5, 8}));
}

TEST(TableReader, CrlfLfAndAMissingFinalLineBreakGiveTheSameRows) {
  const auto lf = table("a,b\n1,2\n3,4\n");
  const auto crlf = table("a,b\r\n1,2\r\n3,4\r\n");
  const auto open = table("a,b\n1,2\n3,4");
  for (const auto* t : {&lf, &crlf, &open}) {
    EXPECT_EQ(t->header, (Strings{"a", "b"}));
    EXPECT_EQ(t->rows, (Rows{{"1", "2"}, {"3", "4"}}));
    EXPECT_EQ(t->lines, (std::vector<int>{2, 3}));
  }
}

// A blank line in the middle of a file is not a row, and the rows after it keep the number of
// the line they are on: the report names lines the user finds in the file.
TEST(TableReader, ABlankLineDoesNotShiftTheLineNumbersOfTheRowsAfterIt) {
  const auto t = table(
      "a,b\n"  // 1
      "x,1\n"  // 2
      "\n"     // 3
      "y,2\n"  // 4
      "z,3\n"  // 5
      "\n"     // 6
      "\n");   // 7
  EXPECT_EQ(t.rows, (Rows{{"x", "1"}, {"y", "2"}, {"z", "3"}}));
  EXPECT_EQ(t.lines, (std::vector<int>{2, 4, 5}));
  const auto crlf = table("a,b\r\nx,1\r\n\r\ny,2\r\n");
  EXPECT_EQ(crlf.lines, (std::vector<int>{2, 4}));
}

// Excel for Mac's "CSV (Macintosh)" ends lines with a lone CR: they are lines all the same, for
// the numbers of the rows and for the header, which alone chooses the separator.
TEST(TableReader, LinesEndedByALoneCarriageReturnAreNumberedToo) {
  const auto t = table("nomBeneficiaire;montant\rAsso, dite A, B, C;1\rAsso Z;2\r");
  EXPECT_EQ(t.delimiter, ';');
  EXPECT_EQ(t.header, (Strings{"nomBeneficiaire", "montant"}));
  EXPECT_EQ(t.rows, (Rows{{"Asso, dite A, B, C", "1"}, {"Asso Z", "2"}}));
  EXPECT_EQ(t.lines, (std::vector<int>{2, 3}));
}

// A quote left open swallows the rest of the file into one cell: read_table must refuse the
// file ("import.csv", field file) rather than hand a damaged table to the import.
TEST(TableReader, AQuoteNeverClosedIsRefused) {
  const std::string csv =
      "nomAttribuant,dateConvention,nomBeneficiaire,montant\n"
      "X,2017-04-13,\"Asso A,1000\n"
      "X,2017-04-13,Asso B,2000\n";
  auto t = octroi::opendata::read_table(csv, "ouvert.csv");
  ASSERT_FALSE(t.ok()) << "read as " << t.value().rows.size() << " row(s), the first cell: "
                       << (t.value().rows.empty() ? "" : t.value().rows[0].back());
  EXPECT_EQ(t.refusal().first().code, "import.csv");
  EXPECT_EQ(t.refusal().first().field, "file");
  EXPECT_NE(t.refusal().first().message.find("ouvert.csv"), std::string::npos)
      << t.refusal().first().message;
}

TEST(TableReader, AnEmptyFileHasNoHeader) {
  for (const std::string bytes : {"", "\n", "\r\n\r\n", "\xEF\xBB\xBF"}) {
    const auto t = table(bytes);
    EXPECT_TRUE(t.header.empty()) << "[" << bytes << "]";
    EXPECT_TRUE(t.rows.empty()) << "[" << bytes << "]";
  }
}

TEST(TableReader, TheNievreFileIsWindows1252WithNoBreakSpacesInItsAmounts) {
  const auto t = table(fixture(kNievre), "nievre.csv");
  EXPECT_EQ(t.encoding, "Windows-1252");
  EXPECT_EQ(t.delimiter, ',');
  EXPECT_EQ(t.header, (Strings{"COLL_NOM", "COLL_SIRET", "COLL_TYPE", "ACTE_DATE", "ACTE_REF",
                               "ATTRIB_NOM", "ATTRIB_SIRET", "ATTRIB_TYPE", "SUB_OBJET",
                               "SUB_MONTANT", "SUB_NATURE", "SUB_DATE_DEBUT", "SUB_DATE_FIN",
                               "SUB_VERSEMENT", "SUB_DISPOSITIF", "ID_ENT", "NOTIF_EU"}));
  ASSERT_EQ(t.rows.size(), 97u);
  ASSERT_EQ(t.lines.size(), 97u);
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    EXPECT_EQ(t.lines[i], static_cast<int>(i) + 2);
    EXPECT_EQ(t.rows[i].size(), 17u) << "line " << t.lines[i];
    EXPECT_EQ(t.rows[i][0], "Département de la Nièvre") << "line " << t.lines[i];
  }
  EXPECT_EQ(t.rows[0][1], "225800010");
  EXPECT_EQ(t.rows[0][3], "2016-01-01");
  EXPECT_EQ(t.rows[0][5], "AGORA");
  EXPECT_EQ(t.rows[0][9], "17" OCTROI_TR_NBSP "833");
  EXPECT_EQ(t.rows[7][9], "9" OCTROI_TR_NBSP "644" OCTROI_TR_NBSP "223");  // SDIS, line 9
  EXPECT_EQ(t.rows[6][9], "NC");                                           // line 8
  EXPECT_EQ(t.rows[57][5], "Centre Social Intercommunal de Prémery");      // line 59
  EXPECT_EQ(t.rows[58][9], "");                                            // line 60
  EXPECT_EQ(t.rows[76][5], "Secours Populaire Français");                  // line 78
  EXPECT_EQ(t.rows[96][5], "SMETCN");                                      // line 98
  EXPECT_EQ(t.rows[96][16], "");  // the last cell, without the \r of the CRLF
}

TEST(TableReader, TheSommeFileIsWindows1252BehindAUtf8Bom) {
  const auto t = table(fixture(kSomme), "somme.csv");
  EXPECT_EQ(t.encoding, "Windows-1252 (précédé d'un BOM UTF-8)");
  EXPECT_EQ(t.delimiter, ';');
  EXPECT_EQ(t.header, (Strings{"nomAttribuant", "idAttribuant", "dateConvention",
                               "referenceDecision", "nomBeneficiaire", "idBeneficiaire", "objet",
                               "montant", "nature", "conditionsVersement", "datesPeriodeVersement",
                               "pourcentageSubvention", "type"}));
  ASSERT_EQ(t.rows.size(), 41u);
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    EXPECT_EQ(t.lines[i], static_cast<int>(i) + 2);
    EXPECT_EQ(t.rows[i].size(), 13u) << "line " << t.lines[i];
  }
  const auto& l2 = t.rows[0];
  EXPECT_EQ(l2[0], "Département de la Somme");
  EXPECT_EQ(l2[1], "22800001400016");
  EXPECT_EQ(l2[2], "2017/09/08");
  EXPECT_EQ(l2[4], "AILLY SUR NOYE");
  EXPECT_EQ(l2[6],
            "Création d'une aire de camping-cars au plan d'eau de Berny-sur-Noye, sur une "
            "assiette subventionnable estimée à 89 852 € HT");
  EXPECT_EQ(l2[7], "26 956,00");
  EXPECT_EQ(l2[8], "aide en numéraire");
  EXPECT_EQ(l2[9].rfind("une avance unique peut, sur demande du Bénéficiaire, lui être versée "
                        "jusqu’à hauteur de 5 %",
                        0),
            0u)
      << l2[9];
  EXPECT_EQ(l2[10], "2017/09/08_2021/09/07");
  EXPECT_EQ(l2[11], "1");
  EXPECT_EQ(l2[12], "investissement");
  EXPECT_EQ(t.rows[4][6], "action \"\"Chantier de la citadelle\"");  // line 6, as written
  EXPECT_EQ(t.rows[35][7], "28 719,64");                             // line 37
  EXPECT_EQ(t.rows[40][4], "HARBONNIERES");                          // line 42
}

TEST(TableReader, TheSchemasValidExampleIsUtf8WithCommas) {
  const auto t = table(fixture("exemple_valide.csv"));
  EXPECT_EQ(t.encoding, "UTF-8");
  EXPECT_EQ(t.delimiter, ',');
  EXPECT_EQ(t.header.size(), 16u);
  ASSERT_EQ(t.rows.size(), 29u);
  EXPECT_EQ(t.rows[0][9], "aide en numéraire");
  // libcsv trims the spaces around an unquoted cell: "…JUAN-LES-PINS " loses its last one.
  EXPECT_EQ(t.rows[0][4], "CEA DU PERSONNEL DE LA VILLE D'ANTIBES JUAN-LES-PINS");
  EXPECT_EQ(t.rows[20][9], "aide en numéraire;aide en nature");  // line 22
  EXPECT_EQ(t.lines.back(), 30);
}

// Issue 17, finding 4: whole-file checks before any line is used, each problem naming its line.
octroi::Refusal refusal_of(std::string_view bytes, const std::string& source = "t.csv") {
  auto t = octroi::opendata::read_table(bytes, source);
  if (t.ok()) {
    ADD_FAILURE() << "read_table accepted " << source;
    return octroi::refuse("test", "", "accepted");
  }
  return t.refusal();
}

std::string utf16(const std::string& ascii_and_latin1, bool big_endian, bool bom) {
  std::string out = bom ? (big_endian ? "\xFE\xFF" : "\xFF\xFE") : "";
  for (unsigned char c : ascii_and_latin1) {
    if (big_endian) out += '\0';
    out += static_cast<char>(c);
    if (!big_endian) out += '\0';
  }
  return out;
}

TEST(TableReader, Utf16LittleOrBigEndianWithOrWithoutBomIsRead) {
  const std::string csv =
      "nomBeneficiaire;montant\nAssociation \xC9"
      "cole;12\n";  // É in Latin-1
  for (bool big : {false, true})
    for (bool bom : {false, true}) {
      SCOPED_TRACE(std::string(big ? "BE" : "LE") + (bom ? " BOM" : ""));
      const auto t = table(utf16(csv, big, bom));
      EXPECT_EQ(t.encoding, std::string(big ? "UTF-16BE" : "UTF-16LE") + (bom ? " (BOM)" : ""));
      EXPECT_EQ(t.rows, (Rows{{"Association École", "12"}}));
    }
  const auto odd = refusal_of(utf16(csv, false, true) + "x");
  EXPECT_EQ(odd.first().code, "import.truncated");
}

TEST(TableReader, OneWindows1252ByteInAUtf8FileIsRefusedNamingItsLine) {
  const auto r = refusal_of("nomBeneficiaire,montant\nRégion,1\nNum\xE9raire,2\n");
  EXPECT_EQ(r.first().code, "import.encoding_mixed");
  EXPECT_EQ(r.first().field, "file");
  EXPECT_NE(r.first().message.find("ligne 3 : l'octet 0xE9 n'est pas de l'UTF-8"),
            std::string::npos)
      << r.first().message;
  EXPECT_NE(r.first().message.find("« é » ligne 2"), std::string::npos) << r.first().message;
}

// Windows-1252 text may hold byte pairs that happen to be valid UTF-8 ("é", a no-break space,
// "»": E9 A0 BB is a CJK character in UTF-8): those do not make it a mix.
TEST(TableReader, Windows1252WhoseBytesHappenToFormUtf8IsStillWindows1252) {
  const auto t = table(
      "objet;montant\n\xAB\xA0"
      "F\xEAte de l'\xE9t\xE9\xA0\xBB;12\n");
  EXPECT_EQ(t.encoding, "Windows-1252");
  EXPECT_EQ(t.rows, (Rows{{"«\xC2\xA0"
                           "Fête de l'été\xC2\xA0»",
                           "12"}}));
}

// The separator is the header's, even below a title holding commas.
TEST(TableReader, TheSeparatorIsFoundBelowATitle) {
  const auto t =
      table("Subventions 2023, Ville de Test\nnomBeneficiaire;montant;objet\nAlpha;1;o\n");
  EXPECT_EQ(t.delimiter, ';');
  EXPECT_EQ(t.header_line, 2);
  EXPECT_EQ(t.rows, (Rows{{"Alpha", "1", "o"}}));
}

TEST(TableReader, ANulInTheTextIsRefusedNamingItsLine) {
  std::string bytes = "nomBeneficiaire,montant\nAsso";
  bytes += '\0';
  bytes += "ciation,1\n";
  const auto r = refusal_of(bytes);
  EXPECT_EQ(r.first().code, "import.nul");
  EXPECT_NE(r.first().message.find("ligne 2"), std::string::npos) << r.first().message;
}

TEST(TableReader, EveryLineHasTheHeadersColumnsOrTheFileIsRefusedLineByLine) {
  // 1 000 fields on line 3, 2 on line 4: both named, nothing read.
  std::string wide = "a";
  for (int i = 1; i < 1000; ++i)
    wide += ",x";
  const auto r = refusal_of("nom,montant,objet\nAlpha,1,o\n" + wide + "\nBeta,2\nGamma,3,o\n");
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].code, "import.field_count");
  EXPECT_NE(r.problems[0].message.find("ligne 3 : 1000 champ(s) pour 3 colonnes"),
            std::string::npos)
      << r.problems[0].message;
  EXPECT_NE(r.problems[1].message.find("ligne 4 : 2 champ(s) pour 3 colonnes"), std::string::npos);
  // Separators left at the end of lines are nothing; blank lines are no lines of data.
  const auto ok = table("nom;montant\nAlpha;1;;\n\nBeta;2\n");
  EXPECT_EQ(ok.rows, (Rows{{"Alpha", "1"}, {"Beta", "2"}}));
}

TEST(TableReader, AFileCutInItsLastLineIsRefusedAsTruncated) {
  // Cut inside "900.0" of the last line: 2 fields of 3, no final line break.
  const auto r = refusal_of("nom,montant,objet\nAlpha,1,o\nBeta,90", "coupe.csv");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.first().code, "import.truncated");
  EXPECT_NE(r.first().message.find("« coupe.csv », ligne 3 : le fichier se termine sur une ligne "
                                   "incomplète (2 champ(s) pour 3 colonnes"),
            std::string::npos)
      << r.first().message;
  // The same last line with its line break was written short, not cut: a shifted line.
  EXPECT_EQ(refusal_of("nom,montant,objet\nAlpha,1,o\nBeta,90\n").first().code,
            "import.field_count");
}

}  // namespace
}  // namespace octroi_test
