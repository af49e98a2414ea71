// Open data and workbooks: the SCDL publication of the awards (/conventions/scdl.csv), the
// lists as .xlsx (/dossiers.xlsx, /budget.xlsx, /conventions.xlsx), each made by a job.
#include <string>
#include <vector>

#include "adapters/http/web/pages.h"
#include "app/jobs.h"
#include "app/open_data.h"

namespace octroi::http::pages {
namespace {

// The export as a job (app/jobs.h; the file is made by adapters/http/exports.cc): the answer is
// the job's page, which offers the file when it is ready.
HttpResponse export_job(WebContext& w, const Principal& who, const ExportRequest& request,
                        const std::string& title, const std::string& heading) {
  auto job = run_write(w.store, [&](Transaction& tx) {
    return submit_export_job(tx, w.context(who), request, title);
  });
  if (!job.ok()) return w.page("error", heading, {{"heading", heading}}, &who, &job.refusal(), 422);
  w.jobs.wake();
  return redirect("/travaux/" + std::to_string(job->id));
}

// GET /conventions/scdl.csv?seuil=23000&du=…&au=…: the SCDL publication (open data), recorded
// in the audit trail with the file's hash when the job makes it. Options and the authority's
// SIRET are checked before the job is promised.
HttpResponse scdl(WebContext& w, const HttpRequest& r, const Principal& who) {
  const std::string heading = "Publication SCDL";
  auto options_in =
      scdl_options({param(r, "seuil"), param(r, "du"), param(r, "au"), "seuil", "du", "au"});
  if (!options_in.ok())
    return w.page("error", heading, {{"heading", heading}}, &who, &options_in.refusal(), 422);
  auto publishable =
      run_read(w.store, [&](Transaction& tx) { return scdl_publishable(tx, who.authority); });
  if (!publishable.ok())
    return w.page("error", heading, {{"heading", heading}}, &who, &publishable.refusal(), 422);
  return export_job(w, who,
                    {{"what", "scdl"},
                     {"seuil", param(r, "seuil")},
                     {"du", param(r, "du")},
                     {"au", param(r, "au")}},
                    "Publication SCDL des aides attribuées (.csv)", heading);
}

// GET /dossiers.xlsx (the search's filters apply), /budget.xlsx (lines and journals),
// /conventions.xlsx (payments and SCDL rows): the lists as a workbook, made by a job.
HttpResponse workbook(WebContext& w, const HttpRequest& r, const std::string& which,
                      const Principal& who) {
  ExportRequest request{{"what", which}};
  if (which == "dossiers") {
    for (const auto& [k, v] : r.query)
      if (k != "what" && k != "viewer" && k != "viewer_service") request[k] = v;
    // The queues "me", "followed" and "service" are the caller's, never the request's.
    request["viewer"] = std::to_string(who.account_id);
    request["viewer_service"] = who.service;
  }
  const std::string title = which == "dossiers" ? "Liste des dossiers (.xlsx)"
                            : which == "budget" ? "Budget et journaux des lignes (.xlsx)"
                                                : "Conventions et versements (.xlsx)";
  return export_job(w, who, request, title, "Export");
}

}  // namespace

void add_open_data_pages(Router& router, WebContext& w) {
  router.add({"GET", "/conventions/scdl.csv", Access::needs(Action::Read),
              "La publication SCDL des aides attribuées (seuil, du, au)"},
             [&w](RouteCall& c) { return scdl(w, c.request, c.caller()); });
  for (const auto& [which, summary] :
       {std::pair<std::string, std::string>{"dossiers", "Les dossiers (filtres de la recherche)"},
        {"budget", "Les lignes budgétaires et leurs journaux"},
        {"conventions", "Les versements et les lignes SCDL"}}) {
    const std::string name = which;
    router.add({"GET", "/" + name + ".xlsx", Access::needs(Action::Read), summary + " (.xlsx)"},
               [&w, name](RouteCall& c) { return workbook(w, c.request, name, c.caller()); });
  }
}

}  // namespace octroi::http::pages
