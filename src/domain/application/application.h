// Application (dossier): a party's request for aid under a scheme, with its project, its
// financing plan, its award and its place in the workflow (workflow.h).
//
// Its invariants are the workflow's W1 to W6, listed in workflow.h: the state is private and
// changes only through apply_event (W3); check_invariants names the first of W4 to W6 a dossier
// breaks, and assert_invariants (OCTROI_DEBUG_CHECK) runs it after every transition and load.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/invariants.h"
#include "core/money.h"
#include "core/result.h"
#include "domain/application/financing_plan.h"
#include "domain/application/workflow.h"
#include "domain/ids.h"
#include "domain/scheme/aid_scheme.h"

namespace octroi {

struct Project {
  std::string title;  // "Chèque numérique pour un commerce connecté – Montfermeil"
  std::string description;
  std::string place;  // "Montfermeil"
  Date start;         // dates prévisionnelles
  Date end;
};

// Démarrage anticipé: expenses accepted from `date`, before the award, by derogation (RBF art.
// 29 in Île-de-France), with the applicant's justification.
struct EarlyStart {
  bool requested = false;
  std::optional<Date> date;
  std::string justification;
};

struct Award {
  Money amount;
  Date date;                 // date of the deliberation
  std::string deliberation;  // "CP 2023-040"
};

struct Application;
struct EventContext;
Status apply_event(Application& app, const AidScheme& scheme, ApplicationEvent event,
                   const EventContext& ctx);

struct Application {
  ApplicationId id;
  AuthorityId authority;
  std::string number;  // "EX070158"
  SchemeId scheme;
  PartyId party;
  Project project;
  EarlyStart early_start;
  int reference_year = 0;                    // exercice de référence du plan
  AmountBasis basis = AmountBasis::InclTax;  // HT if the party recovers VAT
  FinancingPlan plan;
  std::optional<Date> submitted_on;
  // The amount decided before the vote: set by `propose` (the rule's amount, or less with a
  // reason), lowered by `reduce`; the vote awards it (or less).
  std::optional<Money> proposed_award;
  std::optional<Money> rule_award;  // what the rule gave when it was proposed
  std::string proposal_reason;      // why the proposal is below the rule's amount
  // The amount the applicant asks for, when it is not what the plan's lines from this authority
  // add up to (a request rounded, or made before the plan settled): its own field (issue 18).
  std::optional<Money> requested_amount;
  std::optional<Award> award;              // set by `award`
  AidRegime aid_regime = AidRegime::None;  // set by `award`, from the scheme

  // Where the dossier is in the workflow. It changes only through apply_event (W3).
  ApplicationState state() const { return state_; }

  // FOR THE STORE AND TEST FIXTURES ONLY: gives a dossier read back from the database (or built
  // by a test as if it had been) the state it was saved in. It is not a transition: no guard,
  // no table, no event recorded. Every use case moves a dossier with apply_event.
  void restore_state(ApplicationState s) { state_ = s; }

  static bool is_valid_number(std::string_view number);  // "EX" + 6 digits

  // Refuses bad project fields (title, dates in order, early start coherent, reference year)
  // and bad plan lines; with `require_complete`, a plan that cannot be submitted.
  Status validate(bool require_complete) const;
  // The amount asked: the applicant's own figure when it is below the plan's lines from this
  // authority, else those lines (a figure above them asks for what the plan does not finance).
  // The rule's "never above the request" caps the award at it.
  Money requested() const {
    const Money in_plan = plan.requested();
    return requested_amount && *requested_amount < in_plan ? *requested_amount : in_plan;
  }
  // The award the scheme's rule gives for this dossier's plan.
  Result<AwardComputation> compute_award(const AidScheme& aid_scheme) const;

  // The first of the invariants W4 to W6 (workflow.h) this dossier breaks, or nullopt.
  std::optional<InvariantBreach> check_invariants() const;
  // Throws InvariantViolation naming the broken invariant: for OCTROI_DEBUG_CHECK.
  void assert_invariants() const;

 private:
  friend Status apply_event(Application& app, const AidScheme& scheme, ApplicationEvent event,
                            const EventContext& ctx);

  ApplicationState state_ = ApplicationState::Draft;
};

// What an event needs besides the dossier: who asks is recorded by the use case, not here.
struct EventContext {
  Date on;                   // the day the event happens
  std::string reason;        // required by some events
  std::string deliberation;  // award: "CP 2023-040"
  std::optional<Date> deliberation_date;
  // propose: the amount decided (default: the rule's); reduce: the new, lower amount; award:
  // defaults to the proposed amount.
  std::optional<Money> amount;
  // approve, and propose from awaiting_approval: the visas given in the open round of the
  // dossier's approval chain (application_visas).
  int visas_given = 0;
};

// Applies `event` to `app` if the workflow table allows it and its guard holds; otherwise
// refuses ("workflow.transition", "workflow.reason_required", "plan.unbalanced", ...) and
// leaves `app` unchanged.
Status apply_event(Application& app, const AidScheme& scheme, ApplicationEvent event,
                   const EventContext& ctx);

}  // namespace octroi
