// The exports of the back office as jobs (app/jobs.h, ExportMaker): the SCDL publication
// (/conventions/scdl.csv, audited with the file's hash) and the lists as workbooks
// (/dossiers.xlsx with the search's filters, /budget.xlsx, /conventions.xlsx). The page submits
// the job; a worker makes the file here.
#pragma once

#include "app/audit_chain.h"
#include "app/jobs.h"

namespace octroi::http {

class WebExports final : public ExportMaker {
 public:
  explicit WebExports(Hasher& hasher) : hasher_(hasher) {}
  // request["what"]: "scdl" (options seuil, du, au), "dossiers" (the search's query
  // parameters), "budget" or "conventions". Refuses what the use cases refuse, in words.
  Result<JobFile> make(Store& store, const Context& ctx, const ExportRequest& request) override;

 private:
  Hasher& hasher_;
};

}  // namespace octroi::http
