// The open-data publication (SCDL « subventions »), audited.
#include "app/open_data.h"
#include "adapters/http/api/routes.h"
#include "adapters/opendata/scdl_csv.h"

namespace octroi::http::api {
namespace {

HttpResponse scdl(ApiContext& api, RouteCall& c) {
  auto options_in = scdl_options({query_text(c.request, "threshold"), query_text(c.request, "from"),
                                  query_text(c.request, "until")});
  if (!options_in.ok()) return problem_response(options_in.refusal());
  const ScdlOptions chosen = options_in.value();
  return api.write(c, false, [&](Transaction& tx, const Context& ctx) {
    auto e = scdl_export(tx, ctx.authority, chosen, api.clock.today());
    if (!e.ok()) return problem_response(e.refusal());
    HttpResponse r;
    r.content_type = "text/csv; charset=utf-8";
    r.body = opendata::scdl_csv(e->rows);
    record_scdl_export(tx, ctx, e.value(), chosen, api.store.hasher().sha256_hex(r.body));
    r.headers.push_back({"Content-Disposition", "attachment; filename=\"" + e->file_name + "\""});
    return r;
  });
}

}  // namespace

void add_open_data_routes(ApiContext& api) {
  api.add("GET", "/api/v1/open-data/scdl", Access::needs(Action::Read),
          "Publication SCDL « subventions » 2.1.0 (CSV) ; threshold (euros, 23000 par défaut), "
          "from, until (dates de convention) ; inscrite au journal d'audit",
          [&api](RouteCall& c) { return scdl(api, c); });
}

}  // namespace octroi::http::api
