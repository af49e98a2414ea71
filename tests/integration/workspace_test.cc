// Issue 18, finding 6: the instruction workspace. Who instructs a dossier (assign_application and
// its rules), who follows it, the queues of the list (queue, scope, assignee), bulk acts all or
// nothing, saved searches; the database refuses an assignment to an account it should not have;
// and the same on the pages. On the demonstration (three chèques numériques proposed, Casaco
// awarded), on both stores.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/account_life.h"
#include "app/ports/workspace.h"
#include "app/workspace.h"
#include "common/db_dump.h"
#include "integration/web_page_support.h"

namespace octroi_test {
namespace {

using Numbers = std::vector<std::string>;
using octroi::Caller;
using octroi::Context;
using octroi::Role;
using octroi::Transaction;

class WorkspaceTest : public WebPageTest {
 protected:
  void SetUp() override {
    WebPageTest::SetUp();
    if (HasFatalFailure()) return;
    // instr: Service de l'artisanat (the chèques numériques); chef: approver; lecteur: reader.
    add_users({{"instr", "instructor"}, {"chef", "approver"}, {"lecteur", "reader"}});
    auto other = write([&](Transaction& tx, const Context& ctx) {
      return octroi::create_user(
          tx, ctx,
          {"innov", "Inès Novo", "instructor", "Service de l'innovation", "mot-de-passe-innov"},
          passwords_);
    });
    ASSERT_TRUE(other.ok()) << other.refusal().describe();
    api_ = std::make_unique<octroi::http::Api>(*store_, clock_, passwords_, tokens_);
  }

  Caller caller(const std::string& login) {
    return octroi::run_read(*store_, [&](Transaction& tx) {
      const auto u = tx.accounts().find_user(login);
      EXPECT_TRUE(u.has_value()) << login;
      return Caller{u ? u->id : 0, u ? *octroi::parse_role(u->role) : Role::Reader};
    });
  }
  // The context of `login` acting (an instructor's service set, as a session sets it).
  octroi::Result<octroi::AssignmentView> assign(const std::string& by, const std::string& number,
                                                const std::string& to) {
    const Caller who = caller(by);
    return write([&](Transaction& tx, Context ctx) {
      ctx.actor = "web:" + by;
      if (who.role == Role::Instructor)
        ctx.service = by == "innov" ? "Service de l'innovation" : "Service de l'artisanat";
      return octroi::assign_application(tx, ctx, who, number, to);
    });
  }
  Numbers listed(octroi::ApplicationSearch s, const std::string& viewer = "") {
    if (!viewer.empty()) s.viewer = caller(viewer).user_id;
    return found_numbers(s);
  }
  static octroi::ApplicationSearch search(const std::string& queue, const std::string& scope,
                                          const std::string& assignee = "") {
    octroi::ApplicationSearch s;
    s.queue = queue;
    s.scope = scope;
    s.assignee = assignee;
    return s;
  }
};

TEST_F(WorkspaceTest, ADossierIsAssignedToWhoMayInstructItAndAnInstructorOnlyTakesItsOwn) {
  auto done = assign("chef", "EX070158", "instr");
  ASSERT_TRUE(done.ok()) << done.refusal().describe();
  EXPECT_EQ(done->login, "instr");
  // The assignment is in the audit trail, before and after.
  const auto audit = query(db_,
                           "SELECT actor, before, after FROM audit_log WHERE action = "
                           "'application.assign' AND entity_key = 'EX070158'");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0], (std::vector<std::string>{"web:chef", "{\"assignee\":\"\"}",
                                                "{\"assignee\":\"instr\"}"}));
  const std::string before = dump_database(db_);
  struct Case {
    std::string by, number, to, code;
  };
  for (const Case& c : std::vector<Case>{
           {"chef", "EX070158", "innov", "assign.service"},  // not the scheme's service
           {"chef", "EX070158", "lecteur", "assign.role"},   // a reader instructs nothing
           {"chef", "EX070158", "personne", "assign.unknown"},
           {"chef", "EX999999", "instr", "application.unknown"},
           {"innov", "EX070162", "innov", "auth.service"},  // another service's dossier
           {"instr", "EX070162", "chef", "assign.self_only"},
       }) {
    SCOPED_TRACE(c.by + " " + c.number + " -> " + c.to);
    const auto refused = assign(c.by, c.number, c.to);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.refusal().first().code, c.code) << refused.refusal().describe();
    EXPECT_FALSE(refused.refusal().first().message.empty());
  }
  EXPECT_EQ(dump_database(db_), before);
  // An instructor takes a dossier, gives back their own, never another's.
  ASSERT_TRUE(assign("instr", "EX070162", "instr").ok());
  const auto not_theirs = assign("instr", "EX070158", "");
  ASSERT_TRUE(not_theirs.ok()) << not_theirs.refusal().describe();  // EX070158 is theirs too
  EXPECT_EQ(not_theirs->login, "");
  ASSERT_TRUE(assign("chef", "EX069984", "chef").ok());
  const auto others = assign("instr", "EX069984", "");
  ASSERT_FALSE(others.ok());
  EXPECT_EQ(others.refusal().first().code, "assign.self_only");
  // Nor take it from the colleague it was given to.
  const auto taken = assign("instr", "EX069984", "instr");
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.refusal().first().code, "assign.self_only");
  EXPECT_EQ(listed(search("", "", "chef")), (Numbers{"EX069984"}));
}

TEST_F(WorkspaceTest, TheQueuesSelectByStateByAssigneeByServiceAndByFollower) {
  ASSERT_TRUE(assign("chef", "EX070158", "instr").ok());
  ASSERT_TRUE(assign("chef", "EX069984", "instr").ok());
  EXPECT_EQ(listed(search("", "me"), "instr"), (Numbers{"EX069984", "EX070158"}));
  EXPECT_EQ(listed(search("", "", "none")), (Numbers{"EX065392", "EX070162"}));
  EXPECT_EQ(listed(search("", "", "instr")), (Numbers{"EX069984", "EX070158"}));
  // Traités: proposed or awarded; à traiter: nothing yet; archivés: nothing.
  EXPECT_EQ(listed(search("traites", "")),
            (Numbers{"EX065392", "EX069984", "EX070158", "EX070162"}));
  EXPECT_TRUE(listed(search("a_traiter", "")).empty());
  EXPECT_TRUE(listed(search("archives", "")).empty());
  // A service's queue: its schemes' dossiers.
  auto s = search("", "service");
  s.viewer_service = "Service de l'innovation";
  EXPECT_EQ(listed(s), (Numbers{"EX065392"}));
  // Followed.
  const Caller reader = caller("lecteur");
  auto followed = write([&](Transaction& tx, const Context& ctx) {
    return octroi::follow_application(tx, ctx, reader, "EX070162", true);
  });
  ASSERT_TRUE(followed.ok());
  EXPECT_EQ(listed(search("", "followed"), "lecteur"), (Numbers{"EX070162"}));
  EXPECT_TRUE(listed(search("", "followed"), "instr").empty());
  followed = write([&](Transaction& tx, const Context& ctx) {
    return octroi::follow_application(tx, ctx, reader, "EX070162", false);
  });
  ASSERT_TRUE(followed.ok());
  EXPECT_TRUE(listed(search("", "followed"), "lecteur").empty());
  // Refused by name: an unknown queue or scope, "me" without an account, "service" without a
  // service, "me" with another assignee, an unknown assignee.
  auto mine_of_another = search("", "me", "chef");
  mine_of_another.viewer = caller("instr").user_id;
  for (const auto& [q, code] : std::vector<std::pair<octroi::ApplicationSearch, std::string>>{
           {search("urgent", ""), "search.queue"},
           {search("", "everyone"), "search.scope"},
           {search("", "me"), "search.scope"},
           {search("", "service"), "search.scope"},
           {mine_of_another, "search.assignee"},
           {search("", "", "nobody"), "assign.unknown"}}) {
    auto r = octroi::run_read(
        *store_, [&](Transaction& tx) { return octroi::search_applications(tx, idf_, q); });
    ASSERT_FALSE(r.ok()) << code;
    EXPECT_EQ(r.refusal().first().code, code);
  }
}

TEST_F(WorkspaceTest, ABulkMoveIsAllOrNothingAndNamesTheDossierRefused) {
  octroi::EventInput reopen;
  reopen.event = "reopen";
  reopen.reason = "Pièces à compléter";
  const std::string before = dump_database(db_);
  // EX065392 is awarded: it cannot go back to instruction, so none does.
  auto refused = write([&](Transaction& tx, const Context& ctx) {
    return octroi::bulk_event(tx, ctx, {"EX070158", "EX065392", "EX069984"}, reopen);
  });
  ASSERT_FALSE(refused.ok());
  ASSERT_EQ(refused.refusal().problems.size(), 1u);
  EXPECT_EQ(refused.refusal().first().message.rfind("EX065392 : ", 0), 0u)
      << refused.refusal().describe();
  EXPECT_EQ(dump_database(db_), before);
  for (const auto& [numbers, code] : std::vector<std::pair<Numbers, std::string>>{
           {{}, "bulk.empty"}, {{" ", ""}, "bulk.empty"}, {Numbers(201, ""), "bulk.empty"}}) {
    auto r = write([&](Transaction& tx, const Context& ctx) {
      return octroi::bulk_event(tx, ctx, numbers, reopen);
    });
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.refusal().first().code, code);
  }
  Numbers many;
  for (int i = 0; i < 201; ++i)
    many.push_back("EX" + std::to_string(100000 + i));
  auto too_many = write([&](Transaction& tx, const Context& ctx) {
    return octroi::bulk_event(tx, ctx, many, reopen);
  });
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.refusal().first().code, "bulk.too_many");
  EXPECT_EQ(dump_database(db_), before);
  // The two proposals go back together (a dossier named twice counts once).
  auto moved = write([&](Transaction& tx, const Context& ctx) {
    return octroi::bulk_event(tx, ctx, {"EX070158", "EX069984", "EX070158"}, reopen);
  });
  ASSERT_TRUE(moved.ok()) << moved.refusal().describe();
  EXPECT_EQ(moved->size(), 2u);
  EXPECT_EQ(listed(search("a_traiter", "")), (Numbers{"EX069984", "EX070158"}));
  // Bulk assignment, by the chef de service.
  const Caller chef = caller("chef");
  auto assigned = write([&](Transaction& tx, const Context& ctx) {
    return octroi::bulk_assign(tx, ctx, chef, {"EX070158", "EX069984"}, "instr");
  });
  ASSERT_TRUE(assigned.ok()) << assigned.refusal().describe();
  EXPECT_EQ(listed(search("a_traiter", "me"), "instr"), (Numbers{"EX069984", "EX070158"}));
}

TEST_F(WorkspaceTest, SavedSearchesAreAnAccountsOwnNamedAndBounded) {
  const Caller instr = caller("instr");
  auto save = [&](const std::string& name, const std::string& query) {
    return write([&](Transaction& tx, const Context& ctx) {
      return octroi::save_filter(tx, ctx, instr, name, query);
    });
  };
  auto saved = save("Mes chèques à instruire", "?queue=a_traiter&scope=me&scheme=00001176");
  ASSERT_TRUE(saved.ok()) << saved.refusal().describe();
  EXPECT_EQ(saved->query, "queue=a_traiter&scope=me&scheme=00001176");
  const std::string before = dump_database(db_);
  for (const auto& [name, query, code] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"Mes chèques à instruire", "queue=traites", "filter.exists"},
           {"  ", "queue=traites", "filter.name"},
           {std::string(81, 'x'), "queue=traites", "filter.name"},
           {"Page 2", "queue=traites&page=2", "filter.query"},
           {"Long", "q=" + std::string(2000, 'a'), "filter.query"},
           {"Contrôle", "q=a\nb", "filter.query"}}) {
    SCOPED_TRACE(name.substr(0, 20) + " / " + query.substr(0, 30));
    const auto refused = save(name, query);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.refusal().first().code, code);
  }
  EXPECT_EQ(dump_database(db_), before);
  // Fifty at most per account.
  for (int i = 2; i <= 50; ++i)
    ASSERT_TRUE(save("Recherche " + std::to_string(i), "queue=traites").ok()) << i;
  const auto fifty_one = save("Une de trop", "queue=traites");
  ASSERT_FALSE(fifty_one.ok());
  EXPECT_EQ(fifty_one.refusal().first().code, "filter.too_many");
  EXPECT_EQ(octroi::run_read(
                *store_, [&](Transaction& tx) { return octroi::saved_filters_of(tx, idf_, instr); })
                .size(),
            50u);
  // Another account sees none of them and cannot delete them.
  const Caller chef = caller("chef");
  EXPECT_TRUE(octroi::run_read(*store_, [&](Transaction& tx) {
                return octroi::saved_filters_of(tx, idf_, chef);
              }).empty());
  auto not_theirs = write([&](Transaction& tx, const Context& ctx) {
    return octroi::delete_filter(tx, ctx, chef, std::to_string(saved->id));
  });
  ASSERT_FALSE(not_theirs.ok());
  EXPECT_EQ(not_theirs.refusal().first().code, "filter.unknown");
  auto deleted = write([&](Transaction& tx, const Context& ctx) {
    return octroi::delete_filter(tx, ctx, instr, std::to_string(saved->id));
  });
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(octroi::run_read(
                *store_, [&](Transaction& tx) { return octroi::saved_filters_of(tx, idf_, instr); })
                .size(),
            49u);
  // The deletion keeps what was deleted in the audit trail.
  const auto audit = query(db_, "SELECT before FROM audit_log WHERE action = 'filter.delete'");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0][0],
            "{\"name\":\"Mes chèques à instruire\",\"query\":\"queue=a_traiter&scope=me&"
            "scheme=00001176\"}");
}

TEST_F(WorkspaceTest, WithoutAnAccountNothingIsFollowedNorSavedAndASelectionIsBounded) {
  const Caller nobody{0, Role::Administrator};  // the command line, a token without an owner
  const std::string before = dump_database(db_);
  auto followed = write([&](Transaction& tx, const Context& ctx) {
    return octroi::follow_application(tx, ctx, nobody, "EX070162", true);
  });
  ASSERT_FALSE(followed.ok());
  EXPECT_EQ(followed.refusal().first().code, "follow.account");
  auto saved = write([&](Transaction& tx, const Context& ctx) {
    return octroi::save_filter(tx, ctx, nobody, "Tout", "queue=traites");
  });
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.refusal().first().code, "filter.account");
  EXPECT_EQ(dump_database(db_), before);
  // A selection of dossiers: found by number, at most 200.
  octroi::ApplicationSearch s;
  s.numbers = "EX070162, EX065392 EX999999";
  EXPECT_EQ(listed(s), (Numbers{"EX065392", "EX070162"}));
  std::string many;
  for (int i = 0; i < 201; ++i)
    many += "EX" + std::to_string(100000 + i) + " ";
  s.numbers = many;
  auto refused = octroi::run_read(
      *store_, [&](Transaction& tx) { return octroi::search_applications(tx, idf_, s); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.refusal().first().code, "search.numbers");
}

TEST_F(WorkspaceTest, ADeactivatedAccountGivesItsDossiersBackAndTheDatabaseHoldsIt) {
  ASSERT_TRUE(assign("chef", "EX070158", "instr").ok());
  ASSERT_TRUE(assign("chef", "EX069984", "instr").ok());
  const Caller instr = caller("instr");
  // Past the use case, the database refuses to deactivate an account that instructs dossiers.
  const std::string before = dump_database(db_);
  EXPECT_THROW(write([&](Transaction& tx, const Context&) {
                 tx.accounts().set_user_active(idf_, instr.user_id, false);
                 return octroi::Result<int>(1);
               }),
               octroi::StoreError);
  EXPECT_EQ(dump_database(db_), before);
  // The use case gives them back first, each audited.
  const Caller admin_account = caller("chef");
  auto off = write([&](Transaction& tx, const Context& ctx) {
    return octroi::deactivate_user(tx, ctx, "instr", admin_account.user_id);
  });
  ASSERT_TRUE(off.ok()) << off.refusal().describe();
  EXPECT_TRUE(listed(search("", "", "instr")).empty());
  EXPECT_EQ(listed(search("", "", "none")).size(), 4u);
  const auto audit = query(db_,
                           "SELECT entity_key, before FROM audit_log WHERE action = "
                           "'application.assign' AND after LIKE '%compte désactivé%' ORDER BY "
                           "entity_key");
  EXPECT_EQ(audit,
            (std::vector<std::vector<std::string>>{{"EX069984", "{\"assignee\":\"instr\"}"},
                                                   {"EX070158", "{\"assignee\":\"instr\"}"}}));
}

// Past every use case, the database keeps each workspace row within one authority: a dossier of
// one authority is neither assigned to, followed by, nor searched for an account of another.
TEST_F(WorkspaceTest, TheDatabaseKeepsAssignmentsFollowsAndSearchesWithinOneAuthority) {
  auto other = octroi::run_write(*store_, [&](Transaction& tx) {
    return octroi::create_authority(tx, "test", clock_, {"nord", "Région Nord", "", "", ""});
  });
  ASSERT_TRUE(other.ok()) << other.refusal().describe();
  const std::string mine = std::to_string(idf_.value);
  const std::string theirs = std::to_string(other->id.value);
  const std::string app = query(db_, "SELECT id FROM applications WHERE number = 'EX070158'")[0][0];
  const std::string user = std::to_string(caller("instr").user_id);
  const std::string before = dump_database(db_);
  for (const std::string& sql : {
           // The row says the other authority: the dossier and the account are not its.
           "INSERT INTO application_assignments (application_id, authority_id, user_id, "
           "assigned_at, assigned_by) VALUES (" +
               app + ", " + theirs + ", " + user + ", 'x', 'x')",
           "INSERT INTO application_follows (application_id, user_id, authority_id, since) "
           "VALUES (" +
               app + ", " + user + ", " + theirs + ", 'x')",
           "INSERT INTO saved_filters (authority_id, user_id, name, query, created_at) VALUES (" +
               theirs + ", " + user + ", 'n', 'q=', 'x')",
       }) {
    SCOPED_TRACE(sql);
    EXPECT_NE(octroi_testing::exec_sql(db_, sql), octroi_testing::SqlOutcome::Ok);
  }
  EXPECT_EQ(dump_database(db_), before);
  // The same rows within one authority are accepted (the refusals above are the authority's).
  EXPECT_EQ(octroi_testing::exec_sql(db_,
                                     "INSERT INTO application_follows (application_id, user_id, "
                                     "authority_id, since) VALUES (" +
                                         app + ", " + user + ", " + mine + ", 'x')"),
            octroi_testing::SqlOutcome::Ok);
}

TEST_F(WorkspaceTest, TheDatabaseRefusesAnAssignmentToAnInactiveAccount) {
  const Caller reader = caller("lecteur");
  auto off = write([&](Transaction& tx, const Context&) {
    tx.accounts().set_user_active(idf_, reader.user_id, false);
    return octroi::Result<int>(1);
  });
  ASSERT_TRUE(off.ok());
  const std::string before = dump_database(db_);
  // Past the use case (which refuses a reader anyway), straight to the store.
  EXPECT_THROW(write([&](Transaction& tx, const Context& ctx) {
                 const auto app = tx.applications().find_application(idf_, "EX070158");
                 tx.workspace().set_assignment(
                     idf_, app->id,
                     octroi::AssignmentRecord{app->id, reader.user_id, ctx.clock->now(), "test"});
                 return octroi::Result<int>(1);
               }),
               octroi::StoreError);
  EXPECT_EQ(dump_database(db_), before);
}

TEST_F(WorkspaceTest, ThePagesShowTheQueuesAssignAndMoveTheDossiersTicked) {
  const std::string s = login("chef");
  const std::string csrf = csrf_of(get("/", s).body);
  auto page = get("/dossiers", s);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("aria-label=\"Files de dossiers\""), std::string::npos);
  EXPECT_NE(page.body.find("name=\"n-EX070158\""), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("<th scope=\"col\">Instruit par</th>"), std::string::npos);
  // Tick two, assign them to instr.
  auto done = post("/dossiers/lot",
                   {{"csrf", csrf},
                    {"act", "assign"},
                    {"assignee", "instr"},
                    {"n-EX070158", "1"},
                    {"n-EX069984", "1"},
                    {"back", "/dossiers?queue=traites"}},
                   s);
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(header(done, "Location"), "/dossiers?queue=traites&lot=2");
  // A return elsewhere, or with a line break, goes back to the list instead.
  for (const std::string back : {"/dossiers.xlsx?q=", "/dossiers?q=a\r\nSet-Cookie:x=1",
                                 "//evil.example/dossiers", "/dossiers/../admin"}) {
    const auto again = post("/dossiers/lot",
                            {{"csrf", csrf},
                             {"act", "assign"},
                             {"assignee", "instr"},
                             {"n-EX070158", "1"},
                             {"back", back}},
                            s);
    ASSERT_EQ(again.status, 303) << again.body;
    EXPECT_EQ(header(again, "Location"), "/dossiers?lot=1") << back;
  }
  page = get("/dossiers?assignee=instr&lot=2", s);
  EXPECT_NE(page.body.find("2 dossier(s) traité(s) en une fois."), std::string::npos);
  EXPECT_NE(page.body.find("<caption>2 dossier(s)"), std::string::npos) << page.body;
  // Move them back to instruction; a refusal (no reason) changes nothing and says why.
  const std::string before = dump_database(db_);
  auto refused =
      post("/dossiers/lot",
           {{"csrf", csrf}, {"act", "event"}, {"event", "reopen"}, {"n-EX070158", "1"}}, s);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("EX070158 : "), std::string::npos) << refused.body;
  EXPECT_EQ(dump_database(db_), before);
  done = post("/dossiers/lot",
              {{"csrf", csrf},
               {"act", "event"},
               {"event", "reopen"},
               {"reason", "Pièces manquantes"},
               {"n-EX070158", "1"},
               {"n-EX069984", "1"}},
              s);
  ASSERT_EQ(done.status, 303) << done.body;
  // The instructor's own queue: both, under instruction.
  const std::string i = login("instr");
  page = get("/dossiers?scope=me&queue=a_traiter", i);
  EXPECT_NE(page.body.find("<caption>2 dossier(s)"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("aria-current=\"page\"><strong>Mes dossiers</strong>"),
            std::string::npos);
  // The dossier's page: who instructs it, and its buttons.
  page = get("/dossiers/EX070158", i);
  EXPECT_NE(page.body.find("Instruit par : <strong id=\"assignee\">instr</strong>"),
            std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("Rendre ce dossier"), std::string::npos);
  const std::string icsrf = csrf_of(page.body);
  done = post("/dossiers/EX070158/suivi", {{"csrf", icsrf}, {"on", "1"}}, i);
  ASSERT_EQ(done.status, 303);
  page = get("/dossiers/EX070158", i);
  EXPECT_NE(page.body.find("Ne plus suivre"), std::string::npos);
  page = get("/dossiers?scope=followed", i);
  EXPECT_NE(page.body.find("<caption>1 dossier(s)"), std::string::npos) << page.body;
  // A saved search comes back as a link.
  done = post("/recherches",
              {{"csrf", icsrf}, {"name", "À instruire"}, {"query", "queue=a_traiter&scope=me"}}, i);
  ASSERT_EQ(done.status, 303) << done.body;
  page = get("/dossiers", i);
  EXPECT_NE(
      page.body.find("<a href=\"&#x2F;dossiers?queue=a_traiter&amp;scope=me\">À instruire</a>"),
      std::string::npos)
      << page.body;
  // A reader has no bulk form; refused the bulk route.
  const std::string r = login("lecteur");
  page = get("/dossiers", r);
  EXPECT_EQ(page.body.find("name=\"n-EX070158\""), std::string::npos);
  const auto forbidden =
      post("/dossiers/lot", {{"csrf", csrf_of(page.body)}, {"act", "assign"}}, r);
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_NE(forbidden.body.find("auth.forbidden"), std::string::npos) << forbidden.body;
}

TEST_F(WorkspaceTest, TheDashboardShowsEachRoleItsWorkAndThreeChartsOfTheFigures) {
  ASSERT_TRUE(assign("chef", "EX070158", "instr").ok());
  const std::string i = login("instr");
  auto home = get("/", i);
  ASSERT_EQ(home.status, 200);
  // Mon travail: nothing to instruct yet (EX070158 is proposed), nothing followed.
  EXPECT_NE(home.body.find("<h2 id=\"travail\">Mon travail</h2>"), std::string::npos);
  EXPECT_NE(home.body.find("À traiter, qui me sont attribués</a> : <strong>0</strong>"),
            std::string::npos)
      << home.body;
  // Three charts drawn on the server, in place, each with its title; no placeholder left.
  std::size_t charts = 0;
  for (auto at = home.body.find("<svg"); at != std::string::npos;
       at = home.body.find("<svg", at + 1))
    ++charts;
  EXPECT_EQ(charts, 3u);
  EXPECT_EQ(home.body.find("data-chart="), std::string::npos);
  for (const char* title :
       {"Consommation des AE/AP votées, par ligne", "Dossiers par état", "Montants par dispositif"})
    EXPECT_NE(home.body.find(std::string(">") + title + "</title>"), std::string::npos) << title;
  // The figures the charts draw are those of the tables: 3 proposals, 1 award; per scheme,
  // 78 400 € awarded (the lieux d'innovation) and 23 000 € proposed (the chèques numériques).
  EXPECT_NE(home.body.find("proposé en commission : 3"), std::string::npos) << home.body;
  EXPECT_NE(home.body.find("attribué : 78" OCTROI_NNBSP "400,00" OCTROI_NBSP "€"),
            std::string::npos);
  EXPECT_NE(home.body.find("proposé : 23" OCTROI_NNBSP "000,00" OCTROI_NBSP "€"),
            std::string::npos);
  // Back to instruction, it is in the instructor's queue.
  octroi::EventInput reopen;
  reopen.event = "reopen";
  reopen.reason = "Pièce manquante";
  ASSERT_TRUE(write([&](Transaction& tx, const Context& ctx) {
                return octroi::apply_application_event(tx, ctx, "EX070158", reopen);
              }).ok());
  home = get("/", i);
  EXPECT_NE(home.body.find("À traiter, qui me sont attribués</a> : <strong>1</strong>"),
            std::string::npos);
  // A reader has the figures, not a work list.
  home = get("/", login("lecteur"));
  EXPECT_EQ(home.body.find("Mon travail"), std::string::npos);
  EXPECT_NE(home.body.find("Dossiers par état</title>"), std::string::npos);
}

// Expert opinions: the chèque numérique's instructor asks the Service de l'innovation; one of
// its instructors answers once; nobody else may, and the database keeps the answer as given.
TEST_F(WorkspaceTest, AnOpinionIsAskedOfAnotherServiceAndAnsweredOnceByIt) {
  auto as = [&](const std::string& login) {
    Context ctx = context();
    ctx.actor = "web:" + login;
    if (login == "instr") ctx.service = "Service de l'artisanat";
    if (login == "innov") ctx.service = "Service de l'innovation";
    return ctx;
  };
  auto ask = [&](const std::string& by, const std::string& service, const std::string& q) {
    return octroi::run_write(*store_, [&](Transaction& tx) {
      return octroi::request_opinion(tx, as(by), "EX070162", service, q);
    });
  };
  auto give = [&](const std::string& by, const std::string& id, const std::string& kind,
                  const std::string& text) {
    return octroi::run_write(*store_, [&](Transaction& tx) {
      return octroi::give_opinion(tx, as(by), caller(by), id, kind, text);
    });
  };
  std::string before = dump_database(db_);
  for (const auto& [service, q, code] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"Service de l'artisanat", "Avis ?", "opinion.service"},  // the scheme's own
           {"Service imaginaire", "Avis ?", "opinion.service"},
           {"", "Avis ?", "opinion.service"},
           {"Service de l'innovation", "  ", "opinion.question"}}) {
    const auto refused = ask("instr", service, q);
    ASSERT_FALSE(refused.ok()) << service;
    EXPECT_EQ(refused.refusal().first().code, code);
  }
  const auto other_service = ask("innov", "Service de l'innovation", "Avis ?");
  ASSERT_FALSE(other_service.ok());
  EXPECT_EQ(other_service.refusal().first().code, "auth.service");
  EXPECT_EQ(dump_database(db_), before);
  const auto asked = ask("instr", "Service de l'innovation",
                         "Le projet relève-t-il aussi des lieux d'innovation ?");
  ASSERT_TRUE(asked.ok()) << asked.refusal().describe();
  const std::string id = std::to_string(asked->id);
  before = dump_database(db_);
  // Only the service asked answers; a reserved opinion says why.
  for (const auto& [by, kind, text, code] :
       std::vector<std::tuple<std::string, std::string, std::string, std::string>>{
           {"instr", "favorable", "", "opinion.service_only"},
           {"chef", "favorable", "", "opinion.service_only"},
           {"innov", "peut-être", "", "opinion.kind"},
           {"innov", "reserved", " ", "opinion.answer"},
           {"innov", "favorable", "", "opinion.unknown"}}) {
    const auto refused = give(by, code == "opinion.unknown" ? "999" : id, kind, text);
    ASSERT_FALSE(refused.ok()) << by << " " << kind;
    EXPECT_EQ(refused.refusal().first().code, code);
  }
  EXPECT_EQ(dump_database(db_), before);
  const auto given = give("innov", id, "reserved", "Seulement si le local est mutualisé.");
  ASSERT_TRUE(given.ok()) << given.refusal().describe();
  EXPECT_EQ(given->opinion, "reserved");
  EXPECT_EQ(given->answered_by, "web:innov");
  const auto again = give("innov", id, "favorable", "");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.refusal().first().code, "opinion.answered");
  // The database keeps it as given, and keeps it.
  before = dump_database(db_);
  EXPECT_NE(octroi_testing::exec_sql(db_,
                                     "UPDATE application_opinions SET opinion = "
                                     "'favorable', answer = '' WHERE id = " +
                                         id),
            octroi_testing::SqlOutcome::Ok);
  EXPECT_NE(octroi_testing::exec_sql(db_, "DELETE FROM application_opinions WHERE id = " + id),
            octroi_testing::SqlOutcome::Ok);
  EXPECT_EQ(dump_database(db_), before);
  // The dossier's page shows it, in its section and in its audit trail.
  const auto page = get("/dossiers/EX070162", login("instr"));
  EXPECT_NE(page.body.find("<strong>réservé</strong> — Seulement si le local est mutualisé."),
            std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("avis demandé à un service"), std::string::npos);
  EXPECT_NE(page.body.find("Avis : — → réservé"), std::string::npos) << page.body;
}

TEST_F(WorkspaceTest, ThePagesAskAndAnswerAnOpinion) {
  const std::string i = login("instr");
  auto page = get("/dossiers/EX070162", i);
  EXPECT_NE(page.body.find("Aucun avis demandé."), std::string::npos);
  EXPECT_NE(page.body.find("<option value=\"Service de l&#39;innovation\">"), std::string::npos)
      << page.body;
  auto done = post("/dossiers/EX070162/avis",
                   {{"csrf", csrf_of(page.body)},
                    {"service", "Service de l'innovation"},
                    {"question", "Un avis sur le volet numérique ?"}},
                   i);
  ASSERT_EQ(done.status, 303) << done.body;
  const std::string n = login("innov");
  page = get("/dossiers/EX070162", n);
  const auto id = query(db_, "SELECT id FROM application_opinions")[0][0];
  EXPECT_NE(page.body.find("name=\"opinion-" + id + "\""), std::string::npos) << page.body;
  // Refused without a choice: the page says why, nothing is stored.
  const std::string before = dump_database(db_);
  auto refused = post("/dossiers/EX070162/avis/" + id, {{"csrf", csrf_of(page.body)}}, n);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("Choisissez l&#39;avis"), std::string::npos) << refused.body;
  EXPECT_EQ(dump_database(db_), before);
  // Another dossier's path does not reach it.
  refused = post("/dossiers/EX070158/avis/" + id,
                 {{"csrf", csrf_of(page.body)}, {"opinion-" + id, "favorable"}}, n);
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(dump_database(db_), before);
  done = post("/dossiers/EX070162/avis/" + id,
              {{"csrf", csrf_of(page.body)}, {"opinion-" + id, "favorable"}}, n);
  ASSERT_EQ(done.status, 303) << done.body;
  page = get("/dossiers/EX070162", i);
  EXPECT_NE(page.body.find("<strong>favorable</strong>"), std::string::npos);
  // The instructor of the dossier's own service has no answer form.
  EXPECT_EQ(page.body.find("name=\"opinion-" + id + "\""), std::string::npos);
}

TEST_F(WorkspaceTest, TheCommandLineAssignsAndGivesBack) {
  const auto given =
      run_octroi({"application", "assign", "EX070158", "--to", "instr", "--db", db_});
  ASSERT_EQ(given.status, 0) << given.err;
  EXPECT_NE(given.out.find("Dossier EX070158 : attribué à instr (instr)."), std::string::npos)
      << given.out;
  EXPECT_EQ(listed(search("", "", "instr")), (Numbers{"EX070158"}));
  const std::string before = dump_database(db_);
  const auto refused =
      run_octroi({"application", "assign", "EX070158", "--to", "innov", "--db", db_});
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find("n'instruit pas les dossiers du dispositif"), std::string::npos)
      << refused.err;
  EXPECT_EQ(dump_database(db_), before);
  const auto back = run_octroi({"application", "assign", "EX070158", "--json", "--db", db_});
  ASSERT_EQ(back.status, 0) << back.err;
  EXPECT_EQ(back.out, "{\"number\":\"EX070158\",\"assignee\":null}\n");
  EXPECT_TRUE(listed(search("", "", "instr")).empty());
  // Opinions: asked, refused a second answer, answered once.
  const auto asked =
      run_octroi({"application", "opinion", "ask", "EX070162", "--service",
                  "Service de l'innovation", "--question", "Un avis ?", "--db", db_});
  ASSERT_EQ(asked.status, 0) << asked.err;
  EXPECT_NE(asked.out.find("demandé à « Service de l'innovation »"), std::string::npos)
      << asked.out;
  const auto id = query(db_, "SELECT id FROM application_opinions")[0][0];
  const auto vague =
      run_octroi({"application", "opinion", "answer", id, "--opinion", "unfavorable", "--db", db_});
  EXPECT_EQ(vague.status, 1);
  EXPECT_NE(vague.err.find("Motivez un avis réservé ou défavorable"), std::string::npos)
      << vague.err;
  const auto answered =
      run_octroi({"application", "opinion", "answer", id, "--opinion", "favorable", "--db", db_});
  ASSERT_EQ(answered.status, 0) << answered.err;
  EXPECT_NE(answered.out.find(": favorable."), std::string::npos) << answered.out;
  const auto twice =
      run_octroi({"application", "opinion", "answer", id, "--opinion", "favorable", "--db", db_});
  EXPECT_EQ(twice.status, 1);
  EXPECT_NE(twice.err.find("opinion.answered"), std::string::npos) << twice.err;
}

}  // namespace
}  // namespace octroi_test
