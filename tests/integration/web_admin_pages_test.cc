// Issue 18, finding 5: administration in the back office. The authority's SIRET (which the SCDL
// publication needs), a scheme's payment ceilings (the demonstration's scheme refused every
// advance until edited by the CLI), a budget line and its vote — each through its page, audited,
// refused with the typed values kept and nothing changed, and refused to the roles that may not.
#include <gtest/gtest.h>

#include <string>

#include "app/ports/audit.h"
#include "app/workspace.h"
#include "integration/web_page_support.h"

namespace octroi_test {
namespace {

#define EUROS(x) x OCTROI_NBSP "€"

class WebAdminPagesTest : public WebPageTest {
 protected:
  void SetUp() override {
    WebPageTest::SetUp();
    if (HasFatalFailure()) return;
    add_users({{"admin2", "administrator"}, {"finances", "finance"}, {"lecteur", "reader"}});
    api_ = std::make_unique<octroi::http::Api>(*store_, clock_, passwords_, tokens_);
  }

  std::string last_audit_action(const std::string& entity, const std::string& key) {
    auto trail = octroi::run_read(
        *store_, [&](octroi::Transaction& tx) { return tx.audit().audit_of(idf_, entity, key); });
    return trail.empty() ? std::string() : trail.back().action + " by " + trail.back().actor;
  }
};

TEST_F(WebAdminPagesTest, TheAdministratorGivesTheAuthorityItsSiret) {
  const std::string s = login("admin2");
  const std::string csrf = csrf_of(get("/", s).body);
  auto page = get("/admin/collectivite", s);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(has(page.body, "Renseignez le SIRET")) << page.body;
  // A wrong SIRET: refused at its field, typed values kept, nothing written.
  const std::string before = dump_database(db_);
  auto refused = post("/admin/collectivite",
                      {{"csrf", csrf},
                       {"name", "Région Île-de-France"},
                       {"siret", "23750007900313"},
                       {"executive", "La présidente"}},
                      s);
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(dump_database(db_), before);
  EXPECT_TRUE(has(tag_of(refused.body, "siret"), "value=\"23750007900313\""));
  EXPECT_TRUE(has(tag_of(refused.body, "siret"), "aria-invalid=\"true\""));
  EXPECT_TRUE(has(tag_of(refused.body, "executive"), "value=\"La présidente\""));
  auto saved =
      post("/admin/collectivite",
           {{"csrf", csrf}, {"name", "Région Île-de-France"}, {"siret", "23750007900312"}}, s);
  ASSERT_EQ(saved.status, 303) << saved.body;
  page = get("/admin/collectivite?enregistre=1", s);
  EXPECT_TRUE(has(page.body, "Collectivité enregistrée."));
  EXPECT_TRUE(has(tag_of(page.body, "siret"), "value=\"23750007900312\""));
  EXPECT_FALSE(has(page.body, "Renseignez le SIRET"));
  EXPECT_EQ(last_audit_action("authority", "idf"), "authority.edit by web:admin2");
  // Not the finance officer's page, nor form.
  const std::string f = login("finances");
  EXPECT_EQ(get("/admin/collectivite", f).status, 403);
  const std::string before_f = dump_database(db_);
  EXPECT_EQ(post("/admin/collectivite", {{"csrf", csrf_of(get("/", f).body)}, {"name", "Autre"}}, f)
                .status,
            403);
  EXPECT_EQ(dump_database(db_), before_f);
}

TEST_F(WebAdminPagesTest, ASchemesCeilingsAreEditedFromItsPage) {
  const std::string s = login("admin2");
  const std::string csrf = csrf_of(get("/", s).body);
  auto list = get("/dispositifs", s);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(has(list.body, "href=\"/dispositifs/00001176\"")) << list.body;
  auto page = get("/dispositifs/00001176", s);
  ASSERT_EQ(page.status, 200) << page.body;
  // The form holds the stored scheme: its rule and its (absent) ceilings.
  EXPECT_TRUE(has(tag_of(page.body, "rate_percent"), "value=\"50\"")) << page.body;
  EXPECT_TRUE(has(tag_of(page.body, "advance_max"), "value=\"\""));
  // Everything else as shown, the ceilings set: 30 % advance, 80 % with the interim payments.
  std::map<std::string, std::string> form{{"csrf", csrf}};
  for (const char* field : {"name",
                            "framework_deliberation",
                            "section",
                            "budget_imputation",
                            "budget_action",
                            "opens_on",
                            "closes_on",
                            "rule_kind",
                            "rate_percent",
                            "rate_rounding",
                            "base",
                            "step",
                            "step_rounding",
                            "cap",
                            "fixed_amount",
                            "model_agreement",
                            "balance_tolerance",
                            "lapse_first_request_years",
                            "lapse_balance_years",
                            "obligation_years",
                            "aid_regime",
                            "service"}) {
    const std::string tag = tag_of(page.body, field);
    const auto v = tag.find("value=\"");
    if (v != std::string::npos) {
      form[field] = tag.substr(v + 7, tag.find('"', v + 7) - v - 7);
    } else {  // a select: its selected option
      const auto at = page.body.find("name=\"" + std::string(field) + "\"");
      const auto sel = page.body.find(" selected>", at);
      const auto val = page.body.rfind("value=\"", sel);
      form[field] = page.body.substr(val + 7, page.body.find('"', val + 7) - val - 7);
    }
  }
  // A refusal first: an advance above 100 %.
  const std::string before = dump_database(db_);
  auto bad = form;
  bad["advance_max"] = "130";
  auto refused = post("/dispositifs/00001176", bad, s);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(dump_database(db_), before);
  EXPECT_TRUE(has(tag_of(refused.body, "advance_max"), "value=\"130\""));
  EXPECT_TRUE(has(tag_of(refused.body, "advance_max"), "aria-invalid=\"true\"")) << refused.body;
  form["advance_max"] = "30";
  form["interim_max"] = "80";
  auto saved = post("/dispositifs/00001176", form, s);
  ASSERT_EQ(saved.status, 303) << saved.body;
  auto scheme = octroi::run_read(*store_, [&](octroi::Transaction& tx) {
    return octroi::scheme_by_number(tx, idf_, "00001176");
  });
  ASSERT_TRUE(scheme.ok());
  ASSERT_TRUE(scheme->payment_rules.advance_max.has_value());
  EXPECT_EQ(*scheme->payment_rules.advance_max, octroi::Rate::percent(30));
  EXPECT_EQ(scheme->rule.rate, octroi::Rate::percent(50));  // the rest as it was
  EXPECT_EQ(scheme->rule.cap, octroi::Money::from_cents(8'000'00));
  EXPECT_EQ(last_audit_action("scheme", "00001176"), "scheme.edit by web:admin2");
  // A reader sees the scheme, without its form; the form is refused to them.
  const std::string r = login("lecteur");
  page = get("/dispositifs/00001176", r);
  EXPECT_EQ(page.status, 200);
  EXPECT_FALSE(has(page.body, "name=\"advance_max\""));
  EXPECT_EQ(post("/dispositifs/00001176", {{"csrf", csrf_of(page.body)}}, r).status, 403);
}

TEST_F(WebAdminPagesTest, TheFinanceOfficerCreatesALineAndVotesIt) {
  const std::string f = login("finances");
  const std::string csrf = csrf_of(get("/", f).body);
  auto page = get("/budget", f);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(has(page.body, "2023&#x2F;16300302")) << page.body;
  const std::string before = dump_database(db_);
  auto refused = post("/budget/lignes",
                      {{"csrf", csrf},
                       {"year", "2024"},
                       {"imputation", "936-633-657341-163004-400"},
                       {"action", "1630040"},
                       {"action_label", "Tourisme"}},
                      f);
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(dump_database(db_), before);
  EXPECT_TRUE(has(tag_of(refused.body, "action"), "value=\"1630040\""));
  EXPECT_TRUE(has(tag_of(refused.body, "action_label"), "value=\"Tourisme\""));
  ASSERT_EQ(post("/budget/lignes",
                 {{"csrf", csrf},
                  {"year", "2024"},
                  {"imputation", "936-633-657341-163004-400"},
                  {"action", "16300401"},
                  {"action_label", "Tourisme"}},
                 f)
                .status,
            303);
  auto voted = post("/budget/votes",
                    {{"csrf", csrf},
                     {"line", "2024/16300401"},
                     {"ae", "150 000"},
                     {"cp", "60 000,00"},
                     {"reference", "BP 2024"},
                     {"on", "14 décembre 2023"}},
                    f);
  ASSERT_EQ(voted.status, 303) << voted.body;
  page = get("/budget?vote=1", f);
  EXPECT_TRUE(has(page.body, "Vote enregistré."));
  EXPECT_TRUE(has(page.body, EUROS("150" OCTROI_NNBSP "000,00"))) << page.body;
  // The journal dates the vote by its act.
  const auto journal = get("/budget/2024/16300401", f);
  EXPECT_TRUE(has(journal.body, "<td>14 décembre 2023</td>")) << journal.body;
  // The reader sees the budget without its forms.
  const std::string r = login("lecteur");
  page = get("/budget", r);
  EXPECT_EQ(page.status, 200);
  EXPECT_FALSE(has(page.body, "action=\"/budget/votes\""));
}

}  // namespace
}  // namespace octroi_test

namespace octroi_test {
namespace {

// The services page lists each service with what it holds; a rename passes on its schemes,
// instructors and tokens at once (an instructor keeps acting on the same dossiers), audited; an
// unknown service, an empty name or another service's name are refused at their field and
// change nothing; a reader may not rename.
TEST_F(WebAdminPagesTest, AServiceIsRenamedEverywhereAtOnce) {
  add_users({{"instr", "instructor"}});
  const std::string s = login("admin2");
  auto page = get("/admin/services", s);
  ASSERT_EQ(page.status, 200) << page.body;
  const std::string instructors = query(db_,
                                        "SELECT count(*) FROM users WHERE role = 'instructor' AND "
                                        "service = 'Service de l''artisanat'")[0][0];
  EXPECT_TRUE(has(page.body,
                  "<th scope=\"row\">Service de l&#39;artisanat</th><td "
                  "class=\"num\">1</td><td class=\"num\">" +
                      instructors + "</td>"))
      << page.body;
  const std::string csrf = csrf_of(page.body);
  const std::string reader = login("lecteur");
  const std::string reader_csrf = csrf_of(get("/", reader).body);
  const std::string before = dump_database(db_);
  auto refused =
      post("/admin/services", {{"csrf", csrf}, {"from", "Service fantôme"}, {"to", ""}}, s);
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(has(tag_of(refused.body, "from"), "aria-invalid=\"true\"")) << refused.body;
  EXPECT_TRUE(has(tag_of(refused.body, "to"), "aria-invalid=\"true\""));
  refused = post(
      "/admin/services",
      {{"csrf", csrf}, {"from", "Service de l'artisanat"}, {"to", "Service de l'innovation"}}, s);
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(has(refused.body, "un changement de nom ne fusionne pas deux services"));
  EXPECT_TRUE(has(tag_of(refused.body, "to"), "value=\"Service de l&#39;innovation\""));
  EXPECT_EQ(post("/admin/services",
                 {{"csrf", reader_csrf},
                  {"from", "Service de l'artisanat"},
                  {"to", "Direction de l'artisanat"}},
                 reader)
                .status,
            403);
  EXPECT_EQ(dump_database(db_), before);
  // An opinion asked of the service and not answered yet follows it under its new name.
  auto asked = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::request_opinion(tx, ctx, "EX065392", "Service de l'artisanat",
                                   "Le projet touche-t-il des artisans ?");
  });
  ASSERT_TRUE(asked.ok()) << asked.refusal().describe();
  auto done = post(
      "/admin/services",
      {{"csrf", csrf}, {"from", "Service de l'artisanat"}, {"to", "Direction de l'artisanat"}}, s);
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(query(db_, "SELECT DISTINCT service FROM aid_schemes WHERE number = '00001176'")[0][0],
            "Direction de l'artisanat");
  EXPECT_EQ(query(db_, "SELECT service FROM users WHERE login = 'instr'")[0][0],
            "Direction de l'artisanat");
  EXPECT_EQ(query(db_, "SELECT service FROM application_opinions")[0][0],
            "Direction de l'artisanat");
  EXPECT_EQ(last_audit_action("service", "Direction de l'artisanat"),
            "service.rename by web:admin2");
  // The instructor still acts on the dossiers of the chèque numérique.
  const std::string i = login("instr");
  page = get("/dossiers/EX070158", i);
  EXPECT_TRUE(has(page.body, "instruit par Direction de l&#39;artisanat")) << page.body;
  EXPECT_FALSE(has(page.body, "vous pouvez le lire, pas le modifier"));
  // The command line lists and renames by the same use cases.
  const auto listed = run_octroi({"service", "list", "--db", db_});
  ASSERT_EQ(listed.status, 0) << listed.err;
  EXPECT_TRUE(has(listed.out, "Direction de l'artisanat : 1 dispositif(s)")) << listed.out;
  const auto unknown =
      run_octroi({"service", "rename", "Service de l'artisanat", "X", "--db", db_});
  EXPECT_EQ(unknown.status, 1);
  EXPECT_TRUE(has(unknown.err, "service.unknown")) << unknown.err;
  const auto back = run_octroi(
      {"service", "rename", "Direction de l'artisanat", "Service de l'artisanat", "--db", db_});
  ASSERT_EQ(back.status, 0) << back.err;
  EXPECT_TRUE(has(back.out, "renommé « Service de l'artisanat » : 1 dispositif(s)")) << back.out;
}

}  // namespace
}  // namespace octroi_test
