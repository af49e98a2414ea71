#include "adapters/http/api/support.h"

#include <algorithm>

#include "adapters/json/render_json.h"
#include "app/ports/accounts.h"
#include "domain/text.h"

namespace octroi::http::api {
namespace {

std::string quoted(const std::string& name) {
  return "« " + name + " »";
}

// What a field of its type is, for the refusals' messages: "une chaîne".
std::string what(const FieldSpec& f) {
  switch (f.type) {
    case Field::Text:
      return "une chaîne";
    case Field::Flag:
      return "true ou false";
    case Field::Integer:
      return "un entier";
    case Field::Position:
      return "un numéro de ligne (entier de 0 à 10 000)";
    case Field::Texts:
    case Field::Objects:
      return "une liste de " + std::to_string(f.min_items) + " à " + std::to_string(f.max_items) +
             (f.type == Field::Texts ? " chaînes" : " objets");
  }
  return "";
}

bool has_type(const json& v, const FieldSpec& f) {
  switch (f.type) {
    case Field::Text:
      return v.is_string();
    case Field::Flag:
      return v.is_boolean();
    case Field::Integer:
      return v.is_number_integer();
    case Field::Position:
      return v.is_number_unsigned() && v.get<std::uint64_t>() <= 10000;
    case Field::Texts:
    case Field::Objects:
      return v.is_array() && v.size() >= f.min_items && v.size() <= f.max_items;
  }
  return false;
}

// The elements of a list field that its type accepted.
// A text of the body holding a character no text may hold (app rule: text::forbidden_character,
// the lines a text of several lines may hold aside; each field's own rule says more).
void check_characters(const json& v, const std::string& at, std::vector<Problem>& problems) {
  if (!v.is_string()) return;
  const std::string c =
      text::forbidden_character(v.get_ref<const std::string&>(), text::Lines::Many);
  if (!c.empty())
    problems.push_back({"text.control", at,
                        "Le champ " + quoted(at) +
                            " contient un caractère de contrôle ou de direction (" + c + ")."});
}

void check_elements(const json& v, const FieldSpec& f, const std::string& at,
                    std::vector<Problem>& problems) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string item = at + "[" + std::to_string(i + 1) + "]";
    if (f.type == Field::Texts && !v[i].is_string())
      problems.push_back(
          {"request.type", item, "Chaque élément de " + quoted(f.name) + " est une chaîne."});
    if (f.type == Field::Texts) check_characters(v[i], item, problems);
    if (f.type == Field::Objects) {
      if (!v[i].is_object())
        problems.push_back(
            {"request.type", item, "Chaque élément de " + quoted(f.name) + " est un objet."});
      else if (f.items)
        check_object(v[i], *f.items, item, problems);
    }
  }
}

}  // namespace

bool is_secret_field(std::string_view name) {
  return name == "password" || name == "current" || name == "next";
}

bool json_within_limits(std::string_view text, int max_depth, std::size_t max_values) {
  int depth = 0;
  std::size_t values = 1;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;  // the escaped character, whatever it is
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && ++values > max_values) {
      return false;
    }
  }
  return true;
}

void check_object(const json& j, const BodySpec& spec, const std::string& prefix,
                  std::vector<Problem>& problems) {
  auto path = [&](const std::string& name) { return prefix.empty() ? name : prefix + "." + name; };
  for (auto it = j.begin(); it != j.end(); ++it)
    if (std::none_of(spec.begin(), spec.end(),
                     [&](const FieldSpec& f) { return f.name == it.key(); }))
      problems.push_back(
          {"request.unknown_field", path(it.key()), "Champ inconnu " + quoted(it.key()) + "."});
  std::vector<Problem> missing;
  for (const auto& f : spec) {
    const auto it = j.find(f.name);
    if (it == j.end() || it->is_null()) {
      if (f.required == Required::Yes)
        missing.push_back(
            {"request.type", path(f.name), quoted(f.name) + " est obligatoire : " + what(f) + "."});
      continue;
    }
    if (!has_type(*it, f)) {
      problems.push_back(
          {"request.type", path(f.name), quoted(f.name) + " doit être " + what(f) + "."});
      continue;
    }
    if (f.type == Field::Texts || f.type == Field::Objects)
      check_elements(*it, f, path(f.name), problems);
    if (f.type == Field::Text && !is_secret_field(f.name))
      check_characters(*it, path(f.name), problems);
  }
  problems.insert(problems.end(), missing.begin(), missing.end());
}

Result<Body> parse_body(const HttpRequest& r, const BodySpec& spec) {
  const std::string type = r.header("content-type");
  const std::string media = type.substr(0, type.find(';'));
  if (media != "application/json")
    return refuse("request.content_type", "content-type",
                  "Le corps doit être du JSON (Content-Type: application/json).");
  // Bounded before it is parsed (the parser recurses once per level): no body of octroi's nests
  // more than a few levels or holds more than a few thousand values.
  if (!json_within_limits(r.body, kMaxJsonDepth, kMaxJsonValues))
    return refuse("request.json_limits", "body",
                  "Le corps JSON imbrique plus de " + std::to_string(kMaxJsonDepth) +
                      " niveaux ou compte plus de " + std::to_string(kMaxJsonValues) + " valeurs.");
  json j = json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return refuse("request.malformed_json", "body", "Le corps n'est pas un objet JSON valide.");
  std::vector<Problem> problems;
  check_object(j, spec, "", problems);
  if (!problems.empty()) return Refusal(std::move(problems));
  return Body(std::move(j));
}

bool Body::has(const std::string& name) const {
  const auto it = j_.find(name);
  return it != j_.end() && !it->is_null();
}

std::string Body::text(const std::string& name) const {
  return has(name) ? j_[name].get<std::string>() : std::string();
}

bool Body::flag(const std::string& name) const {
  return has(name) && j_[name].get<bool>();
}

std::optional<bool> Body::flag_if_present(const std::string& name) const {
  return has(name) ? std::optional<bool>(j_[name].get<bool>()) : std::nullopt;
}

std::int64_t Body::integer(const std::string& name) const {
  return has(name) ? j_[name].get<std::int64_t>() : 0;
}

std::optional<std::size_t> Body::position(const std::string& name) const {
  return has(name) ? std::optional<std::size_t>(j_[name].get<std::size_t>()) : std::nullopt;
}

std::vector<std::string> Body::texts(const std::string& name) const {
  std::vector<std::string> out;
  if (has(name))
    for (const auto& v : j_[name])
      out.push_back(v.get<std::string>());
  return out;
}

std::vector<Body> Body::objects(const std::string& name) const {
  std::vector<Body> out;
  if (has(name))
    for (const auto& v : j_[name])
      out.emplace_back(v);
  return out;
}

HttpResponse ok_json(std::string body, int status) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

std::string dump(const ordered_json& j) {
  return j.dump(2, ' ', false, json::error_handler_t::replace);
}

std::string page_json(const std::string& items, std::int64_t limit, std::int64_t offset,
                      std::size_t count, std::optional<std::int64_t> total) {
  std::string out = "{\n  \"limit\": " + std::to_string(limit) +
                    ",\n  \"offset\": " + std::to_string(offset) + ",\n  \"next_offset\": ";
  out += static_cast<std::int64_t>(count) == limit ? std::to_string(offset + limit) : "null";
  if (total) out += ",\n  \"total\": " + std::to_string(*total);
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

std::string query_text(const HttpRequest& r, const std::string& name) {
  const auto it = r.query.find(name);
  return it == r.query.end() ? std::string() : it->second;
}

std::string notes_json(const std::vector<NoteRecord>& notes) {
  ordered_json arr = ordered_json::array();
  for (const auto& n : notes)
    arr.push_back({{"id", n.id}, {"author", n.author}, {"at", n.at.iso()}, {"text", n.text}});
  return dump(arr);
}

HttpResponse path_problem(const Refusal& r, const std::string& path_unknown) {
  return problem_response(r, r.first().code == path_unknown ? 404 : 0);
}

void ApiContext::add(std::string method, std::string pattern, Access access, std::string summary,
                     RouteHandler handler, bool creates) {
  router.add(RouteInfo{std::move(method), std::move(pattern), access, std::move(summary), creates},
             std::move(handler));
}

Context ApiContext::context(const RouteCall& call) const {
  Context c = context_of(call.caller(), clock);
  c.portal = &options.portal;
  return c;
}

HttpResponse ApiContext::write(RouteCall& call, bool creates, const WriteFn& use_case) {
  const std::string key = creates ? call.request.header("idempotency-key") : "";
  if (key.size() > 200)
    return problem_response(refuse("request.idempotency_key", "idempotency-key",
                                   "La clé d'idempotence dépasse 200 caractères."));
  const std::string request_hash = store.hasher().sha256_hex(
      call.request.method + " " + call.request.path + "\n" + call.request.body);
  const Principal& who = call.caller();
  const Context ctx = context(call);
  // Store::write rather than run_write: an answer of 4xx rolls back without a refusal of its own.
  HttpResponse out;
  end_shared_read(store);
  store.write([&](Transaction& tx) {
    if (!key.empty()) {
      if (auto seen = tx.accounts().find_idempotency(who.authority, key)) {
        if (seen->request_hash != request_hash) {
          out = problem_response(
              refuse("idempotency.mismatch", "idempotency-key",
                     "Cette clé d'idempotence a déjà servi pour une autre requête."));
          return false;
        }
        out = ok_json(seen->response_body, seen->status);
        out.headers.push_back({"Idempotent-Replayed", "true"});
        return false;  // nothing to write
      }
    }
    out = use_case(tx, ctx);
    if (out.status >= 400) return false;  // rolled back
    if (!key.empty())
      tx.accounts().insert_idempotency(
          {who.authority, key, request_hash, out.status, out.body, clock.now()});
    return true;
  });
  return out;
}

HttpResponse ApiContext::award_write(RouteCall& call, bool creates, const AwardFn& use_case) {
  return write(call, creates, [&](Transaction& tx, const Context& ctx) {
    auto r = use_case(tx, ctx);
    if (!r.ok()) return problem_response(r.refusal());
    return reply(
        show_award(tx, ctx.authority, call.param("number")),
        [](const AwardView& v) { return octroi::json::json_award(v); }, creates ? 201 : 200);
  });
}

// ---- a dossier's body (agents' and applicants' APIs) ----------------------------------------

const BodySpec kExpenseSpec{
    {"label", Field::Text}, {"amount", Field::Text}, {"eligible", Field::Flag}};
const BodySpec kResourceSpec{{"label", Field::Text},
                             {"amount", Field::Text},
                             {"kind", Field::Text},
                             {"status", Field::Text}};
const BodySpec kApplicationSpec{{"number", Field::Text},
                                {"scheme", Field::Text},
                                {"party", Field::Integer},
                                {"title", Field::Text},
                                {"description", Field::Text},
                                {"place", Field::Text},
                                {"start", Field::Text},
                                {"end", Field::Text},
                                {"early_start", Field::Flag},
                                {"early_start_date", Field::Text},
                                {"early_start_justification", Field::Text},
                                {"reference_year", Field::Text},
                                {"requested", Field::Text},
                                {"expenses", Field::Objects, Required::No, &kExpenseSpec},
                                {"resources", Field::Objects, Required::No, &kResourceSpec}};

ApplicationInput application_input(const Body& b) {
  ApplicationInput in;
  in.number = b.text("number");
  in.scheme_number = b.text("scheme");
  in.party_id = b.integer("party");
  in.title = b.text("title");
  in.description = b.text("description");
  in.place = b.text("place");
  in.start = b.text("start");
  in.end = b.text("end");
  in.early_start = b.flag("early_start");
  in.early_start_date = b.text("early_start_date");
  in.early_start_justification = b.text("early_start_justification");
  in.reference_year = b.text("reference_year");
  in.requested = b.text("requested");
  for (const Body& line : b.objects("expenses")) {
    ExpenseInput e;
    e.label = line.text("label");
    e.amount = line.text("amount");
    if (auto eligible = line.flag_if_present("eligible")) e.eligible = *eligible;
    in.expenses.push_back(e);
  }
  for (const Body& line : b.objects("resources")) {
    ResourceInput r;
    r.label = line.text("label");
    r.amount = line.text("amount");
    if (auto k = line.text("kind"); !k.empty()) r.kind = k;
    r.status = line.text("status");
    in.resources.push_back(r);
  }
  return in;
}

ordered_json messages_json(const std::vector<MessageRecord>& messages) {
  ordered_json out = ordered_json::array();
  for (const auto& m : messages)
    out.push_back({{"id", m.id},
                   {"from", m.author_kind},
                   {"author", m.author},
                   {"at", m.at.iso()},
                   {"text", m.text}});
  return out;
}

ordered_json files_json(const std::vector<FileRecord>& files) {
  ordered_json out = ordered_json::array();
  for (const auto& f : files)
    out.push_back(
        {{"id", f.id},
         {"name", f.name},
         {"type", f.mime},
         {"size", f.size},
         {"sha256", f.sha256},
         {"piece", f.piece},
         {"message", f.message ? ordered_json(*f.message) : ordered_json(nullptr)},
         {"from", f.author_kind},
         {"author", f.author},
         {"at", f.at.iso()},
         {"scan", f.scan},
         {"removed_at", f.removed_at ? ordered_json(f.removed_at->iso()) : ordered_json(nullptr)}});
  return out;
}

}  // namespace octroi::http::api
