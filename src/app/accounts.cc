#include "app/accounts.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "app/audit_json.h"
#include "app/context.h"
#include "app/ports/accounts.h"
#include "core/date.h"
#include "core/french.h"
#include "domain/text.h"

namespace octroi {
namespace {

bool login_is_valid(const std::string& login) {
  if (login.empty() || login.size() > 64) return false;
  for (char c : login) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                    c == '@' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string user_json(const UserRecord& u) {
  // Never the password hash.
  return "{\"login\":" + audit_json::quote(u.login) +
         ",\"display_name\":" + audit_json::quote(u.display_name) +
         ",\"role\":" + audit_json::quote(u.role) + ",\"service\":" + audit_json::quote(u.service) +
         ",\"active\":" + (u.active ? "true" : "false") + "}";
}

Refusal invalid_credentials() {
  return refuse("auth.invalid", "login", "Identifiant ou mot de passe incorrect.");
}

}  // namespace

std::optional<Problem> password_problem(const std::string& password, const std::string& login,
                                        const std::string& field) {
  if (password.size() < 12)
    return Problem{"user.password_short", field,
                   "Le mot de passe doit compter au moins 12 caractères."};
  if (password.size() > 128)
    return Problem{"user.password_long", field, "Le mot de passe ne peut dépasser 128 caractères."};
  if (password == login)
    return Problem{"user.password_is_login", field,
                   "Le mot de passe ne peut pas être l'identifiant."};
  return std::nullopt;
}

Result<UserRecord> create_user(Transaction& tx, const Context& ctx, const UserInput& in,
                               PasswordHasher& passwords) {
  std::vector<Problem> problems;
  if (!login_is_valid(in.login))
    problems.push_back({"user.login", "login",
                        "L'identifiant doit compter de 1 à 64 caractères parmi a-z, 0-9, « . », "
                        "« _ », « @ » et « - »."});
  if (in.display_name.empty() || in.display_name.size() > 200)
    problems.push_back({"user.display_name", "display_name",
                        "Le nom affiché est obligatoire (200 caractères au plus)."});
  const auto role = parse_role(in.role);
  if (!role)
    problems.push_back({"user.role", "role",
                        "Rôle inconnu « " + in.role +
                            " » : administrator, instructor, approver, clerk, finance ou reader."});
  const std::string service = text::trim(in.service);
  if (role == Role::Instructor && (service.empty() || service.size() > 200))
    problems.push_back({"user.service", "service",
                        "Un instructeur appartient à un service : nommez-le (200 caractères au "
                        "plus), celui des dispositifs dont il instruit les dossiers."});
  if (auto p = password_problem(in.password, in.login, "password")) problems.push_back(*p);
  if (!problems.empty()) return Refusal(std::move(problems));
  if (tx.accounts().find_user(in.login))
    return refuse("user.login_taken", "login", "L'identifiant « " + in.login + " » est déjà pris.");
  UserRecord u;
  u.authority = ctx.authority;
  u.login = in.login;
  u.display_name = in.display_name;
  u.role = std::string(to_string(*role));
  u.service = *role == Role::Instructor ? service : "";
  u.password_hash = passwords.hash(in.password);
  u.active = true;
  u.created_at = ctx.clock->now();
  u.id = tx.accounts().insert_user(u);
  record_audit(tx, ctx,
               {.action = "user.create",
                .entity = "user",
                .key = u.login,
                .after = user_json(u),
                .at = u.created_at});
  return u;
}

Result<UserRecord> check_credentials(Transaction& tx, const std::string& login,
                                     const std::string& password, PasswordHasher& passwords) {
  auto user = tx.accounts().find_user(login);
  if (!user) {
    // As slow as a wrong password, so that timing does not tell which logins exist.
    static const std::string kAbsent =
        "$argon2id$v=19$m=65536,t=2,p=1$OJceHedXW37HKjJt+81QXw$"
        "j7RErrEplQnNLc96St0Tt7Yl0JjZp1L21RUdAqwRMMc";
    passwords.verify(kAbsent, password);
    return invalid_credentials();
  }
  if (!passwords.verify(user->password_hash, password) || !user->active)
    return invalid_credentials();
  return *user;
}

Result<OpenedSession> open_checked_session(Transaction& tx, Clock& clock, const UserRecord& checked,
                                           TokenSource& tokens, Hasher& sha256,
                                           const SessionPolicy& policy) {
  // The account as it stands now: the password checked must still be its password, and the
  // account still active (a change between the check and this transaction refuses the login).
  auto user = tx.accounts().find_user(checked.login);
  if (!user || user->id != checked.id || user->password_hash != checked.password_hash ||
      !user->active)
    return invalid_credentials();
  const Instant now = clock.now();
  OpenedSession out;
  out.token = tokens.token();
  out.user = *user;
  auto& s = out.session;
  s.token_hash = sha256.sha256_hex(out.token);
  s.user_id = user->id;
  s.authority = user->authority;
  s.csrf_token = tokens.token();
  s.created_at = s.last_seen_at = now;
  s.expires_at = now.plus_seconds(policy.absolute_seconds);
  tx.accounts().insert_login_session(s);
  record_audit(
      tx, Context{.authority = user->authority, .actor = "web:" + user->login, .clock = &clock},
      {.action = "auth.login", .entity = "user", .key = user->login, .at = now});
  return out;
}

Result<OpenedSession> open_session(Transaction& tx, Clock& clock, const std::string& login,
                                   const std::string& password, PasswordHasher& passwords,
                                   TokenSource& tokens, Hasher& sha256,
                                   const SessionPolicy& policy) {
  auto user = check_credentials(tx, login, password, passwords);
  if (!user.ok()) return user.refusal();
  return open_checked_session(tx, clock, user.value(), tokens, sha256, policy);
}

Result<OpenedSession> sign_in(Store& store, Clock& clock, const std::string& login,
                              const std::string& password, PasswordHasher& passwords,
                              TokenSource& tokens, Hasher& sha256, const SessionPolicy& policy) {
  auto user = run_read(
      store, [&](Transaction& tx) { return check_credentials(tx, login, password, passwords); });
  if (!user.ok()) return user.refusal();
  return run_write(store, [&](Transaction& tx) {
    return open_checked_session(tx, clock, user.value(), tokens, sha256, policy);
  });
}

Result<Principal> principal_of_session(Transaction& tx, Clock& clock, const std::string& token,
                                       Hasher& sha256, const SessionPolicy& policy) {
  if (token.size() != 64) return refuse("auth.no_session", "session", "Session inconnue.");
  const auto s = tx.accounts().find_login_session(sha256.sha256_hex(token));
  if (!s) return refuse("auth.no_session", "session", "Session inconnue.");
  const auto user = tx.accounts().get_user(s->authority, s->user_id);
  if (!user || !user->active)
    return refuse("auth.no_session", "session", "Ce compte n'est plus actif.");
  const auto role = parse_role(user->role);
  OCTROI_CHECK(role.has_value(), "the database only holds known roles");
  const Instant now = clock.now();
  if (now >= s->expires_at || now.seconds_since(s->last_seen_at) >= policy.idle_seconds)
    return refuse("auth.session_expired", "session", "Votre session a expiré : reconnectez-vous.");
  Principal p;
  p.authority = user->authority;
  p.role = *role;
  p.actor = "web:" + user->login;
  p.user_id = user->id;
  p.display_name = user->display_name;
  p.service = user->service;
  p.csrf_token = s->csrf_token;
  p.session_hash = s->token_hash;
  p.account_id = user->id;
  p.must_change_password = user->must_change_password;
  p.needs_touch = now.seconds_since(s->last_seen_at) >= policy.touch_every_seconds;
  return p;
}

void touch_session(Transaction& tx, Clock& clock, const Principal& p) {
  if (!p.session_hash.empty()) tx.accounts().touch_login_session(p.session_hash, clock.now());
}

void close_session(Transaction& tx, const std::string& token, Hasher& sha256) {
  tx.accounts().delete_login_session(sha256.sha256_hex(token));
}

namespace {

// Whether a token of role `token` does nothing its owner's role `owner` may not.
bool role_within(Role token, Role owner) {
  for (Action a : all_actions())
    if (permits(token, a) && !permits(owner, a)) return false;
  return true;
}

// Whether token `t` still acts within the rights of its owner `o` (an owner whose role or
// service changed since is refused its tokens).
bool token_within_owner(const ApiTokenRecord& t, const UserRecord& o) {
  const auto token_role = parse_role(t.role), owner_role = parse_role(o.role);
  if (!token_role || !owner_role || !role_within(*token_role, *owner_role)) return false;
  return *token_role != Role::Instructor || *owner_role != Role::Instructor ||
         t.service == o.service;
}

// The owner of a token being issued: `login`, or the account issuing it.
Result<UserRecord> token_owner(Transaction& tx, const Context& ctx, const std::string& login,
                               std::int64_t by_user) {
  std::optional<UserRecord> u;
  if (!login.empty()) {
    u = tx.accounts().find_user(login);
    // Read again within the authority (on PostgreSQL after its lock: the row as it now stands).
    u = u && u->authority == ctx.authority ? tx.accounts().get_user(ctx.authority, u->id)
                                           : std::nullopt;
    if (!u)
      return refuse("token.owner", "owner",
                    "Aucun compte « " + login +
                        " » dans cette collectivité : un jeton appartient "
                        "à un compte.");
  } else if (by_user != 0) {
    u = tx.accounts().get_user(ctx.authority, by_user);
  }
  if (!u)
    return refuse("token.owner", "owner",
                  "Nommez le compte auquel le jeton appartient (son identifiant).");
  if (!u->active)
    return refuse("token.owner", "owner",
                  "Le compte « " + u->login + " » est désactivé : il ne peut recevoir de jeton.");
  return *u;
}

// The instant a token asked to last until `text` (the end of that day, UTC) stops.
Result<Instant> token_expiry(const std::string& text, const Instant& now) {
  const Date today = now.day();
  Date last = today.add_days(kTokenDefaultDays);
  if (!text::trim(text).empty()) {
    auto d = Date::parse(text::trim(text), "expires_on");
    if (!d.ok()) return d.refusal();
    last = d.value();
  }
  const Date latest = today.add_days(kTokenMaxDays);
  if (last < today || last > latest)
    return refuse("token.expiry", "expires_on",
                  "Un jeton expire au plus tôt ce soir et au plus tard le " +
                      fr::date_long(latest) + " : choisissez une date entre les deux.");
  return Instant::at(last.add_days(1), 0, 0, 0);
}

}  // namespace

Result<IssuedToken> issue_api_token(Transaction& tx, const Context& ctx, const TokenRequest& in,
                                    std::int64_t by_user, TokenSource& tokens, Hasher& sha256) {
  const std::string service = text::trim(in.service);
  const Instant now = ctx.clock->now();
  std::vector<Problem> problems;
  if (in.label.empty() || in.label.size() > 100)
    problems.push_back(
        {"token.label", "label", "Le libellé du jeton est obligatoire (100 caractères au plus)."});
  auto owner = token_owner(tx, ctx, text::trim(in.owner), by_user);
  if (!owner.ok()) problems.push_back(owner.refusal().first());
  auto expires = token_expiry(in.expires_on, now);
  if (!expires.ok()) problems.push_back(expires.refusal().first());
  std::optional<Role> r;
  std::string token_service;
  if (owner.ok()) {
    const UserRecord& o = owner.value();
    const auto owner_role = parse_role(o.role);
    OCTROI_CHECK(owner_role.has_value(), "the database only holds known roles");
    r = parse_role(in.role.empty() ? o.role : in.role);
    if (!r) {
      problems.push_back({"token.role", "role", "Rôle inconnu « " + in.role + " »."});
    } else if (!role_within(*r, *owner_role)) {
      problems.push_back({"token.role", "role",
                          "Un jeton ne peut avoir plus de droits que son titulaire « " + o.login +
                              " » (" + std::string(role_label(*owner_role)) +
                              ") : son rôle, un rôle qu'il couvre ou la lecture seule (reader)."});
    } else if (*r == Role::Instructor) {
      // An instructor's own token instructs their service; an administrator's names one.
      token_service = *owner_role == Role::Instructor ? o.service : service;
      if (*owner_role == Role::Instructor && !service.empty() && service != o.service)
        problems.push_back({"token.service", "service",
                            "Un jeton d'instructeur instruit les dossiers du service de son "
                            "titulaire : « " +
                                o.service + " »."});
      else if (token_service.empty() || token_service.size() > 200)
        problems.push_back({"token.service", "service",
                            "Un jeton d'instructeur nomme le service dont il instruit les "
                            "dossiers."});
    }
    if (r && *r != Role::Instructor && !service.empty())
      problems.push_back(
          {"token.service", "service", "Seul un jeton d'instructeur est limité à un service."});
  }
  if (!problems.empty()) return Refusal(std::move(problems));
  const UserRecord& o = owner.value();
  IssuedToken out;
  out.token = tokens.token();
  auto& t = out.record;
  t.authority = ctx.authority;
  t.token_hash = sha256.sha256_hex(out.token);
  t.label = in.label;
  t.role = std::string(to_string(*r));
  t.service = token_service;
  t.created_at = now;
  t.owner_user_id = o.id;
  t.owner_login = o.login;
  t.expires_at = expires.value();
  t.id = tx.accounts().insert_api_token(t);
  record_audit(tx, ctx,
               {.action = "token.issue",
                .entity = "api_token",
                .key = std::to_string(t.id),
                .after = "{\"label\":" + audit_json::quote(t.label) +
                         ",\"role\":" + audit_json::quote(t.role) + ",\"service\":" +
                         audit_json::quote(t.service) + ",\"owner\":" + audit_json::quote(o.login) +
                         ",\"expires_at\":" + audit_json::quote(t.expires_at.iso()) + "}",
                .at = now});
  return out;
}

Result<std::vector<ApiTokenRecord>> list_api_tokens(Transaction& tx, AuthorityId a) {
  return tx.accounts().list_api_tokens(a);
}

Result<ApiTokenRecord> revoke_api_token(Transaction& tx, const Context& ctx,
                                        const std::string& id_text) {
  const Refusal unknown =
      refuse("token.unknown", "id", "Aucun jeton actif n° « " + id_text + " » à révoquer.");
  if (id_text.empty() || id_text.size() > 12 ||
      id_text.find_first_not_of("0123456789") != std::string::npos)
    return unknown;
  const std::int64_t id = std::stoll(id_text);
  const Instant at = ctx.clock->now();
  if (!tx.accounts().revoke_api_token(ctx.authority, id, at)) return unknown;
  for (auto& t : tx.accounts().list_api_tokens(ctx.authority))
    if (t.id == id) {
      record_audit(tx, ctx,
                   {.action = "token.revoke",
                    .entity = "api_token",
                    .key = id_text,
                    .before = "{\"revoked_at\":null}",
                    .after = "{\"revoked_at\":" + audit_json::quote(at.iso()) + "}",
                    .at = at});
      return t;
    }
  OCTROI_CHECK(false, "a token just revoked is listed");
  return unknown;
}

Context context_of(const Principal& p, Clock& clock) {
  Context c{p.authority, p.actor, &clock};
  if (p.role == Role::Instructor) c.service = p.service;
  c.role = p.role;
  if (p.account_id != 0) c.account = p.account_id;
  return c;
}

Result<Principal> principal_of_api_token(Transaction& tx, Clock& clock, const std::string& token,
                                         Hasher& sha256) {
  const Refusal unknown = refuse("auth.bad_token", "authorization", "Jeton inconnu.");
  if (token.size() != 64) return unknown;
  const auto t = tx.accounts().find_api_token(sha256.sha256_hex(token));
  if (!t || t->revoked_at || !t->owner_user_id) return unknown;
  if (clock.now() >= t->expires_at)
    return refuse("auth.token_expired", "authorization",
                  "Ce jeton a expiré le " + fr::date_long(t->expires_at.day().add_days(-1)) +
                      " : demandez-en un nouveau à un administrateur.");
  // It acts for its owner: a deactivated owner's token is refused (deactivation also revokes
  // them; this holds for a token the owner would get back by a reactivation).
  const auto owner = tx.accounts().get_user(t->authority, *t->owner_user_id);
  if (!owner || !owner->active || !token_within_owner(*t, *owner)) return unknown;
  const auto role = parse_role(t->role);
  OCTROI_CHECK(role.has_value(), "the database only holds known roles");
  Principal p;
  p.authority = t->authority;
  p.role = *role;
  p.actor = "api:" + t->label;
  p.service = t->service;
  p.account_id = owner->id;
  return p;
}

Result<UserRecord> change_password(Transaction& tx, const Context& ctx, const Principal& who,
                                   const std::string& current, const std::string& next,
                                   PasswordHasher& passwords) {
  auto user = tx.accounts().get_user(who.authority, who.user_id);
  if (!user) return refuse("auth.no_session", "session", "Session inconnue.");
  if (!passwords.verify(user->password_hash, current))
    return refuse("user.password_wrong", "current", "Le mot de passe actuel est incorrect.");
  if (auto p = password_problem(next, user->login, "next")) return Refusal(*p);
  if (next == current)
    return refuse("user.password_same", "next",
                  "Le nouveau mot de passe doit différer de l'actuel.");
  user->password_hash = passwords.hash(next);
  user->must_change_password = false;
  tx.accounts().update_user_password(who.authority, user->id, user->password_hash, false);
  // Every session of the user ends, the caller's too: whoever knew the old password is out, and
  // the web adapter opens a fresh session for the caller.
  tx.accounts().delete_login_sessions_of(who.authority, user->id);
  Context in_it = ctx;
  in_it.authority = who.authority;
  record_audit(tx, in_it, {.action = "user.password", .entity = "user", .key = user->login});
  return *user;
}

const std::vector<DemoAccount>& demo_accounts() {
  static const std::vector<DemoAccount> accounts = {
      {"admin", "demo-admin-2023", "administrator", "Alice Administratrice", ""},
      {"instructeur", "demo-instructeur-2023", "instructor", "Inès Instructrice",
       "Service de l'artisanat"},
      {"chef", "demo-chef-2023", "approver", "Charles Chef de service", ""},
      {"greffe", "demo-greffe-2023", "clerk", "Gaëlle du secrétariat des assemblées", ""},
      {"finances", "demo-finances-2023", "finance", "Fabien des finances", ""},
      {"lecteur", "demo-lecteur-2023", "reader", "Léa Lectrice", ""},
  };
  return accounts;
}

Result<std::vector<UserRecord>> load_demo_accounts(Transaction& tx, const Context& ctx,
                                                   PasswordHasher& passwords) {
  std::vector<UserRecord> out;
  for (const auto& a : demo_accounts()) {
    auto u =
        create_user(tx, ctx, {a.login, a.display_name, a.role, a.service, a.password}, passwords);
    if (!u.ok()) return u.refusal();
    out.push_back(std::move(u).value());
  }
  return out;
}

LoginThrottle::LoginThrottle(Store& store, int max_failures, std::int64_t window_seconds,
                             std::int64_t lockout_seconds)
    : store_(store),
      limits_{max_failures, window_seconds, lockout_seconds},
      address_limits_{max_failures * kAddressFactor, window_seconds, lockout_seconds} {
  OCTROI_CHECK(max_failures >= 1 && window_seconds >= 0 && lockout_seconds >= 0,
               "a throttle's limits are positive");
}

std::string LoginThrottle::stored_key(const std::string& key) {
  const bool plain =
      !key.empty() && key.size() <= 200 &&
      std::all_of(key.begin(), key.end(), [](char c) { return c >= ' ' && c <= '~'; });
  if (plain && key[0] != '~') return key;
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a: merging two such keys only throttles
  for (unsigned char c : key) {               // garbage together
    h ^= c;
    h *= 1099511628211ull;
  }
  char out[24];
  std::snprintf(out, sizeof out, "~%016llx", static_cast<unsigned long long>(h));
  return out;
}

namespace {

std::int64_t wait_of(Transaction& tx, const std::string& key, std::int64_t now) {
  const auto e = tx.accounts().find_login_failure(LoginThrottle::stored_key(key));
  return e && e->locked_until > now ? e->locked_until - now : 0;
}

}  // namespace

std::int64_t LoginThrottle::wait_seconds(const std::string& key, std::int64_t now) {
  return run_read(store_, [&](Transaction& tx) { return wait_of(tx, key, now); });
}

// One transaction per key: a transaction holding one key's row while it waits for another's
// could deadlock with the sweep on PostgreSQL.
void LoginThrottle::failed(const std::string& key, std::int64_t now) {
  static_cast<void>(run_write(store_, [&](Transaction& tx) -> Result<int> {
    tx.accounts().record_login_failure(stored_key(key), now, limits_);
    return 0;
  }));
  sweep(now);
}

void LoginThrottle::sweep(std::int64_t now) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (last_sweep_ && now - *last_sweep_ < kSweepEverySeconds && now >= *last_sweep_) return;
    last_sweep_ = now;
  }
  static_cast<void>(run_write(store_, [&](Transaction& tx) -> Result<int> {
    tx.accounts().delete_stale_login_failures(now, limits_.window_seconds);
    return 0;
  }));
}

void LoginThrottle::succeeded(const std::string& key) {
  static_cast<void>(run_write(store_, [&](Transaction& tx) -> Result<int> {
    tx.accounts().delete_login_failure(stored_key(key));
    return 0;
  }));
}

std::int64_t LoginThrottle::claim(const std::string& key, const ThrottleLimits& limits,
                                  std::int64_t now) {
  std::int64_t wait = 0;
  static_cast<void>(run_write(store_, [&](Transaction& tx) -> Result<int> {
    const auto e = tx.accounts().lock_login_failure(stored_key(key), now);
    if (e.locked_until > now) {
      wait = e.locked_until - now;
      return 0;
    }
    tx.accounts().record_login_failure(stored_key(key), now, limits);
    return 0;
  }));
  return wait;
}

std::int64_t LoginThrottle::begin_login(const std::string& login, const std::string& address,
                                        std::int64_t now) {
  // The login's delay first (it counts nothing), except from an address this login signed in
  // from before: a guesser keeping the delay up elsewhere cannot keep its owner out. Then one
  // key per transaction: a transaction holding one key's row while it waits for another's
  // could deadlock with the sweep.
  if (const std::int64_t wait = wait_seconds(login_key(login), now);
      wait > 0 && wait_seconds(known_key(login, address), now) == 0)
    return std::max({wait, wait_seconds(pair_key(login, address), now),
                     wait_seconds(address_key(address), now)});  // the longest, to be told
  if (const std::int64_t wait = claim(pair_key(login, address), limits_, now); wait > 0)
    return wait;
  if (const std::int64_t wait = claim(address_key(address), address_limits_, now); wait > 0) {
    // Not checked after all: the pair's count is given back.
    static_cast<void>(run_write(store_, [&](Transaction& tx) -> Result<int> {
      tx.accounts().forgive_login_failure(stored_key(pair_key(login, address)));
      return 0;
    }));
    return wait;
  }
  return 0;
}

void LoginThrottle::end_login(bool ok, const std::string& login, const std::string& address,
                              std::int64_t now) {
  if (ok) {
    succeeded(pair_key(login, address));
    succeeded(login_key(login));
    static_cast<void>(run_write(store_, [&](Transaction& tx) -> Result<int> {
      tx.accounts().forgive_login_failure(stored_key(address_key(address)));
      // Remembered as a known address of the login (its entry "locked" until then: a
      // marker the sweep keeps as long as it lasts).
      tx.accounts().lock_login_failure(stored_key(known_key(login, address)), now);
      tx.accounts().delay_login(stored_key(known_key(login, address)), now + kKnownSeconds);
      return 0;
    }));
    return;
  }
  // The login's failures (never a lockout: a growing delay once there are max_failures).
  ThrottleLimits counting = limits_;
  counting.max_failures = std::numeric_limits<int>::max();
  static_cast<void>(run_write(store_, [&](Transaction& tx) -> Result<int> {
    const auto e = tx.accounts().record_login_failure(stored_key(login_key(login)), now, counting);
    if (e.failures >= limits_.max_failures) {
      const int doublings = std::min(e.failures - limits_.max_failures, 6);
      const std::int64_t delay =
          std::min<std::int64_t>(std::int64_t{1} << doublings, kLoginDelayCapSeconds);
      tx.accounts().delay_login(stored_key(login_key(login)), now + delay);
    }
    return 0;
  }));
  sweep(now);
}

std::string LoginThrottle::pair_key(const std::string& login, const std::string& address) {
  return "pair:" + address + "|" + login;
}

std::string LoginThrottle::known_key(const std::string& login, const std::string& address) {
  return "known:" + address + "|" + login;
}

std::string LoginThrottle::address_key(const std::string& address) {
  return "addr:" + address;
}

std::string LoginThrottle::login_key(const std::string& login) {
  return "login:" + login;
}

std::string LoginThrottle::password_key(std::int64_t user_id) {
  return "password:" + std::to_string(user_id);
}

Refusal throttled(std::int64_t wait_seconds, const std::string& field) {
  return refuse("auth.throttled", field,
                "Trop d'essais : réessayez dans " + std::to_string(wait_seconds) + " s.");
}

}  // namespace octroi
