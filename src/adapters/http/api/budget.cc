// Budget lines, their balances and journal, and the movements typed by finance.
#include "adapters/http/api/routes.h"
#include "adapters/json/render_json.h"
#include "app/ports/ledger.h"

namespace octroi::http::api {
namespace {

const BodySpec kLineSpec{{"year", Field::Text},         {"imputation", Field::Text},
                         {"nomenclature", Field::Text}, {"programme_label", Field::Text},
                         {"action", Field::Text},       {"action_label", Field::Text}};
const BodySpec kMovementSpec{
    {"kind", Field::Text},      {"amount", Field::Text}, {"ae", Field::Text}, {"cp", Field::Text},
    {"reference", Field::Text}, {"label", Field::Text},  {"on", Field::Text}};

// "2023/16300302", the key of the line the path names.
std::string line_key(const RouteCall& c) {
  return c.param("year") + "/" + c.param("action");
}

HttpResponse overview(ApiContext& api, RouteCall& c) {
  std::vector<Problem> problems;
  const auto year = query_int(c.request, "year", problems);
  if (!problems.empty()) return problem_response(Refusal(problems));
  return api.reply(
      api.read([&](Transaction& tx) {
        return budget_overview(tx, c.caller().authority,
                               year ? std::optional<int>(static_cast<int>(*year)) : std::nullopt);
      }),
      [](const std::vector<BudgetLineView>& v) { return octroi::json::json_budget(v); });
}

HttpResponse open_line(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kLineSpec);
  if (!body.ok()) return problem_response(body.refusal());
  BudgetLineInput in;
  in.year = body->text("year");
  in.imputation = body->text("imputation");
  if (auto n = body->text("nomenclature"); !n.empty()) in.nomenclature = n;
  in.programme_label = body->text("programme_label");
  in.action = body->text("action");
  in.action_label = body->text("action_label");
  return api.write(c, true, [&](Transaction& tx, const Context& ctx) {
    auto line = create_budget_line(tx, ctx, in);
    if (!line.ok()) return problem_response(line.refusal());
    return ok_json(
        octroi::json::json_line(line.value(), tx.ledger().line_balances(ctx.authority, line->id)),
        201);
  });
}

HttpResponse movement(ApiContext& api, RouteCall& c) {
  auto body = parse_body(c.request, kMovementSpec);
  if (!body.ok()) return problem_response(body.refusal());
  MovementInput in;
  in.line = line_key(c);
  const std::string kind = body->text("kind");
  in.amount = body->text("amount");
  in.ae = body->text("ae");
  in.cp = body->text("cp");
  in.reference = body->text("reference");
  in.label = body->text("label");
  in.on = body->text("on");
  if (kind != "vote" && kind != "allocation" && kind != "release")
    return problem_response(refuse("request.value", "kind", "kind : vote, allocation ou release."));
  return api.write(c, true, [&](Transaction& tx, const Context& ctx) {
    auto moved = kind == "vote"         ? vote_budget(tx, ctx, in)
                 : kind == "allocation" ? allocate_budget(tx, ctx, in)
                                        : release_budget(tx, ctx, in);
    if (!moved.ok()) return problem_response(moved.refusal());
    auto line = budget_line_by_key(tx, ctx.authority, in.line);
    if (!line.ok()) return problem_response(line.refusal());
    return ok_json(octroi::json::json_line(line.value(), moved.value()), 201);
  });
}

}  // namespace

void add_budget_routes(ApiContext& api) {
  using enum Action;
  api.add("GET", "/api/v1/budget/lines", Access::needs(Read),
          "Lignes budgétaires et leurs soldes (filtre year)",
          [&api](RouteCall& c) { return overview(api, c); });
  api.add("GET", "/api/v1/budget/lines/{year}/{action}", Access::needs(Read),
          "Une ligne budgétaire et ses soldes", [&api](RouteCall& c) {
            return api.reply(api.read([&](Transaction& tx) {
              return show_budget_line(tx, c.caller().authority, line_key(c));
            }),
                             [](const BudgetLineView& v) {
                               return octroi::json::json_line(v.line, v.balances);
                             });
          });
  api.add("GET", "/api/v1/budget/lines/{year}/{action}/journal", Access::needs(Read),
          "Journal d'une ligne", [&api](RouteCall& c) {
            return api.reply(
                api.read([&](Transaction& tx) {
                  return line_journal(tx, c.caller().authority, line_key(c));
                }),
                [](const std::vector<LedgerEntry>& v) { return octroi::json::json_journal(v); });
          });
  api.add(
      "POST", "/api/v1/budget/lines", Access::needs(ManageBudget), "Ouvrir une ligne budgétaire",
      [&api](RouteCall& c) { return open_line(api, c); }, true);
  api.add(
      "POST", "/api/v1/budget/lines/{year}/{action}/movements", Access::needs(ManageBudget),
      "Inscrire un mouvement : vote d'AE/AP ou de CP, affectation directe, désaffectation",
      [&api](RouteCall& c) { return movement(api, c); }, true);
}

}  // namespace octroi::http::api
