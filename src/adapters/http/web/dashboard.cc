// The dashboard: the caller's work (for those who instruct), the budget lines' balances, the
// dossiers by state and the amounts by scheme, each figure in a table and, above it, a chart
// drawn on the server (web/charts.h).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/http/web/charts.h"
#include "adapters/http/web/pages.h"
#include "adapters/http/web/workspace.h"
#include "app/workspace.h"
#include "core/french.h"

namespace octroi::http::pages {
namespace {

// The charts go where the template put their place (`<div data-chart="name"></div>`): they are
// markup the server drew, which no template may print unescaped.
void place_charts(HttpResponse& page, const std::vector<std::pair<std::string, std::string>>& svg) {
  for (const auto& [name, chart] : svg) {
    const std::string place = "<div data-chart=\"" + name + "\"></div>";
    if (const auto at = page.body.find(place); at != std::string::npos)
      page.body.replace(at, place.size(), "<div class=\"chart\">" + chart + "</div>");
  }
}

std::int64_t cents_or_zero(const Money& m) {
  return m.is_positive() ? m.cents() : 0;
}

HttpResponse dashboard(WebContext& w, const Principal& who) {
  std::vector<std::pair<std::string, std::string>> charts;
  auto lines = run_read(
      w.store, [&](Transaction& tx) { return budget_overview(tx, who.authority, std::nullopt); });
  mstch::array rows;
  std::vector<StackedBar> consumption;
  if (lines.ok())
    for (const auto& v : lines.value()) {
      const auto& b = v.balances;
      const std::string key = v.line.key();
      rows.push_back(budget_line_row(v));
      consumption.push_back(
          StackedBar{key + " " + v.line.action_label,
                     cents_or_zero(b.ae_voted),
                     fr::euros(b.ae_voted),
                     {{"mandaté", cents_or_zero(b.paid), fr::euros(b.paid)},
                      {"engagé non mandaté", cents_or_zero(b.committed - b.paid),
                       fr::euros(b.committed - b.paid)},
                      {"affecté non engagé", cents_or_zero(b.allocated - b.committed),
                       fr::euros(b.allocated - b.committed)}}});
    }
  charts.emplace_back("budget",
                      stacked_bar_svg("Consommation des AE/AP votées, par ligne", consumption));
  auto counts =
      run_read(w.store, [&](Transaction& tx) { return dossier_counts(tx, who.authority); });
  mstch::array states;
  std::vector<ChartBar> state_bars;
  if (counts.ok())
    for (const auto& [state, n] : counts.value())
      if (n > 0) {
        const std::string value(to_string(state));
        states.push_back(mstch::map{
            {"state", value}, {"label", std::string(french(state))}, {"count", std::to_string(n)}});
        // No link inside the chart (an image holds nothing interactive): the table's rows
        // below link to each state's dossiers.
        state_bars.push_back(ChartBar{std::string(french(state)), n, fr::integer(n), ""});
      }
  charts.emplace_back("states", bar_chart_svg("Dossiers par état", state_bars));
  mstch::array schemes;
  std::vector<StackedBar> scheme_bars;
  for (const auto& t :
       run_read(w.store, [&](Transaction& tx) { return totals_by_scheme(tx, who.authority); })) {
    schemes.push_back(mstch::map{{"number", t.scheme.number},
                                 {"name", t.scheme.name},
                                 {"dossiers", fr::integer(t.dossiers)},
                                 {"awarded", fr::euros(t.awarded)},
                                 {"proposed", fr::euros(t.proposed)}});
    scheme_bars.push_back(
        StackedBar{t.scheme.number + " " + t.scheme.name,
                   cents_or_zero(t.awarded + t.proposed),
                   fr::euros(t.awarded + t.proposed),
                   {{"attribué", cents_or_zero(t.awarded), fr::euros(t.awarded)},
                    {"proposé", cents_or_zero(t.proposed), fr::euros(t.proposed)}}});
  }
  charts.emplace_back("schemes", stacked_bar_svg("Montants par dispositif", scheme_bars));
  mstch::map ctx{{"lines", rows}, {"states", states}, {"schemes", schemes}};
  // The caller's work, for those who instruct: their queue, their service's pool, what they
  // follow.
  if (permits(who.role, Action::MoveDossier)) {
    const auto work = run_read(w.store, [&](Transaction& tx) {
      return work_counts(tx, who.authority, caller_of(who), who.service);
    });
    mstch::map mine{{"mine", fr::integer(work.mine)},
                    {"followed", fr::integer(work.followed)},
                    {"awaiting_visa", fr::integer(work.awaiting_visa)}};
    // The service's pool, for an account that has a service.
    if (!who.service.empty()) {
      mine["pool"] = fr::integer(work.service_unassigned);
      mine["service"] = who.service;
    }
    ctx["work"] = mine;
  }
  auto page = w.page("dashboard", "Tableau de bord", ctx, &who);
  place_charts(page, charts);
  return page;
}

}  // namespace

void add_dashboard_pages(Router& router, WebContext& w) {
  router.add({"GET", "/", Access::needs(Action::Read), "Tableau de bord"},
             [&w](RouteCall& c) { return dashboard(w, c.caller()); });
}

}  // namespace octroi::http::pages
