// The portal port (app/ports/portal.h) over sql::Connection.
#include <string>
#include <vector>

#include "adapters/sql/row.h"
#include "adapters/sql/tx_context.h"
#include "app/ports/portal.h"

namespace octroi::sql {
namespace {

constexpr const char* kApplicantColumns =
    "id, authority_id, email, display_name, password_hash, verified_at, active, created_at, "
    "mail_digest";
constexpr const char* kSessionColumns =
    "token_hash, account_id, authority_id, csrf_token, created_at, last_seen_at, expires_at";
constexpr const char* kCodeColumns =
    "code_hash, authority_id, account_id, purpose, created_at, expires_at, used_at";
constexpr const char* kMembershipColumns =
    "account_id, party_id, authority_id, role, since, invited_by";
constexpr const char* kInvitationColumns =
    "id, authority_id, party_id, email, code_hash, invited_by, created_at, expires_at, "
    "accepted_at, accepted_by";
constexpr const char* kReceiptColumns =
    "application_id, authority_id, round, received_at, implicit_rejection_on, account_id";
constexpr const char* kMailColumns =
    "id, authority_id, recipient, subject, body, created_at, attempts, next_attempt_at, sent_at, "
    "last_error, digest";

ApplicantRecord applicant_row(Statement& st) {
  Row r(st);
  ApplicantRecord a;
  a.id = r.int64();
  a.authority = r.id<AuthorityId>();
  a.email = r.text();
  a.display_name = r.text();
  a.password_hash = r.text();
  a.verified_at = r.opt_instant();
  a.active = r.flag();
  a.created_at = r.instant();
  a.mail_digest = r.flag();
  return a;
}

MembershipRecord membership_row(Statement& st) {
  Row r(st);
  MembershipRecord m;
  m.account_id = r.int64();
  m.party = r.id<PartyId>();
  m.authority = r.id<AuthorityId>();
  m.role = r.text();
  m.since = r.instant();
  m.invited_by = r.opt_int64();
  return m;
}

MailRecord mail_row(Statement& st) {
  Row r(st);
  MailRecord m;
  m.id = r.int64();
  m.authority = r.id<AuthorityId>();
  m.recipient = r.text();
  m.subject = r.text();
  m.body = r.text();
  m.created_at = r.instant();
  m.attempts = r.integer();
  m.next_attempt_at = r.instant();
  m.sent_at = r.opt_instant();
  m.last_error = r.text();
  m.digest = r.flag();
  return m;
}

// The dossiers an applicant sees: those made on the portal, of a party the account acts for
// (parameters: the authority, the account).
constexpr const char* kVisibleDossiers =
    "FROM portal_dossiers pd JOIN applications ap ON ap.id = pd.application_id AND "
    "ap.authority_id = pd.authority_id JOIN applicant_memberships m ON m.party_id = ap.party_id "
    "AND m.authority_id = ap.authority_id AND m.role <> 'pending' WHERE pd.authority_id = ? AND "
    "m.account_id = ? ";

class SqlPortal final : public PortalPort {
 public:
  explicit SqlPortal(TxContext& t) : t_(t) {}

  std::int64_t insert_applicant(const ApplicantRecord& a) override {
    t_.scope(a.authority);
    return Params(t_.c.prepare("INSERT INTO applicant_accounts (authority_id, email, display_name, "
                               "password_hash, verified_at, active, created_at) "
                               "VALUES (?,?,?,?,?,?,?) RETURNING id"))
        .add(a.authority)
        .add(a.email)
        .add(a.display_name)
        .add(a.password_hash)
        .add(a.verified_at)
        .add(a.active)
        .add(a.created_at)
        .run_returning_id();
  }

  std::optional<ApplicantRecord> find_applicant(AuthorityId a, const std::string& email) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kApplicantColumns +
                           " FROM applicant_accounts WHERE authority_id = ? AND email = ?");
    Params(st).add(a).add(email);
    if (!st.step()) return std::nullopt;
    return applicant_row(st);
  }

  std::optional<ApplicantRecord> get_applicant(std::int64_t id) override {
    auto st = t_.c.prepare(std::string("SELECT ") + kApplicantColumns +
                           " FROM applicant_accounts WHERE id = ?");
    Params(st).add(id);
    if (!st.step()) return std::nullopt;
    return applicant_row(st);
  }

  void set_applicant_verified(AuthorityId a, std::int64_t id, Instant at) override {
    t_.scope(a);
    Params(t_.c.prepare("UPDATE applicant_accounts SET verified_at = ? WHERE authority_id = ? "
                        "AND id = ? AND verified_at IS NULL"))
        .add(at)
        .add(a)
        .add(id)
        .run();
  }

  void set_applicant_password(AuthorityId a, std::int64_t id, const std::string& hash) override {
    t_.scope(a);
    Params(t_.c.prepare(
               "UPDATE applicant_accounts SET password_hash = ? WHERE authority_id = ? AND id = ?"))
        .add(hash)
        .add(a)
        .add(id)
        .run();
    if (t_.c.changes() != 1) throw StoreError("applicant account not found");
  }

  void insert_applicant_session(const ApplicantSessionRecord& s) override {
    t_.scope(s.authority);
    Params(t_.c.prepare(std::string("INSERT INTO applicant_sessions (") + kSessionColumns +
                        ") VALUES (?,?,?,?,?,?,?)"))
        .add(s.token_hash)
        .add(s.account_id)
        .add(s.authority)
        .add(s.csrf_token)
        .add(s.created_at)
        .add(s.last_seen_at)
        .add(s.expires_at)
        .run();
  }

  std::optional<ApplicantSessionRecord> find_applicant_session(
      const std::string& token_hash) override {
    auto st = t_.c.prepare(std::string("SELECT ") + kSessionColumns +
                           " FROM applicant_sessions WHERE token_hash = ?");
    Params(st).add(token_hash);
    if (!st.step()) return std::nullopt;
    Row r(st);
    ApplicantSessionRecord s;
    s.token_hash = r.text();
    s.account_id = r.int64();
    s.authority = r.id<AuthorityId>();
    s.csrf_token = r.text();
    s.created_at = r.instant();
    s.last_seen_at = r.instant();
    s.expires_at = r.instant();
    return s;
  }

  void touch_applicant_session(AuthorityId a, const std::string& token_hash, Instant at) override {
    t_.scope(a);
    Params(t_.c.prepare("UPDATE applicant_sessions SET last_seen_at = ? WHERE authority_id = ? "
                        "AND token_hash = ?"))
        .add(at)
        .add(a)
        .add(token_hash)
        .run();
  }

  void delete_applicant_session(AuthorityId a, const std::string& token_hash) override {
    t_.scope(a);
    Params(t_.c.prepare("DELETE FROM applicant_sessions WHERE authority_id = ? AND token_hash = ?"))
        .add(a)
        .add(token_hash)
        .run();
  }

  bool delete_membership(AuthorityId a, std::int64_t account_id, PartyId party) override {
    t_.scope(a);
    Params(t_.c.prepare("DELETE FROM applicant_memberships WHERE authority_id = ? AND "
                        "account_id = ? AND party_id = ?"))
        .add(a)
        .add(account_id)
        .add(party)
        .run();
    return t_.c.changes() == 1;
  }

  void delete_applicant_sessions_of(AuthorityId a, std::int64_t account_id) override {
    t_.scope(a);
    Params(t_.c.prepare("DELETE FROM applicant_sessions WHERE authority_id = ? AND account_id = ?"))
        .add(a)
        .add(account_id)
        .run();
  }

  void insert_code(const ApplicantCodeRecord& c) override {
    t_.scope(c.authority);
    Params(t_.c.prepare(std::string("INSERT INTO applicant_codes (") + kCodeColumns +
                        ") VALUES (?,?,?,?,?,?,?)"))
        .add(c.code_hash)
        .add(c.authority)
        .add(c.account_id)
        .add(c.purpose)
        .add(c.created_at)
        .add(c.expires_at)
        .add(c.used_at)
        .run();
  }

  std::optional<ApplicantCodeRecord> find_code(const std::string& code_hash) override {
    auto st = t_.c.prepare(std::string("SELECT ") + kCodeColumns +
                           " FROM applicant_codes WHERE code_hash = ?");
    Params(st).add(code_hash);
    if (!st.step()) return std::nullopt;
    Row r(st);
    ApplicantCodeRecord c;
    c.code_hash = r.text();
    c.authority = r.id<AuthorityId>();
    c.account_id = r.int64();
    c.purpose = r.text();
    c.created_at = r.instant();
    c.expires_at = r.instant();
    c.used_at = r.opt_instant();
    return c;
  }

  bool use_code(AuthorityId a, const std::string& code_hash, Instant at) override {
    t_.scope(a);
    Params(t_.c.prepare("UPDATE applicant_codes SET used_at = ? WHERE authority_id = ? AND "
                        "code_hash = ? AND used_at IS NULL"))
        .add(at)
        .add(a)
        .add(code_hash)
        .run();
    return t_.c.changes() == 1;
  }

  void use_codes_of(AuthorityId a, std::int64_t account_id, const std::string& purpose,
                    Instant at) override {
    t_.scope(a);
    Params(t_.c.prepare("UPDATE applicant_codes SET used_at = ? WHERE authority_id = ? AND "
                        "account_id = ? AND purpose = ? AND used_at IS NULL"))
        .add(at)
        .add(a)
        .add(account_id)
        .add(purpose)
        .run();
  }

  std::int64_t count_codes_since(AuthorityId a, std::int64_t account_id, const std::string& purpose,
                                 Instant since) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT count(*) FROM applicant_codes WHERE authority_id = ? AND account_id = ? AND "
        "purpose = ? AND created_at >= ?");
    Params(st).add(a).add(account_id).add(purpose).add(since);
    st.step();
    return Row(st).int64();
  }

  void insert_membership(const MembershipRecord& m) override {
    t_.scope(m.authority);
    Params(t_.c.prepare(std::string("INSERT INTO applicant_memberships (") + kMembershipColumns +
                        ") VALUES (?,?,?,?,?,?)"))
        .add(m.account_id)
        .add(m.party)
        .add(m.authority)
        .add(m.role)
        .add(m.since)
        .add(m.invited_by)
        .run();
  }

  std::vector<MembershipRecord> memberships_of(AuthorityId a, std::int64_t account_id) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kMembershipColumns +
                           " FROM applicant_memberships WHERE authority_id = ? AND account_id = ? "
                           "ORDER BY since, party_id LIMIT 1000");
    Params(st).add(a).add(account_id);
    std::vector<MembershipRecord> out;
    while (st.step())
      out.push_back(membership_row(st));
    return out;
  }

  std::vector<MembershipRecord> members_of(AuthorityId a, PartyId party) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kMembershipColumns +
                           " FROM applicant_memberships WHERE authority_id = ? AND party_id = ? "
                           "ORDER BY since, account_id LIMIT 1000");
    Params(st).add(a).add(party);
    std::vector<MembershipRecord> out;
    while (st.step())
      out.push_back(membership_row(st));
    return out;
  }

  void set_membership_role(AuthorityId a, std::int64_t account_id, PartyId party,
                           const std::string& role) override {
    t_.scope(a);
    Params(t_.c.prepare("UPDATE applicant_memberships SET role = ? WHERE authority_id = ? AND "
                        "account_id = ? AND party_id = ?"))
        .add(role)
        .add(a)
        .add(account_id)
        .add(party)
        .run();
    if (t_.c.changes() != 1) throw StoreError("membership not found");
  }

  std::int64_t count_invitations_since(AuthorityId a, std::int64_t account_id,
                                       Instant since) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT count(*) FROM applicant_invitations WHERE authority_id = ? AND invited_by = ? AND "
        "created_at >= ?");
    Params(st).add(a).add(account_id).add(since);
    st.step();
    return Row(st).int64();
  }

  std::int64_t insert_invitation(const InvitationRecord& i) override {
    t_.scope(i.authority);
    return Params(t_.c.prepare("INSERT INTO applicant_invitations (authority_id, party_id, email, "
                               "code_hash, invited_by, created_at, expires_at) "
                               "VALUES (?,?,?,?,?,?,?) RETURNING id"))
        .add(i.authority)
        .add(i.party)
        .add(i.email)
        .add(i.code_hash)
        .add(i.invited_by)
        .add(i.created_at)
        .add(i.expires_at)
        .run_returning_id();
  }

  std::optional<InvitationRecord> find_invitation(const std::string& code_hash) override {
    auto st = t_.c.prepare(std::string("SELECT ") + kInvitationColumns +
                           " FROM applicant_invitations WHERE code_hash = ?");
    Params(st).add(code_hash);
    if (!st.step()) return std::nullopt;
    Row r(st);
    InvitationRecord i;
    i.id = r.int64();
    i.authority = r.id<AuthorityId>();
    i.party = r.id<PartyId>();
    i.email = r.text();
    i.code_hash = r.text();
    i.invited_by = r.int64();
    i.created_at = r.instant();
    i.expires_at = r.instant();
    i.accepted_at = r.opt_instant();
    i.accepted_by = r.opt_int64();
    return i;
  }

  bool accept_invitation(AuthorityId a, std::int64_t id, std::int64_t account_id,
                         Instant at) override {
    t_.scope(a);
    Params(t_.c.prepare("UPDATE applicant_invitations SET accepted_at = ?, accepted_by = ? "
                        "WHERE authority_id = ? AND id = ? AND accepted_at IS NULL"))
        .add(at)
        .add(account_id)
        .add(a)
        .add(id)
        .run();
    return t_.c.changes() == 1;
  }

  void insert_portal_dossier(AuthorityId a, ApplicationId app, std::int64_t account_id,
                             Instant at) override {
    t_.scope(a);
    Params(t_.c.prepare("INSERT INTO portal_dossiers (application_id, authority_id, account_id, "
                        "created_at) VALUES (?,?,?,?)"))
        .add(app)
        .add(a)
        .add(account_id)
        .add(at)
        .run();
  }

  std::vector<ApplicationId> dossiers_of_account(AuthorityId a, std::int64_t account_id,
                                                 int limit) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ap.id ") + kVisibleDossiers +
                           "ORDER BY ap.id DESC LIMIT ?");
    Params(st).add(a).add(account_id).add(limit);
    std::vector<ApplicationId> out;
    while (st.step())
      out.push_back(Row(st).id<ApplicationId>());
    return out;
  }

  bool dossier_of_account(AuthorityId a, std::int64_t account_id, ApplicationId app) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT 1 ") + kVisibleDossiers + "AND ap.id = ?");
    Params(st).add(a).add(account_id).add(app);
    return st.step();
  }

  std::optional<std::int64_t> portal_dossier_account(AuthorityId a, ApplicationId app) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT account_id FROM portal_dossiers WHERE authority_id = ? AND application_id = ?");
    Params(st).add(a).add(app);
    if (!st.step()) return std::nullopt;
    return Row(st).int64();
  }

  void insert_receipt(const ReceiptRecord& r) override {
    t_.scope(r.authority);
    Params(t_.c.prepare(std::string("INSERT INTO application_receipts (") + kReceiptColumns +
                        ") VALUES (?,?,?,?,?,?)"))
        .add(r.application)
        .add(r.authority)
        .add(r.round)
        .add(r.received_at)
        .add(r.implicit_rejection_on)
        .add(r.account_id)
        .run();
  }

  std::vector<ReceiptRecord> receipts_of(AuthorityId a, ApplicationId app) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kReceiptColumns +
                           " FROM application_receipts WHERE authority_id = ? AND "
                           "application_id = ? ORDER BY round LIMIT 1000");
    Params(st).add(a).add(app);
    std::vector<ReceiptRecord> out;
    while (st.step()) {
      Row r(st);
      ReceiptRecord rec;
      rec.application = r.id<ApplicationId>();
      rec.authority = r.id<AuthorityId>();
      rec.round = r.integer();
      rec.received_at = r.instant();
      rec.implicit_rejection_on = r.date();
      rec.account_id = r.opt_int64();
      out.push_back(rec);
    }
    return out;
  }

  std::optional<SchemePortalRecord> scheme_portal(AuthorityId a, SchemeId s) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT scheme_id, authority_id, published, eligibility, documents, file_types, "
        "contact, max_file_bytes FROM scheme_portal_settings WHERE authority_id = ? AND scheme_id "
        "= ?");
    Params(st).add(a).add(s);
    if (!st.step()) return std::nullopt;
    Row r(st);
    SchemePortalRecord out;
    out.scheme = r.id<SchemeId>();
    out.authority = r.id<AuthorityId>();
    out.published = r.flag();
    out.eligibility = r.text();
    out.documents = r.text();
    out.file_types = r.text();
    out.contact = r.text();
    out.max_file_bytes = r.int64();
    return out;
  }

  void put_scheme_portal(const SchemePortalRecord& p) override {
    t_.scope(p.authority);
    Params(t_.c.prepare("DELETE FROM scheme_portal_settings WHERE authority_id = ? AND "
                        "scheme_id = ?"))
        .add(p.authority)
        .add(p.scheme)
        .run();
    Params(t_.c.prepare("INSERT INTO scheme_portal_settings (scheme_id, authority_id, published, "
                        "eligibility, documents, file_types, contact, max_file_bytes) "
                        "VALUES (?,?,?,?,?,?,?,?)"))
        .add(p.scheme)
        .add(p.authority)
        .add(p.published)
        .add(p.eligibility)
        .add(p.documents)
        .add(p.file_types)
        .add(p.contact)
        .add(p.max_file_bytes)
        .run();
  }

  std::int64_t insert_message(const MessageRecord& m) override {
    t_.scope(m.authority);
    return Params(t_.c.prepare("INSERT INTO application_messages (authority_id, application_id, "
                               "author_kind, author, applicant_account_id, at, text) "
                               "VALUES (?,?,?,?,?,?,?) RETURNING id"))
        .add(m.authority)
        .add(m.application)
        .add(m.author_kind)
        .add(m.author)
        .add(m.applicant_account_id)
        .add(m.at)
        .add(m.text)
        .run_returning_id();
  }

  std::vector<MessageRecord> messages_of(AuthorityId a, ApplicationId app) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT id, authority_id, application_id, author_kind, author, applicant_account_id, at, "
        "text FROM application_messages WHERE authority_id = ? AND application_id = ? ORDER BY "
        "id LIMIT 10000");
    Params(st).add(a).add(app);
    std::vector<MessageRecord> out;
    while (st.step()) {
      Row r(st);
      MessageRecord m;
      m.id = r.int64();
      m.authority = r.id<AuthorityId>();
      m.application = r.id<ApplicationId>();
      m.author_kind = r.text();
      m.author = r.text();
      m.applicant_account_id = r.opt_int64();
      m.at = r.instant();
      m.text = r.text();
      out.push_back(std::move(m));
    }
    return out;
  }

  std::int64_t insert_signature(const SignatureRecord& x) override {
    t_.scope(x.authority);
    return Params(t_.c.prepare(
                      "INSERT INTO agreement_signatures (authority_id, application_id, "
                      "signatory, method, applicant_account_id, email, display_name, "
                      "signed_at, remote_addr, terms_sha256, terms) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
                      "RETURNING id"))
        .add(x.authority)
        .add(x.application)
        .add(x.signatory)
        .add(x.method)
        .add(x.applicant_account_id)
        .add(x.email)
        .add(x.display_name)
        .add(x.signed_at)
        .add(x.remote_addr)
        .add(x.terms_sha256)
        .add(x.terms)
        .run_returning_id();
  }

  std::vector<SignatureRecord> signatures_of(AuthorityId a, ApplicationId app) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT id, authority_id, application_id, signatory, method, applicant_account_id, email, "
        "display_name, signed_at, remote_addr, terms_sha256, terms FROM agreement_signatures WHERE "
        "authority_id = ? AND application_id = ? ORDER BY id");
    Params(st).add(a).add(app);
    std::vector<SignatureRecord> out;
    while (st.step()) {
      Row r(st);
      SignatureRecord x;
      x.id = r.int64();
      x.authority = r.id<AuthorityId>();
      x.application = r.id<ApplicationId>();
      x.signatory = r.text();
      x.method = r.text();
      x.applicant_account_id = r.int64();
      x.email = r.text();
      x.display_name = r.text();
      x.signed_at = r.instant();
      x.remote_addr = r.text();
      x.terms_sha256 = r.text();
      x.terms = r.text();
      out.push_back(std::move(x));
    }
    return out;
  }

  std::int64_t insert_claim(const PaymentClaimRecord& c) override {
    t_.scope(c.authority);
    const std::int64_t id =
        Params(t_.c.prepare("INSERT INTO payment_claims (authority_id, application_id, kind, "
                            "amount_cents, realised_cents, applicant_account_id, claimed_at, "
                            "state) VALUES (?,?,?,?,?,?,?,'pending') RETURNING id"))
            .add(c.authority)
            .add(c.application)
            .add(c.kind)
            .add(cents(c.amount))
            .add(cents(c.realised))
            .add(c.applicant_account_id)
            .add(c.claimed_at)
            .run_returning_id();
    int position = 0;
    for (const auto& l : c.lines)
      Params(t_.c.prepare("INSERT INTO payment_claim_lines (authority_id, claim_id, position, "
                          "label, amount_cents, eligible) VALUES (?,?,?,?,?,?)"))
          .add(c.authority)
          .add(id)
          .add(++position)
          .add(l.label)
          .add(l.amount)
          .add(l.eligible)
          .run();
    return id;
  }

  std::vector<PaymentClaimRecord> claims_of(AuthorityId a, ApplicationId app) override {
    t_.scope(a);
    auto st = t_.c.prepare(
        "SELECT id, authority_id, application_id, kind, amount_cents, realised_cents, "
        "applicant_account_id, claimed_at, state, payment_id, decided_at, decided_by, reason "
        "FROM payment_claims WHERE authority_id = ? AND application_id = ? ORDER BY id LIMIT 1000");
    Params(st).add(a).add(app);
    std::vector<PaymentClaimRecord> out;
    while (st.step()) {
      Row r(st);
      PaymentClaimRecord c;
      c.id = r.int64();
      c.authority = r.id<AuthorityId>();
      c.application = r.id<ApplicationId>();
      c.kind = r.text();
      c.amount = r.opt_money();
      c.realised = r.opt_money();
      c.applicant_account_id = r.int64();
      c.claimed_at = r.instant();
      c.state = r.text();
      c.payment_id = r.opt_int64();
      c.decided_at = r.opt_instant();
      c.decided_by = r.opt_text();
      c.reason = r.text();
      out.push_back(std::move(c));
    }
    for (auto& c : out) {
      auto lines = t_.c.prepare(
          "SELECT label, amount_cents, eligible FROM payment_claim_lines WHERE authority_id = ? "
          "AND claim_id = ? ORDER BY position");
      Params(lines).add(a).add(c.id);
      while (lines.step()) {
        Row r(lines);
        ClaimLine l;
        l.label = r.text();
        l.amount = r.money();
        l.eligible = r.flag();
        c.lines.push_back(std::move(l));
      }
    }
    return out;
  }

  bool decide_claim(const PaymentClaimRecord& c) override {
    t_.scope(c.authority);
    Params(t_.c.prepare("UPDATE payment_claims SET state = ?, payment_id = ?, decided_at = ?, "
                        "decided_by = ?, reason = ? WHERE authority_id = ? AND id = ? AND state = "
                        "'pending'"))
        .add(c.state)
        .add(c.payment_id)
        .add(c.decided_at)
        .add(c.decided_by)
        .add(c.reason)
        .add(c.authority)
        .add(c.id)
        .run();
    return t_.c.changes() == 1;
  }

  std::int64_t insert_mail(const MailRecord& m) override {
    t_.scope(m.authority);
    return Params(t_.c.prepare("INSERT INTO outgoing_mail (authority_id, recipient, subject, body, "
                               "created_at, attempts, next_attempt_at, digest) VALUES "
                               "(?,?,?,?,?,0,?,?) RETURNING id"))
        .add(m.authority)
        .add(m.recipient)
        .add(m.subject)
        .add(m.body)
        .add(m.created_at)
        .add(m.next_attempt_at)
        .add(m.digest)
        .run_returning_id();
  }

  std::vector<MailRecord> due_mail(Instant now, int limit) override {
    auto st = t_.c.prepare(
        std::string("SELECT ") + kMailColumns +
        " FROM outgoing_mail WHERE sent_at IS NULL AND next_attempt_at <= ? AND attempts < 12 "
        "ORDER BY next_attempt_at, id LIMIT ?");
    Params(st).add(now).add(limit);
    std::vector<MailRecord> out;
    while (st.step())
      out.push_back(mail_row(st));
    return out;
  }

  bool claim_mail(AuthorityId a, std::int64_t id, Instant now, Instant lease_until) override {
    t_.scope(a);
    Params(t_.c.prepare("UPDATE outgoing_mail SET next_attempt_at = ? WHERE authority_id = ? AND "
                        "id = ? AND sent_at IS NULL AND next_attempt_at <= ?"))
        .add(lease_until)
        .add(a)
        .add(id)
        .add(now)
        .run();
    return t_.c.changes() == 1;
  }

  void mark_mail_sent(AuthorityId a, std::int64_t id, Instant at) override {
    t_.scope(a);
    Params(t_.c.prepare("UPDATE outgoing_mail SET sent_at = ?, attempts = attempts + 1, "
                        "last_error = '' WHERE authority_id = ? AND id = ? AND sent_at IS NULL"))
        .add(at)
        .add(a)
        .add(id)
        .run();
  }

  void mark_mail_failed(AuthorityId a, std::int64_t id, const std::string& error,
                        Instant next_attempt) override {
    t_.scope(a);
    Params(
        t_.c.prepare("UPDATE outgoing_mail SET attempts = attempts + 1, last_error = ?, "
                     "next_attempt_at = ? WHERE authority_id = ? AND id = ? AND sent_at IS NULL"))
        .add(error.substr(0, 500))
        .add(next_attempt)
        .add(a)
        .add(id)
        .run();
  }

  std::vector<MailRecord> pending_digest(AuthorityId a, const std::string& recipient) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kMailColumns +
                           " FROM outgoing_mail WHERE authority_id = ? AND recipient = ? AND "
                           "sent_at IS NULL AND digest = 1 ORDER BY id LIMIT 500");
    Params(st).add(a).add(recipient);
    std::vector<MailRecord> out;
    while (st.step())
      out.push_back(mail_row(st));
    return out;
  }

  void set_applicant_digest(AuthorityId a, std::int64_t id, bool digest) override {
    t_.scope(a);
    Params(t_.c.prepare(
               "UPDATE applicant_accounts SET mail_digest = ? WHERE authority_id = ? AND id = ?"))
        .add(digest)
        .add(a)
        .add(id)
        .run();
    if (t_.c.changes() != 1) throw StoreError("applicant account not found");
  }

  std::vector<MailRecord> mail_to(AuthorityId a, const std::string& recipient, int limit) override {
    t_.scope(a);
    auto st = t_.c.prepare(std::string("SELECT ") + kMailColumns +
                           " FROM outgoing_mail WHERE authority_id = ? AND recipient = ? "
                           "ORDER BY id DESC LIMIT ?");
    Params(st).add(a).add(recipient).add(limit);
    std::vector<MailRecord> out;
    while (st.step())
      out.push_back(mail_row(st));
    return out;
  }

 private:
  TxContext& t_;
};

}  // namespace

std::unique_ptr<PortalPort> portal_rows(TxContext& t) {
  return std::make_unique<SqlPortal>(t);
}

}  // namespace octroi::sql
