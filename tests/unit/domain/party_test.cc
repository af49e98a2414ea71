#include "domain/party/party.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/application/application.h"
#include "unit/domain/cp_2023_040.h"

namespace octroi {
namespace {

using cp2023040::euros;

// SAS SCIC Casaco as printed in the seed: "N° SIRET : 801568296" (a SIREN).
Party casaco() {
  Party p;
  p.legal_name = "SAS SCIC Casaco";
  p.siret = "801568296";
  p.naf = "68.20B";
  p.legal_status = "Société coopérative d'intérêt collectif";
  p.recovers_vat = true;
  return p;
}

// SCI 6 avenue JJ, the new beneficiary of EX065392.
Party sci_6_avenue_jj() {
  Party p;
  p.legal_name = "SCI 6 avenue JJ";
  p.siren = "910876390";
  p.naf = "68.20B";
  p.legal_status = "Société civile immobilière";
  p.recovers_vat = true;
  p.address.line1 = "6 avenue Jean Jaurès";
  p.address.postal_code = "92240";
  p.address.city = "Malakoff";
  return p;
}

Party montfermeil() {
  Party p;
  p.legal_name = "Commune de Montfermeil";
  p.legal_status = "Commune";
  p.representative = {"Monsieur", "Xavier", "Lemoine", "Maire"};
  p.address.line1 = "7-11 place Jean-Mermoz";
  p.address.postal_code = "93370";
  p.address.city = "Montfermeil";
  return p;
}

const Problem* find(const std::vector<Problem>& ps, const std::string& code) {
  for (const auto& p : ps)
    if (p.code == code) return &p;
  return nullptr;
}

void expect_refused(Party p, const std::string& code, const std::string& field) {
  std::vector<Problem> warnings;
  const Status s = p.validate(warnings);
  ASSERT_FALSE(s.ok()) << code;
  const Problem* problem = find(s.refusal().problems, code);
  ASSERT_NE(problem, nullptr) << code << " not in:\n" << s.refusal().describe();
  EXPECT_EQ(problem->field, field) << code;
  EXPECT_FALSE(problem->message.empty()) << code;
}

// ---------------------------------------------------------------------------------------------
// Party::validate

TEST(PartyValidate, TheSeedsSirenPrintedAsSiret) {
  Party p = casaco();
  std::vector<Problem> warnings;
  const Status s = p.validate(warnings);
  ASSERT_TRUE(s.ok()) << s.refusal().describe();
  EXPECT_EQ(p.siren, "801568296");
  EXPECT_EQ(p.siret, "");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].code, "siret.is_siren");
  EXPECT_EQ(warnings[0].field, "siret");
  EXPECT_NE(warnings[0].message.find("801568296"), std::string::npos) << warnings[0].message;
  EXPECT_EQ(p.naf, "68.20B");
}

TEST(PartyValidate, SirenAsSiretWithSpacesAndTheSameSiren) {
  Party p = casaco();
  p.siret = " 801 568 296 ";
  p.siren = "801568296";
  std::vector<Problem> warnings;
  ASSERT_TRUE(p.validate(warnings).ok());
  EXPECT_EQ(p.siren, "801568296");
  EXPECT_EQ(p.siret, "");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].code, "siret.is_siren");
}

TEST(PartyValidate, SirenAsSiretDisagreeingWithTheSiren) {
  Party p = casaco();
  p.siren = "910876390";  // the other company of the seed
  expect_refused(p, "party.siren_mismatch", "siret");
}

TEST(PartyValidate, InvalidSirenAsSiret) {
  Party p = casaco();
  p.siret = "801568297";  // Luhn key wrong
  expect_refused(p, "siren.luhn", "siret");
}

TEST(PartyValidate, ValidSiretFillsTheSiren) {
  Party p = sci_6_avenue_jj();
  p.siren.clear();
  p.siret = "910 876 390 00014";
  std::vector<Problem> warnings;
  const Status s = p.validate(warnings);
  ASSERT_TRUE(s.ok()) << s.refusal().describe();
  EXPECT_EQ(p.siret, "91087639000014");
  EXPECT_EQ(p.siren, "910876390");
  EXPECT_TRUE(warnings.empty());
}

TEST(PartyValidate, SiretAgreeingWithTheSiren) {
  Party p = sci_6_avenue_jj();
  p.siret = "91087639000014";
  std::vector<Problem> warnings;
  EXPECT_TRUE(p.validate(warnings).ok());
  EXPECT_EQ(p.siren, "910876390");
}

TEST(PartyValidate, SirenSiretMismatch) {
  Party p = sci_6_avenue_jj();
  p.siret = "80156829600017";  // Casaco's establishment, valid on its own
  expect_refused(p, "party.siren_mismatch", "siren");
}

TEST(PartyValidate, InvalidIdentifiersNameTheirField) {
  const struct {
    const char* what;
    void (*set)(Party&);
    const char* code;
    const char* field;
  } cases[] = {
      {"siren luhn", [](Party& p) { p.siren = "910876391"; }, "siren.luhn", "siren"},
      {"siren length", [](Party& p) { p.siren = "91087639"; }, "siren.format", "siren"},
      {"siren letters", [](Party& p) { p.siren = "91087639A"; }, "siren.format", "siren"},
      {"siret luhn", [](Party& p) { p.siret = "91087639000015"; }, "siret.luhn", "siret"},
      {"siret length", [](Party& p) { p.siret = "9108763900001"; }, "siret.format", "siret"},
      {"rna", [](Party& p) { p.rna = "W12345678"; }, "rna.format", "rna"},
      {"rna letter", [](Party& p) { p.rna = "X123456789"; }, "rna.format", "rna"},
      {"naf", [](Party& p) { p.naf = "68.20"; }, "naf.format", "naf"},
      {"naf letters", [](Party& p) { p.naf = "AB.CDE"; }, "naf.format", "naf"},
      {"postal code short", [](Party& p) { p.address.postal_code = "9224"; }, "postal_code.format",
       "address.postal_code"},
      {"postal code 00", [](Party& p) { p.address.postal_code = "00240"; }, "postal_code.format",
       "address.postal_code"},
      {"postal code letters", [](Party& p) { p.address.postal_code = "92 24O"; },
       "postal_code.format", "address.postal_code"},
      {"insee", [](Party& p) { p.address.insee_code = "2000A"; }, "insee.format",
       "address.insee_code"},
      {"departement 20", [](Party& p) { p.departement = "20"; }, "departement.unknown",
       "departement"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    Party p = sci_6_avenue_jj();
    c.set(p);
    expect_refused(p, c.code, c.field);
  }
}

TEST(PartyValidate, NormalisesIdentifiers) {
  Party p = sci_6_avenue_jj();
  p.siren = "910 876 390";
  p.naf = "6820b";
  p.rna = "w123456789";
  p.departement = "2a";
  std::vector<Problem> warnings;
  const Status s = p.validate(warnings);
  ASSERT_TRUE(s.ok()) << s.refusal().describe();
  EXPECT_EQ(p.siren, "910876390");
  EXPECT_EQ(p.naf, "68.20B");
  EXPECT_EQ(p.rna, "W123456789");
  EXPECT_EQ(p.departement, "2A");  // given explicitly: not replaced by the postal code's
  EXPECT_TRUE(warnings.empty());
}

TEST(PartyValidate, DepartementDerivedFromTheAddress) {
  const struct {
    const char* postal_code;
    const char* insee_code;
    const char* departement;
  } cases[] = {
      {"93370", "", "93"},       // Montfermeil
      {"78340", "", "78"},       // Les Clayes-sous-Bois
      {"94170", "", "94"},       // Le Perreux-sur-Marne
      {"92240", "", "92"},       // Malakoff
      {"93400", "93070", "93"},  // Saint-Ouen-sur-Seine, by INSEE code
      {"20000", "", ""},         // Ajaccio: 2A, not derivable from the postal code
      {"20000", "2A004", "2A"},
      {"97400", "", ""},  // La Réunion: 974, not derivable from the postal code
      {"97400", "97411", "974"},
      {"", "", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.postal_code) + " / " + c.insee_code);
    Party p = montfermeil();
    p.address.postal_code = c.postal_code;
    p.address.insee_code = c.insee_code;
    std::vector<Problem> warnings;
    const Status s = p.validate(warnings);
    ASSERT_TRUE(s.ok()) << s.refusal().describe();
    EXPECT_EQ(p.departement, c.departement);
  }
}

TEST(PartyValidate, MissingLegalName) {
  for (const char* name : {"", "   "}) {
    Party p = montfermeil();
    p.legal_name = name;
    expect_refused(p, "text.required", "legal_name");
  }
}

TEST(PartyValidate, ReportsEveryProblem) {
  Party p = montfermeil();
  p.legal_name = "";
  p.siren = "123456789";
  p.naf = "x";
  p.address.postal_code = "933";
  std::vector<Problem> warnings;
  const Status s = p.validate(warnings);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.refusal().problems.size(), 4u) << s.refusal().describe();
  EXPECT_TRUE(s.refusal().has_code("text.required"));
  EXPECT_TRUE(s.refusal().has_code("siren.luhn"));
  EXPECT_TRUE(s.refusal().has_code("naf.format"));
  EXPECT_TRUE(s.refusal().has_code("postal_code.format"));
}

TEST(PartyDisplay, RepresentativeAndAddress) {
  const Party p = montfermeil();
  EXPECT_EQ(p.representative.display(), "Monsieur Xavier Lemoine, Maire");
  EXPECT_EQ(p.address.display(), "7-11 place Jean-Mermoz, 93370 Montfermeil");
  EXPECT_EQ(Representative{}.display(), "");
  EXPECT_EQ(Address{}.display(), "");
}

// ---------------------------------------------------------------------------------------------
// Application::validate

Application montfermeil_dossier() {
  Application a;
  a.number = "EX070158";
  a.project.title = "Chèque numérique pour un commerce connecté – Montfermeil";
  a.project.start = Date(2022, 12, 1);
  a.project.end = Date(2023, 11, 30);
  a.early_start.requested = true;
  a.early_start.date = Date(2022, 12, 1);
  a.early_start.justification = "Dépenses engagées avant le vote, par dérogation (RBF art. 29).";
  a.reference_year = 2023;
  a.plan = cp2023040::plan_ex070158();
  return a;
}

void expect_app_refused(const Application& a, const std::string& code, const std::string& field) {
  const Status s = a.validate(false);
  ASSERT_FALSE(s.ok()) << code;
  ASSERT_TRUE(s.refusal().has_code(code)) << s.refusal().describe();
  for (const auto& p : s.refusal().problems)
    if (p.code == code) {
      EXPECT_EQ(p.field, field) << code;
    }
}

TEST(ApplicationValidate, TheSeedDossiersAreValid) {
  EXPECT_TRUE(montfermeil_dossier().validate(true).ok());
  Application casaco_dossier = montfermeil_dossier();  // EX065392: no early start, HT
  casaco_dossier.number = "EX065392";
  casaco_dossier.project.start = Date(2022, 9, 1);
  casaco_dossier.project.end = Date(2023, 12, 29);
  casaco_dossier.early_start = {};
  casaco_dossier.reference_year = 2022;
  casaco_dossier.basis = AmountBasis::ExclTax;
  casaco_dossier.plan = cp2023040::plan_ex065392();
  const Status s = casaco_dossier.validate(true);
  EXPECT_TRUE(s.ok()) << s.refusal().describe();
}

TEST(ApplicationValidate, EndBeforeStart) {
  Application a = montfermeil_dossier();
  a.project.end = Date(2022, 11, 30);
  expect_app_refused(a, "project.dates", "project.end");
  a.project.end = a.project.start;  // a one-day project is fine
  EXPECT_TRUE(a.validate(true).ok());
}

TEST(ApplicationValidate, EarlyStart) {
  Application no_date = montfermeil_dossier();
  no_date.early_start.date.reset();
  expect_app_refused(no_date, "early_start.date", "early_start.date");

  Application no_reason = montfermeil_dossier();
  no_reason.early_start.justification = "  ";
  expect_app_refused(no_reason, "early_start.justification", "early_start.justification");

  Application neither = montfermeil_dossier();
  neither.early_start.date.reset();
  neither.early_start.justification.clear();
  const Status s = neither.validate(false);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.refusal().has_code("early_start.date"));
  EXPECT_TRUE(s.refusal().has_code("early_start.justification"));

  Application date_not_requested = montfermeil_dossier();
  date_not_requested.early_start.requested = false;
  date_not_requested.early_start.justification.clear();
  expect_app_refused(date_not_requested, "early_start.date", "early_start.date");

  Application not_requested = montfermeil_dossier();
  not_requested.early_start = {};
  EXPECT_TRUE(not_requested.validate(true).ok());
}

TEST(ApplicationValidate, ReferenceYear) {
  for (int year : {0, 1999, 2101, -2023, 20230}) {
    Application a = montfermeil_dossier();
    a.reference_year = year;
    SCOPED_TRACE(year);
    expect_app_refused(a, "application.reference_year", "reference_year");
  }
  for (int year : {2000, 2022, 2023, 2100}) {
    Application a = montfermeil_dossier();
    a.reference_year = year;
    EXPECT_TRUE(a.validate(true).ok()) << year;
  }
}

TEST(ApplicationValidate, MissingTitle) {
  Application a = montfermeil_dossier();
  a.project.title = " ";
  expect_app_refused(a, "text.required", "project.title");
}

TEST(ApplicationValidate, PlanProblemsArePassedOn) {
  Application a = montfermeil_dossier();
  a.plan.expenses[1].amount = Money();
  expect_app_refused(a, "plan.amount_not_positive", "plan.expenses[2].amount");
  Application b = montfermeil_dossier();
  b.plan.resources[2].amount = euros(2'999);  // ANCT 1 € short
  EXPECT_TRUE(b.validate(false).ok());
  const Status s = b.validate(true);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.refusal().has_code("plan.unbalanced"));
}

TEST(ApplicationNumber, IsValidNumber) {
  const struct {
    const char* number;
    bool valid;
  } cases[] = {
      {"EX070158", true},   {"EX065392", true},   {"EX000000", true},  {"EX07015", false},
      {"EX0701580", false}, {"ex070158", false},  {"Ex070158", false}, {"FX070158", false},
      {"EX07015A", false},  {"EX 70158", false},  {"070158EX", false}, {"", false},
      {"EX", false},        {" EX070158", false}, {"EX-70158", false},
  };
  for (const auto& c : cases)
    EXPECT_EQ(Application::is_valid_number(c.number), c.valid) << "\"" << c.number << "\"";
}

TEST(ApplicationAward, ComputeAwardUsesThePlanBaseBasisAndRequest) {
  AidScheme scheme;
  scheme.rule = cp2023040::reading1();
  Application clayes = montfermeil_dossier();
  clayes.plan = cp2023040::plan_ex070162();
  auto r = clayes.compute_award(scheme);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->amount, euros(7'000));
  EXPECT_TRUE(r->limited_by_request);

  scheme.rule = cp2023040::casaco();
  scheme.rule.base = BaseRequirement::ExclTax;
  Application casaco_dossier = montfermeil_dossier();
  casaco_dossier.plan = cp2023040::plan_ex065392();
  casaco_dossier.basis = AmountBasis::ExclTax;
  auto c = casaco_dossier.compute_award(scheme);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->amount, euros(78'400));
  casaco_dossier.basis = AmountBasis::InclTax;
  auto refused = casaco_dossier.compute_award(scheme);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.refusal().first().code, "award.basis");
}

}  // namespace
}  // namespace octroi
