// The committee port (app/ports/committee.h) over sql::Connection.
#include <algorithm>
#include <string>
#include <vector>

#include "adapters/sql/row.h"
#include "adapters/sql/tx_context.h"
#include "app/ports/committee.h"

namespace octroi::sql {
namespace {

class SqlCommittee final : public CommitteePort {
 public:
  explicit SqlCommittee(TxContext& t) : t_(t) {}

  std::optional<Session> find_session(AuthorityId a, Body body, const Date& date) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT id, authority_id, body, date FROM committee_sessions WHERE authority_id = ? AND "
        "body = ? AND date = ?");
    Params(st).add(a.value).add(std::string(to_string(body))).add(date.iso());
    if (!st.step()) return std::nullopt;
    return session_row(st);
  }

  std::optional<Session> get_session(AuthorityId a, SessionId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT id, authority_id, body, date FROM committee_sessions WHERE authority_id = ? AND "
        "id = ?");
    Params(st).add(a.value).add(id.value);
    if (!st.step()) return std::nullopt;
    return session_row(st);
  }

  SessionId insert_session(const Session& s) override {
    t_.scope(s.authority);
    const std::int64_t new_id =
        Params(t_.c.prepare("INSERT INTO committee_sessions (authority_id, body, date) "
                            "VALUES (?,?,?) RETURNING id"))
            .add(s.authority.value)
            .add(std::string(to_string(s.body)))
            .add(s.date.iso())
            .run_returning_id();
    return SessionId{new_id};
  }

  std::vector<Session> list_sessions(AuthorityId a) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT id, authority_id, body, date FROM committee_sessions WHERE authority_id = ? "
        "ORDER BY date DESC, body LIMIT 10000");
    Params(st).add(a.value);
    std::vector<Session> out;
    while (st.step())
      out.push_back(session_row(st));
    return out;
  }

  std::optional<Report> find_report(AuthorityId a, const std::string& number) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT id, authority_id, session_id, number, title, state, adopted_on FROM reports "
        "WHERE authority_id = ? AND number = ?");
    Params(st).add(a.value).add(number);
    if (!st.step()) return std::nullopt;
    Report r = report_row(st);
    load_articles(r);
    return r;
  }

  std::vector<Report> list_reports(AuthorityId a) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT id, authority_id, session_id, number, title, state, adopted_on FROM reports "
        "WHERE authority_id = ? ORDER BY number LIMIT 10000");
    Params(st).add(a.value);
    std::vector<Report> out;
    while (st.step())
      out.push_back(report_row(st));
    for (auto& r : out)
      load_articles(r);
    return out;
  }

  ReportId insert_report(const Report& r) override {
    t_.scope(r.authority);
    const std::int64_t new_id =
        Params(
            t_.c.prepare(
                "INSERT INTO reports (authority_id, session_id, number, title, state, adopted_on) "
                "VALUES (?,?,?,?,?,?) RETURNING id"))
            .add(r.authority.value)
            .add(r.session.value)
            .add(r.number)
            .add(r.title)
            .add(std::string(to_string(r.state)))
            .add(iso(r.adopted_on))
            .run_returning_id();
    return ReportId{new_id};
  }

  ArticleId insert_article(AuthorityId a, ReportId r, const Article& ar) override {
    t_.scope(a);
    const std::int64_t new_id =
        Params(t_.c.prepare(
                   "INSERT INTO report_articles (authority_id, report_id, position, kind, title, "
                   "budget_line_id, amount_cents, scheme_id, party_id, planned_total_cents, "
                   "tranche_rate_numerator, tranche_rate_denominator, transfer_application_id, "
                   "new_end_date) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id"))
            .add(a.value)
            .add(r.value)
            .add(ar.position)
            .add(std::string(to_string(ar.kind)))
            .add(ar.title)
            .add(ar.line.value)
            .add(ar.amount.cents())
            .add(id_of(ar.scheme))
            .add(id_of(ar.party))
            .add(cents(ar.planned_total))
            .add(ar.tranche_rate ? std::optional<std::int64_t>(ar.tranche_rate->numerator())
                                 : std::nullopt)
            .add(ar.tranche_rate ? std::optional<std::int64_t>(ar.tranche_rate->denominator())
                                 : std::nullopt)
            .add(id_of(ar.transfer_application))
            .add(iso(ar.new_end))
            .run_returning_id();
    const ArticleId id{new_id};
    auto st = t_.c.prepare(
        "INSERT INTO report_article_applications (article_id, position, application_id, "
        "authority_id) VALUES (?,?,?,?)");
    int pos = 0;
    for (const auto& app : ar.applications) {
      st.reset();
      Params(st).add(id).add(++pos).add(app).add(a).run();
    }
    return id;
  }

  void update_article_amount(AuthorityId a, ArticleId article, Money amount) override {
    t_.scope(a);
    Params(t_.c.prepare(
               "UPDATE report_articles SET amount_cents = ? WHERE authority_id = ? AND id = ?"))
        .add(amount)
        .add(a.value)
        .add(article.value)
        .run_later(1);  // the article exists
  }

  void delete_article(AuthorityId a, ReportId r, int position) override {
    t_.scope(a);
    auto find = t_.c.prepare(
        "SELECT id FROM report_articles WHERE authority_id = ? AND report_id = ? AND position = ?");
    Params(find).add(a.value).add(r.value).add(position);
    if (!find.step()) throw StoreError("article to delete not found");
    const std::int64_t id = Row(find).int64();
    Params(t_.c.prepare(
               "DELETE FROM report_article_applications WHERE authority_id = ? AND article_id = ?"))
        .add(a.value)
        .add(id)
        .run();
    Params(t_.c.prepare("DELETE FROM report_articles WHERE authority_id = ? AND id = ?"))
        .add(a.value)
        .add(id)
        .run();
    // Two steps, so that the UNIQUE (report_id, position) never sees two rows at one position
    // whatever order the rows are updated in.
    Params(
        t_.c.prepare(
            "UPDATE report_articles SET position = position + 1000000 WHERE authority_id = ? AND "
            "report_id = ? AND position > ?"))
        .add(a.value)
        .add(r.value)
        .add(position)
        .run();
    Params(
        t_.c.prepare(
            "UPDATE report_articles SET position = position - 1000001 WHERE authority_id = ? AND "
            "report_id = ? AND position > 1000000"))
        .add(a.value)
        .add(r.value)
        .run();
  }

  void mark_report_adopted(AuthorityId a, ReportId r, const Date& on) override {
    t_.scope(a);
    Params(
        t_.c.prepare(
            "UPDATE reports SET state = 'adopted', adopted_on = ? WHERE authority_id = ? AND id = "
            "? "
            "AND state = 'draft'"))
        .add(on.iso())
        .add(a.value)
        .add(r.value)
        .run();
    if (t_.c.changes() != 1) throw StoreError("report to adopt not found or already adopted");
  }

 private:
  static Session session_row(Statement& st) {
    Row row(st);
    return {row.id<SessionId>(), row.id<AuthorityId>(), row.parsed<Body>(parse_body, "body"),
            row.date()};
  }

  static Report report_row(Statement& st) {
    Report r;
    Row row(st);
    r.id = row.id<ReportId>();
    r.authority = row.id<AuthorityId>();
    r.session = row.id<SessionId>();
    r.number = row.text();
    r.title = row.text();
    r.state = row.text() == "adopted" ? ReportState::Adopted : ReportState::Draft;
    r.adopted_on = row.opt_date();
    return r;
  }

  void load_articles(Report& r) {
    auto st = t_.c.prepare(
        "SELECT id, position, kind, title, budget_line_id, amount_cents, scheme_id, party_id, "
        "planned_total_cents, tranche_rate_numerator, tranche_rate_denominator, "
        "transfer_application_id, new_end_date FROM report_articles WHERE authority_id = ? AND "
        "report_id = ? ORDER BY position");
    Params(st).add(r.authority.value).add(r.id.value);
    while (st.step()) {
      Row row(st);
      Article a;
      a.id = row.id<ArticleId>();
      a.position = row.integer();
      a.kind = row.parsed<ArticleKind>(parse_article_kind, "article kind");
      a.title = row.text();
      a.line = row.id<BudgetLineId>();
      a.amount = row.money();
      a.scheme = row.opt_id<SchemeId>();
      a.party = row.opt_id<PartyId>();
      a.planned_total = row.opt_money();
      a.tranche_rate = row.opt_rate();
      a.transfer_application = row.opt_id<ApplicationId>();
      a.new_end = row.opt_date();
      r.articles.push_back(std::move(a));
    }
    auto apps = t_.c.prepare(
        "SELECT application_id FROM report_article_applications WHERE article_id = ? "
        "ORDER BY position");
    for (auto& a : r.articles) {
      apps.reset();
      Params(apps).add(a.id.value);
      while (apps.step())
        a.applications.push_back(Row(apps).id<ApplicationId>());
    }
  }

  TxContext& t_;
};

}  // namespace

std::unique_ptr<CommitteePort> committee_rows(TxContext& t) {
  return std::make_unique<SqlCommittee>(t);
}

}  // namespace octroi::sql
