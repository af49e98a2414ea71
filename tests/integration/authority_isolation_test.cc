// Many authorities in one database (issue 5, item 6): every query is scoped to the authority it
// serves. A second authority (a département) is added next to the CP 2023-040 demonstration,
// with a budget line under the same key as one of the Region's; each side's reads, writes and
// audit trail must stay its own, through the use cases, through the store port itself, and
// through the CLI. Runs on SQLite and on PostgreSQL like every integration test.
#include <gtest/gtest.h>

#include <string>

#include "app/ports/applications.h"
#include "app/ports/audit.h"
#include "app/ports/ledger.h"
#include "app/ports/parties.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

using octroi::AuthorityId;
using octroi::Money;
using octroi::Transaction;

class AuthorityIsolationTest : public DemoDatabaseTest {
 protected:
  void SetUp() override {
    DemoDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    auto dep = octroi::run_write(*store_, [&](Transaction& tx) {
      return octroi::create_authority(tx, "test:admin", clock_,
                                      {"cd93", "Département de la Seine-Saint-Denis", "", "", ""});
    });
    ASSERT_TRUE(dep.ok()) << dep.refusal().describe();
    cd93_ = dep->id;
    // The same key as the Region's line 2023/16300302, in the département's own budget.
    auto line = octroi::run_write(*store_, [&](Transaction& tx) {
      return octroi::create_budget_line(tx, ctx93(),
                                        {"2023", "936-632-657341-163003-400", "M57", "Artisanat",
                                         "16300302", "Artisanat et TPE"});
    });
    ASSERT_TRUE(line.ok()) << line.refusal().describe();
    line93_ = line->id;
    auto voted = octroi::run_write(*store_, [&](Transaction& tx) {
      return octroi::vote_budget(
          tx, ctx93(), {"2023/16300302", "", "5000.00", "5000.00", "BP 2023 CD93", "", ""});
    });
    ASSERT_TRUE(voted.ok()) << voted.refusal().describe();
    auto party = octroi::run_write(*store_, [&](Transaction& tx) {
      octroi::PartyInput in;
      in.legal_name = "Commune de Montfermeil";
      return octroi::register_party(tx, ctx93(), in);
    });
    ASSERT_TRUE(party.ok()) << party.refusal().describe();
    party93_ = party->party.id.value;
  }

  octroi::Context ctx93() { return octroi::Context{cd93_, "test:cd93", &clock_}; }

  AuthorityId cd93_;
  octroi::BudgetLineId line93_;
  std::int64_t party93_ = 0;
};

TEST_F(AuthorityIsolationTest, SameLineKeyResolvesToEachAuthoritysOwnLine) {
  octroi::run_read(*store_, [&](Transaction& tx) {
    auto idf_line = octroi::budget_line_by_key(tx, idf_, "2023/16300302");
    auto dep_line = octroi::budget_line_by_key(tx, cd93_, "2023/16300302");
    EXPECT_TRUE(idf_line.ok() && dep_line.ok());
    EXPECT_NE(idf_line->id, dep_line->id);
    // The Region's line kept its demonstration vote; the département's has only its own.
    EXPECT_EQ(tx.ledger().line_balances(idf_, idf_line->id).ae_voted, Money::from_cents(100000000));
    EXPECT_EQ(tx.ledger().line_balances(cd93_, dep_line->id).ae_voted, Money::from_cents(500000));
    for (const auto& e : tx.ledger().ledger_journal(cd93_, dep_line->id))
      EXPECT_EQ(e.authority, cd93_);
    return 0;
  });
}

TEST_F(AuthorityIsolationTest, StorePortDoesNotReadAcrossAuthorities) {
  octroi::run_read(*store_, [&](Transaction& tx) {
    EXPECT_FALSE(tx.ledger().get_budget_line(idf_, line93_).has_value());
    EXPECT_FALSE(tx.parties().get_party(idf_, octroi::PartyId{party93_}).has_value());
    EXPECT_FALSE(tx.applications().find_application(cd93_, "EX070158").has_value());
    EXPECT_TRUE(tx.applications().list_applications(cd93_, {}).empty());
    EXPECT_TRUE(tx.ledger().ledger_journal(idf_, line93_).empty());
    EXPECT_THROW(tx.ledger().line_balances(idf_, line93_), octroi::StoreError);
    for (const auto& p : tx.parties().list_parties(cd93_))
      EXPECT_EQ(p.authority, cd93_);
    EXPECT_EQ(tx.parties().list_parties(cd93_).size(), 1u);
    return 0;
  });
}

TEST_F(AuthorityIsolationTest, StorePortRefusesToPostOnAnotherAuthoritysLine) {
  const std::string before = dump_database(db_);
  {
    auto tx = store_->begin(octroi::TxMode::Write);
    octroi::LedgerEntry e;
    e.authority = idf_;  // the Region…
    e.line = line93_;    // …posting on the département's line
    e.kind = octroi::MovementKind::VoteAuthorisation;
    e.amount = Money::from_cents(100);
    e.reference = "pirate";
    e.at = instant(FixedClock::kNow);
    e.actor = "test";
    EXPECT_THROW(tx->ledger().post_ledger_entry(e), octroi::StoreError);
  }  // rolled back
  const std::string after = dump_database(db_);
  EXPECT_EQ(before, after) << first_difference(before, after);
}

TEST_F(AuthorityIsolationTest, UseCasesOfOneAuthorityCannotReachTheOther) {
  const std::string before = dump_database(db_);
  // The département cannot see, edit or move the Region's dossier.
  auto shown = octroi::run_read(
      *store_, [&](Transaction& tx) { return octroi::show_application(tx, cd93_, "EX070158"); });
  ASSERT_FALSE(shown.ok());
  EXPECT_EQ(shown.refusal().first().code, "application.unknown");
  auto moved = octroi::run_write(*store_, [&](Transaction& tx) {
    octroi::EventInput in;
    in.event = "withdraw";
    return octroi::apply_application_event(tx, ctx93(), "EX070158", in);
  });
  EXPECT_FALSE(moved.ok());
  // The Region cannot allocate on a line only the département has.
  auto line = octroi::run_write(*store_, [&](Transaction& tx) {
    return octroi::create_budget_line(
        tx, ctx93(),
        {"2024", "936-632-657341-163003-400", "M57", "Artisanat", "16300302", "Artisanat et TPE"});
  });
  ASSERT_TRUE(line.ok()) << line.refusal().describe();
  const std::string with_line = dump_database(db_);
  auto allocated = write([&](Transaction& tx, const octroi::Context& ctx) {
    return octroi::allocate_budget(tx, ctx, {"2024/16300302", "10.00", "", "", "x", "", ""});
  });
  ASSERT_FALSE(allocated.ok());
  EXPECT_EQ(allocated.refusal().first().code, "budget.unknown_line");
  const std::string after = dump_database(db_);
  EXPECT_EQ(with_line, after) << first_difference(with_line, after);
  EXPECT_NE(before, with_line);
}

TEST_F(AuthorityIsolationTest, EachAuthorityHasItsOwnAuditChain) {
  octroi::run_read(*store_, [&](Transaction& tx) {
    const auto dep = tx.audit().audit_trail(cd93_);
    EXPECT_FALSE(dep.empty());
    if (dep.empty()) return 0;
    EXPECT_EQ(dep.front().authority_seq, 1);
    EXPECT_TRUE(dep.front().prev_hash.empty());
    for (const auto& e : dep)
      EXPECT_EQ(e.authority, cd93_);
    for (const auto& e : tx.audit().audit_trail(idf_))
      EXPECT_EQ(e.authority, idf_);
    EXPECT_TRUE(octroi::verify_audit(tx, cd93_, store_->hasher()).problems.empty());
    EXPECT_TRUE(octroi::verify_audit(tx, idf_, store_->hasher()).problems.empty());
    return 0;
  });
}

TEST_F(AuthorityIsolationTest, CliAsksWhichAuthorityAndShowsOnlyItsData) {
  const auto ambiguous = run_octroi({"application", "list", "--db", db_});
  EXPECT_EQ(ambiguous.status, 1) << ambiguous.err;
  EXPECT_NE(ambiguous.err.find("authority"), std::string::npos) << ambiguous.err;
  const auto dep =
      run_octroi({"application", "list", "--db", db_, "--authority", "cd93", "--json"});
  EXPECT_EQ(dep.status, 0) << dep.err;
  EXPECT_EQ(dep.out.find("EX0"), std::string::npos) << dep.out;
  const auto idf = run_octroi({"application", "list", "--db", db_, "--authority", "idf"});
  EXPECT_EQ(idf.status, 0) << idf.err;
  EXPECT_NE(idf.out.find("EX070158"), std::string::npos);
  const auto budget = run_octroi({"budget", "show", "--db", db_, "--authority", "cd93"});
  EXPECT_EQ(budget.status, 0) << budget.err;
  EXPECT_NE(budget.out.find("5" OCTROI_NNBSP "000,00"), std::string::npos) << budget.out;
  EXPECT_EQ(budget.out.find("2022/15600105"), std::string::npos) << budget.out;
}

}  // namespace
}  // namespace octroi_test
