// Issue 18, finding 3, on the dossier page: a de minimis overrun offers to reduce the amount to
// the single undertaking's room, the event form takes the amount decided and its reason, and the
// page shows the rule's amount beside the amount proposed. In-process through Api::handle.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "integration/web_page_support.h"

namespace octroi_test {
namespace {

#define EUROS(x) x OCTROI_NBSP "€"

class WebDecidedAmountTest : public WebPageTest {
 protected:
  void SetUp() override {
    WebPageTest::SetUp();
    if (HasFatalFailure()) return;
    add_users({{"admin2", "administrator"}});
    api_ = std::make_unique<octroi::http::Api>(*store_, clock_, passwords_, tokens_);
    // A second project of SAS SCIC Casaco under the lieux d'innovation (40 %, de minimis
    // 1407/2013): 400 000 € HT of works, 160 000 € asked, 160 000 € by the rule. Casaco already
    // received 78 400 € (CP 2022-285): 121 600 € of room under the 200 000 € ceiling.
    auto created = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
      octroi::ApplicationInput in;
      in.scheme_number = "00001033";
      in.party_id = party_id("SAS SCIC Casaco");
      in.title = "Casaco : seconde salle";
      in.start = "2023-03-01";
      in.end = "2023-12-31";
      in.reference_year = "2023";
      in.expenses = {{"Travaux", "400000", true}};
      in.resources = {{"Région", "160000", "authority", "sollicité"},
                      {"Fonds propres", "240000", "self_funding", ""}};
      return octroi::create_application(tx, ctx, in);
    });
    ASSERT_TRUE(created.ok()) << created.refusal().describe();
    number_ = created->number;
    for (const char* event : {"submit", "start_instruction"}) {
      octroi::EventInput e;
      e.event = event;
      auto moved = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
        return octroi::apply_application_event(tx, ctx, number_, e);
      });
      ASSERT_TRUE(moved.ok()) << event << ": " << moved.refusal().describe();
    }
    session_ = login("admin2");
    csrf_ = csrf_of(get("/", session_).body);
  }

  static bool has(const std::string& body, const std::string& what) {
    return body.find(what) != std::string::npos;
  }

  std::string number_, session_, csrf_;
};

TEST_F(WebDecidedAmountTest, ADeMinimisOverrunOffersTheRoomAndTheFormKeepsTheReason) {
  const std::string path = "/dossiers/" + number_;
  auto page = get(path, session_);
  ASSERT_EQ(page.status, 200) << page.body;
  // The page's what-if found the overrun and offers the room; showing it recorded nothing.
  EXPECT_TRUE(has(page.body, "Réduire à la marge (" EUROS("121" OCTROI_NNBSP "600,00") ")"))
      << page.body;
  EXPECT_TRUE(has(page.body, "Aucun contrôle enregistré."));
  // A plain proposal is refused with the way out.
  const std::string before = dump_database(db_);
  auto refused = post(path + "/evenement", {{"csrf", csrf_}, {"event", "propose"}}, session_);
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(has(refused.body, "Proposez au plus la marge")) << refused.body;
  EXPECT_EQ(dump_database(db_), before);
  // The button's form: the amount and the reason it carries.
  std::smatch m;
  const std::regex amount_re("name=\"amount\" value=\"([0-9.]+)\"");
  const std::regex reason_re("name=\"reason\" value=\"([^\"]+)\"");
  ASSERT_TRUE(std::regex_search(page.body, m, amount_re)) << page.body;
  const std::string amount = m[1].str();
  EXPECT_EQ(amount, "121600.00");
  ASSERT_TRUE(std::regex_search(page.body, m, reason_re)) << page.body;
  auto reduced = post(path + "/evenement",
                      {{"csrf", csrf_},
                       {"event", "propose"},
                       {"amount", amount},
                       {"reason", "Plafond de minimis : montant réduit à la marge"}},
                      session_);
  ASSERT_EQ(reduced.status, 303) << reduced.body;
  page = get(path, session_);
  EXPECT_TRUE(
      has(page.body,
          "Montant proposé : <strong id=\"proposed\">" EUROS(
              "121" OCTROI_NNBSP
              "600,00") "</strong> (barème : " EUROS("160" OCTROI_NNBSP
                                                     "000,00") " ; motif : Plafond de minimis : "
                                                               "montant réduit à la marge)"))
      << page.body;
  EXPECT_FALSE(has(page.body, "Réduire à la marge"));
  const auto v = show(number_);
  EXPECT_EQ(v.application.proposed_award, octroi::Money::from_cents(121'600'00));
  EXPECT_EQ(v.application.rule_award, octroi::Money::from_cents(160'000'00));
}

TEST_F(WebDecidedAmountTest, AnAmountAboveTheRuleIsRefusedNextToItsField) {
  const std::string path = "/dossiers/" + number_;
  const std::string before = dump_database(db_);
  auto refused = post(
      path + "/evenement",
      {{"csrf", csrf_}, {"event", "propose"}, {"amount", "170000"}, {"reason", "x"}}, session_);
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(has(refused.body, "dépasse le montant que donne le barème")) << refused.body;
  // The visible amount field is marked and keeps what was typed; so do the event and the reason.
  EXPECT_TRUE(has(refused.body,
                  "<input id=\"amount\" name=\"amount\" inputmode=\"decimal\" size=\"14\" "
                  "value=\"170000\" aria-invalid=\"true\""))
      << refused.body;
  EXPECT_TRUE(has(refused.body, "<option value=\"propose\" selected>")) << refused.body;
  EXPECT_TRUE(has(refused.body, "name=\"reason\" size=\"60\" value=\"x\"")) << refused.body;
  EXPECT_EQ(dump_database(db_), before);
}

}  // namespace
}  // namespace octroi_test

namespace octroi_test {
namespace {

// The committee lowers a dossier's amount on the report page, next to the dossier: a refusal
// stays next to that dossier's field with its input, a dossier of no article is refused, and the
// article's amount follows the decision.
TEST_F(WebDecidedAmountTest, TheCommitteeLowersADossierOfTheReportNextToIt) {
  const std::string href = "/rapports/CP 2023-040";
  auto page = get("/rapports/CP 2023-040", session_);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "Abaisser le montant de EX070158")) << page.body;
  EXPECT_TRUE(has(page.body, "action=\"/rapports/CP%202023-040/dossiers/EX070158/montant\""));
  EXPECT_TRUE(has(page.body, "<p>Ligne 2023&#x2F;16300302 : " EUROS("23" OCTROI_NNBSP "000,00")));
  const std::string before = dump_database(db_);
  auto refused = post(href + "/dossiers/EX070158/montant",
                      {{"csrf", csrf_},
                       {"amount-EX070158", "9000"},
                       {"reason-EX070158", "Décision de la commission"}},
                      session_);
  EXPECT_EQ(refused.status, 422);
  const std::string input = tag_of(refused.body, "amount-EX070158");
  EXPECT_TRUE(has(input, "aria-invalid=\"true\"")) << input;
  EXPECT_TRUE(has(input, "value=\"9000\"")) << input;
  EXPECT_TRUE(has(tag_of(refused.body, "reason-EX070158"), "value=\"Décision de la commission\""));
  EXPECT_FALSE(has(tag_of(refused.body, "amount-EX070162"), "aria-invalid"));
  refused =
      post(href + "/dossiers/" + number_ + "/montant",
           {{"csrf", csrf_}, {"amount-" + number_, "1000"}, {"reason-" + number_, "x"}}, session_);
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(has(refused.body, "dans aucun article du rapport CP 2023-040")) << refused.body;
  EXPECT_EQ(dump_database(db_), before);
  auto done = post(href + "/dossiers/EX070158/montant",
                   {{"csrf", csrf_},
                    {"amount-EX070158", "6 000,00"},
                    {"reason-EX070158", "Plafond abaissé par la commission"}},
                   session_);
  ASSERT_EQ(done.status, 303) << done.body;
  page = get("/rapports/CP 2023-040?montant=1", session_);
  EXPECT_TRUE(has(page.body, "Montant décidé abaissé."));
  EXPECT_TRUE(has(page.body, "<p>Ligne 2023&#x2F;16300302 : " EUROS("21" OCTROI_NNBSP "000,00")))
      << page.body;
  EXPECT_TRUE(has(page.body, "Plafond abaissé par la commission"));
}

}  // namespace
}  // namespace octroi_test
