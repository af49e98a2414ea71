// The awards port (app/ports/awards.h) over sql::Connection.
#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "adapters/sql/row.h"
#include "adapters/sql/tx_context.h"
#include "app/ports/awards.h"

namespace octroi::sql {
namespace {

constexpr std::size_t kPublishedBatch = 500;

PublishedParty published_party(Row& row) {
  PublishedParty p;
  p.id = row.id<PartyId>();
  p.legal_name = row.text();
  p.siret = row.text();
  p.rna = row.text();
  return p;
}

// An award's row, its party and its agreement: the columns of kPublishedSelect, in order.
constexpr const char* kPublishedSelect =
    "SELECT a.id, a.number, a.title, a.scheme_id, a.awarded_cents, a.award_date, "
    "a.award_deliberation, a.aid_regime, p.id, p.legal_name, p.siret, p.rna, g.application_id, "
    "g.eligibility_start, g.eligibility_end, g.signed_by_beneficiary_on, "
    "g.signed_by_authority_on FROM applications a JOIN parties p ON p.id = a.party_id "
    "LEFT JOIN agreements g ON g.application_id = a.id ";
// The dossiers published, those with an award, in the file's order: by the day their row is dated
// (applications.published_on, kept by the database: migration 0024), then number, along the
// index applications_published.
constexpr const char* kPublishedOrder =
    "a.authority_id = ? AND a.published_on IS NOT NULL AND a.awarded_cents IS NOT NULL "
    "ORDER BY a.published_on, a.number";

PublishedAward published_award(const Statement& st) {
  Row row(st);
  PublishedAward w;
  w.id = row.id<ApplicationId>();
  w.number = row.text();
  w.title = row.text();
  w.scheme = row.id<SchemeId>();
  const Money amount = row.money();
  const Date on = row.date();
  w.award = Award{amount, on, row.text()};
  w.regime = row.parsed<AidRegime>(parse_aid_regime, "aid regime");
  w.party = published_party(row);
  w.has_agreement = row.opt_int64().has_value();
  if (w.has_agreement) {
    w.eligibility_start = row.date();
    w.eligibility_end = row.date();
    w.signed_by_beneficiary_on = row.opt_date();
    w.signed_by_authority_on = row.opt_date();
  }
  return w;
}

// "(?,?,…)" with kPublishedBatch parameters: always as many (the last id repeated), so that each
// query is one prepared statement whatever the size of the batch.
const std::string& in_list() {
  static const std::string in = [] {
    std::string s = "(";
    for (std::size_t i = 0; i < kPublishedBatch; ++i)
      s += i ? ",?" : "?";
    return s + ")";
  }();
  return in;
}
template <class Id>
Params& bind_ids(Params& p, const std::vector<Id>& ids) {
  for (std::size_t i = 0; i < kPublishedBatch; ++i) {
    const auto& id = ids[std::min(i, ids.size() - 1)];
    if constexpr (std::is_same_v<Id, std::int64_t>)
      p.add(id);
    else
      p.add(id.value);
  }
  return p;
}

class SqlAwards final : public AwardsPort {
 public:
  explicit SqlAwards(TxContext& t) : t_(t) {}

  std::optional<BudgetLineId> allocation_line(AuthorityId a, ApplicationId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT budget_line_id FROM ledger_entries WHERE authority_id = ? AND application_id = ? "
        "AND kind = 'allocation' ORDER BY id LIMIT 1");
    Params(st).add(a.value).add(id.value);
    if (!st.step()) return std::nullopt;
    Row row(st);
    return row.id<BudgetLineId>();
  }

  void for_each_published_award(
      AuthorityId a, const std::function<void(const std::vector<PublishedAward>&)>& each) override {
    t_.scope(a);
    // SQLite: one query read as it goes along the index, the dossiers' details (payments,
    // transfers) fetched per batch beside it. PostgreSQL's driver holds a query's whole result,
    // so there the order is read first (ids only: a few megabytes for a million) and each batch
    // fetched by its ids.
    if (t_.c.dialect() == Dialect::Sqlite) {
      auto st = t_.c.prepare(std::string(kPublishedSelect) + "WHERE " + kPublishedOrder);
      Params(st).add(a.value);
      std::vector<PublishedAward> batch;
      while (st.step()) {
        batch.push_back(published_award(st));
        if (batch.size() == kPublishedBatch) {
          with_details(a, batch);
          each(batch);
          batch.clear();
        }
      }
      if (!batch.empty()) {
        with_details(a, batch);
        each(batch);
      }
      return;
    }
    std::vector<std::int64_t> order;
    {
      auto st =
          t_.c.prepare(std::string("SELECT a.id FROM applications a WHERE ") + kPublishedOrder);
      Params(st).add(a.value);
      while (st.step())
        order.push_back(st.int64(0));
    }
    for (std::size_t from = 0; from < order.size(); from += kPublishedBatch) {
      const std::size_t n = std::min(kPublishedBatch, order.size() - from);
      const std::vector<std::int64_t> ids(order.begin() + static_cast<std::ptrdiff_t>(from),
                                          order.begin() + static_cast<std::ptrdiff_t>(from + n));
      auto st = t_.c.prepare(
          std::string(kPublishedSelect) +
          "WHERE a.authority_id = ? AND a.awarded_cents IS NOT NULL AND a.id IN " + in_list());
      Params p(st);
      bind_ids(p.add(a.value), ids);
      std::map<std::int64_t, PublishedAward> found;
      while (st.step()) {
        PublishedAward w = published_award(st);
        found.emplace(w.id.value, std::move(w));
      }
      std::vector<PublishedAward> batch;
      batch.reserve(found.size());
      for (const std::int64_t id : ids)
        if (auto it = found.find(id); it != found.end()) batch.push_back(std::move(it->second));
      with_details(a, batch);
      each(batch);
    }
  }

  std::optional<Agreement> find_agreement(AuthorityId a, ApplicationId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT model_deliberation, eligibility_start, eligibility_end, early_start_date, "
        "signed_by_beneficiary_on, signed_by_authority_on FROM agreements "
        "WHERE authority_id = ? AND application_id = ?");
    Params(st).add(a.value).add(id.value);
    if (!st.step()) return std::nullopt;
    Agreement ag;
    ag.authority = a;
    ag.application = id;
    Row row(st);
    ag.model_deliberation = row.text();
    ag.eligibility_start = row.date();
    ag.eligibility_end = row.date();
    ag.early_start = row.opt_date();
    ag.signed_by_beneficiary_on = row.opt_date();
    ag.signed_by_authority_on = row.opt_date();
    return ag;
  }

  void insert_agreement(const Agreement& ag) override {
    t_.scope(ag.authority);
    Params(t_.c.prepare(
               "INSERT INTO agreements (authority_id, application_id, model_deliberation, "
               "eligibility_start, eligibility_end, early_start_date, signed_by_beneficiary_on, "
               "signed_by_authority_on) VALUES (?,?,?,?,?,?,?,?)"))
        .add(ag.authority.value)
        .add(ag.application.value)
        .add(ag.model_deliberation)
        .add(ag.eligibility_start.iso())
        .add(ag.eligibility_end.iso())
        .add(iso(ag.early_start))
        .add(iso(ag.signed_by_beneficiary_on))
        .add(iso(ag.signed_by_authority_on))
        .run();
  }

  void update_agreement(const Agreement& ag) override {
    t_.scope(ag.authority);
    Params(t_.c.prepare("UPDATE agreements SET model_deliberation = ?, eligibility_start = ?, "
                        "eligibility_end = ?, early_start_date = ?, signed_by_beneficiary_on = ?, "
                        "signed_by_authority_on = ? WHERE authority_id = ? AND application_id = ?"))
        .add(ag.model_deliberation)
        .add(ag.eligibility_start.iso())
        .add(ag.eligibility_end.iso())
        .add(iso(ag.early_start))
        .add(iso(ag.signed_by_beneficiary_on))
        .add(iso(ag.signed_by_authority_on))
        .add(ag.authority.value)
        .add(ag.application.value)
        .run();
    if (t_.c.changes() != 1) throw StoreError("agreement to update not found");
  }

  std::vector<PaymentRecord> payments_of(AuthorityId a, ApplicationId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT id, kind, requested_on, realised_eligible_cents, amount_cents, ledger_entry_id, "
        "reference FROM payments WHERE authority_id = ? AND application_id = ? ORDER BY id");
    Params(st).add(a.value).add(id.value);
    std::vector<PaymentRecord> out;
    while (st.step()) {
      Row row(st);
      PaymentRecord p;
      p.id = row.int64();
      p.application = id;
      p.kind = row.parsed<PaymentKind>(parse_payment_kind, "payment kind");
      p.requested_on = row.date();
      p.realised_eligible = row.opt_money();
      p.amount = row.money();
      p.entry = row.opt_id<LedgerEntryId>();
      p.reference = row.text();
      out.push_back(std::move(p));
    }
    auto lines = t_.c.prepare(
        "SELECT label, amount_cents, eligible FROM payment_expense_lines WHERE payment_id = ? "
        "ORDER BY position");
    for (auto& p : out) {
      lines.reset();
      Params(lines).add(p.id);
      while (lines.step()) {
        Row row(lines);
        p.lines.push_back({row.text(), row.money(), row.flag()});
      }
    }
    return out;
  }

  std::int64_t insert_payment(AuthorityId a, const PaymentRecord& p) override {
    t_.scope(a);
    const std::int64_t new_id =
        Params(
            t_.c.prepare("INSERT INTO payments (authority_id, application_id, kind, requested_on, "
                         "realised_eligible_cents, amount_cents, ledger_entry_id, reference) "
                         "VALUES (?,?,?,?,?,?,?,?) RETURNING id"))
            .add(a.value)
            .add(p.application.value)
            .add(std::string(to_string(p.kind)))
            .add(p.requested_on.iso())
            .add(cents(p.realised_eligible))
            .add(p.amount.cents())
            .add(id_of(p.entry))
            .add(p.reference)
            .run_returning_id();
    const std::int64_t id = new_id;
    auto st = t_.c.prepare(
        "INSERT INTO payment_expense_lines (payment_id, position, label, amount_cents, eligible, "
        "authority_id) VALUES (?,?,?,?,?,?)");
    int pos = 0;
    for (const auto& l : p.lines) {
      st.reset();
      Params(st).add(id).add(++pos).add(l.label).add(l.amount).add(l.eligible).add(a).run();
    }
    return id;
  }

  void insert_clawback(AuthorityId a, const ClawbackRecord& c) override {
    t_.scope(a);
    Params(
        t_.c.prepare("INSERT INTO clawbacks (authority_id, application_id, amount_cents, reason, "
                     "decided_on, "
                     "reference, years_total, years_remaining) VALUES (?,?,?,?,?,?,?,?)"))
        .add(a.value)
        .add(c.application.value)
        .add(c.amount.cents())
        .add(c.reason)
        .add(c.decided_on.iso())
        .add(c.reference)
        .add(opt_int(c.years_total))
        .add(opt_int(c.years_remaining))
        .run();
  }

  std::vector<ClawbackRecord> clawbacks_of(AuthorityId a, ApplicationId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT id, amount_cents, reason, decided_on, reference, years_total, years_remaining "
        "FROM clawbacks WHERE authority_id = ? AND application_id = ? ORDER BY id");
    Params(st).add(a.value).add(id.value);
    std::vector<ClawbackRecord> out;
    while (st.step()) {
      Row row(st);
      out.push_back({row.int64(), id, row.money(), row.text(), row.date(), row.text(),
                     row.opt_integer(), row.opt_integer()});
    }
    return out;
  }

  void insert_amendment(AuthorityId a, const AmendmentRecord& r) override {
    t_.scope(a);
    Params(t_.c.prepare(
               "INSERT INTO amendments (authority_id, application_id, number, kind, deliberation, "
               "approved_on, before, after) VALUES (?,?,?,?,?,?,?,?)"))
        .add(a.value)
        .add(r.application.value)
        .add(r.number)
        .add(r.kind)
        .add(r.deliberation)
        .add(r.approved_on.iso())
        .add(r.before)
        .add(r.after)
        .run();
  }

  std::vector<AmendmentRecord> amendments_of(AuthorityId a, ApplicationId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT number, kind, deliberation, approved_on, before, after FROM amendments "
        "WHERE authority_id = ? AND application_id = ? ORDER BY number");
    Params(st).add(a.value).add(id.value);
    std::vector<AmendmentRecord> out;
    while (st.step()) {
      Row row(st);
      out.push_back(
          {id, row.integer(), row.text(), row.text(), row.date(), row.text(), row.text()});
    }
    return out;
  }

  std::vector<std::pair<PartyId, PartyId>> party_links(AuthorityId a) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT controlling_party_id, controlled_party_id FROM party_links WHERE authority_id = ?");
    Params(st).add(a.value);
    std::vector<std::pair<PartyId, PartyId>> out;
    while (st.step()) {
      Row row(st);
      const auto controlling = row.id<PartyId>();
      out.emplace_back(controlling, row.id<PartyId>());
    }
    return out;
  }

  bool insert_party_link(AuthorityId a, PartyId controlling, PartyId controlled) override {
    t_.scope(a);
    Params(t_.c.prepare(
               "INSERT INTO party_links (authority_id, controlling_party_id, controlled_party_id) "
               "VALUES (?,?,?) ON CONFLICT DO NOTHING"))
        .add(a.value)
        .add(controlling.value)
        .add(controlled.value)
        .run();
    return t_.c.changes() == 1;
  }

  void insert_third_party_aid(AuthorityId a, const AidRecord& r) override {
    t_.scope(a);
    Params(
        t_.c.prepare("INSERT INTO third_party_aids (authority_id, party_id, regime, amount_cents, "
                     "granted_on, grantor) VALUES (?,?,?,?,?,?)"))
        .add(a.value)
        .add(r.party.value)
        .add(std::string(to_string(r.regime)))
        .add(r.amount.cents())
        .add(r.granted_on.iso())
        .add(r.source)
        .run();
  }

  std::vector<AidRecord> de_minimis_aids(AuthorityId a) override {
    t_.scope(a);
    std::vector<AidRecord> out;
    {
      // octroi's own awards: the party that received the aid is the applicant at the award
      // (the first beneficiary), which a later transfer does not change.
      auto st = t_.c.prepare(
          "SELECT (SELECT party_id FROM application_beneficiaries b WHERE b.application_id = "
          "a.id ORDER BY b.id LIMIT 1), awarded_cents, award_date, aid_regime, "
          "award_deliberation, id FROM applications a WHERE authority_id = ? AND awarded_cents "
          "IS NOT NULL AND aid_regime IN ('de_minimis_1407_2013', 'de_minimis_2023_2831')");
      Params(st).add(a.value);
      while (st.step()) {
        Row row(st);
        out.push_back({row.id<PartyId>(), row.money(), row.date(),
                       row.parsed<AidRegime>(parse_aid_regime, "aid regime"), row.text(),
                       row.int64()});
      }
    }
    auto st = t_.c.prepare(
        "SELECT party_id, amount_cents, granted_on, regime, grantor FROM third_party_aids "
        "WHERE authority_id = ? UNION ALL "
        "SELECT party_id, part_cents, granted_on, regime, grantor FROM imported_awards "
        "WHERE authority_id = ? AND regime IN ('de_minimis_1407_2013', 'de_minimis_2023_2831')");
    Params(st).add(a.value).add(a.value);
    while (st.step()) {
      Row row(st);
      out.push_back({row.id<PartyId>(), row.money(), row.date(),
                     row.parsed<AidRegime>(parse_aid_regime, "aid regime"), row.text()});
    }
    return out;
  }

  void insert_state_aid_check(AuthorityId a, const StateAidCheckRecord& r) override {
    t_.scope(a);
    Params(
        t_.c.prepare("INSERT INTO state_aid_checks (authority_id, application_id, stage, regime, "
                     "checked_on, "
                     "amount_cents, used_cents, ceiling_cents, room_cents, ok) VALUES "
                     "(?,?,?,?,?,?,?,?,?,?)"))
        .add(a.value)
        .add(r.application.value)
        .add(to_string(r.stage))
        .add(std::string(to_string(r.regime)))
        .add(r.checked_on.iso())
        .add(r.amount.cents())
        .add(r.used.cents())
        .add(r.ceiling.cents())
        .add(r.room.cents())
        .add(r.ok)
        .run();
  }

  std::vector<StateAidCheckRecord> state_aid_checks(AuthorityId a, ApplicationId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT stage, regime, checked_on, amount_cents, used_cents, ceiling_cents, room_cents, "
        "ok FROM state_aid_checks WHERE authority_id = ? AND application_id = ? ORDER BY id");
    Params(st).add(a.value).add(id.value);
    std::vector<StateAidCheckRecord> out;
    while (st.step()) {
      Row row(st);
      out.push_back({id, row.parsed<StateAidStage>(parse_state_aid_stage, "state-aid stage"),
                     row.parsed<AidRegime>(parse_aid_regime, "aid regime"), row.date(), row.money(),
                     row.money(), row.money(), row.money(), row.flag()});
    }
    return out;
  }

  std::int64_t insert_condition(AuthorityId a, const ConditionRecord& c) override {
    t_.scope(a);
    const std::int64_t new_id = Params(t_.c.prepare("INSERT INTO award_conditions (authority_id, "
                                                    "application_id, label, status, due_on) "
                                                    "VALUES (?,?,?,?,?) RETURNING id"))
                                    .add(a.value)
                                    .add(c.application.value)
                                    .add(c.label)
                                    .add(c.status)
                                    .add(iso(c.due_on))
                                    .run_returning_id();
    return new_id;
  }

  void update_condition(AuthorityId a, const ConditionRecord& c) override {
    t_.scope(a);
    Params(t_.c.prepare("UPDATE award_conditions SET status = ? WHERE authority_id = ? AND id = ?"))
        .add(c.status)
        .add(a.value)
        .add(c.id)
        .run();
    if (t_.c.changes() != 1) throw StoreError("condition to update not found");
  }

  std::vector<ConditionRecord> conditions_of(AuthorityId a, ApplicationId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT id, label, status, due_on FROM award_conditions WHERE authority_id = ? AND "
        "application_id = ? ORDER BY id");
    Params(st).add(a.value).add(id.value);
    std::vector<ConditionRecord> out;
    while (st.step()) {
      Row row(st);
      out.push_back({row.int64(), id, row.text(), row.text(), row.opt_date()});
    }
    return out;
  }

  void insert_outcome(AuthorityId a, const OutcomeRecord& o) override {
    t_.scope(a);
    Params(
        t_.c.prepare("INSERT INTO outcome_reports (authority_id, application_id, indicator, value, "
                     "reported_on) VALUES (?,?,?,?,?)"))
        .add(a.value)
        .add(o.application.value)
        .add(o.indicator)
        .add(o.value)
        .add(o.reported_on.iso())
        .run();
  }

  std::vector<OutcomeRecord> outcomes_of_scheme(AuthorityId a, SchemeId sid) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT o.application_id, o.indicator, o.value, o.reported_on FROM outcome_reports o "
        "JOIN applications p ON p.id = o.application_id WHERE o.authority_id = ? AND "
        "p.scheme_id = ? ORDER BY o.id");
    Params(st).add(a.value).add(sid.value);
    std::vector<OutcomeRecord> out;
    while (st.step()) {
      Row row(st);
      out.push_back({row.id<ApplicationId>(), row.text(), row.int64(), row.date()});
    }
    return out;
  }

  std::vector<OutcomeRecord> outcomes_of(AuthorityId a, ApplicationId id) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT application_id, indicator, value, reported_on FROM outcome_reports WHERE "
        "authority_id = ? AND application_id = ? ORDER BY id");
    Params(st).add(a.value).add(id.value);
    std::vector<OutcomeRecord> out;
    while (st.step()) {
      Row row(st);
      out.push_back({row.id<ApplicationId>(), row.text(), row.int64(), row.date()});
    }
    return out;
  }

 private:
  // The batch's payments and beneficiaries (after transfers): two queries whatever its size.
  void with_details(AuthorityId a, std::vector<PublishedAward>& batch) {
    if (batch.empty()) return;
    std::map<std::int64_t, std::size_t> at;
    std::vector<std::int64_t> ids;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      at.emplace(batch[i].id.value, i);
      ids.push_back(batch[i].id.value);
    }
    {
      auto st = t_.c.prepare(
          "SELECT application_id, requested_on, amount_cents FROM payments WHERE authority_id = ? "
          "AND application_id IN " +
          in_list() + " ORDER BY application_id, id");
      Params p(st);
      bind_ids(p.add(a.value), ids);
      while (st.step()) {
        Row row(st);
        const auto it = at.find(row.int64());
        if (it == at.end()) continue;
        const Date on = row.date();
        batch[it->second].payments.emplace_back(on, row.money());
      }
    }
    auto st = t_.c.prepare(
        "SELECT b.application_id, b.since, p.id, p.legal_name, p.siret, p.rna "
        "FROM application_beneficiaries b JOIN parties p ON p.id = b.party_id "
        "WHERE b.authority_id = ? AND b.application_id IN " +
        in_list() + " ORDER BY b.application_id, b.id");
    Params p(st);
    bind_ids(p.add(a.value), ids);
    while (st.step()) {
      Row row(st);
      const auto it = at.find(row.int64());
      if (it == at.end()) continue;
      PublishedBeneficiary b;
      b.since = row.date();
      b.party = published_party(row);
      batch[it->second].beneficiaries.push_back(std::move(b));
    }
  }

  TxContext& t_;
};

}  // namespace

std::unique_ptr<AwardsPort> awards_rows(TxContext& t) {
  return std::make_unique<SqlAwards>(t);
}

}  // namespace octroi::sql
