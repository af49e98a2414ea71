// The declarative reading of JSON bodies (adapters/http/api/support.h): a BodySpec names the
// fields a route reads; the parser refuses, all at once and naming each field, what is unknown,
// of the wrong type, of the wrong length or missing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/http/api/support.h"

namespace {

using namespace octroi::http;
using namespace octroi::http::api;

const BodySpec kLine{{"label", Field::Text}, {"amount", Field::Text}, {"eligible", Field::Flag}};
const BodySpec kSpec{{"title", Field::Text},
                     {"early_start", Field::Flag},
                     {"party", Field::Integer},
                     {"line", Field::Position},
                     {"reason", Field::Text, Required::Yes},
                     {"applications", Field::Texts, Required::No, nullptr, 0, 3},
                     {"expenses", Field::Objects, Required::No, &kLine, 0, 2}};

HttpRequest json_request(const std::string& body, const std::string& type = "application/json") {
  HttpRequest r;
  r.method = "POST";
  r.path = "/api/v1/x";
  r.headers["content-type"] = type;
  r.body = body;
  return r;
}

// "code@field" of each problem, in order.
std::vector<std::string> problems_of(const std::string& body) {
  auto parsed = parse_body(json_request(body), kSpec);
  std::vector<std::string> out;
  if (parsed.ok()) return out;
  for (const auto& p : parsed.refusal().problems)
    out.push_back(p.code + "@" + p.field);
  return out;
}

using Codes = std::vector<std::string>;

TEST(BodySpec, ReadsTheFieldsItNamesWithTheirDefaults) {
  auto b = parse_body(json_request(R"({"title": "Un titre", "early_start": true, "party": 12,
      "line": 3, "reason": "Parce que", "applications": ["EX070158"],
      "expenses": [{"label": "Devis", "amount": "100.00"}]})"),
                      kSpec);
  ASSERT_TRUE(b.ok()) << b.refusal().describe();
  EXPECT_EQ(b->text("title"), "Un titre");
  EXPECT_TRUE(b->flag("early_start"));
  EXPECT_EQ(b->integer("party"), 12);
  EXPECT_EQ(b->position("line"), 3u);
  EXPECT_EQ(b->texts("applications"), (std::vector<std::string>{"EX070158"}));
  ASSERT_EQ(b->objects("expenses").size(), 1u);
  EXPECT_EQ(b->objects("expenses")[0].text("amount"), "100.00");
  EXPECT_EQ(b->objects("expenses")[0].flag_if_present("eligible"), std::nullopt);

  // Absent and null fields read as empty.
  auto empty = parse_body(json_request(R"({"reason": "x", "title": null})"), kSpec);
  ASSERT_TRUE(empty.ok()) << empty.refusal().describe();
  EXPECT_EQ(empty->text("title"), "");
  EXPECT_FALSE(empty->flag("early_start"));
  EXPECT_EQ(empty->integer("party"), 0);
  EXPECT_EQ(empty->position("line"), std::nullopt);
  EXPECT_TRUE(empty->texts("applications").empty());
  EXPECT_TRUE(empty->objects("expenses").empty());
}

TEST(BodySpec, RefusesWhatIsNotAJsonObject) {
  auto wrong_type = parse_body(json_request("{}", "text/plain"), kSpec);
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_EQ(wrong_type.refusal().first().code, "request.content_type");
  EXPECT_EQ(status_of("request.content_type"), 415);
  for (const std::string body : {"", "[1, 2]", R"({"title": )", "42"}) {
    auto r = parse_body(json_request(body), kSpec);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.refusal().first().code, "request.malformed_json") << body;
    EXPECT_EQ(r.refusal().first().field, "body");
  }
  // A charset parameter is still JSON.
  EXPECT_TRUE(
      parse_body(json_request(R"({"reason": "x"})", "application/json; charset=utf-8"), kSpec)
          .ok());
}

TEST(BodySpec, RefusesUnknownFieldsWrongTypesAndMissingOnesAllAtOnce) {
  EXPECT_EQ(problems_of(R"({"reason": "x", "nature": "gift"})"),
            (Codes{"request.unknown_field@nature"}));
  EXPECT_EQ(problems_of(R"({"reason": "x", "title": 12})"), (Codes{"request.type@title"}));
  EXPECT_EQ(problems_of(R"({"reason": "x", "early_start": "oui"})"),
            (Codes{"request.type@early_start"}));
  EXPECT_EQ(problems_of(R"({"reason": "x", "party": "12"})"), (Codes{"request.type@party"}));
  EXPECT_EQ(problems_of(R"({"reason": "x", "party": 1.5})"), (Codes{"request.type@party"}));
  EXPECT_EQ(problems_of(R"({"reason": "x", "line": -1})"), (Codes{"request.type@line"}));
  EXPECT_EQ(problems_of(R"({"reason": "x", "line": 10001})"), (Codes{"request.type@line"}));
  EXPECT_EQ(problems_of(R"({})"), (Codes{"request.type@reason"}));
  EXPECT_EQ(problems_of(R"({"reason": null})"), (Codes{"request.type@reason"}));
  // Everything at once: the unknown fields first, then the types, then what is missing.
  EXPECT_EQ(problems_of(R"({"title": false, "x": 1, "y": 2, "party": "p"})"),
            (Codes{"request.unknown_field@x", "request.unknown_field@y", "request.type@title",
                   "request.type@party", "request.type@reason"}));
}

TEST(BodySpec, ChecksListsAndTheObjectsInThem) {
  EXPECT_EQ(problems_of(R"({"reason": "x", "applications": "EX070158"})"),
            (Codes{"request.type@applications"}));
  EXPECT_EQ(problems_of(R"({"reason": "x", "applications": ["a", "b", "c", "d"]})"),
            (Codes{"request.type@applications"}));
  EXPECT_EQ(problems_of(R"({"reason": "x", "applications": ["a", 2]})"),
            (Codes{"request.type@applications[2]"}));
  EXPECT_EQ(problems_of(R"({"reason": "x", "expenses": [{}, {}, {}]})"),
            (Codes{"request.type@expenses"}));
  EXPECT_EQ(problems_of(R"({"reason": "x", "expenses": ["Devis"]})"),
            (Codes{"request.type@expenses[1]"}));
  EXPECT_EQ(problems_of(R"({"reason": "x",
      "expenses": [{"label": "Devis", "amount": 100}, {"nature": "x", "eligible": "oui"}]})"),
            (Codes{"request.type@expenses[1].amount", "request.unknown_field@expenses[2].nature",
                   "request.type@expenses[2].eligible"}));
}

TEST(BodySpec, MessagesNameTheField) {
  auto r = parse_body(json_request(R"({"title": 1, "zzz": 2})"), kSpec);
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.refusal().problems.size(), 3u);
  EXPECT_EQ(r.refusal().problems[0].message, "Champ inconnu « zzz ».");
  EXPECT_EQ(r.refusal().problems[1].message, "« title » doit être une chaîne.");
  EXPECT_EQ(r.refusal().problems[2].message, "« reason » est obligatoire : une chaîne.");
}

}  // namespace
