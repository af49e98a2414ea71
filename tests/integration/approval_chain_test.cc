// Issue 18, finding 7: approval chains as data per scheme. A chain of two levels (the chef de
// service, who may send a dossier back, then the direction, who may not) between instruction
// and the committee: who gives which visa, in which order, once per agent; the last visa
// proposes the dossier; a return ends the round; the database holds the same rules when the
// code is bypassed. On the demonstration (the chèques numériques), on both stores.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "app/approvals.h"
#include "app/ports/workspace.h"
#include "common/db_dump.h"
#include "integration/web_page_support.h"

namespace octroi_test {
namespace {

using octroi::ApplicationState;
using octroi::Context;
using octroi::Role;
using octroi::Transaction;
constexpr auto Ok = octroi_testing::SqlOutcome::Ok;
constexpr auto Constraint = octroi_testing::SqlOutcome::Constraint;

const std::string kScheme = "00001176";  // chèque numérique, volet 2

class ApprovalChainTest : public WebPageTest {
 protected:
  void SetUp() override {
    WebPageTest::SetUp();
    if (HasFatalFailure()) return;
    add_users({{"instr", "instructor"},
               {"chef", "approver"},
               {"chef2", "approver"},
               {"dir", "administrator"},
               {"dir2", "administrator"}});
    api_ = std::make_unique<octroi::http::Api>(*store_, clock_, passwords_, tokens_);
  }

  // `login` acting with its role (and an instructor's service), as a session does; `channel`:
  // "web:" + login, or an API token's actor ("api:" + its label).
  Context as(const std::string& login, Context ctx, const std::string& channel = "") {
    const auto [role, id] = octroi::run_read(*store_, [&](Transaction& tx) {
      const auto u = tx.accounts().find_user(login);
      EXPECT_TRUE(u.has_value()) << login;
      return std::pair{u ? *octroi::parse_role(u->role) : Role::Reader, u ? u->id : 0};
    });
    ctx.actor = channel.empty() ? "web:" + login : channel;
    ctx.account = id;
    ctx.role = role;
    if (role == Role::Instructor) ctx.service = "Service de l'artisanat";
    return ctx;
  }

  octroi::Result<octroi::Application> event(const std::string& login, const std::string& number,
                                            const std::string& name, const std::string& reason = "",
                                            const std::string& amount = "",
                                            const std::string& channel = "") {
    return write([&](Transaction& tx, const Context& ctx) {
      octroi::EventInput in;
      in.event = name;
      in.reason = reason;
      in.amount = amount;
      return octroi::apply_application_event(tx, as(login, ctx, channel), number, in);
    });
  }

  void set_chain(const std::vector<octroi::ApprovalLevelInput>& levels) {
    auto r = write([&](Transaction& tx, const Context& ctx) {
      return octroi::set_approval_chain(tx, ctx, kScheme, levels);
    });
    ASSERT_TRUE(r.ok()) << r.refusal().describe();
  }

  // Two levels: the chef de service (may send back), then the direction (may not).
  void two_levels() {
    set_chain({{"Chef de service", "approver", true}, {"Direction", "administrator", false}});
  }

  // A proposed dossier of the demonstration taken back to instruction.
  void back_to_instruction(const std::string& number) {
    auto r = event("instr", number, "reopen", "Circuit de visa mis en place");
    ASSERT_TRUE(r.ok()) << r.refusal().describe();
    ASSERT_EQ(r->state(), ApplicationState::UnderInstruction);
  }

  void expect_refused(const octroi::Result<octroi::Application>& r, const std::string& code) {
    ASSERT_FALSE(r.ok()) << code;
    EXPECT_EQ(r.refusal().first().code, code) << r.refusal().describe();
    EXPECT_FALSE(r.refusal().first().message.empty());
  }

  std::string state_of(const std::string& number) {
    return query(db_, "SELECT state FROM applications WHERE number = '" + number + "'")[0][0];
  }
};

TEST_F(ApprovalChainTest, TwoLevelsGiveTheirVisasInOrderAndTheLastProposesTheDossier) {
  two_levels();
  back_to_instruction("EX070158");
  // With a chain the instructor no longer proposes straight to the committee.
  std::string before = dump_database(db_);
  expect_refused(event("instr", "EX070158", "propose"), "approval.required");
  EXPECT_EQ(dump_database(db_), before);

  auto r = event("instr", "EX070158", "request_approval");
  ASSERT_TRUE(r.ok()) << r.refusal().describe();
  EXPECT_EQ(r->state(), ApplicationState::AwaitingApproval);
  EXPECT_EQ(r->proposed_award, octroi::Money::from_cents(800000));
  // The approvers' queue finds it.
  octroi::ApplicationSearch waiting;
  waiting.queue = "au_visa";
  EXPECT_EQ(found_numbers(waiting), std::vector<std::string>{"EX070158"});

  // Refusals, each leaving everything as it was: the instructor holds no level; the requester
  // never gives a visa of their own request; the chain does not change while a dossier waits;
  // the direction's level is not a chef's.
  before = dump_database(db_);
  expect_refused(event("instr", "EX070158", "approve"), "approval.role");
  auto busy = write([&](Transaction& tx, const Context& ctx) {
    return octroi::set_approval_chain(tx, ctx, kScheme, {});
  });
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.refusal().first().code, "approval.busy");
  EXPECT_EQ(dump_database(db_), before);

  // The report page does not lower a dossier awaiting its visas (it is in article 2 of CP
  // 2023-040): its awaited level does.
  auto lowered = write([&](Transaction& tx, const Context& ctx) {
    return octroi::decide_lower_amount(tx, ctx, "CP 2023-040", "EX070158", "5000", "Commission");
  });
  ASSERT_FALSE(lowered.ok());
  EXPECT_EQ(lowered.refusal().first().code, "report.not_proposed");

  r = event("chef", "EX070158", "approve");
  ASSERT_TRUE(r.ok()) << r.refusal().describe();
  EXPECT_EQ(r->state(), ApplicationState::AwaitingApproval);
  before = dump_database(db_);
  expect_refused(event("chef", "EX070158", "approve"), "approval.role");  // level 2: direction
  expect_refused(event("dir", "EX070158", "send_back", "À revoir"), "approval.no_return");
  expect_refused(event("dir", "EX070158", "propose"), "approval.pending");
  EXPECT_EQ(dump_database(db_), before);

  r = event("dir", "EX070158", "approve");
  ASSERT_TRUE(r.ok()) << r.refusal().describe();
  EXPECT_EQ(r->state(), ApplicationState::Proposed);
  EXPECT_EQ(state_of("EX070158"), "proposed");

  // The chain's rows, and the dossier's history: the visa, then the proposal it made.
  EXPECT_EQ(query(db_,
                  "SELECT v.round, v.level, v.decision, v.actor FROM application_visas v JOIN "
                  "applications a ON a.id = v.application_id WHERE a.number = 'EX070158' "
                  "ORDER BY v.round, v.level"),
            (std::vector<std::vector<std::string>>{{"1", "0", "requested", "web:instr"},
                                                   {"1", "1", "approved", "web:chef"},
                                                   {"1", "2", "approved", "web:dir"}}));
  const auto events = query(db_,
                            "SELECT e.event, e.from_state, e.to_state FROM application_events e "
                            "JOIN applications a ON a.id = e.application_id WHERE a.number = "
                            "'EX070158' ORDER BY e.id DESC LIMIT 2");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0], (std::vector<std::string>{"propose", "awaiting_approval", "proposed"}));
  EXPECT_EQ(events[1],
            (std::vector<std::string>{"approve", "awaiting_approval", "awaiting_approval"}));
  // As the API reads it: the chain complete, nothing awaited.
  const auto st = octroi::run_read(*store_, [&](Transaction& tx) {
    return octroi::approval_of(tx, context().authority, "EX070158");
  });
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->round, 1);
  EXPECT_EQ(st->given, 2);
  EXPECT_FALSE(st->awaited.has_value());
}

TEST_F(ApprovalChainTest, ASendBackEndsTheRoundAndTheNextRequestOpensAnother) {
  two_levels();
  back_to_instruction("EX070162");
  ASSERT_TRUE(event("instr", "EX070162", "request_approval").ok());
  // An approver lowers the amount while it waits: with a reason, never above.
  expect_refused(event("chef", "EX070162", "reduce", "", "5000"), "workflow.reason_required");
  auto r = event("chef", "EX070162", "reduce", "Dépenses de formation non retenues", "5000");
  ASSERT_TRUE(r.ok()) << r.refusal().describe();
  EXPECT_EQ(r->proposed_award, octroi::Money::from_cents(500000));
  expect_refused(event("chef", "EX070162", "send_back"), "workflow.reason_required");
  r = event("chef", "EX070162", "send_back", "Le devis de l'hébergeur manque");
  ASSERT_TRUE(r.ok()) << r.refusal().describe();
  EXPECT_EQ(r->state(), ApplicationState::UnderInstruction);
  EXPECT_FALSE(r->proposed_award.has_value());
  // Round 2, asked by an administrator: never the visa of a request of one's own, whatever
  // one's role; the same chef may give the visa of a new round.
  ASSERT_TRUE(event("dir", "EX070162", "request_approval").ok());
  expect_refused(event("dir", "EX070162", "approve"), "approval.same_agent");
  ASSERT_TRUE(event("chef", "EX070162", "approve").ok());
  expect_refused(event("dir", "EX070162", "approve"), "approval.same_agent");
  ASSERT_TRUE(event("dir2", "EX070162", "approve").ok());
  EXPECT_EQ(state_of("EX070162"), "proposed");
  EXPECT_EQ(query(db_,
                  "SELECT v.round, v.level, v.decision, v.comment FROM application_visas v JOIN "
                  "applications a ON a.id = v.application_id WHERE a.number = 'EX070162' "
                  "ORDER BY v.round, v.level"),
            (std::vector<std::vector<std::string>>{
                {"1", "0", "requested", ""},
                {"1", "1", "returned", "Le devis de l'hébergeur manque"},
                {"2", "0", "requested", ""},
                {"2", "1", "approved", ""},
                {"2", "2", "approved", ""}}));
  // A copy of the database brings the chain and its two rounds as they are, though the dossier
  // has left the state they were given in.
  octroi_testing::TestDatabase copy(dir_.path(), "copie");
  const auto copied = run_octroi({"db", "copy", "--from", db_, "--to", copy.locator()});
  ASSERT_EQ(copied.status, 0) << copied.err << copied.out;
  const std::string visas =
      "SELECT application_id, round, level, decision, actor FROM "
      "application_visas ORDER BY id";
  EXPECT_EQ(query(copy.locator(), visas), query(db_, visas));
  EXPECT_EQ(octroi_testing::count_rows(copy.locator(), "scheme_approval_levels"), 2);
  EXPECT_EQ(octroi_testing::count_rows(copy.locator(), "copy_in_progress"), 0);
}

// One person is one agent whatever the channel: the chef who gave the first visa on the page
// gives no second one through an API token of his, nor lowers or refuses at the next level.
TEST_F(ApprovalChainTest, AnAgentActsOnceARoundWhateverTheChannel) {
  set_chain({{"Chef de service", "approver", true}, {"Chef de pôle", "approver", true}});
  back_to_instruction("EX070158");
  ASSERT_TRUE(event("instr", "EX070158", "request_approval").ok());
  ASSERT_TRUE(event("chef", "EX070158", "approve").ok());
  const std::string before = dump_database(db_);
  expect_refused(event("chef", "EX070158", "approve", "", "", "api:traitement-du-soir"),
                 "approval.same_agent");
  expect_refused(event("chef", "EX070158", "reduce", "Trop élevé", "5000"), "approval.same_agent");
  expect_refused(event("chef", "EX070158", "refuse", "Hors critères"), "approval.same_agent");
  EXPECT_EQ(dump_database(db_), before);
  // The database says the same of a row that names the account under another actor.
  const std::string chef = query(db_, "SELECT id FROM users WHERE login = 'chef'")[0][0];
  EXPECT_EQ(exec_sql(db_,
                     "INSERT INTO application_visas (authority_id, application_id, round, "
                     "level, decision, actor, user_id, given_on, given_at) SELECT "
                     "authority_id, id, 1, 2, 'approved', 'api:autre', " +
                         chef +
                         ", '2023-01-10', '2023-01-10T10:00:00Z' FROM applications WHERE "
                         "number = 'EX070158'"),
            Constraint);
  EXPECT_EQ(dump_database(db_), before);
  ASSERT_TRUE(event("chef2", "EX070158", "approve").ok());
  EXPECT_EQ(state_of("EX070158"), "proposed");
}

TEST_F(ApprovalChainTest, TheChainIsCheckedWhenItIsSetAndAudited) {
  const std::string before = dump_database(db_);
  auto bad = write([&](Transaction& tx, const Context& ctx) {
    return octroi::set_approval_chain(tx, ctx, kScheme,
                                      {{"Chef de service", "approver", true},
                                       {"", "administrator", true},
                                       {"Lecture", "reader", true}});
  });
  ASSERT_FALSE(bad.ok());
  std::vector<std::string> fields;
  for (const auto& p : bad.refusal().problems)
    fields.push_back(p.code + " " + p.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"text.required levels[1].label",
                                              "approval.role_unknown levels[2].role"}))
      << bad.refusal().describe();
  auto too_long = write([&](Transaction& tx, const Context& ctx) {
    return octroi::set_approval_chain(
        tx, ctx, kScheme, std::vector<octroi::ApprovalLevelInput>(10, {"Visa", "approver", true}));
  });
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.refusal().first().code, "approval.too_many");
  auto unknown = write([&](Transaction& tx, const Context& ctx) {
    return octroi::set_approval_chain(tx, ctx, "99999999", {});
  });
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(dump_database(db_), before);
  two_levels();
  const auto audit = query(db_,
                           "SELECT before, after FROM audit_log WHERE action = "
                           "'scheme.approval_chain' AND entity_key = '" +
                               kScheme + "'");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0][0], "{\"approval_chain\":[]}");
  EXPECT_NE(audit[0][1].find("\"label\":\"Direction\",\"role\":\"administrator\","
                             "\"may_return\":false"),
            std::string::npos)
      << audit[0][1];
  // Without a chain, request_approval is refused and propose works as before.
  set_chain({});
  back_to_instruction("EX070158");
  expect_refused(event("instr", "EX070158", "request_approval"), "approval.no_chain");
  EXPECT_TRUE(event("instr", "EX070158", "propose").ok());
}

TEST_F(ApprovalChainTest, TheDatabaseHoldsTheChainWhenTheCodeIsBypassed) {
  two_levels();
  back_to_instruction("EX070158");
  // Straight to the committee past the chain.
  EXPECT_EQ(exec_sql(db_,
                     "UPDATE applications SET state = 'proposed' WHERE number = "
                     "'EX070158'"),
            Constraint);
  ASSERT_TRUE(event("instr", "EX070158", "request_approval").ok());
  const std::string id = query(db_, "SELECT id FROM applications WHERE number = 'EX070158'")[0][0];
  const std::string authority =
      query(db_, "SELECT authority_id FROM applications WHERE number = 'EX070158'")[0][0];
  const auto visa = [&](const std::string& round, const std::string& level,
                        const std::string& decision, const std::string& actor) {
    return exec_sql(db_,
                    "INSERT INTO application_visas (authority_id, application_id, round, level, "
                    "decision, actor, given_on, given_at) VALUES (" +
                        authority + ", " + id + ", " + round + ", " + level + ", '" + decision +
                        "', '" + actor + "', '2023-01-10', '2023-01-10T10:00:00Z')");
  };
  const std::string before = dump_database(db_);
  EXPECT_EQ(visa("1", "2", "approved", "web:dir"), Constraint);    // level 2 before 1
  EXPECT_EQ(visa("1", "1", "approved", "web:instr"), Constraint);  // own request
  EXPECT_EQ(visa("2", "1", "approved", "web:chef"), Constraint);   // no such round
  EXPECT_EQ(visa("1", "3", "approved", "web:chef"), Constraint);   // no level 3
  EXPECT_EQ(exec_sql(db_, "UPDATE applications SET state = 'proposed' WHERE id = " + id),
            Constraint);  // visas missing
  EXPECT_EQ(dump_database(db_), before);
  ASSERT_EQ(visa("1", "1", "approved", "web:chef"), Ok);
  EXPECT_EQ(visa("1", "2", "approved", "web:chef"), Constraint);  // one visa per agent
  EXPECT_EQ(exec_sql(db_, "UPDATE application_visas SET actor = 'x'"), Constraint);
  EXPECT_EQ(exec_sql(db_, "DELETE FROM application_visas"), Constraint);
  EXPECT_EQ(exec_sql(db_, "DELETE FROM scheme_approval_levels"), Constraint);  // waiting
  ASSERT_EQ(visa("1", "2", "approved", "web:dir"), Ok);
  ASSERT_EQ(exec_sql(db_, "UPDATE applications SET state = 'proposed' WHERE id = " + id), Ok);
  EXPECT_EQ(state_of("EX070158"), "proposed");
}

TEST_F(ApprovalChainTest, ThePagesSetTheChainAndGiveTheVisas) {
  const std::string admin = login("dir");
  auto page = get("/dispositifs/" + kScheme, admin);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Circuit de visa : aucun."), std::string::npos);
  // A level without a role that moves dossiers: refused next to its field, input kept.
  const std::string before = dump_database(db_);
  auto refused = post("/dispositifs/" + kScheme + "/circuit",
                      {{"csrf", csrf_of(page.body)},
                       {"levels[0].label", "Chef de service"},
                       {"levels[0].role", "lecteur"},
                       {"levels[0].may_return", "1"}},
                      admin);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(tag_of(refused.body, "levels[0].role").find("aria-invalid=\"true\""), std::string::npos)
      << tag_of(refused.body, "levels[0].role");
  EXPECT_NE(tag_of(refused.body, "levels[0].label").find("value=\"Chef de service\""),
            std::string::npos);
  EXPECT_EQ(dump_database(db_), before);
  auto done = post("/dispositifs/" + kScheme + "/circuit",
                   {{"csrf", csrf_of(page.body)},
                    {"levels[0].label", "Chef de service"},
                    {"levels[0].role", "approver"},
                    {"levels[0].may_return", "1"},
                    {"levels[1].label", "Direction"},
                    {"levels[1].role", "administrator"}},
                   admin);
  ASSERT_EQ(done.status, 303) << done.body;
  page = get("/dispositifs/" + kScheme, admin);
  EXPECT_NE(page.body.find("Circuit de visa : Chef de service (chef de service), puis Direction "
                           "(administrateur)."),
            std::string::npos);
  back_to_instruction("EX070158");
  // The instructor's page offers the request, not the straight proposal.
  const std::string i = login("instr");
  page = get("/dossiers/EX070158", i);
  EXPECT_NE(page.body.find("<option value=\"request_approval\">"), std::string::npos);
  EXPECT_EQ(page.body.find("<option value=\"propose\">"), std::string::npos);
  done = post("/dossiers/EX070158/evenement",
              {{"csrf", csrf_of(page.body)}, {"event", "request_approval"}}, i);
  ASSERT_EQ(done.status, 303) << done.body;
  page = get("/dossiers/EX070158", i);
  EXPECT_NE(page.body.find("visa attendu"), std::string::npos);
  EXPECT_EQ(page.body.find("id=\"give-visa\""), std::string::npos);  // not the instructor's
  const std::string c = login("chef");
  page = get("/dossiers/EX070158", c);
  EXPECT_NE(page.body.find("Viser (Chef de service)"), std::string::npos) << page.body;
  done =
      post("/dossiers/EX070158/evenement", {{"csrf", csrf_of(page.body)}, {"event", "approve"}}, c);
  ASSERT_EQ(done.status, 303) << done.body;
  page = get("/dossiers/EX070158", c);
  EXPECT_NE(page.body.find("visé le"), std::string::npos);
  EXPECT_EQ(page.body.find("id=\"give-visa\""), std::string::npos);  // the next is the direction's
  page = get("/dossiers/EX070158", admin);
  EXPECT_NE(page.body.find("Viser (Direction)"), std::string::npos);
}

// The command line: a chain set and shown, visas given in the name of the system's user (one
// user per visa), and the bulk acts of the workspace.
TEST_F(ApprovalChainTest, TheCommandLineSetsAChainAndGivesVisasAsItsUsers) {
  const auto usage = run_octroi({"scheme", "approval-chain", kScheme, "--db", db_});
  EXPECT_EQ(usage.status, 2) << usage.err;
  const auto set =
      run_octroi({"scheme", "approval-chain", kScheme, "--level", "Chef de service:approver",
                  "--level", "Direction:administrator:sans-renvoi", "--db", db_});
  ASSERT_EQ(set.status, 0) << set.err;
  EXPECT_NE(set.out.find("Circuit de visa : Chef de service (chef de service), puis Direction "
                         "(administrateur)"),
            std::string::npos)
      << set.out;
  EXPECT_EQ(query(db_,
                  "SELECT level, label, role, may_return FROM scheme_approval_levels "
                  "ORDER BY level"),
            (std::vector<std::vector<std::string>>{{"1", "Chef de service", "approver", "1"},
                                                   {"2", "Direction", "administrator", "0"}}));
  // Back to instruction in one act, then asked, then two visas by two users of the system.
  const auto back = run_octroi({"application", "bulk", "event", "reopen", "EX070158", "EX070162",
                                "--reason", "Circuit de visa", "--db", db_});
  ASSERT_EQ(back.status, 0) << back.err;
  EXPECT_NE(back.out.find("Dossier EX070162 : en instruction."), std::string::npos) << back.out;
  const auto assigned = run_octroi(
      {"application", "bulk", "assign", "EX070158", "EX070162", "--to", "instr", "--db", db_});
  ASSERT_EQ(assigned.status, 0) << assigned.err;
  EXPECT_NE(assigned.out.find("Dossier EX070158 : attribué à instr."), std::string::npos)
      << assigned.out;
  const auto as_user = [&](const std::string& user, const std::vector<std::string>& args) {
    std::vector<std::string> all = {"application", "event"};
    all.insert(all.end(), args.begin(), args.end());
    all.insert(all.end(), {"--db", db_});
    return run_octroi(all, {{"USER", user}});
  };
  ASSERT_EQ(as_user("marie", {"EX070158", "request_approval"}).status, 0);
  const auto own = as_user("marie", {"EX070158", "approve"});
  EXPECT_EQ(own.status, 1);
  EXPECT_NE(own.err.find("Vous avez demandé ce visa"), std::string::npos) << own.err;
  const auto first = as_user("paul", {"EX070158", "approve"});
  ASSERT_EQ(first.status, 0) << first.err;
  EXPECT_NE(first.out.find("Dossier EX070158 : au visa."), std::string::npos) << first.out;
  const auto last = as_user("jeanne", {"EX070158", "approve"});
  ASSERT_EQ(last.status, 0) << last.err;
  EXPECT_NE(last.out.find("Dossier EX070158 : proposé en commission."), std::string::npos)
      << last.out;
  EXPECT_EQ(query(db_, "SELECT actor FROM application_visas ORDER BY round, level"),
            (std::vector<std::vector<std::string>>{{"cli:marie"}, {"cli:paul"}, {"cli:jeanne"}}));
  // A bulk act refused for one dossier moves none.
  const std::string before = dump_database(db_);
  const auto refused = run_octroi(
      {"application", "bulk", "event", "request_approval", "EX070162", "EX070158", "--db", db_});
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find("EX070158 : "), std::string::npos) << refused.err;
  EXPECT_EQ(dump_database(db_), before);
}

}  // namespace
}  // namespace octroi_test
