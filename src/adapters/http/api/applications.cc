// Dossiers: the list and its search, creation with the financing plan, a dossier, its workflow
// events, its plan edited line by line, its history, its de minimis check and its private notes.
#include <algorithm>

#include "adapters/http/api/routes.h"
#include "adapters/json/render_json.h"
#include "app/portal.h"

namespace octroi::http::api {
namespace {

const BodySpec kChangeSpec{{"op", Field::Text, Required::Yes},
                           {"side", Field::Text, Required::Yes},
                           {"line", Field::Position},
                           {"label", Field::Text},
                           {"amount", Field::Text},
                           {"kind", Field::Text},
                           {"status", Field::Text},
                           {"eligible", Field::Flag}};
const BodySpec kPlanSpec{{"changes", Field::Objects, Required::Yes, &kChangeSpec, 1, 200}};
const BodySpec kEventSpec{{"event", Field::Text},        {"reason", Field::Text},
                          {"deliberation", Field::Text}, {"deliberation_date", Field::Text},
                          {"amount", Field::Text},       {"on", Field::Text}};
const BodySpec kStateAidSpec{{"grant_date", Field::Text}};
const BodySpec kNoteSpec{{"text", Field::Text}};

// The plan's changes, their op and side checked against the values they may take.
Result<std::vector<PlanChange>> plan_changes(const Body& b) {
  std::vector<PlanChange> changes;
  std::vector<Problem> problems;
  std::size_t i = 0;
  for (const Body& j : b.objects("changes")) {
    const std::string at = "changes[" + std::to_string(++i) + "]";
    PlanChange pc;
    const std::string op = j.text("op"), side = j.text("side");
    if (op == "set")
      pc.op = PlanChange::Op::Set;
    else if (op == "add")
      pc.op = PlanChange::Op::Add;
    else if (op == "remove")
      pc.op = PlanChange::Op::Remove;
    else
      problems.push_back({"request.value", at + ".op", "op : set, add ou remove."});
    if (side == "expense")
      pc.side = PlanChange::Side::Expense;
    else if (side == "resource")
      pc.side = PlanChange::Side::Resource;
    else
      problems.push_back({"request.value", at + ".side", "side : expense ou resource."});
    if (auto line = j.position("line")) pc.position = *line;
    for (const char* k : {"label", "amount", "kind", "status"})
      if (j.has(k)) {
        auto v = j.text(k);
        if (k == std::string("label")) pc.label = v;
        if (k == std::string("amount")) pc.amount = v;
        if (k == std::string("kind")) pc.kind = v;
        if (k == std::string("status")) pc.status = v;
      }
    pc.eligible = j.flag_if_present("eligible");
    changes.push_back(pc);
  }
  if (!problems.empty()) return Refusal(std::move(problems));
  return changes;
}

HttpResponse application_json(ApiContext& api, Result<ApplicationView> v, int status = 200) {
  return api.reply(
      std::move(v), [](const ApplicationView& a) { return octroi::json::json_application(a); },
      status);
}

HttpResponse search(ApiContext& api, RouteCall& c) {
  std::vector<Problem> problems;
  ApplicationSearch in;
  in.limit = std::min(query_int(c.request, "limit", problems).value_or(100), api.options.max_page);
  if (in.limit < 1) in.limit = 1;
  in.offset = query_int(c.request, "offset", problems).value_or(0);
  in.state = query_text(c.request, "state");
  in.scheme = query_text(c.request, "scheme");
  in.party = query_text(c.request, "party");
  in.departement = query_text(c.request, "departement");
  in.session = query_text(c.request, "session");
  in.text = query_text(c.request, "q");
  in.sort = query_text(c.request, "sort");
  in.order = query_text(c.request, "order");
  in.queue = query_text(c.request, "queue");
  in.scope = query_text(c.request, "scope");
  in.assignee = query_text(c.request, "assignee");
  in.numbers = query_text(c.request, "numbers");
  // "me", "followed" and "service" are the caller's: its token's owner, never a parameter.
  in.viewer = c.caller().account_id;
  in.viewer_service = c.caller().service;
  if (!problems.empty()) return problem_response(Refusal(problems));
  std::int64_t total = 0;
  return api.reply(api.read([&](Transaction& tx) -> Result<std::vector<ApplicationView>> {
    auto count = count_search_applications(tx, c.caller().authority, in);
    if (!count.ok()) return count.refusal();
    total = count.value();
    return search_applications(tx, c.caller().authority, in);
  }),
                   [&](const std::vector<ApplicationView>& list) {
                     return page_json(octroi::json::json_application_list(list), in.limit,
                                      in.offset, list.size(), total);
                   });
}

HttpResponse create(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kApplicationSpec);
  if (!body.ok()) return problem_response(body.refusal());
  const ApplicationInput in = application_input(body.value());
  return api.write(c, true, [&](Transaction& tx, const Context& ctx) {
    auto created = create_application(tx, ctx, in);
    if (!created.ok()) return problem_response(created.refusal());
    return application_json(api, show_application(tx, ctx.authority, created->number), 201);
  });
}

HttpResponse check_de_minimis(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kStateAidSpec);
  if (!body.ok()) return problem_response(body.refusal());
  const std::string grant = body->text("grant_date");
  std::optional<Date> grant_date;
  if (!grant.empty()) {
    auto d = Date::parse(grant, "grant_date");
    if (!d.ok()) return problem_response(d.refusal());
    grant_date = d.value();
  }
  return api.write(c, true, [&](Transaction& tx, const Context& ctx) {
    return api.reply(
        check_state_aid(tx, ctx, c.param("number"), "instruction", grant_date),
        [](const StateAidCheckRecord& r) { return octroi::json::json_state_aid_check(r); }, 201);
  });
}

HttpResponse move(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kEventSpec);
  if (!body.ok()) return problem_response(body.refusal());
  EventInput in;
  in.event = body->text("event");
  in.reason = body->text("reason");
  in.deliberation = body->text("deliberation");
  in.deliberation_date = body->text("deliberation_date");
  in.amount = body->text("amount");
  in.on = body->text("on");
  return api.write(c, false, [&](Transaction& tx, const Context& ctx) {
    auto r = apply_application_event(tx, ctx, c.param("number"), in);
    if (!r.ok()) return problem_response(r.refusal());
    return application_json(api, show_application(tx, ctx.authority, c.param("number")));
  });
}

HttpResponse edit(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kPlanSpec);
  if (!body.ok()) return problem_response(body.refusal());
  auto changes = plan_changes(body.value());
  if (!changes.ok()) return problem_response(changes.refusal());
  return api.write(c, false, [&](Transaction& tx, const Context& ctx) {
    auto r = edit_plan(tx, ctx, c.param("number"), changes.value());
    if (!r.ok()) return problem_response(r.refusal());
    return application_json(api, show_application(tx, ctx.authority, c.param("number")));
  });
}

HttpResponse note(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kNoteSpec);
  if (!body.ok()) return problem_response(body.refusal());
  const std::string text = body->text("text");
  return api.write(c, true, [&](Transaction& tx, const Context& ctx) {
    return api.reply(
        add_note(tx, ctx, c.param("number"), text),
        [](const NoteRecord& n) { return notes_json({n}); }, 201);
  });
}

}  // namespace

void add_application_routes(ApiContext& api) {
  using enum Action;
  api.add("GET", "/api/v1/applications", Access::needs(Read),
          "Dossiers : filtres state, scheme, party, departement, session (date), q (texte, sans "
          "accents), queue (a_traiter, au_visa, traites, archives), scope (me, service, followed, "
          "all), "
          "assignee (compte ou none), numbers ; tri sort, order ; pages limit, offset",
          [&api](RouteCall& c) { return search(api, c); });
  api.add(
      "POST", "/api/v1/applications", Access::needs(EditDossier),
      "Créer un dossier (brouillon) avec son plan de financement",
      [&api](RouteCall& c) { return create(api, c); }, true);
  api.add("GET", "/api/v1/applications/{number}/history", Access::needs(Read),
          "Historique d'un dossier tel que le journal d'audit le garde (dossier et convention)",
          [&api](RouteCall& c) {
            return api.reply(
                api.read([&](Transaction& tx) {
                  return dossier_audit(tx, c.caller().authority, c.param("number"));
                }),
                [](const std::vector<AuditEntry>& v) { return octroi::json::json_audit(v); });
          });
  api.add(
      "POST", "/api/v1/applications/{number}/state-aid-checks", Access::needs(EditDossier),
      "Contrôler le cumul de minimis du bénéficiaire (étape d'instruction)",
      [&api](RouteCall& c) { return check_de_minimis(api, c); }, true);
  api.add("GET", "/api/v1/applications/{number}", Access::needs(Read),
          "Un dossier, son plan et son aide", [&api](RouteCall& c) {
            return application_json(api, api.read([&](Transaction& tx) {
              return show_application(tx, c.caller().authority, c.param("number"));
            }));
          });
  api.add("POST", "/api/v1/applications/{number}/events", Access::needs(MoveDossier),
          "Faire avancer un dossier (submit, propose, return…)",
          [&api](RouteCall& c) { return move(api, c); });
  api.add("PATCH", "/api/v1/applications/{number}/plan", Access::needs(EditDossier),
          "Modifier le plan de financement, ligne à ligne (tout ou rien)",
          [&api](RouteCall& c) { return edit(api, c); });
  api.add("GET", "/api/v1/applications/{number}/notes", Access::needs(Read),
          "Notes privées d'un dossier", [&api](RouteCall& c) {
            return api.reply(
                api.read([&](Transaction& tx) {
                  return notes_of_application(tx, c.caller().authority, c.param("number"));
                }),
                [](const std::vector<NoteRecord>& notes) { return notes_json(notes); });
          });
  api.add(
      "POST", "/api/v1/applications/{number}/notes", Access::needs(EditDossier),
      "Ajouter une note privée (jamais publiée)", [&api](RouteCall& c) { return note(api, c); },
      true);
  api.add("GET", "/api/v1/applications/{number}/messages", Access::needs(Read),
          "Échanges d'un dossier déposé sur le portail avec ses demandeurs", [&api](RouteCall& c) {
            return api.reply_found(api.read([&](Transaction& tx) {
              return dossier_messages(tx, c.caller().authority, c.param("number"));
            }),
                                   "application.unknown", [](const std::vector<MessageRecord>& m) {
                                     return dump(messages_json(m));
                                   });
          });
  api.add(
      "POST", "/api/v1/applications/{number}/messages", Access::needs(EditDossier),
      "Écrire aux demandeurs d'un dossier déposé sur le portail (prévenus par courriel)",
      [&api](RouteCall& c) {
        auto body = parse_body(c.request, kNoteSpec);
        if (!body.ok()) return problem_response(body.refusal());
        const std::string text = body->text("text");
        return api.write(c, true, [&](Transaction& tx, const Context& ctx) {
          return api.reply(
              post_agent_message(tx, ctx, c.param("number"), text),
              [](const MessageRecord& m) { return dump(messages_json({m})); }, 201);
        });
      },
      true);
}

}  // namespace octroi::http::api
