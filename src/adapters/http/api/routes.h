// The API's routes, one function per area, each in api/<area>.cc: it declares its routes on the
// context's router, each with its access (an Action of app/permissions.h, or public), its French
// summary and its handler. Api (api.cc) calls them all once, at construction.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "adapters/http/api/support.h"

namespace octroi::http::api {

void add_me_and_session_routes(ApiContext& c);         // me_and_session.cc
void add_scheme_and_party_routes(ApiContext& c);       // schemes_parties.cc
void add_application_routes(ApiContext& c);            // applications.cc
void add_award_routes(ApiContext& c);                  // awards.cc
void add_report_routes(ApiContext& c);                 // reports.cc
void add_budget_routes(ApiContext& c);                 // budget.cc
void add_document_and_template_routes(ApiContext& c);  // documents_templates.cc
void add_open_data_routes(ApiContext& c);              // open_data.cc
void add_account_and_token_routes(ApiContext& c);      // accounts_tokens.cc
void add_audit_routes(ApiContext& c);                  // audit.cc
void add_openapi_route(ApiContext& c);                 // openapi.cc
void add_job_routes(ApiContext& c);                    // jobs.cc
void add_workspace_routes(ApiContext& c);              // workspace.cc
void add_portal_routes(ApiContext& c);                 // portal.cc (/api/v1/portal…)
void add_file_routes(ApiContext& c);                   // files.cc (dossiers' files, both APIs)
void add_portal_award_routes(ApiContext& c);  // portal_award.cc (signature, claims, both APIs)
// The applicants' API's gate (portal.cc): the portal's session cookie and X-CSRF-Token.
std::unique_ptr<Gate> make_portal_api_gate(ApiContext& c);

// The OpenAPI 3 document of the API's routes among `table` (surfaces Api and PortalApi).
std::string openapi_document(const std::vector<RouteInfo>& table);

}  // namespace octroi::http::api
