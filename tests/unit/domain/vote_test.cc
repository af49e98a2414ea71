// The vote of a committee report (src/domain/committee/report.h), on CP 2023-040 built in
// memory from the reference (tests/fixtures/cp-2023-040.md): the four articles, the three
// dossiers of the chèque numérique volet 2, the transfer of EX065392, and illustrative balances.
// Every expected figure is a literal of the reference.
#include "domain/committee/report.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "unit/domain/cp_2023_040.h"
#include "unit/domain/ledger_printers.h"

namespace octroi {
namespace {

using cp2023040::cents;
using cp2023040::euros;

#define NNBSP "\u202F"
#define EUR "\u00A0€"

const Date kSessionDate(2023, 1, 25);

// Budget lines.
const BudgetLineId kLineChoose{1};      // 2023/16200102 Choose Paris Region
const BudgetLineId kLineArtisanat{2};   // 2023/16300302 Soutien à l'artisanat et aux TPE
const BudgetLineId kLineJema{3};        // 2023/16100107 Accompagnement des entrepreneurs…
const BudgetLineId kLineTiersLieux{4};  // 2022/15600105 Tiers lieux (investment, M71)

// Schemes.
const SchemeId kVolet2{1};  // 00001176
const SchemeId kLieux{2};   // 00001033

// Parties.
const PartyId kChoose{1};
const PartyId kClayes{2};
const PartyId kMontfermeil{3};
const PartyId kPerreux{4};
const PartyId kCasaco{5};
const PartyId kSci{6};

// Applications.
const ApplicationId kEx070162{1};
const ApplicationId kEx070158{2};
const ApplicationId kEx069984{3};
const ApplicationId kEx065392{4};

Imputation imputation(const char* text, Nomenclature n = Nomenclature::M57) {
  auto r = Imputation::parse(text, "imputation", n);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? r.value() : Imputation{};
}

BudgetLine line(BudgetLineId id, int year, const char* imp, Nomenclature n, const char* programme,
                const char* action, const char* action_label) {
  BudgetLine l;
  l.id = id;
  l.authority = AuthorityId{1};
  l.fiscal_year = year;
  l.imputation = imputation(imp, n);
  l.programme_label = programme;
  l.action = action;
  l.action_label = action_label;
  return l;
}

LineBalances bal(Money ae, Money cp, Money allocated, Money committed, Money paid) {
  return LineBalances{ae, cp, allocated, committed, paid, Money()};
}

AidScheme volet2() {
  AidScheme s;
  s.id = kVolet2;
  s.authority = AuthorityId{1};
  s.number = "00001176";
  s.name = "Chèque numérique pour un commerce connecté – volet 2";
  s.framework_deliberation = "CR 2019-043";
  s.section = BudgetSection::Operating;
  s.budget_imputation = "936-632-657341-163003-400";
  s.budget_action = "16300302 - Soutien à l'artisanat et aux TPE";
  s.opens_on = Date(2022, 1, 1);
  s.closes_on = Date(2022, 12, 31);
  s.rule = cp2023040::reading1();
  return s;
}

AidScheme lieux_innovation() {
  AidScheme s;
  s.id = kLieux;
  s.authority = AuthorityId{1};
  s.number = "00001033";
  s.name = "Lieux d'innovation – projets d'investissement";
  s.framework_deliberation = "CR 2017-101";
  s.section = BudgetSection::Investment;
  s.budget_imputation = "905-56-20421-156001-400";
  s.budget_action = "15600105 - Tiers lieux";
  s.rule = cp2023040::casaco();
  return s;
}

Party party(PartyId id, const char* name, const char* status) {
  Party p;
  p.id = id;
  p.authority = AuthorityId{1};
  p.legal_name = name;
  p.legal_status = status;
  return p;
}

Application proposed(ApplicationId id, const char* number, PartyId who, const char* place,
                     Date start, Date end, FinancingPlan plan, Money award) {
  Application a;
  a.id = id;
  a.authority = AuthorityId{1};
  a.number = number;
  a.scheme = kVolet2;
  a.party = who;
  a.project.title = std::string("Chèque numérique pour un commerce connecté – ") + place;
  a.project.place = place;
  a.project.start = start;
  a.project.end = end;
  a.early_start.requested = true;
  a.early_start.date = start;
  a.early_start.justification = "Démarrage du projet avant le vote de la commission permanente.";
  a.reference_year = 2023;
  a.basis = AmountBasis::InclTax;
  a.plan = std::move(plan);
  a.restore_state(ApplicationState::Proposed);
  a.submitted_on = Date(2022, 11, 15);
  a.proposed_award = award;
  return a;
}

Application casaco_dossier() {
  Application a;
  a.id = kEx065392;
  a.authority = AuthorityId{1};
  a.number = "EX065392";
  a.scheme = kLieux;
  a.party = kCasaco;
  a.project.title = "Tiers-lieu Casaco";
  a.project.place = "Malakoff";
  a.project.start = Date(2022, 9, 1);
  a.project.end = Date(2023, 12, 29);
  a.reference_year = 2022;
  a.basis = AmountBasis::ExclTax;
  a.plan = cp2023040::plan_ex065392();
  a.restore_state(ApplicationState::Awarded);
  a.submitted_on = Date(2022, 3, 1);
  a.proposed_award = euros(78'400);
  a.award = Award{euros(78'400), Date(2022, 7, 7), "CP 2022-285"};
  return a;
}

VoteInputs inputs() {
  VoteInputs in;
  in.lines[kLineChoose] =
      line(kLineChoose, 2023, "936-62--162001", Nomenclature::M57,
           "HP 62-001 « Choose Paris Region »", "16200102", "Choose Paris Region");
  in.lines[kLineArtisanat] =
      line(kLineArtisanat, 2023, "936-632-657341-163003-400", Nomenclature::M57,
           "HP 632-003 « Soutien à l'artisanat, au commerce et aux métiers d'art »", "16300302",
           "Soutien à l'artisanat et aux TPE");
  in.lines[kLineJema] =
      line(kLineJema, 2023, "936-61--161001", Nomenclature::M57,
           "HP 61-001 « Soutien à la création et au développement des "
           "entreprises »",
           "16100107", "Accompagnement des entrepreneurs et des jeunes entreprises");
  in.lines[kLineTiersLieux] =
      line(kLineTiersLieux, 2022, "905-56-20421-156001-400", Nomenclature::M71,
           "HP 56-001 « Lieux d'innovation »", "15600105", "Tiers lieux");

  in.balances[kLineChoose] = bal(euros(9'150'000), euros(9'150'000), euros(0), euros(0), euros(0));
  in.balances[kLineArtisanat] = bal(euros(1'000'000), euros(500'000), euros(0), euros(0), euros(0));
  in.balances[kLineJema] = bal(euros(200'000), euros(100'000), euros(0), euros(0), euros(0));
  in.balances[kLineTiersLieux] =
      bal(euros(1'000'000), euros(300'000), euros(78'400), euros(0), euros(0));

  in.schemes[kVolet2] = volet2();
  in.schemes[kLieux] = lieux_innovation();

  in.parties[kChoose] = party(kChoose, "Choose Paris Region", "Association");
  in.parties[kClayes] = party(kClayes, "Commune des Clayes-sous-Bois", "Commune");
  in.parties[kMontfermeil] = party(kMontfermeil, "Commune de Montfermeil", "Commune");
  in.parties[kPerreux] = party(kPerreux, "Commune du Perreux-sur-Marne", "Commune");
  in.parties[kCasaco] =
      party(kCasaco, "SAS SCIC Casaco", "Société coopérative d'intérêt collectif");
  in.parties[kSci] = party(kSci, "SCI 6 avenue JJ", "Société civile immobilière");

  in.applications[kEx070162] =
      proposed(kEx070162, "EX070162", kClayes, "Les Clayes-sous-Bois", Date(2022, 11, 1),
               Date(2023, 10, 31), cp2023040::plan_ex070162(), euros(7'000));
  in.applications[kEx070158] =
      proposed(kEx070158, "EX070158", kMontfermeil, "Montfermeil", Date(2022, 12, 1),
               Date(2023, 11, 30), cp2023040::plan_ex070158(), euros(8'000));
  in.applications[kEx069984] =
      proposed(kEx069984, "EX069984", kPerreux, "Le Perreux-sur-Marne", Date(2022, 1, 1),
               Date(2022, 12, 31), cp2023040::plan_ex069984(), euros(8'000));
  in.applications[kEx065392] = casaco_dossier();
  return in;
}

Session session() {
  Session s;
  s.id = SessionId{1};
  s.authority = AuthorityId{1};
  s.body = Body::StandingCommittee;
  s.date = kSessionDate;
  return s;
}

Article tranche_article() {
  Article a;
  a.id = ArticleId{1};
  a.position = 1;
  a.kind = ArticleKind::Tranche;
  a.title =
      "Première affectation (60 %) de la subvention globale de fonctionnement 2023 de Choose "
      "Paris Region";
  a.line = kLineChoose;
  a.amount = euros(5'490'000);
  a.party = kChoose;
  a.planned_total = euros(9'150'000);
  a.tranche_rate = Rate::percent(60);
  return a;
}

Article awards_article() {
  Article a;
  a.id = ArticleId{2};
  a.position = 2;
  a.kind = ArticleKind::SchemeAwards;
  a.title = "Chèque numérique pour un commerce connecté – volet 2 : 3 subventions";
  a.line = kLineArtisanat;
  a.amount = euros(23'000);
  a.scheme = kVolet2;
  a.applications = {kEx070162, kEx070158, kEx069984};
  return a;
}

Article direct_article() {
  Article a;
  a.id = ArticleId{3};
  a.position = 3;
  a.kind = ArticleKind::Direct;
  a.title = "Participation de la Région aux Journées Européennes des Métiers d'Art";
  a.line = kLineJema;
  a.amount = euros(24'500);
  return a;
}

Article transfer_article() {
  Article a;
  a.id = ArticleId{4};
  a.position = 4;
  a.kind = ArticleKind::Transfer;
  a.title = "Transfert de la subvention EX065392 de SAS SCIC Casaco à SCI 6 avenue JJ";
  a.line = kLineTiersLieux;
  a.amount = euros(78'400);
  a.party = kSci;
  a.transfer_application = kEx065392;
  return a;
}

Report report() {
  Report r;
  r.id = ReportId{1};
  r.authority = AuthorityId{1};
  r.session = SessionId{1};
  r.number = "CP 2023-040";
  r.title = "Attractivité et aménagement économique";
  r.state = ReportState::Draft;
  r.articles = {tranche_article(), awards_article(), direct_article(), transfer_article()};
  return r;
}

// ---------------------------------------------------------------------------------------------
// The plan of CP 2023-040

// The id's value, 0 when absent.
template <class Tag>
std::int64_t id_or_zero(const std::optional<Id<Tag>>& id) {
  return id ? id->value : 0;
}

class VotePlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    in_ = inputs();
    auto r = plan_vote(report(), session(), in_);
    ASSERT_TRUE(r.ok()) << r.refusal().describe();
    plan_ = std::move(r).value();
  }
  VoteInputs in_;
  VotePlan plan_;
};

TEST_F(VotePlanTest, FiveAllocationsWithTheirAmountsAndLines) {
  ASSERT_EQ(plan_.allocations.size(), 5u);
  struct Expected {
    std::int64_t article;
    int position;
    BudgetLineId line;
    Money amount;
    std::optional<ApplicationId> application;
    std::optional<PartyId> party;
  };
  const std::vector<Expected> expected = {
      {1, 1, kLineChoose, euros(5'490'000), std::nullopt, kChoose},
      {2, 2, kLineArtisanat, euros(7'000), kEx070162, kClayes},
      {2, 2, kLineArtisanat, euros(8'000), kEx070158, kMontfermeil},
      {2, 2, kLineArtisanat, euros(8'000), kEx069984, kPerreux},
      {3, 3, kLineJema, euros(24'500), std::nullopt, std::nullopt},
  };
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(i);
    const Posting& p = plan_.allocations[i];
    EXPECT_EQ(p.article.value, expected[i].article);
    EXPECT_EQ(p.article_position, expected[i].position);
    EXPECT_EQ(p.line.value, expected[i].line.value);
    EXPECT_EQ(p.amount, expected[i].amount);
    EXPECT_EQ(id_or_zero(p.application), id_or_zero(expected[i].application));
    EXPECT_EQ(id_or_zero(p.party), id_or_zero(expected[i].party));
    EXPECT_FALSE(p.label.empty());
  }
  EXPECT_EQ(plan_.allocations[1].label.rfind("EX070162", 0), 0u) << plan_.allocations[1].label;
  EXPECT_EQ(plan_.allocations[4].label,
            "Participation de la Région aux Journées Européennes des Métiers d'Art");
}

TEST_F(VotePlanTest, AllocationsAddUpToTheArticles) {
  Money total;
  for (const auto& p : plan_.allocations)
    total += p.amount;
  EXPECT_EQ(total, euros(5'537'500));  // 5 490 000 + 23 000 + 24 500; the transfer allocates none
}

TEST_F(VotePlanTest, BalancesAfterPerLine) {
  ASSERT_EQ(plan_.balances_after.size(), 4u);
  EXPECT_EQ(plan_.balances_after.at(kLineChoose),
            bal(euros(9'150'000), euros(9'150'000), euros(5'490'000), euros(0), euros(0)));
  EXPECT_EQ(plan_.balances_after.at(kLineArtisanat),
            bal(euros(1'000'000), euros(500'000), euros(23'000), euros(0), euros(0)));
  EXPECT_EQ(plan_.balances_after.at(kLineJema),
            bal(euros(200'000), euros(100'000), euros(24'500), euros(0), euros(0)));
  // The transfer moves an existing award: the 2022 line is unchanged.
  EXPECT_EQ(plan_.balances_after.at(kLineTiersLieux),
            bal(euros(1'000'000), euros(300'000), euros(78'400), euros(0), euros(0)));
  EXPECT_EQ(plan_.balances_after.at(kLineChoose).available(), euros(3'660'000));
}

TEST_F(VotePlanTest, ThreeDossiersAwarded) {
  ASSERT_EQ(plan_.awarded.size(), 3u);
  const std::vector<std::pair<const char*, Money>> expected = {
      {"EX070162", euros(7'000)}, {"EX070158", euros(8'000)}, {"EX069984", euros(8'000)}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(expected[i].first);
    const Application& a = plan_.awarded[i];
    EXPECT_EQ(a.number, expected[i].first);
    EXPECT_EQ(a.state(), ApplicationState::Awarded);
    ASSERT_TRUE(a.award.has_value());
    EXPECT_EQ(a.award->amount, expected[i].second);
    EXPECT_EQ(a.award->date, Date(2023, 1, 25));
    EXPECT_EQ(a.award->deliberation, "CP 2023-040");
    EXPECT_EQ(a.proposed_award, expected[i].second);
  }
}

TEST_F(VotePlanTest, TheInputsAreNotModified) {
  EXPECT_EQ(in_.applications.at(kEx070158).state(), ApplicationState::Proposed);
  EXPECT_FALSE(in_.applications.at(kEx070158).award.has_value());
  EXPECT_EQ(in_.balances.at(kLineArtisanat),
            bal(euros(1'000'000), euros(500'000), euros(0), euros(0), euros(0)));
}

TEST_F(VotePlanTest, OneTransferOfTheWholeUnpaidBalance) {
  ASSERT_EQ(plan_.transfers.size(), 1u);
  const TransferDecision& t = plan_.transfers[0];
  EXPECT_EQ(t.article.value, 4);
  EXPECT_EQ(t.application.value, kEx065392.value);
  EXPECT_EQ(t.from.value, kCasaco.value);
  EXPECT_EQ(t.to.value, kSci.value);
  EXPECT_EQ(t.amount, euros(78'400));
}

TEST(VotePlan, ExactlyTheAvailableAeOnTheLineOfArticle2IsAccepted) {
  VoteInputs in = inputs();
  in.balances[kLineArtisanat] = bal(euros(23'000), euros(0), euros(0), euros(0), euros(0));
  const auto r = plan_vote(report(), session(), in);
  ASSERT_TRUE(r.ok()) << r.refusal().describe();
  EXPECT_EQ(r.value().balances_after.at(kLineArtisanat).available(), euros(0));
}

TEST(VotePlan, AnAdoptedReportIsNotVotedAgain) {
  Report r = report();
  r.state = ReportState::Adopted;
  r.adopted_on = kSessionDate;
  EXPECT_THROW(static_cast<void>(plan_vote(r, session(), inputs())), InvariantViolation);
}

// ---------------------------------------------------------------------------------------------
// Refusals: each names its article.

// Plans the vote, expects a refusal with one problem of `code` located in article `n`, and
// returns that problem.
Problem refused(const Report& r, const VoteInputs& in, const char* code, int n) {
  const auto result = plan_vote(r, session(), in);
  EXPECT_FALSE(result.ok());
  if (result.ok()) return {};
  EXPECT_THROW(static_cast<void>(result.value()), InvariantViolation);  // nothing returned
  EXPECT_EQ(result.refusal().problems.size(), 1u) << result.refusal().describe();
  const Problem& p = result.refusal().first();
  EXPECT_EQ(p.code, code) << p.message;
  const std::string where = "articles[" + std::to_string(n) + "]";
  EXPECT_EQ(p.field.rfind(where, 0), 0u) << p.field;
  const std::string prefix = "Article " + std::to_string(n) + " : ";
  EXPECT_EQ(p.message.rfind(prefix, 0), 0u) << p.message;
  return p;
}

TEST(VoteRefusal, EmptyReport) {
  Report r = report();
  r.articles.clear();
  const auto result = plan_vote(r, session(), inputs());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.refusal().first().code, "report.empty");
  EXPECT_EQ(result.refusal().first().field, "articles");
  EXPECT_NE(result.refusal().first().message.find("CP 2023-040"), std::string::npos);
}

TEST(VoteRefusal, SumMismatch) {
  Report r = report();
  r.articles[1].amount = euros(24'000);
  const Problem p = refused(r, inputs(), "report.sum_mismatch", 2);
  EXPECT_EQ(p.field, "articles[2]");
  EXPECT_EQ(p.message, "Article 2 : le total des dossiers (23" NNBSP "000,00" EUR
                       ") ne correspond pas au montant de l'article (24" NNBSP "000,00" EUR ").");
}

TEST(VoteRefusal, TrancheMismatch) {
  Report r = report();
  r.articles[0].tranche_rate = Rate::percent(61);
  const Problem p = refused(r, inputs(), "report.tranche_mismatch", 1);
  EXPECT_EQ(p.message, "Article 1 : la tranche de 5" NNBSP "490" NNBSP "000,00" EUR
                       " ne fait pas 61\u00A0% du total prévu de 9" NNBSP "150" NNBSP "000,00" EUR
                       " (5" NNBSP "581" NNBSP "500,00" EUR ").");
}

TEST(VoteRefusal, TrancheOfOneCentTooMuch) {
  Report r = report();
  r.articles[0].amount = cents(5'490'000'01);
  refused(r, inputs(), "report.tranche_mismatch", 1);
}

TEST(VoteRefusal, DossierUnderInstruction) {
  VoteInputs in = inputs();
  in.applications[kEx070158].restore_state(ApplicationState::UnderInstruction);
  in.applications[kEx070158].proposed_award.reset();
  const Problem p = refused(report(), in, "report.application_state", 2);
  EXPECT_NE(p.message.find("EX070158"), std::string::npos) << p.message;
  EXPECT_NE(p.message.find("en instruction"), std::string::npos) << p.message;
}

TEST(VoteRefusal, TransferOfANonAwardedDossier) {
  VoteInputs in = inputs();
  Application& casaco = in.applications[kEx065392];
  casaco.restore_state(ApplicationState::Proposed);
  casaco.award.reset();
  const Problem p = refused(report(), in, "report.application_state", 4);
  EXPECT_NE(p.message.find("EX065392"), std::string::npos) << p.message;
}

TEST(VoteRefusal, DossierOfAnotherScheme) {
  VoteInputs in = inputs();
  in.applications[kEx069984].scheme = kLieux;
  const Problem p = refused(report(), in, "report.application_scheme", 2);
  EXPECT_EQ(p.message, "Article 2 : le dossier EX069984 ne relève pas du dispositif 00001176.");
}

TEST(VoteRefusal, SameDossierInTwoArticles) {
  Report r = report();
  Article again = awards_article();
  again.id = ArticleId{5};
  again.position = 5;
  again.title = "Chèque numérique pour un commerce connecté – volet 2 : Montfermeil";
  again.amount = euros(8'000);
  again.applications = {kEx070158};
  r.articles.push_back(again);
  const Problem p = refused(r, inputs(), "report.duplicate_application", 5);
  EXPECT_NE(p.message.find("EX070158"), std::string::npos) << p.message;
}

TEST(VoteRefusal, SameDossierTwiceInOneArticle) {
  Report r = report();
  r.articles[1].applications = {kEx070162, kEx070158, kEx070158};
  r.articles[1].amount = euros(23'000);
  refused(r, inputs(), "report.duplicate_application", 2);
}

TEST(VoteRefusal, AwardedDossierAlsoTransferred) {
  Report r = report();
  r.articles[3].transfer_application = kEx070162;  // awarded by article 2 of the same report
  refused(r, inputs(), "report.duplicate_application", 4);
}

TEST(VoteRefusal, OperatingSchemeOnAnInvestmentLine) {
  Report r = report();
  r.articles[1].line = kLineTiersLieux;
  const Problem p = refused(r, inputs(), "report.section_mismatch", 2);
  EXPECT_NE(p.message.find("2022/15600105"), std::string::npos) << p.message;
}

TEST(VoteRefusal, TransferOfLessThanTheUnpaidBalance) {
  Report r = report();
  r.articles[3].amount = euros(78'000);
  const Problem p = refused(r, inputs(), "report.transfer_amount", 4);
  EXPECT_EQ(p.message,
            "Article 4 : le montant transféré (78" NNBSP "000,00" EUR
            ") doit être le reliquat non versé du dossier EX065392 (78" NNBSP "400,00" EUR ").");
}

TEST(VoteRefusal, TransferToTheSameParty) {
  Report r = report();
  r.articles[3].party = kCasaco;
  refused(r, inputs(), "report.transfer_same_party", 4);
}

TEST(VoteRefusal, InsufficientAeOnTheLineOfArticle2) {
  VoteInputs in = inputs();
  in.balances[kLineArtisanat] = bal(cents(22'999'99), euros(0), euros(0), euros(0), euros(0));
  const Problem p = refused(report(), in, "ledger.insufficient_ae", 2);
  EXPECT_EQ(p.field, "articles[2].amount");
  // 7 000 + 8 000 fit; the third dossier (8 000 €) finds 7 999,99 € left.
  EXPECT_EQ(p.message,
            "Article 2 : dossier EX069984 : Autorisations disponibles insuffisantes sur la ligne "
            "2023/16300302 (Soutien à l'artisanat et aux TPE) : 8" NNBSP "000,00" EUR
            " demandés, 7" NNBSP "999,99" EUR " disponibles.");
}

TEST(VoteRefusal, TwoArticlesOnTheSameLineThatFitOnlyApart) {
  // 30 000 € of AE: article 2 (23 000 €) fits, a direct article of 8 000 € alone fits, not both.
  VoteInputs in = inputs();
  in.balances[kLineArtisanat] = bal(euros(30'000), euros(0), euros(0), euros(0), euros(0));
  Report r = report();
  Article extra = direct_article();
  extra.id = ArticleId{5};
  extra.position = 5;
  extra.title = "Opération de promotion de l'artisanat";
  extra.line = kLineArtisanat;
  extra.amount = euros(8'000);
  r.articles.push_back(extra);

  Report alone = r;
  alone.articles = {extra};
  ASSERT_TRUE(plan_vote(alone, session(), in).ok());

  const Problem p = refused(r, in, "ledger.insufficient_ae", 5);
  EXPECT_NE(p.message.find("8" NNBSP "000,00" EUR " demandés, 7" NNBSP "000,00" EUR " disponibles"),
            std::string::npos)
      << p.message;
}

// report.h: every refusal of plan_vote has a message starting "Article N : ". An article that
// lacks what its kind requires is refused by Article::validate inside plan_vote: the finance
// officer must be told which article.
TEST(VoteRefusal, IncompleteArticleIsNamedInTheMessage) {
  Report r = report();
  r.articles[1].scheme.reset();
  const Problem p = refused(r, inputs(), "article.scheme", 2);
  EXPECT_EQ(p.field, "articles[2].scheme");
}

TEST(VoteRefusal, UnknownLine) {
  Report r = report();
  r.articles[2].line = BudgetLineId{99};
  refused(r, inputs(), "report.unknown_line", 3);
}

TEST(VoteRefusal, UnknownTranchePartyAndTransferee) {
  {
    Report r = report();
    r.articles[0].party = PartyId{99};
    refused(r, inputs(), "report.unknown_party", 1);
  }
  {
    Report r = report();
    r.articles[3].party = PartyId{99};
    refused(r, inputs(), "report.unknown_party", 4);
  }
}

TEST(VoteRefusal, UnknownSchemeAndDossiers) {
  {
    Report r = report();
    r.articles[1].scheme = SchemeId{99};
    refused(r, inputs(), "report.unknown_scheme", 2);
  }
  {
    Report r = report();
    r.articles[1].applications = {kEx070162, ApplicationId{99}, kEx069984};
    refused(r, inputs(), "report.unknown_application", 2);
  }
  {
    Report r = report();
    r.articles[3].transfer_application = ApplicationId{99};
    refused(r, inputs(), "report.unknown_application", 4);
  }
}

// An amendment of EX065392 (78 400 €, allocated on the Tiers lieux line), alone in its report.
Report amendment_of_casaco(ArticleKind kind, Money amount) {
  Article a = transfer_article();
  a.kind = kind;
  a.party.reset();
  a.title = "Avenant à la subvention EX065392";
  a.amount = amount;
  if (kind == ArticleKind::Extension) a.new_end = Date(2024, 12, 31);
  Report r = report();
  r.articles = {a};
  return r;
}

TEST(VoteRefusal, AmendmentOfAnUnknownDossier) {
  Report r = amendment_of_casaco(ArticleKind::AmountChange, euros(60'000));
  r.articles[0].transfer_application = ApplicationId{99};
  refused(r, inputs(), "report.unknown_application", 4);
}

TEST(VoteRefusal, AnAmountBelowWhatWasPaid) {
  VoteInputs in = inputs();
  in.paid[kEx065392] = euros(30'000);
  in.committed[kEx065392] = euros(78'400);
  in.balances[kLineTiersLieux] =
      bal(euros(1'000'000), euros(300'000), euros(78'400), euros(78'400), euros(30'000));
  const Problem p = refused(amendment_of_casaco(ArticleKind::AmountChange, cents(29'999'99)), in,
                            "report.amount_below_paid", 4);
  EXPECT_EQ(p.message, "Article 4 : le nouveau montant (29" NNBSP "999,99" EUR
                       ") est inférieur aux sommes déjà versées (30" NNBSP "000,00" EUR ").");
  // What was paid exactly is a valid new amount.
  EXPECT_TRUE(
      plan_vote(amendment_of_casaco(ArticleKind::AmountChange, euros(30'000)), session(), in).ok());
}

TEST(VoteRefusal, AnExtensionDoesNotChangeTheAmount) {
  const Problem p = refused(amendment_of_casaco(ArticleKind::Extension, euros(78'000)), inputs(),
                            "report.extension_amount", 4);
  EXPECT_NE(p.message.find("78" NNBSP "400,00" EUR), std::string::npos) << p.message;
  EXPECT_TRUE(
      plan_vote(amendment_of_casaco(ArticleKind::Extension, euros(78'400)), session(), inputs())
          .ok());
}

// ---------------------------------------------------------------------------------------------
// Report and Article validation

TEST(ReportNumber, ValidAndInvalidNumbers) {
  for (const char* ok : {"CP 2023-040", "CR 2022-078", "CP 2022-285", "CR 2019-043"}) {
    SCOPED_TRACE(ok);
    EXPECT_TRUE(Report::is_valid_number(ok));
  }
  for (const char* bad : {"CP2023-040", "cp 2023-040", "CP 23-040", "CP 2023-04a", "", "CP ",
                          "C 2023-040", "CP 2023040", "CP 2023-040 ", " CP 2023-040"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(Report::is_valid_number(bad));
  }
}

TEST(ReportValidate, TheReferenceReportIsValid) {
  const auto r = report().validate();
  EXPECT_TRUE(r.ok()) << r.refusal().describe();
}

TEST(ReportValidate, NumberTitleAndArticlesAreChecked) {
  Report r = report();
  r.number = "CP2023-040";
  r.title = "";
  r.articles[1].scheme.reset();
  const auto v = r.validate();
  ASSERT_FALSE(v.ok());
  const auto& ps = v.refusal().problems;
  ASSERT_EQ(ps.size(), 3u) << v.refusal().describe();
  EXPECT_EQ(ps[0].code, "report.number");
  EXPECT_EQ(ps[0].field, "number");
  EXPECT_NE(ps[0].message.find("CP2023-040"), std::string::npos);
  EXPECT_EQ(ps[1].code, "text.required");
  EXPECT_EQ(ps[1].field, "title");
  EXPECT_EQ(ps[2].code, "article.scheme");
  EXPECT_EQ(ps[2].field, "articles[2].scheme");
}

TEST(ReportArticleValidate, TheFourReferenceArticlesAreValid) {
  for (const Article& a :
       {tranche_article(), awards_article(), direct_article(), transfer_article()}) {
    SCOPED_TRACE(a.position);
    const auto r = a.validate("articles[" + std::to_string(a.position) + "]");
    EXPECT_TRUE(r.ok()) << r.refusal().describe();
  }
}

std::vector<std::pair<std::string, std::string>> problems_of(const Article& a) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto r = a.validate("articles[" + std::to_string(a.position) + "]");
  if (!r.ok())
    for (const auto& p : r.refusal().problems)
      out.emplace_back(p.code, p.field);
  return out;
}

using Problems = std::vector<std::pair<std::string, std::string>>;

TEST(ReportArticleValidate, SchemeAwardsNeedsSchemeAndDossiers) {
  Article a = awards_article();
  a.scheme.reset();
  a.applications.clear();
  EXPECT_EQ(problems_of(a), (Problems{{"article.scheme", "articles[2].scheme"},
                                      {"article.applications", "articles[2].applications"}}));
}

TEST(ReportArticleValidate, TrancheNeedsPartyTotalAndRate) {
  Article a = tranche_article();
  a.party.reset();
  a.planned_total.reset();
  a.tranche_rate.reset();
  EXPECT_EQ(problems_of(a), (Problems{{"article.party", "articles[1].party"},
                                      {"article.planned_total", "articles[1].planned_total"},
                                      {"article.tranche_rate", "articles[1].tranche_rate"}}));
  Article zero = tranche_article();
  zero.planned_total = euros(0);
  zero.tranche_rate = Rate::percent(0);
  EXPECT_EQ(problems_of(zero), (Problems{{"article.planned_total", "articles[1].planned_total"},
                                         {"article.tranche_rate", "articles[1].tranche_rate"}}));
}

TEST(ReportArticleValidate, DirectNeedsOnlyTitleAndPositiveAmount) {
  Article a = direct_article();
  a.title = "  ";
  a.amount = euros(0);
  EXPECT_EQ(problems_of(a), (Problems{{"text.required", "articles[3].title"},
                                      {"article.amount", "articles[3].amount"}}));
  Article negative = direct_article();
  negative.amount = -euros(24'500);
  EXPECT_EQ(problems_of(negative), (Problems{{"article.amount", "articles[3].amount"}}));
}

TEST(ReportArticleValidate, TransferNeedsDossierAndNewBeneficiary) {
  Article a = transfer_article();
  a.transfer_application.reset();
  a.party.reset();
  EXPECT_EQ(problems_of(a), (Problems{{"article.application", "articles[4].application"},
                                      {"article.party", "articles[4].party"}}));
}

}  // namespace
}  // namespace octroi
