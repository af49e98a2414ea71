// Committee sessions, their reports and the reports' articles.
// Part of the Transaction port (app/ports.h): reached as tx.committee(); the same thread-safety
// and failure contract (StoreError) as every port of a transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/date.h"
#include "domain/committee/report.h"

namespace octroi {

class CommitteePort {
 public:
  virtual ~CommitteePort() = default;

  virtual std::optional<Session> find_session(AuthorityId a, Body body, const Date& date) = 0;
  virtual std::optional<Session> get_session(AuthorityId a, SessionId id) = 0;
  virtual SessionId insert_session(const Session& s) = 0;
  // Newest first.
  virtual std::vector<Session> list_sessions(AuthorityId a) = 0;
  virtual std::optional<Report> find_report(AuthorityId a, const std::string& number) = 0;
  virtual std::vector<Report> list_reports(AuthorityId a) = 0;
  virtual ReportId insert_report(const Report& r) = 0;  // without its articles
  virtual ArticleId insert_article(AuthorityId a, ReportId r, const Article& article) = 0;
  // Removes the article at `position` of a draft report (and its dossiers); the articles after
  // it move up one place.
  virtual void delete_article(AuthorityId a, ReportId r, int position) = 0;
  // Sets the amount of an article of a draft report (a scheme_awards article follows the amounts
  // decided for its dossiers).
  virtual void update_article_amount(AuthorityId a, ArticleId article, Money amount) = 0;
  virtual void mark_report_adopted(AuthorityId a, ReportId r, const Date& on) = 0;
};

}  // namespace octroi
