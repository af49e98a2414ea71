// Ports: what the use cases need from the outside world, as interfaces the adapters implement.
//
//   Store        opens transactions (SQLite adapter today; PostgreSQL later, same contract).
//   Transaction  one unit of work: reads and writes of the domain's aggregates, and the audit
//                trail. Nothing it writes is visible to others until commit(); destroying it
//                without commit() rolls everything back. A write transaction holds the
//                database's write lock from its start (BEGIN IMMEDIATE on SQLite), so what it
//                read cannot change under it.
//   Clock        the current time, so that the domain never reads a clock itself.
//
// Thread-safety: a Store may be shared by threads; a Transaction belongs to one thread.
// Infrastructure failures (disk full, database locked past the busy timeout, corrupt file) are
// thrown as StoreError; business refusals never come from here.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "domain/agreement/agreement.h"
#include "domain/application/application.h"
#include "domain/authority.h"
#include "domain/budget/ledger.h"
#include "domain/committee/report.h"
#include "domain/party/party.h"
#include "domain/scheme/aid_scheme.h"

namespace octroi {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One line of the audit trail: who changed what, when, with the business fields before and
// after (canonical JSON objects, "" when the entity did not exist or was removed). The store
// chains the lines of an authority by hash (app/audit_chain.h).
struct AuditEntry {
  std::int64_t seq = 0;  // assigned by the store
  AuthorityId authority;
  std::string at;  // ISO 8601 UTC timestamp
  std::string actor;
  std::string action;      // "application.create", "application.plan_edit", ...
  std::string entity;      // "application"
  std::string entity_key;  // "EX070158"
  std::string before;
  std::string after;
  std::int64_t authority_seq = 0;  // assigned by the store: 1, 2, 3... per authority
  std::string prev_hash;           // assigned by the store
  std::string hash;                // assigned by the store
};

// One step of a dossier's history.
struct ApplicationEventRecord {
  std::string at;
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

// ---- accounts, sessions and API tokens (the web application, issue 6)

// A person who logs in. The login is unique in the whole database (a shared platform serves
// several authorities); the user belongs to one authority and has one role.
struct UserRecord {
  std::int64_t id = 0;
  AuthorityId authority;
  std::string login;
  std::string display_name;
  std::string role;  // "administrator" | "instructor" | "approver" | "clerk" | "finance" | "reader"
  std::string service;        // the instructor's service ("" for other roles)
  std::string password_hash;  // argon2id, libsodium's crypto_pwhash_str format
  bool active = true;
  std::string created_at;  // ISO 8601 UTC
};

// A server-side login session (not a committee Session): the browser holds a random token, the
// database only its SHA-256.
struct LoginSessionRecord {
  std::string token_hash;
  std::int64_t user_id = 0;
  AuthorityId authority;
  std::string csrf_token;  // the synchronizer token every state-changing form carries
  std::string created_at, last_seen_at;
  std::string expires_at;  // absolute expiry; the idle expiry is counted from last_seen_at
};

// A bearer token for the API, scoped to a role and an authority; stored as its SHA-256 only.
struct ApiTokenRecord {
  std::int64_t id = 0;
  AuthorityId authority;
  std::string token_hash;
  std::string label;
  std::string role;
  std::string created_at;
  std::optional<std::string> revoked_at;
  std::string service;  // an instructor's token: the service whose dossiers it may change
};

// The answer given to a creating request sent with an Idempotency-Key, replayed when the same
// key comes again.
struct IdempotencyRecord {
  AuthorityId authority;
  std::string key;
  std::string request_hash;  // SHA-256 of method, path and body: the same key with another
                             // request is refused rather than replayed
  int status = 0;
  std::string response_body;
  std::string created_at;
};

// A private note on a dossier, for the instructors (never published).
struct NoteRecord {
  std::int64_t id = 0;
  ApplicationId application;
  std::string author;  // login
  std::string at;
  std::string text;
};

// One version of a document template an authority adopted (document_templates): a flat ODT
// (.fodt) with the act that adopted it and the dates it applies to. Append-only.
struct TemplateRecord {
  std::int64_t id = 0;
  AuthorityId authority;
  std::string name;        // "convention", "deliberation"… (DocumentKind's template name)
  int version = 0;         // 1, 2, 3… per authority and name; 0 is octroi's built-in template
  std::string adopted_by;  // "CP 2022-111"
  Date applies_from;
  std::optional<Date> applies_until;
  std::string content;  // the .fodt XML
  std::string sha256;   // of content
  std::string uploaded_by;
  std::string uploaded_at;
  std::string note;
};

// An award imported from a subsidy file (imported_awards): granted by another authority (or by
// this one before octroi) to a party. Append-only; import_key makes a re-import add nothing.
struct ImportedAwardRecord {
  std::int64_t id = 0;
  PartyId party;
  std::string import_key;         // SHA-256 (hex) of the line's meaning
  std::string grantor;            // nomAttribuant
  std::string grantor_id;         // its SIRET or SIREN as read, "" if none or damaged
  Date granted_on;                // dateConvention
  std::string reference;          // referenceDecision
  std::string object;             // objet
  Money amount;                   // montant: the whole award
  std::int64_t share_bp = 10000;  // pourcentageSubvention in basis points
  Money part;                     // this party's part: amount × share, rounded half up
  std::string nature, payment_terms, payment_period;
  AidRegime regime = AidRegime::None;
  std::string source;  // the file's name
  int source_line = 0;
  std::string imported_at, imported_by;
};

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
  std::int64_t limit = 100;  // capped at 1 000 by the store
  std::int64_t offset = 0;
  // Keyset paging for long walks (the exports): only the numbers after this one. An OFFSET
  // makes the store skip every row before it, which is quadratic over a million dossiers.
  std::string after_number;
};

class Transaction {
 public:
  virtual ~Transaction() = default;

  virtual std::optional<Authority> find_authority(const std::string& code) = 0;
  virtual std::vector<Authority> list_authorities() = 0;
  virtual AuthorityId insert_authority(const Authority& a) = 0;
  // Its name, SIRET, address and executive (the code never changes).
  virtual void update_authority(const Authority& a) = 0;

  virtual std::optional<AidScheme> find_scheme(AuthorityId a, const std::string& number) = 0;
  virtual std::optional<AidScheme> get_scheme(AuthorityId a, SchemeId id) = 0;
  virtual std::vector<AidScheme> list_schemes(AuthorityId a) = 0;
  virtual SchemeId insert_scheme(const AidScheme& s) = 0;
  virtual void update_scheme(const AidScheme& s) = 0;

  virtual std::optional<Party> get_party(AuthorityId a, PartyId id) = 0;
  virtual std::optional<Party> find_party_by_siren(AuthorityId a, const std::string& siren) = 0;
  virtual std::vector<Party> list_parties(AuthorityId a) = 0;
  virtual PartyId insert_party(const Party& p) = 0;

  virtual std::optional<Application> find_application(AuthorityId a, const std::string& number) = 0;
  virtual std::vector<Application> list_applications(AuthorityId a, const ApplicationFilter& f) = 0;
  // How many dossiers are in each state (states without any are left out).
  virtual std::vector<std::pair<ApplicationState, std::int64_t>> count_applications_by_state(
      AuthorityId a) = 0;
  // The highest numeric part of this authority's "EXnnnnnn" numbers, 0 if none.
  virtual std::int64_t max_application_number(AuthorityId a) = 0;
  virtual ApplicationId insert_application(const Application& app) = 0;
  // Replaces the dossier's fields (not its financing plan).
  virtual void update_application(const Application& app) = 0;
  // Replaces the dossier's whole financing plan.
  virtual void replace_plan(const Application& app) = 0;
  virtual void append_application_event(AuthorityId a, ApplicationId id,
                                        const ApplicationEventRecord& e) = 0;
  virtual std::vector<ApplicationEventRecord> application_history(AuthorityId a,
                                                                  ApplicationId id) = 0;

  virtual void append_beneficiary(AuthorityId a, ApplicationId id, const BeneficiaryRecord& r) = 0;
  virtual std::vector<BeneficiaryRecord> beneficiary_history(AuthorityId a, ApplicationId id) = 0;

  // ---- budget lines and the ledger
  virtual BudgetLineId insert_budget_line(const BudgetLine& l) = 0;
  virtual std::optional<BudgetLine> find_budget_line(AuthorityId a, int year,
                                                     const std::string& action) = 0;
  virtual std::optional<BudgetLine> get_budget_line(AuthorityId a, BudgetLineId id) = 0;
  virtual std::vector<BudgetLine> list_budget_lines(AuthorityId a, std::optional<int> year) = 0;
  virtual LineBalances line_balances(AuthorityId a, BudgetLineId id) = 0;
  // Appends the entry and adds its effect to the line's balances, in this transaction. The
  // database refuses (StoreError) a balance that breaks the ledger's invariants, whatever the
  // caller checked: callers check first with apply_movement so that users get a refusal.
  virtual LedgerEntryId post_ledger_entry(const LedgerEntry& e) = 0;
  // The line's journal in order; reversal entries carry the kind they undo.
  virtual std::vector<LedgerEntry> ledger_journal(AuthorityId a, BudgetLineId id) = 0;
  virtual std::optional<LedgerEntry> get_ledger_entry(AuthorityId a, LedgerEntryId id) = 0;

  // ---- committee
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
  virtual void mark_report_adopted(AuthorityId a, ReportId r, const Date& on) = 0;
  virtual std::optional<Application> get_application(AuthorityId a, ApplicationId id) = 0;

  // ---- the life of an award
  virtual std::optional<BudgetLineId> allocation_line(AuthorityId a, ApplicationId id) = 0;
  virtual std::optional<Agreement> find_agreement(AuthorityId a, ApplicationId id) = 0;
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

  // ---- accounts, sessions, API tokens, idempotency, notes
  virtual std::int64_t insert_user(const UserRecord& u) = 0;
  // By login, whatever the authority (logins are unique in the database).
  virtual std::optional<UserRecord> find_user(const std::string& login) = 0;
  virtual std::optional<UserRecord> get_user(AuthorityId a, std::int64_t id) = 0;
  virtual std::vector<UserRecord> list_users(AuthorityId a) = 0;
  virtual void update_user_password(AuthorityId a, std::int64_t id, const std::string& hash) = 0;
  virtual void insert_login_session(const LoginSessionRecord& s) = 0;
  virtual std::optional<LoginSessionRecord> find_login_session(const std::string& token_hash) = 0;
  virtual void touch_login_session(const std::string& token_hash, const std::string& at) = 0;
  virtual void delete_login_session(const std::string& token_hash) = 0;
  // Every session of the user (after a password change, or when the account is disabled).
  virtual void delete_login_sessions_of(AuthorityId a, std::int64_t user_id) = 0;
  virtual std::int64_t insert_api_token(const ApiTokenRecord& t) = 0;
  virtual std::optional<ApiTokenRecord> find_api_token(const std::string& token_hash) = 0;
  virtual std::vector<ApiTokenRecord> list_api_tokens(AuthorityId a) = 0;
  // False when there is no such token or it was already revoked.
  virtual bool revoke_api_token(AuthorityId a, std::int64_t id, const std::string& at) = 0;
  virtual std::optional<IdempotencyRecord> find_idempotency(AuthorityId a,
                                                            const std::string& key) = 0;
  virtual void insert_idempotency(const IdempotencyRecord& r) = 0;
  virtual std::int64_t insert_note(AuthorityId a, const NoteRecord& n) = 0;
  virtual std::vector<NoteRecord> notes_of(AuthorityId a, ApplicationId id) = 0;
  // ---- imported awards (append-only)
  virtual bool imported_award_exists(AuthorityId a, const std::string& import_key) = 0;
  virtual std::int64_t insert_imported_award(AuthorityId a, const ImportedAwardRecord& r) = 0;
  // A party's imported awards, newest first (at most 10 000).
  virtual std::vector<ImportedAwardRecord> imported_awards_of(AuthorityId a, PartyId p) = 0;
  // A dossier read back from a legacy deliberation's text: its source, line, printed amount.
  virtual void insert_imported_application(AuthorityId a, ApplicationId id,
                                           const std::string& source, int line,
                                           Money printed_amount, const std::string& at,
                                           const std::string& actor) = 0;
  // ---- document templates (append-only versions)
  virtual std::int64_t insert_template(const TemplateRecord& t) = 0;
  // The versions of `name` ("" for every name), by name then version; `with_content` false leaves
  // content empty (listings).
  virtual std::vector<TemplateRecord> list_templates(AuthorityId a, const std::string& name,
                                                     bool with_content) = 0;

  // ---- audit trail
  // Assigns seq, authority_seq, prev_hash and hash, then appends.
  virtual void append_audit(const AuditEntry& e) = 0;
  // The latest `limit` entries, newest first.
  virtual std::vector<AuditEntry> list_audit(AuthorityId a, std::int64_t limit) = 0;
  // The entries about one entity ("application", "EX070158"), oldest first.
  virtual std::vector<AuditEntry> audit_of(AuthorityId a, const std::string& entity,
                                           const std::string& key) = 0;
  // Every entry of the authority, oldest first, as stored (for verification).
  virtual std::vector<AuditEntry> audit_trail(AuthorityId a) = 0;

  // Makes every write of this transaction durable and visible. Throws StoreError on failure,
  // in which case nothing was written.
  virtual void commit() = 0;
};

enum class TxMode { Read, Write };

class Store {
 public:
  virtual ~Store() = default;
  virtual std::unique_ptr<Transaction> begin(TxMode mode) = 0;
};

// Passwords are stored as slow, salted hashes (argon2id); the hasher bounds how many run at once
// (each takes 64 MiB).
class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  virtual std::string hash(std::string_view password) = 0;
  virtual bool verify(const std::string& hash, std::string_view password) = 0;
};

// Unguessable tokens (sessions, CSRF, API): 256 random bits as 64 hexadecimal characters.
class TokenSource {
 public:
  virtual ~TokenSource() = default;
  virtual std::string token() = 0;
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::string now_iso() = 0;  // "2023-01-25T10:15:00Z"
  virtual Date today() = 0;
};

}  // namespace octroi
