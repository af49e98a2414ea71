// Every name table of the domain: each enumerator once, unique codes (the very texts the
// database, the CLI and the API write), parse(code(e)) == e, and the enum's to_string /
// parse_* functions reading the table.
#include <gtest/gtest.h>

#include "domain/agreement/agreement.h"
#include "domain/application/workflow.h"
#include "domain/budget/imputation.h"
#include "domain/budget/ledger.h"
#include "domain/committee/report.h"
#include "domain/payment/payment.h"
#include "domain/scheme/aid_scheme.h"
#include "domain/scheme/award_rule.h"
#include "domain/stateaid/de_minimis.h"
#include "unit/core/enum_table_checks.h"

namespace octroi {
namespace {

using enum_checks::expect_functions_read;
using enum_checks::expect_well_formed;

TEST(EnumNames, ApplicationState) {
  using S = ApplicationState;
  expect_well_formed(kApplicationStateNames, {{S::Draft, "draft"},
                                              {S::Submitted, "submitted"},
                                              {S::Incomplete, "incomplete"},
                                              {S::UnderInstruction, "under_instruction"},
                                              {S::AwaitingApproval, "awaiting_approval"},
                                              {S::Proposed, "proposed"},
                                              {S::Awarded, "awarded"},
                                              {S::Refused, "refused"},
                                              {S::Withdrawn, "withdrawn"},
                                              {S::Closed, "closed"},
                                              {S::Lapsed, "lapsed"}});
  expect_functions_read(
      kApplicationStateNames, [](S s) { return to_string(s); },
      [](std::string_view t, S& out) { return parse_state(t, out); });
  EXPECT_EQ(french(S::UnderInstruction), "en instruction");
  EXPECT_EQ(french(S::Closed), "soldé");
}

TEST(EnumNames, ApplicationEvent) {
  using E = ApplicationEvent;
  expect_well_formed(kApplicationEventNames, {{E::Submit, "submit"},
                                              {E::DeclareIncomplete, "declare_incomplete"},
                                              {E::Complete, "complete"},
                                              {E::StartInstruction, "start_instruction"},
                                              {E::Propose, "propose"},
                                              {E::Reopen, "reopen"},
                                              {E::Reduce, "reduce"},
                                              {E::Award, "award"},
                                              {E::Refuse, "refuse"},
                                              {E::Withdraw, "withdraw"},
                                              {E::Close, "close"},
                                              {E::Lapse, "lapse"},
                                              {E::RequestApproval, "request_approval"},
                                              {E::Approve, "approve"},
                                              {E::SendBack, "send_back"}});
  expect_functions_read(
      kApplicationEventNames, [](E e) { return to_string(e); },
      [](std::string_view t, E& out) { return parse_event(t, out); });
  EXPECT_EQ(french(E::Lapse), "caducité");
}

TEST(EnumNames, Origin) {
  expect_well_formed(kOriginNames, {{Origin::User, "user"}, {Origin::Act, "act"}});
  EXPECT_EQ(to_string(Origin::Act), "act");
}

TEST(EnumNames, MovementKind) {
  using M = MovementKind;
  expect_well_formed(kMovementKindNames, {{M::VoteAuthorisation, "vote_ae"},
                                          {M::VotePayment, "vote_cp"},
                                          {M::Allocation, "allocation"},
                                          {M::Release, "release"},
                                          {M::Commitment, "commitment"},
                                          {M::PaymentOrder, "payment_order"},
                                          {M::Decommitment, "decommitment"},
                                          {M::CpConsumption, "cp_consumption"},
                                          {M::LapseRelease, "lapse_release"},
                                          {M::Reversal, "reversal"}});
  expect_functions_read(
      kMovementKindNames, [](M m) { return to_string(m); },
      [](std::string_view t, M& out) { return parse_movement_kind(t, out); });
  EXPECT_EQ(french(M::PaymentOrder), "mandat");
}

TEST(EnumNames, Nomenclature) {
  expect_well_formed(kNomenclatureNames, {{Nomenclature::M57, "M57"}, {Nomenclature::M71, "M71"}});
  expect_functions_read(
      kNomenclatureNames, [](Nomenclature n) { return to_string(n); },
      [](std::string_view t, Nomenclature& out) { return parse_nomenclature(t, out); });
}

TEST(EnumNames, Body) {
  expect_well_formed(kBodyNames,
                     {{Body::StandingCommittee, "standing_committee"}, {Body::Council, "council"}});
  expect_functions_read(
      kBodyNames, [](Body b) { return to_string(b); },
      [](std::string_view t, Body& out) { return parse_body(t, out); });
  Body b = Body::StandingCommittee;
  EXPECT_TRUE(parse_body("cr", b));  // the abbreviations stay accepted
  EXPECT_EQ(b, Body::Council);
  EXPECT_TRUE(parse_body("cp", b));
  EXPECT_EQ(b, Body::StandingCommittee);
  EXPECT_EQ(french(Body::Council), "conseil régional");
}

TEST(EnumNames, ArticleKind) {
  using K = ArticleKind;
  expect_well_formed(kArticleKindNames, {{K::SchemeAwards, "scheme_awards"},
                                         {K::Tranche, "tranche"},
                                         {K::Direct, "direct"},
                                         {K::Transfer, "transfer"},
                                         {K::AmountChange, "amount_change"},
                                         {K::Extension, "extension"}});
  expect_functions_read(
      kArticleKindNames, [](K k) { return to_string(k); },
      [](std::string_view t, K& out) { return parse_article_kind(t, out); });
}

TEST(EnumNames, ReportState) {
  expect_well_formed(kReportStateNames,
                     {{ReportState::Draft, "draft"}, {ReportState::Adopted, "adopted"}});
  EXPECT_EQ(to_string(ReportState::Adopted), "adopted");
  EXPECT_EQ(french(ReportState::Draft), "en préparation");
}

TEST(EnumNames, PaymentKind) {
  using P = PaymentKind;
  expect_well_formed(kPaymentKindNames,
                     {{P::Advance, "advance"}, {P::Interim, "interim"}, {P::Balance, "balance"}});
  expect_functions_read(
      kPaymentKindNames, [](P p) { return to_string(p); },
      [](std::string_view t, P& out) { return parse_payment_kind(t, out); });
  EXPECT_EQ(french(P::Interim), "acompte");
}

TEST(EnumNames, ResourceKind) {
  using R = ResourceKind;
  expect_well_formed(kResourceKindNames, {{R::SelfFunding, "self_funding"},
                                          {R::Authority, "authority"},
                                          {R::OtherPublic, "other_public"},
                                          {R::Loan, "loan"},
                                          {R::Private, "private"},
                                          {R::Other, "other"}});
  expect_functions_read(
      kResourceKindNames, [](R r) { return to_string(r); },
      [](std::string_view t, R& out) { return parse_resource_kind(t, out); });
  EXPECT_EQ(french(R::SelfFunding), "Autofinancement");
}

TEST(EnumNames, AwardRuleEnums) {
  expect_well_formed(kAmountBasisNames,
                     {{AmountBasis::ExclTax, "HT"}, {AmountBasis::InclTax, "TTC"}});
  EXPECT_EQ(to_string(AmountBasis::ExclTax), "HT");
  expect_well_formed(kAwardKindNames, {{AwardKind::Rate, "rate"}, {AwardKind::Fixed, "fixed"}});
  expect_functions_read(
      kAwardKindNames, [](AwardKind k) { return to_string(k); },
      [](std::string_view t, AwardKind& out) { return parse_award_kind(t, out); });
  expect_well_formed(kBaseRequirementNames, {{BaseRequirement::ByVatRecovery, "by_vat_recovery"},
                                             {BaseRequirement::ExclTax, "ht"},
                                             {BaseRequirement::InclTax, "ttc"}});
  expect_functions_read(
      kBaseRequirementNames, [](BaseRequirement b) { return to_string(b); },
      [](std::string_view t, BaseRequirement& out) { return parse_base_requirement(t, out); });
}

TEST(EnumNames, BudgetSection) {
  expect_well_formed(kBudgetSectionNames, {{BudgetSection::Operating, "operating"},
                                           {BudgetSection::Investment, "investment"}});
  expect_functions_read(
      kBudgetSectionNames, [](BudgetSection s) { return to_string(s); },
      [](std::string_view t, BudgetSection& out) { return parse_budget_section(t, out); });
  BudgetSection s = BudgetSection::Operating;
  EXPECT_TRUE(parse_budget_section("investissement", s));  // the French label too
  EXPECT_EQ(s, BudgetSection::Investment);
  EXPECT_EQ(french(BudgetSection::Operating), "fonctionnement");
}

TEST(EnumNames, AidRegime) {
  expect_well_formed(kAidRegimeNames, {{AidRegime::None, "none"},
                                       {AidRegime::DeMinimis1407, "de_minimis_1407_2013"},
                                       {AidRegime::DeMinimis2831, "de_minimis_2023_2831"},
                                       {AidRegime::Sieg360, "sieg_360_2012"},
                                       {AidRegime::Gber, "gber_651_2014"}});
  expect_functions_read(
      kAidRegimeNames, [](AidRegime r) { return to_string(r); },
      [](std::string_view t, AidRegime& out) { return parse_aid_regime(t, out); });
}

TEST(EnumNames, StateAidStage) {
  // The database's CHECK (stage IN ('instruction', 'vote')) names these two codes.
  expect_well_formed(kStateAidStageNames,
                     {{StateAidStage::Instruction, "instruction"}, {StateAidStage::Vote, "vote"}});
  expect_functions_read(
      kStateAidStageNames, [](StateAidStage s) { return to_string(s); },
      [](std::string_view t, StateAidStage& out) { return parse_state_aid_stage(t, out); });
}

TEST(EnumNames, Signatory) {
  expect_well_formed(kSignatoryNames, {{Signatory::Beneficiary, "beneficiary"},
                                       {Signatory::Authority, "authority"}});
  expect_functions_read(
      kSignatoryNames, [](Signatory s) { return to_string(s); },
      [](std::string_view t, Signatory& out) { return parse_signatory(t, out); });
  for (const char* typed : {"beneficiaire", "bénéficiaire"}) {
    Signatory s = Signatory::Authority;
    EXPECT_TRUE(parse_signatory(typed, s)) << typed;
    EXPECT_EQ(s, Signatory::Beneficiary) << typed;
  }
  for (const char* typed : {"collectivite", "collectivité"}) {
    Signatory s = Signatory::Beneficiary;
    EXPECT_TRUE(parse_signatory(typed, s)) << typed;
    EXPECT_EQ(s, Signatory::Authority) << typed;
  }
}

}  // namespace
}  // namespace octroi
