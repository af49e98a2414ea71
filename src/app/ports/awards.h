// The life of an award: agreements, payments, clawbacks, amendments, state aid (checks, party
// links, third-party aid), conditions and outcomes. Part of the Transaction port (app/ports.h):
// reached as tx.awards(); the same thread-safety and failure contract (StoreError) as every port of
// a transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/money.h"
#include "domain/agreement/agreement.h"
#include "domain/application/application.h"
#include "domain/payment/payment.h"
#include "domain/stateaid/de_minimis.h"

namespace octroi {

// A payment made on an award, with its expense statement.
struct ExpenseStatementLine {
  std::string label;
  Money amount;
  bool eligible = true;
};

struct PaymentRecord {
  std::int64_t id = 0;
  ApplicationId application;
  PaymentKind kind = PaymentKind::Advance;
  Date requested_on;
  std::optional<Money> realised_eligible;
  Money amount;  // paid (0 for a balance that settles with nothing more to pay)
  std::optional<LedgerEntryId> entry;
  std::string reference;
  std::vector<ExpenseStatementLine> lines;
};

struct ClawbackRecord {
  std::int64_t id = 0;
  ApplicationId application;
  Money amount;
  std::string reason;
  Date decided_on;
  std::string reference;
  std::optional<int> years_total, years_remaining;
};

struct StateAidCheckRecord {
  ApplicationId application;
  StateAidStage stage = StateAidStage::Instruction;
  AidRegime regime = AidRegime::None;
  Date checked_on;
  Money amount, used, ceiling, room;
  bool ok = true;
};

struct AmendmentRecord {
  ApplicationId application;
  int number = 0;    // avenant n° 1, 2, …
  std::string kind;  // "transfer" | "amount" | "extension"
  std::string deliberation;
  Date approved_on;
  std::string before, after;  // canonical JSON of what changed
};

struct ConditionRecord {
  std::int64_t id = 0;
  ApplicationId application;
  std::string label;
  std::string status = "pending";  // "pending" | "met" | "not_met"
  std::optional<Date> due_on;
};

struct OutcomeRecord {
  ApplicationId application;
  std::string indicator;  // "emplois créés", "stagiaires recrutés"
  std::int64_t value = 0;
  Date reported_on;
};

// What an award's open-data rows need (app/open_data.h), read for many awards at once.
struct PublishedParty {
  PartyId id;
  std::string legal_name, siret, rna;
};
struct PublishedBeneficiary {
  PublishedParty party;
  Date since;
};
struct PublishedAward {
  ApplicationId id;
  std::string number, title;
  SchemeId scheme;
  PublishedParty party;
  Award award;
  AidRegime regime = AidRegime::None;  // the award's (fixed when it was decided)
  // Its agreement, if any: the days of its two signatures and its period of eligibility.
  bool has_agreement = false;
  std::optional<Date> signed_by_beneficiary_on, signed_by_authority_on;
  Date eligibility_start, eligibility_end;
  std::vector<std::pair<Date, Money>> payments;     // requested_on, amount; in the order made
  std::vector<PublishedBeneficiary> beneficiaries;  // in the order of transfers
};

class AwardsPort {
 public:
  virtual ~AwardsPort() = default;

  virtual std::optional<BudgetLineId> allocation_line(AuthorityId a, ApplicationId id) = 0;
  virtual std::optional<Agreement> find_agreement(AuthorityId a, ApplicationId id) = 0;
  // Every dossier with an award (awarded, closed, lapsed) with what its rows need, in the order
  // of the file: by the day its row is dated (the later signature of a signed agreement, else
  // the award's date), then number. Handed to `each` a batch at a time (at most 500, in that
  // order), read by a handful of queries per batch: a million awards are never held at once.
  virtual void for_each_published_award(
      AuthorityId a, const std::function<void(const std::vector<PublishedAward>&)>& each) = 0;
  virtual void insert_agreement(const Agreement& ag) = 0;
  virtual void update_agreement(const Agreement& ag) = 0;
  virtual std::vector<PaymentRecord> payments_of(AuthorityId a, ApplicationId id) = 0;
  virtual std::int64_t insert_payment(AuthorityId a, const PaymentRecord& p) = 0;
  virtual void insert_clawback(AuthorityId a, const ClawbackRecord& c) = 0;
  virtual std::vector<ClawbackRecord> clawbacks_of(AuthorityId a, ApplicationId id) = 0;
  virtual void insert_amendment(AuthorityId a, const AmendmentRecord& r) = 0;
  virtual std::vector<AmendmentRecord> amendments_of(AuthorityId a, ApplicationId id) = 0;
  virtual std::vector<std::pair<PartyId, PartyId>> party_links(AuthorityId a) = 0;
  // False when the link was already recorded.
  virtual bool insert_party_link(AuthorityId a, PartyId controlling, PartyId controlled) = 0;
  virtual void insert_third_party_aid(AuthorityId a, const AidRecord& r) = 0;
  // Every de minimis aid known for the authority's parties: octroi's own awards granted under a
  // de minimis regime, and the aid declared as granted by others.
  virtual std::vector<AidRecord> de_minimis_aids(AuthorityId a) = 0;
  virtual void insert_state_aid_check(AuthorityId a, const StateAidCheckRecord& r) = 0;
  virtual std::vector<StateAidCheckRecord> state_aid_checks(AuthorityId a, ApplicationId id) = 0;
  virtual std::int64_t insert_condition(AuthorityId a, const ConditionRecord& c) = 0;
  virtual void update_condition(AuthorityId a, const ConditionRecord& c) = 0;
  virtual std::vector<ConditionRecord> conditions_of(AuthorityId a, ApplicationId id) = 0;
  virtual void insert_outcome(AuthorityId a, const OutcomeRecord& o) = 0;
  virtual std::vector<OutcomeRecord> outcomes_of_scheme(AuthorityId a, SchemeId s) = 0;
  virtual std::vector<OutcomeRecord> outcomes_of(AuthorityId a, ApplicationId id) = 0;
};

}  // namespace octroi
