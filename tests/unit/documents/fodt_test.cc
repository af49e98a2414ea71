// Filling flat ODT templates (adapters/documents/fodt.h) and packaging them as .odt
// (odt_package.h): fields, sections, repeated table rows, placeholders LibreOffice split across
// spans, refusals; the package's structure.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "adapters/documents/fodt.h"
#include "adapters/documents/odt_package.h"
#include "adapters/documents/pdf_converter.h"

namespace {

using octroi::DocRecord;
using octroi::documents::check_odt;
using octroi::documents::fill_flat_odt;
using octroi::documents::odt_entry;
using octroi::documents::package_odt;

// A project sheet as LibreOffice would save it (trimmed): a heading whose placeholder was split
// by a bold span, a conditional section and its opposite, a table whose second row repeats for
// each line of the plan, repeated articles, a footer field.
const std::string kSheet = R"(<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta><meta:generator>octroi</meta:generator><dc:title>Fiche projet</dc:title></office:meta>
 <office:font-face-decls/>
 <office:styles><style:style style:name="Standard" style:family="paragraph"/></office:styles>
 <office:automatic-styles>
  <style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/></style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1"><style:footer><text:p>Rapport {{rapport}}</text:p></style:footer></style:master-page>
 </office:master-styles>
 <office:body>
  <office:text>
   <text:h text:outline-level="1">DOSSIER N° {{dos<text:span text:style-name="T1">sier.num</text:span>ero}} – {{titre}}</text:h>
   <text:p>Bénéficiaire : {{beneficiaire}}</text:p>
   <text:p>{{#anticipe}}</text:p>
   <text:p>Démarrage anticipé : {{date_anticipe}}</text:p>
   <text:p>{{/anticipe}}</text:p>
   <text:p>{{^anticipe}}</text:p>
   <text:p>Pas de démarrage anticipé.</text:p>
   <text:p>{{/anticipe}}</text:p>
   <table:table table:name="Plan">
    <table:table-column table:number-columns-repeated="3"/>
    <table:table-row><table:table-cell office:value-type="string"><text:p>Poste</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Montant</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Part</text:p></table:table-cell></table:table-row>
    <table:table-row><table:table-cell office:value-type="string"><text:p>{{#depenses}}</text:p><text:p>{{libelle}}</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>{{montant}}</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>{{part}}</text:p><text:p>{{/depenses}}</text:p></table:table-cell></table:table-row>
    <table:table-row><table:table-cell office:value-type="string"><text:p>Total</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>{{total}}</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>100,00 %</text:p></table:table-cell></table:table-row>
   </table:table>
   <text:p>{{#articles}}</text:p>
   <text:h text:outline-level="2">Article {{numero}}</text:h>
   <text:p>{{texte}}</text:p>
   <text:p>{{/articles}}</text:p>
  </office:text>
 </office:body>
</office:document>
)";

DocRecord line(const std::string& label, const std::string& amount, const std::string& share) {
  DocRecord r;
  r.text = {{"libelle", label}, {"montant", amount}, {"part", share}};
  return r;
}

DocRecord sheet() {
  DocRecord d;
  d.text = {{"dossier.numero", "EX070162"},
            {"titre", "Chèque numérique"},
            {"beneficiaire", "Commune de Montfermeil <SCIC & co>"},
            {"date_anticipe", "25 janvier 2023"},
            {"total", "14 000,00 €"},
            {"rapport", "CP 2023-040"}};
  d.flags = {{"anticipe", false}};
  d.lists["depenses"] = {line("Site internet", "10 580,00 €", "75,57 %"),
                         line("Formation", "3 420,00 €", "24,43 %")};
  DocRecord a1, a2;
  a1.text = {{"numero", "1er"}, {"texte", "Décide d'attribuer…\nAffecte 23 000 €."}};
  a2.text = {{"numero", "2"}, {"texte", "Subordonne le versement…"}};
  d.lists["articles"] = {a1, a2};
  return d;
}

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1))
    ++n;
  return n;
}

TEST(FillFlatOdt, FillsFieldsEvenWhenLibreOfficeSplitThePlaceholder) {
  auto out = fill_flat_odt(kSheet, sheet(), "fiche");
  ASSERT_TRUE(out.ok()) << out.refusal().describe();
  EXPECT_NE(out->find("EX070162"), std::string::npos);
  EXPECT_EQ(out->find("{{"), std::string::npos) << *out;
  // Markup in the data is text, escaped.
  EXPECT_NE(out->find("Commune de Montfermeil &lt;SCIC &amp; co&gt;"), std::string::npos);
  EXPECT_NE(out->find("Rapport CP 2023-040"), std::string::npos);  // the footer too
}

TEST(FillFlatOdt, RepeatsTableRowsAndSectionsAndChoosesConditionalOnes) {
  auto out = fill_flat_odt(kSheet, sheet(), "fiche");
  ASSERT_TRUE(out.ok()) << out.refusal().describe();
  const std::string& x = *out;
  EXPECT_EQ(count(x, "<table:table-row>"), 4u);  // header, two lines, total
  const auto site = x.find("Site internet"), formation = x.find("Formation"),
             total = x.find("Total");
  ASSERT_NE(site, std::string::npos);
  EXPECT_LT(site, formation);
  EXPECT_LT(formation, total);
  EXPECT_NE(x.find("75,57 %"), std::string::npos);
  EXPECT_EQ(x.find("Démarrage anticipé :"), std::string::npos);
  EXPECT_NE(x.find("Pas de démarrage anticipé."), std::string::npos);
  EXPECT_LT(x.find("Article 1er"), x.find("Article 2"));
  EXPECT_NE(x.find("Décide d'attribuer…<text:line-break/>Affecte 23 000 €."), std::string::npos);
  // No marker is left, in the rows nor between the paragraphs.
  EXPECT_EQ(x.find("{{#"), std::string::npos);
  EXPECT_EQ(x.find("{{/"), std::string::npos);
  EXPECT_EQ(x.find("octroi-marker"), std::string::npos);

  DocRecord early = sheet();
  early.flags["anticipe"] = true;
  early.lists["depenses"].clear();
  auto other = fill_flat_odt(kSheet, early, "fiche");
  ASSERT_TRUE(other.ok()) << other.refusal().describe();
  EXPECT_NE(other->find("Démarrage anticipé\u00A0: 25 janvier 2023"), std::string::npos);
  EXPECT_EQ(other->find("Pas de démarrage anticipé."), std::string::npos);
  EXPECT_EQ(count(*other, "<table:table-row>"), 2u);  // header and total
}

TEST(FillFlatOdt, RefusesWhatTheDataOrTheTemplateGetsWrongByName) {
  DocRecord missing = sheet();
  missing.text.erase("titre");
  auto r = fill_flat_odt(kSheet, missing, "fiche");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal().first().code, "document.missing_field");
  EXPECT_EQ(r.refusal().first().field, "template");
  EXPECT_NE(r.refusal().first().message.find("« fiche » demande le champ « titre »"),
            std::string::npos)
      << r.refusal().first().message;

  DocRecord no_list = sheet();
  no_list.lists.erase("depenses");
  r = fill_flat_odt(kSheet, no_list, "fiche");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal().first().code, "document.missing_field");
  EXPECT_NE(r.refusal().first().message.find("la section « depenses »"), std::string::npos);

  DocRecord mismatch = sheet();
  mismatch.lists.erase("articles");
  mismatch.text["articles"] = "deux";
  r = fill_flat_odt(kSheet, mismatch, "fiche");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal().first().code, "document.mismatch");

  DocRecord as_text = sheet();
  as_text.text.erase("titre");
  as_text.flags["titre"] = true;
  r = fill_flat_odt(kSheet, as_text, "fiche");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal().first().code, "document.mismatch");

  std::string unclosed = kSheet;
  unclosed.replace(unclosed.find("<text:p>{{/articles}}</text:p>"), 30, "");
  r = fill_flat_odt(unclosed, sheet(), "fiche");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal().first().code, "document.template");
  EXPECT_NE(r.refusal().first().message.find("ouvre la section « articles » sans la fermer"),
            std::string::npos);

  r = fill_flat_odt("<office:document>", sheet(), "fiche");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal().first().code, "document.xml");
  r = fill_flat_odt("<html/>", sheet(), "fiche");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal().first().code, "document.not_text");
}

// French typography on what the template and the data typed: no-break space before a colon and
// inside guillemets (added where missing), narrow no-break space before ; ! ?; nothing else moves
// (a time, an address, a URL keep their characters).
TEST(FillFlatOdt, SetsFrenchSpacingOnTheFilledText) {
  const std::string tpl = std::string(kSheet).replace(
      kSheet.find("{{titre}}"), 9, "{{titre}} ; vu « {{titre}} » et «{{titre}}» : oui ?");
  DocRecord d = sheet();
  d.text["titre"] = "Projet « Chèque » 10:15 https://x.fr/?a=1";
  auto r = fill_flat_odt(tpl, d, "fiche");
  ASSERT_TRUE(r.ok()) << r.refusal().describe();
  const std::string title = "Projet «\u00A0Chèque\u00A0» 10:15 https://x.fr/?a=1";
  EXPECT_NE(r->find(title + "\u202F; vu «\u00A0" + title + "\u00A0» et «\u00A0" + title +
                    "\u00A0»\u00A0: oui\u202F?"),
            std::string::npos)
      << *r;
  EXPECT_EQ(r->find(" :"), std::string::npos);
}

// The check an uploaded template goes through before it is tried on data: the same structural
// refusals as filling, without data; a sound template passes, whatever fields it names.
TEST(CheckFlatOdt, RefusesABrokenStructureWithoutData) {
  EXPECT_TRUE(octroi::documents::check_flat_odt(kSheet, "fiche").ok());
  std::string unclosed = kSheet;
  unclosed.replace(unclosed.find("<text:p>{{/articles}}</text:p>"), 30, "");
  auto s = octroi::documents::check_flat_odt(unclosed, "fiche");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.refusal().first().code, "document.template");
  EXPECT_NE(s.refusal().first().message.find("« articles »"), std::string::npos);
  // Closed in the wrong order.
  std::string crossed = kSheet;
  crossed.replace(crossed.find("<text:p>{{/articles}}</text:p>"), 30,
                  "<text:p>{{/autre}}</text:p><text:p>{{/articles}}</text:p>");
  s = octroi::documents::check_flat_odt(crossed, "fiche");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.refusal().first().message.find("ferme la section « autre »"), std::string::npos)
      << s.refusal().first().message;
  EXPECT_EQ(octroi::documents::check_flat_odt("<office:document>", "x").refusal().first().code,
            "document.xml");
  EXPECT_EQ(octroi::documents::check_flat_odt("<html/>", "x").refusal().first().code,
            "document.not_text");
}

TEST(FillFlatOdt, NestedListsUseTheInnermostRecordFirst) {
  const std::string tpl =
      R"(<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text><text:p>{{#dossiers}}</text:p><text:p>{{numero}} ({{rapport}})</text:p><text:p>{{#lignes}}</text:p><text:p>{{numero}}.{{libelle}}</text:p><text:p>{{/lignes}}</text:p><text:p>{{/dossiers}}</text:p></office:text></office:body></office:document>)";
  DocRecord d;
  d.text["rapport"] = "CP 2023-040";
  DocRecord a, b, l1, l2;
  a.text["numero"] = "EX1";
  l1.text = {{"numero", "L1"}, {"libelle", "site"}};
  l2.text = {{"libelle", "formation"}};  // no numero: the dossier's
  a.lists["lignes"] = {l1, l2};
  b.text["numero"] = "EX2";
  b.lists["lignes"] = {};
  d.lists["dossiers"] = {a, b};
  auto out = fill_flat_odt(tpl, d, "annexe");
  ASSERT_TRUE(out.ok()) << out.refusal().describe();
  EXPECT_NE(out->find("<text:p>EX1 (CP 2023-040)</text:p><text:p>L1.site</text:p>"
                      "<text:p>EX1.formation</text:p><text:p>EX2 (CP 2023-040)</text:p>"),
            std::string::npos)
      << *out;
}

// A document whose body is `inner`, each paragraph of it a text:p.
std::string flat_with_body(const std::string& inner) {
  return R"(<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text>)" +
         inner + "</office:text></office:body></office:document>";
}

// A paragraph whose placeholder sits inside `levels` nested spans.
std::string nested_spans(int levels) {
  std::string open, close;
  for (int i = 0; i < levels; ++i) {
    open += "<text:span>";
    close += "</text:span>";
  }
  return "<text:p>" + open + "N° {{numero}}" + close + "</text:p>";
}

// Issue 16, finding 1: a paragraph nesting 60 000 elements killed the server (the reader
// recursed once per level). It is now refused by name, without recursion.
TEST(FillFlatOdt, ATemplateNestedDeeperThanADocumentIsRefusedNotACrash) {
  DocRecord d;
  d.text["numero"] = "EX070162";
  const std::string deep = flat_with_body(nested_spans(60000));
  const auto checked = octroi::documents::check_flat_odt(deep, "convention");
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.refusal().first().code, "document.too_deep");
  EXPECT_EQ(checked.refusal().first().field, "template");
  EXPECT_NE(checked.refusal().first().message.find("« convention »"), std::string::npos);
  const auto filled = fill_flat_odt(deep, d, "convention");
  ASSERT_FALSE(filled.ok());
  EXPECT_EQ(filled.refusal().first().code, "document.too_deep");

  // Up to the limit, the placeholder is found and filled however deep its spans.
  const int allowed = octroi::documents::kMaxTemplateDepth - 4;  // document, body, text, p
  const auto ok = fill_flat_odt(flat_with_body(nested_spans(allowed)), d, "convention");
  ASSERT_TRUE(ok.ok()) << ok.refusal().describe();
  EXPECT_NE(ok->find("N° EX070162</text:span>"), std::string::npos);
  EXPECT_EQ(fill_flat_odt(flat_with_body(nested_spans(allowed + 1)), d, "convention")
                .refusal()
                .first()
                .code,
            "document.too_deep");

  // Sections inside sections, beyond 32.
  std::string sections;
  for (std::size_t i = 0; i <= octroi::documents::kMaxSectionDepth; ++i)
    sections += "<text:p>{{#s" + std::to_string(i) + "}}</text:p>";
  for (std::size_t i = octroi::documents::kMaxSectionDepth + 1; i-- > 0;)
    sections += "<text:p>{{/s" + std::to_string(i) + "}}</text:p>";
  const auto too_many = octroi::documents::check_flat_odt(flat_with_body(sections), "lettre");
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.refusal().first().code, "document.too_deep");
  EXPECT_NE(too_many.refusal().first().message.find("32 sections"), std::string::npos);
  // Filling counts every section, flags and inverted ones too (a template stored before the
  // check had its limit is filled without recursing without end).
  std::string flags;
  for (std::size_t i = 0; i <= octroi::documents::kMaxSectionDepth; ++i)
    flags += "<text:p>{{#oui}}</text:p>";
  for (std::size_t i = 0; i <= octroi::documents::kMaxSectionDepth; ++i)
    flags += "<text:p>{{/oui}}</text:p>";
  DocRecord yes;
  yes.flags["oui"] = true;
  const auto filled_flags = fill_flat_odt(flat_with_body(flags), yes, "lettre");
  ASSERT_FALSE(filled_flags.ok());
  EXPECT_EQ(filled_flags.refusal().first().code, "document.too_deep");
}

// Issue 16, finding 2: whatever still reaches a document that XML 1.0 forbids (a control
// character, a NUL) is written as U+FFFD, never as &#11; that LibreOffice refuses, nor cut short.
TEST(FillFlatOdt, CharactersXmlForbidsBecomeTheReplacementCharacter) {
  DocRecord d;
  const char raw[] = {'E', 'X', '\x0B', '0', '7', '\0', '0', '1', '6', '2', '\xEF', '\xBF', '\xBF'};
  d.text["numero"] = std::string(raw, sizeof raw);
  const auto out = fill_flat_odt(flat_with_body(nested_spans(1)), d, "convention");
  ASSERT_TRUE(out.ok()) << out.refusal().describe();
  EXPECT_NE(out->find("N° EX\xEF\xBF\xBD"
                      "07\xEF\xBF\xBD"
                      "0162\xEF\xBF\xBD</text:span>"),
            std::string::npos)
      << *out;
  EXPECT_EQ(out->find("&#"), std::string::npos);
}

TEST(PackageOdt, MimetypeFirstAndStoredManifestAndWellFormedParts) {
  auto filled = fill_flat_odt(kSheet, sheet(), "fiche");
  ASSERT_TRUE(filled.ok());
  auto odt = package_odt(*filled);
  ASSERT_TRUE(odt.ok()) << odt.refusal().describe();
  EXPECT_EQ(check_odt(*odt), std::vector<std::string>{});
  EXPECT_EQ(odt->substr(30, 8), "mimetype");  // the first local header's file name
  const std::string content = odt_entry(*odt, "content.xml");
  EXPECT_NE(content.find("<office:document-content"), std::string::npos);
  EXPECT_NE(content.find("EX070162"), std::string::npos);
  EXPECT_EQ(content.find("style:page-layout"), std::string::npos);
  const std::string styles = odt_entry(*odt, "styles.xml");
  EXPECT_NE(styles.find("style:page-layout"), std::string::npos);
  EXPECT_NE(styles.find("Rapport CP 2023-040"), std::string::npos);
  EXPECT_NE(odt_entry(*odt, "META-INF/manifest.xml").find("content.xml"), std::string::npos);
  EXPECT_NE(odt_entry(*odt, "meta.xml").find("Fiche projet"), std::string::npos);
  // The same document gives the same bytes (fixed entry times).
  EXPECT_EQ(package_odt(*filled).value(), *odt);
}

TEST(PackageOdt, TheCheckFindsABrokenPackage) {
  EXPECT_EQ(check_odt("not a zip"), std::vector<std::string>{"not a readable zip archive"});
  auto refused = package_odt("<x/>");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.refusal().first().code, "document.not_text");
}

}  // namespace

// The .odt that octroi writes, converted by LibreOffice (one run for two documents), reads back
// as PDF text with the data in it. Needs /usr/bin/soffice and pdftotext (scripts/install-deps.sh
// installs libreoffice-writer-nogui and poppler-utils): without them this test fails.
namespace {

std::string pdf_text(const std::string& pdf) {
  const std::string command = "pdftotext -layout '" + pdf + "' -";
  std::string out;
  if (FILE* p = popen(command.c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;)
      out.append(buf, n);
    pclose(p);
  }
  return out;
}

TEST(ConvertToPdf, LibreOfficeOpensTheOdtAndItsTextHoldsTheData) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("octroi-pdf-test-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::vector<std::string> inputs;
  for (const std::string number : {"EX070162", "EX070158"}) {
    DocRecord d = sheet();
    d.text["dossier.numero"] = number;
    auto filled = fill_flat_odt(kSheet, d, "fiche");
    ASSERT_TRUE(filled.ok()) << filled.refusal().describe();
    auto odt = package_odt(*filled);
    ASSERT_TRUE(odt.ok());
    const fs::path path = dir / (number + ".odt");
    std::ofstream(path, std::ios::binary) << *odt;
    inputs.push_back(path.string());
  }
  auto pdfs = octroi::documents::convert_to_pdf(inputs, dir.string());
  ASSERT_TRUE(pdfs.ok()) << pdfs.refusal().describe();
  ASSERT_EQ(pdfs->size(), 2u);
  const std::string text = pdf_text(pdfs->at(0));
  EXPECT_NE(text.find("DOSSIER N° EX070162"), std::string::npos) << text;
  EXPECT_NE(text.find("Site internet"), std::string::npos) << text;
  EXPECT_NE(text.find("75,57 %"), std::string::npos) << text;
  EXPECT_NE(text.find("Pas de démarrage anticipé."), std::string::npos) << text;
  EXPECT_NE(pdf_text(pdfs->at(1)).find("DOSSIER N° EX070158"), std::string::npos);

  // A program that is not there, and a run past its timeout, are refusals, not hangs.
  auto missing =
      octroi::documents::convert_to_pdf(inputs, dir.string(), {"/nonexistent/soffice", 5});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.refusal().first().code, "document.conversion");
  auto late = octroi::documents::convert_to_pdf(inputs, dir.string(), {"/usr/bin/soffice", 0});
  ASSERT_FALSE(late.ok());
  EXPECT_NE(late.refusal().first().message.find("n'a pas fini en 0 s"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
