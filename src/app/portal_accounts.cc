// The portal's accounts and organisations (app/portal.h).
#include <algorithm>

#include "app/audit_json.h"
#include "app/input.h"
#include "app/mail.h"
#include "app/portal.h"
#include "app/ports/authorities.h"
#include "app/ports/parties.h"
#include "domain/text.h"

namespace octroi {
namespace {

constexpr const char* kVerify = "verify";
constexpr const char* kReset = "reset";
constexpr int kInvitationsPerHour = 20;

Refusal code_invalid(const std::string& field) {
  return refuse("portal.code_invalid", field,
                "Ce lien n'est pas (ou plus) valable : il a déjà servi ou il a expiré. Demandez-en "
                "un nouveau.");
}

Refusal applicant_credentials_invalid() {
  return refuse("auth.invalid", "email", "Adresse électronique ou mot de passe incorrect.");
}

std::string authority_name(Transaction& tx, AuthorityId a) {
  for (const auto& au : tx.authorities().list_authorities())
    if (au.id == a) return au.name;
  return "la collectivité";
}

std::string link(const PortalSettings& s, const std::string& path, const std::string& code) {
  return s.base_url + path + "?code=" + code;
}

// A new one-time code for the account, e-mailed by the caller. Refused once codes_per_hour were
// made within the hour (the caller answers as if it had sent it).
std::optional<std::string> new_code(Transaction& tx, Clock& clock, const ApplicantRecord& who,
                                    const char* purpose, std::int64_t valid_seconds,
                                    TokenSource& tokens, Hasher& sha256,
                                    const PortalSettings& settings) {
  const Instant now = clock.now();
  if (tx.portal().count_codes_since(who.authority, who.id, purpose, now.plus_seconds(-3600)) >=
      settings.codes_per_hour)
    return std::nullopt;
  const std::string code = tokens.token();
  ApplicantCodeRecord c;
  c.code_hash = sha256.sha256_hex(code);
  c.authority = who.authority;
  c.account_id = who.id;
  c.purpose = purpose;
  c.created_at = now;
  c.expires_at = now.plus_seconds(valid_seconds);
  tx.portal().insert_code(c);
  return code;
}

std::string signature(const std::string& authority) {
  return "\n\n-- \n" + authority +
         " — portail des aides\nCe message est envoyé automatiquement : n'y répondez pas, "
         "écrivez depuis votre espace.\n";
}

// The code's record when it is of `purpose`, unused, unexpired and of authority `a`.
std::optional<ApplicantCodeRecord> live_code(Transaction& tx, Clock& clock, AuthorityId a,
                                             const std::string& code, const char* purpose,
                                             Hasher& sha256) {
  if (code.size() != 64 || code.find_first_not_of("0123456789abcdef") != std::string::npos)
    return std::nullopt;
  auto c = tx.portal().find_code(sha256.sha256_hex(code));
  if (!c || c->authority != a || c->purpose != purpose || c->used_at ||
      clock.now() >= c->expires_at)
    return std::nullopt;
  return c;
}

Context actor_context(AuthorityId a, const std::string& email, Clock& clock) {
  return Context{.authority = a,
                 .actor = "portail:" + email,
                 .clock = &clock,
                 .service = std::nullopt,
                 .role = Role::Applicant,
                 .account = std::nullopt};
}

std::string applicant_json(const ApplicantRecord& r) {
  return "{\"email\":" + audit_json::quote(r.email) +
         ",\"display_name\":" + audit_json::quote(r.display_name) +
         ",\"verified\":" + (r.verified_at ? "true" : "false") + "}";
}

}  // namespace

// An address as the portal keeps it (trimmed, ASCII lower case) and its checks; nullopt if fine.
std::optional<Problem> email_problem(const std::string& email, const std::string& field) {
  const auto at = email.find('@');
  const bool ok = email.size() >= 3 && email.size() <= 254 && at != std::string::npos && at > 0 &&
                  at <= 64 && email.find('@', at + 1) == std::string::npos &&
                  email.find('.', at + 2) != std::string::npos && email.back() != '.' &&
                  std::all_of(email.begin(), email.end(), [](unsigned char c) {
                    return c > 32 && c < 127 && c != '<' && c != '>' && c != '"' && c != '\\' &&
                           c != ',' && c != ';' && c != '(' && c != ')' && c != '[' && c != ']' &&
                           c != ':';
                  });
  if (ok) return std::nullopt;
  return Problem{"portal.email", field,
                 "Adresse électronique invalide : une adresse comme prenom.nom@exemple.fr est "
                 "attendue."};
}

std::string normal_email(const std::string& email) {
  std::string out = text::trim(email);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

Result<Authority> portal_authority(Transaction& tx, const std::string& code) {
  if (!code.empty()) {
    if (auto a = tx.authorities().find_authority(code)) return *a;
    return refuse("portal.authority", "authority",
                  "Aucune collectivité « " + code + " » : le portail n'est pas configuré.");
  }
  const auto all = tx.authorities().list_authorities();
  if (all.size() == 1) return all.front();
  return refuse("portal.authority", "authority",
                all.empty() ? "Aucune collectivité n'est encore créée (octroi init)."
                            : "Plusieurs collectivités partagent cette base : désignez celle du "
                              "portail (octroi serve --portal-authority CODE).");
}

ApplicantContext applicant_context(const Principal& p, Clock& clock) {
  return ApplicantContext{p.authority, p.applicant_id, p.applicant_email, &clock};
}

Context context_of(const ApplicantContext& ac) {
  return actor_context(ac.authority, ac.email, *ac.clock);
}

Result<SignUpOutcome> sign_up(Store& store, Clock& clock, AuthorityId a, const SignUpInput& in,
                              PasswordHasher& passwords, TokenSource& tokens, Hasher& sha256,
                              const PortalSettings& settings) {
  const std::string email = normal_email(in.email);
  const std::string name = text::trim(in.display_name);
  InputProblems pb;
  if (auto p = email_problem(email, "email")) pb.add(*p);
  if (auto p = text::check_required(name, "display_name", "Votre nom", 120)) pb.add(*p);
  if (auto p = password_problem(in.password, email, "password")) pb.add(*p);
  if (!pb.empty()) return pb.refusal();
  // The slow hash before the write transaction (group commit: writers never wait for argon2).
  const std::string hash = passwords.hash(in.password);
  return run_write(store, [&](Transaction& tx) -> Result<SignUpOutcome> {
    const Instant now = clock.now();
    const std::string who = authority_name(tx, a);
    if (auto existing = tx.portal().find_applicant(a, email)) {
      // The same answer as a new account: only the address's owner learns it has one.
      int recent = 0;
      for (const auto& m : tx.portal().mail_to(a, email, settings.codes_per_hour))
        if (m.created_at.seconds() >= now.seconds() - 3600) ++recent;
      if (recent < settings.codes_per_hour)
        queue_mail(tx, a, now, email, "Vous avez déjà un compte sur le portail des aides",
                   "Bonjour,\n\nQuelqu'un (vous, sans doute) a demandé à créer un compte avec "
                   "cette adresse sur le portail des aides de " +
                       who +
                       ". Vous en avez déjà un : connectez-vous, ou choisissez un nouveau mot de "
                       "passe depuis la page « Mot de passe oublié » :\n" +
                       settings.base_url + "/portail/mot-de-passe" + signature(who));
      return SignUpOutcome{false, email};
    }
    ApplicantRecord r;
    r.authority = a;
    r.email = email;
    r.display_name = name;
    r.password_hash = hash;
    r.created_at = now;
    r.id = tx.portal().insert_applicant(r);
    const auto code =
        new_code(tx, clock, r, kVerify, settings.verify_seconds, tokens, sha256, settings);
    queue_mail(tx, a, now, email, "Confirmez votre adresse électronique",
               "Bonjour " + name + ",\n\nVous avez créé un compte sur le portail des aides de " +
                   who + ". Pour l'activer, ouvrez ce lien (valable 48 heures) :\n" +
                   link(settings, "/portail/verifier", *code) +
                   "\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message." +
                   signature(who));
    record_audit(tx, actor_context(a, email, clock),
                 {.action = "applicant.sign_up",
                  .entity = "applicant",
                  .key = email,
                  .after = applicant_json(r),
                  .at = now});
    return SignUpOutcome{true, email};
  });
}

Result<ApplicantRecord> verify_applicant_email(Transaction& tx, Clock& clock, AuthorityId a,
                                               const std::string& code, Hasher& sha256) {
  const auto c = live_code(tx, clock, a, code, kVerify, sha256);
  if (!c) return code_invalid("code");
  auto account = tx.portal().get_applicant(c->account_id);
  if (!account || !account->active) return code_invalid("code");
  const Instant now = clock.now();
  if (!tx.portal().use_code(a, c->code_hash, now)) return code_invalid("code");
  tx.portal().set_applicant_verified(a, account->id, now);
  const ApplicantRecord before = *account;
  if (!account->verified_at) account->verified_at = now;
  record_audit(tx, actor_context(a, account->email, clock),
               {.action = "applicant.verify",
                .entity = "applicant",
                .key = account->email,
                .before = applicant_json(before),
                .after = applicant_json(*account),
                .at = now});
  return *account;
}

Result<Done> request_password_reset(Transaction& tx, Clock& clock, AuthorityId a,
                                    const std::string& email_typed, TokenSource& tokens,
                                    Hasher& sha256, const PortalSettings& settings) {
  const std::string email = normal_email(email_typed);
  if (auto p = email_problem(email, "email")) return Refusal({*p});
  const auto account = tx.portal().find_applicant(a, email);
  if (!account || !account->active) return Done{};
  const auto code =
      new_code(tx, clock, *account, kReset, settings.reset_seconds, tokens, sha256, settings);
  if (!code) return Done{};
  const std::string who = authority_name(tx, a);
  queue_mail(tx, a, clock.now(), email, "Choisissez un nouveau mot de passe",
             "Bonjour " + account->display_name +
                 ",\n\nPour choisir un nouveau mot de passe sur le portail des aides de " + who +
                 ", ouvrez ce lien (valable une heure) :\n" +
                 link(settings, "/portail/reinitialiser", *code) +
                 "\n\nSi vous n'avez rien demandé, ignorez ce message : votre mot de passe ne "
                 "change pas." +
                 signature(who));
  return Done{};
}

Result<ApplicantRecord> reset_applicant_password(Store& store, Clock& clock, AuthorityId a,
                                                 const std::string& code,
                                                 const std::string& password,
                                                 PasswordHasher& passwords, Hasher& sha256) {
  // The code first (a read), so that a wrong link costs no argon2 hash.
  auto account = run_read(store, [&](Transaction& tx) -> Result<ApplicantRecord> {
    const auto c = live_code(tx, clock, a, code, kReset, sha256);
    if (!c) return code_invalid("code");
    auto r = tx.portal().get_applicant(c->account_id);
    if (!r || !r->active) return code_invalid("code");
    return *r;
  });
  if (!account.ok()) return account.refusal();
  if (auto p = password_problem(password, account->email, "password")) return Refusal({*p});
  const std::string hash = passwords.hash(password);
  return run_write(store, [&](Transaction& tx) -> Result<ApplicantRecord> {
    const auto c = live_code(tx, clock, a, code, kReset, sha256);
    const Instant now = clock.now();
    if (!c || c->account_id != account->id || !tx.portal().use_code(a, c->code_hash, now))
      return code_invalid("code");
    tx.portal().set_applicant_password(a, account->id, hash);
    tx.portal().use_codes_of(a, account->id, kReset, now);  // the other links of the hour die
    tx.portal().delete_applicant_sessions_of(a, account->id);
    // Following the link proves the address, as the verification link would.
    tx.portal().set_applicant_verified(a, account->id, now);
    record_audit(tx, actor_context(a, account->email, clock),
                 {.action = "applicant.password_reset",
                  .entity = "applicant",
                  .key = account->email,
                  .at = now});
    return tx.portal().get_applicant(account->id).value();
  });
}

Result<OpenedApplicantSession> applicant_sign_in(Store& store, Clock& clock, AuthorityId a,
                                                 const std::string& email_typed,
                                                 const std::string& password,
                                                 PasswordHasher& passwords, TokenSource& tokens,
                                                 Hasher& sha256, const SessionPolicy& policy) {
  const std::string email = normal_email(email_typed);
  auto checked = run_read(store, [&](Transaction& tx) -> Result<ApplicantRecord> {
    auto r = tx.portal().find_applicant(a, email);
    if (!r) {
      static const std::string kAbsent =
          "$argon2id$v=19$m=65536,t=2,p=1$OJceHedXW37HKjJt+81QXw$"
          "j7RErrEplQnNLc96St0Tt7Yl0JjZp1L21RUdAqwRMMc";
      passwords.verify(kAbsent, password);
      return applicant_credentials_invalid();
    }
    if (!passwords.verify(r->password_hash, password) || !r->active)
      return applicant_credentials_invalid();
    if (!r->verified_at)
      return refuse("portal.unverified", "email",
                    "Confirmez d'abord votre adresse : ouvrez le lien du courriel reçu à "
                    "l'inscription.");
    return *r;
  });
  if (!checked.ok()) return checked.refusal();
  return run_write(store, [&](Transaction& tx) -> Result<OpenedApplicantSession> {
    auto r = tx.portal().get_applicant(checked->id);
    if (!r || r->password_hash != checked->password_hash || !r->active)
      return applicant_credentials_invalid();
    const Instant now = clock.now();
    OpenedApplicantSession out;
    out.token = tokens.token();
    out.account = *r;
    auto& s = out.session;
    s.token_hash = sha256.sha256_hex(out.token);
    s.account_id = r->id;
    s.authority = a;
    s.csrf_token = tokens.token();
    s.created_at = s.last_seen_at = now;
    s.expires_at = now.plus_seconds(policy.absolute_seconds);
    tx.portal().insert_applicant_session(s);
    record_audit(tx, actor_context(a, r->email, clock),
                 {.action = "applicant.login", .entity = "applicant", .key = r->email, .at = now});
    return out;
  });
}

Result<Principal> principal_of_applicant_session(Transaction& tx, Clock& clock,
                                                 const std::string& token, Hasher& sha256,
                                                 const SessionPolicy& policy) {
  if (token.size() != 64) return refuse("auth.no_session", "session", "Session inconnue.");
  const auto s = tx.portal().find_applicant_session(sha256.sha256_hex(token));
  if (!s) return refuse("auth.no_session", "session", "Session inconnue.");
  const auto r = tx.portal().get_applicant(s->account_id);
  if (!r || !r->active || r->authority != s->authority)
    return refuse("auth.no_session", "session", "Ce compte n'est plus actif.");
  const Instant now = clock.now();
  if (now >= s->expires_at || now.seconds_since(s->last_seen_at) >= policy.idle_seconds)
    return refuse("auth.session_expired", "session", "Votre session a expiré : reconnectez-vous.");
  Principal p;
  p.authority = r->authority;
  p.role = Role::Applicant;
  p.actor = "portail:" + r->email;
  p.display_name = r->display_name;
  p.csrf_token = s->csrf_token;
  p.session_hash = s->token_hash;
  p.applicant_id = r->id;
  p.applicant_email = r->email;
  p.needs_touch = now.seconds_since(s->last_seen_at) >= policy.touch_every_seconds;
  return p;
}

void touch_applicant_session(Transaction& tx, Clock& clock, const Principal& p) {
  if (!p.session_hash.empty())
    tx.portal().touch_applicant_session(p.authority, p.session_hash, clock.now());
}

void close_applicant_session(Transaction& tx, const std::string& token, Hasher& sha256) {
  if (token.size() != 64) return;
  const auto s = tx.portal().find_applicant_session(sha256.sha256_hex(token));
  if (s) tx.portal().delete_applicant_session(s->authority, s->token_hash);
}

// ---- organisations -------------------------------------------------------------------------

namespace {

OrganisationView organisation_view(Transaction& tx, AuthorityId a, const MembershipRecord& m) {
  OrganisationView v;
  v.party = tx.parties().get_party(a, m.party).value();
  v.role = m.role;
  for (const auto& other : tx.portal().members_of(a, m.party))
    if (other.role != "pending")
      if (auto r = tx.portal().get_applicant(other.account_id)) v.members.push_back(r->email);
  return v;
}

// The account's membership of `party`, confirmed ones only (a pending claim gives no right).
std::optional<MembershipRecord> membership(Transaction& tx, const ApplicantContext& ac,
                                           PartyId party, bool pending_too = false) {
  for (const auto& m : tx.portal().memberships_of(ac.authority, ac.account_id))
    if (m.party == party && (pending_too || m.role != "pending")) return m;
  return std::nullopt;
}

bool has_confirmed_members(Transaction& tx, AuthorityId a, PartyId party) {
  for (const auto& m : tx.portal().members_of(a, party))
    if (m.role != "pending") return true;
  return false;
}

}  // namespace

std::vector<OrganisationView> organisations_of(Transaction& tx, const ApplicantContext& ac) {
  std::vector<OrganisationView> out;
  for (const auto& m : tx.portal().memberships_of(ac.authority, ac.account_id))
    out.push_back(organisation_view(tx, ac.authority, m));
  return out;
}

Result<OrganisationView> join_organisation(Transaction& tx, const ApplicantContext& ac,
                                           const PartyInput& in) {
  // The identifiers as register_party reads them (a SIREN typed as SIRET, spaces…).
  Party probe;
  probe.legal_name = in.legal_name.empty() ? "?" : in.legal_name;
  probe.siren = in.siren;
  probe.siret = in.siret;
  probe.rna = in.rna;
  std::vector<Problem> warnings;
  if (auto v = probe.validate(warnings); !v.ok()) return v.refusal();
  if (probe.siren.empty() && probe.rna.empty())
    return refuse("portal.identifier", "siret",
                  "Indiquez le SIRET de l'organisation (ou, pour une association qui n'en a pas, "
                  "son numéro RNA).");
  std::optional<Party> party;
  if (!probe.siren.empty()) party = tx.parties().find_party_by_siren(ac.authority, probe.siren);
  if (!party && !probe.rna.empty()) party = tx.parties().find_party_by_rna(ac.authority, probe.rna);
  const Context ctx = context_of(ac);
  // A party the authority already knew is claimed, not taken: the claim waits ('pending', no
  // right) until an agent confirms that this person acts for it (confirm_applicant); anyone can
  // type a SIRET. A party registered here is its registrant's at once.
  std::string role = "owner";
  if (party) {
    if (membership(tx, ac, party->id, true))
      return refuse("portal.already_member", "siret",
                    "Vous agissez déjà pour « " + party->legal_name +
                        " » (ou votre demande attend la confirmation de la collectivité).");
    if (has_confirmed_members(tx, ac.authority, party->id))
      return refuse("portal.has_members", "siret",
                    "« " + party->legal_name +
                        " » a déjà un compte sur le portail : demandez à l'un de ses membres de "
                        "vous inviter.");
    role = "pending";
  } else {
    auto registered = register_party(tx, ctx, in);
    if (!registered.ok()) return registered.refusal();
    party = registered->party;
  }
  MembershipRecord m;
  m.account_id = ac.account_id;
  m.party = party->id;
  m.authority = ac.authority;
  m.role = role;
  m.since = ac.clock->now();
  tx.portal().insert_membership(m);
  record_audit(
      tx, ctx,
      {.action = role == "pending" ? "applicant.claim" : "applicant.join",
       .entity = "party",
       .key = std::to_string(party->id.value),
       .after = "{\"email\":" + audit_json::quote(ac.email) + ",\"role\":\"" + role + "\"}",
       .at = m.since});
  return organisation_view(tx, ac.authority, m);
}

Result<InvitationRecord> invite_member(Transaction& tx, const ApplicantContext& ac,
                                       std::int64_t party_id, const std::string& email_typed,
                                       TokenSource& tokens, Hasher& sha256,
                                       const PortalSettings& settings) {
  const auto m = membership(tx, ac, PartyId{party_id});
  if (!m)
    return refuse("portal.not_found", "organisation",
                  "Vous n'agissez pour aucune organisation n° " + std::to_string(party_id) + ".");
  const std::string email = normal_email(email_typed);
  if (auto p = email_problem(email, "email")) return Refusal({*p});
  if (email == ac.email)
    return refuse("portal.invite_self", "email", "Vous êtes déjà membre de l'organisation.");
  const Instant now = ac.clock->now();
  if (tx.portal().count_invitations_since(ac.authority, ac.account_id, now.plus_seconds(-3600)) >=
      kInvitationsPerHour)
    return refuse("portal.too_many", "email",
                  "Trop d'invitations envoyées depuis une heure : réessayez plus tard.");
  const std::string code = tokens.token();
  InvitationRecord r;
  r.authority = ac.authority;
  r.party = m->party;
  r.email = email;
  r.code_hash = sha256.sha256_hex(code);
  r.invited_by = ac.account_id;
  r.created_at = now;
  r.expires_at = now.plus_seconds(settings.invitation_seconds);
  r.id = tx.portal().insert_invitation(r);
  const Party party = tx.parties().get_party(ac.authority, m->party).value();
  const std::string who = authority_name(tx, ac.authority);
  // What the applicant typed (the party's name) stays out of the subject.
  queue_mail(tx, ac.authority, now, email, "Invitation sur le portail des aides",
             "Bonjour,\n\n" + ac.email + " vous invite à agir pour « " + party.legal_name +
                 " » sur le portail des aides de " + who +
                 ". Créez votre compte avec cette adresse (ou connectez-vous), puis ouvrez ce lien "
                 "(valable 14 jours) :\n" +
                 link(settings, "/portail/invitation", code) + signature(who));
  record_audit(tx, context_of(ac),
               {.action = "applicant.invite",
                .entity = "party",
                .key = std::to_string(party_id),
                .after = "{\"email\":" + audit_json::quote(email) + "}",
                .at = now});
  return r;
}

Result<OrganisationView> accept_invitation(Transaction& tx, const ApplicantContext& ac,
                                           const std::string& code, Hasher& sha256) {
  if (code.size() != 64 || code.find_first_not_of("0123456789abcdef") != std::string::npos)
    return code_invalid("code");
  auto inv = tx.portal().find_invitation(sha256.sha256_hex(code));
  const Instant now = ac.clock->now();
  if (!inv || inv->authority != ac.authority || inv->accepted_at || now >= inv->expires_at)
    return code_invalid("code");
  if (inv->email != ac.email)
    return refuse("portal.invitation_email", "code",
                  "Cette invitation a été envoyée à une autre adresse : connectez-vous avec le "
                  "compte de l'adresse invitée.");
  if (membership(tx, ac, inv->party, true))
    return refuse("portal.already_member", "code", "Vous êtes déjà membre de l'organisation.");
  if (!tx.portal().accept_invitation(ac.authority, inv->id, ac.account_id, now))
    return code_invalid("code");
  MembershipRecord m;
  m.account_id = ac.account_id;
  m.party = inv->party;
  m.authority = ac.authority;
  m.role = "member";
  m.since = now;
  m.invited_by = inv->invited_by;
  tx.portal().insert_membership(m);
  record_audit(tx, context_of(ac),
               {.action = "applicant.join",
                .entity = "party",
                .key = std::to_string(inv->party.value),
                .after = "{\"email\":" + audit_json::quote(ac.email) + ",\"role\":\"member\"}",
                .at = now});
  return organisation_view(tx, ac.authority, m);
}

std::vector<ApplicantOfParty> applicants_of_party(Transaction& tx, AuthorityId a, PartyId party) {
  std::vector<ApplicantOfParty> out;
  for (const auto& m : tx.portal().members_of(a, party))
    if (const auto r = tx.portal().get_applicant(m.account_id))
      out.push_back({r->email, r->display_name, m.role, m.since});
  return out;
}

Result<ApplicantOfParty> confirm_applicant(Transaction& tx, const Context& ctx,
                                           std::int64_t party_id, const std::string& email_typed) {
  const auto party = tx.parties().get_party(ctx.authority, PartyId{party_id});
  if (!party)
    return refuse("party.unknown", "party",
                  "Aucun tiers n° " + std::to_string(party_id) + " pour cette collectivité.");
  const std::string email = normal_email(email_typed);
  const auto account = tx.portal().find_applicant(ctx.authority, email);
  std::optional<MembershipRecord> claim;
  if (account)
    for (const auto& m : tx.portal().members_of(ctx.authority, party->id))
      if (m.account_id == account->id && m.role == "pending") claim = m;
  if (!claim)
    return refuse("portal.no_claim", "email",
                  "Aucune demande de " + email + " n'attend de confirmation pour ce tiers.");
  if (has_confirmed_members(tx, ctx.authority, party->id))
    return refuse("portal.has_members", "email",
                  "« " + party->legal_name +
                      " » a déjà un compte sur le portail : seul l'un de ses membres invite.");
  tx.portal().set_membership_role(ctx.authority, account->id, party->id, "owner");
  const Instant now = ctx.clock->now();
  record_audit(tx, ctx,
               {.action = "applicant.confirm",
                .entity = "party",
                .key = std::to_string(party_id),
                .before = "{\"email\":" + audit_json::quote(email) + ",\"role\":\"pending\"}",
                .after = "{\"email\":" + audit_json::quote(email) + ",\"role\":\"owner\"}",
                .at = now});
  const std::string who = authority_name(tx, ctx.authority);
  queue_mail(tx, ctx.authority, now, email, "Votre organisation est confirmée",
             "Bonjour " + account->display_name + ",\n\n" + who +
                 " a confirmé que vous agissez pour « " + party->legal_name +
                 " » sur le portail des aides : vous pouvez déposer ses demandes." +
                 signature(who));
  return ApplicantOfParty{email, account->display_name, "owner", claim->since};
}

Result<ApplicantRecord> set_mail_digest(Transaction& tx, const ApplicantContext& ac, bool digest) {
  auto account = tx.portal().get_applicant(ac.account_id);
  if (!account || account->authority != ac.authority)
    return refuse("portal.not_found", "account", "Compte inconnu.");
  if (account->mail_digest != digest) {
    tx.portal().set_applicant_digest(ac.authority, ac.account_id, digest);
    record_audit(
        tx, context_of(ac),
        {.action = "portal.mail_preference",
         .entity = "applicant",
         .key = account->email,
         .before = std::string("{\"digest\":") + (account->mail_digest ? "true" : "false") + "}",
         .after = std::string("{\"digest\":") + (digest ? "true" : "false") + "}"});
  }
  account->mail_digest = digest;
  return *account;
}

Result<Done> remove_member(Transaction& tx, const ApplicantContext& ac, std::int64_t party_id,
                           const std::string& email_typed) {
  const auto mine = membership(tx, ac, PartyId{party_id});
  if (!mine)
    return refuse("portal.not_found", "organisation",
                  "Vous n'agissez pour aucune organisation n° " + std::to_string(party_id) + ".");
  const std::string email = normal_email(email_typed);
  const auto account = tx.portal().find_applicant(ac.authority, email);
  std::optional<MembershipRecord> theirs;
  if (account)
    for (const auto& m : tx.portal().members_of(ac.authority, mine->party))
      if (m.account_id == account->id) theirs = m;
  if (!theirs)
    return refuse("portal.not_member", "email",
                  "« " + email + " » n'agit pas pour cette organisation.");
  const bool leaving = account->id == ac.account_id;
  if (leaving && mine->role == "owner")
    return refuse("portal.owner_stays", "email",
                  "Le premier membre d'une organisation ne la quitte pas : elle n'aurait plus "
                  "personne pour répondre d'elle.");
  if (!leaving && mine->role != "owner")
    return refuse("portal.not_owner", "email",
                  "Seul le premier membre de l'organisation en retire un membre.");
  tx.portal().delete_membership(ac.authority, account->id, mine->party);
  const auto party = tx.parties().get_party(ac.authority, mine->party);
  const std::string name = party ? party->legal_name : std::to_string(party_id);
  const Instant now = ac.clock->now();
  record_audit(tx, context_of(ac),
               {.action = "portal.member_removed",
                .entity = "party",
                .key = std::to_string(party_id),
                .before = "{\"email\":" + audit_json::quote(email) +
                          ",\"role\":" + audit_json::quote(theirs->role) + "}",
                .at = now});
  queue_mail(tx, ac.authority, now, email, "Vous n'agissez plus pour « " + name + " »",
             "Bonjour,\n\n" +
                 (leaving ? std::string("Vous avez quitté") : ac.email + " vous a retiré de") +
                 " l'organisation « " + name +
                 " » sur le portail des aides : vous ne voyez plus ses dossiers.\n");
  return done();
}

}  // namespace octroi
