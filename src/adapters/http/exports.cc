#include "adapters/http/exports.h"

#include <string>
#include <utility>
#include <vector>

#include "adapters/http/web/pages.h"
#include "adapters/opendata/scdl_csv.h"
#include "adapters/spreadsheet/xlsx.h"
#include "app/open_data.h"

namespace octroi::http {
namespace {

std::string option(const ExportRequest& r, const std::string& key) {
  const auto it = r.find(key);
  return it == r.end() ? "" : it->second;
}

// The SCDL publication, recorded in the audit trail with the file's hash.
Result<JobFile> scdl_file(Store& store, Hasher& hasher, const Context& ctx,
                          const ExportRequest& r) {
  auto options =
      scdl_options({option(r, "seuil"), option(r, "du"), option(r, "au"), "seuil", "du", "au"});
  if (!options.ok()) return options.refusal();
  std::string bytes;
  auto made = run_write(store, [&](Transaction& tx) {
    auto e = scdl_export(tx, ctx.authority, options.value(), ctx.clock->today());
    if (!e.ok()) return e;
    bytes = opendata::scdl_csv(e->rows);
    record_scdl_export(tx, ctx, e.value(), options.value(), hasher.sha256_hex(bytes));
    return e;
  });
  if (!made.ok()) return made.refusal();
  return JobFile{made->file_name, "text/csv; charset=utf-8", std::move(bytes), ""};
}

// A list as a workbook: the dossiers (the search's filters apply), the budget (lines and
// journals), the conventions (payments, and the SCDL rows when they can be made).
Result<JobFile> workbook_file(Store& store, const Context& ctx, const std::string& which,
                              const ExportRequest& r) {
  std::vector<std::string> sheets;
  ApplicationSearch search;
  if (which == "dossiers") {
    sheets = {"dossiers"};
    HttpRequest as_typed;  // the search reads the page's query parameters
    for (const auto& [k, v] : r)
      if (k != "what") as_typed.query[k] = v;
    search = pages::search_of(as_typed);
    // Set by the page from the session (web/open_data_workbooks.cc), never typed.
    if (const auto it = r.find("viewer");
        it != r.end() && !it->second.empty() && it->second.size() < 19 &&
        it->second.find_first_not_of("0123456789") == std::string::npos)
      search.viewer = std::stoll(it->second);
    if (const auto it = r.find("viewer_service"); it != r.end()) search.viewer_service = it->second;
  } else if (which == "budget") {
    sheets = {"budget", "journal"};
  } else {
    sheets = {"payments"};
  }
  const Date today = ctx.clock->today();
  auto made = run_read(store, [&](Transaction& tx) {
    auto s = spreadsheet::authority_sheets(tx, ctx.authority, sheets, search, today);
    if (s.ok() && which == "conventions") {  // with the SCDL rows when they can be made
      auto more = spreadsheet::authority_sheets(tx, ctx.authority, {}, search, today);
      if (more.ok())
        for (auto& sheet : more.value())
          if (sheet.name == "SCDL subventions") s->push_back(std::move(sheet));
    }
    return s;
  });
  if (!made.ok()) return made.refusal();
  auto bytes = spreadsheet::write_xlsx(made.value());
  if (!bytes.ok()) return bytes.refusal();
  return JobFile{which + ".xlsx",
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 std::move(bytes).value(), ""};
}

}  // namespace

Result<JobFile> WebExports::make(Store& store, const Context& ctx, const ExportRequest& request) {
  const std::string what = option(request, "what");
  if (what == "scdl") return scdl_file(store, hasher_, ctx, request);
  if (what == "dossiers" || what == "budget" || what == "conventions")
    return workbook_file(store, ctx, what, request);
  return refuse("job.request", "export", "Export inconnu « " + what + " ».");
}

}  // namespace octroi::http
