// After the decision, on the portal (issue 19): the applicant reads the award and the agreement,
// signs it by a click (identity, instant and the terms' fingerprint recorded and audited), asks
// for an advance within the scheme's ceiling, sees it paid by an agent; a claim refused with its
// reason; outcomes reported and a condition declared met; and every refusal changes nothing.
#include <gtest/gtest.h>

#include <regex>

#include "app/portal.h"
#include "integration/portal_support.h"

namespace octroi_test {
namespace {

class PortalAward : public PortalTest {
 protected:
  // A dossier of Marie's submitted on the portal, instructed, proposed and awarded by the vote of
  // a report of today's session (8 000 €).
  std::string awarded(const std::string& session) {
    const std::string number = apply(session, join(session, kGagny, "Commune de Gagny"));
    attach_pieces(session, number);
    EXPECT_EQ(ppost("/portail/dossiers/" + number + "/depot", {}, session).status, 303);
    award(number);
    return number;
  }

  static std::string terms_of(const std::string& page) {
    std::smatch m;
    return std::regex_search(page, m, std::regex("name=\"terms\" value=\"([0-9a-f]{64})\""))
               ? m[1].str()
               : "";
  }
};

TEST_F(PortalAward, TheApplicantSignsAsksForAnAdvanceAndSeesItPaid) {
  const std::string s = applicant("marie.dupont@gagny.fr");
  const std::string number = awarded(s);
  const std::string aide = "/portail/dossiers/" + number + "/aide";
  EXPECT_TRUE(has(pget("/portail/dossiers/" + number, s).body, aide));
  auto page = pget(aide, s).body;
  EXPECT_TRUE(has(page, "Aide accordée : <strong>8\u202f000,00\u00a0€</strong>")) << page;
  EXPECT_TRUE(has(page, "La convention est en préparation"));
  // The agent drafts the agreement; the applicant reads its terms.
  auto drafted = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::create_agreement(tx, ctx, number, {});
  });
  ASSERT_TRUE(drafted.ok()) << drafted.refusal().describe();
  page = pget(aide, s).body;
  EXPECT_TRUE(has(page, "Bénéficiaire : Commune de Gagny."));
  EXPECT_TRUE(has(page, "une avance de 30\u00a0% de la subvention au plus")) << page;
  const std::string terms = terms_of(page);
  ASSERT_EQ(terms.size(), 64u) << page;
  // Refused: no consent; terms other than those shown. Nothing changes.
  const std::string before = dump_database(db_);
  auto r = ppost(aide + "/signature", {{"terms", terms}}, s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "Cochez la case pour signer la convention au nom de Commune de Gagny"));
  r = ppost(aide + "/signature", {{"terms", std::string(64, 'a')}, {"consent", "1"}}, s);
  EXPECT_TRUE(has(r.body, "La convention a changé depuis l&#39;affichage de la page")) << r.body;
  // Asked before the agreement is signed by both: refused.
  r = ppost(aide + "/demandes", {{"kind", "advance"}, {"amount", "2400"}}, s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "subordonné à la signature de la convention"));
  expect_unchanged(before);
  // Signed by a click: the beneficiary's signature, today, with who, when and what.
  r = ppost(aide + "/signature", {{"terms", terms}, {"consent", "1"}}, s);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(query(db_,
                  "SELECT signatory, method, email, display_name, terms_sha256, remote_addr "
                  "FROM agreement_signatures")[0],
            (std::vector<std::string>{"beneficiary", "click", "marie.dupont@gagny.fr",
                                      "Marie Dupont", terms, "127.0.0.1"}));
  EXPECT_EQ(query(db_,
                  "SELECT signed_by_beneficiary_on FROM agreements a JOIN applications p ON "
                  "p.id = a.application_id WHERE p.number = '" +
                      number + "'")[0][0],
            "2023-01-20");
  EXPECT_EQ(query(db_,
                  "SELECT count(*) FROM audit_log WHERE actor = 'portail:marie.dupont@gagny.fr' "
                  "AND action IN ('agreement.sign', 'agreement.portal_signature')")[0][0],
            "2");
  page = pget(aide, s).body;
  EXPECT_TRUE(has(page, "signée en ligne par Marie Dupont (marie.dupont@gagny.fr)"));
  EXPECT_FALSE(has(page, "Signer la convention</button>"));
  EXPECT_EQ(ppost(aide + "/signature", {{"terms", terms}, {"consent", "1"}}, s).status, 422);
  // The authority signs in the back office: the award is committed; the applicant may claim.
  auto countersigned = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::sign_agreement(tx, ctx, number, {"authority", ""});
  });
  ASSERT_TRUE(countersigned.ok()) << countersigned.refusal().describe();
  // Above the scheme's ceiling (30 % of 8 000 €): refused, nothing recorded.
  const std::string signed_ = dump_database(db_);
  r = ppost(aide + "/demandes", {{"kind", "advance"}, {"amount", "2 400,01"}}, s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "data-code=\"payment.advance_ceiling\"")) << r.body;
  r = ppost(aide + "/demandes", {{"kind", "advance"}, {"amount", "100"}, {"realised", "-5"}}, s);
  EXPECT_TRUE(has(r.body, "data-code=\"payment.realised\"")) << r.body;
  r = ppost(aide + "/demandes", {{"kind", "prime"}, {"amount", "10"}}, s);
  EXPECT_TRUE(has(r.body, "data-code=\"payment.kind\""));
  expect_unchanged(signed_);
  r = ppost(aide + "/demandes", {{"kind", "advance"}, {"amount", "2 400"}}, s);
  ASSERT_EQ(r.status, 303) << r.body;
  // One claim waits at a time.
  r = ppost(aide + "/demandes", {{"kind", "advance"}, {"amount", "100"}}, s);
  EXPECT_TRUE(has(r.body, "attend déjà la décision du service")) << r.body;
  EXPECT_TRUE(has(pget(aide, s).body, "en attente de la décision du service"));
  // The agent pays it from the award page.
  add_users({{"finances", "finance"}});
  const std::string agent = login("finances");
  const auto award_page = get("/dossiers/" + number + "/aide", agent).body;
  const std::string claim = query(db_, "SELECT id FROM payment_claims")[0][0];
  ASSERT_TRUE(has(award_page, "Mandater la demande n° " + claim)) << award_page;
  r = post("/dossiers/" + number + "/aide/demandes/" + claim + "/paiement",
           {{"csrf", csrf_of(award_page)}}, agent);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(query(db_,
                  "SELECT c.state, p.amount_cents, p.kind FROM payment_claims c JOIN "
                  "payments p ON p.id = c.payment_id")[0],
            (std::vector<std::string>{"paid", "240000", "advance"}));
  // Paid twice? The claim is decided: a second click pays nothing.
  r = post("/dossiers/" + number + "/aide/demandes/" + claim + "/paiement",
           {{"csrf", csrf_of(award_page)}}, agent);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(query(db_,
                  "SELECT count(*) FROM payments p JOIN applications a ON a.id = "
                  "p.application_id WHERE a.number = '" +
                      number + "'")[0][0],
            "1");
  EXPECT_EQ(mails_to("marie.dupont@gagny.fr")[0].subject, "Versement sur votre dossier " + number);
  page = pget(aide, s).body;
  EXPECT_TRUE(has(page, "<strong data-paid>2\u202f400,00\u00a0€</strong>")) << page;
  EXPECT_TRUE(has(page, "mise en paiement"));
  // A balance claimed with its statement, refused by the agent with a reason.
  r = ppost(aide + "/demandes",
            {{"kind", "balance"},
             {"line-1-label", "Abonnements"},
             {"line-1", "12 000"},
             {"line-1-eligible", "1"},
             {"line-2-label", "Frais bancaires"},
             {"line-2", "50"}},
            s);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(query(db_, "SELECT realised_cents FROM payment_claims WHERE state = 'pending'")[0][0],
            "1200000");
  const std::string balance = query(db_, "SELECT max(id) FROM payment_claims")[0][0];
  const auto again = get("/dossiers/" + number + "/aide", agent).body;
  EXPECT_TRUE(has(again, "État récapitulatif des dépenses de la demande n° " + balance));
  r = post("/dossiers/" + number + "/aide/demandes/" + balance + "/refus",
           {{"csrf", csrf_of(again)}, {"reason", " "}}, agent);
  EXPECT_EQ(r.status, 422);
  r = post("/dossiers/" + number + "/aide/demandes/" + balance + "/refus",
           {{"csrf", csrf_of(again)}, {"reason", "Joignez les factures acquittées."}}, agent);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(mails_to("marie.dupont@gagny.fr")[0].subject,
            "Votre demande de versement sur le dossier " + number);
  EXPECT_TRUE(has(mails_to("marie.dupont@gagny.fr")[0].body, "Joignez les factures acquittées."));
  page = pget(aide, s).body;
  EXPECT_TRUE(has(page, "refusée</strong> : Joignez les factures acquittées.")) << page;
  // Claims are decided once, and never deleted.
  EXPECT_EQ(exec_sql(db_,
                     "UPDATE payment_claims SET state = 'pending', decided_at = NULL, "
                     "decided_by = NULL, payment_id = NULL, reason = ''"),
            SqlOutcome::Constraint);
  EXPECT_EQ(exec_sql(db_, "DELETE FROM payment_claims"), SqlOutcome::Constraint);
  EXPECT_EQ(exec_sql(db_, "DELETE FROM agreement_signatures"), SqlOutcome::Constraint);
}

TEST_F(PortalAward, OutcomesAreReportedAndConditionsDeclaredMetOnce) {
  const std::string s = applicant("marie.dupont@gagny.fr");
  const std::string number = awarded(s);
  const std::string aide = "/portail/dossiers/" + number + "/aide";
  auto added = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::add_condition(tx, ctx, number, "Afficher le logo de la Région", "2023-12-31");
  });
  ASSERT_TRUE(added.ok()) << added.refusal().describe();
  const std::string id = std::to_string(added->id);
  const std::string before = dump_database(db_);
  auto r = ppost(aide + "/resultats", {{"indicator", "Commerces équipés"}, {"value", "douze"}}, s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "data-code=\"outcome.value\""));
  EXPECT_EQ(ppost(aide + "/engagements/999999", {}, s).status, 422);
  expect_unchanged(before);
  r = ppost(aide + "/resultats", {{"indicator", "Commerces équipés"}, {"value", "12"}}, s);
  ASSERT_EQ(r.status, 303) << r.body;
  r = ppost(aide + "/engagements/" + id, {}, s);
  ASSERT_EQ(r.status, 303) << r.body;
  const auto page = pget(aide, s).body;
  EXPECT_TRUE(has(page, "<td>Commerces équipés</td><td class=\"num\">12</td>"));
  EXPECT_TRUE(
      has(page, "Afficher le logo de la Région (au plus tard le 31 décembre 2023) : rempli"));
  // Once decided, the applicant does not decide it again (an agent's "not met" stays).
  r = ppost(aide + "/engagements/" + id, {}, s);
  EXPECT_TRUE(has(r.body, "data-code=\"condition.decided\"")) << r.body;
  EXPECT_EQ(query(db_, "SELECT actor FROM audit_log WHERE action = 'outcome.report'")[0][0],
            "portail:marie.dupont@gagny.fr");
}

}  // namespace
}  // namespace octroi_test
