// The audit trail's latest entries.
#include <algorithm>

#include "adapters/http/api/routes.h"
#include "adapters/json/render_json.h"
#include "app/ports/audit.h"

namespace octroi::http::api {

void add_audit_routes(ApiContext& api) {
  api.add("GET", "/api/v1/audit", Access::needs(Action::ReadAudit),
          "Dernières entrées du journal d'audit", [&api](RouteCall& c) {
            std::vector<Problem> problems;
            const auto limit = std::min<std::int64_t>(
                query_int(c.request, "limit", problems).value_or(50), api.options.max_page);
            if (!problems.empty()) return problem_response(Refusal(problems));
            return ok_json(octroi::json::json_audit(api.read([&](Transaction& tx) {
              return tx.audit().list_audit(c.caller().authority, std::max<std::int64_t>(1, limit));
            })));
          });
}

}  // namespace octroi::http::api
