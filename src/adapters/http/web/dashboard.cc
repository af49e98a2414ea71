// The dashboard: the budget lines' balances and the dossiers by state.
#include <optional>
#include <string>

#include "adapters/http/web/pages.h"
#include "core/french.h"

namespace octroi::http::pages {
namespace {

HttpResponse dashboard(WebContext& w, const Principal& who) {
  auto lines = run_read(
      w.store, [&](Transaction& tx) { return budget_overview(tx, who.authority, std::nullopt); });
  mstch::array rows;
  if (lines.ok())
    for (const auto& v : lines.value()) {
      const auto& b = v.balances;
      rows.push_back(mstch::map{{"key", std::to_string(v.line.fiscal_year) + "/" + v.line.action},
                                {"year", std::to_string(v.line.fiscal_year)},
                                {"action", v.line.action},
                                {"label", v.line.action_label},
                                {"imputation", v.line.imputation.str()},
                                {"voted", fr::euros(b.ae_voted)},
                                {"allocated", fr::euros(b.allocated)},
                                {"committed", fr::euros(b.committed)},
                                {"paid", fr::euros(b.paid)},
                                {"available", fr::euros(b.available())},
                                {"cp_voted", fr::euros(b.cp_voted)}});
    }
  auto counts =
      run_read(w.store, [&](Transaction& tx) { return dossier_counts(tx, who.authority); });
  mstch::array states;
  if (counts.ok())
    for (const auto& [state, n] : counts.value())
      if (n > 0)
        states.push_back(mstch::map{{"state", std::string(to_string(state))},
                                    {"label", std::string(french(state))},
                                    {"count", std::to_string(n)}});
  return w.page("dashboard", "Tableau de bord", {{"lines", rows}, {"states", states}}, &who);
}

}  // namespace

void add_dashboard_pages(Router& router, WebContext& w) {
  router.add({"GET", "/", Access::needs(Action::Read), "Tableau de bord"},
             [&w](RouteCall& c) { return dashboard(w, c.caller()); });
}

}  // namespace octroi::http::pages
