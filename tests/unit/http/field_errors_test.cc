// A refused form's messages next to their fields (web/field_errors.h): which input a refusal's
// field names, the attributes the field gets, what is never marked.
#include "adapters/http/web/field_errors.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace octroi::http::pages {
namespace {

TEST(FieldErrors, AFieldPathNamesTheInputsThePagesUse) {
  EXPECT_EQ(input_names_for("title"), (std::vector<std::string>{"title"}));
  EXPECT_EQ(input_names_for("plan.expenses[2].amount"),
            (std::vector<std::string>{"plan.expenses[2].amount", "expense-2", "plan.expenses"}));
  EXPECT_EQ(input_names_for("plan.resources[1].amount")[1], "resource-1");
  EXPECT_EQ(input_names_for("applications[3]"),
            (std::vector<std::string>{"applications[3]", "applications"}));
  EXPECT_EQ(input_names_for("project.title"), (std::vector<std::string>{"project.title", "title"}));
}

TEST(FieldErrors, TheMessageFollowsItsFieldWhichIsMarkedAndFocused) {
  const std::string form =
      "<form><input type=\"hidden\" name=\"amount\" value=\"1\">"
      "<label for=\"t\">Titre</label><input id=\"t\" name=\"title\" value=\"x\">"
      "<select id=\"k\" name=\"kind\"><option>a</option></select>"
      "<input id=\"e2\" name=\"expense-2\" value=\"12\"/></form>";
  const Refusal r({{"text.required", "title", "Le titre est obligatoire."},
                   {"article.kind", "kind", "Type <inconnu> « z »."},
                   {"amount.invalid", "plan.expenses[2].amount", "Montant invalide."},
                   {"workflow.transition", "event", "Action impossible."}});
  std::vector<PlacedProblem> placed;
  const std::string html = place_field_errors(form, r, placed);
  ASSERT_EQ(placed.size(), 4u);
  EXPECT_EQ(placed[0].anchor, "erreur-1");
  EXPECT_EQ(placed[1].anchor, "erreur-2");
  EXPECT_EQ(placed[2].anchor, "erreur-3");
  EXPECT_EQ(placed[3].anchor, "");  // no field called "event": the summary alone says it
  EXPECT_EQ(placed[3].code, "workflow.transition");
  EXPECT_NE(html.find("<input id=\"t\" name=\"title\" value=\"x\" aria-invalid=\"true\" "
                      "aria-describedby=\"erreur-1\" autofocus><span class=\"field-error\" "
                      "id=\"erreur-1\" data-code=\"text.required\">Le titre est obligatoire."
                      "</span>"),
            std::string::npos)
      << html;
  // A select's message comes after its closing tag; the message is escaped; only one autofocus.
  EXPECT_NE(html.find("</select><span class=\"field-error\" id=\"erreur-2\" "
                      "data-code=\"article.kind\">Type &lt;inconnu&gt; « z ».</span>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("name=\"expense-2\" value=\"12\" aria-invalid=\"true\" "
                      "aria-describedby=\"erreur-3\"/>"),
            std::string::npos)
      << html;
  EXPECT_EQ(html.find("autofocus"), html.rfind("autofocus"));
  // The hidden input of the same name as nothing: never marked.
  EXPECT_NE(html.find("<input type=\"hidden\" name=\"amount\" value=\"1\">"), std::string::npos);
}

TEST(FieldErrors, NothingIsMarkedWhenThePageHasNoSuchField) {
  std::vector<PlacedProblem> placed;
  const std::string page = "<p>Rien</p>";
  EXPECT_EQ(place_field_errors(page, refuse("workflow.transition", "nowhere", "Non."), placed),
            page);
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_EQ(placed[0].anchor, "");
}

TEST(FieldErrors, AFieldInsideAListIsNeverPinnedOnAFieldOfTheSameLastName) {
  // The form's "amount" is the dossier's; the problem is on the second expense's amount.
  const std::string form = "<form><input id=\"a\" name=\"amount\" value=\"10\"></form>";
  std::vector<PlacedProblem> placed;
  const std::string html = place_field_errors(
      form, refuse("amount.invalid", "plan.expenses[2].amount", "Montant invalide."), placed);
  EXPECT_EQ(html, form);
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_EQ(placed[0].anchor, "");
}

TEST(FieldErrors, AFieldThatIsOnlyHiddenGetsItsMessageInTheSummary) {
  const std::string form =
      "<form><input type=\"hidden\" name=\"amount\" value=\"1\"><button>OK</button></form>";
  std::vector<PlacedProblem> placed;
  const std::string html =
      place_field_errors(form, refuse("amount.invalid", "amount", "Montant invalide."), placed);
  EXPECT_EQ(html, form);
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_EQ(placed[0].anchor, "");
  EXPECT_EQ(placed[0].message, "Montant invalide.");
}

}  // namespace
}  // namespace octroi::http::pages
