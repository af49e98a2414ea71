// The store's side of the web application's accounts (issue 6, migration 0004): users, login
// sessions, API tokens, idempotency keys and dossier notes go through the Transaction port and
// come back as they were written, on the store under test (SQLite or PostgreSQL); the database
// itself refuses what it must (a login taken by another authority, an unknown role, a password
// that is not argon2id, a second answer under one Idempotency-Key, a changed note) and leaves
// everything as it was.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/ports/accounts.h"
#include "app/ports/applications.h"
#include "app/ports/notes.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

using octroi::ApiTokenRecord;
using octroi::ApplicationId;
using octroi::AuthorityId;
using octroi::IdempotencyRecord;
using octroi::LoginSessionRecord;
using octroi::NoteRecord;
using octroi::StoreError;
using octroi::Transaction;
using octroi::TxMode;
using octroi::UserRecord;
using octroi::sql::ConstraintViolation;

// Well-formed but fake: libsodium's crypto_pwhash_str format, with a made-up salt and hash.
const std::string kArgon2 =
    "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
    "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
const std::string kArgon2Other =
    "$argon2id$v=19$m=65536,t=2,p=1$b3RoZXJzYWx0b3RoZXJzYQ$"
    "b3RoZXJoYXNob3RoZXJoYXNob3RoZXJoYXNob3RoZXI";

class AccountsStoreTest : public DemoDatabaseTest {
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
    auto app = octroi::run_read(*store_, [&](Transaction& tx) {
      return tx.applications().find_application(idf_, "EX070158");
    });
    ASSERT_TRUE(app.has_value());
    app_ = app->id;
  }

  // A SHA-256 in hex, as the web layer stores tokens.
  std::string hash_of(const std::string& secret) { return store_->hasher().sha256_hex(secret); }

  UserRecord user(AuthorityId a, const std::string& login, const std::string& role = "instructor") {
    UserRecord u;
    u.authority = a;
    u.login = login;
    u.display_name = "Agent " + login;
    u.role = role;
    u.service = role == "instructor" ? "Direction du développement économique" : "";
    u.password_hash = kArgon2;
    u.active = true;
    u.created_at = instant(FixedClock::kNow);
    return u;
  }

  std::int64_t insert_user(const UserRecord& u) {
    auto tx = store_->begin(TxMode::Write);
    const std::int64_t id = tx->accounts().insert_user(u);
    tx->commit();
    return id;
  }

  LoginSessionRecord session(std::int64_t user_id, const std::string& secret) {
    LoginSessionRecord s;
    s.token_hash = hash_of(secret);
    s.user_id = user_id;
    s.authority = idf_;
    s.csrf_token = hash_of("csrf:" + secret).substr(0, 43);
    s.created_at = instant("2023-01-20T09:00:00Z");
    s.last_seen_at = instant("2023-01-20T09:00:00Z");
    s.expires_at = instant("2023-01-20T21:00:00Z");
    return s;
  }

  // Runs `write` in a write transaction that must be refused by the database (a
  // ConstraintViolation, or a StoreError when `constraint` is false), and checks that the
  // database is left exactly as it was.
  template <class F>
  void expect_refused(const char* what, F&& write, bool constraint = true) {
    SCOPED_TRACE(what);
    const std::string before = dump_database(db_);
    {
      auto tx = store_->begin(TxMode::Write);
      if (constraint)
        EXPECT_THROW(write(*tx), ConstraintViolation);
      else
        EXPECT_THROW(write(*tx), StoreError);
    }
    const std::string after = dump_database(db_);
    EXPECT_EQ(before, after) << first_difference(before, after);
  }

  AuthorityId cd93_;
  ApplicationId app_;
};

TEST_F(AccountsStoreTest, UsersRoundTrip) {
  const UserRecord zoe = user(idf_, "zoe.martin@iledefrance.fr");
  const UserRecord alain = user(idf_, "alain.durand", "approver");
  const std::int64_t zoe_id = insert_user(zoe);
  const std::int64_t alain_id = insert_user(alain);
  const std::int64_t other_id = insert_user(user(cd93_, "agent.cd93", "reader"));
  EXPECT_NE(zoe_id, alain_id);

  {
    auto tx = store_->begin(TxMode::Read);
    const auto found = tx->accounts().find_user("zoe.martin@iledefrance.fr");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, zoe_id);
    EXPECT_EQ(found->authority, idf_);
    EXPECT_EQ(found->login, zoe.login);
    EXPECT_EQ(found->display_name, zoe.display_name);
    EXPECT_EQ(found->role, "instructor");
    EXPECT_EQ(found->service, zoe.service);
    EXPECT_EQ(found->password_hash, kArgon2);
    EXPECT_TRUE(found->active);
    EXPECT_EQ(found->created_at.iso(), FixedClock::kNow);
    // A login is found whatever its authority; the record says which.
    const auto other = tx->accounts().find_user("agent.cd93");
    ASSERT_TRUE(other.has_value());
    EXPECT_EQ(other->authority, cd93_);
    EXPECT_FALSE(tx->accounts().find_user("nobody").has_value());

    const auto got = tx->accounts().get_user(idf_, alain_id);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->login, "alain.durand");
    EXPECT_EQ(got->role, "approver");
    EXPECT_EQ(got->service, "");
    // Not through another authority.
    EXPECT_FALSE(tx->accounts().get_user(cd93_, alain_id).has_value());
    EXPECT_FALSE(tx->accounts().get_user(idf_, other_id).has_value());

    // Ordered by login, each authority its own.
    std::vector<std::string> logins;
    for (const auto& u : tx->accounts().list_users(idf_))
      logins.push_back(u.login);
    EXPECT_EQ(logins, (std::vector<std::string>{"alain.durand", "zoe.martin@iledefrance.fr"}));
    const auto dep = tx->accounts().list_users(cd93_);
    ASSERT_EQ(dep.size(), 1U);
    EXPECT_EQ(dep[0].id, other_id);
  }

  // An inactive account reads back inactive.
  UserRecord gone = user(idf_, "ancien.agent", "clerk");
  gone.active = false;
  const std::int64_t gone_id = insert_user(gone);
  {
    auto tx = store_->begin(TxMode::Read);
    const auto got = tx->accounts().get_user(idf_, gone_id);
    ASSERT_TRUE(got.has_value());
    EXPECT_FALSE(got->active);
    EXPECT_EQ(got->role, "clerk");
  }

  {
    auto tx = store_->begin(TxMode::Write);
    tx->accounts().update_user_password(idf_, zoe_id, kArgon2Other, false);
    tx->commit();
  }
  {
    auto tx = store_->begin(TxMode::Read);
    EXPECT_EQ(tx->accounts().get_user(idf_, zoe_id)->password_hash, kArgon2Other);
    EXPECT_EQ(tx->accounts().get_user(idf_, alain_id)->password_hash, kArgon2);
  }
  // No such user, or not in this authority: nothing changed, StoreError.
  expect_refused(
      "password of an unknown user",
      [&](Transaction& tx) {
        tx.accounts().update_user_password(idf_, other_id + 1000, kArgon2Other, false);
      },
      false);
  expect_refused(
      "password of another authority's user",
      [&](Transaction& tx) { tx.accounts().update_user_password(cd93_, zoe_id, kArgon2, false); },
      false);
}

TEST_F(AccountsStoreTest, LoginSessionsRoundTrip) {
  const std::int64_t zoe = insert_user(user(idf_, "zoe"));
  const std::int64_t alain = insert_user(user(idf_, "alain", "finance"));
  const LoginSessionRecord first = session(zoe, "browser-1");
  const LoginSessionRecord second = session(zoe, "browser-2");
  const LoginSessionRecord other = session(alain, "browser-3");
  {
    auto tx = store_->begin(TxMode::Write);
    tx->accounts().insert_login_session(first);
    tx->accounts().insert_login_session(second);
    tx->accounts().insert_login_session(other);
    tx->commit();
  }
  {
    auto tx = store_->begin(TxMode::Read);
    const auto s = tx->accounts().find_login_session(first.token_hash);
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->token_hash, first.token_hash);
    EXPECT_EQ(s->user_id, zoe);
    EXPECT_EQ(s->authority, idf_);
    EXPECT_EQ(s->csrf_token, first.csrf_token);
    EXPECT_EQ(s->created_at, first.created_at);
    EXPECT_EQ(s->last_seen_at, first.last_seen_at);
    EXPECT_EQ(s->expires_at, first.expires_at);
    EXPECT_FALSE(tx->accounts().find_login_session(hash_of("never issued")).has_value());
  }

  {
    auto tx = store_->begin(TxMode::Write);
    tx->accounts().touch_login_session(first.token_hash, instant("2023-01-20T09:42:00Z"));
    tx->commit();
  }
  {
    auto tx = store_->begin(TxMode::Read);
    const auto s = tx->accounts().find_login_session(first.token_hash);
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->last_seen_at.iso(), "2023-01-20T09:42:00Z");
    EXPECT_EQ(s->created_at, first.created_at);
    EXPECT_EQ(s->expires_at, first.expires_at);
    EXPECT_EQ(tx->accounts().find_login_session(second.token_hash)->last_seen_at,
              second.last_seen_at);
  }
  expect_refused(
      "touch of an unknown session",
      [&](Transaction& tx) {
        tx.accounts().touch_login_session(hash_of("unknown"), instant("2023-01-20T10:00:00Z"));
      },
      false);

  // Logout of one browser.
  {
    auto tx = store_->begin(TxMode::Write);
    tx->accounts().delete_login_session(second.token_hash);
    tx->accounts().delete_login_session(hash_of("already gone"));  // not an error
    tx->commit();
  }
  {
    auto tx = store_->begin(TxMode::Read);
    EXPECT_FALSE(tx->accounts().find_login_session(second.token_hash).has_value());
    EXPECT_TRUE(tx->accounts().find_login_session(first.token_hash).has_value());
  }
  // Every session of a user, not another authority's call, not another user's session.
  {
    auto tx = store_->begin(TxMode::Write);
    tx->accounts().insert_login_session(second);
    tx->accounts().delete_login_sessions_of(cd93_, zoe);
    tx->commit();
  }
  EXPECT_EQ(count_rows(db_, "login_sessions"), 3);
  {
    auto tx = store_->begin(TxMode::Write);
    tx->accounts().delete_login_sessions_of(idf_, zoe);
    tx->commit();
  }
  {
    auto tx = store_->begin(TxMode::Read);
    EXPECT_FALSE(tx->accounts().find_login_session(first.token_hash).has_value());
    EXPECT_FALSE(tx->accounts().find_login_session(second.token_hash).has_value());
    EXPECT_TRUE(tx->accounts().find_login_session(other.token_hash).has_value());
  }
  EXPECT_EQ(count_rows(db_, "login_sessions"), 1);
}

TEST_F(AccountsStoreTest, ApiTokensRoundTrip) {
  const std::int64_t fabien = insert_user(user(idf_, "fabien", "finance"));
  const std::int64_t lea = insert_user(user(cd93_, "lea", "reader"));
  ApiTokenRecord live;
  live.authority = idf_;
  live.token_hash = hash_of("octroi_live_token");
  live.label = "Progiciel financier";
  live.role = "finance";
  live.created_at = instant(FixedClock::kNow);
  live.owner_user_id = fabien;
  live.expires_at = instant("2023-04-20T00:00:00Z");
  ApiTokenRecord revoked = live;
  revoked.owner_user_id = lea;
  revoked.authority = cd93_;
  revoked.token_hash = hash_of("octroi_old_token");
  revoked.label = "Ancien export";
  revoked.role = "reader";
  revoked.revoked_at = instant("2023-01-21T08:00:00Z");
  std::int64_t live_id = 0, revoked_id = 0;
  {
    auto tx = store_->begin(TxMode::Write);
    live_id = tx->accounts().insert_api_token(live);
    revoked_id = tx->accounts().insert_api_token(revoked);
    tx->commit();
  }
  EXPECT_NE(live_id, revoked_id);
  {
    auto tx = store_->begin(TxMode::Read);
    const auto t = tx->accounts().find_api_token(live.token_hash);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->id, live_id);
    EXPECT_EQ(t->authority, idf_);
    EXPECT_EQ(t->token_hash, live.token_hash);
    EXPECT_EQ(t->label, "Progiciel financier");
    EXPECT_EQ(t->role, "finance");
    EXPECT_EQ(t->created_at.iso(), FixedClock::kNow);
    EXPECT_FALSE(t->revoked_at.has_value());
    EXPECT_EQ(t->owner_user_id, std::optional<std::int64_t>(fabien));
    EXPECT_EQ(t->owner_login, "fabien");
    EXPECT_EQ(t->expires_at.iso(), "2023-04-20T00:00:00Z");
    const auto r = tx->accounts().find_api_token(revoked.token_hash);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->id, revoked_id);
    EXPECT_EQ(r->authority, cd93_);
    EXPECT_EQ(r->revoked_at, std::optional<octroi::Instant>(instant("2023-01-21T08:00:00Z")));
    EXPECT_FALSE(tx->accounts().find_api_token(hash_of("forged")).has_value());
  }
  expect_refused("the same token twice",
                 [&](Transaction& tx) { tx.accounts().insert_api_token(live); });
  expect_refused("a token hash that is not a SHA-256", [&](Transaction& tx) {
    ApiTokenRecord t = live;
    t.token_hash = "octroi_live_token";
    tx.accounts().insert_api_token(t);
  });
  expect_refused("a token with an unknown role", [&](Transaction& tx) {
    ApiTokenRecord t = live;
    t.token_hash = hash_of("another");
    t.role = "superuser";
    tx.accounts().insert_api_token(t);
  });
  // The database itself refuses a live token without an owner, or owned in another authority.
  expect_refused("a live token without an owner", [&](Transaction& tx) {
    ApiTokenRecord t = live;
    t.token_hash = hash_of("ownerless");
    t.owner_user_id.reset();
    tx.accounts().insert_api_token(t);
  });
  expect_refused("a token owned by another authority's account", [&](Transaction& tx) {
    ApiTokenRecord t = live;
    t.token_hash = hash_of("foreign owner");
    t.owner_user_id = lea;
    tx.accounts().insert_api_token(t);
  });
  const std::string before = dump_database(db_);
  EXPECT_EQ(exec_sql(db_, "UPDATE api_tokens SET owner_user_id = " + std::to_string(lea) +
                              " WHERE owner_user_id = " + std::to_string(fabien)),
            SqlOutcome::Constraint);
  EXPECT_EQ(dump_database(db_), before);
}

// The accounts' life cycle in the store: (de)activation, the password to change, the tokens of
// an account revoked together; and the database keeps an active administrator per authority.
TEST_F(AccountsStoreTest, AccountsLifeCycleAndTheLastAdministrator) {
  const std::int64_t alice = insert_user(user(idf_, "alice", "administrator"));
  const std::int64_t bob = insert_user(user(idf_, "bob", "administrator"));
  const std::int64_t zoe = insert_user(user(idf_, "zoe", "reader"));
  {
    auto tx = store_->begin(TxMode::Write);
    for (const char* name : {"one", "two"}) {
      ApiTokenRecord t;
      t.authority = idf_;
      t.token_hash = hash_of(name);
      t.label = name;
      t.role = "reader";
      t.created_at = instant(FixedClock::kNow);
      t.owner_user_id = zoe;
      t.expires_at = instant("2023-04-20T00:00:00Z");
      tx->accounts().insert_api_token(t);
    }
    tx->accounts().set_user_active(idf_, zoe, false);
    tx->accounts().set_must_change_password(idf_, bob, true);
    EXPECT_EQ(tx->accounts().revoke_api_tokens_of(idf_, zoe, instant(FixedClock::kNow)), 2);
    EXPECT_EQ(tx->accounts().revoke_api_tokens_of(idf_, zoe, instant(FixedClock::kNow)), 0);
    tx->accounts().set_user_active(idf_, alice, false);  // bob is still an active administrator
    tx->commit();
  }
  {
    auto tx = store_->begin(TxMode::Read);
    EXPECT_FALSE(tx->accounts().get_user(idf_, zoe)->active);
    EXPECT_TRUE(tx->accounts().get_user(idf_, bob)->must_change_password);
    EXPECT_FALSE(tx->accounts().get_user(idf_, zoe)->must_change_password);
    EXPECT_TRUE(tx->accounts().find_api_token(hash_of("one"))->revoked_at.has_value());
  }
  // bob is the last active administrator of idf: neither deactivated nor demoted.
  expect_refused("the last administrator deactivated",
                 [&](Transaction& tx) { tx.accounts().set_user_active(idf_, bob, false); });
  const std::string before = dump_database(db_);
  EXPECT_EQ(exec_sql(db_, "UPDATE users SET role = 'reader' WHERE id = " + std::to_string(bob)),
            SqlOutcome::Constraint);
  EXPECT_EQ(dump_database(db_), before);
  expect_refused(
      "(de)activating another authority's account",
      [&](Transaction& tx) { tx.accounts().set_user_active(cd93_, zoe, true); }, false);
}

TEST_F(AccountsStoreTest, IdempotencyKeysRoundTripAndRefuseASecondAnswer) {
  IdempotencyRecord r;
  r.authority = idf_;
  r.key = "5f0c1d0e-7a9b-4c3d-8e2f-0a1b2c3d4e5f";
  r.request_hash = hash_of("POST /api/applications {\"title\":\"…\"}");
  r.status = 201;
  r.response_body = "{\"number\": \"EX070160\"}";
  r.created_at = instant(FixedClock::kNow);
  {
    auto tx = store_->begin(TxMode::Write);
    EXPECT_FALSE(tx->accounts().find_idempotency(idf_, r.key).has_value());
    tx->accounts().insert_idempotency(r);
    tx->commit();
  }
  {
    auto tx = store_->begin(TxMode::Read);
    const auto got = tx->accounts().find_idempotency(idf_, r.key);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->authority, idf_);
    EXPECT_EQ(got->key, r.key);
    EXPECT_EQ(got->request_hash, r.request_hash);
    EXPECT_EQ(got->status, 201);
    EXPECT_EQ(got->response_body, r.response_body);
    EXPECT_EQ(got->created_at, r.created_at);
    // The key is the authority's: another one has not used it.
    EXPECT_FALSE(tx->accounts().find_idempotency(cd93_, r.key).has_value());
    EXPECT_FALSE(tx->accounts().find_idempotency(idf_, "another-key").has_value());
  }
  // The same key in another authority is another key.
  {
    IdempotencyRecord dep = r;
    dep.authority = cd93_;
    dep.status = 409;
    auto tx = store_->begin(TxMode::Write);
    tx->accounts().insert_idempotency(dep);
    tx->commit();
  }
  expect_refused("the same key twice", [&](Transaction& tx) {
    IdempotencyRecord again = r;
    again.status = 200;
    again.response_body = "{}";
    tx.accounts().insert_idempotency(again);
  });
  expect_refused("an empty key", [&](Transaction& tx) {
    IdempotencyRecord bad = r;
    bad.key = "";
    tx.accounts().insert_idempotency(bad);
  });
  expect_refused("a key of 201 characters", [&](Transaction& tx) {
    IdempotencyRecord bad = r;
    bad.key = std::string(201, 'k');
    tx.accounts().insert_idempotency(bad);
  });
  expect_refused("a status that is not HTTP's", [&](Transaction& tx) {
    IdempotencyRecord bad = r;
    bad.key = "other";
    bad.status = 600;
    tx.accounts().insert_idempotency(bad);
  });
  {
    auto tx = store_->begin(TxMode::Read);
    EXPECT_EQ(tx->accounts().find_idempotency(idf_, r.key)->status, 201);
    EXPECT_EQ(tx->accounts().find_idempotency(cd93_, r.key)->status, 409);
  }
}

TEST_F(AccountsStoreTest, NotesRoundTripInOrderAndStayWithTheirAuthority) {
  NoteRecord first{0, app_, "zoe", instant("2023-01-20T09:00:00Z"),
                   "Pièces reçues, à relancer pour le RIB."};
  NoteRecord second{0, app_, "alain", instant("2023-01-20T09:05:00Z"),
                    std::string("Vu avec le service : ") + std::string(9000, 'x')};
  std::int64_t first_id = 0, second_id = 0;
  {
    auto tx = store_->begin(TxMode::Write);
    first_id = tx->notes().insert_note(idf_, first);
    second_id = tx->notes().insert_note(idf_, second);
    tx->commit();
  }
  EXPECT_LT(first_id, second_id);
  {
    auto tx = store_->begin(TxMode::Read);
    const auto notes = tx->notes().notes_of(idf_, app_);
    ASSERT_EQ(notes.size(), 2U);
    EXPECT_EQ(notes[0].id, first_id);
    EXPECT_EQ(notes[0].application, app_);
    EXPECT_EQ(notes[0].author, "zoe");
    EXPECT_EQ(notes[0].at, first.at);
    EXPECT_EQ(notes[0].text, first.text);
    EXPECT_EQ(notes[1].id, second_id);
    EXPECT_EQ(notes[1].text, second.text);
    // Not seen through another authority.
    EXPECT_TRUE(tx->notes().notes_of(cd93_, app_).empty());
    const auto other = tx->applications().find_application(idf_, "EX070162");
    ASSERT_TRUE(other.has_value());
    EXPECT_TRUE(tx->notes().notes_of(idf_, other->id).empty());
  }
  // Nor written through it: the Region's dossier is not the département's.
  expect_refused(
      "a note on another authority's dossier",
      [&](Transaction& tx) {
        tx.notes().insert_note(cd93_, {0, app_, "agent.cd93", first.at, "Intrus"});
      },
      false);
  expect_refused("an empty note", [&](Transaction& tx) {
    tx.notes().insert_note(idf_, {0, app_, "zoe", first.at, ""});
  });
  expect_refused("a note of 10 001 characters", [&](Transaction& tx) {
    tx.notes().insert_note(idf_, {0, app_, "zoe", first.at, std::string(10001, 'y')});
  });

  // Append-only, in SQL too.
  const std::string before = dump_database(db_);
  std::string msg;
  EXPECT_EQ(exec_sql(db_,
                     "UPDATE application_notes SET text = 'réécrit' WHERE id = " +
                         std::to_string(first_id),
                     &msg),
            SqlOutcome::Constraint);
  EXPECT_NE(msg.find("append-only"), std::string::npos) << msg;
  EXPECT_EQ(
      exec_sql(db_, "DELETE FROM application_notes WHERE id = " + std::to_string(second_id), &msg),
      SqlOutcome::Constraint);
  EXPECT_NE(msg.find("append-only"), std::string::npos) << msg;
  EXPECT_EQ(exec_sql(db_, "DELETE FROM application_notes", &msg), SqlOutcome::Constraint);
  if (octroi_testing::testing_postgres()) {
    EXPECT_EQ(exec_sql(db_, "TRUNCATE application_notes", &msg), SqlOutcome::Constraint);
    EXPECT_NE(msg.find("append-only"), std::string::npos) << msg;
  }
  const std::string after = dump_database(db_);
  EXPECT_EQ(before, after) << first_difference(before, after);
}

TEST_F(AccountsStoreTest, DatabaseRefusesBadAccounts) {
  const std::int64_t zoe = insert_user(user(idf_, "zoe"));

  // One login in the whole database, whatever the authority.
  expect_refused("the same login in another authority",
                 [&](Transaction& tx) { tx.accounts().insert_user(user(cd93_, "zoe", "reader")); });
  expect_refused("the same login in the same authority",
                 [&](Transaction& tx) { tx.accounts().insert_user(user(idf_, "zoe", "clerk")); });
  expect_refused("an unknown role", [&](Transaction& tx) {
    tx.accounts().insert_user(user(idf_, "paul", "president"));
  });
  expect_refused("a password hash that is not argon2id", [&](Transaction& tx) {
    UserRecord u = user(idf_, "paul");
    u.password_hash = "$2b$12$abcdefghijklmnopqrstuv0123456789ABCDEFGHIJKLMNOPQRSTU";
    tx.accounts().insert_user(u);
  });
  expect_refused("a password in clear", [&](Transaction& tx) {
    UserRecord u = user(idf_, "paul");
    u.password_hash = "motdepasse";
    tx.accounts().insert_user(u);
  });
  expect_refused("argon2i rather than argon2id", [&](Transaction& tx) {
    UserRecord u = user(idf_, "paul");
    u.password_hash = "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$aGFzaA";
    tx.accounts().insert_user(u);
  });
  expect_refused("a login with capitals",
                 [&](Transaction& tx) { tx.accounts().insert_user(user(idf_, "Paul")); });
  expect_refused("a login with a space",
                 [&](Transaction& tx) { tx.accounts().insert_user(user(idf_, "paul dupont")); });
  expect_refused("an empty login",
                 [&](Transaction& tx) { tx.accounts().insert_user(user(idf_, "")); });
  expect_refused("a login of 65 characters", [&](Transaction& tx) {
    tx.accounts().insert_user(user(idf_, std::string(65, 'a')));
  });
  expect_refused("a user of no authority", [&](Transaction& tx) {
    tx.accounts().insert_user(user(AuthorityId{cd93_.value + 1000}, "paul"));
  });
  // The characters a login may hold, up to 64 of them.
  const std::string longest = std::string(50, 'a') + "0.9_-@x.fr" + "abcd";
  ASSERT_EQ(longest.size(), 64U);
  insert_user(user(idf_, longest));

  expect_refused("a session token hash that is not a SHA-256", [&](Transaction& tx) {
    LoginSessionRecord s = session(zoe, "s");
    s.token_hash = "abc";
    tx.accounts().insert_login_session(s);
  });
  expect_refused("a short CSRF token", [&](Transaction& tx) {
    LoginSessionRecord s = session(zoe, "s");
    s.csrf_token = "0123456789abcdef";
    tx.accounts().insert_login_session(s);
  });
  expect_refused("a session of an unknown user", [&](Transaction& tx) {
    tx.accounts().insert_login_session(session(zoe + 1000, "s"));
  });
  {
    // The store cannot write another format (an Instant is written one way); the database
    // refuses one all the same, should a hand-written statement try.
    std::string msg;
    EXPECT_EQ(exec_sql(db_,
                       "INSERT INTO login_sessions (token_hash, user_id, authority_id, "
                       "csrf_token, created_at, last_seen_at, expires_at) VALUES ('" +
                           hash_of("s") + "', " + std::to_string(zoe) + ", " +
                           std::to_string(idf_.value) + ", '" + hash_of("csrf:s").substr(0, 43) +
                           "', '2023-01-20T09:00:00Z', '2023-01-20T09:00:00Z', "
                           "'2023-01-20 21:00:00')",
                       &msg),
              SqlOutcome::Constraint)
        << msg;
  }
  expect_refused("the same session twice", [&](Transaction& tx) {
    tx.accounts().insert_login_session(session(zoe, "s"));
    tx.accounts().insert_login_session(session(zoe, "s"));
  });

  EXPECT_EQ(count_rows(db_, "users"), 2);
  EXPECT_EQ(count_rows(db_, "login_sessions"), 0);
}

// `octroi db copy` knows the new tables (copy_order) and carries their rows, including the
// tables without an id (login_sessions, idempotency_keys).
TEST_F(AccountsStoreTest, CopyCarriesTheAccounts) {
  const std::int64_t zoe = insert_user(user(idf_, "zoe"));
  std::int64_t note = 0;
  {
    auto tx = store_->begin(TxMode::Write);
    tx->accounts().insert_login_session(session(zoe, "browser"));
    ApiTokenRecord t;
    t.authority = idf_;
    t.token_hash = hash_of("token");
    t.label = "Export";
    t.role = "reader";
    t.created_at = instant(FixedClock::kNow);
    t.owner_user_id = zoe;
    t.expires_at = instant("2023-04-20T00:00:00Z");
    tx->accounts().insert_api_token(t);
    tx->accounts().insert_idempotency(
        {idf_, "key-1", hash_of("request"), 201, "{}", instant(FixedClock::kNow)});
    note = tx->notes().insert_note(idf_, {0, app_, "zoe", instant(FixedClock::kNow), "Note"});
    tx->commit();
  }
  const std::string copy = dir_.file("copy.db");
  const auto r = run_octroi({"db", "copy", "--from", db_, "--to", copy, "--authority", "idf"});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  for (const char* table :
       {"users", "login_sessions", "api_tokens", "idempotency_keys", "application_notes"})
    EXPECT_EQ(count_rows(copy, table), 1) << table;
  EXPECT_EQ(query(copy, "SELECT login, active FROM users"),
            (std::vector<std::vector<std::string>>{{"zoe", "1"}}));

  // And back onto a fresh database of the store under test, which goes on from there: new rows
  // take ids past the copied ones (PostgreSQL's sequences were moved).
  TestDatabase back(dir_.path(), "back");
  const auto r2 = run_octroi({"db", "copy", "--from", copy, "--to", back.locator()});
  ASSERT_EQ(r2.status, 0) << r2.err << r2.out;
  auto target = octroi::stores::open(back.locator(), octroi::stores::OpenMode::Existing);
  auto tx = target->begin(TxMode::Write);
  const auto copied = tx->accounts().find_user("zoe");
  ASSERT_TRUE(copied.has_value());
  EXPECT_EQ(copied->id, zoe);
  EXPECT_TRUE(copied->active);
  EXPECT_TRUE(tx->accounts().find_login_session(hash_of("browser")).has_value());
  EXPECT_EQ(tx->notes().notes_of(idf_, app_).size(), 1U);
  EXPECT_GT(tx->accounts().insert_user(user(idf_, "nouvel.agent")), zoe);
  EXPECT_GT(
      tx->notes().insert_note(idf_, {0, app_, "zoe", instant(FixedClock::kNow), "Après la copie"}),
      note);
  tx->commit();
}

}  // namespace
}  // namespace octroi_test
