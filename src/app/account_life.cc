#include "app/account_life.h"

#include "app/accounts.h"
#include "app/audit_json.h"
#include "app/workspace.h"

namespace octroi {
namespace {

Refusal unknown_user(const std::string& login) {
  return refuse("user.unknown", "login", "Aucun compte « " + login + " » dans cette collectivité.");
}

// The account `login` of ctx's authority (another authority's account is as unknown as none).
Result<UserRecord> user_of(Transaction& tx, const Context& ctx, const std::string& login) {
  auto u = tx.accounts().find_user(login);
  if (!u || u->authority != ctx.authority) return unknown_user(login);
  // Read again within the authority: on PostgreSQL after its lock, so that two administrators
  // acting at once on one account are judged one after the other, each on the row as it stands.
  u = tx.accounts().get_user(ctx.authority, u->id);
  if (!u) return unknown_user(login);
  return *u;
}

bool is_last_active_administrator(Transaction& tx, const UserRecord& u) {
  if (u.role != "administrator" || !u.active) return false;
  for (const auto& other : tx.accounts().list_users(u.authority))
    if (other.id != u.id && other.role == "administrator" && other.active) return false;
  return true;
}

std::string state_json(const UserRecord& u) {
  return std::string("{\"active\":") + (u.active ? "true" : "false") +
         ",\"must_change_password\":" + (u.must_change_password ? "true" : "false") + "}";
}

// A password nobody chose: 80 random bits as five groups of four hexadecimal digits and four
// separators ("3f9a-…"), easy to read out to its owner, who must change it at once.
std::string temporary_password(TokenSource& tokens) {
  const std::string random = tokens.token();
  OCTROI_CHECK(random.size() >= 20, "a token has 64 hexadecimal digits");
  std::string out;
  for (std::size_t i = 0; i < 20; ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += random[i];
  }
  out += "-Ab";  // and letters of both cases, for the rules of many password managers
  OCTROI_CHECK(out.size() == kTemporaryPasswordLength, "the length the header states");
  return out;
}

}  // namespace

Result<std::vector<UserRecord>> list_users(Transaction& tx, AuthorityId a) {
  return tx.accounts().list_users(a);
}

Result<Deactivated> deactivate_user(Transaction& tx, const Context& ctx, const std::string& login,
                                    std::int64_t by_user) {
  auto found = user_of(tx, ctx, login);
  if (!found.ok()) return found.refusal();
  UserRecord u = std::move(found).value();
  if (!u.active)
    return refuse("user.already_inactive", "login",
                  "Le compte « " + login + " » est déjà désactivé.");
  if (u.id == by_user)
    return refuse("user.self", "login",
                  "Vous ne pouvez pas désactiver votre propre compte : demandez-le à un autre "
                  "administrateur.");
  if (is_last_active_administrator(tx, u))
    return refuse("user.last_administrator", "login",
                  "« " + login +
                      " » est le dernier administrateur actif de la collectivité : nommez-en un "
                      "autre avant de le désactiver.");
  const std::string before = state_json(u);
  const Instant at = ctx.clock->now();
  release_assignments(tx, ctx, u);  // a deactivated account instructs nothing (migration 0018)
  tx.accounts().set_user_active(ctx.authority, u.id, false);
  tx.accounts().delete_login_sessions_of(ctx.authority, u.id);
  Deactivated out;
  out.tokens_revoked = tx.accounts().revoke_api_tokens_of(ctx.authority, u.id, at);
  u.active = false;
  record_audit(tx, ctx,
               {.action = "user.deactivate",
                .entity = "user",
                .key = u.login,
                .before = before,
                .after = "{\"active\":false,\"must_change_password\":" +
                         std::string(u.must_change_password ? "true" : "false") +
                         ",\"tokens_revoked\":" + std::to_string(out.tokens_revoked) + "}",
                .at = at});
  out.user = std::move(u);
  return out;
}

Result<UserRecord> reactivate_user(Transaction& tx, const Context& ctx, const std::string& login) {
  auto found = user_of(tx, ctx, login);
  if (!found.ok()) return found.refusal();
  UserRecord u = std::move(found).value();
  if (u.active)
    return refuse("user.already_active", "login", "Le compte « " + login + " » est déjà actif.");
  const std::string before = state_json(u);
  tx.accounts().set_user_active(ctx.authority, u.id, true);
  u.active = true;
  record_audit(tx, ctx,
               {.action = "user.reactivate",
                .entity = "user",
                .key = u.login,
                .before = before,
                .after = state_json(u)});
  return u;
}

Result<PasswordReset> reset_password(Transaction& tx, const Context& ctx, const std::string& login,
                                     const std::string& password, std::int64_t by_user,
                                     PasswordHasher& passwords, TokenSource& tokens) {
  auto found = user_of(tx, ctx, login);
  if (!found.ok()) return found.refusal();
  UserRecord u = std::move(found).value();
  if (u.id == by_user)
    return refuse("user.self", "login",
                  "Votre propre mot de passe se change depuis la page « Mon compte », avec "
                  "l'actuel.");
  PasswordReset out;
  std::string next = password;
  if (next.empty()) next = out.temporary_password = temporary_password(tokens);
  if (auto p = password_problem(next, u.login, "password")) return Refusal(*p);
  const std::string before = state_json(u);
  u.password_hash = passwords.hash(next);
  u.must_change_password = true;
  tx.accounts().update_user_password(ctx.authority, u.id, u.password_hash, true);
  tx.accounts().delete_login_sessions_of(ctx.authority, u.id);
  record_audit(tx, ctx,
               {.action = "user.password_reset",
                .entity = "user",
                .key = u.login,
                .before = before,
                .after = state_json(u)});
  out.user = std::move(u);
  return out;
}

Result<UserRecord> require_password_change(Transaction& tx, const Context& ctx,
                                           const std::string& login, std::int64_t by_user) {
  auto found = user_of(tx, ctx, login);
  if (!found.ok()) return found.refusal();
  UserRecord u = std::move(found).value();
  if (u.id == by_user)
    return refuse("user.self", "login",
                  "Votre propre mot de passe se change depuis la page « Mon compte ».");
  if (!u.active)
    return refuse("user.inactive", "login",
                  "Le compte « " + login + " » est désactivé : réactivez-le d'abord.");
  if (u.must_change_password) return u;  // already required: nothing to do, nothing to audit
  const std::string before = state_json(u);
  tx.accounts().set_must_change_password(ctx.authority, u.id, true);
  u.must_change_password = true;
  record_audit(tx, ctx,
               {.action = "user.require_password_change",
                .entity = "user",
                .key = u.login,
                .before = before,
                .after = state_json(u)});
  return u;
}

}  // namespace octroi
