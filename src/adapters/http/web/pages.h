// Internal to the back office (adapters/http/web*.cc): what every page area shares. Each area file
// (web/<area>.cc) declares its routes on the Router with their access, and renders its pages with
// the helpers below. mstch is seen here and in the area files only, never in web.h or api.h.
//
// To add a page: pick its area (or add one, declared below and called from Web::add_routes), add
// the route with the Access it needs (GET pages read, forms name the Action they perform), its
// template in templates/html, and a test in tests/integration/web_*_test.cc.
#pragma once

#include <mstch/mstch.hpp>

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "adapters/http/job_runner.h"
#include "adapters/http/message.h"
#include "adapters/http/options.h"
#include "adapters/http/router.h"
#include "adapters/sql/sql_store.h"
#include "app/accounts.h"
#include "app/context.h"
#include "app/use_cases.h"
#include "core/result.h"

namespace octroi {
struct PortalDossier;       // app/portal.h
struct FileRecord;          // app/ports/files.h
struct PaymentClaimRecord;  // app/ports/portal.h
}  // namespace octroi

namespace octroi::http::pages {

// What the pages need from the server, and the page-wide rendering.
struct WebContext {
  sql::SqlStore& store;
  Clock& clock;
  PasswordHasher& passwords;
  TokenSource& tokens;
  LoginThrottle& throttle;
  JobRunner& jobs;
  const ApiOptions& options;
  const FileServices& files;  // dossiers' files: sniffer, scanner, SHA-256 (file_tools.h)

  // A page inside the layout. `who` is null on the login page.
  HttpResponse page(const std::string& name, const std::string& title, mstch::map ctx,
                    const Principal* who, const Refusal* refusal = nullptr, int status = 200,
                    const std::string& flash = "") const;
  // A page of the applicant portal inside its own layout (web/portal*.cc). `who`: the applicant,
  // null on its public pages.
  HttpResponse portal_page(const std::string& name, const std::string& title, mstch::map ctx,
                           const Principal* who, const Refusal* refusal = nullptr, int status = 200,
                           const std::string& flash = "") const;
  // The error page under `heading` (also the page's title), showing the refusal's problems.
  HttpResponse error_page(const std::string& heading, const Principal& who, const Refusal& r,
                          int status) const;
  HttpResponse forbidden(const Principal& who) const;                    // 403 "Accès refusé"
  HttpResponse not_found(const Principal& who, const Refusal& r) const;  // 404 "Introuvable"
  HttpResponse csrf_refused(const Principal& who) const;                 // 403 "Formulaire refusé"
  // The caller of a request by its session cookie (the session's idle expiry is renewed).
  Result<Principal> who_is(const HttpRequest& r) const;
  // Who did it, as people know them: a user's name for "web:login".
  std::map<std::string, std::string> actor_names(AuthorityId a) const;
  Context context(const Principal& who) const {
    Context c = context_of(who, clock);
    c.portal = &options.portal;
    return c;
  }
};

// ---- helpers (web/support.cc) ----------------------------------------------------------------

const std::string& tpl(const std::string& name);
HttpResponse redirect(const std::string& to);
std::string url_encode(const std::string& s);
// A form field or query parameter, "" when absent.
std::string param(const HttpRequest& r, const std::string& name);
// The message of the first of `flags` present in the query ("?note=1" -> "Note ajoutée."), "".
std::string flash_of(const HttpRequest& r,
                     const std::vector<std::pair<std::string, std::string>>& flags);
mstch::array problems_of(const Refusal& r);
// A recorded instant in Paris time: 2023-01-25T10:15:00Z -> "25 janvier 2023, 11 h 15".
std::string when(const Instant& t);
std::string share(std::int64_t bp);
// What an audit line did, in French ("application.plan_edit" -> "plan de financement modifié").
std::string audit_action_label(const std::string& action);
// The actor as people know them, else as recorded ("api:label", "cli:…", "demo").
std::string actor_name(const std::map<std::string, std::string>& names, const std::string& actor);
// The refusal of a path that no page serves.
Refusal no_such_page();
// A budget line and its balances as the dashboard's and the budget page's tables show it: key
// ("2023/16300302"), href, label, imputation, and the balances the French way.
mstch::map budget_line_row(const BudgetLineView& v);
// The session cookie that logs out.
inline constexpr const char* kClearSessionCookie =
    "octroi_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";

// A form read by a table: each field's name in the page and the member of the use case's input
// it fills. Every field is read ("" when absent, as the use cases expect); checking them, and
// naming the missing or invalid one in French, stays with the use case, so that the API and the
// pages answer alike.
template <class Input>
struct FormField {
  const char* name;
  std::string Input::*member;
};
template <class Input, std::size_t N>
Input read_form(const HttpRequest& r, const FormField<Input> (&fields)[N], Input in = {}) {
  for (const auto& f : fields)
    in.*f.member = param(r, f.name);
  return in;
}
// The values typed in the form's fields, by name, to show them again after a refusal.
template <class Input, std::size_t N>
std::map<std::string, std::string> form_values(const HttpRequest& r,
                                               const FormField<Input> (&fields)[N]) {
  std::map<std::string, std::string> out;
  for (const auto& f : fields)
    out[f.name] = param(r, f.name);
  return out;
}

// ---- shared between areas --------------------------------------------------------------------

// The dossiers' search filters of the query (web/dossiers.cc), also those of /dossiers.xlsx.
ApplicationSearch search_of(const HttpRequest& r);
// The dossier page (web/dossiers.cc). `typed`: what a refused plan form held, shown again.
HttpResponse dossier_page(WebContext& w, const std::string& number, const Principal& who,
                          const Refusal* refusal = nullptr, const std::string& flash = "",
                          const std::map<std::string, std::string>* typed = nullptr);

// ---- the areas: each declares its routes --------------------------------------------------------

void add_login_account_pages(Router& router, WebContext& w);  // /login, /logout, /compte
void add_dashboard_pages(Router& router, WebContext& w);      // /
void add_dossier_pages(Router& router, WebContext& w);        // /dossiers, /dossiers/{number}
void add_dossier_form_pages(Router& router, WebContext& w);   // plan, events, notes, minimis
void add_award_pages(Router& router, WebContext& w);          // /conventions, …/aide
void add_party_pages(Router& router, WebContext& w);          // /tiers/{id}
void add_report_pages(Router& router, WebContext& w);         // /rapports
void add_document_pages(Router& router, WebContext& w);       // .odt, .pdf, documents.zip
void add_job_pages(Router& router, WebContext& w);            // /travaux
void add_admin_pages(Router& router, WebContext& w);          // /admin/comptes, /admin/jetons
void add_template_pages(Router& router, WebContext& w);       // /modeles
void add_open_data_pages(Router& router, WebContext& w);      // scdl.csv, *.xlsx
void add_budget_pages(Router& router, WebContext& w);         // /budget/{year}/{action}
// /admin/collectivite, /dispositifs, /budget (web/administration.cc)
void add_administration_pages(Router& router, WebContext& w);
void add_workspace_pages(Router& router, WebContext& w);  // assignment, follow, bulk, searches
// The applicant portal (web/portal_*.cc): its accounts, organisations, catalogue and dossiers.
void add_portal_account_pages(Router& router, WebContext& w);
void add_portal_dossier_pages(Router& router, WebContext& w);
// The portal pages' gate (web/portal_gate.cc): the applicant's session cookie.
std::unique_ptr<Gate> make_portal_gate(WebContext& w);
// The applicant of a request by the portal's session cookie (its idle expiry renewed).
Result<Principal> applicant_of(WebContext& w, const HttpRequest& r);
// The authority the portal serves (ApiOptions::portal_authority), or why there is none.
Result<Authority> portal_authority_of(WebContext& w);
// The applicant's space: their organisations (and the forms to join or invite) and dossiers.
HttpResponse space_page(WebContext& w, const HttpRequest& r, const Principal& who,
                        const Refusal* refusal, int status);
// The page of one of the applicant's dossiers, showing `refusal` (web/portal_dossiers.cc).
HttpResponse portal_dossier_page(WebContext& w, const HttpRequest& r, const Principal& who,
                                 const std::string& number, const Refusal* refusal = nullptr);
// The files of that page, and their routes (web/portal_files.cc).
void add_files_context(mstch::map& ctx, const PortalDossier& d, const std::string& number);
void add_portal_file_pages(Router& router, WebContext& w);
// The portal's award page and forms (web/portal_award.cc).
void add_portal_award_pages(Router& router, WebContext& w);
// Payment claims as rows of a page; `decide`: with the pay (dated `today` unless changed) and
// refuse forms (posted to `action_prefix` + id + "/paiement" | "/refus").
mstch::array claim_rows(const std::vector<PaymentClaimRecord>& claims, bool decide,
                        const std::string& csrf, const std::string& action_prefix,
                        const std::string& today);
// The file that came with message `message` ({id, name}), or false.
mstch::node message_file(const std::vector<FileRecord>& files, std::int64_t message);
// The portal's session cookie: an applicant's, never an agent's.
inline constexpr const char* kPortalCookie = "octroi_portail";

}  // namespace octroi::http::pages
