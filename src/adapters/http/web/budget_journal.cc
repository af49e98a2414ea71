// A budget line's journal (allocations, commitments, payments…).
#include <string>

#include "adapters/http/web/pages.h"
#include "core/french.h"

namespace octroi::http::pages {
namespace {

HttpResponse journal(WebContext& w, const std::string& year, const std::string& action,
                     const Principal& who) {
  const std::string key = year + "/" + action;
  auto line = run_read(w.store,
                       [&](Transaction& tx) { return budget_line_by_key(tx, who.authority, key); });
  if (!line.ok()) return w.not_found(who, line.refusal());
  auto entries =
      run_read(w.store, [&](Transaction& tx) { return line_journal(tx, who.authority, key); });
  mstch::array rows;
  if (entries.ok())
    for (const auto& e : entries.value())
      rows.push_back(mstch::map{{"id", std::to_string(e.id.value)},
                                // The act's day; an entry from before schema 0017, the day it
                                // was recorded in Paris.
                                {"on", fr::date_long(e.on ? *e.on : paris_time(e.at).day)},
                                {"at", when(e.at)},
                                {"kind", std::string(french(e.kind))},
                                {"amount", fr::euros(e.amount)},
                                {"reference", e.reference},
                                {"label", e.label}});
  return w.page("journal", "Ligne " + key,
                {{"key", key},
                 {"label", line->action_label},
                 {"imputation", line->imputation.str()},
                 {"entries", rows}},
                &who);
}

}  // namespace

void add_budget_pages(Router& router, WebContext& w) {
  router.add(
      {"GET", "/budget/{year}/{action}", Access::needs(Action::Read),
       "Le journal d'une ligne budgétaire"},
      [&w](RouteCall& c) { return journal(w, c.param("year"), c.param("action"), c.caller()); });
}

}  // namespace octroi::http::pages
