// The awards port (app/ports/awards.h) over sql::Connection.
#include <algorithm>
#include <map>
#include <string>
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

  std::vector<ApplicationId> published_award_order(AuthorityId a) override {
    t_.scope(a);
    const char* later = t_.c.dialect() == Dialect::Postgres ? "GREATEST" : "max";
    auto st = t_.c.prepare(
        std::string("SELECT a.id FROM applications a LEFT JOIN agreements g ON g.application_id = "
                    "a.id WHERE a.authority_id = ? AND a.state IN (?, ?, ?) ORDER BY CASE WHEN "
                    "g.signed_by_beneficiary_on IS NOT NULL AND g.signed_by_authority_on IS NOT "
                    "NULL THEN ") +
        later +
        "(g.signed_by_beneficiary_on, g.signed_by_authority_on) ELSE a.award_date END, a.number");
    Params(st)
        .add(a.value)
        .add(to_string(ApplicationState::Awarded))
        .add(to_string(ApplicationState::Closed))
        .add(to_string(ApplicationState::Lapsed));
    std::vector<ApplicationId> out;
    while (st.step())
      out.push_back(ApplicationId{st.int64(0)});
    return out;
  }

  std::vector<PublishedAward> published_awards(AuthorityId a,
                                               const std::vector<ApplicationId>& ids) override {
    t_.scope(a);
    std::vector<PublishedAward> out;
    if (ids.empty()) return out;
    if (ids.size() > kPublishedBatch)
      throw StoreError("published_awards: at most " + std::to_string(kPublishedBatch) + " ids");
    // Always kPublishedBatch parameters (the last id repeated): one prepared statement each.
    std::string in = "(";
    for (std::size_t i = 0; i < kPublishedBatch; ++i)
      in += i ? ",?" : "?";
    in += ")";
    const auto bind = [&](Statement& st) {
      Params p(st);
      p.add(a.value);
      for (std::size_t i = 0; i < kPublishedBatch; ++i)
        p.add(ids[std::min(i, ids.size() - 1)].value);
    };
    std::map<std::int64_t, std::size_t> at;
    {
      auto st = t_.c.prepare(
          "SELECT a.id, a.number, a.title, a.scheme_id, a.awarded_cents, a.award_date, "
          "a.award_deliberation, a.aid_regime, p.id, p.legal_name, p.siret, p.rna "
          "FROM applications a JOIN parties p ON p.id = a.party_id "
          // "+a.authority_id": SQLite would otherwise walk the authority's dossiers by
          // applications_state instead of fetching 500 by their ids.
          "WHERE +a.authority_id = ? AND a.awarded_cents IS NOT NULL AND a.id IN " +
          in);
      bind(st);
      while (st.step()) {
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
        if (at.emplace(w.id.value, out.size()).second) out.push_back(std::move(w));
      }
    }
    {
      auto st = t_.c.prepare(
          "SELECT application_id, eligibility_start, eligibility_end, signed_by_beneficiary_on, "
          "signed_by_authority_on FROM agreements WHERE authority_id = ? AND application_id IN " +
          in);
      bind(st);
      while (st.step()) {
        Row row(st);
        const auto it = at.find(row.int64());
        if (it == at.end()) continue;
        PublishedAward& w = out[it->second];
        w.has_agreement = true;
        w.eligibility_start = row.date();
        w.eligibility_end = row.date();
        w.signed_by_beneficiary_on = row.opt_date();
        w.signed_by_authority_on = row.opt_date();
      }
    }
    {
      auto st = t_.c.prepare(
          "SELECT application_id, requested_on, amount_cents FROM payments WHERE authority_id = ? "
          "AND application_id IN " +
          in + " ORDER BY application_id, id");
      bind(st);
      while (st.step()) {
        Row row(st);
        const auto it = at.find(row.int64());
        if (it == at.end()) continue;
        const Date on = row.date();
        out[it->second].payments.emplace_back(on, row.money());
      }
    }
    {
      auto st = t_.c.prepare(
          "SELECT b.application_id, b.since, p.id, p.legal_name, p.siret, p.rna "
          "FROM application_beneficiaries b JOIN parties p ON p.id = b.party_id "
          "WHERE b.authority_id = ? AND b.application_id IN " +
          in + " ORDER BY b.application_id, b.id");
      bind(st);
      while (st.step()) {
        Row row(st);
        const auto it = at.find(row.int64());
        if (it == at.end()) continue;
        PublishedBeneficiary b;
        b.since = row.date();
        b.party = published_party(row);
        out[it->second].beneficiaries.push_back(std::move(b));
      }
    }
    return out;
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
  TxContext& t_;
};

}  // namespace

std::unique_ptr<AwardsPort> awards_rows(TxContext& t) {
  return std::make_unique<SqlAwards>(t);
}

}  // namespace octroi::sql
