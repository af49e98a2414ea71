// Open data and workbooks: the SCDL publication of the awards (/conventions/scdl.csv), the
// lists as .xlsx (/dossiers.xlsx, /budget.xlsx, /conventions.xlsx).
#include <string>
#include <vector>

#include "adapters/http/web/pages.h"
#include "adapters/opendata/scdl_csv.h"
#include "adapters/spreadsheet/xlsx.h"
#include "app/open_data.h"

namespace octroi::http::pages {
namespace {

// GET /conventions/scdl.csv?seuil=23000&du=…&au=…: the SCDL publication (open data), recorded
// in the audit trail with the file's hash.
HttpResponse scdl(WebContext& w, const HttpRequest& r, const Principal& who) {
  auto options_in =
      scdl_options({param(r, "seuil"), param(r, "du"), param(r, "au"), "seuil", "du", "au"});
  if (!options_in.ok())
    return w.page("error", "Publication SCDL", {{"heading", std::string("Publication SCDL")}}, &who,
                  &options_in.refusal(), 422);
  const ScdlOptions chosen = options_in.value();
  const Context ctx = w.context(who);
  std::string bytes;
  auto made = run_write(w.store, [&](Transaction& tx) {
    auto e = scdl_export(tx, who.authority, chosen, w.clock.today());
    if (!e.ok()) return e;
    bytes = opendata::scdl_csv(e->rows);
    record_scdl_export(tx, ctx, e.value(), chosen, w.store.hasher().sha256_hex(bytes));
    return e;
  });
  if (!made.ok())
    return w.page("error", "Publication SCDL", {{"heading", std::string("Publication SCDL")}}, &who,
                  &made.refusal(), 422);
  HttpResponse out;
  out.content_type = "text/csv; charset=utf-8";
  out.body = std::move(bytes);
  out.headers.push_back(
      {"Content-Disposition", "attachment; filename=\"" + made->file_name + "\""});
  return out;
}

// GET /dossiers.xlsx (the search's filters apply), /budget.xlsx (lines and journals),
// /conventions.xlsx (payments and SCDL rows): the lists as a workbook.
HttpResponse workbook(WebContext& w, const HttpRequest& r, const std::string& which,
                      const Principal& who) {
  std::vector<std::string> sheets;
  ApplicationSearch search;
  if (which == "dossiers") {
    sheets = {"dossiers"};
    search = search_of(r);
  } else if (which == "budget") {
    sheets = {"budget", "journal"};
  } else {
    sheets = {"payments"};
  }
  auto made = run_read(w.store, [&](Transaction& tx) {
    auto s = spreadsheet::authority_sheets(tx, who.authority, sheets, search, w.clock.today());
    if (s.ok() && which == "conventions") {  // with the SCDL rows when they can be made
      auto more = spreadsheet::authority_sheets(tx, who.authority, {}, search, w.clock.today());
      if (more.ok())
        for (auto& sheet : more.value())
          if (sheet.name == "SCDL subventions") s->push_back(std::move(sheet));
    }
    return s;
  });
  if (!made.ok())
    return w.page("error", "Export", {{"heading", std::string("Export")}}, &who, &made.refusal(),
                  422);
  auto bytes = spreadsheet::write_xlsx(made.value());
  if (!bytes.ok())
    return w.page("error", "Export", {{"heading", std::string("Export")}}, &who, &bytes.refusal(),
                  422);
  HttpResponse out;
  out.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  out.body = std::move(bytes).value();
  out.headers.push_back({"Content-Disposition", "attachment; filename=\"" + which + ".xlsx\""});
  return out;
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
