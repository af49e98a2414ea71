// The applicant portal (issue 19): applicants' accounts and sessions, the one-time codes sent to
// them, the organisations they act for, the dossiers they created, the acknowledgements of
// receipt of their submissions, and the e-mail outbox.
// Part of the Transaction port (app/ports.h): reached as tx.portal(); the same thread-safety
// and failure contract (StoreError) as every port of a transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/instant.h"
#include "core/money.h"
#include "domain/ids.h"

namespace octroi {

// A person who applies, never an agent.
struct ApplicantRecord {
  std::int64_t id = 0;
  AuthorityId authority;
  std::string email;  // lower case
  std::string display_name;
  std::string password_hash;  // argon2id
  std::optional<Instant> verified_at;
  bool active = true;
  Instant created_at;
  bool mail_digest = false;  // the dossiers' news once a day rather than at once
};

struct ApplicantSessionRecord {
  std::string token_hash;
  std::int64_t account_id = 0;
  AuthorityId authority;
  std::string csrf_token;
  Instant created_at, last_seen_at, expires_at;
};

// A code sent by e-mail, stored as its SHA-256: "verify" (the address) or "reset" (password).
struct ApplicantCodeRecord {
  std::string code_hash;
  AuthorityId authority;
  std::int64_t account_id = 0;
  std::string purpose;
  Instant created_at, expires_at;
  std::optional<Instant> used_at;
};

// An account acting for an organisation: its owner (the first) or a member it invited.
struct MembershipRecord {
  std::int64_t account_id = 0;
  PartyId party;
  AuthorityId authority;
  std::string role;  // "owner" | "member" | "pending" (a claim an agent has not confirmed)
  Instant since;
  std::optional<std::int64_t> invited_by;
};

struct InvitationRecord {
  std::int64_t id = 0;
  AuthorityId authority;
  PartyId party;
  std::string email;
  std::string code_hash;
  std::int64_t invited_by = 0;
  Instant created_at, expires_at;
  std::optional<Instant> accepted_at;
  std::optional<std::int64_t> accepted_by;
};

// The acknowledgement of receipt of one submission of a dossier (round 1, then one per
// resubmission after a correction).
struct ReceiptRecord {
  ApplicationId application;
  AuthorityId authority;
  int round = 1;
  Instant received_at;
  Date implicit_rejection_on;
  std::optional<std::int64_t> account_id;
};

// An e-mail waiting in the outbox, or sent.
struct MailRecord {
  std::int64_t id = 0;
  AuthorityId authority;
  std::string recipient, subject, body;
  Instant created_at;
  int attempts = 0;
  Instant next_attempt_at;
  std::optional<Instant> sent_at;
  std::string last_error;
  bool digest = false;  // part of its recipient's daily digest
};

// What the portal shows of a scheme and asks with it (none: the scheme is not on the portal).
struct SchemePortalRecord {
  SchemeId scheme;
  AuthorityId authority;
  bool published = false;
  std::string eligibility;  // in words, several lines
  std::string documents;    // the documents required, one per line
  std::string file_types;   // MIME types accepted, one per line
  std::string contact;      // the service's e-mail and telephone, for the receipts (R112-5)
  std::int64_t max_file_bytes = 10 * 1024 * 1024;
};

// A message of a dossier's exchange between its applicants and the agents.
struct MessageRecord {
  std::int64_t id = 0;
  AuthorityId authority;
  ApplicationId application;
  std::string author_kind;  // "applicant" | "agent"
  std::string author;       // the applicant's e-mail, or the agent's actor ("web:login"…)
  std::optional<std::int64_t> applicant_account_id;
  Instant at;
  std::string text;
};

// How a party signed an agreement on the portal (click-to-sign): who, when, from where, and the
// SHA-256 of the terms shown. `method` "click" (room for a qualified e-signature provider).
struct SignatureRecord {
  std::int64_t id = 0;
  AuthorityId authority;
  ApplicationId application;
  std::string signatory = "beneficiary";
  std::string method = "click";
  std::int64_t applicant_account_id = 0;
  std::string email, display_name;
  Instant signed_at;
  std::string remote_addr;
  std::string terms_sha256;
  std::string terms;  // the text shown and signed, one term a line
};

// A payment an applicant asks for, with its expense statement; paid or refused by an agent.
struct ClaimLine {
  std::string label;
  Money amount;
  bool eligible = true;
};
struct PaymentClaimRecord {
  std::int64_t id = 0;
  AuthorityId authority;
  ApplicationId application;
  std::string kind;               // "advance" | "interim" | "balance"
  std::optional<Money> amount;    // asked (advance, interim)
  std::optional<Money> realised;  // realised eligible spending declared (interim, balance)
  std::int64_t applicant_account_id = 0;
  Instant claimed_at;
  std::string state = "pending";  // "pending" | "paid" | "refused"
  std::optional<std::int64_t> payment_id;
  std::optional<Instant> decided_at;
  std::optional<std::string> decided_by;
  std::string reason;
  std::vector<ClaimLine> lines;
};

class PortalPort {
 public:
  virtual ~PortalPort() = default;

  virtual std::int64_t insert_applicant(const ApplicantRecord& r) = 0;
  virtual std::optional<ApplicantRecord> find_applicant(AuthorityId a,
                                                        const std::string& email) = 0;
  // Any authority's (a session names its account).
  virtual std::optional<ApplicantRecord> get_applicant(std::int64_t id) = 0;
  virtual void set_applicant_verified(AuthorityId a, std::int64_t id, Instant at) = 0;
  virtual void set_applicant_password(AuthorityId a, std::int64_t id, const std::string& hash) = 0;
  virtual void set_applicant_digest(AuthorityId a, std::int64_t id, bool digest) = 0;

  virtual void insert_applicant_session(const ApplicantSessionRecord& s) = 0;
  virtual std::optional<ApplicantSessionRecord> find_applicant_session(
      const std::string& token_hash) = 0;
  virtual void touch_applicant_session(AuthorityId a, const std::string& token_hash,
                                       Instant at) = 0;
  virtual void delete_applicant_session(AuthorityId a, const std::string& token_hash) = 0;
  virtual void delete_applicant_sessions_of(AuthorityId a, std::int64_t account_id) = 0;

  virtual void insert_code(const ApplicantCodeRecord& c) = 0;
  virtual std::optional<ApplicantCodeRecord> find_code(const std::string& code_hash) = 0;
  // Marks it used; false when it already was (two clicks on one link: one wins).
  virtual bool use_code(AuthorityId a, const std::string& code_hash, Instant at) = 0;
  // Codes of the account for `purpose` made since `since` (a bound on e-mails sent).
  // Marks every unused code of the account for `purpose` used (a reset done: the other links die).
  virtual void use_codes_of(AuthorityId a, std::int64_t account_id, const std::string& purpose,
                            Instant at) = 0;
  virtual std::int64_t count_codes_since(AuthorityId a, std::int64_t account_id,
                                         const std::string& purpose, Instant since) = 0;

  virtual void insert_membership(const MembershipRecord& m) = 0;
  virtual std::vector<MembershipRecord> memberships_of(AuthorityId a, std::int64_t account_id) = 0;
  virtual std::vector<MembershipRecord> members_of(AuthorityId a, PartyId party) = 0;
  // False when the account had no membership of the party.
  virtual bool delete_membership(AuthorityId a, std::int64_t account_id, PartyId party) = 0;
  virtual void set_membership_role(AuthorityId a, std::int64_t account_id, PartyId party,
                                   const std::string& role) = 0;
  virtual std::int64_t count_invitations_since(AuthorityId a, std::int64_t account_id,
                                               Instant since) = 0;

  virtual std::int64_t insert_invitation(const InvitationRecord& r) = 0;
  virtual std::optional<InvitationRecord> find_invitation(const std::string& code_hash) = 0;
  virtual bool accept_invitation(AuthorityId a, std::int64_t id, std::int64_t account_id,
                                 Instant at) = 0;

  virtual void insert_portal_dossier(AuthorityId a, ApplicationId app, std::int64_t account_id,
                                     Instant at) = 0;
  // The dossiers made on the portal for the parties the account acts for, newest first (at most
  // `limit`): what an applicant sees, and nothing else (agents' dossiers of the party are not).
  virtual std::vector<ApplicationId> dossiers_of_account(AuthorityId a, std::int64_t account_id,
                                                         int limit) = 0;
  virtual bool dossier_of_account(AuthorityId a, std::int64_t account_id, ApplicationId app) = 0;
  // The account that made the dossier on the portal; nullopt for a dossier an agent made.
  virtual std::optional<std::int64_t> portal_dossier_account(AuthorityId a, ApplicationId app) = 0;

  virtual void insert_receipt(const ReceiptRecord& r) = 0;
  virtual std::vector<ReceiptRecord> receipts_of(AuthorityId a, ApplicationId app) = 0;

  virtual std::optional<SchemePortalRecord> scheme_portal(AuthorityId a, SchemeId s) = 0;
  virtual void put_scheme_portal(const SchemePortalRecord& r) = 0;  // inserts or replaces

  virtual std::int64_t insert_message(const MessageRecord& m) = 0;
  virtual std::vector<MessageRecord> messages_of(AuthorityId a, ApplicationId app) = 0;

  virtual std::int64_t insert_signature(const SignatureRecord& s) = 0;
  virtual std::vector<SignatureRecord> signatures_of(AuthorityId a, ApplicationId app) = 0;
  // Inserts the claim and its lines. Throws StoreError (a constraint) when the dossier already
  // has a claim pending.
  virtual std::int64_t insert_claim(const PaymentClaimRecord& c) = 0;
  // The dossier's claims, oldest first, with their lines.
  virtual std::vector<PaymentClaimRecord> claims_of(AuthorityId a, ApplicationId app) = 0;
  // Decides a pending claim: false when it was not pending any more (decided by another).
  virtual bool decide_claim(const PaymentClaimRecord& decided) = 0;

  virtual std::int64_t insert_mail(const MailRecord& m) = 0;
  // Unsent e-mails due at `now`, oldest first, of every authority; one that failed 12 times (about
  // ten hours of retries) is given up: it stays in the outbox with its last error.
  virtual std::vector<MailRecord> due_mail(Instant now, int limit) = 0;
  // Takes a due e-mail for sending until `lease_until` (its next attempt moves there): false when
  // another sender took it first or it was sent.
  virtual bool claim_mail(AuthorityId a, std::int64_t id, Instant now, Instant lease_until) = 0;
  virtual void mark_mail_sent(AuthorityId a, std::int64_t id, Instant at) = 0;
  // The unsent e-mails of `recipient`'s digest, oldest first.
  virtual std::vector<MailRecord> pending_digest(AuthorityId a, const std::string& recipient) = 0;
  virtual void mark_mail_failed(AuthorityId a, std::int64_t id, const std::string& error,
                                Instant next_attempt) = 0;
  // The newest e-mails sent or waiting for `recipient` (tests, the account page).
  virtual std::vector<MailRecord> mail_to(AuthorityId a, const std::string& recipient,
                                          int limit) = 0;
};

}  // namespace octroi
