// The dossiers: their fields, financing plans, history and beneficiaries.
// Part of the Transaction port (app/ports.h): reached as tx.applications(); the same thread-safety
// and failure contract (StoreError) as every port of a transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/instant.h"
#include "domain/application/application.h"

namespace octroi {

// One step of a dossier's history.
struct ApplicationEventRecord {
  Instant at;
  std::string actor;
  std::string event;  // "submit", "award", or "create", "plan_edit"
  std::string from_state;
  std::string to_state;
  std::string reason;
};

// A dossier's beneficiary since a date (the first row is its applicant; a transfer adds one).
struct BeneficiaryRecord {
  PartyId party;
  Date since;
  std::string deliberation;  // "" for the applicant, else the act that transferred it
};

// The order of a list of dossiers; the number breaks ties (and is the default).
enum class ApplicationSort { Number, Beneficiary, Title, State, SubmittedOn, Amount };

struct ApplicationFilter {
  std::optional<ApplicationState> state;
  std::optional<SchemeId> scheme;
  std::optional<PartyId> party;  // the current beneficiary
  std::string departement;       // of the current beneficiary ("75", "2A"); "" for any
  // Dossiers named in an article of a report of a committee session held that day.
  std::optional<Date> session_date;
  // Full-text search: each word must begin a word of the dossier's number, title, description,
  // place, beneficiary's name or city, accents and case ignored (text::search_words).
  std::vector<std::string> words;
  // The workspace's queues (app/workspace.h): any of these states; assigned to this account, or
  // to nobody; followed by this account; of the schemes of this service.
  std::vector<ApplicationState> states;
  std::optional<std::int64_t> assignee;
  bool unassigned = false;
  std::optional<std::int64_t> followed_by;
  std::optional<std::string> service;
  std::vector<std::string> numbers;  // only these dossiers (a selection); empty for any
  std::int64_t limit = 100;          // capped at 1 000 by the store
  std::int64_t offset = 0;
  // Keyset paging for long walks (the exports): only the numbers after this one. An OFFSET
  // makes the store skip every row before it, which is quadratic over a million dossiers.
  std::string after_number;
  ApplicationSort sort = ApplicationSort::Number;
  bool descending = false;
};

// The dossiers of one scheme, counted, with the amounts awarded and the amounts proposed (not yet
// awarded).
struct SchemeTotals {
  SchemeId scheme;
  std::int64_t dossiers = 0;
  Money awarded, proposed;
};

class ApplicationsPort {
 public:
  virtual ~ApplicationsPort() = default;

  virtual std::optional<Application> find_application(AuthorityId a, const std::string& number) = 0;
  virtual std::optional<Application> get_application(AuthorityId a, ApplicationId id) = 0;
  virtual std::vector<Application> list_applications(AuthorityId a, const ApplicationFilter& f) = 0;
  // How many dossiers `f` selects, whatever its limit and offset (the total of a paged list).
  virtual std::int64_t count_applications(AuthorityId a, const ApplicationFilter& f) = 0;
  // How many dossiers are in each state (states without any are left out).
  virtual std::vector<std::pair<ApplicationState, std::int64_t>> count_applications_by_state(
      AuthorityId a) = 0;
  // Per scheme that has dossiers: their count and amounts (the dashboard's figures).
  virtual std::vector<SchemeTotals> totals_by_scheme(AuthorityId a) = 0;
  // The highest numeric part of this authority's "EXnnnnnn" numbers, 0 if none.
  virtual std::int64_t max_application_number(AuthorityId a) = 0;
  virtual ApplicationId insert_application(const Application& app) = 0;
  // Replaces the dossier's fields (not its financing plan).
  virtual void update_application(const Application& app) = 0;
  // Replaces the dossier's whole financing plan.
  virtual void replace_plan(const Application& app) = 0;
  virtual void append_application_event(AuthorityId a, ApplicationId id,
                                        const ApplicationEventRecord& e) = 0;
  // The newest `newest` steps of the dossier's history, oldest first; and how many it has.
  virtual std::vector<ApplicationEventRecord> application_history(AuthorityId a, ApplicationId id,
                                                                  int newest) = 0;
  virtual std::int64_t count_application_history(AuthorityId a, ApplicationId id) = 0;
  virtual void append_beneficiary(AuthorityId a, ApplicationId id, const BeneficiaryRecord& r) = 0;
  virtual std::vector<BeneficiaryRecord> beneficiary_history(AuthorityId a, ApplicationId id) = 0;
};

}  // namespace octroi
