// Issue 18, finding 8: forms that do not cost work. The report's article form keeps what was typed
// when it is refused, with the message next to its field (marked, described, focused) and no API
// code shown; the adoption is not offered while the vote played at blank would be refused; an
// article is removed only once the removal is confirmed. In-process through Api::handle.
#include <gtest/gtest.h>

#include <string>

#include "integration/web_page_support.h"

namespace octroi_test {
namespace {

class WebFormsTest : public WebPageTest {
 protected:
  void SetUp() override {
    WebPageTest::SetUp();
    if (HasFatalFailure()) return;
    add_users({{"greffe", "clerk"}});
    api_ = std::make_unique<octroi::http::Api>(*store_, clock_, passwords_, tokens_);
    session_ = login("greffe");
    csrf_ = csrf_of(get("/", session_).body);
  }

  std::string session_, csrf_;
};

TEST_F(WebFormsTest, ARefusedArticleKeepsWhatWasTypedWithTheMessageAtItsField) {
  const std::string before = dump_database(db_);
  const auto refused = post("/rapports/CP 2023-040/articles",
                            {{"csrf", csrf_},
                             {"kind", "scheme_awards"},
                             {"title", "Chèque numérique « bis »"},
                             {"line", "2023/16300302"},
                             {"amount", "12 000,5x"},
                             {"scheme", "00001176"},
                             {"application-EX069984", "1"},
                             {"new_end", "15 février 2024"}},
                            session_);
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(dump_database(db_), before);
  const std::string& body = refused.body;
  // What was typed is there again: text, choices, ticked dossier.
  EXPECT_TRUE(has(tag_of(body, "title"), "value=\"Chèque numérique « bis »\"")) << body;
  EXPECT_TRUE(has(tag_of(body, "amount"), "value=\"12 000,5x\"")) << body;
  EXPECT_TRUE(has(body, "<option value=\"scheme_awards\" selected>")) << body;
  EXPECT_TRUE(has(body, "<option value=\"00001176\" selected>")) << body;
  EXPECT_TRUE(has(tag_of(body, "application-EX069984"), " checked")) << body;
  EXPECT_FALSE(has(tag_of(body, "application-EX070158"), " checked")) << body;
  EXPECT_TRUE(has(tag_of(body, "new_end"), "value=\"15 février 2024\"")) << body;
  // The amount is marked invalid, described by its message, and has the focus.
  const std::string amount = tag_of(body, "amount");
  EXPECT_TRUE(has(amount, "aria-invalid=\"true\"")) << amount;
  EXPECT_TRUE(has(amount, "aria-describedby=\"erreur-1\"")) << amount;
  EXPECT_TRUE(has(amount, "autofocus")) << amount;
  EXPECT_TRUE(
      has(body, "<span class=\"field-error\" id=\"erreur-1\" data-code=\"amount.invalid\">"))
      << body;
  // The summary links to it, in French, without the API's code or path.
  EXPECT_TRUE(has(body, "<a href=\"#erreur-1\">Montant invalide")) << body;
  EXPECT_FALSE(has(body, "(amount · ")) << body;
  EXPECT_FALSE(has(body, "amount.invalid)")) << body;
}

TEST_F(WebFormsTest, TheAdoptionIsNotOfferedWhileTheVoteWouldBeRefused) {
  auto page = get("/rapports/CP 2023-040", session_);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "Enregistrer l'adoption (tout ou rien)"));
  // The line of the Journées Européennes des Métiers d'Art reduced below its article's 24 500 €.
  auto cut = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    octroi::MovementInput in;
    in.line = "2023/16100107";
    in.ae = "-190000";
    in.reference = "DM 2023-1";
    in.label = "Décision modificative";
    return octroi::vote_budget(tx, ctx, in);
  });
  ASSERT_TRUE(cut.ok()) << cut.refusal().describe();
  page = get("/rapports/CP 2023-040", session_);
  EXPECT_FALSE(has(page.body, "Enregistrer l'adoption")) << page.body;
  EXPECT_FALSE(has(page.body, "/adoption\"")) << page.body;
  EXPECT_TRUE(has(page.body, "L'adoption ne peut pas être enregistrée")) << page.body;
}

TEST_F(WebFormsTest, AnArticleIsRemovedOnlyOnceConfirmed) {
  const auto page = get("/rapports/CP 2023-040", session_);
  EXPECT_TRUE(has(page.body, "Je confirme le retrait de l'article 2")) << page.body;
  EXPECT_TRUE(has(tag_of(page.body, "confirm-2"), "required"));
  EXPECT_TRUE(has(tag_of(page.body, "confirm-1"), "required"));
  const std::string before = dump_database(db_);
  const auto refused =
      post("/rapports/CP 2023-040/articles/2/retrait", {{"csrf", csrf_}}, session_);
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(has(refused.body, "Cochez la confirmation pour retirer l&#39;article 2"));
  // Only the box of article 2 is marked, not those of the other articles or of the adoption.
  EXPECT_TRUE(has(tag_of(refused.body, "confirm-2"), "aria-invalid=\"true\"")) << refused.body;
  EXPECT_FALSE(has(tag_of(refused.body, "confirm-1"), "aria-invalid")) << refused.body;
  EXPECT_FALSE(has(tag_of(refused.body, "confirm"), "aria-invalid")) << refused.body;
  EXPECT_EQ(dump_database(db_), before);
  // The box of another article does not confirm this one.
  const auto other = post("/rapports/CP 2023-040/articles/2/retrait",
                          {{"csrf", csrf_}, {"confirm-1", "1"}}, session_);
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(dump_database(db_), before);
  const auto removed = post("/rapports/CP 2023-040/articles/2/retrait",
                            {{"csrf", csrf_}, {"confirm-2", "1"}}, session_);
  EXPECT_EQ(removed.status, 303) << removed.body;
}

}  // namespace
}  // namespace octroi_test
