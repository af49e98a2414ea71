// API tokens for tests: every token belongs to an account (issue 16, finding 5), so the helper
// creates, on first use, an account of the token's role (and service, for an instructor) in the
// context's authority, with an unusable password (no hashing: fast), and issues the token to it.
#pragma once

#include <functional>
#include <string>

#include "app/accounts.h"
#include "app/ports/accounts.h"

namespace octroi_test {

// A well-formed argon2id hash no password matches in the tests.
inline constexpr const char* kUnusableHash =
    "$argon2id$v=19$m=65536,t=2,p=1$OJceHedXW37HKjJt+81QXw$"
    "j7RErrEplQnNLc96St0Tt7Yl0JjZp1L21RUdAqwRMMc";

// The login of the account that owns the test tokens of `role` (and `service`) in `ctx`'s
// authority, created if absent.
inline std::string test_token_owner(octroi::Transaction& tx, const octroi::Context& ctx,
                                    const std::string& role, const std::string& service) {
  std::string login = "tok." + role + ".a" + std::to_string(ctx.authority.value);
  if (!service.empty()) login += "." + std::to_string(std::hash<std::string>{}(service) % 1000000);
  if (!tx.accounts().find_user(login)) {
    octroi::UserRecord u;
    u.authority = ctx.authority;
    u.login = login;
    u.display_name = "Titulaire des jetons " + role;
    u.role = role;
    u.service = service;
    u.password_hash = kUnusableHash;
    u.active = true;
    u.created_at = ctx.clock->now();
    tx.accounts().insert_user(u);
  }
  return login;
}

inline octroi::Result<octroi::IssuedToken> issue_test_token(
    octroi::Transaction& tx, const octroi::Context& ctx, octroi::TokenSource& tokens,
    octroi::Hasher& sha256, const std::string& label, const std::string& role,
    const std::string& service = "", const std::string& expires_on = "") {
  const std::string owner = test_token_owner(tx, ctx, role, service);
  return octroi::issue_api_token(tx, ctx, {label, owner, role, service, expires_on}, 0, tokens,
                                 sha256);
}

}  // namespace octroi_test
