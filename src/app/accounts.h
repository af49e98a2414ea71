// Accounts, login sessions and API tokens (issue 6): who may use octroi, and as what.
//
// Passwords are hashed with argon2id (PasswordHasher); the session cookie and the API token are
// random (TokenSource) and only their SHA-256 is stored, so a copy of the database opens no
// session. A login session expires after `idle` without use and, in any case, `absolute` after
// it opened. A wrong login and a wrong password get the same refusal, so that logins cannot be
// discovered; repeated failures are throttled (LoginThrottle).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "app/audit_chain.h"
#include "app/context.h"
#include "app/permissions.h"
#include "app/ports.h"
#include "app/ports/accounts.h"
#include "core/result.h"

namespace octroi {

struct SessionPolicy {
  std::int64_t idle_seconds = 30 * 60;
  std::int64_t absolute_seconds = 12 * 3600;
  std::int64_t touch_every_seconds = 60;  // last_seen_at is written at most this often
};

struct UserInput {
  std::string login, display_name, role, service, password;
};
// Refuses a malformed login, an unknown role, a password of fewer than 12 characters (or more
// than 128, or equal to the login) and a login already taken anywhere in the database.
Result<UserRecord> create_user(Transaction& tx, const Context& ctx, const UserInput& in,
                               PasswordHasher& passwords);
// The password rules of create_user, for `login`'s password typed in `field`.
std::optional<Problem> password_problem(const std::string& password, const std::string& login,
                                        const std::string& field);

struct OpenedSession {
  std::string token;  // for the cookie; not stored
  LoginSessionRecord session;
  UserRecord user;
};
// The account whose login and password these are; "auth.invalid" for any wrong login or
// password or an inactive account (as slow for an unknown login as for a wrong password).
Result<UserRecord> check_credentials(Transaction& tx, const std::string& login,
                                     const std::string& password, PasswordHasher& passwords);
// Opens a session for an account check_credentials accepted; "auth.invalid" if the account
// changed since (another password, deactivated).
Result<OpenedSession> open_checked_session(Transaction& tx, Clock& clock, const UserRecord& checked,
                                           TokenSource& tokens, Hasher& sha256,
                                           const SessionPolicy& policy = {});
// Both in one transaction.
Result<OpenedSession> open_session(Transaction& tx, Clock& clock, const std::string& login,
                                   const std::string& password, PasswordHasher& passwords,
                                   TokenSource& tokens, Hasher& sha256,
                                   const SessionPolicy& policy = {});
// The login of the front ends: the slow password check in a read transaction, then the session
// written in a short write transaction, so that writers never wait for a password hash (with
// group commit, every writer of the store would).
Result<OpenedSession> sign_in(Store& store, Clock& clock, const std::string& login,
                              const std::string& password, PasswordHasher& passwords,
                              TokenSource& tokens, Hasher& sha256,
                              const SessionPolicy& policy = {});

// Who is calling: a logged-in user, or an API token.
struct Principal {
  AuthorityId authority;
  Role role = Role::Reader;
  std::string actor;         // "web:login" or "api:token-label", for the audit trail
  std::int64_t user_id = 0;  // 0 for an API token
  std::string display_name;
  std::string service;
  std::string csrf_token;    // "" for an API token (no cookie, no CSRF)
  std::string session_hash;  // "" for an API token
  bool needs_touch = false;  // the session's last_seen_at is older than touch_every_seconds
  // The account acting: the user's, or the API token's owner (0 for a token without one).
  std::int64_t account_id = 0;
  // A session whose account must choose a new password: nothing else is served until then.
  bool must_change_password = false;
  // An applicant of the portal (role Applicant): their account (applicant_accounts, never a
  // user) and address; 0 and "" for an agent.
  std::int64_t applicant_id = 0;
  std::string applicant_email;
};

// "auth.no_session" (unknown token, disabled user) or "auth.session_expired" (idle or absolute).
Result<Principal> principal_of_session(Transaction& tx, Clock& clock, const std::string& token,
                                       Hasher& sha256, const SessionPolicy& policy = {});
void touch_session(Transaction& tx, Clock& clock, const Principal& p);
void close_session(Transaction& tx, const std::string& token, Hasher& sha256);

struct IssuedToken {
  std::string token;  // shown once
  ApiTokenRecord record;
};
// A token belongs to an active account of the authority (its owner) and acts within that
// account's rights: its role is the owner's ("" for it) or one that permits nothing the owner's
// does not (reader's for anyone; any for an administrator); an instructor's token of an
// instructor is limited to the owner's service (`service`, if given, must be that one), an
// administrator's instructor token names its service. Checked again at each use.
// It expires at the end of `expires_on` (UTC; ISO or French short date), at most
// kTokenMaxDays days ahead; kTokenDefaultDays when "".
struct TokenRequest {
  std::string label;
  std::string owner;  // the owner's login; "" for the account issuing it (by_user)
  std::string role;
  std::string service;
  std::string expires_on;
};
inline constexpr int kTokenDefaultDays = 90;
inline constexpr int kTokenMaxDays = 366;
// `by_user`: the account issuing it (0 at the command line, where `owner` is required).
Result<IssuedToken> issue_api_token(Transaction& tx, const Context& ctx, const TokenRequest& in,
                                    std::int64_t by_user, TokenSource& tokens, Hasher& sha256);
// "auth.bad_token" for an unknown or revoked token, or one whose owner is deactivated;
// "auth.token_expired" once it expired.
Result<Principal> principal_of_api_token(Transaction& tx, Clock& clock, const std::string& token,
                                         Hasher& sha256);
// The authority's tokens (their hashes, never the tokens), revoked ones included.
Result<std::vector<ApiTokenRecord>> list_api_tokens(Transaction& tx, AuthorityId a);
// Revokes token `id` ("token.unknown" if there is none, or it was already revoked); audited.
Result<ApiTokenRecord> revoke_api_token(Transaction& tx, const Context& ctx, const std::string& id);

// The context the use cases run in on behalf of `p`: its authority, its actor, and an
// instructor's service (check_instructing_service).
Context context_of(const Principal& p, Clock& clock);

// Checks the current password, sets the new one and closes every session of the user (the
// caller's included: the web adapter then opens a fresh one).
Result<UserRecord> change_password(Transaction& tx, const Context& ctx, const Principal& who,
                                   const std::string& current, const std::string& next,
                                   PasswordHasher& passwords);

// Repeated login failures (issue 16, finding 3: a throttle that cannot be turned on its owner).
// A login attempt counts against three keys:
//   the pair (address, login)  max_failures within window_seconds lock it for lockout_seconds:
//                              the guesser is stopped, the owner elsewhere is not;
//   the address                kAddressFactor × max_failures lock it (it may be guessing many
//                              logins; a shared address has many honest users);
//   the login                  never locked: after max_failures failures from anywhere, each
//                              failure asks a growing delay (1, 2, 4… s, at most
//                              kLoginDelayCapSeconds) before the next attempt of that login,
//                              except from an address it signed in from within kKnownSeconds
//                              (a guesser elsewhere cannot keep its owner out).
// The pair and the address count the attempt *before* the password is checked (begin_login),
// each in a transaction that locks its row: attempts made at once are judged one after the
// other, so that no more than the limit get their password checked; a success gives the
// address's back and clears the pair and the login (end_login). Other keys ("password:<id>",
// the current password of a session) use failed/succeeded: max_failures lock them.
// The counts live in the database (login_failures, through the accounts port), so that several
// servers on one database count the same attempts; each call runs small transactions of its
// own: never call it from inside another write transaction. Entries whose window and lockout
// are over are swept when a failure is counted (at most once a minute per throttle), so the
// table stays bounded. Safe to share between the server's threads.
class LoginThrottle {
 public:
  explicit LoginThrottle(Store& store, int max_failures = 5, std::int64_t window_seconds = 900,
                         std::int64_t lockout_seconds = 900);
  // Seconds to wait before trying again, 0 if allowed now.
  std::int64_t wait_seconds(const std::string& key, std::int64_t now);
  void failed(const std::string& key, std::int64_t now);
  void succeeded(const std::string& key);

  // Before checking the password of `login` from `address`: the seconds to wait (the attempt is
  // refused, and not counted), or 0 when the attempt may go on (it is then counted against the
  // pair and the address).
  std::int64_t begin_login(const std::string& login, const std::string& address, std::int64_t now);
  // After an attempt begin_login let through.
  void end_login(bool ok, const std::string& login, const std::string& address, std::int64_t now);
  // The keys of an attempt, as counted.
  static std::string pair_key(const std::string& login, const std::string& address);
  static std::string address_key(const std::string& address);
  static std::string login_key(const std::string& login);
  static std::string known_key(const std::string& login, const std::string& address);
  // Guessing the current password from a session counts like failed logins of that user.
  static std::string password_key(std::int64_t user_id);
  // The key as stored: itself when it is printable ASCII of at most 200 bytes (every real login
  // and address), else "~" and a 64-bit digest of it (anything a client may type as a login).
  static std::string stored_key(const std::string& key);

  static constexpr std::int64_t kSweepEverySeconds = 60;
  static constexpr int kAddressFactor = 6;
  static constexpr std::int64_t kLoginDelayCapSeconds = 60;
  static constexpr std::int64_t kKnownSeconds = 90 * 24 * 3600;

 private:
  void sweep(std::int64_t now);
  // Locks `key`'s entry, refuses (its wait) if it is locked, else counts the attempt.
  std::int64_t claim(const std::string& key, const ThrottleLimits& limits, std::int64_t now);

  Store& store_;
  ThrottleLimits limits_;
  ThrottleLimits address_limits_;
  std::mutex mu_;
  std::optional<std::int64_t> last_sweep_;  // guarded by mu_
};

// The demonstration's accounts, one per role, with passwords printed by `make run` (a demo, not
// a deployment: change them or create real accounts with `octroi user create`).
struct DemoAccount {
  const char* login;
  const char* password;
  const char* role;
  const char* display_name;
  const char* service;
};
const std::vector<DemoAccount>& demo_accounts();
// Creates them in the authority of `ctx`; refused ("user.login_taken") if they exist.
Result<std::vector<UserRecord>> load_demo_accounts(Transaction& tx, const Context& ctx,
                                                   PasswordHasher& passwords);

// "auth.throttled": try again in `wait_seconds`.
Refusal throttled(std::int64_t wait_seconds, const std::string& field);

}  // namespace octroi
