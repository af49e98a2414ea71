// The router alone (adapters/http/router.h): matching, the most specific pattern, deny by
// default, authentication, permission and CSRF before any handler, and the refusals of bad
// declarations.
#include "adapters/http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace {

using octroi::Action;
using octroi::Principal;
using octroi::Refusal;
using octroi::Role;
using namespace octroi::http;

// A gate that recognises "Bearer <role>" and writes what it denied in the body.
class FakeGate : public Gate {
 public:
  octroi::Result<Principal> authenticate(const HttpRequest& r, bool& via_cookie) override {
    via_cookie = r.header("authorization").empty();
    const std::string who = via_cookie ? r.cookie("s") : r.header("authorization").substr(7);
    if (auto role = octroi::parse_role(who)) {
      Principal p;
      p.role = *role;
      p.csrf_token = via_cookie ? "good" : "";
      return p;
    }
    return octroi::refuse("auth.no_session", "authorization", "Connectez-vous.");
  }
  bool csrf_valid(const HttpRequest& r, const Principal& who, bool via_cookie) override {
    return !via_cookie || r.header("x-csrf-token") == who.csrf_token;
  }
  HttpResponse deny(const HttpRequest&, Denial d, const Principal* who,
                    const Refusal* why) override {
    static const char* names[] = {"not_found", "method", "unauthenticated", "forbidden", "csrf"};
    HttpResponse out;
    out.status = 400 + static_cast<int>(d);
    out.body = std::string(names[static_cast<int>(d)]) + (who ? " with caller" : "") +
               (why ? " " + why->first().code : "");
    return out;
  }
};

HttpRequest request(std::string method, std::string path, std::string auth = "") {
  HttpRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  if (!auth.empty()) r.headers["authorization"] = "Bearer " + auth;
  return r;
}

HttpResponse says(std::string text) {
  HttpResponse out;
  out.body = std::move(text);
  return out;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.set_gate(Surface::Api, api_gate);
    router.set_gate(Surface::Page, page_gate);
    router.add({"GET", "/api/v1/things/{id}", Access::needs(Action::Read), "Une chose"},
               [](RouteCall& c) { return says("thing " + c.param("id")); });
    router.add({"GET", "/api/v1/things/special", Access::needs(Action::Read), "La spéciale"},
               [](RouteCall&) { return says("special"); });
    router.add(
        {"POST", "/api/v1/things", Access::needs(Action::ManageSchemes), "Créer"},
        [](RouteCall& c) { return says("created by " + std::string(to_string(c.caller().role))); });
    router.add({"GET", "/api/v1/open", Access::anyone(), "Public"},
               [](RouteCall& c) { return says(c.who ? "caller" : "nobody"); });
    router.add({"POST", "/compte", Access::signed_in(), "Mon compte"},
               [](RouteCall&) { return says("account"); });
  }
  FakeGate api_gate, page_gate;
  Router router;
};

TEST_F(RouterTest, MatchesParametersAndPrefersLiteralSegments) {
  EXPECT_EQ(router.dispatch(request("GET", "/api/v1/things/42", "reader")).body, "thing 42");
  EXPECT_EQ(router.dispatch(request("GET", "/api/v1/things/special", "reader")).body, "special");
  // Declared in the other order, the literal still wins.
  Router other;
  other.set_gate(Surface::Api, api_gate);
  other.add({"GET", "/api/x/literal", Access::anyone(), ""}, [](RouteCall&) { return says("L"); });
  other.add({"GET", "/api/x/{p}", Access::anyone(), ""}, [](RouteCall&) { return says("P"); });
  EXPECT_EQ(other.dispatch(request("GET", "/api/x/literal")).body, "L");
  EXPECT_EQ(other.dispatch(request("GET", "/api/x/other")).body, "P");
  EXPECT_EQ(router.match("GET", "/api/v1/things/7").params.at("id"), "7");
}

TEST_F(RouterTest, UnknownPathAndWrongMethodAreDeniedByTheirSurface) {
  EXPECT_EQ(router.dispatch(request("GET", "/api/v1/nothing", "reader")).body, "not_found");
  EXPECT_EQ(router.dispatch(request("DELETE", "/api/v1/things/1", "reader")).body, "method");
  EXPECT_EQ(router.dispatch(request("GET", "/api/v1/things", "reader")).body, "method");
  EXPECT_EQ(router.dispatch(request("GET", "/pas-de-page")).status, 400);
  EXPECT_EQ(router.dispatch(request("GET", "/api/v1/things/a/b", "reader")).body, "not_found");
}

TEST_F(RouterTest, AuthenticatesAndChecksThePermissionBeforeTheHandler) {
  EXPECT_EQ(router.dispatch(request("GET", "/api/v1/things/1")).body,
            "unauthenticated auth.no_session");
  EXPECT_EQ(router.dispatch(request("POST", "/api/v1/things", "reader")).body,
            "forbidden with caller");
  EXPECT_EQ(router.dispatch(request("POST", "/api/v1/things", "administrator")).body,
            "created by administrator");
  // Every role that permits the action reaches it, every other is refused: the table decides.
  for (Role role : octroi::all_roles()) {
    const auto out =
        router.dispatch(request("POST", "/api/v1/things", std::string(to_string(role))));
    EXPECT_EQ(out.body.rfind("created", 0) == 0, octroi::permits(role, Action::ManageSchemes))
        << to_string(role);
  }
}

TEST_F(RouterTest, PublicRoutesHaveNoCallerAndSignedInRoutesAdmitEveryRole) {
  EXPECT_EQ(router.dispatch(request("GET", "/api/v1/open")).body, "nobody");
  EXPECT_EQ(router.dispatch(request("GET", "/api/v1/open", "reader")).body, "nobody");
  for (Role role : octroi::all_roles()) {
    auto r = request("POST", "/compte");
    r.headers["cookie"] = "s=" + std::string(to_string(role));
    r.headers["x-csrf-token"] = "good";
    EXPECT_EQ(router.dispatch(r).body, "account") << to_string(role);
  }
}

TEST_F(RouterTest, CookieChangesNeedTheCsrfTokenBearerChangesDoNot) {
  auto r = request("POST", "/api/v1/things");
  r.headers["cookie"] = "s=administrator";
  EXPECT_EQ(router.dispatch(r).body, "csrf with caller");
  r.headers["x-csrf-token"] = "bad";
  EXPECT_EQ(router.dispatch(r).body, "csrf with caller");
  r.headers["x-csrf-token"] = "good";
  EXPECT_EQ(router.dispatch(r).body, "created by administrator");
  // A GET never needs it.
  auto g = request("GET", "/api/v1/things/3");
  g.headers["cookie"] = "s=reader";
  EXPECT_EQ(router.dispatch(g).body, "thing 3");
}

TEST_F(RouterTest, RefusesBadDeclarations) {
  auto noop = [](RouteCall&) { return says(""); };
  EXPECT_THROW(router.add({"GET", "/api/v1/things/{other}", Access::anyone(), ""}, noop),
               std::logic_error);  // same shape as /api/v1/things/{id}
  EXPECT_THROW(router.add({"GET", "api/v1/x", Access::anyone(), ""}, noop), std::logic_error);
  EXPECT_THROW(router.add({"GET", "/api/v1/{x", Access::anyone(), ""}, noop), std::logic_error);
  EXPECT_THROW(router.add({"GET", "/api/v1/y", Access::anyone(), ""}, nullptr), std::logic_error);
  EXPECT_NO_THROW(router.add({"PUT", "/api/v1/things/{other}", Access::anyone(), ""}, noop));
}

TEST_F(RouterTest, TheTableListsEveryRouteInOrderWithItsAccess) {
  const auto table = router.table();
  ASSERT_EQ(table.size(), 5u);
  EXPECT_EQ(table[0].pattern, "/api/v1/things/{id}");
  EXPECT_EQ(table[2].action(), Action::ManageSchemes);
  EXPECT_EQ(table[3].access.kind(), Access::Kind::Public);
  EXPECT_EQ(table[4].surface(), Surface::Page);
  EXPECT_EQ(table[4].action(), std::nullopt);
}

TEST(PathSegments, DropEmptySegments) {
  EXPECT_EQ(path_segments("/a//b/"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(path_segments("/").empty());
  EXPECT_EQ(surface_of_path("/api/v1/me"), Surface::Api);
  EXPECT_EQ(surface_of_path("/apix"), Surface::Page);
}

}  // namespace
