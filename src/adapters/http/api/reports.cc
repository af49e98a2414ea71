// Committee reports (rapports de séance), their articles, the vote, and the sessions.
#include "adapters/http/api/routes.h"
#include "adapters/json/render_json.h"

namespace octroi::http::api {
namespace {

const BodySpec kReportSpec{{"number", Field::Text},
                           {"title", Field::Text},
                           {"body", Field::Text},
                           {"session_date", Field::Text}};
const BodySpec kArticleSpec{
    {"kind", Field::Text},         {"title", Field::Text},
    {"line", Field::Text},         {"amount", Field::Text},
    {"scheme", Field::Text},       {"applications", Field::Texts, Required::No, nullptr, 0, 5000},
    {"party", Field::Text},        {"planned_total", Field::Text},
    {"tranche_rate", Field::Text}, {"application", Field::Text},
    {"new_end", Field::Text}};

HttpResponse report_json(ApiContext& api, Result<ReportView> v, int status = 200) {
  return api.reply(
      std::move(v), [](const ReportView& r) { return octroi::json::json_report(r); }, status);
}

HttpResponse every_report(ApiContext& api, RouteCall& c) {
  const AuthorityId authority = c.caller().authority;
  return api.reply(api.read([&](Transaction& tx) { return list_reports(tx, authority); }),
                   [&](const std::vector<Report>& list) {
                     std::string out = "[";
                     for (std::size_t i = 0; i < list.size(); ++i) {
                       auto v = api.read([&](Transaction& tx) {
                         return show_report(tx, authority, list[i].number);
                       });
                       if (!v.ok()) continue;
                       out += (i ? ",\n" : "\n") + octroi::json::json_report(v.value());
                     }
                     return out + "\n]";
                   });
}

HttpResponse create(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kReportSpec);
  if (!body.ok()) return problem_response(body.refusal());
  ReportInput in;
  in.number = body->text("number");
  in.title = body->text("title");
  if (auto b = body->text("body"); !b.empty()) in.body = b;
  in.session_date = body->text("session_date");
  return api.write(c, true, [&](Transaction& tx, const Context& ctx) {
    auto created = create_report(tx, ctx, in);
    if (!created.ok()) return problem_response(created.refusal());
    return report_json(api, show_report(tx, ctx.authority, created->number), 201);
  });
}

HttpResponse article(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kArticleSpec);
  if (!body.ok()) return problem_response(body.refusal());
  const Body& b = body.value();
  ArticleInput in;
  in.kind = b.text("kind");
  in.title = b.text("title");
  in.line = b.text("line");
  in.amount = b.text("amount");
  in.scheme = b.text("scheme");
  in.applications = b.texts("applications");
  in.party = b.text("party");
  in.planned_total = b.text("planned_total");
  in.tranche_rate = b.text("tranche_rate");
  in.application = b.text("application");
  in.new_end = b.text("new_end");
  return api.write(c, true, [&](Transaction& tx, const Context& ctx) {
    auto added = add_article(tx, ctx, c.param("number"), in);
    if (!added.ok()) return problem_response(added.refusal());
    return report_json(api, show_report(tx, ctx.authority, c.param("number")), 201);
  });
}

}  // namespace

void add_report_routes(ApiContext& api) {
  using enum Action;
  api.add("GET", "/api/v1/reports", Access::needs(Read), "Rapports de séance",
          [&api](RouteCall& c) { return every_report(api, c); });
  api.add("GET", "/api/v1/reports/{number}", Access::needs(Read),
          "Un rapport, ses articles et leur contrôle AE/AP", [&api](RouteCall& c) {
            return report_json(api, api.read([&](Transaction& tx) {
              return show_report(tx, c.caller().authority, c.param("number"));
            }));
          });
  api.add("POST", "/api/v1/reports/{number}/adoption", Access::needs(ManageReports),
          "Enregistrer le vote : tout ou rien", [&api](RouteCall& c) {
            return api.write(c, false, [&](Transaction& tx, const Context& ctx) {
              auto r = adopt_report(tx, ctx, c.param("number"));
              if (!r.ok()) return problem_response(r.refusal());
              return report_json(api, show_report(tx, ctx.authority, c.param("number")));
            });
          });
  api.add("GET", "/api/v1/sessions", Access::needs(Read),
          "Séances (commission permanente, conseil), récentes d'abord", [&api](RouteCall& c) {
            return api.reply(
                api.read([&](Transaction& tx) { return list_sessions(tx, c.caller().authority); }),
                [](const std::vector<Session>& v) { return octroi::json::json_sessions(v); });
          });
  api.add(
      "POST", "/api/v1/reports", Access::needs(ManageReports),
      "Créer un rapport (et sa séance si c'est le premier de l'instance ce jour-là)",
      [&api](RouteCall& c) { return create(api, c); }, true);
  api.add(
      "POST", "/api/v1/reports/{number}/articles", Access::needs(ManageReports),
      "Ajouter un article à un rapport en préparation",
      [&api](RouteCall& c) { return article(api, c); }, true);
  api.add("DELETE", "/api/v1/reports/{number}/articles/{position}", Access::needs(ManageReports),
          "Retirer un article d'un rapport en préparation (les suivants remontent)",
          [&api](RouteCall& c) {
            return api.write(c, false, [&](Transaction& tx, const Context& ctx) {
              auto removed = remove_article(tx, ctx, c.param("number"), c.param("position"));
              if (!removed.ok()) return problem_response(removed.refusal());
              return report_json(api, show_report(tx, ctx.authority, c.param("number")));
            });
          });
}

}  // namespace octroi::http::api
