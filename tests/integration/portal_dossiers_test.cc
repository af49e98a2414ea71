// The applicant portal's catalogue and dossiers (issue 19): the plan that computes 8 000 €, the
// submission and its receipt (once, whatever the clicks), the correction requested by the
// instructor and the resubmission, the decision e-mailed; and isolation: an applicant reaches no
// dossier but their organisations' portal dossiers, whatever the number.
#include "app/mail.h"
#include "app/use_cases.h"
#include "integration/portal_support.h"

namespace octroi_test {
namespace {

using octroi::MailRecord;

TEST_F(PortalTest, TheCatalogueListsThePublishedSchemesAndSearchesThem) {
  auto r = pget("/portail");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(has(r.body, "Chèque numérique en faveur des artisans"));
  EXPECT_TRUE(has(r.body, "plafonné à 8"));
  EXPECT_FALSE(has(r.body, "Lieux d'innovation"));  // not published on the portal
  EXPECT_TRUE(has(pget("/portail?q=NUMERIQUE").body, "Chèque numérique"));
  EXPECT_TRUE(has(pget("/portail?q=aucunmot").body, "Aucun dispositif ne correspond"));
  r = pget("/portail/dispositifs/00001176");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(has(r.body, "Relevé d&#39;identité bancaire"));
  EXPECT_TRUE(has(r.body, "Déposer une demande"));
  EXPECT_EQ(pget("/portail/dispositifs/00001033").status, 404);  // the unpublished one
  EXPECT_EQ(pget("/portail/dispositifs/99999999").status, 404);
}

TEST_F(PortalTest, ADraftComputesTheAwardAndItsSubmissionGivesOneReceipt) {
  const std::string s = applicant("marie.dupont@gagny.fr");
  const std::int64_t gagny = join(s, kGagny, "Commune de Gagny");
  const std::string number = apply(s, gagny);
  ASSERT_FALSE(number.empty());
  auto r = pget("/portail/dossiers/" + number, s);
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(has(r.body, "brouillon"));
  EXPECT_TRUE(has(r.body, "Aide calculée : 8\u202f000,00\u00a0€"));
  EXPECT_TRUE(has(r.body, "(plan équilibré)"));
  const auto view = show(number);
  EXPECT_EQ(view.party.id.value, gagny);
  EXPECT_EQ(view.application.state(), octroi::ApplicationState::Draft);
  // Without its pieces, the draft is not submitted.
  const std::string without_pieces = dump_database(db_);
  r = ppost("/portail/dossiers/" + number + "/depot", {}, s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "Joignez avant de déposer la demande : « Délibération")) << r.body;
  expect_unchanged(without_pieces);
  attach_pieces(s, number);
  // Submitted twice (a double click): one submission, one receipt, one e-mail.
  const std::string csrf = session_csrf(s);
  r = ppost("/portail/dossiers/" + number + "/depot", {{"csrf", csrf}}, s);
  EXPECT_EQ(r.status, 303) << r.body;
  r = ppost("/portail/dossiers/" + number + "/depot", {{"csrf", csrf}}, s);
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(show(number).application.state(), octroi::ApplicationState::Submitted);
  const auto receipts = query(db_,
                              "SELECT round, received_at, implicit_rejection_on FROM "
                              "application_receipts");
  ASSERT_EQ(receipts.size(), 1u);
  EXPECT_EQ(receipts[0][1], "2023-01-20T09:00:00Z");
  EXPECT_EQ(receipts[0][2], "2023-03-20");  // two months of silence: rejection (L231-4)
  int receipt_mails = 0;
  MailRecord receipt;
  for (const auto& m : mails_to("marie.dupont@gagny.fr"))
    if (m.subject == "Accusé de réception de votre demande " + number) {
      ++receipt_mails;
      receipt = m;
    }
  EXPECT_EQ(receipt_mails, 1);
  for (const char* mention :
       {"a reçu le 20 janvier 2023, 10 h 00", "Service de l'artisanat",
        "artisanat@iledefrance.fr — 01 53 85 53 85", "20 mars 2023", "réputée rejetée", "L231-4",
        "R421-1", "L114-5", "https://aides.example.fr/portail/dossiers/"})
    EXPECT_TRUE(has(receipt.body, mention)) << mention;
  r = pget("/portail/dossiers/" + number + "/recepisse", s);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(has(r.body, "sans réponse au 20 mars 2023, elle sera réputée rejetée"));
  EXPECT_TRUE(has(r.body, "R112-5"));
  // Submitted: the applicant no longer edits it.
  const std::string before = dump_database(db_);
  r = ppost("/portail/dossiers/" + number, {{"title", "Autre"}, {"start", "01/02/2023"}}, s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "data-code=\"application.not_editable\""));
  expect_unchanged(before);
}

TEST_F(PortalTest, BadInputOnTheDossierFormIsRefusedFieldByFieldAndKept) {
  const std::string s = applicant("marie.dupont@gagny.fr");
  const std::int64_t gagny = join(s, kGagny, "Commune de Gagny");
  const std::string before = dump_database(db_);
  auto r = ppost("/portail/dispositifs/00001176/demande",
                 {{"party", std::to_string(gagny)},
                  {"title", ""},
                  {"start", "31/02/2023"},
                  {"end", "demain"},
                  {"reference_year", "2023"},
                  {"expense-1-label", "Abonnements"},
                  {"expense-1", "douze"},
                  {"resource-1-label", "Région"},
                  {"resource-1", "100"},
                  {"resource-1-kind", "inconnue"}},
                 s);
  EXPECT_EQ(r.status, 422);
  for (const char* field : {"start", "end", "expense-1"})
    EXPECT_TRUE(has(tag_of(r.body, field), "aria-invalid=\"true\"")) << field;
  EXPECT_TRUE(has(r.body, "data-code=\"plan.resource_kind\""));
  EXPECT_TRUE(has(r.body, "value=\"douze\""));  // what was typed stays
  // Not one of the applicant's organisations.
  r = ppost("/portail/dispositifs/00001176/demande",
            {{"party", "3"}, {"title", "X"}, {"start", "01/02/2023"}, {"end", "01/03/2023"}}, s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.organisation\""));
  // A scheme that is not on the portal.
  r = ppost("/portail/dispositifs/00001033/demande", {{"party", std::to_string(gagny)}}, s);
  EXPECT_EQ(r.status, 404);
  // A control character, refused at the boundary.
  r = ppost("/portail/dispositifs/00001176/demande",
            {{"party", std::to_string(gagny)}, {"title", std::string("Projet\x07")}}, s);
  EXPECT_GE(r.status, 400);
  expect_unchanged(before);
}

TEST_F(PortalTest, TheInstructorAsksForCorrectionsAndTheResubmissionGetsASecondReceipt) {
  const std::string s = applicant("marie.dupont@gagny.fr");
  const std::string number = apply(s, join(s, kGagny, "Commune de Gagny"));
  attach_pieces(s, number);
  ASSERT_EQ(ppost("/portail/dossiers/" + number + "/depot", {}, s).status, 303);
  // The dossier is in the agents' queue "à traiter".
  octroi::ApplicationSearch queue;
  queue.queue = "a_traiter";
  const auto found = found_numbers(queue);
  EXPECT_NE(std::find(found.begin(), found.end(), number), found.end());
  // The instructor asks for the missing piece.
  auto asked = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    octroi::EventInput e;
    e.event = "declare_incomplete";
    e.reason = "Il manque la délibération du conseil municipal approuvant le projet.";
    return octroi::apply_application_event(tx, ctx, number, e);
  });
  ASSERT_TRUE(asked.ok()) << asked.refusal().describe();
  const MailRecord mail = mails_to("marie.dupont@gagny.fr")[0];
  EXPECT_EQ(mail.subject, "Votre dossier " + number + " est à compléter");
  EXPECT_TRUE(has(mail.body, "Il manque la délibération du conseil municipal"));
  EXPECT_TRUE(has(mail.body, "L114-5"));
  auto r = pget("/portail/dossiers/" + number, s);
  EXPECT_TRUE(has(r.body, "à compléter"));
  EXPECT_TRUE(has(r.body, "Il manque la délibération du conseil municipal"));
  // The applicant corrects (another amount asked) and resubmits.
  r = ppost("/portail/dossiers/" + number,
            {{"title", "Chèque numérique pour les commerces de Gagny"},
             {"start", "01/02/2023"},
             {"end", "31/12/2023"},
             {"reference_year", "2023"},
             {"expense-1-label", "Abonnements numériques"},
             {"expense-1", "12 000"},
             {"expense-1-eligible", "1"},
             {"resource-1-label", "Région"},
             {"resource-1", "6000"},
             {"resource-1-kind", "authority"},
             {"resource-2-label", "Commune"},
             {"resource-2", "6000"},
             {"resource-2-kind", "self_funding"}},
            s);
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(show(number).plan.total_expenses, octroi::Money::from_cents(1200000));
  attach_pieces(s, number);
  ASSERT_EQ(ppost("/portail/dossiers/" + number + "/depot", {}, s).status, 303);
  EXPECT_EQ(show(number).application.state(), octroi::ApplicationState::Submitted);
  EXPECT_EQ(query(db_, "SELECT max(round) FROM application_receipts")[0][0], "2");
  // The agents' page says where it came from, with both receipts.
  add_users({{"instructeur", "instructor"}});
  const auto page = get("/dossiers/" + number, login("instructeur")).body;
  EXPECT_TRUE(has(page, "Demande faite sur le portail par marie.dupont@gagny.fr"));
  EXPECT_TRUE(has(page, "dépôt 2 reçu le 20 janvier 2023"));
  // Receipts are never changed.
  EXPECT_EQ(exec_sql(db_, "UPDATE application_receipts SET round = 9"), SqlOutcome::Constraint);
  EXPECT_EQ(exec_sql(db_, "DELETE FROM application_receipts"), SqlOutcome::Constraint);
}

TEST_F(PortalTest, AnApplicantReachesNoOtherDossierWhateverTheNumber) {
  const std::string marie = applicant("marie.dupont@gagny.fr");
  const std::string mine = apply(marie, join(marie, kGagny, "Commune de Gagny"));
  const std::string paul = applicant("paul@livry.fr", "Paul");
  const std::string his = apply(paul, join(paul, kLivry, "Commune de Livry-Gargan"));
  ASSERT_FALSE(mine.empty());
  ASSERT_FALSE(his.empty());
  // A file of Marie's dossier: Paul reaches it by no path either.
  ASSERT_EQ(upload("/portail/dossiers/" + mine + "/fichiers", "deliberation.pdf",
                   pdf("Délibération de Gagny"), {}, marie)
                .status,
            303);
  const std::string file = query(db_, "SELECT max(id) FROM application_files")[0][0];
  const std::string before = dump_database(db_);
  // Paul's dossier, an agent's dossier of the demonstration, one that does not exist, one that is
  // no number: all alike, on every portal route that names a dossier.
  for (const std::string& number :
       {mine, std::string("EX070158"), std::string("EX999999"), std::string("..%2F..%2Fadmin")}) {
    for (const auto& route : api_->routes()) {
      if (route.surface() != octroi::http::Surface::Portal) continue;
      if (route.pattern.find("{number}") == std::string::npos) continue;
      if (route.pattern.rfind("/portail/dispositifs", 0) == 0) continue;  // a scheme's number
      std::string path = route.pattern;
      path.replace(path.find("{number}"), 8, number);
      if (path.find("{id}") != std::string::npos) path.replace(path.find("{id}"), 4, file);
      const auto r =
          route.method == "GET" ? pget(path, paul) : ppost(path, {{"title", "Volé"}}, paul);
      SCOPED_TRACE(route.method + " " + path);
      EXPECT_EQ(r.status, 404);
      EXPECT_FALSE(has(r.body, "Commune de Gagny"));
      EXPECT_FALSE(has(r.body, "commerces de Gagny"));
    }
  }
  expect_unchanged(before);
  // Paul's space lists his dossier only.
  const auto space = pget("/portail/espace", paul).body;
  EXPECT_TRUE(has(space, "/portail/dossiers/" + his));
  EXPECT_FALSE(has(space, "/portail/dossiers/" + mine));
  EXPECT_FALSE(has(space, "/portail/dossiers/EX070158"));
}

TEST_F(PortalTest, TheAwardVotedIsEmailedToTheApplicant) {
  const std::string s = applicant("marie.dupont@gagny.fr");
  const std::string number = apply(s, join(s, kGagny, "Commune de Gagny"));
  attach_pieces(s, number);
  ASSERT_EQ(ppost("/portail/dossiers/" + number + "/depot", {}, s).status, 303);
  auto refused = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    octroi::EventInput e;
    e.event = "start_instruction";
    auto started = octroi::apply_application_event(tx, ctx, number, e);
    if (!started.ok()) return started;
    e.event = "refuse";
    e.reason = "Le projet ne relève pas du dispositif.";
    return octroi::apply_application_event(tx, ctx, number, e);
  });
  ASSERT_TRUE(refused.ok()) << refused.refusal().describe();
  const auto mails = mails_to("marie.dupont@gagny.fr");
  EXPECT_EQ(mails[0].subject, "Décision sur votre dossier " + number + " : aide refusée");
  EXPECT_TRUE(has(mails[0].body, "tribunal administratif"));
  EXPECT_EQ(mails[1].subject, "Votre dossier " + number + " est en instruction");
  EXPECT_TRUE(has(pget("/portail/dossiers/" + number, s).body, "refusé"));
  // Refused: a late click on « Déposer » submits nothing and says so.
  const auto late = ppost("/portail/dossiers/" + number + "/depot", {}, s);
  EXPECT_EQ(late.status, 422);
  EXPECT_TRUE(has(late.body, "ne peut plus être déposé"));
}

// The outbox's delivery: a failure is retried later, a success never sent again.
class FlakySender : public octroi::MailSender {
 public:
  std::optional<std::string> send(const MailRecord& m) override {
    sent.push_back(m.recipient);
    mails.push_back(m);
    if (fail) return std::string("450 boîte pleine");
    return std::nullopt;
  }
  bool fail = true;
  std::vector<std::string> sent;
  std::vector<MailRecord> mails;
};

TEST_F(PortalTest, TheOutboxRetriesAFailedEmailLaterAndSendsEachOnce) {
  applicant("marie.dupont@gagny.fr");
  FlakySender sender;
  const std::string pending = query(db_,
                                    "SELECT count(*) FROM outgoing_mail WHERE sent_at IS "
                                    "NULL")[0][0];
  ASSERT_NE(pending, "0");
  auto run = octroi::deliver_due_mail(*store_, clock_, sender);
  EXPECT_EQ(run.failed, std::stoi(pending));
  EXPECT_EQ(query(db_,
                  "SELECT min(attempts), min(last_error), min(next_attempt_at) FROM "
                  "outgoing_mail")[0],
            (std::vector<std::string>{"1", "450 boîte pleine", "2023-01-20T09:01:00Z"}));
  // Not due yet: nothing is tried.
  run = octroi::deliver_due_mail(*store_, clock_, sender);
  EXPECT_EQ(run.sent + run.failed, 0);
  exec_sql(db_, "UPDATE outgoing_mail SET next_attempt_at = '2023-01-20T08:00:00Z'");
  sender.fail = false;
  run = octroi::deliver_due_mail(*store_, clock_, sender);
  EXPECT_EQ(run.sent, std::stoi(pending));
  run = octroi::deliver_due_mail(*store_, clock_, sender);
  EXPECT_EQ(run.sent, 0);
  EXPECT_EQ(query(db_, "SELECT count(*) FROM outgoing_mail WHERE sent_at IS NULL")[0][0], "0");
  EXPECT_EQ(octroi::mail_retry_seconds(1), 60);
  EXPECT_EQ(octroi::mail_retry_seconds(3), 240);
  EXPECT_EQ(octroi::mail_retry_seconds(20), 3600);
}

TEST_F(PortalTest, TheSmallerRefusalsOfThePortalNameTheirField) {
  const std::string s = applicant("marie.dupont@gagny.fr");
  const std::int64_t gagny = join(s, kGagny, "Commune de Gagny");
  // Joining twice, inviting oneself, joining without an identifier.
  auto r = ppost("/portail/organisations", {{"siret", kGagny}}, s);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.already_member\""));
  r = ppost("/portail/organisations/" + std::to_string(gagny) + "/invitations",
            {{"email", "Marie.Dupont@gagny.fr"}}, s);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.invite_self\""));
  r = ppost("/portail/organisations", {{"legal_name", "Sans numéro"}}, s);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.identifier\""));
  // No receipt before the submission.
  const std::string number = apply(s, gagny);
  r = pget("/portail/dossiers/" + number + "/recepisse", s);
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.no_receipt\""));
  // A scheme whose window is over takes no new dossier.
  exec_sql(db_, "UPDATE aid_schemes SET closes_on = '2022-12-31' WHERE number = '00001176'");
  r = ppost("/portail/dispositifs/00001176/demande", {{"party", std::to_string(gagny)}}, s);
  EXPECT_TRUE(has(r.body, "data-code=\"portal.scheme_closed\""));
  EXPECT_TRUE(has(pget("/portail").body, "Fermé aujourd'hui"));
  // The agents' settings of a scheme on the portal.
  auto set = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    octroi::SchemePortalInput in;
    in.documents = "RIB\n" + std::string(501, 'x');
    in.file_types = "application/pdf\npdf sans barre";
    in.max_file_bytes = "500";
    return octroi::set_scheme_portal(tx, ctx, "00001176", in);
  });
  ASSERT_FALSE(set.ok());
  ASSERT_EQ(set.refusal().problems.size(), 3u);
  EXPECT_EQ(set.refusal().problems[0].code, "portal.documents");
  EXPECT_EQ(set.refusal().problems[1].code, "portal.max_file_size");
  EXPECT_EQ(set.refusal().problems[2].code, "portal.file_type");
  // A portal whose authority is not configured.
  const auto none = octroi::run_read(
      *store_, [&](octroi::Transaction& tx) { return octroi::portal_authority(tx, "nulle-part"); });
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.refusal().first().code, "portal.authority");
}

TEST_F(PortalTest, TheApplicantAndTheInstructorWriteToEachOtherAboutTheDossier) {
  const std::string s = applicant("marie.dupont@gagny.fr");
  const std::string number = apply(s, join(s, kGagny, "Commune de Gagny"));
  auto r = ppost("/portail/dossiers/" + number + "/messages",
                 {{"text", "Faut-il joindre les devis de chaque commerce ?"}}, s);
  EXPECT_EQ(r.status, 303) << r.body;
  r = ppost("/portail/dossiers/" + number + "/messages", {{"text", "   "}}, s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "data-code=\"text.required\""));
  add_users({{"instructeur", "instructor"}});
  const std::string agent = login("instructeur");
  auto page = get("/dossiers/" + number, agent).body;
  EXPECT_TRUE(has(page, "Faut-il joindre les devis de chaque commerce ?"));
  EXPECT_TRUE(has(page, "marie.dupont@gagny.fr</strong> (demandeur)"));
  const std::string csrf = csrf_of(page);
  r = post("/dossiers/" + number + "/messages",
           {{"csrf", csrf}, {"text", "Un devis global suffit."}}, agent);
  EXPECT_EQ(r.status, 303) << r.body;
  const MailRecord mail = mails_to("marie.dupont@gagny.fr")[0];
  EXPECT_EQ(mail.subject, "Nouveau message sur votre dossier " + number);
  EXPECT_TRUE(has(mail.body, "Un devis global suffit."));
  EXPECT_TRUE(has(mail.body, "https://aides.example.fr/portail/dossiers/" + number));
  page = pget("/portail/dossiers/" + number, s).body;
  EXPECT_TRUE(has(page, "Service instructeur"));
  EXPECT_TRUE(has(page, "Un devis global suffit."));
  // An agent-made dossier has nobody to write to.
  r = post("/dossiers/EX070158/messages", {{"csrf", csrf}, {"text", "Bonjour"}}, agent);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "data-code=\"message.not_portal\""));
  // Messages are never changed.
  EXPECT_EQ(exec_sql(db_, "UPDATE application_messages SET text = 'autre'"),
            SqlOutcome::Constraint);
}

TEST_F(PortalTest, TheDigestGathersTheNewsOfTheDossiersInOneEmailADay) {
  const std::string s = applicant("marie.dupont@gagny.fr");
  const std::string number = apply(s, join(s, kGagny, "Commune de Gagny"));
  attach_pieces(s, number);
  const std::string before = dump_database(db_);
  auto r = ppost("/portail/compte/courriels", {{"courriels", "parfois"}}, s);
  EXPECT_EQ(r.status, 422);
  expect_unchanged(before);
  r = ppost("/portail/compte/courriels", {{"courriels", "resume"}}, s);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_TRUE(has(pget("/portail/espace", s).body, "value=\"resume\" checked"));
  // The receipt leaves at once; the start of the instruction and the agent's message wait for
  // the digest, a day after the first of them.
  ASSERT_EQ(ppost("/portail/dossiers/" + number + "/depot", {}, s).status, 303);
  auto moved = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    octroi::EventInput e;
    e.event = "start_instruction";
    return octroi::apply_application_event(tx, ctx, number, e);
  });
  ASSERT_TRUE(moved.ok()) << moved.refusal().describe();
  auto posted = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::post_agent_message(tx, ctx, number, "Le devis est-il signé ?");
  });
  ASSERT_TRUE(posted.ok()) << posted.refusal().describe();
  EXPECT_EQ(query(db_,
                  "SELECT count(*), min(next_attempt_at), max(next_attempt_at) FROM "
                  "outgoing_mail WHERE digest = 1")[0],
            (std::vector<std::string>{"2", "2023-01-21T09:00:00Z", "2023-01-21T09:00:00Z"}));
  FlakySender sender;
  sender.fail = false;
  octroi::deliver_due_mail(*store_, clock_, sender);
  for (const auto& m : sender.mails)
    EXPECT_EQ(m.subject.find("nouvelles de vos dossiers"), std::string::npos) << m.subject;
  // A day later: one e-mail gathers both, and both are sent.
  exec_sql(db_,
           "UPDATE outgoing_mail SET next_attempt_at = '2023-01-20T08:00:00Z' WHERE digest = 1");
  sender.mails.clear();
  const auto run = octroi::deliver_due_mail(*store_, clock_, sender);
  EXPECT_EQ(run.sent, 1);
  ASSERT_EQ(sender.mails.size(), 1u);
  EXPECT_EQ(sender.mails[0].recipient, "marie.dupont@gagny.fr");
  EXPECT_EQ(sender.mails[0].subject, "Portail des aides : 2 nouvelles de vos dossiers");
  EXPECT_TRUE(has(sender.mails[0].body, "— Votre dossier " + number + " est en instruction"));
  EXPECT_TRUE(has(sender.mails[0].body, "— Nouveau message sur votre dossier " + number));
  EXPECT_TRUE(has(sender.mails[0].body, "Le devis est-il signé ?"));
  EXPECT_EQ(query(db_, "SELECT count(*) FROM outgoing_mail WHERE sent_at IS NULL")[0][0], "0");
}

}  // namespace
}  // namespace octroi_test
