// The imports port (app/ports/imports.h) over sql::Connection.
#include <algorithm>
#include <string>
#include <vector>

#include "adapters/sql/row.h"
#include "adapters/sql/tx_context.h"
#include "app/ports/imports.h"

namespace octroi::sql {
namespace {

constexpr const char* kAwardSelect =
    "SELECT id, party_id, import_key, grantor, grantor_id, granted_on, reference, object, "
    "amount_cents, share_bp, part_cents, nature, payment_terms, payment_period, regime, source, "
    "source_line, imported_at, imported_by, other_fields, beneficiary_name, beneficiary_siret "
    "FROM imported_awards ";

ImportedAwardRecord award_row(Statement& st) {
  ImportedAwardRecord r;
  Row row(st);
  r.id = row.int64();
  r.party = row.id<PartyId>();
  r.import_key = row.text();
  r.grantor = row.text();
  r.grantor_id = row.text();
  r.granted_on = row.date();
  r.reference = row.text();
  r.object = row.text();
  r.amount = row.money();
  r.share_bp = row.int64();
  r.part = row.money();
  r.nature = row.text();
  r.payment_terms = row.text();
  r.payment_period = row.text();
  r.regime = row.parsed<AidRegime>(parse_aid_regime, "aid regime");
  r.source = row.text();
  r.source_line = row.integer();
  r.imported_at = row.instant();
  r.imported_by = row.text();
  r.other_fields = row.text();
  r.beneficiary_name = row.text();
  r.beneficiary_siret = row.text();
  return r;
}

class SqlImports final : public ImportsPort {
 public:
  explicit SqlImports(TxContext& t) : t_(t) {}

  bool imported_award_exists(AuthorityId a, const std::string& import_key) override {
    t_.scope(a);
    auto st =
        t_.c.prepare("SELECT 1 FROM imported_awards WHERE authority_id = ? AND import_key = ?");
    Params(st).add(a.value).add(import_key);
    return st.step();
  }

  bool has_imported_awards(AuthorityId a) override {
    t_.scope(a);
    auto st = t_.c.prepare("SELECT 1 FROM imported_awards WHERE authority_id = ? LIMIT 1");
    Params(st).add(a.value);
    return st.step();
  }

  bool has_awards_without_beneficiary_name(AuthorityId a) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT 1 FROM imported_awards WHERE authority_id = ? AND beneficiary_name = '' LIMIT 1");
    Params(st).add(a.value);
    return st.step();
  }

  std::int64_t insert_imported_award(AuthorityId a, const ImportedAwardRecord& r) override {
    t_.scope(a);
    return Params(
               t_.c.prepare(
                   "INSERT INTO imported_awards (authority_id, party_id, import_key, grantor, "
                   "grantor_id, granted_on, reference, object, amount_cents, share_bp, part_cents, "
                   "nature, payment_terms, payment_period, regime, source, source_line, "
                   "imported_at, imported_by, other_fields, beneficiary_name, beneficiary_siret) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id"))
        .add(a.value)
        .add(r.party.value)
        .add(r.import_key)
        .add(r.grantor)
        .add(r.grantor_id)
        .add(r.granted_on.iso())
        .add(r.reference)
        .add(r.object)
        .add(r.amount.cents())
        .add(r.share_bp)
        .add(r.part.cents())
        .add(r.nature)
        .add(r.payment_terms)
        .add(r.payment_period)
        .add(std::string(to_string(r.regime)))
        .add(r.source)
        .add(std::int64_t{r.source_line})
        .add(r.imported_at)
        .add(r.imported_by)
        .add(r.other_fields)
        .add(r.beneficiary_name)
        .add(r.beneficiary_siret)
        .run_returning_id();
  }

  std::vector<ImportedAwardRecord> imported_awards_of(AuthorityId a, PartyId p) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string(kAwardSelect) +
                           "WHERE authority_id = ? AND party_id = ? ORDER BY granted_on DESC, id "
                           "DESC LIMIT 10000");
    Params(st).add(a.value).add(p.value);
    std::vector<ImportedAwardRecord> out;
    while (st.step())
      out.push_back(award_row(st));
    return out;
  }

  std::optional<ImportedAwardRecord> find_imported_award(AuthorityId a,
                                                         const std::string& import_key) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string(kAwardSelect) + "WHERE authority_id = ? AND import_key = ?");
    Params(st).add(a.value).add(import_key);
    if (!st.step()) return std::nullopt;
    return award_row(st);
  }

  void insert_imported_application(AuthorityId a, ApplicationId id, const std::string& source,
                                   int line, Money printed_amount, Instant at,
                                   const std::string& actor) override {
    t_.scope(a);
    Params(
        t_.c.prepare(
            "INSERT INTO imported_applications (application_id, authority_id, source, "
            "source_line, printed_amount_cents, imported_at, imported_by) VALUES (?,?,?,?,?,?,?)"))
        .add(id.value)
        .add(a.value)
        .add(source)
        .add(std::int64_t{line})
        .add(printed_amount.cents())
        .add(at)
        .add(actor)
        .run();
  }

 private:
  TxContext& t_;
};

}  // namespace

std::unique_ptr<ImportsPort> imports_rows(TxContext& t) {
  return std::make_unique<SqlImports>(t);
}

}  // namespace octroi::sql
