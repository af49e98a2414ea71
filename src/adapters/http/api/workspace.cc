// The instruction workspace on the API (app/workspace.h): a dossier's assignment, following it,
// and bulk acts on several dossiers, all or nothing. The queues are filters of
// GET /api/v1/applications (queue, scope, assignee, numbers).
#include <string>
#include <vector>

#include "adapters/http/api/routes.h"
#include "adapters/http/api/support.h"
#include "app/approvals.h"
#include "app/workspace.h"

namespace octroi::http::api {
namespace {

const BodySpec kAssignSpec{{"assignee", Field::Text}};
const BodySpec kFollowSpec{{"follow", Field::Flag, Required::Yes}};
const BodySpec kBulkEventSpec{{"numbers", Field::Texts, Required::Yes},
                              {"event", Field::Text, Required::Yes},
                              {"reason", Field::Text}};
const BodySpec kOpinionSpec{{"service", Field::Text, Required::Yes},
                            {"question", Field::Text, Required::Yes}};
const BodySpec kAnswerSpec{{"opinion", Field::Text, Required::Yes}, {"answer", Field::Text}};
const BodySpec kBulkAssignSpec{{"numbers", Field::Texts, Required::Yes}, {"assignee", Field::Text}};

Caller caller_of(const RouteCall& c) {
  return Caller{c.caller().account_id, c.caller().role};
}

// A bulk act names its dossiers in the body: an unknown one is a 422 like any reference inside
// a body, not the 404 of a path that names a missing resource.
HttpResponse bulk_problem(const Refusal& r) {
  return problem_response(r, r.first().code == "application.unknown" ? 422 : 0);
}

json assignment_json(const AssignmentView& v) {
  return json{{"number", v.number},
              {"assignee", v.login.empty() ? json(nullptr) : json(v.login)},
              {"assignee_name", v.display_name.empty() ? json(nullptr) : json(v.display_name)}};
}

std::string assignments_json(const std::vector<AssignmentView>& list) {
  json out = json::array();
  for (const auto& v : list)
    out.push_back(assignment_json(v));
  return out.dump();
}

std::string approval_json(const ApprovalState& st) {
  json levels = json::array();
  for (const auto& l : st.chain)
    levels.push_back(
        {{"level", l.level}, {"label", l.label}, {"role", l.role}, {"may_return", l.may_return}});
  json rows = json::array();
  for (const auto& r : st.rows)
    rows.push_back({{"round", r.round},
                    {"level", r.level},
                    {"decision", r.decision},
                    {"actor", r.actor},
                    {"on", r.on.iso()},
                    {"at", r.at.iso()},
                    {"comment", r.comment}});
  const json out = {{"chain", levels},
                    {"round", st.round},
                    {"given", st.given},
                    {"awaited_level", st.awaited ? json(st.awaited->level) : json(nullptr)},
                    {"rows", rows}};
  return out.dump();
}

json opinion_json(const OpinionRecord& o) {
  return json{{"id", o.id},
              {"service", o.service},
              {"question", o.question},
              {"requested_by", o.requested_by},
              {"requested_at", o.requested_at.iso()},
              {"opinion", o.opinion.empty() ? json(nullptr) : json(o.opinion)},
              {"answer", o.answer},
              {"answered_by", o.answered_by.empty() ? json(nullptr) : json(o.answered_by)},
              {"answered_at", o.answered_at ? json(o.answered_at->iso()) : json(nullptr)}};
}

HttpResponse ask(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kOpinionSpec);
  if (!body.ok()) return problem_response(body.refusal());
  const std::string service = body->text("service"), question = body->text("question");
  return api.write(c, true, [&](Transaction& tx, const Context& ctx) {
    auto r = request_opinion(tx, ctx, c.param("number"), service, question);
    if (!r.ok()) return path_problem(r.refusal(), "application.unknown");
    return ok_json(opinion_json(r.value()).dump(), 201);
  });
}

HttpResponse answer(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kAnswerSpec);
  if (!body.ok()) return problem_response(body.refusal());
  const std::string opinion = body->text("opinion"), text = body->text("answer");
  return api.write(c, false, [&](Transaction& tx, const Context& ctx) {
    auto r = give_opinion(tx, ctx, caller_of(c), c.param("id"), opinion, text);
    if (!r.ok()) return path_problem(r.refusal(), "opinion.unknown");
    return ok_json(opinion_json(r.value()).dump(), 200);
  });
}

HttpResponse assign(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kAssignSpec);
  if (!body.ok()) return problem_response(body.refusal());
  const std::string to = body->text("assignee");
  return api.write(c, false, [&](Transaction& tx, const Context& ctx) {
    auto r = assign_application(tx, ctx, caller_of(c), c.param("number"), to);
    if (!r.ok()) return path_problem(r.refusal(), "application.unknown");
    return ok_json(assignment_json(r.value()).dump(), 200);
  });
}

HttpResponse follow(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kFollowSpec);
  if (!body.ok()) return problem_response(body.refusal());
  const bool on = body->flag("follow");
  return api.write(c, false, [&](Transaction& tx, const Context& ctx) {
    auto r = follow_application(tx, ctx, caller_of(c), c.param("number"), on);
    if (!r.ok()) return path_problem(r.refusal(), "application.unknown");
    return ok_json(json{{"number", c.param("number")}, {"follow", on}}.dump(), 200);
  });
}

HttpResponse bulk_events(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kBulkEventSpec);
  if (!body.ok()) return problem_response(body.refusal());
  const std::vector<std::string> numbers = body->texts("numbers");
  EventInput in;
  in.event = body->text("event");
  in.reason = body->text("reason");
  return api.write(c, false, [&](Transaction& tx, const Context& ctx) {
    auto r = bulk_event(tx, ctx, numbers, in);
    if (!r.ok()) return bulk_problem(r.refusal());
    json out = json::array();
    for (const auto& app : r.value())
      out.push_back(json{{"number", app.number}, {"state", std::string(to_string(app.state()))}});
    return ok_json(out.dump(), 200);
  });
}

HttpResponse bulk_assignments(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kBulkAssignSpec);
  if (!body.ok()) return problem_response(body.refusal());
  const std::vector<std::string> numbers = body->texts("numbers");
  const std::string to = body->text("assignee");
  return api.write(c, false, [&](Transaction& tx, const Context& ctx) {
    auto r = bulk_assign(tx, ctx, caller_of(c), numbers, to);
    if (!r.ok()) return bulk_problem(r.refusal());
    return ok_json(assignments_json(r.value()), 200);
  });
}

}  // namespace

void add_workspace_routes(ApiContext& api) {
  using enum Action;
  api.add("GET", "/api/v1/applications/{number}/assignment", Access::needs(Read),
          "Qui instruit le dossier", [&api](RouteCall& c) {
            return api.reply_found(api.read([&](Transaction& tx) {
              return assignment_of(tx, c.caller().authority, c.param("number"));
            }),
                                   "application.unknown", [](const AssignmentView& v) {
                                     return assignment_json(v).dump();
                                   });
          });
  api.add("POST", "/api/v1/applications/{number}/assignment", Access::needs(MoveDossier),
          "Attribuer le dossier à un compte (assignee ; vide : personne)",
          [&api](RouteCall& c) { return assign(api, c); });
  api.add("POST", "/api/v1/applications/{number}/follow", Access::needs(Read),
          "Suivre le dossier (follow : true) ou cesser (false)",
          [&api](RouteCall& c) { return follow(api, c); });
  api.add("GET", "/api/v1/applications/{number}/opinions", Access::needs(Read),
          "Les avis demandés aux services sur un dossier", [&api](RouteCall& c) {
            return api.reply_found(api.read([&](Transaction& tx) {
              return opinions_of(tx, c.caller().authority, c.param("number"));
            }),
                                   "application.unknown",
                                   [](const std::vector<OpinionRecord>& list) {
                                     json out = json::array();
                                     for (const auto& o : list)
                                       out.push_back(opinion_json(o));
                                     return out.dump();
                                   });
          });
  api.add("GET", "/api/v1/applications/{number}/approvals", Access::needs(Read),
          "Le circuit de visa d'un dossier : ses niveaux, le visa attendu, les visas et renvois de "
          "chaque tour",
          [&api](RouteCall& c) {
            return api.reply_found(api.read([&](Transaction& tx) {
              return approval_of(tx, c.caller().authority, c.param("number"));
            }),
                                   "application.unknown",
                                   [](const ApprovalState& st) { return approval_json(st); });
          });
  api.add(
      "POST", "/api/v1/applications/{number}/opinions", Access::needs(MoveDossier),
      "Demander l'avis d'un autre service (service, question)",
      [&api](RouteCall& c) { return ask(api, c); }, true);
  api.add("POST", "/api/v1/opinions/{id}/answer", Access::needs(MoveDossier),
          "Donner l'avis demandé à son service (opinion : favorable, reserved, unfavorable ; "
          "answer)",
          [&api](RouteCall& c) { return answer(api, c); });
  api.add("POST", "/api/v1/bulk/events", Access::needs(MoveDossier),
          "Le même événement sur plusieurs dossiers, tout ou rien (numbers, event, reason)",
          [&api](RouteCall& c) { return bulk_events(api, c); });
  api.add("POST", "/api/v1/bulk/assignments", Access::needs(MoveDossier),
          "Attribuer plusieurs dossiers au même compte, tout ou rien (numbers, assignee)",
          [&api](RouteCall& c) { return bulk_assignments(api, c); });
}

}  // namespace octroi::http::api
