// The accounts port (app/ports/accounts.h) over sql::Connection.
#include <algorithm>
#include <string>
#include <vector>

#include "adapters/sql/row.h"
#include "adapters/sql/tx_context.h"
#include "app/ports/accounts.h"
#include "core/result.h"

namespace octroi::sql {
namespace {

constexpr const char* kUserColumns =
    "id, authority_id, login, display_name, role, service, password_hash, active, created_at, "
    "must_change_password";

constexpr const char* kLoginSessionColumns =
    "token_hash, user_id, authority_id, csrf_token, created_at, last_seen_at, expires_at";

// With the owner's login (api_tokens t LEFT JOIN users o).
constexpr const char* kApiTokenSelect =
    "SELECT t.id, t.authority_id, t.token_hash, t.label, t.role, t.created_at, t.revoked_at, "
    "t.service, t.owner_user_id, t.expires_at, coalesce(o.login, '') FROM api_tokens t "
    "LEFT JOIN users o ON o.id = t.owner_user_id ";

constexpr const char* kIdempotencyColumns =
    "authority_id, key, request_hash, status, response_body, created_at";

class SqlAccounts final : public AccountsPort {
 public:
  explicit SqlAccounts(TxContext& t) : t_(t) {}

  std::int64_t insert_user(const UserRecord& u) override {
    t_.scope(u.authority);
    return Params(t_.c.prepare("INSERT INTO users (authority_id, login, display_name, role, "
                               "service, password_hash, "
                               "active, created_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id"))
        .add(u.authority.value)
        .add(u.login)
        .add(u.display_name)
        .add(u.role)
        .add(u.service)
        .add(u.password_hash)
        .add(u.active)
        .add(u.created_at)
        .run_returning_id();
  }

  // Logins are unique in the whole database: no authority to scope to (the caller learns it
  // from the row).
  std::optional<UserRecord> find_user(const std::string& login) override {
    auto st = t_.c.prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE login = ?");
    Params(st).add(login);
    if (!st.step()) return std::nullopt;
    return user_row(st);
  }

  std::optional<UserRecord> get_user(AuthorityId a, std::int64_t id) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kUserColumns +
                           " FROM users WHERE authority_id = ? AND id = ?");
    Params(st).add(a.value).add(id);
    if (!st.step()) return std::nullopt;
    return user_row(st);
  }

  std::vector<UserRecord> list_users(AuthorityId a) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kUserColumns +
                           " FROM users WHERE authority_id = ? ORDER BY login LIMIT 10000");
    Params(st).add(a.value);
    std::vector<UserRecord> out;
    while (st.step())
      out.push_back(user_row(st));
    return out;
  }

  void update_user_password(AuthorityId a, std::int64_t id, const std::string& hash,
                            bool must_change) override {
    t_.scope(a);
    Params(t_.c.prepare("UPDATE users SET password_hash = ?, must_change_password = ? WHERE "
                        "authority_id = ? AND id = ?"))
        .add(hash)
        .add(must_change)
        .add(a.value)
        .add(id)
        .run();
    if (t_.c.changes() != 1) throw StoreError("user whose password to change not found");
  }

  void set_user_active(AuthorityId a, std::int64_t id, bool active) override {
    t_.scope(a);
    Params(t_.c.prepare("UPDATE users SET active = ? WHERE authority_id = ? AND id = ?"))
        .add(active)
        .add(a.value)
        .add(id)
        .run();
    if (t_.c.changes() != 1) throw StoreError("user to (de)activate not found");
  }

  std::int64_t rename_service_of_accounts(AuthorityId a, const std::string& from,
                                          const std::string& to) override {
    t_.scope(a);
    std::int64_t changed = 0;
    // An opinion not answered yet is asked of the service under its new name; an answered one
    // keeps the name of the service that gave it (and may not change).
    for (const char* table : {"users", "api_tokens", "application_opinions"}) {
      const std::string pending =
          std::string(table) == "application_opinions" ? " AND opinion IS NULL" : "";
      Params(t_.c.prepare(std::string("UPDATE ") + table +
                          " SET service = ? WHERE authority_id = ? AND service = ?" + pending))
          .add(to)
          .add(a.value)
          .add(from)
          .run();
      changed += t_.c.changes();
    }
    return changed;
  }

  void set_must_change_password(AuthorityId a, std::int64_t id, bool must_change) override {
    t_.scope(a);
    Params(
        t_.c.prepare("UPDATE users SET must_change_password = ? WHERE authority_id = ? AND id = ?"))
        .add(must_change)
        .add(a.value)
        .add(id)
        .run();
    if (t_.c.changes() != 1) throw StoreError("user to require a new password of not found");
  }

  void insert_login_session(const LoginSessionRecord& s) override {
    t_.scope(s.authority);
    Params(t_.c.prepare(std::string("INSERT INTO login_sessions (") + kLoginSessionColumns +
                        ") VALUES (?,?,?,?,?,?,?)"))
        .add(s.token_hash)
        .add(s.user_id)
        .add(s.authority.value)
        .add(s.csrf_token)
        .add(s.created_at)
        .add(s.last_seen_at)
        .add(s.expires_at)
        .run();
  }

  // By the hash of the token the browser presented: the authority is what the row says.
  std::optional<LoginSessionRecord> find_login_session(const std::string& token_hash) override {
    auto st = t_.c.prepare(std::string("SELECT ") + kLoginSessionColumns +
                           " FROM login_sessions WHERE token_hash = ?");
    Params(st).add(token_hash);
    if (!st.step()) return std::nullopt;
    Row row(st);
    return LoginSessionRecord{row.text(),    row.int64(),   row.id<AuthorityId>(), row.text(),
                              row.instant(), row.instant(), row.instant()};
  }

  // touch and delete name a session by its token only; they lock the session's authority
  // first all the same (scope_session), so that the authority row stays the first lock a
  // PostgreSQL writer takes.
  void touch_login_session(const std::string& token_hash, Instant at) override {
    t_.scope_session(token_hash);
    Params(t_.c.prepare("UPDATE login_sessions SET last_seen_at = ? WHERE token_hash = ?"))
        .add(at)
        .add(token_hash)
        .run();
    if (t_.c.changes() != 1) throw StoreError("login session to touch not found");
  }

  // Deleting a session that is already gone (expired and swept, or a second logout) is not an
  // error.
  void delete_login_session(const std::string& token_hash) override {
    t_.scope_session(token_hash);
    Params(t_.c.prepare("DELETE FROM login_sessions WHERE token_hash = ?")).add(token_hash).run();
  }

  void delete_login_sessions_of(AuthorityId a, std::int64_t user_id) override {
    t_.scope(a);
    Params(t_.c.prepare("DELETE FROM login_sessions WHERE authority_id = ? AND user_id = ?"))
        .add(a.value)
        .add(user_id)
        .run();
  }

  std::int64_t insert_api_token(const ApiTokenRecord& t) override {
    t_.scope(t.authority);
    return Params(t_.c.prepare(
                      "INSERT INTO api_tokens (authority_id, token_hash, label, role, created_at, "
                      "revoked_at, service, owner_user_id, expires_at) VALUES (?,?,?,?,?,?,?,?,?) "
                      "RETURNING id"))
        .add(t.authority.value)
        .add(t.token_hash)
        .add(t.label)
        .add(t.role)
        .add(t.created_at)
        .add(t.revoked_at)
        .add(t.service)
        .add(t.owner_user_id)
        .add(t.expires_at)
        .run_returning_id();
  }

  std::optional<ApiTokenRecord> find_api_token(const std::string& token_hash) override {
    auto st = t_.c.prepare(std::string(kApiTokenSelect) + "WHERE t.token_hash = ?");
    Params(st).add(token_hash);
    if (!st.step()) return std::nullopt;
    return api_token_row(st);
  }

  std::vector<ApiTokenRecord> list_api_tokens(AuthorityId a) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string(kApiTokenSelect) +
                           "WHERE t.authority_id = ? ORDER BY t.id LIMIT 10000");
    Params(st).add(a.value);
    std::vector<ApiTokenRecord> out;
    while (st.step())
      out.push_back(api_token_row(st));
    return out;
  }

  bool revoke_api_token(AuthorityId a, std::int64_t id, Instant at) override {
    t_.scope(a);
    Params(
        t_.c.prepare("UPDATE api_tokens SET revoked_at = ? WHERE authority_id = ? AND id = ? AND "
                     "revoked_at IS NULL"))
        .add(at)
        .add(a.value)
        .add(id)
        .run();
    return t_.c.changes() == 1;
  }

  std::int64_t revoke_api_tokens_of(AuthorityId a, std::int64_t user_id, Instant at) override {
    t_.scope(a);
    Params(t_.c.prepare("UPDATE api_tokens SET revoked_at = ? WHERE authority_id = ? AND "
                        "owner_user_id = ? AND revoked_at IS NULL"))
        .add(at)
        .add(a.value)
        .add(user_id)
        .run();
    return t_.c.changes();
  }

  std::optional<IdempotencyRecord> find_idempotency(AuthorityId a,
                                                    const std::string& key) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kIdempotencyColumns +
                           " FROM idempotency_keys WHERE authority_id = ? AND key = ?");
    Params(st).add(a.value).add(key);
    if (!st.step()) return std::nullopt;
    Row row(st);
    return IdempotencyRecord{row.id<AuthorityId>(), row.text(), row.text(),
                             row.integer(),         row.text(), row.instant()};
  }

  // A key already recorded for the authority is refused by the primary key
  // (ConstraintViolation): the first answer stays the one replayed.
  void insert_idempotency(const IdempotencyRecord& r) override {
    t_.scope(r.authority);
    Params(t_.c.prepare(std::string("INSERT INTO idempotency_keys (") + kIdempotencyColumns +
                        ") VALUES (?,?,?,?,?,?)"))
        .add(r.authority.value)
        .add(r.key)
        .add(r.request_hash)
        .add(r.status)
        .add(r.response_body)
        .add(r.created_at)
        .run();
  }

  std::optional<LoginFailureRecord> find_login_failure(const std::string& key) override {
    auto st = t_.c.prepare(
        "SELECT key, failures, first_at, locked_until FROM login_failures WHERE key = ?");
    Params(st).add(key);
    if (!st.step()) return std::nullopt;
    Row row(st);
    return LoginFailureRecord{row.text(), row.integer(), row.int64(), row.int64()};
  }

  // One upsert, so that two servers counting the same key at once both count: PostgreSQL's
  // ON CONFLICT DO UPDATE locks the row and applies the SET to the latest version; SQLite has
  // one writer. In the SET, f.* is the row before the update (in both engines).
  LoginFailureRecord record_login_failure(const std::string& key, std::int64_t now,
                                          const ThrottleLimits& limits) override {
    OCTROI_CHECK(limits.max_failures >= 1, "a throttle locks after one failure at least");
    // ?1 key, ?2 now, ?3 the start of a window still open, ?4 max failures, ?5 locked until.
    const std::string restart = "(f.failures = 0 OR f.first_at < ?3)";
    const std::string count = "(CASE WHEN " + restart + " THEN 1 ELSE f.failures + 1 END)";
    const bool locks_at_once = limits.max_failures == 1;
    auto st = t_.c.prepare(
        "INSERT INTO login_failures AS f (key, failures, first_at, locked_until) "
        "VALUES (?1, ?6, ?2, ?7) ON CONFLICT (key) DO UPDATE SET "
        "failures = CASE WHEN " +
        count + " >= ?4 THEN 0 ELSE " + count +
        " END, "
        "first_at = CASE WHEN " +
        restart +
        " THEN ?2 ELSE f.first_at END, "
        "locked_until = CASE WHEN " +
        count +
        " >= ?4 THEN ?5 ELSE f.locked_until END "
        "RETURNING key, failures, first_at, locked_until");
    Params(st)
        .add(key)
        .add(now)
        .add(now - limits.window_seconds)
        .add(limits.max_failures)
        .add(now + limits.lockout_seconds)
        .add(locks_at_once ? 0 : 1)
        .add(locks_at_once ? now + limits.lockout_seconds : std::int64_t{0});
    if (!st.step()) throw StoreError("login failure not recorded");
    Row row(st);
    LoginFailureRecord out{row.text(), row.integer(), row.int64(), row.int64()};
    while (st.step()) {
    }
    return out;
  }

  LoginFailureRecord lock_login_failure(const std::string& key, std::int64_t now) override {
    // An upsert that changes nothing takes the row's lock on PostgreSQL (SQLite has one writer).
    auto st = t_.c.prepare(
        "INSERT INTO login_failures AS f (key, failures, first_at, locked_until) "
        "VALUES (?, 0, ?, 0) ON CONFLICT (key) DO UPDATE SET key = f.key "
        "RETURNING key, failures, first_at, locked_until");
    Params(st).add(key).add(now);
    if (!st.step()) throw StoreError("login failure not locked");
    Row row(st);
    LoginFailureRecord out{row.text(), row.integer(), row.int64(), row.int64()};
    while (st.step()) {
    }
    return out;
  }

  void forgive_login_failure(const std::string& key) override {
    // Never lifts a lockout: a success that reached the limit was counted against it, and
    // lifting it would let one account of one's own reset an address's count at will.
    Params(t_.c.prepare(
               "UPDATE login_failures SET failures = failures - 1 WHERE key = ? AND failures > 0"))
        .add(key)
        .run();
  }

  void delay_login(const std::string& key, std::int64_t until) override {
    Params(t_.c.prepare("UPDATE login_failures SET locked_until = CASE WHEN locked_until < ? "
                        "THEN ? ELSE locked_until END WHERE key = ?"))
        .add(until)
        .add(until)
        .add(key)
        .run();
  }

  void delete_login_failure(const std::string& key) override {
    Params(t_.c.prepare("DELETE FROM login_failures WHERE key = ?")).add(key).run();
  }

  std::int64_t delete_stale_login_failures(std::int64_t now, std::int64_t window_seconds) override {
    Params(t_.c.prepare("DELETE FROM login_failures WHERE first_at < ? AND locked_until <= ?"))
        .add(now - window_seconds)
        .add(now)
        .run();
    return t_.c.changes();
  }

 private:
  static UserRecord user_row(Statement& st) {
    UserRecord u;
    Row row(st);
    u.id = row.int64();
    u.authority = row.id<AuthorityId>();
    u.login = row.text();
    u.display_name = row.text();
    u.role = row.text();
    u.service = row.text();
    u.password_hash = row.text();
    u.active = row.flag();
    u.created_at = row.instant();
    u.must_change_password = row.flag();
    return u;
  }

  static ApiTokenRecord api_token_row(Statement& st) {
    Row row(st);
    ApiTokenRecord t;
    t.id = row.int64();
    t.authority = row.id<AuthorityId>();
    t.token_hash = row.text();
    t.label = row.text();
    t.role = row.text();
    t.created_at = row.instant();
    t.revoked_at = row.opt_instant();
    t.service = row.text();
    t.owner_user_id = row.opt_int64();
    t.expires_at = row.instant();
    t.owner_login = row.text();
    return t;
  }

  TxContext& t_;
};

}  // namespace

std::unique_ptr<AccountsPort> accounts_rows(TxContext& t) {
  return std::make_unique<SqlAccounts>(t);
}

}  // namespace octroi::sql
