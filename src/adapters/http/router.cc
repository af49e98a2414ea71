#include "adapters/http/router.h"

#include <stdexcept>

namespace octroi::http {
namespace {

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool changes_state(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// True when `a` is more specific than `b`: at the first segment where one is literal and the other
// a parameter, the literal wins. Both match the same path, so they have as many segments.
bool more_specific(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const bool pa = is_param(a[i]), pb = is_param(b[i]);
    if (pa != pb) return !pa;
  }
  return false;
}

bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
             PathParams* params) {
  if (pattern.size() != path.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (is_param(pattern[i])) {
      if (params) (*params)[pattern[i].substr(1, pattern[i].size() - 2)] = path[i];
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

namespace {
// `path` is `prefix` or below it ("/portail", "/portail/…", not "/portailx").
bool under(std::string_view path, std::string_view prefix) {
  return path.substr(0, prefix.size()) == prefix &&
         (path.size() == prefix.size() || path[prefix.size()] == '/');
}
}  // namespace

Surface surface_of_path(std::string_view path) {
  if (under(path, "/api/v1/portal")) return Surface::PortalApi;
  if (path.substr(0, 5) == "/api/") return Surface::Api;
  if (under(path, "/portail")) return Surface::Portal;
  return Surface::Page;
}

std::string_view to_string(Surface s) {
  switch (s) {
    case Surface::Api:
      return "api";
    case Surface::Page:
      return "page";
    case Surface::PortalApi:
      return "portal_api";
    case Surface::Portal:
      return "portal";
  }
  return "page";
}

bool is_api(Surface s) {
  return s == Surface::Api || s == Surface::PortalApi;
}

std::vector<std::string> path_segments(std::string_view path) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at <= path.size()) {
    std::size_t end = path.find('/', at);
    if (end == std::string_view::npos) end = path.size();
    if (end > at) out.emplace_back(path.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

const std::string& RouteCall::param(const std::string& name) const {
  const auto it = params.find(name);
  if (it == params.end())
    throw std::logic_error("route " + route.pattern + " has no parameter {" + name + "}");
  return it->second;
}

const Principal& RouteCall::caller() const {
  if (!who) throw std::logic_error("route " + route.pattern + " is public: no caller");
  return *who;
}

void Router::add(RouteInfo info, RouteHandler handler) {
  if (info.pattern.empty() || info.pattern.front() != '/')
    throw std::logic_error("route pattern must start with '/': " + info.pattern);
  auto segments = path_segments(info.pattern);
  for (const auto& s : segments)
    if (s.find_first_of("{}") != std::string::npos && !is_param(s))
      throw std::logic_error("malformed segment in route pattern " + info.pattern);
  for (const auto& r : routes_)
    if (r.info.method == info.method && r.segments.size() == segments.size()) {
      bool same = true;
      for (std::size_t i = 0; i < segments.size() && same; ++i)
        same = is_param(segments[i]) ? is_param(r.segments[i]) : segments[i] == r.segments[i];
      if (same)
        throw std::logic_error("route declared twice: " + info.method + " " + info.pattern + " (" +
                               r.info.pattern + ")");
    }
  if (!handler) throw std::logic_error("route without handler: " + info.pattern);
  routes_.push_back({std::move(info), std::move(segments), std::move(handler)});
}

void Router::set_gate(Surface s, Gate& gate) {
  gates_[static_cast<int>(s)] = &gate;
}

const Router::Route* Router::find(std::string_view method, std::string_view path,
                                  PathParams& params, bool& path_known) const {
  const auto segments = path_segments(path);
  const Route* best = nullptr;
  path_known = false;
  for (const auto& r : routes_) {
    if (!matches(r.segments, segments, nullptr)) continue;
    path_known = true;
    if (r.info.method != method) continue;
    if (!best || more_specific(r.segments, best->segments)) best = &r;
  }
  if (best) matches(best->segments, segments, &params);
  return best;
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match m;
  const Route* r = find(method, path, m.params, m.path_known);
  m.route = r ? &r->info : nullptr;
  return m;
}

HttpResponse Router::dispatch(const HttpRequest& r) const {
  Gate* gate = gates_[static_cast<int>(surface_of_path(r.path))];
  if (!gate) throw std::logic_error("router dispatching without a gate");
  PathParams params;
  bool path_known = false;
  const Route* route = find(r.method, r.path, params, path_known);
  if (!route)
    return gate->deny(r, path_known ? Denial::MethodNotAllowed : Denial::NotFound, nullptr,
                      nullptr);
  RouteCall call{r, route->info, std::move(params), std::nullopt};
  if (route->info.access.kind() != Access::Kind::Public) {
    bool via_cookie = false;
    auto who = gate->authenticate(r, via_cookie);
    if (!who.ok()) return gate->deny(r, Denial::Unauthenticated, nullptr, &who.refusal());
    // After a reset by an administrator, the account does nothing before choosing a password
    // of its own: only the routes open to any signed-in caller (the account page, the password
    // change, logging out) answer.
    if (who->must_change_password && route->info.access.kind() != Access::Kind::SignedIn)
      return gate->deny(r, Denial::PasswordChange, &who.value(), nullptr);
    if (!route->info.access.admits(who->role))
      return gate->deny(r, Denial::Forbidden, &who.value(), nullptr);
    if (changes_state(r.method) && !gate->csrf_valid(r, who.value(), via_cookie))
      return gate->deny(r, Denial::Csrf, &who.value(), nullptr);
    call.who = std::move(who.value());
  }
  return route->handler(call);
}

std::vector<RouteInfo> Router::table() const {
  std::vector<RouteInfo> out;
  out.reserve(routes_.size());
  for (const auto& r : routes_)
    out.push_back(r.info);
  return out;
}

}  // namespace octroi::http
