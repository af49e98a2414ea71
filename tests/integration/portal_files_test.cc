// The files of portal dossiers (issue 19): the pieces a scheme requires before a submission, the
// refusals (empty, too large, a type read from the bytes that the scheme does not take, a piece
// it does not ask for, a virus, a scan that could not be made), each leaving the database as it
// was; content-addressed storage; withdrawal; the file of a message; the agents' view and
// download; another organisation's file reached by no path.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "app/files.h"
#include "common/pdf_text.h"
#include "integration/portal_support.h"

using octroi::ScanVerdict;

namespace octroi_test {
namespace {

// The scanning seam: says "infected" of bytes holding the marker, fails when told to.
class FakeScanner final : public octroi::FileScanner {
 public:
  ScanVerdict scan(std::string_view bytes) override {
    ++scans;
    if (fail) return {ScanVerdict::Kind::Failed, "clamd unreachable"};
    if (bytes.find("VIRUS-MARKER") != std::string_view::npos)
      return {ScanVerdict::Kind::Infected, "Test.Marker"};
    return {ScanVerdict::Kind::Clean, ""};
  }
  std::string name() const override { return "fake"; }
  int scans = 0;
  bool fail = false;
};

class PortalFiles : public PortalTest {
 protected:
  void SetUp() override {
    PortalTest::SetUp();
    if (HasFatalFailure()) return;
    octroi::http::ApiOptions o;
    o.portal.base_url = "https://aides.example.fr";
    o.scanner = &scanner_;
    api_ = std::make_unique<octroi::http::Api>(*store_, clock_, passwords_, tokens_, o);
  }
  std::string attach_to(const std::string& number) {
    return "/portail/dossiers/" + number + "/fichiers";
  }
  FakeScanner scanner_;
};

constexpr const char* kRib = "Relevé d'identité bancaire";

TEST_F(PortalFiles, EveryRequiredPieceIsAttachedBeforeTheSubmission) {
  const std::string s = applicant("marie.dupont@gagny.fr");
  const std::string number = apply(s, join(s, kGagny, "Commune de Gagny"));
  auto page = pget("/portail/dossiers/" + number, s).body;
  EXPECT_TRUE(has(page, "Relevé d&#39;identité bancaire : <strong>à joindre</strong>")) << page;
  EXPECT_TRUE(has(page, "Fichier (PDF, JPEG, PNG ; 10\u00a0Mio au plus)"))
      << page.substr(page.find("Fichier ("), 200);
  attach_pieces(s, number);
  EXPECT_EQ(scanner_.scans, 3);
  page = pget("/portail/dossiers/" + number, s).body;
  EXPECT_TRUE(has(page, "Relevé d&#39;identité bancaire : jointe"));
  EXPECT_EQ(query(db_,
                  "SELECT count(*), sum(CASE WHEN scan = 'clean' THEN 1 ELSE 0 END), min(scanner), "
                  "min(mime) FROM "
                  "application_files")[0],
            (std::vector<std::string>{"3", "3", "fake", "application/pdf"}));
  // Withdrawn, the piece is missing again, and the submission says which.
  const std::string rib = query(db_, "SELECT id FROM application_files WHERE piece = '" +
                                         std::string("Relevé d''identité bancaire") + "'")[0][0];
  auto r = ppost(attach_to(number) + "/" + rib + "/retrait", {}, s);
  ASSERT_EQ(r.status, 303) << r.body;
  r = ppost("/portail/dossiers/" + number + "/depot", {}, s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(
      has(r.body, "Joignez avant de déposer la demande : « Relevé d&#39;identité bancaire »"))
      << r.body;
  ASSERT_EQ(upload(attach_to(number), "RIB Gagny.pdf", pdf("RIB"), {{"piece", kRib}}, s).status,
            303);
  ASSERT_EQ(ppost("/portail/dossiers/" + number + "/depot", {}, s).status, 303);
  // Submitted, the pieces are the service's: none is added or withdrawn any more, but a file may
  // come with a message.
  const std::string before = dump_database(db_);
  r = upload(attach_to(number), "autre.pdf", pdf("autre"), {}, s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "ne peuvent plus être modifiées")) << r.body;
  r = ppost(attach_to(number) + "/" + rib + "/retrait", {}, s);
  EXPECT_EQ(r.status, 422);
  expect_unchanged(before);
  r = upload("/portail/dossiers/" + number + "/messages", "précision.pdf", pdf("précision"),
             {{"text", "Voici le devis signé."}}, s);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(query(db_,
                  "SELECT count(*) FROM application_files f JOIN application_messages m ON "
                  "m.id = f.message_id")[0][0],
            "1");
  // The agents see the files on the dossier page, and download them as they were given.
  add_users({{"instructeur", "instructor"}});
  const std::string admin = login("instructeur");
  page = get("/dossiers/" + number, admin).body;
  EXPECT_TRUE(has(page, ">RIB Gagny.pdf</a>")) << page;
  EXPECT_TRUE(has(page, "analysé par fake : sain"));
  EXPECT_TRUE(has(page, "retiré par le demandeur le"));
  EXPECT_TRUE(has(page, "Pièce jointe : <a href=\"/dossiers/" + number + "/fichiers/"));
  const std::string last = query(db_, "SELECT max(id) FROM application_files")[0][0];
  r = get("/dossiers/" + number + "/fichiers/" + last, admin);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, pdf("précision"));
  EXPECT_EQ(r.content_type, "application/pdf");
  EXPECT_EQ(header(r, "Content-Disposition"),
            "attachment; filename=\"pr_cision.pdf\"; filename*=UTF-8''pr%C3%A9cision.pdf");
  EXPECT_EQ(get("/dossiers/EX070158/fichiers/" + last, admin).status, 404);
  // Files are never changed nor deleted, and withdrawn once.
  EXPECT_EQ(exec_sql(db_, "UPDATE application_files SET name = 'x.pdf'"), SqlOutcome::Constraint);
  EXPECT_EQ(exec_sql(db_,
                     "UPDATE application_files SET removed_at = '2030-01-01T00:00:00Z' "
                     "WHERE id = " +
                         rib),
            SqlOutcome::Constraint);
  EXPECT_EQ(exec_sql(db_, "DELETE FROM application_files"), SqlOutcome::Constraint);
  EXPECT_EQ(exec_sql(db_, "DELETE FROM stored_files"), SqlOutcome::Constraint);
}

TEST_F(PortalFiles, EachRefusalSaysWhyAndChangesNothing) {
  const std::string s = applicant("marie.dupont@gagny.fr");
  const std::string number = apply(s, join(s, kGagny, "Commune de Gagny"));
  const std::string before = dump_database(db_);
  struct Case {
    std::string name, bytes, piece, says;
  };
  const std::vector<Case> cases = {
      {"vide.pdf", "", "", "est vide"},
      {"gros.pdf", pdf(std::string(10 * 1024 * 1024, 'x')), "",
       "ce dispositif accepte au plus 10\u202f485\u202f760 octets"},
      // Named .pdf, but the bytes are text: the type is read from the bytes.
      {"devis.pdf", "Ceci n'est pas un PDF.\n", "", "est de type text/plain"},
      {"archive.pdf", std::string("PK\x03\x04", 4) + std::string(200, '\0'), "",
       "ce dispositif accepte : PDF (application/pdf), JPEG (image/jpeg), PNG (image/png)"},
      {"piece.pdf", pdf("x"), "Une pièce inventée", "n&#39;est pas une des pièces"},
      {"virus.pdf", pdf("VIRUS-MARKER"), "", "l&#39;antivirus y a trouvé « Test.Marker »"},
      {"", pdf("sans nom"), "", "Choisissez un fichier"},
      {"bad\x01name.pdf", pdf("x"), "", "U+0001"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto r = upload(attach_to(number), c.name, c.bytes, {{"piece", c.piece}}, s);
    EXPECT_EQ(r.status, 422) << "the page shows the refusal";
    EXPECT_TRUE(has(r.body, c.says)) << r.body;
  }
  scanner_.fail = true;
  auto r = upload(attach_to(number), "devis.pdf", pdf("devis"), {}, s);
  EXPECT_TRUE(has(r.body, "n&#39;a pas pu être vérifié par l&#39;antivirus")) << r.body;
  expect_unchanged(before);
}

TEST_F(PortalFiles, ADossierHoldsAtMostItsQuotaOfFiles) {
  const std::string s = applicant("marie.dupont@gagny.fr");
  const std::string number = apply(s, join(s, kGagny, "Commune de Gagny"));
  for (std::size_t i = 0; i < octroi::kMaxFilesPerDossier; ++i)
    ASSERT_EQ(upload(attach_to(number), "f.pdf", pdf(std::to_string(i)), {}, s).status, 303) << i;
  const std::string before = dump_database(db_);
  auto r = upload(attach_to(number), "f.pdf", pdf("un de trop"), {}, s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "data-code=\"file.quota\"")) << r.body;
  r = upload("/portail/dossiers/" + number + "/messages", "f.pdf", pdf("encore"),
             {{"text", "Un fichier de plus"}}, s);
  EXPECT_TRUE(has(r.body, "data-code=\"file.quota\"")) << r.body;
  expect_unchanged(before);
}

TEST_F(PortalFiles, TheSameBytesAreStoredOnce) {
  const std::string s = applicant("marie.dupont@gagny.fr");
  const std::int64_t gagny = join(s, kGagny, "Commune de Gagny");
  const std::string one = apply(s, gagny);
  const std::string two = apply(s, gagny, "Second projet");
  for (const auto& n : {one, two})
    ASSERT_EQ(upload(attach_to(n), "deliberation.pdf", pdf("Délibération"), {}, s).status, 303);
  EXPECT_EQ(query(db_, "SELECT count(*) FROM stored_files")[0][0], "1");
  EXPECT_EQ(query(db_, "SELECT count(*), count(DISTINCT sha256) FROM application_files")[0],
            (std::vector<std::string>{"2", "1"}));
  // A PNG is taken where the scheme takes PNG, whatever its name.
  const std::string png = std::string(
      "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89", 33);
  ASSERT_EQ(upload(attach_to(one), "photo.pdf", png, {}, s).status, 303);
  EXPECT_EQ(query(db_, "SELECT mime FROM application_files ORDER BY id DESC LIMIT 1")[0][0],
            "image/png");
}

TEST_F(PortalFiles, TheReceiptIsAPdfMadeOnceAndKeptWithTheDossier) {
  const std::string s = applicant("marie.dupont@gagny.fr");
  const std::string number = apply(s, join(s, kGagny, "Commune de Gagny"));
  EXPECT_EQ(pget("/portail/dossiers/" + number + "/recepisse.pdf", s).status, 404);
  attach_pieces(s, number);
  ASSERT_EQ(ppost("/portail/dossiers/" + number + "/depot", {}, s).status, 303);
  auto r = pget("/portail/dossiers/" + number + "/recepisse.pdf", s);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/pdf");
  ASSERT_EQ(r.body.rfind("%PDF", 0), 0u);
  const auto path = std::filesystem::temp_directory_path() / ("recepisse-" + number + ".pdf");
  std::ofstream(path, std::ios::binary) << r.body;
  const std::string text = pdf_text(path.string());
  std::filesystem::remove(path);
  for (const char* said : {"ACCUSÉ DE RÉCEPTION D’UNE DEMANDE DE SUBVENTION", "dépôt n° 1",
                           "a reçu le 20 janvier 2023", "Commune de Gagny",
                           "Dupont (marie.dupont@gagny.fr)", "artisanat@iledefrance.fr",
                           "sans réponse de notre part au 20 mars", "réputée rejetée", "R421-1"})
    EXPECT_NE(text.find(said), std::string::npos) << said << "\n" << text;
  // Kept: the same bytes again, one file, which the agents see and the applicant cannot withdraw.
  EXPECT_EQ(pget("/portail/dossiers/" + number + "/recepisse.pdf", s).body, r.body);
  EXPECT_EQ(query(db_,
                  "SELECT count(*), min(author), min(piece) FROM application_files WHERE "
                  "author_kind = 'agent'")[0],
            (std::vector<std::string>{"1", "octroi", "Accusé de réception — dépôt n° 1"}));
  auto asked = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    octroi::EventInput e;
    e.event = "declare_incomplete";
    e.reason = "Le RIB est illisible.";
    return octroi::apply_application_event(tx, ctx, number, e);
  });
  ASSERT_TRUE(asked.ok()) << asked.refusal().describe();
  const std::string receipt =
      query(db_, "SELECT id FROM application_files WHERE author_kind = 'agent'")[0][0];
  r = ppost("/portail/dossiers/" + number + "/fichiers/" + receipt + "/retrait", {}, s);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "data-code=\"file.not_yours\"")) << r.body;
  // A file that came with a message stays with it, even while the dossier is being corrected.
  ASSERT_EQ(upload("/portail/dossiers/" + number + "/messages", "rib.pdf", pdf("RIB lisible"),
                   {{"text", "Voici un RIB lisible."}}, s)
                .status,
            303);
  const std::string with_message = query(db_, "SELECT max(id) FROM application_files")[0][0];
  r = ppost("/portail/dossiers/" + number + "/fichiers/" + with_message + "/retrait", {}, s);
  EXPECT_TRUE(has(r.body, "data-code=\"file.message\"")) << r.body;
}

TEST_F(PortalFiles, AnInstructorAnswersWithAFileCheckedAsAnApplicants) {
  const std::string s = applicant("marie.dupont@gagny.fr");
  const std::string number = apply(s, join(s, kGagny, "Commune de Gagny"));
  attach_pieces(s, number);
  ASSERT_EQ(ppost("/portail/dossiers/" + number + "/depot", {}, s).status, 303);
  add_users({{"instructeur", "instructor"}});
  const std::string agent = login("instructeur");
  const std::string csrf = csrf_of(get("/dossiers/" + number, agent).body);
  auto send = [&](const std::string& name, const std::string& bytes) {
    HttpRequest r;
    r.method = "POST";
    r.path = "/dossiers/" + number + "/messages";
    r.query = {
        {"csrf", csrf}, {"text", "Voici le modèle de RIB attendu."}, {"file.filename", name}};
    r.files["file"] = bytes;
    r.headers["cookie"] = "octroi_session=" + agent;
    r.remote_addr = "127.0.0.1";
    return api_->handle(r);
  };
  const std::string before = dump_database(db_);
  auto r = send("modele.pdf", "Un texte, pas un PDF.");
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "data-code=\"file.type\"")) << r.body;
  expect_unchanged(before);
  r = send("modèle RIB.pdf", pdf("modèle"));
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(query(db_,
                  "SELECT f.author_kind, f.author, f.scan FROM application_files f JOIN "
                  "application_messages m ON m.id = f.message_id")[0],
            (std::vector<std::string>{"agent", "web:instructeur", "clean"}));
  const auto page = pget("/portail/dossiers/" + number, s).body;
  EXPECT_TRUE(has(page, ">modèle RIB.pdf</a>")) << page;
  const std::string id = query(db_, "SELECT max(id) FROM application_files")[0][0];
  EXPECT_EQ(pget("/portail/dossiers/" + number + "/fichiers/" + id, s).body, pdf("modèle"));
  EXPECT_EQ(mails_to("marie.dupont@gagny.fr")[0].subject,
            "Nouveau message sur votre dossier " + number);
}

}  // namespace
}  // namespace octroi_test
