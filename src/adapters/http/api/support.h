// What the API's area files (api/<area>.cc) share: the context they register their routes with,
// the declarative reading of JSON bodies (BodySpec), and the helpers that answer (reply, write
// with Idempotency-Key, read, page_json…). Internal to adapters/http: nlohmann/json appears here
// and in the area files, never in api.h.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/http/api.h"
#include "adapters/http/job_runner.h"
#include "adapters/http/router.h"
#include "app/context.h"
#include "app/ports/files.h"
#include "app/ports/portal.h"
#include "app/use_cases.h"

namespace octroi::http::api {

using nlohmann::json;
using nlohmann::ordered_json;

// ---- request bodies ------------------------------------------------------------------------

// The JSON type a body field must have.
enum class Field {
  Text,      // a string (amounts and dates travel as strings)
  Flag,      // true or false
  Integer,   // an integer
  Position,  // an integer from 0 to 10 000 (a line's number)
  Texts,     // a list of strings
  Objects,   // a list of objects, each read by `items`
};
enum class Required { No, Yes };

struct FieldSpec {
  std::string name;
  Field type;
  Required required = Required::No;
  // Objects: the fields of each element. Lists: at least min_items, at most max_items elements.
  const std::vector<FieldSpec>* items = nullptr;
  std::size_t min_items = 0;
  std::size_t max_items = 200;
};

// The fields a body may carry. Any other field is refused.
using BodySpec = std::vector<FieldSpec>;

// A body that its spec accepted: every field present has its type. Absent (or null) fields read
// as "", false, 0 or an empty list.
class Body {
 public:
  explicit Body(json j) : j_(std::move(j)) {}
  bool has(const std::string& name) const;
  std::string text(const std::string& name) const;
  bool flag(const std::string& name) const;
  std::optional<bool> flag_if_present(const std::string& name) const;
  std::int64_t integer(const std::string& name) const;
  std::optional<std::size_t> position(const std::string& name) const;
  std::vector<std::string> texts(const std::string& name) const;
  std::vector<Body> objects(const std::string& name) const;

 private:
  json j_;
};

// Fields that hold a password ("password", "current", "next"): a secret is any text, so the
// boundary's character rule does not apply to them (their own rule does: length only).
bool is_secret_field(std::string_view name);

// The limits of a JSON body, checked on its text before it is parsed: nesting of arrays and
// objects, and values (counted by their separators).
inline constexpr int kMaxJsonDepth = 16;
inline constexpr std::size_t kMaxJsonValues = 10000;
bool json_within_limits(std::string_view text, int max_depth, std::size_t max_values);

// Reads a request's body by `spec`: refuses a body that is not JSON (request.content_type 415,
// request.malformed_json 400), then, all at once, naming each field (nested ones as
// "expenses[2].amount"): unknown fields (request.unknown_field), fields of the wrong type or
// lists of the wrong length (request.type), and missing required fields (request.type).
Result<Body> parse_body(const HttpRequest& r, const BodySpec& spec);

// The same checks on one object already parsed, its fields named after `prefix` ("changes[1]").
void check_object(const json& j, const BodySpec& spec, const std::string& prefix,
                  std::vector<Problem>& problems);

// A dossier as a body: its fields, its plan's lines (expenses, resources), read into the use
// cases' input (the agents' POST /api/v1/applications and the applicants' portal).
extern const BodySpec kApplicationSpec;
ApplicationInput application_input(const Body& b);

// ---- answers ---------------------------------------------------------------------------------

HttpResponse ok_json(std::string body, int status = 200);
std::string dump(const ordered_json& j);

// {"limit", "offset", "next_offset", "items"} around a rendered list.
// `total`, when known: how many items the whole list has (a paged search's count).
std::string page_json(const std::string& items, std::int64_t limit, std::int64_t offset,
                      std::size_t count, std::optional<std::int64_t> total = std::nullopt);

// A query parameter that must be a positive integer (request.query), nullopt when absent.
std::optional<std::int64_t> query_int(const HttpRequest& r, const std::string& name,
                                      std::vector<Problem>& problems);
// A query parameter as typed ("" when absent).
std::string query_text(const HttpRequest& r, const std::string& name);

std::string notes_json(const std::vector<NoteRecord>& notes);
// A dossier's exchange with its applicants: [{id, from ("applicant"|"agent"), author, at, text}].
ordered_json messages_json(const std::vector<MessageRecord>& messages);
// A dossier's files: [{id, name, type, size, sha256, piece, message, from, author, at, scan,
// removed_at}].
ordered_json files_json(const std::vector<FileRecord>& files);

// A refusal where the path decides: when its first code is `path_unknown` (the path names a
// resource that does not exist) the answer is a 404, whatever the code's own status (a 422 for a
// reference inside a body or a query).
HttpResponse path_problem(const Refusal& r, const std::string& path_unknown);

// ---- the context the area files register their routes in ------------------------------------

struct ApiContext {
  sql::SqlStore& store;
  Clock& clock;
  PasswordHasher& passwords;
  TokenSource& tokens;
  const ApiOptions& options;
  LoginThrottle& throttle;
  Router& router;
  JobRunner& jobs;
  const FileServices& files;  // dossiers' files: sniffer, scanner, SHA-256 (file_tools.h)

  // Declares one route of the API.
  void add(std::string method, std::string pattern, Access access, std::string summary,
           RouteHandler handler, bool creates = false);

  // The use case's answer, rendered, or its refusal.
  template <class T, class Render>
  HttpResponse reply(Result<T> r, Render render, int status = 200) {
    if (!r.ok()) return problem_response(r.refusal());
    return ok_json(render(r.value()), status);
  }
  // The same, for a route whose path names the resource that `path_unknown` says is missing.
  template <class T, class Render>
  HttpResponse reply_found(Result<T> r, const std::string& path_unknown, Render render) {
    if (!r.ok()) return path_problem(r.refusal(), path_unknown);
    return ok_json(render(r.value()));
  }

  template <class F>
  auto read(F f) {
    return run_read(store, [&](Transaction& tx) { return f(tx); });
  }

  Context context(const RouteCall& call) const;

  using WriteFn = std::function<HttpResponse(Transaction&, const Context&)>;
  // Runs a writing use case in one transaction (rolled back when it answers an error); for a
  // creating route, an Idempotency-Key replays the first answer to the same key.
  HttpResponse write(RouteCall& call, bool creates, const WriteFn& use_case);

  // A writing use case of an award's life, answered with the award as it now stands.
  using AwardFn = std::function<Status(Transaction&, const Context&)>;
  HttpResponse award_write(RouteCall& call, bool creates, const AwardFn& use_case);
};

}  // namespace octroi::http::api
