// The OpenAPI 3 document, generated from the router's table (the API's routes only: the agents'
// and the applicants' /api/v1/portal…).
#include <algorithm>

#include "adapters/http/api/routes.h"

namespace octroi::http::api {
namespace {

ordered_json operation(const RouteInfo& r) {
  ordered_json op = {{"summary", r.summary},
                     {"responses",
                      {{"200", {{"description", "OK"}}},
                       {"default",
                        {{"description", "Refus (RFC 9457)"},
                         {"content", {{"application/problem+json", ordered_json::object()}}}}}}}};
  if (r.access.kind() != Access::Kind::Public) {
    if (const auto action = r.action()) op["x-octroi-action"] = std::string(to_string(*action));
    // The applicants' routes take the portal's session cookie only; the agents' a token or
    // their session.
    op["security"] = r.surface() == Surface::PortalApi
                         ? ordered_json::array({{{"portal_cookie", ordered_json::array()}}})
                         : ordered_json::array({{{"cookie", ordered_json::array()}},
                                                {{"bearer", ordered_json::array()}}});
  } else {
    op["security"] = ordered_json::array();
  }
  ordered_json params = ordered_json::array();
  for (const auto& seg : path_segments(r.pattern))
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
  return op;
}

}  // namespace

std::string openapi_document(const std::vector<RouteInfo>& table) {
  ordered_json paths = ordered_json::object();
  for (const auto& r : table) {
    if (!is_api(r.surface())) continue;
    std::string method = r.method;
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    paths[r.pattern][method] = operation(r);
  }
  return dump(ordered_json{
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "octroi API"},
        {"version", "1"},
        {"description", "Montants en chaînes décimales (\"7000.00\"), dates ISO 8601."}}},
      {"components",
       {{"securitySchemes",
         {{"cookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "octroi_session"}}},
          {"portal_cookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "octroi_portail"}}},
          {"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
      {"paths", paths}});
}

void add_openapi_route(ApiContext& api) {
  api.add("GET", "/api/v1/openapi.json", Access::anyone(), "Ce document OpenAPI",
          [&api](RouteCall&) { return ok_json(openapi_document(api.router.table())); });
}

}  // namespace octroi::http::api
