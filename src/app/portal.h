// The applicant portal's use cases (issue 19): the applicants' accounts (sign-up, e-mail
// verification, password reset, sessions), the organisations they act for, the catalogue of open
// schemes, their dossiers (made with the same use cases as the agents', under the applicant's
// actor) and the acknowledgement of receipt of each submission.
//
// An applicant is never an agent: their accounts, sessions and codes are tables of their own, their
// Principal has the role Applicant (permissions.h: Apply only), and every use case below that reads
// or changes a dossier checks first that it is one of the applicant's (made on the portal, for a
// party the account acts for); another is "not found", whatever its number, so that nobody learns
// which numbers exist.
//
// E-mails are written to the outbox (outgoing_mail) in the transaction of the act that causes them;
// the MailSender (app/mail.h) sends them afterwards.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts.h"
#include "app/audit_chain.h"
#include "app/context.h"
#include "app/portal_settings.h"
#include "app/ports.h"
#include "app/ports/files.h"
#include "app/ports/portal.h"
#include "app/use_cases.h"
#include "core/result.h"

namespace octroi {

// The portal of a database serves one authority: the one of `code`, or the only one there is.
// "portal.authority" when the code names none, or none is given and there are several.
Result<Authority> portal_authority(Transaction& tx, const std::string& code);

// Who acts on the portal.
struct ApplicantContext {
  AuthorityId authority;
  std::int64_t account_id = 0;
  std::string email;
  Clock* clock = nullptr;
};
ApplicantContext applicant_context(const Principal& p, Clock& clock);
// The Context the agents' use cases run in on an applicant's behalf: actor "portail:<e-mail>",
// role Applicant (which gives no visa and instructs no service).
Context context_of(const ApplicantContext& ac);

// ---- accounts ------------------------------------------------------------------------------

// An address as the portal keeps it: trimmed, ASCII letters in lower case.
std::string normal_email(const std::string& email);
// "portal.email" for an address that is not one (checked on the normal form); nullopt if fine.
std::optional<Problem> email_problem(const std::string& email, const std::string& field);

struct SignUpInput {
  std::string email, display_name, password;
};
// Creates an unverified account and e-mails its verification link. An address that already has
// an account gets an e-mail saying so, and the caller the same answer (`created` tells which, for
// tests and the log only: pages must not show it).
struct SignUpOutcome {
  bool created = false;
  std::string email;
};
Result<SignUpOutcome> sign_up(Store& store, Clock& clock, AuthorityId a, const SignUpInput& in,
                              PasswordHasher& passwords, TokenSource& tokens, Hasher& sha256,
                              const PortalSettings& settings);
// Follows the link of the verification e-mail: "portal.code_invalid" for an unknown, used or
// expired code.
Result<ApplicantRecord> verify_applicant_email(Transaction& tx, Clock& clock, AuthorityId a,
                                               const std::string& code, Hasher& sha256);
// E-mails a reset link to the address if it has an account (at most codes_per_hour an hour); the
// same answer whether it has one or not.
Result<Done> request_password_reset(Transaction& tx, Clock& clock, AuthorityId a,
                                    const std::string& email, TokenSource& tokens, Hasher& sha256,
                                    const PortalSettings& settings);
// Sets a new password with the link's code, closes the account's sessions.
Result<ApplicantRecord> reset_applicant_password(Store& store, Clock& clock, AuthorityId a,
                                                 const std::string& code,
                                                 const std::string& password,
                                                 PasswordHasher& passwords, Hasher& sha256);

struct OpenedApplicantSession {
  std::string token;  // for the cookie; not stored
  ApplicantSessionRecord session;
  ApplicantRecord account;
};
// "auth.invalid" for an unknown address or a wrong password (as slow), "portal.unverified" for
// an account whose address is not verified yet. The password is checked in a read transaction.
Result<OpenedApplicantSession> applicant_sign_in(Store& store, Clock& clock, AuthorityId a,
                                                 const std::string& email,
                                                 const std::string& password,
                                                 PasswordHasher& passwords, TokenSource& tokens,
                                                 Hasher& sha256, const SessionPolicy& policy);
Result<Principal> principal_of_applicant_session(Transaction& tx, Clock& clock,
                                                 const std::string& token, Hasher& sha256,
                                                 const SessionPolicy& policy);
void touch_applicant_session(Transaction& tx, Clock& clock, const Principal& p);
void close_applicant_session(Transaction& tx, const std::string& token, Hasher& sha256);

// The news of the dossiers (messages, requests, decisions, payments) at once, or gathered in one
// e-mail a day (`digest`); receipts, codes and invitations always leave at once. Audited.
Result<ApplicantRecord> set_mail_digest(Transaction& tx, const ApplicantContext& ac, bool digest);

// ---- organisations -------------------------------------------------------------------------

struct OrganisationView {
  Party party;
  std::string role;                  // "owner" | "member"
  std::vector<std::string> members;  // their e-mails
};
std::vector<OrganisationView> organisations_of(Transaction& tx, const ApplicantContext& ac);
// Acts for the party of this SIRET (or RNA for an association without one): a party registered
// from `in` as an agent would (register_party's checks), whose owner the account becomes; or the
// party octroi already knows ("tell us once": nothing is asked again), which the account only
// claims: the claim ('pending') gives no right until an agent confirms it (confirm_applicant),
// since anyone can type a SIRET. A party with a member is joined only by invitation
// ("portal.has_members"). At most kInvitationsPerHour invitations an hour per account.
Result<OrganisationView> join_organisation(Transaction& tx, const ApplicantContext& ac,
                                           const PartyInput& in);
// The portal accounts that act for a party, or wait for it to be confirmed (an agent's view).
struct ApplicantOfParty {
  std::string email, display_name, role;  // role: "owner" | "member" | "pending"
  Instant since;
};
std::vector<ApplicantOfParty> applicants_of_party(Transaction& tx, AuthorityId a, PartyId party);
// An agent confirms that the account of `email` acts for the party it claimed: it becomes the
// party's owner (then invites the others). "portal.no_claim" without such a claim,
// "portal.has_members" when the party already has one. The applicant is told by e-mail.
Result<ApplicantOfParty> confirm_applicant(Transaction& tx, const Context& ctx,
                                           std::int64_t party_id, const std::string& email);
// A member invites an address to the organisation (an e-mail with a link, valid
// invitation_seconds).
Result<InvitationRecord> invite_member(Transaction& tx, const ApplicantContext& ac,
                                       std::int64_t party_id, const std::string& email,
                                       TokenSource& tokens, Hasher& sha256,
                                       const PortalSettings& settings);
// The owner removes a member (`email`), or a member leaves (`email` their own); the one who no
// longer acts for the organisation is told by e-mail, and sees none of its dossiers any more.
// "portal.not_found" (no organisation of the caller's), "portal.not_member" (no such member),
// "portal.not_owner" (a member removing another), "portal.owner_stays" (the owner leaving: the
// organisation would have nobody to answer for it).
Result<Done> remove_member(Transaction& tx, const ApplicantContext& ac, std::int64_t party_id,
                           const std::string& email);
// The invited account (its address must be the one invited) becomes a member.
Result<OrganisationView> accept_invitation(Transaction& tx, const ApplicantContext& ac,
                                           const std::string& code, Hasher& sha256);

// ---- the catalogue and the dossiers ---------------------------------------------------------

struct CatalogueEntry {
  AidScheme scheme;
  SchemePortalRecord portal;
  bool open = false;  // its window covers today
  std::string rule;   // the award rule in words
};
// The published schemes (open ones first), those whose name, number or eligibility contains each
// word of `query` (accents and case ignored).
std::vector<CatalogueEntry> portal_catalogue(Transaction& tx, AuthorityId a, Date today,
                                             const std::string& query);
Result<CatalogueEntry> portal_scheme(Transaction& tx, AuthorityId a, Date today,
                                     const std::string& number);

// What the portal shows agents to set, per scheme (web administration, CLI).
struct SchemePortalInput {
  bool published = false;
  std::string eligibility, documents, file_types, contact, max_file_bytes;
};
Result<SchemePortalRecord> set_scheme_portal(Transaction& tx, const Context& ctx,
                                             const std::string& scheme_number,
                                             const SchemePortalInput& in);

// What the applicant sees of a dossier of theirs.
struct PortalDossier {
  ApplicationView view;
  std::vector<ReceiptRecord> receipts;
  std::string state_label;  // as the applicant reads it ("brouillon", "en instruction"…)
  bool editable = false;    // draft, or returned for corrections
  std::string contact;      // the instructing service's e-mail and telephone (scheme's portal)
  std::vector<MessageRecord> messages;         // the exchange with the agents, oldest first
  std::vector<FileRecord> files;               // its pieces and the messages' files, oldest first
  std::vector<std::string> pieces;             // the documents the scheme asks for
  std::vector<std::string> missing;            // the required ones without a file yet
  std::optional<SchemePortalRecord> settings;  // the scheme's (types and size of files)
};
std::vector<PortalDossier> portal_dossiers(Transaction& tx, const ApplicantContext& ac);
// The applicant's dossier of this number: "portal.not_found" for a number that is not one of
// theirs (another organisation's, an agent's, none).
Result<Application> applicant_dossier(Transaction& tx, const ApplicantContext& ac,
                                      const std::string& number);
// "portal.not_found" for a number that is not one of the applicant's dossiers (or none at all).
Result<PortalDossier> portal_dossier(Transaction& tx, const ApplicantContext& ac,
                                     const std::string& number);
// A new draft for one of the applicant's organisations, on a published scheme open today.
Result<PortalDossier> portal_create_dossier(Transaction& tx, const ApplicantContext& ac,
                                            ApplicationInput in);
// Replaces the project and the plan of a draft (all or nothing).
Result<PortalDossier> portal_edit_dossier(Transaction& tx, const ApplicantContext& ac,
                                          const std::string& number, ApplicationInput in);
// Submits a draft: a file for each document the scheme requires ("portal.missing_files"), the
// workflow's submit (complete, balanced plan, scheme open), then the
// acknowledgement of receipt (CRPA L112-3) with the day an implicit rejection would follow
// (L231-4: two months), and its e-mail. Submitting a dossier already submitted answers the
// receipt of that submission (a double click submits once).
Result<PortalDossier> portal_submit(Transaction& tx, const ApplicantContext& ac,
                                    const std::string& number, const PortalSettings& settings);

// Tells the applicants of a portal dossier (the members of its party) by e-mail of what `event`
// did: corrections requested (with `reason`), instruction started, aid awarded or refused. Nothing
// for a dossier an agent made, nor for the other events.
// The links name ctx.portal's address when the context has one.
void notify_applicants(Transaction& tx, const Context& ctx, Instant at, const Application& app,
                       const std::string& event, const std::string& reason);

// Where a dossier came from, for the agents' page: made on the portal by `email`, with the
// acknowledgements of receipt of its submissions; nullopt for a dossier an agent made.
struct PortalOrigin {
  std::string email;
  std::vector<ReceiptRecord> receipts;
  std::vector<MessageRecord> messages;  // the exchange with its applicants, oldest first
  std::vector<FileRecord> files;        // the files its applicants gave, oldest first
};
std::optional<PortalOrigin> portal_origin(Transaction& tx, AuthorityId a, ApplicationId app);

// ---- the exchange about a dossier --------------------------------------------------------------

// The applicant writes to the agents about one of their dossiers (audited; shown on the dossier
// page of both sides).
Result<MessageRecord> portal_post_message(Transaction& tx, const ApplicantContext& ac,
                                          const std::string& number, const std::string& text);
// An agent who may change the dossier (check_instructing_service) answers its applicants; they
// are told by e-mail. Only a dossier made on the portal has applicants to write to
// ("message.not_portal").
Result<MessageRecord> post_agent_message(Transaction& tx, const Context& ctx,
                                         const std::string& number, const std::string& text);
Result<std::vector<MessageRecord>> dossier_messages(Transaction& tx, AuthorityId a,
                                                    const std::string& number);

// ---- after the decision: the agreement signed, payments claimed, outcomes reported ------------

// What the applicant sees of an award: the decision, the agreement and its terms, the signatures
// given on the portal, the payments and the claims, the conditions and the outcomes.
struct PortalAward {
  AwardView award;
  std::vector<SignatureRecord> signatures;
  std::vector<PaymentClaimRecord> claims;
  std::vector<std::string> terms;  // the agreement's terms as shown to be signed
  std::string terms_sha256;        // what a signature pins
  bool can_sign = false;           // an agreement the beneficiary has not signed yet
  bool can_claim = false;          // signed by both, not settled, no claim waiting
};
// "portal.not_found" for a dossier not theirs; "application.not_awarded" before the vote.
Result<PortalAward> portal_award(Transaction& tx, const ApplicantContext& ac,
                                 const std::string& number, Hasher& sha256);
// The applicant signs the agreement for their organisation (click-to-sign): `consent` is the
// box ticked, `terms_sha256` the terms the page showed ("agreement.terms_changed" when they
// changed since). Recorded with the account, its e-mail and name, the instant and the address;
// the agreement's beneficiary signature is dated today, and audited as the applicant's act.
struct PortalSignatureInput {
  bool consent = false;
  std::string terms_sha256;
  std::string remote_addr;
};
Result<SignatureRecord> portal_sign_agreement(Transaction& tx, const ApplicantContext& ac,
                                              const std::string& number,
                                              const PortalSignatureInput& in, Hasher& sha256);
// The applicant asks for a payment (an advance, an interim payment or the balance, with the
// expense statement of the last two). It is checked as the payment would be
// (preview_payment: the agreement signed, the scheme's ceilings) and waits for an agent
// ("payment_claim.pending" when one already does).
struct ClaimInput {
  std::string kind, amount, realised;
  std::vector<ExpenseInput> lines;
};
Result<PaymentClaimRecord> portal_claim_payment(Transaction& tx, const ApplicantContext& ac,
                                                const std::string& number, const ClaimInput& in);
// The applicant reports an outcome indicator (report_outcome), or declares a condition met.
Result<Done> portal_report_outcome(Transaction& tx, const ApplicantContext& ac,
                                   const std::string& number, const std::string& indicator,
                                   const std::string& value);
Result<ConditionRecord> portal_declare_condition(Transaction& tx, const ApplicantContext& ac,
                                                 const std::string& number,
                                                 const std::string& condition_id);
// An agent pays a claim waiting (request_payment with its request, dated `on`: "" for today) or
// refuses it with a reason; the applicants are told by e-mail. "payment_claim.not_found" for a
// claim of another dossier or one decided already.
Result<PaymentResult> pay_claim(Transaction& tx, const Context& ctx, const std::string& number,
                                std::int64_t claim_id, const std::string& on = "");
Result<PaymentClaimRecord> refuse_claim(Transaction& tx, const Context& ctx,
                                        const std::string& number, std::int64_t claim_id,
                                        const std::string& reason);
// The claims of a dossier (the agents' award page).
std::vector<PaymentClaimRecord> payment_claims(Transaction& tx, AuthorityId a, ApplicationId app);

// Two months after `received` (CRPA L231-4, computed as a calendar period: the same day two months
// later, or the month's last day when it has fewer days).
Date implicit_rejection_day(Date received);
// The non-empty lines of a text, trimmed.
std::vector<std::string> split_lines(const std::string& text);
// The state as the portal names it for the applicant.
std::string applicant_state_label(ApplicationState s);

}  // namespace octroi
