// The audit trail in words (web/audit_words.h), on entries as the use cases record them.
#include "adapters/http/web/audit_words.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace octroi::http::pages {
namespace {

#define NBSP "\xC2\xA0"
#define NNBSP "\xE2\x80\xAF"

using Lines = std::vector<std::string>;

TEST(AuditWords, AChangeSaysEachFieldThatMovedTheFrenchWay) {
  EXPECT_EQ(audit_in_words(R"({"number":"EX070158","state":"proposed","proposed_award":"8000.00",)"
                           R"("rule_award":"8000.00"})",
                           R"({"number":"EX070158","state":"under_instruction",)"
                           R"("proposed_award":null,"rule_award":null})"),
            (Lines{"État : proposé en commission → en instruction",
                   "Montant proposé : 8" NNBSP "000,00" NBSP "€ → —",
                   "Montant du barème : 8" NNBSP "000,00" NBSP "€ → —"}));
  EXPECT_EQ(
      audit_in_words(R"({"number":"EX070162","state":"draft","submitted_on":null})",
                     R"({"number":"EX070162","state":"submitted","submitted_on":"2023-01-25"})"),
      (Lines{"État : brouillon → déposé", "Déposé le : — → 25 janvier 2023"}));
  EXPECT_EQ(audit_in_words(R"({"assignee":""})", R"({"assignee":"instr"})"),
            (Lines{"Instruit par : personne → instr"}));
  EXPECT_EQ(
      audit_in_words(R"({"state":"proposed","award":null})",
                     R"({"state":"awarded","award":{"amount":"78400.00","date":"2022-07-07",)"
                     R"("deliberation":"CP 2022-285"}})"),
      (Lines{"État : proposé en commission → attribué",
             "Aide attribuée : — → 78" NNBSP "400,00" NBSP "€ (CP 2022-285 du 7 juillet 2022)"}));
  EXPECT_EQ(audit_in_words(R"({"requested":null})", R"({"requested":"4000.00"})"),
            (Lines{"Montant demandé : — → 4" NNBSP "000,00" NBSP "€"}));
  EXPECT_EQ(audit_in_words(R"({"id":3,"service":"Service de l'innovation"})",
                           R"({"id":3,"service":"Service de l'innovation","opinion":"reserved",)"
                           R"("answer":"Si partagé."})"),
            (Lines{"Avis : — → réservé", "Motif de l'avis : — → Si partagé."}));
  // A field nobody named keeps its name and its value: never hidden.
  EXPECT_EQ(audit_in_words(R"({"colour":"blue"})", R"({"colour":"red"})"),
            (Lines{"colour : blue → red"}));
  EXPECT_TRUE(audit_in_words(R"({"state":"draft"})", R"({"state":"draft"})").empty());
}

TEST(AuditWords, ACreationListsWhatPeopleReadAndCountsTheRest) {
  EXPECT_EQ(audit_in_words("", R"({"number":"EX1","title":"Projet","start":"2023-03-01",)"
                               R"("early_start":false,"early_start_date":null,)"
                               R"("plan":{"expenses":[]},"party_id":3})"),
            (Lines{"Projet : Projet", "Début : 1er mars 2023", "Démarrage anticipé : non",
                   "Tiers (n° interne) : 3", "et 1 autre(s) champ(s), dans les données brutes"}));
  // Not JSON objects: nothing in words (the raw text stays on the page).
  EXPECT_TRUE(audit_in_words("[1]", "{}").empty());
  EXPECT_TRUE(audit_in_words("{", "{}").empty());
}

}  // namespace
}  // namespace octroi::http::pages
