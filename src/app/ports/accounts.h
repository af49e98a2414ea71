// Accounts, login sessions, API tokens and idempotency keys (the web application).
// Part of the Transaction port (app/ports.h): reached as tx.accounts(); the same thread-safety
// and failure contract (StoreError) as every port of a transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/instant.h"
#include "domain/ids.h"

namespace octroi {

// A person who logs in. The login is unique in the whole database (a shared platform serves
// several authorities); the user belongs to one authority and has one role.
struct UserRecord {
  std::int64_t id = 0;
  AuthorityId authority;
  std::string login;
  std::string display_name;
  std::string role;  // "administrator" | "instructor" | "approver" | "clerk" | "finance" | "reader"
  std::string service;        // the instructor's service ("" for other roles)
  std::string password_hash;  // argon2id, libsodium's crypto_pwhash_str format
  bool active = true;
  Instant created_at;
  bool must_change_password = false;  // nothing else until a new password is chosen
};

// A server-side login session (not a committee Session): the browser holds a random token, the
// database only its SHA-256.
struct LoginSessionRecord {
  std::string token_hash;
  std::int64_t user_id = 0;
  AuthorityId authority;
  std::string csrf_token;  // the synchronizer token every state-changing form carries
  Instant created_at, last_seen_at;
  Instant expires_at;  // absolute expiry; the idle expiry is counted from last_seen_at
};

// A bearer token for the API, scoped to a role and an authority; stored as its SHA-256 only.
struct ApiTokenRecord {
  std::int64_t id = 0;
  AuthorityId authority;
  std::string token_hash;
  std::string label;
  std::string role;
  Instant created_at;
  std::optional<Instant> revoked_at;
  std::string service;  // an instructor's token: the service whose dossiers it may change
  // The account the token belongs to (it acts within that account's rights and stops when the
  // account is deactivated); nullopt only for a token revoked by migration 0012, which found
  // no account to give it to.
  std::optional<std::int64_t> owner_user_id;
  Instant expires_at;       // refused from then on
  std::string owner_login;  // read from the owner's row ("" when none); not stored
};

// The answer given to a creating request sent with an Idempotency-Key, replayed when the same
// key comes again.
struct IdempotencyRecord {
  AuthorityId authority;
  std::string key;
  std::string request_hash;  // SHA-256 of method, path and body: the same key with another
                             // request is refused rather than replayed
  int status = 0;
  std::string response_body;
  Instant created_at;
};

// The login throttle's count for one key (LoginThrottle, app/accounts.h), in the database so that
// every server on it counts the same failures. Instants are seconds since the epoch.
struct LoginFailureRecord {
  std::string key;
  int failures = 0;               // within the window that opened at first_at
  std::int64_t first_at = 0;      // the first failure of the window
  std::int64_t locked_until = 0;  // refused until then (0: never locked)
};

// How many failures within how long lock a key, and for how long.
struct ThrottleLimits {
  int max_failures = 5;
  std::int64_t window_seconds = 900;
  std::int64_t lockout_seconds = 900;
};

class AccountsPort {
 public:
  virtual ~AccountsPort() = default;

  virtual std::int64_t insert_user(const UserRecord& u) = 0;
  // By login, whatever the authority (logins are unique in the database).
  virtual std::optional<UserRecord> find_user(const std::string& login) = 0;
  virtual std::optional<UserRecord> get_user(AuthorityId a, std::int64_t id) = 0;
  virtual std::vector<UserRecord> list_users(AuthorityId a) = 0;
  // Sets the password, and whether the account must change it at its next login.
  virtual void update_user_password(AuthorityId a, std::int64_t id, const std::string& hash,
                                    bool must_change) = 0;
  virtual void set_user_active(AuthorityId a, std::int64_t id, bool active) = 0;
  virtual void set_must_change_password(AuthorityId a, std::int64_t id, bool must_change) = 0;
  // Renames a service on the accounts, API tokens and unanswered opinions that carry it; how many
  // rows changed.
  virtual std::int64_t rename_service_of_accounts(AuthorityId a, const std::string& from,
                                                  const std::string& to) = 0;
  virtual void insert_login_session(const LoginSessionRecord& s) = 0;
  virtual std::optional<LoginSessionRecord> find_login_session(const std::string& token_hash) = 0;
  virtual void touch_login_session(const std::string& token_hash, Instant at) = 0;
  virtual void delete_login_session(const std::string& token_hash) = 0;
  // Every session of the user (after a password change, or when the account is disabled).
  virtual void delete_login_sessions_of(AuthorityId a, std::int64_t user_id) = 0;
  virtual std::int64_t insert_api_token(const ApiTokenRecord& t) = 0;
  virtual std::optional<ApiTokenRecord> find_api_token(const std::string& token_hash) = 0;
  virtual std::vector<ApiTokenRecord> list_api_tokens(AuthorityId a) = 0;
  // False when there is no such token or it was already revoked.
  virtual bool revoke_api_token(AuthorityId a, std::int64_t id, Instant at) = 0;
  // Revokes every token of the account not yet revoked; how many.
  virtual std::int64_t revoke_api_tokens_of(AuthorityId a, std::int64_t user_id, Instant at) = 0;
  virtual std::optional<IdempotencyRecord> find_idempotency(AuthorityId a,
                                                            const std::string& key) = 0;
  virtual void insert_idempotency(const IdempotencyRecord& r) = 0;

  // The login throttle. No authority: a key names a login or an address before anyone is
  // authenticated.
  virtual std::optional<LoginFailureRecord> find_login_failure(const std::string& key) = 0;
  // Counts one failure of `key` at `now`, in one statement that stays right when several
  // servers count the same key at once: a new window (count 1, first_at = now) if there was no
  // entry, its count was 0 or its window is over; when the count reaches max_failures,
  // locked_until = now + lockout and the count goes back to 0. The entry as it now stands.
  virtual LoginFailureRecord record_login_failure(const std::string& key, std::int64_t now,
                                                  const ThrottleLimits& limits) = 0;
  // The entry of `key` as it stands, locked until the transaction ends (so that attempts made
  // at once on one key are judged one after the other); created empty (no failure) if absent.
  virtual LoginFailureRecord lock_login_failure(const std::string& key, std::int64_t now) = 0;
  // Takes one failure back (a success that had been counted beforehand): the count less one
  // (a lockout already set stays).
  virtual void forgive_login_failure(const std::string& key) = 0;
  // Refuses `key` until `until` at least (a growing delay).
  virtual void delay_login(const std::string& key, std::int64_t until) = 0;
  virtual void delete_login_failure(const std::string& key) = 0;
  // Deletes the entries whose window and lockout are both over at `now` (they mean nothing any
  // more); how many.
  virtual std::int64_t delete_stale_login_failures(std::int64_t now,
                                                   std::int64_t window_seconds) = 0;
};

}  // namespace octroi
