// Document templates as data (issue 7), on the store under test (SQLite or PostgreSQL): an
// authority uploads versions of a template (each refused upload names its field and leaves the
// database as it was; each accepted one is audited), the version in force on a document's date is
// chosen (the act a scheme's model agreement names first), generating a document records the
// exact template, data and document in the audit trail, and the database itself keeps the
// versions append-only and numbered without a gap.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "adapters/documents/odt_package.h"
#include "adapters/documents/render.h"
#include "adapters/sql/connection.h"
#include "app/documents.h"
#include "app/ports/audit.h"
#include "app/ports/templates.h"
#include "app/use_cases.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

using octroi::AuditEntry;
using octroi::Context;
using octroi::Date;
using octroi::DocRecord;
using octroi::DocumentKind;
using octroi::DocumentRequest;
using octroi::GeneratedDocument;
using octroi::Result;
using octroi::TemplateFamily;
using octroi::TemplateRecord;
using octroi::TemplateUpload;
using octroi::Transaction;
using octroi::sql::ConstraintViolation;

bool is_lower_hex(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// `fodt` with `paragraphs` added at the end of its body.
std::string with_paragraphs(const std::string& fodt, const std::string& paragraphs) {
  const auto at = fodt.rfind("</office:text>");
  if (at == std::string::npos) {
    ADD_FAILURE() << "the template has no </office:text>";
    return fodt;
  }
  std::string out = fodt;
  out.insert(at, paragraphs);
  return out;
}

class DocumentTemplatesTest : public DemoDatabaseTest {
 protected:
  octroi::Hasher& hasher() { return store_->hasher(); }

  std::string builtin(const std::string& name) {
    auto t = engine_.builtin_template(name);
    if (!t) {
      ADD_FAILURE() << "no built-in template " << name;
      return "";
    }
    return *t;
  }

  // A copy of the built-in agreement, adopted by `act`, in force from `from` (to `until`).
  TemplateUpload convention(const std::string& act = "CP 2022-111",
                            const std::string& from = "2022-03-23", const std::string& until = "",
                            const std::string& content = "") {
    TemplateUpload u;
    u.name = "convention";
    u.content = content.empty() ? builtin("convention") : content;
    u.adopted_by = act;
    u.applies_from = from;
    u.applies_until = until;
    u.note = "Convention type du chèque numérique";
    return u;
  }

  Result<TemplateRecord> upload(const TemplateUpload& u) {
    return write([&](Transaction& tx, const Context& ctx) {
      return octroi::upload_template(tx, ctx, engine_, hasher(), u);
    });
  }
  // Uploads `u`, which must be accepted, and returns its version.
  int accepted(const TemplateUpload& u) {
    auto r = upload(u);
    EXPECT_TRUE(r.ok()) << r.refusal().describe();
    return r.ok() ? r->version : -1;
  }

  std::vector<TemplateFamily> families() {
    return octroi::run_read(*store_,
                            [&](Transaction& tx) { return octroi::list_templates(tx, idf_); });
  }
  // The listing as text, to compare before and after a refusal.
  std::string listing() {
    std::string out;
    for (const auto& f : families()) {
      out += std::string(octroi::template_name(f.kind)) + ":";
      for (const auto& v : f.versions)
        out += " v" + std::to_string(v.version) + "/" + v.adopted_by + "/" + v.applies_from.iso() +
               "/" + (v.applies_until ? v.applies_until->iso() : "-") + "/" + v.sha256;
      out += "\n";
    }
    return out;
  }

  std::vector<AuditEntry> audit(const std::string& action) {
    auto all =
        octroi::run_read(*store_, [&](Transaction& tx) { return tx.audit().audit_trail(idf_); });
    std::vector<AuditEntry> out;
    for (auto& e : all)
      if (e.action == action) out.push_back(std::move(e));
    return out;
  }

  Result<TemplateRecord> find(const std::string& name, int version) {
    return octroi::run_read(*store_, [&](Transaction& tx) {
      return octroi::find_template(tx, idf_, engine_, hasher(), name, version);
    });
  }

  Result<TemplateRecord> choose(const Date& on, const std::string& preferred = "") {
    return octroi::run_read(*store_, [&](Transaction& tx) {
      return octroi::choose_template(tx, idf_, engine_, hasher(), DocumentKind::Agreement, on,
                                     preferred);
    });
  }
  // The version choose() picks (-1 when refused).
  int chosen(const Date& on, const std::string& preferred = "") {
    auto r = choose(on, preferred);
    EXPECT_TRUE(r.ok()) << r.refusal().describe();
    return r.ok() ? r->version : -1;
  }

  Result<GeneratedDocument> generate(const DocumentRequest& request) {
    return write([&](Transaction& tx, const Context& ctx) {
      return octroi::generate_document(tx, ctx, engine_, hasher(), request);
    });
  }

  void play_demo_life() {
    auto life = write([&](Transaction& tx, const Context&) {
      return octroi::play_demo_life(tx, "demo", clock_);
    });
    ASSERT_TRUE(life.ok()) << life.refusal().describe();
  }

  // `u` must be refused with a problem on `field` (and `code`, when given), without an audit line
  // written inside its transaction, and leave the database exactly as it was.
  void expect_refused(const TemplateUpload& u, const std::string& field,
                      const std::string& code = "", const std::string& word = "") {
    const std::string before = dump_database(db_);
    const std::string listed = listing();
    std::size_t audit_before = 0, audit_after = 0;
    auto r = write([&](Transaction& tx, const Context& ctx) {
      audit_before = tx.audit().audit_trail(idf_).size();
      auto result = octroi::upload_template(tx, ctx, engine_, hasher(), u);
      audit_after = tx.audit().audit_trail(idf_).size();
      return result;
    });
    ASSERT_FALSE(r.ok()) << "accepted: version " << r->version;
    bool named = false;
    for (const auto& p : r.refusal().problems)
      if (p.field == field && (code.empty() || p.code == code) &&
          (word.empty() || p.message.find(word) != std::string::npos))
        named = true;
    EXPECT_TRUE(named) << "expected field " << field << " code " << code << " word " << word << "\n"
                       << r.refusal().describe();
    for (const auto& p : r.refusal().problems) {
      EXPECT_FALSE(p.message.empty()) << p.code;
      EXPECT_FALSE(p.code.empty()) << p.message;
    }
    EXPECT_EQ(audit_after, audit_before) << "a refused upload wrote to the audit trail";
    EXPECT_EQ(listing(), listed);
    const std::string after = dump_database(db_);
    EXPECT_EQ(before, after) << first_difference(before, after);
  }

  octroi::documents::FodtEngine engine_;
};

// ---- Uploading versions ----------------------------------------------------------------------

TEST_F(DocumentTemplatesTest, UploadedVersionsAreNumberedHashedListedAndFound) {
  const std::string copy = builtin("convention");
  ASSERT_FALSE(copy.empty());
  auto first = upload(convention());
  ASSERT_TRUE(first.ok()) << first.refusal().describe();
  EXPECT_EQ(first->version, 1);
  EXPECT_EQ(first->name, "convention");
  EXPECT_EQ(first->adopted_by, "CP 2022-111");
  EXPECT_EQ(first->applies_from, Date(2022, 3, 23));
  EXPECT_FALSE(first->applies_until.has_value());
  EXPECT_EQ(first->uploaded_by, "test:instructeur");
  EXPECT_EQ(first->uploaded_at.iso(), FixedClock::kNow);
  EXPECT_EQ(first->sha256.size(), 64u);
  EXPECT_TRUE(is_lower_hex(first->sha256)) << first->sha256;
  EXPECT_EQ(first->sha256, hasher().sha256_hex(copy));

  // A second version, slightly different, ending on a date: version 2, its own hash.
  const std::string second_content =
      with_paragraphs(copy, "<text:p>Version modifiée par CR 2022-078.</text:p>");
  auto second = upload(convention("CP 2022-111", "23/03/2022", "2024-12-31", second_content));
  ASSERT_TRUE(second.ok()) << second.refusal().describe();
  EXPECT_EQ(second->version, 2);
  EXPECT_EQ(second->applies_from, Date(2022, 3, 23));  // the French date is read too
  ASSERT_TRUE(second->applies_until.has_value());
  EXPECT_EQ(*second->applies_until, Date(2024, 12, 31));
  EXPECT_EQ(second->sha256, hasher().sha256_hex(second_content));
  EXPECT_NE(second->sha256, first->sha256);

  // The listing: one family per kind, both versions under the agreement, without content.
  const auto listed = families();
  ASSERT_EQ(listed.size(), octroi::all_document_kinds().size());
  for (const auto& f : listed) {
    if (f.kind != DocumentKind::Agreement) {
      EXPECT_TRUE(f.versions.empty()) << octroi::template_name(f.kind);
      continue;
    }
    ASSERT_EQ(f.versions.size(), 2u);
    EXPECT_EQ(f.versions[0].version, 1);
    EXPECT_EQ(f.versions[1].version, 2);
    EXPECT_EQ(f.versions[0].sha256, first->sha256);
    EXPECT_EQ(f.versions[1].sha256, second->sha256);
    EXPECT_EQ(f.versions[0].adopted_by, "CP 2022-111");
    EXPECT_EQ(f.versions[1].note, "Convention type du chèque numérique");
    for (const auto& v : f.versions) {
      EXPECT_EQ(v.name, "convention");
      EXPECT_TRUE(v.content.empty()) << "v" << v.version;
    }
  }

  // One version with its content; version 0 is the built-in template; no version 9.
  auto v1 = find("convention", 1);
  ASSERT_TRUE(v1.ok()) << v1.refusal().describe();
  EXPECT_EQ(v1->version, 1);
  EXPECT_EQ(v1->content, copy);
  EXPECT_EQ(v1->sha256, first->sha256);
  auto v2 = find("convention", 2);
  ASSERT_TRUE(v2.ok()) << v2.refusal().describe();
  EXPECT_EQ(v2->content, second_content);
  auto v0 = find("convention", 0);
  ASSERT_TRUE(v0.ok()) << v0.refusal().describe();
  EXPECT_EQ(v0->version, 0);
  EXPECT_EQ(v0->name, "convention");
  EXPECT_EQ(v0->content, copy);
  EXPECT_EQ(v0->sha256, hasher().sha256_hex(copy));
  auto v9 = find("convention", 9);
  ASSERT_FALSE(v9.ok());
  EXPECT_EQ(v9.refusal().first().code, "template.unknown");
  EXPECT_EQ(v9.refusal().first().field, "version");
  auto none = find("convention_type", 1);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.refusal().first().code, "template.unknown");
  EXPECT_EQ(none.refusal().first().field, "name");
  // Another template has no stored version yet.
  auto sheet = find("fiche_projet", 1);
  ASSERT_FALSE(sheet.ok());
  EXPECT_EQ(sheet.refusal().first().code, "template.unknown");
}

TEST_F(DocumentTemplatesTest, AnAcceptedUploadWritesOneAuditLine) {
  ASSERT_TRUE(audit("template.upload").empty());
  const auto before = octroi::run_read(
      *store_, [&](Transaction& tx) { return tx.audit().audit_trail(idf_).size(); });
  auto first = upload(convention("CP 2022-111", "2022-03-23", "2025-12-31"));
  ASSERT_TRUE(first.ok()) << first.refusal().describe();
  const auto after = octroi::run_read(
      *store_, [&](Transaction& tx) { return tx.audit().audit_trail(idf_).size(); });
  EXPECT_EQ(after, before + 1);
  const auto lines = audit("template.upload");
  ASSERT_EQ(lines.size(), 1u);
  const AuditEntry& e = lines.front();
  EXPECT_EQ(e.actor, "test:instructeur");
  EXPECT_EQ(e.at.iso(), FixedClock::kNow);
  EXPECT_EQ(e.entity, "template");
  EXPECT_NE(e.entity_key.find("convention"), std::string::npos) << e.entity_key;
  nlohmann::json j;
  ASSERT_NO_THROW(j = nlohmann::json::parse(e.after)) << e.after;
  EXPECT_EQ(j.at("name"), "convention");
  EXPECT_EQ(j.at("version"), 1);
  EXPECT_EQ(j.at("adopted_by"), "CP 2022-111");
  EXPECT_EQ(j.at("applies_from"), "2022-03-23");
  EXPECT_EQ(j.at("applies_until"), "2025-12-31");
  EXPECT_EQ(j.at("sha256"), first->sha256);
  // The chain still verifies with the new line.
  const auto trail =
      octroi::run_read(*store_, [&](Transaction& tx) { return tx.audit().audit_trail(idf_); });
  EXPECT_TRUE(octroi::verify_audit_chain(trail, hasher()).empty());
  // The next upload: a second line, for version 2.
  ASSERT_EQ(accepted(convention("CR 2023-001", "2023-01-01")), 2);
  const auto two = audit("template.upload");
  ASSERT_EQ(two.size(), 2u);
  ASSERT_NO_THROW(j = nlohmann::json::parse(two.back().after)) << two.back().after;
  EXPECT_EQ(j.at("version"), 2);
  EXPECT_EQ(j.at("adopted_by"), "CR 2023-001");
  EXPECT_TRUE(j.at("applies_until").is_null());
}

TEST_F(DocumentTemplatesTest, AnUnknownNameIsRefused) {
  TemplateUpload u = convention();
  u.name = "convention_type";
  expect_refused(u, "name", "template.name", "convention_type");
  u.name = "";
  expect_refused(u, "name", "template.name");
}

TEST_F(DocumentTemplatesTest, TheAdoptingActIsRequired) {
  expect_refused(convention(""), "adopted_by");
  expect_refused(convention("   "), "adopted_by");
  expect_refused(convention(std::string(201, 'C')), "adopted_by");
  // The control: 200 characters are accepted.
  EXPECT_EQ(accepted(convention(std::string(200, 'C'))), 1);
}

TEST_F(DocumentTemplatesTest, TheDatesAreChecked) {
  expect_refused(convention("CP 2022-111", ""), "applies_from", "template.applies_from");
  expect_refused(convention("CP 2022-111", "23 mars 22"), "applies_from");
  expect_refused(convention("CP 2022-111", "30 février 2022"), "applies_from");
  expect_refused(convention("CP 2022-111", "2022-02-30"), "applies_from");
  expect_refused(convention("CP 2022-111", "2022-03-23", "31/02/2023"), "applies_until");
  expect_refused(convention("CP 2022-111", "2022-03-23", "2022-03-22"), "applies_until",
                 "template.applies_until");
  // The control: a version that applies for one day only.
  EXPECT_EQ(accepted(convention("CP 2022-111", "2022-03-23", "2022-03-23")), 1);
}

TEST_F(DocumentTemplatesTest, AContentThatIsNotAFillableTextDocumentIsRefused) {
  TemplateUpload u = convention();
  u.content = "";
  expect_refused(u, "content", "template.content");
  u.content = "ceci n'est pas du XML";
  expect_refused(u, "content", "document.xml");
  u.content = "<office:document><office:body><office:text><text:p>x</office:text>";
  expect_refused(u, "content", "document.xml");
  u.content =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<office:document xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
      "office:mimetype=\"application/vnd.oasis.opendocument.spreadsheet\">"
      "<office:body><office:spreadsheet/></office:body></office:document>";
  expect_refused(u, "content", "document.not_text");
  u.content = "<?xml version=\"1.0\"?><html><body><p>{{dossier}}</p></body></html>";
  expect_refused(u, "content", "document.not_text");
  u.content = std::string("<?xml version=\"1.0\"?><a>\xC3\x28</a>");  // not UTF-8
  expect_refused(u, "content", "template.content");
  // A section opened and never closed, one closed and never opened.
  u.content = with_paragraphs(builtin("convention"),
                              "<text:p>{{#signe_beneficiaire}}</text:p><text:p>Signé.</text:p>");
  expect_refused(u, "content", "document.template", "signe_beneficiaire");
  u.content = with_paragraphs(builtin("convention"), "<text:p>{{/de_minimis}}</text:p>");
  expect_refused(u, "content", "document.template", "de_minimis");
}

TEST_F(DocumentTemplatesTest, AFieldTheDataDoesNotHaveIsRefusedAtUpload) {
  // A well-formed template, whose sections nest, but which prints a field octroi's data does not
  // have: tried on the authority's own awarded dossier, it is refused now.
  TemplateUpload u = convention();
  u.content = with_paragraphs(builtin("convention"),
                              "<text:p text:style-name=\"Corps\">Référence interne : "
                              "{{champ_inexistant}}.</text:p>");
  ASSERT_TRUE(engine_.check_template(u.content, "convention").ok())
      << "the template itself must be well-formed for this test";
  expect_refused(u, "content", "document.missing_field", "champ_inexistant");
  // A section the data does not have either.
  u.content = with_paragraphs(
      builtin("convention"),
      "<text:p>{{#section_inexistante}}</text:p><text:p>x</text:p><text:p>{{/section_inexistante}}"
      "</text:p>");
  expect_refused(u, "content", "document.missing_field", "section_inexistante");
  // The control: a field the data has is accepted.
  u.content = with_paragraphs(builtin("convention"),
                              "<text:p text:style-name=\"Corps\">Dossier {{dossier}}.</text:p>");
  EXPECT_EQ(accepted(u), 1);
}

// ---- Choosing the version in force -----------------------------------------------------------

TEST_F(DocumentTemplatesTest, WithoutAStoredVersionTheBuiltInTemplateIsChosen) {
  auto t = choose(Date(2023, 6, 1), "CP 2022-111");
  ASSERT_TRUE(t.ok()) << t.refusal().describe();
  EXPECT_EQ(t->version, 0);
  EXPECT_EQ(t->name, "convention");
  EXPECT_EQ(t->content, builtin("convention"));
  EXPECT_EQ(t->sha256, hasher().sha256_hex(builtin("convention")));
}

TEST_F(DocumentTemplatesTest, TheVersionInForceOnTheDateIsChosen) {
  ASSERT_EQ(accepted(convention("CR 2021-001", "2022-01-01")), 1);
  auto t = choose(Date(2023, 6, 1));
  ASSERT_TRUE(t.ok()) << t.refusal().describe();
  EXPECT_EQ(t->version, 1);
  EXPECT_EQ(t->content, builtin("convention"));  // with its content
  EXPECT_EQ(t->adopted_by, "CR 2021-001");
  EXPECT_EQ(chosen(Date(2022, 1, 1)), 1);    // its first day
  EXPECT_EQ(chosen(Date(2021, 12, 31)), 0);  // the day before: the built-in
}

TEST_F(DocumentTemplatesTest, AVersionNoLongerInForceIsNotChosen) {
  ASSERT_EQ(accepted(convention("CR 2021-001", "2022-01-01", "2022-12-31")), 1);
  EXPECT_EQ(chosen(Date(2023, 6, 1)), 0);
  EXPECT_EQ(chosen(Date(2023, 1, 1)), 0);    // the day after its end
  EXPECT_EQ(chosen(Date(2022, 12, 31)), 1);  // its last day
  EXPECT_EQ(chosen(Date(2022, 6, 1)), 1);
}

TEST_F(DocumentTemplatesTest, AmongVersionsInForceTheNewestIsChosen) {
  ASSERT_EQ(accepted(convention("CR 2021-001", "2022-01-01")), 1);
  ASSERT_EQ(accepted(convention("CR 2022-050", "2022-06-01")), 2);
  EXPECT_EQ(chosen(Date(2023, 6, 1)), 2);
  EXPECT_EQ(chosen(Date(2022, 3, 1)), 1);  // before version 2 applies
  // A third version, in force earlier but uploaded later, is the newest.
  ASSERT_EQ(accepted(convention("CR 2022-060", "2021-01-01")), 3);
  EXPECT_EQ(chosen(Date(2023, 6, 1)), 3);
  EXPECT_EQ(chosen(Date(2021, 6, 1)), 3);
}

TEST_F(DocumentTemplatesTest, TheVersionAdoptedByThePreferredActWins) {
  ASSERT_EQ(accepted(convention("CP 2022-111", "2022-03-23")), 1);
  ASSERT_EQ(accepted(convention("CR 2023-001", "2022-06-01")), 2);
  EXPECT_EQ(chosen(Date(2023, 1, 25), "CP 2022-111"), 1);
  EXPECT_EQ(chosen(Date(2023, 1, 25)), 2);
  EXPECT_EQ(chosen(Date(2023, 1, 25), "CP 2099-999"), 2);  // no version of that act: the newest
  // The preferred act's version is only chosen while it is in force.
  EXPECT_EQ(chosen(Date(2022, 3, 1), "CP 2022-111"), 0);
}

TEST_F(DocumentTemplatesTest, APreferredActIsNotMatchedInsideAnotherActsNumber) {
  // "CP 2022-1110" is another act than "CP 2022-111": its version is no more preferred than any
  // other, so the newest version in force is chosen.
  ASSERT_EQ(accepted(convention("CP 2022-1110", "2022-01-01")), 1);
  ASSERT_EQ(accepted(convention("CR 2023-001", "2022-06-01")), 2);
  EXPECT_EQ(chosen(Date(2023, 1, 25), "CP 2022-111"), 2);
  // The control: the act itself is preferred.
  ASSERT_EQ(accepted(convention("CP 2022-111", "2022-01-01")), 3);
  ASSERT_EQ(accepted(convention("CR 2023-002", "2022-06-01")), 4);
  EXPECT_EQ(chosen(Date(2023, 1, 25), "CP 2022-111"), 3);
}

// ---- Generating documents --------------------------------------------------------------------

TEST_F(DocumentTemplatesTest, GeneratingAnAgreementIsAuditedWithEveryHash) {
  play_demo_life();
  ASSERT_TRUE(audit("document.generate").empty());
  const DocumentRequest request{DocumentKind::Agreement, "", "EX070158", ""};
  auto g = generate(request);
  ASSERT_TRUE(g.ok()) << g.refusal().describe();
  EXPECT_EQ(g->request.file, "convention-EX070158");
  EXPECT_EQ(g->used.name, "convention");
  EXPECT_EQ(g->used.version, 0);
  EXPECT_TRUE(g->used.content.empty());
  EXPECT_EQ(g->used.sha256, hasher().sha256_hex(builtin("convention")));
  EXPECT_EQ(g->document_sha256, hasher().sha256_hex(g->odt));
  EXPECT_EQ(octroi::documents::check_odt(g->odt), std::vector<std::string>{});
  const std::string content = octroi::documents::odt_entry(g->odt, "content.xml");
  EXPECT_NE(content.find("CONVENTION N° EX070158"), std::string::npos);
  EXPECT_EQ(content.find("{{"), std::string::npos);
  // The data's hash is the hash of its canonical form.
  auto data = octroi::run_read(
      *store_, [&](Transaction& tx) { return octroi::agreement_data(tx, idf_, "EX070158"); });
  ASSERT_TRUE(data.ok()) << data.refusal().describe();
  EXPECT_EQ(g->data_sha256, hasher().sha256_hex(octroi::canonical_json(data.value())));
  EXPECT_EQ(g->data_sha256.size(), 64u);
  EXPECT_TRUE(is_lower_hex(g->data_sha256));

  auto lines = audit("document.generate");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].actor, "test:instructeur");
  EXPECT_EQ(lines[0].entity, "document");
  EXPECT_EQ(lines[0].entity_key, "convention-EX070158");
  nlohmann::json j;
  ASSERT_NO_THROW(j = nlohmann::json::parse(lines[0].after)) << lines[0].after;
  EXPECT_EQ(j.at("kind"), "convention");
  EXPECT_EQ(j.at("number"), "EX070158");
  EXPECT_EQ(j.at("template"), "convention");
  EXPECT_EQ(j.at("template_version"), 0);
  EXPECT_EQ(j.at("template_sha256"), g->used.sha256);
  EXPECT_EQ(j.at("data_sha256"), g->data_sha256);
  EXPECT_EQ(j.at("document_sha256"), g->document_sha256);

  // Again, from the same data: the same data hash, one more line.
  auto again = generate(request);
  ASSERT_TRUE(again.ok()) << again.refusal().describe();
  EXPECT_EQ(again->data_sha256, g->data_sha256);
  EXPECT_EQ(again->used.sha256, g->used.sha256);
  lines = audit("document.generate");
  ASSERT_EQ(lines.size(), 2u);
  ASSERT_NO_THROW(j = nlohmann::json::parse(lines[1].after)) << lines[1].after;
  EXPECT_EQ(j.at("data_sha256"), g->data_sha256);
  EXPECT_EQ(j.at("document_sha256"), again->document_sha256);
  // The chain still verifies.
  const auto trail =
      octroi::run_read(*store_, [&](Transaction& tx) { return tx.audit().audit_trail(idf_); });
  EXPECT_TRUE(octroi::verify_audit_chain(trail, hasher()).empty());
}

TEST_F(DocumentTemplatesTest, TheAdoptedModelAgreementFillsTheNextGeneration) {
  play_demo_life();
  // A version adopted by the scheme's model act (CP 2022-111), in force on the award date (the
  // vote of 25 January 2023), recognisable in the document.
  const std::string marked = with_paragraphs(
      builtin("convention"),
      "<text:p text:style-name=\"Corps\">Modèle-type CP 2022-111 pour {{dossier}}.</text:p>");
  auto v1 = upload(convention("CP 2022-111", "2022-03-23", "", marked));
  ASSERT_TRUE(v1.ok()) << v1.refusal().describe();
  ASSERT_EQ(v1->version, 1);
  // A newer version of another act, also in force: the scheme's model still wins.
  ASSERT_EQ(accepted(convention("CR 2023-001", "2022-06-01")), 2);

  auto g = generate({DocumentKind::Agreement, "", "EX070158", ""});
  ASSERT_TRUE(g.ok()) << g.refusal().describe();
  EXPECT_EQ(g->used.version, 1);
  EXPECT_EQ(g->used.adopted_by, "CP 2022-111");
  EXPECT_EQ(g->used.sha256, v1->sha256);
  EXPECT_TRUE(g->used.content.empty());
  EXPECT_NE(octroi::documents::odt_entry(g->odt, "content.xml")
                .find("Modèle-type CP 2022-111 pour EX070158."),
            std::string::npos);
  const auto lines = audit("document.generate");
  ASSERT_EQ(lines.size(), 1u);
  nlohmann::json j;
  ASSERT_NO_THROW(j = nlohmann::json::parse(lines[0].after)) << lines[0].after;
  EXPECT_EQ(j.at("template_version"), 1);
  EXPECT_EQ(j.at("template_adopted_by"), "CP 2022-111");
  EXPECT_EQ(j.at("template_sha256"), v1->sha256);
  EXPECT_EQ(j.at("document_sha256"), hasher().sha256_hex(g->odt));

  // The notification letter has no model act: its built-in template.
  auto letter = generate({DocumentKind::Notification, "", "EX070158", ""});
  ASSERT_TRUE(letter.ok()) << letter.refusal().describe();
  EXPECT_EQ(letter->used.name, "notification");
  EXPECT_EQ(letter->used.version, 0);
}

TEST_F(DocumentTemplatesTest, ADossierWithoutAnAwardHasNoAgreement) {
  // CP 2023-040 is not adopted yet: EX070162 is only proposed.
  const std::string before = dump_database(db_);
  std::size_t audit_before = 0, audit_after = 0;
  auto refused = write([&](Transaction& tx, const Context& ctx) {
    audit_before = tx.audit().audit_trail(idf_).size();
    auto r = octroi::generate_document(tx, ctx, engine_, hasher(),
                                       {DocumentKind::Agreement, "", "EX070162", ""});
    audit_after = tx.audit().audit_trail(idf_).size();
    return r;
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.refusal().first().code, "document.no_award");
  EXPECT_EQ(refused.refusal().first().field, "number");
  EXPECT_NE(refused.refusal().first().message.find("EX070162"), std::string::npos);
  EXPECT_EQ(audit_after, audit_before);
  EXPECT_TRUE(audit("document.generate").empty());
  const std::string after = dump_database(db_);
  EXPECT_EQ(before, after) << first_difference(before, after);
  // Its letter neither; the awarded Casaco dossier (CP 2022-285) has both.
  auto letter = generate({DocumentKind::Notification, "", "EX070162", ""});
  ASSERT_FALSE(letter.ok());
  EXPECT_EQ(letter.refusal().first().code, "document.no_award");
  auto casaco = generate({DocumentKind::Agreement, "", "EX065392", ""});
  ASSERT_TRUE(casaco.ok()) << casaco.refusal().describe();
  EXPECT_EQ(audit("document.generate").size(), 1u);
}

TEST(CanonicalJson, TheSameDataGivesTheSameBytesWhateverTheOrderItWasBuiltIn) {
  DocRecord line1, line2;
  line1.text["libelle"] = "Abonnement";
  line1.text["montant"] = "9 000,00";
  line2.text["montant"] = "1 000,00";
  line2.text["libelle"] = "Formation";

  DocRecord a;
  a.text["dossier"] = "EX070158";
  a.text["objet"] = "Chèque « numérique »\n\"connecté\"";
  a.text["base"] = "16 000,00 € HT";
  a.flags["anticipe"] = true;
  a.flags["avance"] = false;
  a.lists["depenses"] = {line1, line2};
  a.lists["recettes"] = {};

  DocRecord b;
  b.lists["recettes"] = {};
  DocRecord line2b;
  line2b.text["libelle"] = "Formation";
  line2b.text["montant"] = "1 000,00";
  DocRecord line1b;
  line1b.text["montant"] = "9 000,00";
  line1b.text["libelle"] = "Abonnement";
  b.lists["depenses"].push_back(line1b);
  b.lists["depenses"].push_back(line2b);
  b.flags["avance"] = false;
  b.flags["anticipe"] = true;
  b.text["base"] = "16 000,00 € HT";
  b.text["objet"] = "Chèque « numérique »\n\"connecté\"";
  b.text["dossier"] = "EX070158";

  const std::string ja = octroi::canonical_json(a);
  EXPECT_EQ(ja, octroi::canonical_json(b));
  // It is JSON, and it holds the values as they are.
  nlohmann::json j;
  ASSERT_NO_THROW(j = nlohmann::json::parse(ja)) << ja;
  EXPECT_EQ(j.at("text").at("objet"), "Chèque « numérique »\n\"connecté\"");
  EXPECT_EQ(j.at("flags").at("anticipe"), true);
  EXPECT_EQ(j.at("lists").at("depenses").size(), 2u);
  EXPECT_EQ(j.at("lists").at("depenses").at(1).at("text").at("libelle"), "Formation");
  EXPECT_TRUE(j.at("lists").at("recettes").empty());
  // Different data, different bytes: a value, a flag, the order of a list's items.
  DocRecord c = a;
  c.text["base"] = "16 000,00 € TTC";
  EXPECT_NE(octroi::canonical_json(c), ja);
  c = a;
  c.flags["avance"] = true;
  EXPECT_NE(octroi::canonical_json(c), ja);
  c = a;
  std::swap(c.lists["depenses"][0], c.lists["depenses"][1]);
  EXPECT_NE(octroi::canonical_json(c), ja);
  c = a;
  c.lists.erase("recettes");
  EXPECT_NE(octroi::canonical_json(c), ja);
}

// ---- The database's own guards ---------------------------------------------------------------

class DocumentTemplatesGuards : public DocumentTemplatesTest {
 protected:
  TemplateRecord record(int version, const std::string& name = "convention") {
    TemplateRecord t;
    t.authority = idf_;
    t.name = name;
    t.version = version;
    t.adopted_by = "CP 2022-111";
    t.applies_from = Date(2022, 3, 23);
    t.content = builtin("convention");
    t.sha256 = hasher().sha256_hex(t.content);
    t.uploaded_by = "test:sql";
    t.uploaded_at = instant(FixedClock::kNow);
    return t;
  }
  // Inserts `t` in a write transaction of its own, under the use cases.
  void insert(const TemplateRecord& t) {
    auto r = octroi::run_write(*store_, [&](Transaction& tx) {
      tx.templates().insert_template(t);
      return octroi::done();
    });
    (void)r;
  }
  void expect_insert_refused(const TemplateRecord& t) {
    SCOPED_TRACE("version " + std::to_string(t.version) + " of " + t.name);
    const std::string before = dump_database(db_);
    EXPECT_THROW(insert(t), ConstraintViolation);
    const std::string after = dump_database(db_);
    EXPECT_EQ(before, after) << first_difference(before, after);
  }
};

TEST_F(DocumentTemplatesGuards, VersionsFollowEachOtherWithoutAGap) {
  // The first version must be 1.
  expect_insert_refused(record(2));
  EXPECT_EQ(count_rows(db_, "document_templates"), 0);
  ASSERT_NO_THROW(insert(record(1)));
  expect_insert_refused(record(3));  // a gap
  expect_insert_refused(record(1));  // the same version twice
  expect_insert_refused(record(0));
  EXPECT_EQ(count_rows(db_, "document_templates"), 1);
  // The controls: the next version goes in, and each template has its own numbering.
  ASSERT_NO_THROW(insert(record(2)));
  ASSERT_NO_THROW(insert(record(1, "deliberation")));
  EXPECT_EQ(count_rows(db_, "document_templates"), 3);
  expect_insert_refused(record(2));
  // An unknown template name and an empty act are refused by the table too.
  expect_insert_refused(record(1, "convention_type"));
  TemplateRecord no_act = record(3);
  no_act.adopted_by = "";
  expect_insert_refused(no_act);
  TemplateRecord backwards = record(3);
  backwards.applies_until = Date(2022, 3, 22);
  expect_insert_refused(backwards);
  // The use case numbers after what is stored.
  EXPECT_EQ(accepted(convention()), 3);
}

TEST_F(DocumentTemplatesGuards, StoredVersionsCanNeitherChangeNorGo) {
  ASSERT_EQ(accepted(convention()), 1);
  ASSERT_EQ(accepted(convention("CR 2023-001", "2023-01-01")), 2);
  ASSERT_EQ(count_rows(db_, "document_templates"), 2);
  const std::string before = dump_database(db_);
  std::string msg;
  EXPECT_EQ(exec_sql(db_, "UPDATE document_templates SET content = 'x' WHERE version = 1", &msg),
            SqlOutcome::Constraint);
  EXPECT_NE(msg.find("append-only"), std::string::npos) << msg;
  EXPECT_EQ(exec_sql(db_, "UPDATE document_templates SET applies_until = '2022-12-31'", &msg),
            SqlOutcome::Constraint);
  EXPECT_NE(msg.find("append-only"), std::string::npos) << msg;
  EXPECT_EQ(exec_sql(db_, "DELETE FROM document_templates WHERE version = 2", &msg),
            SqlOutcome::Constraint);
  EXPECT_NE(msg.find("append-only"), std::string::npos) << msg;
  EXPECT_EQ(exec_sql(db_, "DELETE FROM document_templates", &msg), SqlOutcome::Constraint);
  EXPECT_NE(msg.find("append-only"), std::string::npos) << msg;
  if (octroi_testing::testing_postgres()) {
    EXPECT_EQ(exec_sql(db_, "TRUNCATE document_templates", &msg), SqlOutcome::Constraint);
    EXPECT_NE(msg.find("append-only"), std::string::npos) << msg;
  }
  const std::string after = dump_database(db_);
  EXPECT_EQ(before, after) << first_difference(before, after);
  EXPECT_EQ(count_rows(db_, "document_templates"), 2);
  auto v1 = find("convention", 1);
  ASSERT_TRUE(v1.ok()) << v1.refusal().describe();
  EXPECT_EQ(v1->content, builtin("convention"));
}

// ---- The documents of a report ---------------------------------------------------------------

TEST_F(DocumentTemplatesTest, TheDocumentsOfAReportFollowTheSessionsFile) {
  auto docs = octroi::run_read(
      *store_, [&](Transaction& tx) { return octroi::report_documents(tx, idf_, "CP 2023-040"); });
  ASSERT_TRUE(docs.ok()) << docs.refusal().describe();
  struct Expected {
    std::string file;
    DocumentKind kind;
    std::string number;
  };
  const std::vector<Expected> expected = {
      {"rapport", DocumentKind::Report, ""},
      {"deliberation", DocumentKind::Deliberation, ""},
      {"annexe-1-EX070162", DocumentKind::ProjectSheet, "EX070162"},
      {"annexe-1-EX070158", DocumentKind::ProjectSheet, "EX070158"},
      {"annexe-1-EX069984", DocumentKind::ProjectSheet, "EX069984"},
      {"annexe-2-avenant-EX065392", DocumentKind::TransferAmendment, "EX065392"},
      {"annexe-2-EX065392", DocumentKind::ProjectSheet, "EX065392"},
  };
  std::vector<std::string> files;
  for (const auto& d : docs.value())
    files.push_back(d.file);
  std::vector<std::string> expected_files;
  for (const auto& e : expected)
    expected_files.push_back(e.file);
  ASSERT_EQ(files, expected_files);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(expected[i].file);
    EXPECT_EQ(docs.value()[i].kind, expected[i].kind);
    EXPECT_EQ(docs.value()[i].number, expected[i].number);
    EXPECT_EQ(docs.value()[i].report, "CP 2023-040");
  }
  // A report of another session: its own file (CP 2022-285 awarded Casaco).
  auto older = octroi::run_read(
      *store_, [&](Transaction& tx) { return octroi::report_documents(tx, idf_, "CP 2022-285"); });
  ASSERT_TRUE(older.ok()) << older.refusal().describe();
  std::vector<std::string> older_files;
  for (const auto& d : older.value())
    older_files.push_back(d.file);
  EXPECT_EQ(older_files,
            (std::vector<std::string>{"rapport", "deliberation", "annexe-1-EX065392"}));
  // An unknown report is refused by number.
  auto unknown = octroi::run_read(
      *store_, [&](Transaction& tx) { return octroi::report_documents(tx, idf_, "CP 1999-001"); });
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.refusal().first().field, "report") << unknown.refusal().describe();
}

}  // namespace
}  // namespace octroi_test
