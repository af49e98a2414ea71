// Refusals after the reference demonstration: each returns its stable code and field and leaves
// the database content exactly as it was; accepted edits change the computed award as the rule
// says and append exactly one history row and one audit row each. Also the database's own
// guards (append-only triggers, CHECK constraints), tried directly in SQL on the store under
// test (SQLite or PostgreSQL).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "integration/refusals_support.h"

namespace octroi_test {
namespace {

// ---- Financing plan -------------------------------------------------------------------------

TEST_F(Refusals, UnbalancedPlanUnderInstruction) {
  reopen("EX070162");
  EXPECT_TRUE(RefusedUnchanged(edit("EX070162", {expense(1, "11000")}), "plan.unbalanced", "plan"));
  // Unchanged, seen through the use cases too.
  EXPECT_EQ(show("EX070162").plan.expenses[0].amount, euros(10580));
}

TEST_F(Refusals, PlanOfAProposedDossierIsNotEditable) {
  EXPECT_TRUE(
      RefusedUnchanged(edit("EX070162", {expense(1, "9000")}), "application.not_editable", "plan"));
  // Balanced or not, an awarded dossier's plan cannot change either.
  EXPECT_TRUE(RefusedUnchanged(edit("EX065392", {expense(1, "131500"), resource(2, "7600")}),
                               "application.not_editable", "plan"));
}

TEST_F(Refusals, NegativeAmount) {
  reopen("EX070162");
  EXPECT_TRUE(RefusedUnchanged(edit("EX070162", {expense(1, "-5")}), "plan.amount_not_positive",
                               "plan.expenses[1].amount"));
}

TEST_F(Refusals, ZeroAmount) {
  reopen("EX070162");
  EXPECT_TRUE(RefusedUnchanged(edit("EX070162", {resource(2, "0")}), "plan.amount_not_positive",
                               "plan.resources[2].amount"));
}

TEST_F(Refusals, AbsurdAmountIsRefusedByTheMoneyParser) {
  reopen("EX070162");
  EXPECT_TRUE(RefusedUnchanged(edit("EX070162", {expense(1, "99999999999999")}), "amount.invalid",
                               "plan.expenses[1].amount"));
}

TEST_F(Refusals, AmountAboveTheLineMaximum) {
  // Parses (below 10^12 €) but is above the 10 000 000 000 € a line may hold.
  reopen("EX070162");
  EXPECT_TRUE(
      RefusedUnchanged(edit("EX070162", {expense(1, "99999999999"), resource(1, "99999992999")}),
                       "plan.amount_absurd", "plan.expenses[1].amount"));
}

TEST_F(Refusals, ThreeDecimalsAreNotAnAmount) {
  reopen("EX070162");
  EXPECT_TRUE(RefusedUnchanged(edit("EX070162", {expense(1, "12,345")}), "amount.invalid",
                               "plan.expenses[1].amount"));
}

TEST_F(Refusals, NoSuchLine) {
  reopen("EX070162");
  EXPECT_TRUE(RefusedUnchanged(edit("EX070162", {expense(3, "100")}), "plan.no_such_line",
                               "plan.expenses[3]"));
}

TEST_F(Refusals, OneBadChangeRefusesTheWholeEdit) {
  // The first change alone would keep the plan balanced; the second is refused: nothing applies.
  reopen("EX070162");
  EXPECT_TRUE(RefusedUnchanged(
      edit("EX070162", {expense(1, "12000"), resource(1, "9200"), resource(2, "abc")}),
      "amount.invalid", "plan.resources[2].amount"));
}

TEST_F(Refusals, UnknownDossier) {
  EXPECT_TRUE(
      RefusedUnchanged(edit("EX000001", {expense(1, "100")}), "application.unknown", "number"));
}

// ---- Applications ---------------------------------------------------------------------------

TEST_F(Refusals, UnknownScheme) {
  auto in = new_dossier("EX070200");
  in.scheme_number = "99999999";
  EXPECT_TRUE(RefusedUnchanged(create(in), "scheme.unknown", "scheme"));
}

TEST_F(Refusals, UnknownParty) {
  auto in = new_dossier("EX070200");
  in.party_id = 9999;
  EXPECT_TRUE(RefusedUnchanged(create(in), "party.unknown", "party"));
}

TEST_F(Refusals, DuplicateApplicationNumber) {
  EXPECT_TRUE(RefusedUnchanged(create(new_dossier("EX070162")), "application.exists", "number"));
}

TEST_F(Refusals, AwardOnADraftIsNotATransition) {
  auto created = write(create(new_dossier("EX070200")));
  ASSERT_TRUE(created.ok()) << created.refusal().describe();
  ASSERT_EQ(created->state(), octroi::ApplicationState::Draft);
  EXPECT_TRUE(RefusedUnchanged(
      [](Transaction& tx, const Context& ctx) {
        EventInput in;
        in.event = "award";
        in.deliberation = "CP 2023-040";
        in.deliberation_date = "2023-01-25";
        return octroi::apply_application_event(tx, ctx, "EX070200", in);
      },
      "workflow.transition", "event"));
}

TEST_F(Refusals, SubmitOnAProposedDossierIsNotATransition) {
  EXPECT_TRUE(RefusedUnchanged(event("EX070158", "submit"), "workflow.transition", "event"));
}

TEST_F(Refusals, ReopenWithoutReason) {
  EXPECT_TRUE(RefusedUnchanged(event("EX070158", "reopen"), "workflow.reason_required", "reason"));
  EXPECT_TRUE(
      RefusedUnchanged(event("EX070158", "reopen", "   "), "workflow.reason_required", "reason"));
}

TEST_F(Refusals, UnknownEvent) {
  EXPECT_TRUE(
      RefusedUnchanged(event("EX070158", "countersign"), "workflow.unknown_event", "event"));
}

// ---- Parties --------------------------------------------------------------------------------

TEST_F(Refusals, SiretFailingLuhn) {
  auto p = new_party();
  p.siret = "80156829600012";
  EXPECT_TRUE(RefusedUnchanged(register_(p), "siret.luhn", "siret"));
}

TEST_F(Refusals, InvalidPostalCode) {
  auto p = new_party();
  p.postal_code = "7500";
  EXPECT_TRUE(RefusedUnchanged(register_(p), "postal_code.format", "address.postal_code"));
  p.postal_code = "75OO1";
  EXPECT_TRUE(RefusedUnchanged(register_(p), "postal_code.format", "address.postal_code"));
}

TEST_F(Refusals, DuplicateSiren) {
  auto p = new_party();
  p.siren = "801568296";  // SAS SCIC Casaco, already registered by the demo
  EXPECT_TRUE(RefusedUnchanged(register_(p), "party.exists", "siren"));
  // Given as a 9-digit "SIRET", as the seed prints it: still the same SIREN.
  p.siren.clear();
  p.siret = "910876390";  // SCI 6 avenue JJ
  EXPECT_TRUE(RefusedUnchanged(register_(p), "party.exists", "siren"));
}

TEST_F(Refusals, NineDigitSiretIsRegisteredAsSirenWithAWarning) {
  const auto parties_before = count_rows(db_, "parties");
  const auto audit_before = count_rows(db_, "audit_log");
  auto p = new_party();
  p.siret = "732829320";
  auto r = write(register_(p));
  ASSERT_TRUE(r.ok()) << r.refusal().describe();
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_EQ(r->warnings[0].code, "siret.is_siren");
  EXPECT_EQ(r->warnings[0].field, "siret");
  EXPECT_EQ(r->party.siren, "732829320");
  EXPECT_EQ(r->party.siret, "");
  EXPECT_EQ(count_rows(db_, "parties"), parties_before + 1);
  EXPECT_EQ(count_rows(db_, "audit_log"), audit_before + 1);
  const auto stored = query(db_,
                            "SELECT siren, siret, legal_name, departement FROM parties "
                            "WHERE id = " +
                                std::to_string(r->party.id.value));
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0], (std::vector<std::string>{"732829320", "", "Commune de Test", "75"}));
  const auto audit = query(db_,
                           "SELECT action, entity, entity_key, actor, at FROM audit_log "
                           "ORDER BY seq DESC LIMIT 1");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0],
            (std::vector<std::string>{"party.register", "party", std::to_string(r->party.id.value),
                                      "test:instructeur", FixedClock::kNow}));
}

// ---- Schemes --------------------------------------------------------------------------------

TEST_F(Refusals, RateAboveOneHundredPercent) {
  EXPECT_TRUE(
      RefusedUnchanged(create_scheme(new_scheme("00009999", "150")), "rate.invalid", "rule.rate"));
}

TEST_F(Refusals, DuplicateSchemeNumber) {
  EXPECT_TRUE(
      RefusedUnchanged(create_scheme(new_scheme("00001176", "50")), "scheme.exists", "number"));
}

// ---- Accepted edits -------------------------------------------------------------------------

TEST_F(Refusals, BalancedEditsUnderInstructionChangeTheAward) {
  const auto events0 = count_rows(db_, "application_events");
  const auto audit0 = count_rows(db_, "audit_log");
  reopen("EX070162");
  EXPECT_EQ(count_rows(db_, "application_events"), events0 + 1);
  EXPECT_EQ(count_rows(db_, "audit_log"), audit0 + 1);

  // 12 000 + 4 200 = 16 200 = 9 200 + 7 000. min(7 000 requested, 8 100, 8 000) = 7 000.
  auto r1 = write(edit("EX070162", {expense(1, "12 000,00"), resource(1, "9200")}));
  ASSERT_TRUE(r1.ok()) << r1.refusal().describe();
  auto v1 = show("EX070162");
  EXPECT_EQ(v1.plan.total_expenses, euros(16200));
  EXPECT_EQ(v1.plan.total_resources, euros(16200));
  EXPECT_EQ(v1.plan.eligible_base, euros(16200));
  EXPECT_EQ(v1.plan.requested, euros(7000));
  ASSERT_TRUE(v1.award.has_value());
  EXPECT_EQ(v1.award->amount, euros(7000));
  EXPECT_TRUE(v1.award->limited_by_request);
  // 12 000 / 16 200 = 74,074 % -> 74,07 %; 4 200 / 16 200 = 25,926 % -> 25,93 %.
  EXPECT_EQ(v1.plan.expenses[0].share_bp, 7407);
  EXPECT_EQ(v1.plan.expenses[1].share_bp, 2593);
  EXPECT_EQ(count_rows(db_, "application_events"), events0 + 2);
  EXPECT_EQ(count_rows(db_, "audit_log"), audit0 + 2);

  // 8 200 + 8 000 = 16 200. min(8 000 requested, 8 100, 8 000 cap) = 8 000.
  auto r2 = write(edit("EX070162", {resource(2, "8000"), resource(1, "8200")}));
  ASSERT_TRUE(r2.ok()) << r2.refusal().describe();
  auto v2 = show("EX070162");
  EXPECT_EQ(v2.plan.requested, euros(8000));
  ASSERT_TRUE(v2.award.has_value());
  EXPECT_EQ(v2.award->amount, euros(8000));
  EXPECT_TRUE(v2.award->capped);
  EXPECT_FALSE(v2.award->limited_by_request);

  // 12 000 + 2 000 = 14 000 = 6 000 + 8 000. min(8 000, 7 000, 8 000) = 7 000: the rate decides.
  auto r3 = write(edit("EX070162", {expense(2, "2000"), resource(1, "6000")}));
  ASSERT_TRUE(r3.ok()) << r3.refusal().describe();
  auto v3 = show("EX070162");
  EXPECT_EQ(v3.plan.eligible_base, euros(14000));
  ASSERT_TRUE(v3.award.has_value());
  EXPECT_EQ(v3.award->amount, euros(7000));
  EXPECT_FALSE(v3.award->capped);
  EXPECT_FALSE(v3.award->limited_by_request);

  EXPECT_EQ(count_rows(db_, "application_events"), events0 + 4);
  EXPECT_EQ(count_rows(db_, "audit_log"), audit0 + 4);

  // What the history and the audit trail say about the last four steps.
  const auto events = query(db_,
                            "SELECT e.event, e.from_state, e.to_state, e.reason, e.actor, e.at "
                            "FROM application_events e JOIN applications a "
                            "ON a.id = e.application_id WHERE a.number = 'EX070162' "
                            "ORDER BY e.id DESC LIMIT 4");
  ASSERT_EQ(events.size(), 4u);
  const std::vector<std::string> edit_row = {"plan_edit", "under_instruction", "under_instruction",
                                             "",          "test:instructeur",  FixedClock::kNow};
  EXPECT_EQ(events[0], edit_row);
  EXPECT_EQ(events[1], edit_row);
  EXPECT_EQ(events[2], edit_row);
  EXPECT_EQ(events[3], (std::vector<std::string>{"reopen", "proposed", "under_instruction",
                                                 "Plan de financement à corriger",
                                                 "test:instructeur", FixedClock::kNow}));
  const auto audit = query(db_,
                           "SELECT action, entity, entity_key, before <> '' AND after <> '' "
                           "AND before <> after FROM audit_log ORDER BY seq DESC LIMIT 4");
  ASSERT_EQ(audit.size(), 4u);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(audit[static_cast<std::size_t>(i)],
              (std::vector<std::string>{"application.plan_edit", "application", "EX070162", "1"}));
  EXPECT_EQ(audit[3],
            (std::vector<std::string>{"application.reopen", "application", "EX070162", "1"}));

  // The stored lines are what was typed, in cents.
  const auto lines = query(db_,
                           "SELECT side, position, amount_cents FROM plan_lines l JOIN "
                           "applications a ON a.id = l.application_id WHERE a.number = "
                           "'EX070162' ORDER BY side, position");
  EXPECT_EQ(lines, (std::vector<std::vector<std::string>>{{"expense", "1", "1200000"},
                                                          {"expense", "2", "200000"},
                                                          {"resource", "1", "600000"},
                                                          {"resource", "2", "800000"}}));

  // And the dossier can be proposed again, at the new amount.
  auto proposed = write(event("EX070162", "propose"));
  ASSERT_TRUE(proposed.ok()) << proposed.refusal().describe();
  ASSERT_TRUE(proposed->proposed_award.has_value());
  EXPECT_EQ(*proposed->proposed_award, euros(7000));
}

TEST_F(Refusals, OtherDossiersAreUntouchedByAnEdit) {
  const auto others = [&] {
    return query(db_,
                 "SELECT a.number, a.state, l.side, l.position, l.amount_cents FROM plan_lines "
                 "l JOIN applications a ON a.id = l.application_id WHERE a.number <> "
                 "'EX070162' ORDER BY a.number, l.side, l.position");
  };
  const auto before = others();
  reopen("EX070162");
  auto r = write(edit("EX070162", {expense(1, "12000"), resource(1, "9200")}));
  ASSERT_TRUE(r.ok()) << r.refusal().describe();
  EXPECT_EQ(others(), before);
  EXPECT_EQ(before.size(), 4u + 3u + 1u + 2u + 4u + 5u);  // the other dossiers' lines
}

TEST_F(Refusals, DumpSeesAnAcceptedChange) {
  // The control for every "unchanged" assertion above: an accepted use case shows in the dump.
  const std::string before = dump_database(db_);
  reopen("EX070158");
  const std::string after = dump_database(db_);
  EXPECT_NE(before, after);
  EXPECT_NE(first_difference(before, after).find("under_instruction"), std::string::npos)
      << first_difference(before, after);
}

// ---- The database's own guards --------------------------------------------------------------

class DatabaseGuards : public DemoDatabaseTest {};

TEST_F(DatabaseGuards, AuditLogIsAppendOnly) {
  ASSERT_GT(count_rows(db_, "audit_log"), 0);
  const std::string before = dump_database(db_);
  std::string msg;
  EXPECT_EQ(exec_sql(db_, "UPDATE audit_log SET actor = 'pirate' WHERE seq = 1", &msg),
            SqlOutcome::Constraint);
  EXPECT_NE(msg.find("append-only"), std::string::npos) << msg;
  EXPECT_EQ(exec_sql(db_, "DELETE FROM audit_log WHERE seq = 1", &msg), SqlOutcome::Constraint);
  EXPECT_NE(msg.find("append-only"), std::string::npos) << msg;
  EXPECT_EQ(exec_sql(db_, "DELETE FROM audit_log", &msg), SqlOutcome::Constraint);
  const std::string after = dump_database(db_);
  EXPECT_EQ(before, after) << first_difference(before, after);
}

TEST_F(DatabaseGuards, ApplicationEventsAreAppendOnly) {
  ASSERT_GT(count_rows(db_, "application_events"), 0);
  const std::string before = dump_database(db_);
  std::string msg;
  EXPECT_EQ(exec_sql(db_, "UPDATE application_events SET reason = 'x' WHERE id = 1", &msg),
            SqlOutcome::Constraint);
  EXPECT_NE(msg.find("append-only"), std::string::npos) << msg;
  EXPECT_EQ(exec_sql(db_, "DELETE FROM application_events WHERE id = 1", &msg),
            SqlOutcome::Constraint);
  EXPECT_NE(msg.find("append-only"), std::string::npos) << msg;
  const std::string after = dump_database(db_);
  EXPECT_EQ(before, after) << first_difference(before, after);
}

TEST_F(DatabaseGuards, AppendOnlyTablesStillAcceptInserts) {
  // The control for the two tests above: the triggers refuse changes, not additions.
  const auto n = count_rows(db_, "audit_log");
  const std::string authority = std::to_string(idf_.value);
  std::string msg;
  EXPECT_EQ(
      exec_sql(db_,
               "INSERT INTO audit_log (authority_id, authority_seq, at, actor, action, "
               "entity, entity_key, before, after, prev_hash, hash) SELECT " +
                   authority +
                   ", max(authority_seq) + 1, '2023-01-20T09:00:00Z', 't', 'a', 'e', 'k', "
                   "'', '', '', '" +
                   std::string(64, '0') + "' FROM audit_log WHERE authority_id = " + authority,
               &msg),
      SqlOutcome::Ok)
      << msg;
  EXPECT_EQ(count_rows(db_, "audit_log"), n + 1);
}

TEST_F(DatabaseGuards, PlanLineAmountsMustBePositive) {
  const std::string app_id =
      query(db_, "SELECT id FROM applications WHERE number = 'EX070162'").at(0).at(0);
  auto insert = [&](const std::string& amount, const std::string& position) {
    std::string msg;
    const SqlOutcome rc =
        exec_sql(db_,
                 "INSERT INTO plan_lines (authority_id, application_id, side, "
                 "position, label, amount_cents, eligible, resource_kind, "
                 "status) VALUES (" +
                     std::to_string(idf_.value) + ", " + app_id + ", 'expense', " + position +
                     ", 'Ligne', " + amount + ", TRUE, NULL, '')",
                 &msg);
    return std::make_pair(rc, msg);
  };
  const std::string before = dump_database(db_);
  auto zero = insert("0", "3");
  EXPECT_EQ(zero.first, SqlOutcome::Constraint) << zero.second;
  EXPECT_TRUE(mentions(zero.second, "check constraint")) << zero.second;
  auto negative = insert("-500", "3");
  EXPECT_EQ(negative.first, SqlOutcome::Constraint) << negative.second;
  EXPECT_TRUE(mentions(negative.second, "check constraint")) << negative.second;
  auto huge = insert("1000000000001", "3");
  EXPECT_EQ(huge.first, SqlOutcome::Constraint) << huge.second;
  EXPECT_TRUE(mentions(huge.second, "check constraint")) << huge.second;
  const std::string after = dump_database(db_);
  EXPECT_EQ(before, after) << first_difference(before, after);
  // The control: a positive amount at a free position goes in.
  auto fine = insert("500", "3");
  EXPECT_EQ(fine.first, SqlOutcome::Ok) << fine.second;
}

}  // namespace
}  // namespace octroi_test
