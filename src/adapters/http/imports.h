// The imports of subsidy files as jobs (app/jobs.h, ImportMaker): a file uploaded by the page
// /imports or by POST /api/v1/imports waits in its job; a worker reads it here
// (adapters/opendata/import_file.h), imports it in one write transaction (or rolls it back, for
// a trial) and stores the line-by-line report as the job's file: a CSV (UTF-8 with BOM, ";",
// what a spreadsheet opens as it is) with one row per note of every line, and one per column the
// importer did not read — nothing is left out of it.
#pragma once

#include "app/audit_chain.h"
#include "app/jobs.h"
#include "app/scdl_import.h"

namespace octroi::http {

class WebImports final : public ImportMaker {
 public:
  explicit WebImports(Hasher& hasher) : hasher_(hasher) {}
  Result<JobFile> make(Store& store, const Context& ctx, const ImportJobRequest& r) override;

 private:
  Hasher& hasher_;
};

// The report as that CSV.
std::string import_report_csv(const ImportReport& r);

}  // namespace octroi::http
