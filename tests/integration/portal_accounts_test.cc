// The applicant portal's accounts (issue 19): sign-up, verification by the e-mail's link, login,
// the forgotten password, organisations and invitations; the e-mails in French; every refusal
// leaves the database as it was.
#include "integration/portal_support.h"

namespace octroi_test {
namespace {

using octroi::MailRecord;

std::string count(const std::string& db, const std::string& table) {
  return query(db, "SELECT count(*) FROM " + table)[0][0];
}

TEST_F(PortalTest, SignUpSendsAVerificationLinkInFrenchAndOnlyAVerifiedAccountLogsIn) {
  auto r = ppost("/portail/inscription", {{"email", "  Marie.Dupont@Gagny.FR "},
                                          {"display_name", "Marie Dupont"},
                                          {"password", kPassword}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(has(r.body, "Un courriel vient d&#39;être envoyé à marie.dupont@gagny.fr"));
  const auto mails = mails_to("marie.dupont@gagny.fr");
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].subject, "Confirmez votre adresse électronique");
  EXPECT_TRUE(has(mails[0].body, "Bonjour Marie Dupont,"));
  EXPECT_TRUE(has(mails[0].body, "portail des aides de Région Île-de-France"));
  EXPECT_TRUE(has(mails[0].body, "https://aides.example.fr/portail/verifier?code="));
  EXPECT_TRUE(has(mails[0].body, "valable 48 heures"));
  // Not verified yet: the right password is not enough.
  r = ppost("/portail/connexion", {{"email", "marie.dupont@gagny.fr"}, {"password", kPassword}});
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.unverified\""));
  const std::string code = code_in_mail("marie.dupont@gagny.fr", "/portail/verifier");
  // The link's page asks for a click: a mail scanner fetching it verifies nothing.
  r = pget("/portail/verifier?code=" + code);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(query(db_, "SELECT verified_at IS NULL FROM applicant_accounts")[0][0], "1");
  r = ppost("/portail/verifier", {{"code", code}});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(header(r, "Location"), "/portail/connexion?verifie=1");
  // A link serves once.
  r = ppost("/portail/verifier", {{"code", code}});
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.code_invalid\""));
  const std::string session = log_in("MARIE.DUPONT@gagny.fr", kPassword);
  EXPECT_EQ(session.size(), 64u);
  r = pget("/portail/espace", session);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(has(r.body, "Marie Dupont"));
  // Audited, by the applicant's actor.
  EXPECT_EQ(query(db_,
                  "SELECT count(*) FROM audit_log WHERE actor = "
                  "'portail:marie.dupont@gagny.fr' AND action IN ('applicant.sign_up', "
                  "'applicant.verify', 'applicant.login')")[0][0],
            "3");
}

TEST_F(PortalTest, ASecondSignUpOfAnAddressTellsOnlyItsOwner) {
  applicant("marie.dupont@gagny.fr");
  const auto before = mails_to("marie.dupont@gagny.fr").size();
  const auto r = ppost("/portail/inscription", {{"email", "marie.dupont@gagny.fr"},
                                                {"display_name", "Quelqu'un d'autre"},
                                                {"password", "un-autre-mot-de-passe"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(
      has(r.body, "Un courriel vient d&#39;être envoyé"));  // the same page as a new account
  EXPECT_EQ(count(db_, "applicant_accounts"), "1");
  const auto mails = mails_to("marie.dupont@gagny.fr");
  ASSERT_EQ(mails.size(), before + 1);
  EXPECT_EQ(mails[0].subject, "Vous avez déjà un compte sur le portail des aides");
  // The account's password is unchanged.
  log_in("marie.dupont@gagny.fr", kPassword);
}

TEST_F(PortalTest, SignUpRefusesEachBadFieldAndStoresNothing) {
  const std::string before = dump_database(db_);
  auto r = ppost("/portail/inscription",
                 {{"email", "pas-une-adresse"}, {"display_name", ""}, {"password", "court"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.email\""));
  EXPECT_TRUE(has(r.body, "data-code=\"user.password_short\""));
  EXPECT_TRUE(has(r.body, "Adresse électronique invalide"));
  EXPECT_TRUE(has(tag_of(r.body, "email"), "aria-invalid=\"true\""));
  EXPECT_TRUE(has(r.body, "value=\"pas-une-adresse\""));  // kept as typed
  r = ppost("/portail/inscription",
            {{"email", "a@b.fr\r\nBcc: x@y.fr"}, {"display_name", "X"}, {"password", kPassword}});
  EXPECT_EQ(r.status, 422);
  // A form whose token is not its cookie's (another site's form) is refused before anything.
  r = portal("POST", "/portail/inscription",
             {{"form_csrf", std::string(64, 'a')},
              {"email", "x@y.fr"},
              {"display_name", "X"},
              {"password", kPassword}});
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(has(r.body, "data-code=\"auth.csrf\""));
  expect_unchanged(before);
}

TEST_F(PortalTest, APasswordIsResetByTheLinkOfTheEmailOnceAndClosesTheSessions) {
  const std::string session = applicant("marie.dupont@gagny.fr");
  // An unknown address gets the same answer and no e-mail.
  auto r = ppost("/portail/mot-de-passe", {{"email", "inconnu@gagny.fr"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(has(r.body, "Si un compte existe pour inconnu@gagny.fr"));
  EXPECT_TRUE(mails_to("inconnu@gagny.fr").empty());
  r = ppost("/portail/mot-de-passe", {{"email", "marie.dupont@gagny.fr"}});
  EXPECT_EQ(r.status, 200);
  const MailRecord mail = mails_to("marie.dupont@gagny.fr")[0];
  EXPECT_EQ(mail.subject, "Choisissez un nouveau mot de passe");
  EXPECT_TRUE(has(mail.body, "valable une heure"));
  const std::string code = code_in_mail("marie.dupont@gagny.fr", "/portail/reinitialiser");
  ASSERT_FALSE(code.empty());
  // A second request: two live links; using one kills the other.
  ASSERT_EQ(ppost("/portail/mot-de-passe", {{"email", "marie.dupont@gagny.fr"}}).status, 200);
  const std::string second = code_in_mail("marie.dupont@gagny.fr", "/portail/reinitialiser");
  ASSERT_NE(second, code);
  r = ppost("/portail/reinitialiser", {{"code", code}, {"password", "court"}});
  EXPECT_EQ(r.status, 422);  // the password's rules, and the code still serves
  r = ppost("/portail/reinitialiser", {{"code", code}, {"password", "un-nouveau-mot-de-passe"}});
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(pget("/portail/espace", session).status, 303);  // the old session is closed
  r = ppost("/portail/reinitialiser", {{"code", code}, {"password", "encore-un-autre-mot"}});
  EXPECT_EQ(r.status, 422);
  r = ppost("/portail/reinitialiser", {{"code", second}, {"password", "encore-un-autre-mot"}});
  EXPECT_TRUE(has(r.body, "data-code=\"portal.code_invalid\""));
  EXPECT_TRUE(has(r.body, "data-code=\"portal.code_invalid\""));
  r = ppost("/portail/connexion", {{"email", "marie.dupont@gagny.fr"}, {"password", kPassword}});
  EXPECT_EQ(r.status, 401);
  log_in("marie.dupont@gagny.fr", "un-nouveau-mot-de-passe");
}

TEST_F(PortalTest, AResetLinkOfAnotherPurposeOrExpiredServesNothing) {
  ASSERT_EQ(ppost("/portail/inscription", {{"email", "marie.dupont@gagny.fr"},
                                           {"display_name", "Marie"},
                                           {"password", kPassword}})
                .status,
            200);
  const std::string verify = code_in_mail("marie.dupont@gagny.fr", "/portail/verifier");
  // The verification code is no reset code.
  auto r = ppost("/portail/reinitialiser", {{"code", verify}, {"password", "un-autre-mot-de-p"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.code_invalid\""));
  // Expired: the database says it expired an hour ago.
  exec_sql(db_, "UPDATE applicant_codes SET expires_at = '2023-01-20T08:00:00Z'");
  r = ppost("/portail/verifier", {{"code", verify}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(query(db_, "SELECT verified_at IS NULL FROM applicant_accounts")[0][0], "1");
}

TEST_F(PortalTest, AnOrganisationIsJoinedByItsSiretAndThenOnlyByInvitation) {
  const std::string marie = applicant("marie.dupont@gagny.fr");
  const std::int64_t gagny = join(marie, kGagny, "Commune de Gagny");
  ASSERT_GT(gagny, 0);
  EXPECT_EQ(query(db_, "SELECT role FROM applicant_memberships")[0][0], "owner");
  // Another account cannot claim it.
  const std::string paul = applicant("paul.martin@gagny.fr", "Paul Martin");
  const std::string before = dump_database(db_);
  auto r = ppost("/portail/organisations", {{"siret", kGagny}}, paul);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.has_members\""));
  expect_unchanged(before);
  // Marie invites Paul; the e-mail carries the link; Paul joins.
  r = ppost("/portail/organisations/" + std::to_string(gagny) + "/invitations",
            {{"email", "paul.martin@gagny.fr"}}, marie);
  EXPECT_EQ(r.status, 303) << r.body;
  const MailRecord mail = mails_to("paul.martin@gagny.fr")[0];
  EXPECT_EQ(mail.subject, "Invitation sur le portail des aides");
  EXPECT_TRUE(has(mail.body, "« Commune de Gagny »"));
  EXPECT_TRUE(has(mail.body, "marie.dupont@gagny.fr vous invite"));
  const std::string code = code_in_mail("paul.martin@gagny.fr", "/portail/invitation");
  // Someone else's account cannot use it.
  const std::string eve = applicant("eve@ailleurs.fr", "Ève");
  r = ppost("/portail/invitation", {{"code", code}}, eve);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.invitation_email\""));
  r = ppost("/portail/invitation", {{"code", code}}, paul);
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_TRUE(has(pget("/portail/espace", paul).body, "Commune de Gagny"));
  r = ppost("/portail/invitation", {{"code", code}}, paul);
  EXPECT_EQ(r.status, 422);  // once
  // Ève, who is no member, cannot invite to it, whatever the id.
  r = ppost("/portail/organisations/" + std::to_string(gagny) + "/invitations",
            {{"email", "eve2@ailleurs.fr"}}, eve);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.not_found\""));
  // Removals: Paul (a member) removes nobody; Marie (the owner) does not leave; Ève is none of
  // theirs; Marie removes Paul, who is told and no longer sees the organisation.
  const std::string retrait =
      "/portail/organisations/" + std::to_string(gagny) + "/membres/retrait";
  const std::string members = dump_database(db_);
  r = ppost(retrait, {{"email", "marie.dupont@gagny.fr"}}, paul);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.not_owner\"")) << r.body;
  r = ppost(retrait, {{"email", "marie.dupont@gagny.fr"}}, marie);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.owner_stays\""));
  r = ppost(retrait, {{"email", "eve@ailleurs.fr"}}, marie);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.not_member\""));
  r = ppost(retrait, {{"email", "paul.martin@gagny.fr"}}, eve);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.not_found\""));
  expect_unchanged(members);
  EXPECT_TRUE(has(pget("/portail/espace", marie).body, "Retirer paul.martin@gagny.fr"));
  EXPECT_TRUE(has(pget("/portail/espace", paul).body, "Quitter l'organisation"));
  r = ppost(retrait, {{"email", "paul.martin@gagny.fr"}}, marie);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(mails_to("paul.martin@gagny.fr")[0].subject,
            "Vous n'agissez plus pour « Commune de Gagny »");
  EXPECT_FALSE(has(pget("/portail/espace", paul).body, "Commune de Gagny"));
  EXPECT_EQ(
      query(db_, "SELECT count(*) FROM audit_log WHERE action = 'portal.member_removed'")[0][0],
      "1");
}

TEST_F(PortalTest, ClaimingAnOrganisationTheAuthorityKnowsWaitsForAnAgent) {
  // Casaco is in the demonstration (SIREN 801568296): its SIRET alone is enough, nothing is asked
  // again — but anyone can type a SIRET, so the claim gives no right until an agent confirms it.
  const std::string s = applicant("contact@casaco.fr");
  const std::string parties = count(db_, "parties");
  auto r = ppost("/portail/organisations", {{"siret", "80156829600017"}}, s);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(count(db_, "parties"), parties);
  auto space = pget("/portail/espace", s).body;
  EXPECT_TRUE(has(space, "SAS SCIC Casaco"));
  EXPECT_TRUE(has(space, "elle doit confirmer que vous agissez pour elle"));
  const std::string casaco = query(db_, "SELECT id FROM parties WHERE siren = '801568296'")[0][0];
  // Pending: no dossier for it, no invitation, and a second claimant may claim it too.
  r = ppost("/portail/dispositifs/00001176/demande",
            {{"party", casaco}, {"title", "X"}, {"start", "01/02/2023"}, {"end", "01/03/2023"}}, s);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.organisation\""));
  r = ppost("/portail/organisations/" + casaco + "/invitations", {{"email", "x@casaco.fr"}}, s);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.not_found\""));
  const std::string other = applicant("squatteur@ailleurs.fr", "Autre");
  EXPECT_EQ(ppost("/portail/organisations", {{"siret", "80156829600017"}}, other).status, 303);
  // The agent sees both claims on the party's page and confirms the right one.
  add_users({{"instructeur", "instructor"}, {"lecteur", "reader"}});
  const std::string agent = login("instructeur");
  auto page = get("/tiers/" + casaco, agent).body;
  EXPECT_TRUE(has(page, "contact@casaco.fr"));
  EXPECT_TRUE(has(page, "squatteur@ailleurs.fr"));
  EXPECT_TRUE(has(page, "à confirmer"));
  r = post("/tiers/" + casaco + "/demandeurs",
           {{"csrf", csrf_of(page)}, {"email", "personne@nulle.part"}}, agent);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.no_claim\""));
  // A reader may not confirm.
  const std::string reader = login("lecteur");
  r = post(
      "/tiers/" + casaco + "/demandeurs",
      {{"csrf", csrf_of(get("/tiers/" + casaco, reader).body)}, {"email", "contact@casaco.fr"}},
      reader);
  EXPECT_EQ(r.status, 403);
  r = post("/tiers/" + casaco + "/demandeurs",
           {{"csrf", csrf_of(page)}, {"email", "contact@casaco.fr"}}, agent);
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(mails_to("contact@casaco.fr")[0].subject, "Votre organisation est confirmée");
  // The other claim can no longer be confirmed: the party has its member, who invites.
  r = post("/tiers/" + casaco + "/demandeurs",
           {{"csrf", csrf_of(page)}, {"email", "squatteur@ailleurs.fr"}}, agent);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.has_members\""));
  EXPECT_NE(apply(s, std::stoll(casaco)), "");
  // The same from the command line.
  const auto listed = run_octroi({"party", "applicants", casaco, "--db", db_});
  EXPECT_EQ(listed.status, 0) << listed.err;
  EXPECT_TRUE(has(listed.out, "squatteur@ailleurs.fr\tAutre\tà confirmer"));
  EXPECT_TRUE(has(listed.out, "contact@casaco.fr\tMarie Dupont\towner"));
  const auto refused = run_octroi(
      {"party", "confirm-applicant", casaco, "--email", "squatteur@ailleurs.fr", "--db", db_});
  EXPECT_NE(refused.status, 0);
  EXPECT_TRUE(has(refused.out + refused.err, "a déjà un compte sur le portail"));
  // A SIRET that is none, refused by the parties' rule.
  EXPECT_EQ(ppost("/portail/organisations", {{"siret", "12345678901234"}}, s).status, 422);
}

TEST_F(PortalTest, SignUpsResetsAndInvitationsAreBounded) {
  // Five sign-ups from one address in a quarter of an hour, then a wait.
  for (int i = 1; i <= 5; ++i)
    EXPECT_EQ(ppost("/portail/inscription", {{"email", "p" + std::to_string(i) + "@gagny.fr"},
                                             {"display_name", "P"},
                                             {"password", kPassword}})
                  .status,
              200);
  auto r = ppost("/portail/inscription",
                 {{"email", "p6@gagny.fr"}, {"display_name", "P"}, {"password", kPassword}});
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(header(r, "Retry-After").empty());
  EXPECT_EQ(count(db_, "applicant_accounts"), "5");
  // Twenty invitations an hour per account.
  exec_sql(db_, "UPDATE applicant_accounts SET verified_at = '2023-01-20T09:00:00Z'");
  const std::string s = log_in("p1@gagny.fr", kPassword);
  const std::int64_t gagny = join(s, kGagny, "Commune de Gagny");
  for (int i = 1; i <= 20; ++i)
    EXPECT_EQ(ppost("/portail/organisations/" + std::to_string(gagny) + "/invitations",
                    {{"email", "invite" + std::to_string(i) + "@gagny.fr"}}, s)
                  .status,
              303);
  r = ppost("/portail/organisations/" + std::to_string(gagny) + "/invitations",
            {{"email", "invite21@gagny.fr"}}, s);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.too_many\""));
}

TEST_F(PortalTest, AgentsAndApplicantsNeverShareASession) {
  add_users({{"instructeur", "instructor"}});
  const std::string agent = login("instructeur");
  const std::string marie = applicant("marie.dupont@gagny.fr");
  // The agent's session opens no portal page…
  auto r = portal("GET", "/portail/espace", {}, "", agent);
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(header(r, "Location"), "/portail/connexion");
  r = portal("GET", "/portail/espace", {}, agent);  // even as the portal's cookie
  EXPECT_EQ(r.status, 303);
  // …and the applicant's no back-office page nor API route, under either cookie name.
  EXPECT_EQ(get("/dossiers", marie).status, 303);
  EXPECT_EQ(header(get("/dossiers", marie), "Location"), "/login");
  HttpRequest api;
  api.method = "GET";
  api.path = "/api/v1/applications";
  api.headers["cookie"] = "octroi_portail=" + marie + "; octroi_session=" + marie;
  api.remote_addr = "127.0.0.1";
  EXPECT_EQ(api_->handle(api).status, 401);
  // No agent account or token can carry the applicant's role.
  EXPECT_FALSE(octroi::parse_role("applicant").has_value());
  EXPECT_EQ(exec_sql(db_, "UPDATE users SET role = 'applicant' WHERE login = 'instructeur'"),
            SqlOutcome::Constraint);
}

}  // namespace
}  // namespace octroi_test
