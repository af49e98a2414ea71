// Documents that need LibreOffice are jobs (app/jobs.h): the page's link answers 303 to the
// job's page (/travaux/N), which asks the browser to refresh while the job runs. follow_job does
// what a person's browser does: it waits for the job to end and fetches its file.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "adapters/http/message.h"

namespace octroi_test {

// `first` if it is not a redirection to a job; else the job's file (/travaux/N/fichier) once
// its page stops asking for a refresh, or the page if it is not a 200. `get(path)` fetches a
// page with the caller's session. Fails the test after 180 s.
template <class Get>
octroi::http::HttpResponse follow_job(const octroi::http::HttpResponse& first, Get get) {
  if (first.status != 303) return first;
  std::string to;
  for (const auto& [k, v] : first.headers)
    if (k == "Location") to = v;
  if (to.rfind("/travaux/", 0) != 0) return first;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(180);
  while (std::chrono::steady_clock::now() < deadline) {
    octroi::http::HttpResponse page = get(to);
    if (page.status != 200) return page;
    bool refresh = false;
    for (const auto& [k, v] : page.headers)
      refresh = refresh || k == "Refresh";
    if (!refresh) return get(to + "/fichier");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ADD_FAILURE() << "the job " << to << " did not end within 180 s";
  return first;
}

}  // namespace octroi_test
