#include "adapters/http/api.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <sstream>

#include "adapters/documents/render.h"
#include "adapters/http/web.h"
#include "adapters/json/render_json.h"
#include "adapters/opendata/scdl_csv.h"
#include "app/context.h"
#include "app/open_data.h"
#include "app/ports/accounts.h"
#include "app/ports/audit.h"
#include "app/ports/ledger.h"
#include "app/ports/parties.h"
#include "app/ports/schemes.h"
#include "app/use_cases.h"
#include "domain/text.h"

namespace octroi::http {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// ---- requests ------------------------------------------------------------------------------

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : path) {
    if (c == '/') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

using Params = std::map<std::string, std::string>;

bool match(const std::string& pattern, const std::string& path, Params& params) {
  const auto p = segments(pattern), s = segments(path);
  if (p.size() != s.size()) return false;
  Params found;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i].size() > 2 && p[i].front() == '{' && p[i].back() == '}')
      found[p[i].substr(1, p[i].size() - 2)] = s[i];
    else if (p[i] != s[i])
      return false;
  }
  params = std::move(found);
  return true;
}

// A JSON body read strictly: an object, only the fields a route knows, each of its type.
class Body {
 public:
  static Result<Body> parse(const HttpRequest& r, const std::set<std::string>& known) {
    const std::string type = r.header("content-type");
    const std::string media = type.substr(0, type.find(';'));
    if (media != "application/json")
      return refuse("request.content_type", "content-type",
                    "Le corps doit être du JSON (Content-Type: application/json).");
    json j = json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      return refuse("request.malformed_json", "body", "Le corps n'est pas un objet JSON valide.");
    for (auto it = j.begin(); it != j.end(); ++it)
      if (!known.count(it.key()))
        return refuse("request.unknown_field", it.key(), "Champ inconnu « " + it.key() + " ».");
    return Body(std::move(j));
  }

  // A string field ("" when absent); a number is refused: amounts travel as strings.
  std::string text(const std::string& name, std::vector<Problem>& problems) const {
    if (!j_.contains(name) || j_[name].is_null()) return "";
    if (!j_[name].is_string()) {
      problems.push_back({"request.type", name, "« " + name + " » doit être une chaîne."});
      return "";
    }
    return j_[name].get<std::string>();
  }
  bool flag(const std::string& name, std::vector<Problem>& problems) const {
    if (!j_.contains(name) || j_[name].is_null()) return false;
    if (!j_[name].is_boolean()) {
      problems.push_back({"request.type", name, "« " + name + " » doit être true ou false."});
      return false;
    }
    return j_[name].get<bool>();
  }
  std::int64_t integer(const std::string& name, std::vector<Problem>& problems) const {
    if (!j_.contains(name) || j_[name].is_null()) return 0;
    if (!j_[name].is_number_integer()) {
      problems.push_back({"request.type", name, "« " + name + " » doit être un entier."});
      return 0;
    }
    return j_[name].get<std::int64_t>();
  }
  const json& raw() const { return j_; }

 private:
  explicit Body(json j) : j_(std::move(j)) {}
  json j_;
};

// ---- responses -----------------------------------------------------------------------------

HttpResponse ok_json(std::string body, int status = 200) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

std::string page_json(const std::string& items, std::int64_t limit, std::int64_t offset,
                      std::size_t count) {
  std::string out = "{\n  \"limit\": " + std::to_string(limit) +
                    ",\n  \"offset\": " + std::to_string(offset) + ",\n  \"next_offset\": ";
  out += static_cast<std::int64_t>(count) == limit ? std::to_string(offset + limit) : "null";
  return out + ",\n  \"items\": " + items + "\n}";
}

std::optional<std::int64_t> query_int(const HttpRequest& r, const std::string& name,
                                      std::vector<Problem>& problems) {
  const auto it = r.query.find(name);
  if (it == r.query.end() || it->second.empty()) return std::nullopt;
  const std::string& v = it->second;
  if (v.size() > 9 ||
      !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    problems.push_back({"request.query", name, "« " + name + " » doit être un entier positif."});
    return std::nullopt;
  }
  return std::stoll(v);
}

std::string notes_json(const std::vector<NoteRecord>& notes) {
  ordered_json arr = ordered_json::array();
  for (const auto& n : notes)
    arr.push_back({{"id", n.id}, {"author", n.author}, {"at", n.at}, {"text", n.text}});
  return arr.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::string HttpRequest::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

std::string HttpRequest::cookie(const std::string& name) const {
  const std::string all = header("cookie");
  std::size_t at = 0;
  while (at < all.size()) {
    std::size_t end = all.find(';', at);
    if (end == std::string::npos) end = all.size();
    std::string part = all.substr(at, end - at);
    const auto first = part.find_first_not_of(' ');
    part = first == std::string::npos ? "" : part.substr(first);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    at = end + 1;
  }
  return "";
}

int status_of(const std::string& code) {
  auto ends = [&](const std::string& suffix) {
    return code.size() >= suffix.size() &&
           code.compare(code.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (code == "auth.forbidden" || code == "auth.csrf" || code == "auth.service") return 403;
  if (code == "auth.throttled") return 429;
  if (code.rfind("auth.", 0) == 0) return 401;
  if (code == "request.not_found" || ends(".unknown") || ends(".unknown_line")) return 404;
  if (code == "request.method") return 405;
  if (code == "request.content_type") return 415;
  if (code == "request.too_large") return 413;
  if (code == "request.malformed_json") return 400;
  if (ends(".exists") || ends(".login_taken") || code == "idempotency.mismatch") return 409;
  return 422;
}

HttpResponse problem_response(const Refusal& r, int status_override) {
  ordered_json problems = ordered_json::array();
  for (const auto& p : r.problems)
    problems.push_back({{"code", p.code}, {"field", p.field}, {"message", p.message}});
  const Problem& first = r.first();
  const int status = status_override ? status_override : status_of(first.code);
  HttpResponse out;
  out.status = status;
  out.content_type = "application/problem+json; charset=utf-8";
  out.body = ordered_json{
      {"type", "urn:octroi:problem:" + first.code},
      {"title", first.message},
      {"status", status},
      {"detail", first.message},
      {"code", first.code},
      {"field", first.field},
      {"problems",
       problems}}.dump(2, ' ', false, json::error_handler_t::replace);
  return out;
}

// ---- the routes ----------------------------------------------------------------------------

struct Call {
  const HttpRequest& request;
  Params params;
  Principal who;
  Context context;
};

using Handler = std::function<HttpResponse(Call&)>;

struct Route {
  RouteInfo info;
  Handler handler;
};

struct Api::Impl {
  sql::SqlStore& store;
  Clock& clock;
  PasswordHasher& passwords;
  TokenSource& tokens;
  ApiOptions options;
  LoginThrottle throttle;
  std::vector<Route> routes;
  Web web;

  Impl(sql::SqlStore& s, Clock& c, PasswordHasher& p, TokenSource& t, ApiOptions o)
      : store(s),
        clock(c),
        passwords(p),
        tokens(t),
        options(o),
        web(s, c, p, t, throttle, options) {
    define_routes();
  }

  void add(std::string method, std::string pattern, std::optional<Action> action,
           std::string summary, Handler h, bool creates = false) {
    routes.push_back({{std::move(method), std::move(pattern), action, creates, std::move(summary)},
                      std::move(h)});
  }

  template <class T, class Render>
  HttpResponse reply(Result<T> r, Render render, int status = 200) {
    if (!r.ok()) return problem_response(r.refusal());
    return ok_json(render(r.value()), status);
  }

  // Runs a writing use case; with an Idempotency-Key, replays the first answer to the same key.
  template <class F>
  HttpResponse write(Call& call, bool creates, F use_case) {
    const std::string key = creates ? call.request.header("idempotency-key") : "";
    if (key.size() > 200)
      return problem_response(refuse("request.idempotency_key", "idempotency-key",
                                     "La clé d'idempotence dépasse 200 caractères."));
    const std::string request_hash = store.hasher().sha256_hex(
        call.request.method + " " + call.request.path + "\n" + call.request.body);
    HttpResponse out;
    auto r = run_write(store, [&](Transaction& tx) -> Result<int> {
      if (!key.empty()) {
        if (auto seen = tx.accounts().find_idempotency(call.who.authority, key)) {
          if (seen->request_hash != request_hash)
            return refuse("idempotency.mismatch", "idempotency-key",
                          "Cette clé d'idempotence a déjà servi pour une autre requête.");
          out = ok_json(seen->response_body, seen->status);
          out.headers.push_back({"Idempotent-Replayed", "true"});
          return 0;
        }
      }
      out = use_case(tx, call.context);
      if (out.status >= 400) return refuse("request.refused", "", "");  // rolls back
      if (!key.empty())
        tx.accounts().insert_idempotency(
            {call.who.authority, key, request_hash, out.status, out.body, clock.now_iso()});
      return 0;
    });
    if (!r.ok() && r.refusal().first().code != "request.refused")
      return problem_response(r.refusal());
    return out;
  }

  // A writing use case of an award's life, answered with the award as it now stands.
  template <class F>
  HttpResponse award_write(Call& call, bool creates, F use_case) {
    return write(call, creates, [&](Transaction& tx, const Context& ctx) {
      auto r = use_case(tx, ctx);
      if (!r.ok()) return problem_response(r.refusal());
      return reply(
          show_award(tx, ctx.authority, call.params["number"]),
          [](const AwardView& v) { return octroi::json::json_award(v); }, creates ? 201 : 200);
    });
  }

  template <class F>
  auto read(F f) {
    return run_read(store, [&](Transaction& tx) { return f(tx); });
  }

  // One generated document as .odt, its generation audited.
  HttpResponse document(Call& c, const DocumentRequest& request) {
    return write(c, false, [&](Transaction& tx, const Context& ctx) {
      documents::FodtEngine engine;
      auto g = generate_document(tx, ctx, engine, store.hasher(), request);
      if (!g.ok()) return problem_response(g.refusal());
      HttpResponse r;
      r.content_type = "application/vnd.oasis.opendocument.text";
      r.body = std::move(g->odt);
      r.headers.push_back(
          {"Content-Disposition", "attachment; filename=\"" + g->request.file + ".odt\""});
      r.headers.push_back(
          {"X-Octroi-Template", g->used.name + " v" + std::to_string(g->used.version)});
      r.headers.push_back({"X-Octroi-Document-Sha256", g->document_sha256});
      return r;
    });
  }

  static ordered_json template_json(const TemplateRecord& v) {
    return ordered_json{
        {"name", v.name},
        {"version", v.version},
        {"adopted_by", v.adopted_by},
        {"applies_from", v.applies_from.iso()},
        {"applies_until", v.applies_until ? json(v.applies_until->iso()) : json(nullptr)},
        {"note", v.note},
        {"sha256", v.sha256},
        {"uploaded_by", v.uploaded_by},
        {"uploaded_at", v.uploaded_at}};
  }

  void define_routes();
  Result<Principal> caller(const HttpRequest& r, bool& via_cookie);
  HttpResponse login(const HttpRequest& r);
  HttpResponse logout(const HttpRequest& r);
};

void Api::Impl::define_routes() {
  using enum Action;
  add("GET", "/api/v1/me", Read, "Qui suis-je : compte, rôle, collectivité", [](Call& c) {
    return ok_json(ordered_json{{"actor", c.who.actor},
                                {"display_name", c.who.display_name},
                                {"role", std::string(to_string(c.who.role))},
                                {"role_label", std::string(role_label(c.who.role))},
                                {"service", c.who.service},
                                {"csrf_token", c.who.csrf_token}}
                       .dump(2, ' ', false, json::error_handler_t::replace));
  });
  add("GET", "/api/v1/schemes", Read, "Dispositifs d'aide", [this](Call& c) {
    return ok_json(octroi::json::json_schemes(
        read([&](Transaction& tx) { return tx.schemes().list_schemes(c.who.authority); })));
  });
  add("GET", "/api/v1/schemes/{number}", Read, "Un dispositif", [this](Call& c) {
    return reply(read([&](Transaction& tx) {
                   return scheme_by_number(tx, c.who.authority, c.params["number"]);
                 }),
                 [](const AidScheme& s) { return octroi::json::json_scheme(s); });
  });
  add("GET", "/api/v1/parties", Read, "Tiers", [this](Call& c) {
    return ok_json(octroi::json::json_parties(
        read([&](Transaction& tx) { return tx.parties().list_parties(c.who.authority); })));
  });
  add(
      "POST", "/api/v1/parties", ManageParties, "Enregistrer un tiers",
      [this](Call& c) {
        auto body =
            Body::parse(c.request, {"legal_name", "siren", "siret", "rna", "naf", "legal_status",
                                    "recovers_vat", "civility", "first_name", "last_name", "role",
                                    "address_line1", "address_line2", "postal_code", "city",
                                    "insee_code", "departement"});
        if (!body.ok()) return problem_response(body.refusal());
        std::vector<Problem> problems;
        PartyInput in;
        const Body& b = body.value();
        in.legal_name = b.text("legal_name", problems);
        in.siren = b.text("siren", problems);
        in.siret = b.text("siret", problems);
        in.rna = b.text("rna", problems);
        in.naf = b.text("naf", problems);
        in.legal_status = b.text("legal_status", problems);
        in.recovers_vat = b.flag("recovers_vat", problems);
        in.civility = b.text("civility", problems);
        in.first_name = b.text("first_name", problems);
        in.last_name = b.text("last_name", problems);
        in.role = b.text("role", problems);
        in.address_line1 = b.text("address_line1", problems);
        in.address_line2 = b.text("address_line2", problems);
        in.postal_code = b.text("postal_code", problems);
        in.city = b.text("city", problems);
        in.insee_code = b.text("insee_code", problems);
        in.departement = b.text("departement", problems);
        if (!problems.empty()) return problem_response(Refusal(problems));
        return write(c, true, [&](Transaction& tx, const Context& ctx) {
          return reply(
              register_party(tx, ctx, in),
              [](const RegisteredParty& p) {
                return octroi::json::json_party(p.party, p.warnings);
              },
              201);
        });
      },
      true);
  add("GET", "/api/v1/applications", Read,
      "Dossiers : filtres state, scheme, party, departement, session (date), q (texte, sans "
      "accents) ; pages limit, offset",
      [this](Call& c) {
        std::vector<Problem> problems;
        ApplicationSearch in;
        in.limit =
            std::min(query_int(c.request, "limit", problems).value_or(100), options.max_page);
        if (in.limit < 1) in.limit = 1;
        in.offset = query_int(c.request, "offset", problems).value_or(0);
        auto q = [&](const char* name) {
          const auto it = c.request.query.find(name);
          return it == c.request.query.end() ? std::string() : it->second;
        };
        in.state = q("state");
        in.scheme = q("scheme");
        in.party = q("party");
        in.departement = q("departement");
        in.session = q("session");
        in.text = q("q");
        if (!problems.empty()) return problem_response(Refusal(problems));
        return reply(
            read([&](Transaction& tx) { return search_applications(tx, c.who.authority, in); }),
            [&](const std::vector<ApplicationView>& list) {
              return page_json(octroi::json::json_application_list(list), in.limit, in.offset,
                               list.size());
            });
      });
  add(
      "POST", "/api/v1/applications", EditDossier,
      "Créer un dossier (brouillon) avec son plan de financement",
      [this](Call& c) {
        auto body = Body::parse(
            c.request, {"number", "scheme", "party", "title", "description", "place", "start",
                        "end", "early_start", "early_start_date", "early_start_justification",
                        "reference_year", "expenses", "resources"});
        if (!body.ok()) return problem_response(body.refusal());
        std::vector<Problem> problems;
        const Body& b = body.value();
        ApplicationInput in;
        in.number = b.text("number", problems);
        in.scheme_number = b.text("scheme", problems);
        in.party_id = b.integer("party", problems);
        in.title = b.text("title", problems);
        in.description = b.text("description", problems);
        in.place = b.text("place", problems);
        in.start = b.text("start", problems);
        in.end = b.text("end", problems);
        in.early_start = b.flag("early_start", problems);
        in.early_start_date = b.text("early_start_date", problems);
        in.early_start_justification = b.text("early_start_justification", problems);
        in.reference_year = b.text("reference_year", problems);
        // Plan lines: [{"label", "amount", "eligible"}], [{"label", "amount", "kind", "status"}].
        auto lines = [&](const char* side, auto&& take) {
          const json& arr = b.raw().value(side, json::array());
          if (!arr.is_array() || arr.size() > 200) {
            problems.push_back(
                {"request.type", side,
                 std::string("« ") + side + " » : une liste de 200 lignes au plus."});
            return;
          }
          for (std::size_t i = 0; i < arr.size(); ++i) {
            const std::string at = std::string(side) + "[" + std::to_string(i + 1) + "]";
            if (!arr[i].is_object()) {
              problems.push_back({"request.type", at, "Chaque ligne est un objet."});
              continue;
            }
            take(arr[i], at);
          }
        };
        auto field = [&](const json& j, const std::string& at, const char* key) {
          const auto it = j.find(key);
          if (it == j.end() || it->is_null()) return std::string();
          if (!it->is_string()) {
            problems.push_back(
                {"request.type", at + "." + key, std::string("« ") + key + " » : une chaîne."});
            return std::string();
          }
          return it->get<std::string>();
        };
        auto only = [&](const json& j, const std::string& at, std::set<std::string> known) {
          for (auto it = j.begin(); it != j.end(); ++it)
            if (!known.count(it.key()))
              problems.push_back({"request.unknown_field", at + "." + it.key(),
                                  "Champ inconnu « " + it.key() + " »."});
        };
        lines("expenses", [&](const json& j, const std::string& at) {
          only(j, at, {"label", "amount", "eligible"});
          ExpenseInput e;
          e.label = field(j, at, "label");
          e.amount = field(j, at, "amount");
          if (const auto it = j.find("eligible"); it != j.end() && !it->is_null()) {
            if (it->is_boolean())
              e.eligible = it->get<bool>();
            else
              problems.push_back(
                  {"request.type", at + ".eligible", "« eligible » : true ou false."});
          }
          in.expenses.push_back(e);
        });
        lines("resources", [&](const json& j, const std::string& at) {
          only(j, at, {"label", "amount", "kind", "status"});
          ResourceInput r;
          r.label = field(j, at, "label");
          r.amount = field(j, at, "amount");
          if (auto k = field(j, at, "kind"); !k.empty()) r.kind = k;
          r.status = field(j, at, "status");
          in.resources.push_back(r);
        });
        if (!problems.empty()) return problem_response(Refusal(problems));
        return write(c, true, [&](Transaction& tx, const Context& ctx) {
          auto created = create_application(tx, ctx, in);
          if (!created.ok()) return problem_response(created.refusal());
          return reply(
              show_application(tx, ctx.authority, created->number),
              [](const ApplicationView& v) { return octroi::json::json_application(v); }, 201);
        });
      },
      true);
  add("GET", "/api/v1/applications/{number}/history", Read,
      "Historique d'un dossier tel que le journal d'audit le garde (dossier et convention)",
      [this](Call& c) {
        return reply(read([&](Transaction& tx) {
                       return dossier_audit(tx, c.who.authority, c.params["number"]);
                     }),
                     [](const std::vector<AuditEntry>& v) { return octroi::json::json_audit(v); });
      });
  add(
      "POST", "/api/v1/applications/{number}/state-aid-checks", EditDossier,
      "Contrôler le cumul de minimis du bénéficiaire (étape d'instruction)",
      [this](Call& c) {
        auto body = Body::parse(c.request, {"grant_date"});
        if (!body.ok()) return problem_response(body.refusal());
        std::vector<Problem> problems;
        const std::string grant = body->text("grant_date", problems);
        if (!problems.empty()) return problem_response(Refusal(problems));
        std::optional<Date> grant_date;
        if (!grant.empty()) {
          auto d = Date::parse(grant, "grant_date");
          if (!d.ok()) return problem_response(d.refusal());
          grant_date = d.value();
        }
        return write(c, true, [&](Transaction& tx, const Context& ctx) {
          return reply(
              check_state_aid(tx, ctx, c.params["number"], "instruction", grant_date),
              [](const StateAidCheckRecord& r) { return octroi::json::json_state_aid_check(r); },
              201);
        });
      },
      true);
  add("GET", "/api/v1/applications/{number}", Read, "Un dossier, son plan et son aide",
      [this](Call& c) {
        return reply(read([&](Transaction& tx) {
                       return show_application(tx, c.who.authority, c.params["number"]);
                     }),
                     [](const ApplicationView& v) { return octroi::json::json_application(v); });
      });
  add("POST", "/api/v1/applications/{number}/events", MoveDossier,
      "Faire avancer un dossier (submit, propose, return…)", [this](Call& c) {
        auto body = Body::parse(
            c.request, {"event", "reason", "deliberation", "deliberation_date", "amount", "on"});
        if (!body.ok()) return problem_response(body.refusal());
        std::vector<Problem> problems;
        EventInput in;
        in.event = body->text("event", problems);
        in.reason = body->text("reason", problems);
        in.deliberation = body->text("deliberation", problems);
        in.deliberation_date = body->text("deliberation_date", problems);
        in.amount = body->text("amount", problems);
        in.on = body->text("on", problems);
        if (!problems.empty()) return problem_response(Refusal(problems));
        return write(c, false, [&](Transaction& tx, const Context& ctx) {
          auto r = apply_application_event(tx, ctx, c.params["number"], in);
          if (!r.ok()) return problem_response(r.refusal());
          return reply(show_application(tx, ctx.authority, c.params["number"]),
                       [](const ApplicationView& v) { return octroi::json::json_application(v); });
        });
      });
  add("PATCH", "/api/v1/applications/{number}/plan", EditDossier,
      "Modifier le plan de financement, ligne à ligne (tout ou rien)", [this](Call& c) {
        auto body = Body::parse(c.request, {"changes"});
        if (!body.ok()) return problem_response(body.refusal());
        const json& arr = body->raw().value("changes", json::array());
        if (!arr.is_array() || arr.empty() || arr.size() > 200)
          return problem_response(
              refuse("request.type", "changes",
                     "« changes » doit être une liste de 1 à 200 changements."));
        std::vector<PlanChange> changes;
        std::vector<Problem> problems;
        for (std::size_t i = 0; i < arr.size(); ++i) {
          const std::string at = "changes[" + std::to_string(i + 1) + "]";
          const json& j = arr[i];
          if (!j.is_object()) {
            problems.push_back({"request.type", at, "Chaque changement est un objet."});
            continue;
          }
          PlanChange pc;
          auto text_of = [&](const char* key) {
            const auto it = j.find(key);
            return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
          };
          const std::string op = text_of("op"), side = text_of("side");
          if (op == "set")
            pc.op = PlanChange::Op::Set;
          else if (op == "add")
            pc.op = PlanChange::Op::Add;
          else if (op == "remove")
            pc.op = PlanChange::Op::Remove;
          else if (!j.contains("op") || j["op"].is_string())  // a wrong type is told below
            problems.push_back({"request.value", at + ".op", "op : set, add ou remove."});
          if (side == "expense")
            pc.side = PlanChange::Side::Expense;
          else if (side == "resource")
            pc.side = PlanChange::Side::Resource;
          else if (!j.contains("side") || j["side"].is_string())
            problems.push_back({"request.value", at + ".side", "side : expense ou resource."});
          for (auto it = j.begin(); it != j.end(); ++it) {
            const std::string& k = it.key();
            const std::string field = at + "." + k;
            if (k == "op" || k == "side") {
              if (!it->is_string()) problems.push_back({"request.type", field, "Chaîne attendue."});
            } else if (k == "line") {
              if (!it->is_number_unsigned() || it->get<std::uint64_t>() > 10000)
                problems.push_back(
                    {"request.type", field, "Numéro de ligne (entier ≥ 1) attendu."});
              else
                pc.position = it->get<std::size_t>();
            } else if (k == "label" || k == "amount" || k == "kind" || k == "status") {
              if (!it->is_string()) {
                problems.push_back({"request.type", field, "Chaîne attendue."});
                continue;
              }
              auto v = it->get<std::string>();
              if (k == "label") pc.label = v;
              if (k == "amount") pc.amount = v;
              if (k == "kind") pc.kind = v;
              if (k == "status") pc.status = v;
            } else if (k == "eligible") {
              if (!it->is_boolean())
                problems.push_back({"request.type", field, "true ou false."});
              else
                pc.eligible = it->get<bool>();
            } else {
              problems.push_back({"request.unknown_field", field, "Champ inconnu « " + k + " »."});
            }
          }
          changes.push_back(pc);
        }
        if (!problems.empty()) return problem_response(Refusal(problems));
        return write(c, false, [&](Transaction& tx, const Context& ctx) {
          auto r = edit_plan(tx, ctx, c.params["number"], changes);
          if (!r.ok()) return problem_response(r.refusal());
          return reply(show_application(tx, ctx.authority, c.params["number"]),
                       [](const ApplicationView& v) { return octroi::json::json_application(v); });
        });
      });
  add("GET", "/api/v1/applications/{number}/award", Read,
      "L'aide attribuée : convention, versements, reversements, avenants, aides d'État",
      [this](Call& c) {
        return reply(read([&](Transaction& tx) {
                       return show_award(tx, c.who.authority, c.params["number"]);
                     }),
                     [](const AwardView& v) { return octroi::json::json_award(v); });
      });
  add(
      "POST", "/api/v1/applications/{number}/agreement", ManagePayments,
      "Établir la convention d'un dossier attribué (modèle du dispositif)",
      [this](Call& c) {
        auto body = Body::parse(c.request, {"eligibility_start", "eligibility_end"});
        if (!body.ok()) return problem_response(body.refusal());
        std::vector<Problem> problems;
        AgreementInput in;
        in.eligibility_start = body->text("eligibility_start", problems);
        in.eligibility_end = body->text("eligibility_end", problems);
        if (!problems.empty()) return problem_response(Refusal(problems));
        return award_write(c, true, [&](Transaction& tx, const Context& ctx) -> Result<int> {
          auto r = create_agreement(tx, ctx, c.params["number"], in);
          if (!r.ok()) return r.refusal();
          return 0;
        });
      },
      true);
  add("POST", "/api/v1/applications/{number}/agreement/signatures", ManagePayments,
      "Enregistrer une signature (la seconde engage l'aide)", [this](Call& c) {
        auto body = Body::parse(c.request, {"signatory", "on"});
        if (!body.ok()) return problem_response(body.refusal());
        std::vector<Problem> problems;
        SignatureInput in;
        in.signatory = body->text("signatory", problems);
        in.on = body->text("on", problems);
        if (!problems.empty()) return problem_response(Refusal(problems));
        return award_write(c, false, [&](Transaction& tx, const Context& ctx) -> Result<int> {
          auto r = sign_agreement(tx, ctx, c.params["number"], in);
          if (!r.ok()) return r.refusal();
          return 0;
        });
      });
  add(
      "POST", "/api/v1/applications/{number}/payments", ManagePayments,
      "Verser une avance, un acompte ou le solde (dans les plafonds du dispositif)",
      [this](Call& c) {
        auto body = Body::parse(c.request, {"kind", "amount", "realised", "on", "reference"});
        if (!body.ok()) return problem_response(body.refusal());
        std::vector<Problem> problems;
        PaymentInput in;
        in.kind = body->text("kind", problems);
        in.amount = body->text("amount", problems);
        in.realised = body->text("realised", problems);
        in.on = body->text("on", problems);
        in.reference = body->text("reference", problems);
        if (!problems.empty()) return problem_response(Refusal(problems));
        return award_write(c, true, [&](Transaction& tx, const Context& ctx) -> Result<int> {
          auto r = request_payment(tx, ctx, c.params["number"], in);
          if (!r.ok()) return r.refusal();
          return 0;
        });
      },
      true);
  add("GET", "/api/v1/applications/{number}/notes", Read, "Notes privées d'un dossier",
      [this](Call& c) {
        return reply(read([&](Transaction& tx) {
                       return notes_of_application(tx, c.who.authority, c.params["number"]);
                     }),
                     [](const std::vector<NoteRecord>& notes) { return notes_json(notes); });
      });
  add(
      "POST", "/api/v1/applications/{number}/notes", EditDossier,
      "Ajouter une note privée (jamais publiée)",
      [this](Call& c) {
        auto body = Body::parse(c.request, {"text"});
        if (!body.ok()) return problem_response(body.refusal());
        std::vector<Problem> problems;
        const std::string text = body->text("text", problems);
        if (!problems.empty()) return problem_response(Refusal(problems));
        return write(c, true, [&](Transaction& tx, const Context& ctx) {
          return reply(
              add_note(tx, ctx, c.params["number"], text),
              [](const NoteRecord& n) { return notes_json({n}); }, 201);
        });
      },
      true);
  add("POST", "/api/v1/me/password", Read,
      "Changer son mot de passe (toutes ses sessions prennent fin)", [this](Call& c) {
        if (c.who.user_id == 0)
          return problem_response(
              refuse("auth.no_user", "authorization", "Un jeton d'API n'a pas de mot de passe."));
        auto body = Body::parse(c.request, {"current", "next"});
        if (!body.ok()) return problem_response(body.refusal());
        std::vector<Problem> problems;
        const std::string current = body->text("current", problems);
        const std::string next = body->text("next", problems);
        if (!problems.empty()) return problem_response(Refusal(problems));
        // Guessing the current password from a stolen session is throttled like a login.
        const std::string key = LoginThrottle::password_key(c.who.user_id);
        const auto now = instant_seconds(clock.now_iso()).value_or(0);
        if (const auto wait = throttle.wait_seconds(key, now); wait > 0) {
          auto out = problem_response(throttled(wait, "current"));
          out.headers.push_back({"Retry-After", std::to_string(wait)});
          return out;
        }
        return write(c, false, [&](Transaction& tx, const Context& ctx) {
          auto r = change_password(tx, ctx, c.who, current, next, passwords);
          if (!r.ok() && r.refusal().first().code == "user.password_wrong")
            throttle.failed(key, now);
          if (!r.ok()) return problem_response(r.refusal());
          throttle.succeeded(key);
          HttpResponse out;
          out.status = 204;
          out.content_type.clear();
          out.headers.push_back(
              {"Set-Cookie", "octroi_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"});
          return out;
        });
      });
  add("GET", "/api/v1/budget/lines", Read, "Lignes budgétaires et leurs soldes (filtre year)",
      [this](Call& c) {
        std::vector<Problem> problems;
        const auto year = query_int(c.request, "year", problems);
        if (!problems.empty()) return problem_response(Refusal(problems));
        return reply(
            read([&](Transaction& tx) {
              return budget_overview(
                  tx, c.who.authority,
                  year ? std::optional<int>(static_cast<int>(*year)) : std::nullopt);
            }),
            [](const std::vector<BudgetLineView>& v) { return octroi::json::json_budget(v); });
      });
  add("GET", "/api/v1/budget/lines/{year}/{action}/journal", Read, "Journal d'une ligne",
      [this](Call& c) {
        return reply(
            read([&](Transaction& tx) {
              return line_journal(tx, c.who.authority, c.params["year"] + "/" + c.params["action"]);
            }),
            [](const std::vector<LedgerEntry>& v) { return octroi::json::json_journal(v); });
      });
  add("GET", "/api/v1/reports", Read, "Rapports de séance", [this](Call& c) {
    return reply(read([&](Transaction& tx) { return list_reports(tx, c.who.authority); }),
                 [this, &c](const std::vector<Report>& list) {
                   std::string out = "[";
                   for (std::size_t i = 0; i < list.size(); ++i) {
                     auto v = read([&](Transaction& tx) {
                       return show_report(tx, c.who.authority, list[i].number);
                     });
                     if (!v.ok()) continue;
                     out += (i ? ",\n" : "\n") + octroi::json::json_report(v.value());
                   }
                   return out + "\n]";
                 });
  });
  add("GET", "/api/v1/reports/{number}", Read, "Un rapport, ses articles et leur contrôle AE/AP",
      [this](Call& c) {
        return reply(read([&](Transaction& tx) {
                       return show_report(tx, c.who.authority, c.params["number"]);
                     }),
                     [](const ReportView& v) { return octroi::json::json_report(v); });
      });
  add("POST", "/api/v1/reports/{number}/adoption", ManageReports,
      "Enregistrer le vote : tout ou rien", [this](Call& c) {
        return write(c, false, [&](Transaction& tx, const Context& ctx) {
          auto r = adopt_report(tx, ctx, c.params["number"]);
          if (!r.ok()) return problem_response(r.refusal());
          return reply(show_report(tx, ctx.authority, c.params["number"]),
                       [](const ReportView& v) { return octroi::json::json_report(v); });
        });
      });
  add("GET", "/api/v1/parties/{id}", Read,
      "Un tiers et tout ce qu'octroi en sait : dossiers, aides, versements, cumul de minimis",
      [this](Call& c) {
        return reply(read([&](Transaction& tx) {
                       return show_party(tx, c.who.authority, c.params["id"], clock.today());
                     }),
                     [](const PartyView& v) { return octroi::json::json_party_view(v); });
      });
  // ---- documents and their templates (issue 7)
  add("GET", "/api/v1/templates", Read,
      "Modèles de documents : pour chacun, ses versions (acte d'adoption, dates, SHA-256)",
      [this](Call& c) {
        const auto families =
            read([&](Transaction& tx) { return list_templates(tx, c.who.authority); });
        ordered_json items = ordered_json::array();
        for (const auto& f : families) {
          ordered_json versions = ordered_json::array();
          for (const auto& v : f.versions)
            versions.push_back(template_json(v));
          items.push_back({{"name", std::string(template_name(f.kind))},
                           {"label", std::string(french(f.kind))},
                           {"versions", versions}});
        }
        return ok_json(
            ordered_json{{"items", items}}.dump(2, ' ', false, json::error_handler_t::replace));
      });
  add(
      "POST", "/api/v1/templates", ManageSchemes,
      "Déposer une nouvelle version d'un modèle (.fodt), essayée sur les données avant d'être "
      "enregistrée",
      [this](Call& c) {
        auto body = Body::parse(
            c.request, {"name", "content", "adopted_by", "applies_from", "applies_until", "note"});
        if (!body.ok()) return problem_response(body.refusal());
        std::vector<Problem> problems;
        TemplateUpload in;
        in.name = body->text("name", problems);
        in.content = body->text("content", problems);
        in.adopted_by = body->text("adopted_by", problems);
        in.applies_from = body->text("applies_from", problems);
        in.applies_until = body->text("applies_until", problems);
        in.note = body->text("note", problems);
        if (!problems.empty()) return problem_response(Refusal(problems));
        return write(c, true, [&](Transaction& tx, const Context& ctx) {
          documents::FodtEngine engine;
          auto stored = upload_template(tx, ctx, engine, store.hasher(), in);
          if (!stored.ok()) return problem_response(stored.refusal());
          return ok_json(
              template_json(stored.value()).dump(2, ' ', false, json::error_handler_t::replace),
              201);
        });
      },
      true);
  add("GET", "/api/v1/applications/{number}/documents/{kind}", Read,
      "Un document du dossier en .odt (kind : project-sheet, agreement, notification), inscrit "
      "au journal d'audit",
      [this](Call& c) {
        const std::string& kind = c.params["kind"];
        const std::optional<DocumentKind> k =
            kind == "project-sheet"  ? std::optional(DocumentKind::ProjectSheet)
            : kind == "agreement"    ? std::optional(DocumentKind::Agreement)
            : kind == "notification" ? std::optional(DocumentKind::Notification)
                                     : std::nullopt;
        if (!k)
          return problem_response(refuse(
              "request.not_found", "kind",
              "Document inconnu « " + kind + " » : project-sheet, agreement ou notification."));
        return document(c, {*k, "", c.params["number"], ""});
      });
  add("GET", "/api/v1/reports/{number}/documents", Read,
      "Les documents d'un rapport, dans l'ordre du dossier de séance (fichier, nature, dossier)",
      [this](Call& c) {
        return reply(read([&](Transaction& tx) {
                       return report_documents(tx, c.who.authority, c.params["number"]);
                     }),
                     [](const std::vector<DocumentRequest>& v) {
                       ordered_json items = ordered_json::array();
                       for (const auto& d : v)
                         items.push_back({{"file", d.file},
                                          {"kind", std::string(template_name(d.kind))},
                                          {"label", std::string(french(d.kind))},
                                          {"application", d.number}});
                       return ordered_json{{"items", items}}.dump(2, ' ', false,
                                                                  json::error_handler_t::replace);
                     });
      });
  add("GET", "/api/v1/reports/{number}/documents/{file}", Read,
      "Un document d'un rapport en .odt (rapport, deliberation, annexe-1-EX…), inscrit au "
      "journal d'audit",
      [this](Call& c) {
        auto wanted = read([&](Transaction& tx) {
          return report_documents(tx, c.who.authority, c.params["number"]);
        });
        if (!wanted.ok()) return problem_response(wanted.refusal());
        for (const auto& d : wanted.value())
          if (d.file == c.params["file"]) return document(c, d);
        return problem_response(
            refuse("request.not_found", "file",
                   "Le rapport n'a pas de document « " + c.params["file"] + " »."));
      });
  add("GET", "/api/v1/open-data/scdl", Read,
      "Publication SCDL « subventions » 2.1.0 (CSV) ; threshold (euros, 23000 par défaut), "
      "from, until (dates de convention) ; inscrite au journal d'audit",
      [this](Call& c) {
        auto q = [&](const char* name) {
          const auto it = c.request.query.find(name);
          return it == c.request.query.end() ? std::string() : it->second;
        };
        auto options_in = scdl_options({q("threshold"), q("from"), q("until")});
        if (!options_in.ok()) return problem_response(options_in.refusal());
        const ScdlOptions chosen = options_in.value();
        return write(c, false, [&](Transaction& tx, const Context& ctx) {
          auto e = scdl_export(tx, ctx.authority, chosen, clock.today());
          if (!e.ok()) return problem_response(e.refusal());
          HttpResponse r;
          r.content_type = "text/csv; charset=utf-8";
          r.body = opendata::scdl_csv(e->rows);
          record_scdl_export(tx, ctx, e.value(), chosen, store.hasher().sha256_hex(r.body));
          r.headers.push_back(
              {"Content-Disposition", "attachment; filename=\"" + e->file_name + "\""});
          return r;
        });
      });
  add("GET", "/api/v1/sessions", Read, "Séances (commission permanente, conseil), récentes d'abord",
      [this](Call& c) {
        return reply(read([&](Transaction& tx) { return list_sessions(tx, c.who.authority); }),
                     [](const std::vector<Session>& v) { return octroi::json::json_sessions(v); });
      });
  add(
      "POST", "/api/v1/reports", ManageReports,
      "Créer un rapport (et sa séance si c'est le premier de l'instance ce jour-là)",
      [this](Call& c) {
        auto body = Body::parse(c.request, {"number", "title", "body", "session_date"});
        if (!body.ok()) return problem_response(body.refusal());
        std::vector<Problem> problems;
        ReportInput in;
        in.number = body->text("number", problems);
        in.title = body->text("title", problems);
        if (auto b = body->text("body", problems); !b.empty()) in.body = b;
        in.session_date = body->text("session_date", problems);
        if (!problems.empty()) return problem_response(Refusal(problems));
        return write(c, true, [&](Transaction& tx, const Context& ctx) {
          auto created = create_report(tx, ctx, in);
          if (!created.ok()) return problem_response(created.refusal());
          return reply(
              show_report(tx, ctx.authority, created->number),
              [](const ReportView& v) { return octroi::json::json_report(v); }, 201);
        });
      },
      true);
  add(
      "POST", "/api/v1/reports/{number}/articles", ManageReports,
      "Ajouter un article à un rapport en préparation",
      [this](Call& c) {
        auto body = Body::parse(
            c.request, {"kind", "title", "line", "amount", "scheme", "applications", "party",
                        "planned_total", "tranche_rate", "application", "new_end"});
        if (!body.ok()) return problem_response(body.refusal());
        std::vector<Problem> problems;
        ArticleInput in;
        const Body& b = body.value();
        in.kind = b.text("kind", problems);
        in.title = b.text("title", problems);
        in.line = b.text("line", problems);
        in.amount = b.text("amount", problems);
        in.scheme = b.text("scheme", problems);
        in.party = b.text("party", problems);
        in.planned_total = b.text("planned_total", problems);
        in.tranche_rate = b.text("tranche_rate", problems);
        in.application = b.text("application", problems);
        in.new_end = b.text("new_end", problems);
        if (const json& apps = b.raw().value("applications", json::array()); !apps.is_array())
          problems.push_back(
              {"request.type", "applications", "« applications » : une liste de numéros."});
        else
          for (std::size_t i = 0; i < apps.size() && i < 5000; ++i) {
            if (apps[i].is_string())
              in.applications.push_back(apps[i].get<std::string>());
            else
              problems.push_back({"request.type", "applications[" + std::to_string(i + 1) + "]",
                                  "Un numéro de dossier est une chaîne."});
          }
        if (!problems.empty()) return problem_response(Refusal(problems));
        return write(c, true, [&](Transaction& tx, const Context& ctx) {
          auto added = add_article(tx, ctx, c.params["number"], in);
          if (!added.ok()) return problem_response(added.refusal());
          return reply(
              show_report(tx, ctx.authority, c.params["number"]),
              [](const ReportView& v) { return octroi::json::json_report(v); }, 201);
        });
      },
      true);
  add("DELETE", "/api/v1/reports/{number}/articles/{position}", ManageReports,
      "Retirer un article d'un rapport en préparation (les suivants remontent)", [this](Call& c) {
        return write(c, false, [&](Transaction& tx, const Context& ctx) {
          auto removed = remove_article(tx, ctx, c.params["number"], c.params["position"]);
          if (!removed.ok()) return problem_response(removed.refusal());
          return reply(show_report(tx, ctx.authority, c.params["number"]),
                       [](const ReportView& v) { return octroi::json::json_report(v); });
        });
      });
  add(
      "POST", "/api/v1/budget/lines", ManageBudget, "Ouvrir une ligne budgétaire",
      [this](Call& c) {
        auto body = Body::parse(c.request, {"year", "imputation", "nomenclature", "programme_label",
                                            "action", "action_label"});
        if (!body.ok()) return problem_response(body.refusal());
        std::vector<Problem> problems;
        BudgetLineInput in;
        in.year = body->text("year", problems);
        in.imputation = body->text("imputation", problems);
        if (auto n = body->text("nomenclature", problems); !n.empty()) in.nomenclature = n;
        in.programme_label = body->text("programme_label", problems);
        in.action = body->text("action", problems);
        in.action_label = body->text("action_label", problems);
        if (!problems.empty()) return problem_response(Refusal(problems));
        return write(c, true, [&](Transaction& tx, const Context& ctx) {
          auto line = create_budget_line(tx, ctx, in);
          if (!line.ok()) return problem_response(line.refusal());
          return ok_json(octroi::json::json_line(
                             line.value(), tx.ledger().line_balances(ctx.authority, line->id)),
                         201);
        });
      },
      true);
  add(
      "POST", "/api/v1/budget/lines/{year}/{action}/movements", ManageBudget,
      "Inscrire un mouvement : vote d'AE/AP ou de CP, affectation directe, désaffectation",
      [this](Call& c) {
        auto body = Body::parse(c.request, {"kind", "amount", "ae", "cp", "reference", "label"});
        if (!body.ok()) return problem_response(body.refusal());
        std::vector<Problem> problems;
        MovementInput in;
        in.line = c.params["year"] + "/" + c.params["action"];
        const std::string kind = body->text("kind", problems);
        in.amount = body->text("amount", problems);
        in.ae = body->text("ae", problems);
        in.cp = body->text("cp", problems);
        in.reference = body->text("reference", problems);
        in.label = body->text("label", problems);
        if (problems.empty() && kind != "vote" && kind != "allocation" && kind != "release")
          problems.push_back({"request.value", "kind", "kind : vote, allocation ou release."});
        if (!problems.empty()) return problem_response(Refusal(problems));
        return write(c, true, [&](Transaction& tx, const Context& ctx) {
          auto moved = kind == "vote"         ? vote_budget(tx, ctx, in)
                       : kind == "allocation" ? allocate_budget(tx, ctx, in)
                                              : release_budget(tx, ctx, in);
          if (!moved.ok()) return problem_response(moved.refusal());
          auto line = budget_line_by_key(tx, ctx.authority, in.line);
          if (!line.ok()) return problem_response(line.refusal());
          return ok_json(octroi::json::json_line(line.value(), moved.value()), 201);
        });
      },
      true);
  add("GET", "/api/v1/awards", Read, "Aides attribuées : convention, versé, reste à verser",
      [this](Call& c) {
        return reply(read([&](Transaction& tx) { return list_awards(tx, c.who.authority); }),
                     [](const AwardsOverview& v) { return octroi::json::json_awards(v); });
      });
  add("GET", "/api/v1/tokens", ManageUsers, "Jetons d'API de la collectivité (jamais leur valeur)",
      [this](Call& c) {
        return reply(
            read([&](Transaction& tx) { return list_api_tokens(tx, c.who.authority); }),
            [](const std::vector<ApiTokenRecord>& v) { return octroi::json::json_tokens(v); });
      });
  add("POST", "/api/v1/tokens", ManageUsers,
      "Émettre un jeton d'API (rôle, service d'un instructeur) : sa valeur n'est montrée qu'une "
      "fois",
      [this](Call& c) {
        auto body = Body::parse(c.request, {"label", "role", "service"});
        if (!body.ok()) return problem_response(body.refusal());
        std::vector<Problem> problems;
        const std::string label = body->text("label", problems);
        const std::string role = body->text("role", problems);
        const std::string service = body->text("service", problems);
        if (!problems.empty()) return problem_response(Refusal(problems));
        // Never kept for an Idempotency-Key replay: the token is shown once.
        return write(c, false, [&](Transaction& tx, const Context& ctx) {
          auto issued = issue_api_token(tx, ctx, label, role, tokens, store.hasher(), service);
          if (!issued.ok()) return problem_response(issued.refusal());
          ordered_json j = json::parse(octroi::json::json_tokens({issued->record}))[0];
          j["token"] = issued->token;
          return ok_json(j.dump(2, ' ', false, json::error_handler_t::replace), 201);
        });
      });
  add("DELETE", "/api/v1/tokens/{id}", ManageUsers, "Révoquer un jeton d'API (définitif)",
      [this](Call& c) {
        return write(c, false, [&](Transaction& tx, const Context& ctx) {
          return reply(revoke_api_token(tx, ctx, c.params["id"]),
                       [](const ApiTokenRecord& t) { return octroi::json::json_tokens({t}); });
        });
      });
  add("GET", "/api/v1/audit", ReadAudit, "Dernières entrées du journal d'audit", [this](Call& c) {
    std::vector<Problem> problems;
    const auto limit = std::min<std::int64_t>(query_int(c.request, "limit", problems).value_or(50),
                                              options.max_page);
    if (!problems.empty()) return problem_response(Refusal(problems));
    return ok_json(octroi::json::json_audit(read([&](Transaction& tx) {
      return tx.audit().list_audit(c.who.authority, std::max<std::int64_t>(1, limit));
    })));
  });
}

Result<Principal> Api::Impl::caller(const HttpRequest& r, bool& via_cookie) {
  via_cookie = false;
  const std::string auth = r.header("authorization");
  if (!auth.empty()) {
    const bool bearer = auth.size() > 7 &&
                        (auth.compare(0, 7, "Bearer ") == 0 || auth.compare(0, 7, "bearer ") == 0 ||
                         auth.compare(0, 7, "BEARER ") == 0);
    if (!bearer)
      return refuse("auth.bad_token", "authorization", "En-tête Authorization: Bearer attendu.");
    const std::string token = auth.substr(7);
    return read([&](Transaction& tx) { return principal_of_api_token(tx, token, store.hasher()); });
  }
  const std::string token = r.cookie("octroi_session");
  if (token.empty())
    return refuse("auth.required", "session", "Connectez-vous (ou présentez un jeton d'API).");
  via_cookie = true;
  auto p = read([&](Transaction& tx) {
    return principal_of_session(tx, clock, token, store.hasher(), options.sessions);
  });
  if (p.ok() && p->needs_touch)
    static_cast<void>(run_write(store, [&](Transaction& tx) -> Result<int> {
      touch_session(tx, clock, p.value());
      return 0;
    }));
  return p;
}

HttpResponse Api::Impl::login(const HttpRequest& r) {
  auto body = Body::parse(r, {"login", "password"});
  if (!body.ok()) return problem_response(body.refusal());
  std::vector<Problem> problems;
  const std::string login = body->text("login", problems);
  const std::string password = body->text("password", problems);
  if (!problems.empty()) return problem_response(Refusal(problems));
  const auto now = instant_seconds(clock.now_iso()).value_or(0);
  if (const std::int64_t wait = throttle.login_wait(login, r.remote_addr, now); wait > 0) {
    auto out = problem_response(throttled(wait, "login"));
    out.headers.push_back({"Retry-After", std::to_string(wait)});
    return out;
  }
  auto opened = run_write(store, [&](Transaction& tx) {
    return open_session(tx, clock, login, password, passwords, tokens, store.hasher(),
                        options.sessions);
  });
  throttle.login_outcome(opened.ok(), login, r.remote_addr, now);
  if (!opened.ok()) return problem_response(opened.refusal());
  const auto& o = opened.value();
  HttpResponse out = ok_json(ordered_json{{"login", o.user.login},
                                          {"display_name", o.user.display_name},
                                          {"role", o.user.role},
                                          {"csrf_token", o.session.csrf_token},
                                          {"expires_at", o.session.expires_at}}
                                 .dump(2, ' ', false, json::error_handler_t::replace),
                             201);
  out.headers.push_back({"Set-Cookie", "octroi_session=" + o.token +
                                           "; Path=/; HttpOnly; SameSite=Strict" +
                                           (options.secure_cookies ? "; Secure" : "")});
  return out;
}

HttpResponse Api::Impl::logout(const HttpRequest& r) {
  const std::string token = r.cookie("octroi_session");
  if (!token.empty())
    static_cast<void>(run_write(store, [&](Transaction& tx) -> Result<int> {
      close_session(tx, token, store.hasher());
      return 0;
    }));
  HttpResponse out;
  out.status = 204;
  out.content_type.clear();
  out.headers.push_back({"Set-Cookie",
                         "octroi_session=; Path=/; HttpOnly; SameSite=Strict; "
                         "Max-Age=0"});
  return out;
}

Api::Api(sql::SqlStore& store, Clock& clock, PasswordHasher& passwords, TokenSource& tokens,
         ApiOptions options)
    : impl_(std::make_unique<Impl>(store, clock, passwords, tokens, options)) {}

Api::~Api() = default;

std::vector<RouteInfo> Api::routes() const {
  std::vector<RouteInfo> out = {
      {"POST", "/api/v1/session", std::nullopt, false, "Se connecter (cookie de session)"},
      {"DELETE", "/api/v1/session", std::nullopt, false, "Se déconnecter"},
      {"GET", "/api/v1/openapi.json", std::nullopt, false, "Ce document OpenAPI"}};
  for (const auto& r : impl_->routes)
    out.push_back(r.info);
  return out;
}

HttpResponse Api::handle(const HttpRequest& request) {
  try {
    // Bytes that are not UTF-8 in the path or the query are the client's error, refused before
    // they reach a message, a log or the database.
    bool valid = text::is_valid_utf8(request.path);
    for (const auto& [k, v] : request.query)
      valid = valid && text::is_valid_utf8(k) && text::is_valid_utf8(v);
    if (!valid)
      return problem_response(
          refuse("request.encoding", "path", "L'adresse ou ses paramètres ne sont pas en UTF-8."),
          400);
    if (request.path.rfind("/api/", 0) != 0) return impl_->web.handle(request);
    if (request.path == "/api/v1/session") {
      if (request.method == "POST") return impl_->login(request);
      if (request.method == "DELETE") return impl_->logout(request);
      return problem_response(refuse("request.method", "method", "Méthode non prise en charge."));
    }
    if (request.path == "/api/v1/openapi.json" && request.method == "GET")
      return ok_json(openapi());
    bool path_known = false;
    for (auto& route : impl_->routes) {
      Params params;
      if (!match(route.info.pattern, request.path, params)) continue;
      path_known = true;
      if (route.info.method != request.method) continue;
      bool via_cookie = false;
      auto who = impl_->caller(request, via_cookie);
      if (!who.ok()) return problem_response(who.refusal());
      if (!route.info.action || !permits(who->role, *route.info.action))
        return problem_response(refuse(
            "auth.forbidden", "role",
            "Votre rôle (" + std::string(role_label(who->role)) + ") ne permet pas cette action."));
      if (via_cookie && request.method != "GET" &&
          request.header("x-csrf-token") != who->csrf_token)
        return problem_response(
            refuse("auth.csrf", "x-csrf-token", "Jeton CSRF absent ou invalide."));
      Call call{request, std::move(params), who.value(), context_of(*who, impl_->clock)};
      return route.handler(call);
    }
    if (path_known)
      return problem_response(refuse("request.method", "method", "Méthode non prise en charge."));
    return problem_response(refuse("request.not_found", "path", "Adresse inconnue."));
  } catch (const StoreError&) {
    return problem_response(refuse("server.store", "", "Erreur de la base."), 503);
  } catch (const std::exception&) {
    // A programmer error (an InvariantViolation, a library exception): the transaction was
    // rolled back by RAII; the client gets a problem, never a torn connection.
    return problem_response(refuse("server.internal", "", "Erreur interne."), 500);
  }
}

std::string Api::openapi() const {
  ordered_json paths = ordered_json::object();
  for (const auto& r : routes()) {
    std::string method = r.method;
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    ordered_json op = {{"summary", r.summary},
                       {"responses",
                        {{"200", {{"description", "OK"}}},
                         {"default",
                          {{"description", "Refus (RFC 9457)"},
                           {"content", {{"application/problem+json", ordered_json::object()}}}}}}}};
    if (r.action) {
      op["x-octroi-action"] = std::string(to_string(*r.action));
      op["security"] = ordered_json::array(
          {{{"cookie", ordered_json::array()}}, {{"bearer", ordered_json::array()}}});
    } else {
      op["security"] = ordered_json::array();
    }
    ordered_json params = ordered_json::array();
    for (const auto& seg : segments(r.pattern))
      if (seg.front() == '{')
        params.push_back({{"name", seg.substr(1, seg.size() - 2)},
                          {"in", "path"},
                          {"required", true},
                          {"schema", {{"type", "string"}}}});
    if (r.creates)
      params.push_back({{"name", "Idempotency-Key"},
                        {"in", "header"},
                        {"required", false},
                        {"schema", {{"type", "string"}, {"maxLength", 200}}}});
    if (!params.empty()) op["parameters"] = params;
    paths[r.pattern][method] = op;
  }
  return ordered_json{
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "octroi API"},
        {"version", "1"},
        {"description", "Montants en chaînes décimales (\"7000.00\"), dates ISO 8601."}}},
      {"components",
       {{"securitySchemes",
         {{"cookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "octroi_session"}}},
          {"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
      {"paths", paths}}
      .dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace octroi::http
