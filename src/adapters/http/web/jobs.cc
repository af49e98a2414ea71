// The jobs of the person signed in (app/jobs.h): /travaux lists them, /travaux/{id} shows one
// (its progress, refreshed every two seconds while it runs; its file or its failure when it
// ends), /travaux/{id}/fichier downloads its file; /imports uploads a subsidy file to import as
// a job.
#include <string>

#include "adapters/http/web/pages.h"
#include "app/jobs.h"

namespace octroi::http::pages {
namespace {

std::string size_text(std::size_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " octets";
  if (bytes < 1024 * 1024) return std::to_string((bytes + 1023) / 1024) + " Kio";
  const std::size_t tenths = (bytes * 10 + 1024 * 1024 - 1) / (1024 * 1024);
  return std::to_string(tenths / 10) + "," + std::to_string(tenths % 10) + " Mio";
}

HttpResponse job_page(WebContext& w, const std::string& id, const Principal& who) {
  const Context ctx = w.context(who);
  auto job = run_read(w.store, [&](Transaction& tx) { return job_of(tx, ctx, id); });
  if (!job.ok()) return w.not_found(who, job.refusal());
  const JobRecord& j = job.value();
  const bool running = j.state == JobState::Queued || j.state == JobState::Running;
  std::size_t bytes = 0;
  if (j.state == JobState::Done)
    bytes = run_read(w.store, [&](Transaction& tx) {
              return tx.jobs().job_result(ctx.authority, j.id);
            }).size();
  mstch::map page{
      {"heading", "Travail n° " + std::to_string(j.id) + " — " + j.title},
      {"id", std::to_string(j.id)},
      {"state", std::string(french(j.state))},
      {"stage", j.stage},
      {"running", running},
      {"done", std::to_string(j.steps_done)},
      {"total", std::to_string(j.steps_total)},
      {"failed", j.state == JobState::Failed},
      {"failure", j.failure},
      {"ready", j.state == JobState::Done},
      {"file", j.result_name},
      {"size", size_text(bytes)},
      {"created", when(j.created_at)},
      {"finished", j.finished_at ? when(*j.finished_at) : std::string()},
  };
  auto out = w.page("job", "Travail n° " + std::to_string(j.id), page, &who);
  // The browser asks again while the job runs (no script needed).
  if (running) out.headers.push_back({"Refresh", "2"});
  out.headers.push_back({"Cache-Control", "no-store"});
  return out;
}

HttpResponse job_download(WebContext& w, const std::string& id, const Principal& who) {
  const Context ctx = w.context(who);
  auto file = run_read(w.store, [&](Transaction& tx) { return job_file(tx, ctx, id); });
  if (!file.ok()) {
    if (file.refusal().first().code == "job.unknown") return w.not_found(who, file.refusal());
    return w.error_page("Travail en cours", who, file.refusal(), 409);
  }
  HttpResponse r;
  r.content_type = file->type;
  r.body = std::move(file->bytes);
  r.headers.push_back({"Content-Disposition", "attachment; filename=\"" + file->name + "\""});
  return r;
}

HttpResponse job_list(WebContext& w, const Principal& who) {
  const Context ctx = w.context(who);
  const auto jobs = run_read(w.store, [&](Transaction& tx) { return my_jobs(tx, ctx); });
  mstch::array rows;
  for (const auto& j : jobs)
    rows.push_back(mstch::map{{"id", std::to_string(j.id)},
                              {"title", j.title},
                              {"state", std::string(french(j.state))},
                              {"created", when(j.created_at)}});
  return w.page("jobs", "Mes travaux", {{"has_jobs", !jobs.empty()}, {"jobs", rows}}, &who);
}

HttpResponse import_page(WebContext& w, const Principal& who, const Refusal* refusal = nullptr) {
  return w.page(
      "imports", "Importer des subventions",
      {{"csrf", who.csrf_token}, {"can_import", permits(who.role, Action::ManageParties)}}, &who,
      refusal, refusal ? 422 : 200);
}

// POST /imports: the file (field "fichier") waits in a job; the page of the job follows.
HttpResponse submit_import(WebContext& w, const HttpRequest& r, const Principal& who) {
  const auto file = r.files.find("fichier");
  const auto name = r.query.find("fichier.filename");
  const ImportJobRequest request{name == r.query.end() ? "" : name->second,
                                 file == r.files.end() ? "" : file->second,
                                 param(r, "essai") == "1"};
  auto job = run_write(
      w.store, [&](Transaction& tx) { return submit_import_job(tx, w.context(who), request); });
  if (!job.ok()) return import_page(w, who, &job.refusal());
  w.jobs.wake();
  return redirect("/travaux/" + std::to_string(job->id));
}

}  // namespace

void add_job_pages(Router& router, WebContext& w) {
  router.add({"GET", "/imports", Access::needs(Action::Read),
              "Importer un fichier de subventions d'autres attribuants"},
             [&w](RouteCall& c) { return import_page(w, c.caller()); });
  router.add({"POST", "/imports", Access::needs(Action::ManageParties),
              "Déposer un fichier de subventions à importer (travail en arrière-plan)"},
             [&w](RouteCall& c) { return submit_import(w, c.request, c.caller()); });
  router.add({"GET", "/travaux", Access::needs(Action::Read),
              "Mes travaux (documents préparés en arrière-plan)"},
             [&w](RouteCall& c) { return job_list(w, c.caller()); });
  router.add({"GET", "/travaux/{id}", Access::needs(Action::Read),
              "Un travail : son avancement, puis son fichier ou la raison de son échec"},
             [&w](RouteCall& c) { return job_page(w, c.param("id"), c.caller()); });
  router.add({"GET", "/travaux/{id}/fichier", Access::needs(Action::Read),
              "Le fichier d'un travail terminé"},
             [&w](RouteCall& c) { return job_download(w, c.param("id"), c.caller()); });
}

}  // namespace octroi::http::pages
