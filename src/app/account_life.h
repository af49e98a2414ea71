// The accounts' life cycle (issue 16, finding 5): an administrator lists the authority's
// accounts, deactivates and reactivates them, resets another agent's password and requires a
// new one at the next login. Every act is audited (never a password) and refused, naming the
// field, when it would leave the authority without an active administrator or turn on the
// caller's own account.
//
// `by_user` is the account acting (the caller's user id, or the owner of the API token used);
// 0 for the operator at the command line, who acts on the database directly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/ports.h"
#include "app/ports/accounts.h"
#include "core/result.h"

namespace octroi {

// The authority's accounts, by login (their password hashes stay inside the use cases).
Result<std::vector<UserRecord>> list_users(Transaction& tx, AuthorityId a);

// Deactivates `login`: its sessions end at once, its API tokens are revoked, and it cannot log in
// again until reactivated. Refused: "user.unknown", "user.already_inactive", "user.self" (one's
// own account), "user.last_administrator".
struct Deactivated {
  UserRecord user;
  std::int64_t tokens_revoked = 0;
};
Result<Deactivated> deactivate_user(Transaction& tx, const Context& ctx, const std::string& login,
                                    std::int64_t by_user);
// Lets `login` log in again (its revoked tokens stay revoked). "user.unknown",
// "user.already_active".
Result<UserRecord> reactivate_user(Transaction& tx, const Context& ctx, const std::string& login);

// An administrator sets another agent's password: `password` as given (the rules of
// create_user), or, when empty, a new random one (kTemporaryPasswordLength characters) returned
// once. The account must choose its own at its next login, and its sessions end. "user.unknown",
// "user.self" (one changes one's own password from one's account page), "user.password_*".
struct PasswordReset {
  UserRecord user;
  std::string temporary_password;  // the generated password, "" when one was given
};
Result<PasswordReset> reset_password(Transaction& tx, const Context& ctx, const std::string& login,
                                     const std::string& password, std::int64_t by_user,
                                     PasswordHasher& passwords, TokenSource& tokens);
// Five groups of four hexadecimal digits (80 random bits) and "-Ab": "3f9a-…-Ab".
inline constexpr std::size_t kTemporaryPasswordLength = 27;

// The account must choose a new password at its next request (its open sessions see it at
// once; its API tokens, separate credentials, go on: revoke them if they leaked too).
// "user.unknown", "user.self", "user.inactive"; already required, nothing changes.
Result<UserRecord> require_password_change(Transaction& tx, const Context& ctx,
                                           const std::string& login, std::int64_t by_user);

}  // namespace octroi
