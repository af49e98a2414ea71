// The applicants' API (/api/v1/portal…, issue 19): the portal's pages as JSON, for the
// applicants' own tools. Its gate knows the portal's session cookie only (octroi_portail, opened
// by POST /api/v1/portal/session), and a change carries the session's X-CSRF-Token; an agent's
// session or token opens nothing here. Every dossier is looked up through the account's
// memberships: another's number answers 404, as one that does not exist.
#include <memory>

#include "adapters/http/api/routes.h"
#include "app/portal.h"
#include "core/french.h"

namespace octroi::http::api {
namespace {

constexpr const char* kCookie = "octroi_portail";

class PortalApiGate final : public Gate {
 public:
  PortalApiGate(sql::SqlStore& store, Clock& clock, const ApiOptions& options)
      : store_(store), clock_(clock), options_(options) {}

  Result<Principal> authenticate(const HttpRequest& r, bool& via_cookie) override {
    via_cookie = true;
    const std::string token = r.cookie(kCookie);
    if (token.empty())
      return refuse("auth.required", "session",
                    "Connectez-vous (POST /api/v1/portal/session) : ces routes sont celles des "
                    "demandeurs.");
    auto p = run_read(store_, [&](Transaction& tx) {
      return principal_of_applicant_session(tx, clock_, token, store_.hasher(), options_.sessions);
    });
    if (p.ok() && p->needs_touch)
      static_cast<void>(run_write(store_, [&](Transaction& tx) -> Result<int> {
        touch_applicant_session(tx, clock_, p.value());
        return 0;
      }));
    return p;
  }

  bool csrf_valid(const HttpRequest& r, const Principal& who, bool) override {
    return !who.csrf_token.empty() && r.header("x-csrf-token") == who.csrf_token;
  }

  HttpResponse deny(const HttpRequest&, Denial d, const Principal*, const Refusal* why) override {
    switch (d) {
      case Denial::NotFound:
        return problem_response(refuse("request.not_found", "path", "Adresse inconnue."));
      case Denial::MethodNotAllowed:
        return problem_response(refuse("request.method", "method", "Méthode non prise en charge."));
      case Denial::Unauthenticated:
        return problem_response(*why);
      case Denial::Forbidden:
      case Denial::PasswordChange:
        return problem_response(refuse("auth.forbidden", "role",
                                       "Ces routes sont réservées aux demandeurs du portail."));
      case Denial::Csrf:
        return problem_response(
            refuse("auth.csrf", "x-csrf-token", "Jeton CSRF absent ou invalide."));
    }
    return problem_response(refuse("server.internal", "", "Erreur interne."), 500);
  }

 private:
  sql::SqlStore& store_;
  Clock& clock_;
  const ApiOptions& options_;
};

const BodySpec kSignUpSpec{{"email", Field::Text, Required::Yes},
                           {"display_name", Field::Text, Required::Yes},
                           {"password", Field::Text, Required::Yes}};
const BodySpec kCodeSpec{{"code", Field::Text, Required::Yes}};
const BodySpec kLoginSpec{{"email", Field::Text, Required::Yes},
                          {"password", Field::Text, Required::Yes}};
const BodySpec kMessageSpec{{"text", Field::Text, Required::Yes}};
const BodySpec kMailSpec{{"digest", Field::Flag, Required::Yes}};
const BodySpec kOrganisationSpec{
    {"siret", Field::Text},        {"rna", Field::Text},        {"legal_name", Field::Text},
    {"legal_status", Field::Text}, {"first_name", Field::Text}, {"last_name", Field::Text},
    {"role", Field::Text},         {"civility", Field::Text},   {"address_line1", Field::Text},
    {"postal_code", Field::Text},  {"city", Field::Text},       {"recovers_vat", Field::Flag}};

ordered_json scheme_json(const CatalogueEntry& e) {
  return ordered_json{{"number", e.scheme.number},
                      {"name", e.scheme.name},
                      {"open", e.open},
                      {"opens_on", e.scheme.opens_on ? e.scheme.opens_on->iso() : ""},
                      {"closes_on", e.scheme.closes_on ? e.scheme.closes_on->iso() : ""},
                      {"award_rule", e.rule},
                      {"eligibility", e.portal.eligibility},
                      {"documents", split_lines(e.portal.documents)},
                      {"file_types", split_lines(e.portal.file_types)},
                      {"max_file_bytes", e.portal.max_file_bytes},
                      {"contact", e.portal.contact}};
}

ordered_json lines_json(const std::vector<PrintedLine>& lines, bool expenses) {
  ordered_json out = ordered_json::array();
  for (const auto& l : lines) {
    ordered_json j{{"label", l.label},
                   {"amount", l.amount.to_decimal_string()},
                   {"share", fr::percent_bp(l.share_bp)}};
    if (expenses) j["eligible"] = l.eligible;
    out.push_back(j);
  }
  return out;
}

ordered_json dossier_json(const PortalDossier& d) {
  const auto& v = d.view;
  ordered_json receipts = ordered_json::array();
  for (const auto& r : d.receipts)
    receipts.push_back({{"round", r.round},
                        {"received_at", r.received_at.iso()},
                        {"implicit_rejection_on", r.implicit_rejection_on.iso()}});
  return ordered_json{{"number", v.application.number},
                      {"state", std::string(to_string(v.application.state()))},
                      {"state_label", d.state_label},
                      {"editable", d.editable},
                      {"scheme", v.scheme.number},
                      {"party", v.party.id.value},
                      {"party_name", v.party.legal_name},
                      {"title", v.application.project.title},
                      {"description", v.application.project.description},
                      {"place", v.application.project.place},
                      {"start", v.application.project.start.iso()},
                      {"end", v.application.project.end.iso()},
                      {"expenses", lines_json(v.plan.expenses, true)},
                      {"resources", lines_json(v.plan.resources, false)},
                      {"total_expenses", v.plan.total_expenses.to_decimal_string()},
                      {"total_resources", v.plan.total_resources.to_decimal_string()},
                      {"eligible_base", v.plan.eligible_base.to_decimal_string()},
                      {"balanced", v.plan.balanced},
                      {"computed_award", v.award ? v.award->amount.to_decimal_string() : ""},
                      {"receipts", receipts},
                      {"messages", messages_json(d.messages)},
                      {"files", files_json(d.files)},
                      {"missing_pieces", d.missing}};
}

ordered_json organisation_json(const OrganisationView& o) {
  return ordered_json{{"id", o.party.id.value}, {"legal_name", o.party.legal_name},
                      {"siret", o.party.siret}, {"siren", o.party.siren},
                      {"rna", o.party.rna},     {"role", o.role},
                      {"members", o.members}};
}

// The portal's authority, or the refusal that says it is not configured.
Result<Authority> authority_of(ApiContext& api) {
  return api.read(
      [&](Transaction& tx) { return portal_authority(tx, api.options.portal_authority); });
}

HttpResponse sign_up_route(ApiContext& api, const HttpRequest& r) {
  auto body = parse_body(r, kSignUpSpec);
  if (!body.ok()) return problem_response(body.refusal());
  auto a = authority_of(api);
  if (!a.ok()) return problem_response(a.refusal());
  const std::string key = "portail-inscription:" + r.remote_addr;
  const auto now = api.clock.now().seconds();
  if (const auto wait = api.throttle.wait_seconds(key, now); wait > 0) {
    auto out = problem_response(throttled(wait, "email"));
    out.headers.push_back({"Retry-After", std::to_string(wait)});
    return out;
  }
  api.throttle.failed(key, now);
  auto done = sign_up(api.store, api.clock, a->id,
                      {body->text("email"), body->text("display_name"), body->text("password")},
                      api.passwords, api.tokens, api.store.hasher(), api.options.portal);
  // The same answer whether the address had an account or not.
  return api.reply(
      done,
      [](const SignUpOutcome& o) {
        return dump(ordered_json{{"email", o.email}, {"verification", "sent"}});
      },
      202);
}

HttpResponse verify_route(ApiContext& api, const HttpRequest& r) {
  auto body = parse_body(r, kCodeSpec);
  if (!body.ok()) return problem_response(body.refusal());
  auto a = authority_of(api);
  if (!a.ok()) return problem_response(a.refusal());
  return api.reply(run_write(api.store,
                             [&](Transaction& tx) {
                               return verify_applicant_email(
                                   tx, api.clock, a->id, body->text("code"), api.store.hasher());
                             }),
                   [](const ApplicantRecord& x) {
                     return dump(ordered_json{{"email", x.email}, {"verified", true}});
                   });
}

HttpResponse login_route(ApiContext& api, const HttpRequest& r) {
  auto body = parse_body(r, kLoginSpec);
  if (!body.ok()) return problem_response(body.refusal());
  auto a = authority_of(api);
  if (!a.ok()) return problem_response(a.refusal());
  const std::string key = "portail:" + normal_email(body->text("email")),
                    address = "portail:" + r.remote_addr;
  const auto now = api.clock.now().seconds();
  if (const std::int64_t wait = api.throttle.begin_login(key, address, now); wait > 0) {
    auto out = problem_response(throttled(wait, "email"));
    out.headers.push_back({"Retry-After", std::to_string(wait)});
    return out;
  }
  auto opened =
      applicant_sign_in(api.store, api.clock, a->id, body->text("email"), body->text("password"),
                        api.passwords, api.tokens, api.store.hasher(), api.options.sessions);
  api.throttle.end_login(opened.ok() || opened.refusal().first().code == "portal.unverified", key,
                         address, now);
  if (!opened.ok()) return problem_response(opened.refusal());
  auto out = ok_json(dump(ordered_json{{"email", opened->account.email},
                                       {"display_name", opened->account.display_name},
                                       {"csrf_token", opened->session.csrf_token},
                                       {"expires_at", opened->session.expires_at.iso()}}),
                     201);
  out.headers.push_back(
      {"Set-Cookie", std::string(kCookie) + "=" + opened->token +
                         "; Path=/; HttpOnly; SameSite=Strict" +
                         (secure_cookie(api.options, r.remote_addr) ? "; Secure" : "")});
  return out;
}

HttpResponse logout_route(ApiContext& api, const HttpRequest& r) {
  static_cast<void>(run_write(api.store, [&](Transaction& tx) -> Result<int> {
    close_applicant_session(tx, r.cookie(kCookie), api.store.hasher());
    return 0;
  }));
  HttpResponse out;
  out.status = 204;
  out.content_type.clear();
  out.headers.push_back(
      {"Set-Cookie", std::string(kCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"});
  return out;
}

HttpResponse catalogue_route(ApiContext& api, const HttpRequest& r) {
  auto a = authority_of(api);
  if (!a.ok()) return problem_response(a.refusal());
  const auto list = api.read([&](Transaction& tx) {
    return portal_catalogue(tx, a->id, api.clock.today(), query_text(r, "q"));
  });
  ordered_json items = ordered_json::array();
  for (const auto& e : list)
    items.push_back(scheme_json(e));
  return ok_json(dump(ordered_json{{"authority", a->name}, {"items", items}}));
}

HttpResponse scheme_route(ApiContext& api, const std::string& number) {
  auto a = authority_of(api);
  if (!a.ok()) return problem_response(a.refusal());
  return api.reply_found(api.read([&](Transaction& tx) {
    return portal_scheme(tx, a->id, api.clock.today(), number);
  }),
                         "portal.scheme_unknown",
                         [](const CatalogueEntry& e) { return dump(scheme_json(e)); });
}

// A dossier's use case, answered with the dossier as it now stands.
template <class F>
HttpResponse dossier_write(ApiContext& api, RouteCall& c, F use_case, int status = 200) {
  const ApplicantContext ac = applicant_context(c.caller(), api.clock);
  auto r = run_write(api.store, [&](Transaction& tx) { return use_case(tx, ac); });
  if (!r.ok()) return path_problem(r.refusal(), "portal.not_found");
  return ok_json(dump(dossier_json(r.value())), status);
}

void add_account_routes(ApiContext& api) {
  api.add("POST", "/api/v1/portal/accounts", Access::anyone(),
          "Portail : créer un compte de demandeur (un courriel de vérification est envoyé)",
          [&api](RouteCall& c) { return sign_up_route(api, c.request); });
  api.add("POST", "/api/v1/portal/accounts/verification", Access::anyone(),
          "Portail : confirmer son adresse par le code du courriel",
          [&api](RouteCall& c) { return verify_route(api, c.request); });
  api.add("POST", "/api/v1/portal/session", Access::anyone(),
          "Portail : se connecter (cookie de session du portail et jeton CSRF)",
          [&api](RouteCall& c) { return login_route(api, c.request); });
  api.add("DELETE", "/api/v1/portal/session", Access::needs(Action::Apply),
          "Portail : se déconnecter",
          [&api](RouteCall& c) { return logout_route(api, c.request); });
  api.add("GET", "/api/v1/portal/schemes", Access::anyone(),
          "Portail : les dispositifs publiés (recherche q)",
          [&api](RouteCall& c) { return catalogue_route(api, c.request); });
  api.add("GET", "/api/v1/portal/schemes/{number}", Access::anyone(),
          "Portail : un dispositif publié",
          [&api](RouteCall& c) { return scheme_route(api, c.param("number")); });
  api.add(
      "GET", "/api/v1/portal/organisations", Access::needs(Action::Apply),
      "Portail : mes organisations", [&api](RouteCall& c) {
        const ApplicantContext ac = applicant_context(c.caller(), api.clock);
        ordered_json items = ordered_json::array();
        for (const auto& o : api.read([&](Transaction& tx) { return organisations_of(tx, ac); }))
          items.push_back(organisation_json(o));
        return ok_json(dump(ordered_json{{"items", items}}));
      });
  api.add(
      "POST", "/api/v1/portal/organisations", Access::needs(Action::Apply),
      "Portail : agir pour une organisation (par son SIRET ou son RNA)", [&api](RouteCall& c) {
        auto body = parse_body(c.request, kOrganisationSpec);
        if (!body.ok()) return problem_response(body.refusal());
        PartyInput in;
        for (const auto& [name, member] :
             std::initializer_list<std::pair<const char*, std::string PartyInput::*>>{
                 {"siret", &PartyInput::siret},
                 {"rna", &PartyInput::rna},
                 {"legal_name", &PartyInput::legal_name},
                 {"legal_status", &PartyInput::legal_status},
                 {"first_name", &PartyInput::first_name},
                 {"last_name", &PartyInput::last_name},
                 {"role", &PartyInput::role},
                 {"civility", &PartyInput::civility},
                 {"address_line1", &PartyInput::address_line1},
                 {"postal_code", &PartyInput::postal_code},
                 {"city", &PartyInput::city}})
          in.*member = body->text(name);
        in.recovers_vat = body->flag("recovers_vat");
        const ApplicantContext ac = applicant_context(c.caller(), api.clock);
        return api.reply(
            run_write(api.store, [&](Transaction& tx) { return join_organisation(tx, ac, in); }),
            [](const OrganisationView& o) { return dump(organisation_json(o)); }, 201);
      });
}

void add_dossier_routes(ApiContext& api) {
  api.add("GET", "/api/v1/portal/applications", Access::needs(Action::Apply),
          "Portail : mes dossiers", [&api](RouteCall& c) {
            const ApplicantContext ac = applicant_context(c.caller(), api.clock);
            ordered_json items = ordered_json::array();
            for (const auto& d : api.read([&](Transaction& tx) { return portal_dossiers(tx, ac); }))
              items.push_back(dossier_json(d));
            return ok_json(dump(ordered_json{{"items", items}}));
          });
  api.add("POST", "/api/v1/portal/applications", Access::needs(Action::Apply),
          "Portail : créer le brouillon d'une demande (dispositif, organisation, projet, plan)",
          [&api](RouteCall& c) {
            auto body = parse_body(c.request, kApplicationSpec);
            if (!body.ok()) return problem_response(body.refusal());
            const ApplicationInput in = application_input(body.value());
            const ApplicantContext ac = applicant_context(c.caller(), api.clock);
            auto made = run_write(
                api.store, [&](Transaction& tx) { return portal_create_dossier(tx, ac, in); });
            return api.reply(
                made, [](const PortalDossier& d) { return dump(dossier_json(d)); }, 201);
          });
  api.add(
      "GET", "/api/v1/portal/applications/{number}", Access::needs(Action::Apply),
      "Portail : un de mes dossiers", [&api](RouteCall& c) {
        const ApplicantContext ac = applicant_context(c.caller(), api.clock);
        return api.reply_found(
            api.read([&](Transaction& tx) { return portal_dossier(tx, ac, c.param("number")); }),
            "portal.not_found", [](const PortalDossier& d) { return dump(dossier_json(d)); });
      });
  api.add("PUT", "/api/v1/portal/applications/{number}", Access::needs(Action::Apply),
          "Portail : remplacer le projet et le plan d'un brouillon (ou d'un dossier à compléter)",
          [&api](RouteCall& c) {
            auto body = parse_body(c.request, kApplicationSpec);
            if (!body.ok()) return problem_response(body.refusal());
            const ApplicationInput in = application_input(body.value());
            return dossier_write(api, c, [&](Transaction& tx, const ApplicantContext& ac) {
              return portal_edit_dossier(tx, ac, c.param("number"), in);
            });
          });
  api.add("POST", "/api/v1/portal/applications/{number}/messages", Access::needs(Action::Apply),
          "Portail : écrire au service instructeur au sujet d'un de mes dossiers",
          [&api](RouteCall& c) {
            auto body = parse_body(c.request, kMessageSpec);
            if (!body.ok()) return problem_response(body.refusal());
            const ApplicantContext ac = applicant_context(c.caller(), api.clock);
            auto posted = run_write(api.store, [&](Transaction& tx) {
              return portal_post_message(tx, ac, c.param("number"), body->text("text"));
            });
            if (!posted.ok()) return path_problem(posted.refusal(), "portal.not_found");
            return ok_json(dump(messages_json({posted.value()})), 201);
          });
  api.add(
      "PUT", "/api/v1/portal/account/mail", Access::needs(Action::Apply),
      "Portail : les nouvelles des dossiers, un courriel chacune ou un résumé par jour (digest)",
      [&api](RouteCall& c) {
        auto body = parse_body(c.request, kMailSpec);
        if (!body.ok()) return problem_response(body.refusal());
        const ApplicantContext ac = applicant_context(c.caller(), api.clock);
        auto set = run_write(api.store, [&](Transaction& tx) {
          return set_mail_digest(tx, ac, body->flag("digest"));
        });
        if (!set.ok()) return problem_response(set.refusal());
        return ok_json(dump(ordered_json{{"email", set->email}, {"digest", set->mail_digest}}));
      });
  api.add("POST", "/api/v1/portal/applications/{number}/submission", Access::needs(Action::Apply),
          "Portail : déposer la demande (accusé de réception ; un second dépôt rend le premier)",
          [&api](RouteCall& c) {
            return dossier_write(api, c, [&](Transaction& tx, const ApplicantContext& ac) {
              return portal_submit(tx, ac, c.param("number"), api.options.portal);
            });
          });
}

}  // namespace

void add_portal_routes(ApiContext& api) {
  add_account_routes(api);
  add_dossier_routes(api);
}

std::unique_ptr<Gate> make_portal_api_gate(ApiContext& api) {
  return std::make_unique<PortalApiGate>(api.store, api.clock, api.options);
}

}  // namespace octroi::http::api
