// The accounts' life cycle (issue 16, finding 5: "accounts never end"), through the pages, the
// use cases and the command line, on both stores: an administrator deactivates and reactivates an
// account (its sessions end at once, its API tokens are revoked), resets another agent's password
// (a random one shown once, to be changed at the next login: nothing else is served until then),
// requires a new password; API tokens belong to an account, act within its rights and expire.
// Each act is audited, never with a password; each refusal leaves the database as it was.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "app/account_life.h"
#include "app/accounts.h"
#include "integration/test_support.h"
#include "integration/token_support.h"
#include "integration/web_page_support.h"

namespace octroi_test {
namespace {

class AccountLifeTest : public WebPageTest {
 protected:
  void SetUp() override {
    DemoDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    add_users({{"alice", "administrator"}, {"lecteur", "reader"}, {"instructeur", "instructor"}});
    if (HasFatalFailure()) return;
    api_ = std::make_unique<octroi::http::Api>(*store_, clock_, passwords_, tokens_);
  }

  // An API token of `owner`'s (its role), or the refusal.
  octroi::Result<octroi::IssuedToken> token_of(const std::string& owner,
                                               const std::string& expires_on = "",
                                               const std::string& role = "") {
    return write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
      return octroi::issue_api_token(tx, ctx, {"robot", owner, role, "", expires_on}, 0, tokens_,
                                     store_->hasher());
    });
  }

  HttpResponse api_get(const std::string& path, const std::string& bearer) {
    HttpRequest r;
    r.method = "GET";
    r.path = path;
    r.headers["authorization"] = "Bearer " + bearer;
    r.remote_addr = "127.0.0.1";
    return api_->handle(r);
  }

  // The audit lines of the accounts (action, key, before, after).
  std::vector<std::vector<std::string>> account_audit() {
    return query(db_,
                 "SELECT action, entity_key, before, after FROM audit_log WHERE entity = 'user' "
                 "AND action <> 'user.create' AND action <> 'auth.login' ORDER BY seq");
  }
};

TEST_F(AccountLifeTest, ADeactivatedAccountLosesItsSessionsAndTokensUntilReactivated) {
  const std::string reader = login("lecteur");
  const std::string admin = login("alice");
  const auto token = token_of("lecteur");
  ASSERT_TRUE(token.ok()) << token.refusal().describe();
  EXPECT_EQ(api_get("/api/v1/me", token->token).status, 200);
  const auto list = get("/admin/comptes", admin);
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("lecteur"), std::string::npos);
  const std::string csrf = csrf_of(list.body);
  // Without the confirmation box: refused, nothing changed.
  const std::string before = dump_database(db_);
  const auto unconfirmed = post("/admin/comptes/lecteur/desactivation", {{"csrf", csrf}}, admin);
  EXPECT_EQ(unconfirmed.status, 422);
  EXPECT_NE(unconfirmed.body.find("Cochez la case de confirmation"), std::string::npos);
  // The reader may not do it, confirmed or not.
  const auto by_reader =
      post("/admin/comptes/alice/desactivation",
           {{"csrf", csrf_of(get("/compte", reader).body)}, {"confirmer", "1"}}, reader);
  EXPECT_EQ(by_reader.status, 403);
  EXPECT_EQ(dump_database(db_), before);

  const auto done =
      post("/admin/comptes/lecteur/desactivation", {{"csrf", csrf}, {"confirmer", "1"}}, admin);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_NE(done.body.find("Compte lecteur désactivé"), std::string::npos);
  EXPECT_NE(done.body.find("1 jeton(s) révoqué(s)"), std::string::npos);
  // At once: the open session, the token and the password are all refused.
  EXPECT_EQ(get("/", reader).status, 303);
  const auto me = api_get("/api/v1/me", token->token);
  EXPECT_EQ(me.status, 401);
  EXPECT_NE(me.body.find("auth.bad_token"), std::string::npos);
  EXPECT_EQ(post("/login", {{"login", "lecteur"}, {"password", "mot-de-passe-lecteur"}}).status,
            401);
  // Twice: refused.
  const auto again =
      post("/admin/comptes/lecteur/desactivation", {{"csrf", csrf}, {"confirmer", "1"}}, admin);
  EXPECT_NE(again.body.find("est déjà désactivé"), std::string::npos);

  const auto back = post("/admin/comptes/lecteur/reactivation", {{"csrf", csrf}}, admin);
  ASSERT_EQ(back.status, 200) << back.body;
  login("lecteur");
  EXPECT_EQ(api_get("/api/v1/me", token->token).status, 401);  // revoked for good

  const auto audit = account_audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0][0], "user.deactivate");
  EXPECT_EQ(audit[0][1], "lecteur");
  EXPECT_EQ(audit[0][3], "{\"active\":false,\"must_change_password\":false,\"tokens_revoked\":1}");
  EXPECT_EQ(audit[1][0], "user.reactivate");
}

TEST_F(AccountLifeTest, NobodyDeactivatesTheirOwnAccountOrTheLastAdministrator) {
  const std::string before = dump_database(db_);
  auto self = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    const auto alice = tx.accounts().find_user("alice");
    return octroi::deactivate_user(tx, ctx, "alice", alice->id);
  });
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.refusal().first().code, "user.self");
  // At the command line (no account acting), alice is still the last administrator.
  auto last = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::deactivate_user(tx, ctx, "alice", 0);
  });
  ASSERT_FALSE(last.ok());
  EXPECT_EQ(last.refusal().first().code, "user.last_administrator");
  EXPECT_EQ(last.refusal().first().field, "login");
  auto unknown = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::deactivate_user(tx, ctx, "personne", 0);
  });
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.refusal().first().code, "user.unknown");
  EXPECT_EQ(dump_database(db_), before);
  // With a second administrator, the first can go.
  add_users({{"bob", "administrator"}});
  auto gone = write([&](octroi::Transaction& tx, const octroi::Context& ctx) {
    return octroi::deactivate_user(tx, ctx, "alice", 0);
  });
  EXPECT_TRUE(gone.ok()) << gone.refusal().describe();
}

TEST_F(AccountLifeTest, AResetPasswordIsShownOnceAndMustBeChangedBeforeAnythingElse) {
  const std::string reader = login("lecteur");
  const std::string admin = login("alice");
  const std::string csrf = csrf_of(get("/admin/comptes", admin).body);
  const std::string untouched = dump_database(db_);
  EXPECT_EQ(post("/admin/comptes/lecteur/mot-de-passe", {{"csrf", csrf}}, admin).status, 422);
  EXPECT_EQ(dump_database(db_), untouched);  // not confirmed: nothing happened
  const auto reset =
      post("/admin/comptes/lecteur/mot-de-passe", {{"csrf", csrf}, {"confirmer", "1"}}, admin);
  ASSERT_EQ(reset.status, 200) << reset.body;
  std::smatch m;
  const std::regex shown("id=\"mot-de-passe-provisoire\">([^<]+)<");
  ASSERT_TRUE(std::regex_search(reset.body, m, shown)) << reset.body;
  const std::string temporary = m[1].str();
  EXPECT_EQ(temporary.size(), octroi::kTemporaryPasswordLength);
  EXPECT_EQ(dump_database(db_).find(temporary), std::string::npos);  // only its hash is kept
  EXPECT_EQ(get("/admin/comptes", admin).body.find(temporary), std::string::npos);  // once
  // The reader's open session ended; the old password no longer opens one.
  EXPECT_EQ(get("/", reader).status, 303);
  EXPECT_EQ(post("/login", {{"login", "lecteur"}, {"password", "mot-de-passe-lecteur"}}).status,
            401);
  // The temporary password opens a session that serves the account page only.
  const std::string forced = login("lecteur", "/compte", temporary);
  for (const char* path : {"/", "/dossiers", "/dossiers/EX070158"}) {
    const auto r = get(path, forced);
    EXPECT_EQ(r.status, 303) << path;
    EXPECT_EQ(header(r, "Location"), "/compte") << path;
  }
  const auto account = get("/compte", forced);
  ASSERT_EQ(account.status, 200);
  EXPECT_NE(account.body.find("Choisissez un nouveau mot de passe avant de continuer"),
            std::string::npos);
  // The API, with that session's cookie: what is asked, and nothing else.
  HttpRequest api_call;
  api_call.method = "GET";
  api_call.path = "/api/v1/applications";
  api_call.headers["cookie"] = "octroi_session=" + forced;
  api_call.remote_addr = "127.0.0.1";
  const auto refused = api_->handle(api_call);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("auth.password_change"), std::string::npos);
  api_call.path = "/api/v1/me";
  const auto me = api_->handle(api_call);
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(nlohmann::json::parse(me.body).at("must_change_password"), true) << me.body;
  // The change lifts it.
  const auto changed = post("/compte",
                            {{"csrf", csrf_of(account.body)},
                             {"current", temporary},
                             {"next", "un-nouveau-secret-a-moi"}},
                            forced);
  ASSERT_EQ(changed.status, 303) << changed.body;
  const std::string free = login("lecteur", "/", "un-nouveau-secret-a-moi");
  EXPECT_EQ(get("/dossiers", free).status, 200);

  const auto audit = account_audit();
  ASSERT_GE(audit.size(), 2u);
  EXPECT_EQ(audit[0][0], "user.password_reset");
  EXPECT_EQ(audit[0][3], "{\"active\":true,\"must_change_password\":true}");
  EXPECT_EQ(audit[1][0], "user.password");
  for (const auto& line : audit)
    for (const auto& cell : line)
      EXPECT_EQ(cell.find(temporary), std::string::npos);
}

TEST_F(AccountLifeTest, ANewPasswordRequiredTakesEffectOnTheOpenSession) {
  const std::string instructor = login("instructeur");
  EXPECT_EQ(get("/dossiers", instructor).status, 200);
  const std::string admin = login("alice");
  const std::string csrf = csrf_of(get("/admin/comptes", admin).body);
  const auto required = post("/admin/comptes/instructeur/changement", {{"csrf", csrf}}, admin);
  ASSERT_EQ(required.status, 200) << required.body;
  const auto r = get("/dossiers", instructor);
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(header(r, "Location"), "/compte");
  // An administrator cannot reset their own password this way (their account page does it).
  const std::string before = dump_database(db_);
  const auto self =
      post("/admin/comptes/alice/mot-de-passe", {{"csrf", csrf}, {"confirmer", "1"}}, admin);
  EXPECT_EQ(self.status, 422);
  EXPECT_NE(self.body.find("Votre propre mot de passe"), std::string::npos);
  const auto unknown = post("/admin/comptes/personne/changement", {{"csrf", csrf}}, admin);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(dump_database(db_), before);
}

// A clock the test moves.
class SteppingClock : public octroi::Clock {
 public:
  octroi::Instant now() override { return at_; }
  octroi::Instant at_ = *octroi::Instant::parse(FixedClock::kNow);
};

TEST_F(AccountLifeTest, ATokenActsWithinItsOwnersRightsAndExpires) {
  const std::string before = dump_database(db_);
  // A reader's account cannot hold an instructor's token; no owner, no token; one year at most.
  auto beyond = token_of("lecteur", "", "instructor");
  ASSERT_FALSE(beyond.ok());
  EXPECT_EQ(beyond.refusal().first().code, "token.role");
  auto ownerless = token_of("");
  ASSERT_FALSE(ownerless.ok());
  EXPECT_EQ(ownerless.refusal().first().code, "token.owner");
  auto too_long = token_of("lecteur", "2024-01-22");
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.refusal().first().code, "token.expiry");
  auto bad_date = token_of("lecteur", "31/02/2023");
  ASSERT_FALSE(bad_date.ok());
  EXPECT_EQ(bad_date.refusal().first().field, "expires_on");
  EXPECT_EQ(dump_database(db_), before);

  // The default: 90 days. A read-only token of an administrator's account.
  auto plain = token_of("lecteur");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->record.expires_at.iso(), "2023-04-21T00:00:00Z");
  auto read_only = token_of("alice", "", "reader");
  ASSERT_TRUE(read_only.ok()) << read_only.refusal().describe();
  EXPECT_EQ(read_only->record.role, "reader");

  auto until = token_of("lecteur", "2023-02-01");
  ASSERT_TRUE(until.ok());
  EXPECT_EQ(until->record.expires_at.iso(), "2023-02-02T00:00:00Z");
  SteppingClock clock;
  auto principal = [&](const std::string& t) {
    return octroi::run_read(*store_, [&](octroi::Transaction& tx) {
      return octroi::principal_of_api_token(tx, clock, t, store_->hasher());
    });
  };
  EXPECT_TRUE(principal(until->token).ok());
  clock.at_ = *octroi::Instant::parse("2023-02-01T23:59:59Z");
  EXPECT_TRUE(principal(until->token).ok());
  clock.at_ = *octroi::Instant::parse("2023-02-02T00:00:00Z");
  auto expired = principal(until->token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.refusal().first().code, "auth.token_expired");
  EXPECT_NE(expired.refusal().first().message.find("1er février 2023"), std::string::npos)
      << expired.refusal().first().message;
  // An owner deactivated without its tokens revoked (as a reactivation would leave them): its
  // tokens are refused all the same.
  EXPECT_TRUE(principal(plain->token).ok());
  ASSERT_TRUE(write([&](octroi::Transaction& tx, const octroi::Context& ctx) -> octroi::Status {
                tx.accounts().set_user_active(ctx.authority, tx.accounts().find_user("lecteur")->id,
                                              false);
                return octroi::done();
              }).ok());
  auto orphan = principal(plain->token);
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.refusal().first().code, "auth.bad_token");
}

TEST_F(AccountLifeTest, TheTokensPageIssuesAValueShownOnceAndRevokesOnConfirmation) {
  const std::string admin = login("alice");
  const auto page = get("/admin/jetons", admin);
  ASSERT_EQ(page.status, 200);
  const std::string csrf = csrf_of(page.body);
  const auto refused = post("/admin/jetons",
                            {{"csrf", csrf},
                             {"label", "Export"},
                             {"owner", "lecteur"},
                             {"role", ""},
                             {"expires_on", "2030-01-01"}},
                            admin);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("value=\"Export\""), std::string::npos);  // the form kept
  const auto issued = post("/admin/jetons",
                           {{"csrf", csrf},
                            {"label", "Export"},
                            {"owner", "lecteur"},
                            {"role", ""},
                            {"expires_on", "2023-06-30"}},
                           admin);
  ASSERT_EQ(issued.status, 200) << issued.body;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(issued.body, m, std::regex("id=\"jeton\">([0-9a-f]{64})<")));
  const std::string value = m[1].str();
  EXPECT_EQ(api_get("/api/v1/me", value).status, 200);
  EXPECT_EQ(get("/admin/jetons", admin).body.find(value), std::string::npos);
  EXPECT_NE(get("/admin/jetons", admin).body.find("30 juin 2023"), std::string::npos);
  const auto id = query(db_, "SELECT id FROM api_tokens WHERE label = 'Export'").at(0).at(0);
  const auto unconfirmed = post("/admin/jetons/" + id + "/revocation", {{"csrf", csrf}}, admin);
  EXPECT_EQ(unconfirmed.status, 422);
  EXPECT_EQ(api_get("/api/v1/me", value).status, 200);
  const auto revoked =
      post("/admin/jetons/" + id + "/revocation", {{"csrf", csrf}, {"confirmer", "1"}}, admin);
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(api_get("/api/v1/me", value).status, 401);
  const auto twice =
      post("/admin/jetons/" + id + "/revocation", {{"csrf", csrf}, {"confirmer", "1"}}, admin);
  EXPECT_EQ(twice.status, 404);
}

TEST_F(AccountLifeTest, TheCommandLineListsDeactivatesResetsAndIssuesOwnedTokens) {
  auto ok = [&](const std::vector<std::string>& args) {
    std::vector<std::string> full = args;
    full.insert(full.end(), {"--db", db_});
    const auto r = run_octroi(full);
    EXPECT_EQ(r.status, 0) << args[1] << ": " << r.err << r.out;
    return r;
  };
  const auto listed = ok({"user", "list"});
  EXPECT_NE(listed.out.find("lecteur  lecteur  reader  actif"), std::string::npos) << listed.out;
  ok({"user", "deactivate", "--login", "lecteur"});
  EXPECT_NE(ok({"user", "list"}).out.find("lecteur  lecteur  reader  désactivé"),
            std::string::npos);
  const auto twice = run_octroi({"user", "deactivate", "--login", "lecteur", "--db", db_});
  EXPECT_EQ(twice.status, 1);
  EXPECT_NE(twice.err.find("déjà désactivé"), std::string::npos) << twice.err;
  const auto inactive = run_octroi({"user", "require-change", "--login", "lecteur", "--db", db_});
  EXPECT_EQ(inactive.status, 1);
  EXPECT_NE(inactive.err.find("[user.inactive]"), std::string::npos) << inactive.err;
  ok({"user", "reactivate", "--login", "lecteur"});
  const auto reset = ok({"user", "reset-password", "--login", "lecteur", "--generate"});
  std::string temporary = reset.out;
  while (!temporary.empty() && temporary.back() == '\n')
    temporary.pop_back();
  EXPECT_EQ(temporary.size(), octroi::kTemporaryPasswordLength) << reset.out;
  login("lecteur", "/compte", temporary);
  ok({"user", "require-change", "--login", "instructeur"});
  const auto last = run_octroi({"user", "deactivate", "--login", "alice", "--db", db_});
  EXPECT_EQ(last.status, 1);
  EXPECT_NE(last.err.find("dernier administrateur actif"), std::string::npos) << last.err;
  // (The command line runs on the machine's clock: 90 days from today.)
  const auto issued = ok({"token", "issue", "--label", "SI finances", "--owner", "instructeur"});
  EXPECT_EQ(issued.out.size(), 65u) << issued.out;  // 64 hexadecimal digits and a newline
  EXPECT_NE(issued.err.find("de instructeur, valable jusqu'au "), std::string::npos) << issued.err;
  const auto past = run_octroi({"token", "issue", "--label", "x", "--owner", "instructeur",
                                "--expires", "2000-01-01", "--db", db_});
  EXPECT_EQ(past.status, 1);
  EXPECT_NE(past.err.find("[token.expiry]"), std::string::npos) << past.err;
  const auto tokens = ok({"token", "list"});
  EXPECT_NE(tokens.out.find("SI finances  instructor (Service de l'artisanat)  de instructeur"),
            std::string::npos)
      << tokens.out;
  const auto no_owner = run_octroi({"token", "issue", "--label", "x", "--db", db_});
  EXPECT_NE(no_owner.status, 0);
}

}  // namespace
}  // namespace octroi_test
