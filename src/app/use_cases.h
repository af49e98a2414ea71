// The use cases: the only way the adapters (CLI, web, API) change or read octroi's data.
//
// Each takes the transaction its caller opened (context.h: run_write / run_read), parses and
// validates raw user input (strings, as typed), asks the domain, saves, records the dossier's
// history and appends to the audit trail. Refusals are Results with a stable code, the path of
// the field and a French message; a refused use case has written nothing that its caller will
// commit (run_write rolls back).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/audit_chain.h"
#include "app/context.h"
#include "app/documents.h"
#include "app/ports.h"
#include "app/ports/applications.h"
#include "app/ports/audit.h"
#include "app/ports/awards.h"
#include "app/ports/imports.h"
#include "app/ports/notes.h"
#include "app/ports/parties.h"
#include "domain/agreement/agreement.h"
#include "domain/authority.h"
#include "domain/budget/ledger.h"
#include "domain/committee/report.h"
#include "domain/party/party.h"
#include "domain/scheme/aid_scheme.h"

namespace octroi {

// ---- Authorities ---------------------------------------------------------------------------

struct AuthorityInput {
  std::string code, name, siret, address, executive;
};
Result<Authority> create_authority(Transaction& tx, const std::string& actor, Clock& clock,
                                   const AuthorityInput& in);
// Changes the authority's identity where `in` gives a value ("" keeps it; its code never
// changes): its name, SIRET (published as idAttribuant), address and executive. Refuses what
// create_authority refuses (an invalid SIRET, "siret.*"); audited ("authority.edit").
Result<Authority> edit_authority(Transaction& tx, const Context& ctx, const AuthorityInput& in);
// The authority with this code, or a refusal "authority.unknown" naming `code`.
Result<Authority> authority_by_code(Transaction& tx, const std::string& code);

// ---- Aid schemes ---------------------------------------------------------------------------

struct AwardRuleInput {
  std::string kind = "rate";  // "rate" | "fixed"
  std::string rate_percent;   // "50", "40,00"
  std::string rate_rounding = "half_up";
  std::string base = "by_vat_recovery";  // | "ht" | "ttc"
  std::string step;                      // "1000" or "" for none
  std::string step_rounding = "down";
  std::string cap;  // "8000" or ""
  bool not_above_request = false;
  std::string fixed_amount;  // kind == fixed
};

struct SchemeInput {
  std::string number, name, framework_deliberation;
  std::string section = "operating";  // | "investment"
  std::string budget_imputation, budget_action;
  std::string opens_on, closes_on;  // dates or ""
  AwardRuleInput rule;
  // The life of an award (all optional): model agreement, payment ceilings, lapse periods,
  // duration of the obligations, state-aid regime.
  std::string model_agreement;          // "CP 2022-111"
  std::string advance_max;              // percent of the award, "30"; "" = no advance
  std::string interim_max;              // cumulated percent, "80"; "" = no interim payment
  std::string balance_tolerance = "0";  // percent of shortfall tolerated before pro rata
  std::string lapse_first_request_years, lapse_balance_years, obligation_years;
  std::string aid_regime = "none";  // "de_minimis_1407_2013", ...
  std::string service;              // the instructing service; "" = administrators only
};

Result<AidScheme> create_scheme(Transaction& tx, const Context& ctx, const SchemeInput& in);
// Replaces every field of scheme `number` with `in` (its number may not change).
Result<AidScheme> edit_scheme(Transaction& tx, const Context& ctx, const std::string& number,
                              const SchemeInput& in);
Result<AidScheme> scheme_by_number(Transaction& tx, AuthorityId a, const std::string& number);
// The input that would recreate `s`: the starting point of an edit that changes a few fields.
SchemeInput scheme_input_of(const AidScheme& s);

// ---- Parties -------------------------------------------------------------------------------

struct PartyInput {
  std::string legal_name, siren, siret, rna, naf, legal_status;
  bool recovers_vat = false;
  std::string civility, first_name, last_name, role;
  std::string address_line1, address_line2, postal_code, city, insee_code, departement;
};

struct RegisteredParty {
  Party party;
  std::vector<Problem> warnings;  // e.g. "siret.is_siren"
};
// Refuses invalid identifiers and a SIREN already registered for this authority.
Result<RegisteredParty> register_party(Transaction& tx, const Context& ctx, const PartyInput& in);

// ---- Applications --------------------------------------------------------------------------

struct ExpenseInput {
  std::string label, amount;
  bool eligible = true;
};
struct ResourceInput {
  std::string label, amount;
  std::string kind = "other";  // ResourceKind names: "self_funding", "authority", ...
  std::string status;
};

struct ApplicationInput {
  std::string number;  // "EX070158"; empty: the next free number
  std::string scheme_number;
  std::int64_t party_id = 0;
  std::string title, description, place;
  std::string start, end;  // dates
  bool early_start = false;
  std::string early_start_date, early_start_justification;
  std::string reference_year;
  std::string requested;  // the amount asked, "" for the plan's lines from this authority
  std::vector<ExpenseInput> expenses;
  std::vector<ResourceInput> resources;
};

// Refuses ("auth.service") an instructor (ctx.service set) acting on a dossier of a scheme that
// another service instructs, or that no service does. Every use case that changes a dossier on
// an instructor's behalf asks it: creation, plan, workflow, notes, state-aid check.
Status check_instructing_service(const Context& ctx, const AidScheme& scheme);

// Creates a draft dossier. Its basis (HT/TTC) follows the party's VAT recovery.
Result<Application> create_application(Transaction& tx, const Context& ctx,
                                       const ApplicationInput& in);

// Replaces the project, the dates, the early start, the year, the amount asked and the whole plan
// of a draft (or of a dossier returned incomplete) by those of `in` (its number, scheme and party
// are not changed); "application.not_editable" in any other state.
Result<Application> edit_draft(Transaction& tx, const Context& ctx, const std::string& number,
                               const ApplicationInput& in);

// One change to a financing plan. Positions are 1-based, as users see them.
struct PlanChange {
  enum class Op { Set, Add, Remove } op = Op::Set;
  enum class Side { Expense, Resource } side = Side::Expense;
  std::size_t position = 0;           // Set, Remove
  std::optional<std::string> label;   // Set (optional), Add (required)
  std::optional<std::string> amount;  // Set (optional), Add (required)
  std::optional<bool> eligible;       // expenses
  std::optional<std::string> kind;    // resources
  std::optional<std::string> status;  // resources
};

// Applies every change or none. Refuses when the dossier's state does not allow editing
// ("application.not_editable"), and, under instruction, a plan that would no longer be complete
// and balanced ("plan.unbalanced").
Result<Application> edit_plan(Transaction& tx, const Context& ctx, const std::string& number,
                              const std::vector<PlanChange>& changes);

struct EventInput {
  std::string event;  // "submit", "award"...
  std::string reason;
  std::string deliberation;       // award
  std::string deliberation_date;  // award
  std::string amount;             // award, optional
  std::string on;                 // date of the event; "" = today
};
Result<Application> apply_application_event(Transaction& tx, const Context& ctx,
                                            const std::string& number, const EventInput& in);

// Everything a reader needs to see a dossier, computed (nothing here is stored twice).
struct ApplicationView {
  Application application;
  AidScheme scheme;
  Party party;
  PlanSummary plan;
  std::optional<AwardComputation> award;  // what the rule gives now
  std::optional<Refusal> award_refusal;   // why it cannot be computed, if so
  // The newest kHistoryShown steps of its history, oldest first (the whole history is the
  // audit trail's: GET /api/v1/applications/{n}/history), and how many steps it has in all.
  std::vector<ApplicationEventRecord> history;
  std::int64_t history_total = 0;
  static constexpr int kHistoryShown = 50;
  // Who was the beneficiary when: the applicant, then each transferee.
  std::vector<std::pair<BeneficiaryRecord, Party>> beneficiaries;
};
Result<ApplicationView> show_application(Transaction& tx, AuthorityId a, const std::string& number);
Result<std::vector<ApplicationView>> list_applications(Transaction& tx, AuthorityId a,
                                                       const ApplicationFilter& f);

// How many dossiers each state holds, in the workflow's order (the dashboard); every state is
// listed, with 0 when it holds none.
Result<std::vector<std::pair<ApplicationState, std::int64_t>>> dossier_counts(Transaction& tx,
                                                                              AuthorityId a);

// A search of dossiers as typed in the back office's form or the API's query string; "" means
// any. Refuses an unknown state ("search.state") or scheme, a party that is not an id
// ("search.party"), a département that is not one ("search.departement", "75", "2A", "971"), a
// session that is not a date ("search.session") and a text over 200 characters or not UTF-8
// ("search.text").
struct ApplicationSearch {
  std::string state, scheme, party, departement, session, text;
  // The order: "number" (default), "beneficiary", "title", "state", "submitted_on", "amount";
  // order "desc" for descending ("" or "asc" ascending).
  std::string sort, order;
  // The workspace's queues (app/workspace.h): queue "a_traiter" | "traites" | "archives";
  // scope "me" | "service" | "followed" | "all"; assignee: a login, or "none" for nobody.
  std::string queue, scope, assignee;
  // A selection: dossier numbers separated by spaces or commas (at most 200).
  std::string numbers;
  // Who looks (set by the adapter from the session, never from the request): the scope "me"
  // and "followed" are this account's, "service" is this service.
  std::int64_t viewer = 0;
  std::string viewer_service;
  std::int64_t limit = 100, offset = 0;
};
Result<std::vector<ApplicationView>> search_applications(Transaction& tx, AuthorityId a,
                                                         const ApplicationSearch& s);
// How many dossiers the search selects in all (its limit and offset aside): a paged list's total.
Result<std::int64_t> count_search_applications(Transaction& tx, AuthorityId a,
                                               const ApplicationSearch& s);

// A dossier's history as the audit trail holds it: the entries about the dossier and about its
// agreement, oldest first.
Result<std::vector<AuditEntry>> dossier_audit(Transaction& tx, AuthorityId a,
                                              const std::string& number);

// Everything octroi knows of a party (the 360° view): its dossiers with what was awarded and
// paid on each, the parties of its single undertaking, and its de minimis aid in the window that
// ends on `today` (octroi's awards and the aid declared from others).
struct PartyDossier {
  ApplicationView dossier;
  Money awarded, paid;
};
struct PartyView {
  Party party;
  std::vector<PartyDossier> dossiers;
  Money total_awarded, total_paid;
  std::vector<Party> undertaking;  // the other parties of its single undertaking
  AidRegime de_minimis_regime = AidRegime::DeMinimis2831;  // the regulation in force on `today`
  DeMinimisCheck de_minimis;
  std::vector<AidRecord> de_minimis_aids;  // those counted in the window
  // Awards imported from other grantors' subsidy files (octroi import scdl), newest first, and
  // the sum of this party's parts of them.
  std::vector<ImportedAwardRecord> imported;
  Money total_imported;
  // Its establishments (SIRETs) as files named them, by SIRET.
  std::vector<Establishment> establishments;
};
Result<PartyView> show_party(Transaction& tx, AuthorityId a, const std::string& id,
                             const Date& today);

// ---- Budget lines and the ledger -------------------------------------------------------------

struct BudgetLineInput {
  std::string year;                  // "2023"
  std::string imputation;            // "936-632-657341-163003-400"
  std::string nomenclature = "M57";  // | "M71"
  std::string programme_label;       // "HP 632-003 Soutien à l'artisanat, au commerce…"
  std::string action;                // "16300302"
  std::string action_label;          // "Soutien à l'artisanat et aux TPE"
};
Result<BudgetLine> create_budget_line(Transaction& tx, const Context& ctx,
                                      const BudgetLineInput& in);
// "2023/16300302" -> the line, or "budget.unknown_line" / "budget.line_key" naming `field`.
Result<BudgetLine> budget_line_by_key(Transaction& tx, AuthorityId a, const std::string& key,
                                      const std::string& field = "line");

// A movement typed by a finance officer: a vote (AE/AP and/or CP, signed amounts), a direct
// allocation or a release, each justified by the act that decided it.
struct MovementInput {
  std::string line;       // "2023/16300302"
  std::string amount;     // allocation, release
  std::string ae, cp;     // vote: either or both, may be negative (amending decision)
  std::string reference;  // "BP 2023", "CP 2023-040"
  std::string label;
  std::string on;  // the act's date (the budget's vote); "" = today
};
Result<LineBalances> vote_budget(Transaction& tx, const Context& ctx, const MovementInput& in);
Result<LineBalances> allocate_budget(Transaction& tx, const Context& ctx, const MovementInput& in);
Result<LineBalances> release_budget(Transaction& tx, const Context& ctx, const MovementInput& in);

// Undoes one journal entry of a line by a new, reversing entry (the journal is never edited).
// Refused for an entry that is itself a reversal, already reversed, or tied to a dossier or a
// report article: those are corrected by an act (a release, an amendment), not a reversal.
struct ReversalInput {
  std::string line;       // "2023/16300302"
  std::string entry;      // the entry's number, as `ledger journal` shows it
  std::string reference;  // the act that decides the correction
  std::string label;
};
Result<LineBalances> reverse_entry(Transaction& tx, const Context& ctx, const ReversalInput& in);

struct BudgetLineView {
  BudgetLine line;
  LineBalances balances;
};
Result<std::vector<BudgetLineView>> budget_overview(Transaction& tx, AuthorityId a,
                                                    std::optional<int> year);
Result<std::vector<LedgerEntry>> line_journal(Transaction& tx, AuthorityId a,
                                              const std::string& key);
// One line ("2023/16300302") with its balances, as budget_overview lists it.
Result<BudgetLineView> show_budget_line(Transaction& tx, AuthorityId a, const std::string& key);

struct LedgerDifference {
  BudgetLine line;
  LineBalances stored;
  LineBalances journal;  // the balances the journal adds up to
  std::string what;      // French
};
struct LedgerVerification {
  std::int64_t lines = 0;
  std::int64_t entries = 0;
  std::vector<LedgerDifference> differences;
};
// Recomputes every line's balances from its journal and checks the invariants.
LedgerVerification verify_ledger(Transaction& tx, AuthorityId a);

// ---- Committee sessions, reports and the vote ------------------------------------------------

struct ReportInput {
  std::string number;                       // "CP 2023-040"
  std::string title;                        // "Attractivité et aménagement économique"
  std::string body = "standing_committee";  // | "council" (or "cp" / "cr")
  std::string session_date;                 // "2023-01-25"
};
// Creates the report (and its session if it is the first report of that body on that date).
Result<Report> create_report(Transaction& tx, const Context& ctx, const ReportInput& in);

struct ArticleInput {
  std::string kind;  // "scheme_awards" | "tranche" | "direct" | "transfer"
  std::string title;
  std::string line;  // "2023/16300302"
  std::string amount;
  std::string scheme;                     // scheme_awards: "00001176"
  std::vector<std::string> applications;  // scheme_awards: "EX070162", ...
  std::string party;                      // tranche: beneficiary id; transfer: transferee id
  std::string planned_total;              // tranche: "9150000"
  std::string tranche_rate;               // tranche: "60"
  std::string application;                // transfer, amount_change, extension: "EX065392"
  std::string new_end;                    // extension: the new end of eligibility
};
// Appends an article to a draft report (refused once the report is adopted).
Result<Report> add_article(Transaction& tx, const Context& ctx, const std::string& number,
                           const ArticleInput& in);
// What a de minimis refusal offers when some room is left ("" otherwise): when `proposing`,
// " Proposez au plus la marge (110 000,00 €), avec le motif de la réduction."; at the vote,
// " Réduisez d'abord le montant proposé à la marge (…), avec son motif (action « réduction du
// montant proposé »)."
std::string reduce_to_room_offer(Money room, bool proposing);
// After the amount decided for dossier `app` fell by `decrease` (event reduce), each draft
// report's scheme_awards article that lists it falls by as much, audited ("report.follow_amount"):
// the article stays the sum of its dossiers' decided amounts.
void follow_decided_amount(Transaction& tx, const Context& ctx, const Application& app,
                           Money decrease);
// Removes article `position` ("2") of a draft report; the following articles move up. Refused
// once the report is adopted ("report.adopted") and for no such article ("article.unknown").
Result<Report> remove_article(Transaction& tx, const Context& ctx, const std::string& number,
                              const std::string& position);

struct ArticleView {
  Article article;
  BudgetLine line;
  std::string scheme_number;                  // scheme_awards
  std::vector<ApplicationView> applications;  // scheme_awards, transfer
  std::optional<Party> party;                 // tranche, transfer
};
// The AE/AP check of a draft report on one budget line: what its vote would allocate there,
// against what the line has left (voted minus allocated) now.
struct LineCheck {
  BudgetLine line;
  Money needed, available;
  bool enough = true;
};
struct ReportView {
  Report report;
  Session session;
  std::vector<ArticleView> articles;
  // Draft only: the vote played without being recorded (plan_vote), per line, and the refusal
  // the vote would meet now, if any (a state-aid ceiling is checked only at the vote).
  std::vector<LineCheck> checks;
  std::optional<Refusal> vote_refusal;
};
// The committee lowers the amount decided for a dossier of one of the draft report's articles
// (the reduce event: below the amount proposed, with a reason); the article's amount follows.
// Refused for a dossier of no article of the report (report.not_in_report).
Result<Application> decide_lower_amount(Transaction& tx, const Context& ctx,
                                        const std::string& number, const std::string& dossier,
                                        const std::string& amount, const std::string& reason);
Result<ReportView> show_report(Transaction& tx, AuthorityId a, const std::string& number);
Result<std::vector<Report>> list_reports(Transaction& tx, AuthorityId a);
// Committee sessions, newest first.
Result<std::vector<Session>> list_sessions(Transaction& tx, AuthorityId a);

struct AdoptionResult {
  Report report;
  bool already_adopted = false;  // the vote had been recorded before: nothing changed
  VotePlan plan;
};
// Records the report as adopted at its session's date: in this one transaction every
// allocation is posted, every dossier awarded, every transfer made — or, on any refusal,
// nothing at all. Recording the same vote again changes nothing (already_adopted).
Result<AdoptionResult> adopt_report(Transaction& tx, const Context& ctx, const std::string& number);

// ---- Audit trail -------------------------------------------------------------------------------

struct AuditVerification {
  std::int64_t entries = 0;
  std::vector<AuditProblem> problems;
  // The newest entry: keep (seq, hash) somewhere else (a signed report, another system) to
  // detect later that entries were removed from the end, which a chain alone cannot show.
  std::int64_t head_seq = 0;
  std::string head_hash;
};
AuditVerification verify_audit(Transaction& tx, AuthorityId a, Hasher& hasher);

// ---- The life of an award: agreement, payments, clawback, lapse, state aid -----------------

struct AgreementInput {
  std::string eligibility_start;  // default: the early-start date if granted, else the award date
  std::string eligibility_end;    // default: three years after the start
};
// Drafts the agreement of an awarded dossier from its scheme's model.
Result<Agreement> create_agreement(Transaction& tx, const Context& ctx, const std::string& number,
                                   const AgreementInput& in);

struct SignatureInput {
  std::string signatory;  // "beneficiary" | "authority"
  std::string on;         // date; "" = today
};
// Records a signature; the second one commits the award on its budget line (engagement).
Result<Agreement> sign_agreement(Transaction& tx, const Context& ctx, const std::string& number,
                                 const SignatureInput& in);

struct PaymentInput {
  std::string kind;                 // "advance" | "interim" | "balance"
  std::string amount;               // advance, interim
  std::string realised;             // interim, balance: realised eligible spending, or from lines
  std::vector<ExpenseInput> lines;  // the expense statement (état récapitulatif des dépenses)
  std::string on;                   // date; "" = today
  std::string reference;            // the payment order's reference; "" = generated
};
struct PaymentResult {
  PaymentRecord payment;
  PaymentDecision decision;
  Application application;  // closed when the balance is paid
};
// Pays an advance, an interim payment or the balance within the scheme's ceilings; the payment
// order is posted on the dossier's budget line (its CP). The balance is computed pro rata of the
// realised eligible spending; the part of the commitment that will not be paid is decommitted
// and released, what was paid beyond what is earned is ordered for recovery, and the dossier is
// closed. Refused before the agreement is signed.
Result<PaymentResult> request_payment(Transaction& tx, const Context& ctx,
                                      const std::string& number, const PaymentInput& in);
// What request_payment would pay, or its refusal, writing nothing (a claim on the portal is
// checked so, before an agent pays it).
Result<PaymentDecision> preview_payment(Transaction& tx, const Context& ctx,
                                        const std::string& number, const PaymentInput& in);

struct ClawbackInput {
  std::string amount;           // an explicit amount, or:
  bool pro_rata_years = false;  // what was paid, pro rata of the obligation's remaining years
  std::string on;               // date of the decision; "" = today
  std::string reason;
  std::string reference;  // the act: "CP 2024-123"
};
Result<ClawbackRecord> order_clawback(Transaction& tx, const Context& ctx,
                                      const std::string& number, const ClawbackInput& in);

struct LapseSweepItem {
  std::string number;
  LapseDecision decision;
};
// Applies the schemes' lapse rules at `as_of` to every awarded dossier: a lapsed dossier moves to
// "lapsed" and its unpaid allocation is decommitted and released (journal entries, audit).
// With dry_run, lists what would lapse and changes nothing.
Result<std::vector<LapseSweepItem>> lapse_sweep(Transaction& tx, const Context& ctx,
                                                const std::string& as_of, bool dry_run);

// The state-aid regime of a dossier: the one it was awarded under, else its scheme's.
AidRegime aid_regime_of(const Application& app, const AidScheme& scheme);

// De minimis cumulation for the dossier's single undertaking, with its stage ("instruction" or
// "vote"); stored in the dossier's checks and audited when `record` (a proposal, an instructor's
// recorded check), not when it is a what-if. Refused ("stateaid.not_de_minimis") when the
// scheme's regime is not de minimis.
// The grant date is the award's date when awarded, else `grant_date` (the day of the proposal,
// or the expected session), else today.
Result<StateAidCheckRecord> check_state_aid(Transaction& tx, const Context& ctx,
                                            const std::string& number, const std::string& stage,
                                            std::optional<Date> grant_date = std::nullopt,
                                            bool record = true);
Result<Done> link_parties(Transaction& tx, const Context& ctx, const std::string& controlling,
                          const std::string& controlled);
struct DeclaredAidInput {
  std::string party, regime, amount, granted_on, grantor;
};
Result<Done> declare_aid(Transaction& tx, const Context& ctx, const DeclaredAidInput& in);

Result<ConditionRecord> add_condition(Transaction& tx, const Context& ctx,
                                      const std::string& number, const std::string& label,
                                      const std::string& due_on);
Result<ConditionRecord> set_condition(Transaction& tx, const Context& ctx,
                                      const std::string& number, const std::string& condition_id,
                                      const std::string& status);
Result<Done> report_outcome(Transaction& tx, const Context& ctx, const std::string& number,
                            const std::string& indicator, const std::string& value,
                            const std::string& on);
// A scheme's outcome indicators summed over its dossiers: ("stagiaires recrutés", 7), ...
Result<std::vector<std::pair<std::string, std::int64_t>>> outcomes_summary(
    Transaction& tx, AuthorityId a, const std::string& scheme_number);

struct AwardView {
  ApplicationView dossier;
  std::optional<Agreement> agreement;
  std::vector<PaymentRecord> payments;
  Money paid;
  Money remaining;  // awarded, still to pay: 0 once the dossier is closed or lapsed
  std::vector<ClawbackRecord> clawbacks;
  std::vector<AmendmentRecord> amendments;
  std::vector<StateAidCheckRecord> state_aid_checks;
  std::vector<ConditionRecord> conditions;
  std::vector<OutcomeRecord> outcomes;
};
Result<AwardView> show_award(Transaction& tx, AuthorityId a, const std::string& number);
// Every award (dossiers awarded, closed or lapsed, at most 1 000 of each), by number, with the
// totals awarded, paid and still to pay.
struct AwardsOverview {
  std::vector<AwardView> awards;
  Money total_awarded, total_paid, total_remaining;
};
Result<AwardsOverview> list_awards(Transaction& tx, AuthorityId a);
// Every award (awarded, closed or lapsed dossiers), state by state, read a page of 1 000 at a
// time and handed to `f` one by one: for the exports, which must not stop at list_awards' cap.
Status for_each_award(Transaction& tx, AuthorityId a, const std::function<void(AwardView&&)>& f);

// ---- Private notes on a dossier (instructors' notes, never published) ----------------------

// Refuses an empty note, more than 10 000 characters, text that is not UTF-8, an unknown dossier.
Result<NoteRecord> add_note(Transaction& tx, const Context& ctx, const std::string& number,
                            const std::string& text);
Result<std::vector<NoteRecord>> notes_of_application(Transaction& tx, AuthorityId a,
                                                     const std::string& number);

// The official documents' data and use cases: app/documents.h.

// ---- The reference demonstration -----------------------------------------------------------

// Loads CP 2023-040 (the Île-de-France committee of 25 January 2023): the authority, the two
// schemes, the parties, the four dossiers with their financing plans, the budget lines of the
// four imputations with illustrative votes (the seed does not give them), the 2022 history of
// Casaco's award (report CP 2022-285, adopted), and report CP 2023-040 with its four articles,
// ready to be adopted — all through the use cases above. Refuses ("demo.exists") when the
// authority "idf" already exists.
struct DemoSummary {
  std::vector<std::string> applications;
};
// with_report = false stops before report CP 2023-040: its dossiers stay proposed to the
// committee and the 2023 lines voted, nothing allocated, for a clerk to compose it.
struct DemoOptions {
  bool with_report = true;
};
Result<DemoSummary> load_demo(Transaction& tx, const std::string& actor, Clock& clock,
                              const DemoOptions& options = {});

// After load_demo: adopts CP 2023-040 (the Casaco transfer among its articles) and plays the life
// of chèque numérique EX070158 — agreement signed by both parties (the commitment), a 30 %
// advance, the balance on an expense statement below the eligible base (pro rata), closure —
// with the illustrative payment ceilings of décret 2018-514 (the report does not give
// Île-de-France's).
struct DemoLife {
  AdoptionResult adoption;
  std::vector<PaymentResult> payments;
};
Result<DemoLife> play_demo_life(Transaction& tx, const std::string& actor, Clock& clock);

}  // namespace octroi
