// Committee sessions, reports and their articles, and the vote that adopts a report.
//
// A session (séance) of a body — the standing committee (commission permanente) or the council —
// on a date examines reports numbered like "CP 2023-040", each an ordered list of articles, of
// six kinds: the four of CP 2023-040 (scheme_awards, tranche, direct, transfer) and the two
// amendments of an award's amount and period (amount_change, extension):
//
//   scheme_awards  awards under a scheme to one or more proposed dossiers; the article's amount
//                  is their sum (23 000 € = 7 000 + 8 000 + 8 000), allocated on its line
//   tranche        a tranche of a global operating subsidy to a party, a share of a planned
//                  total (5 490 000 € = 60 % of 9 150 000 €), allocated on its line
//   direct         a direct operation with no beneficiary (24 500 € for the Journées
//                  Européennes des Métiers d'Art), allocated on its line
//   transfer       an amendment moving the unpaid balance of an earlier award to another party
//                  (Casaco -> SCI 6 avenue JJ, 78 400 €): no new allocation
//   amount_change  an amendment changing an award's amount (the article's amount is the new
//                  award): the difference is allocated, or released (never below what was paid)
//   extension      an amendment moving the end of the expense eligibility period (the article's
//                  amount is the award, unchanged)
//
// plan_vote is the whole decision, pure: given the report and everything it refers to, either
// every allocation, award, transfer and amendment it implies, or a refusal naming the article
// and why.
// The use case then posts the plan in one transaction.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/enum_names.h"
#include "core/money.h"
#include "core/rate.h"
#include "core/result.h"
#include "domain/application/application.h"
#include "domain/budget/ledger.h"
#include "domain/ids.h"
#include "domain/party/party.h"
#include "domain/scheme/aid_scheme.h"

namespace octroi {

enum class Body { StandingCommittee, Council };
std::string_view to_string(Body b);              // "standing_committee", "council"
std::string_view french(Body b);                 // "commission permanente", "conseil régional"
bool parse_body(std::string_view s, Body& out);  // also "cp", "cr"
inline constexpr auto kBodyNames = name_table<Body>({
    {Body::StandingCommittee, "standing_committee", "commission permanente"},
    {Body::Council, "council", "conseil régional"},
});

struct Session {
  SessionId id;
  AuthorityId authority;
  Body body = Body::StandingCommittee;
  Date date;
};

enum class ArticleKind { SchemeAwards, Tranche, Direct, Transfer, AmountChange, Extension };
std::string_view to_string(ArticleKind k);  // "scheme_awards", "tranche", "direct", …
std::string_view french(ArticleKind k);
bool parse_article_kind(std::string_view s, ArticleKind& out);
inline constexpr auto kArticleKindNames = name_table<ArticleKind>({
    {ArticleKind::SchemeAwards, "scheme_awards",
     "attribution de subventions au titre d'un dispositif"},
    {ArticleKind::Tranche, "tranche", "tranche d'une subvention globale de fonctionnement"},
    {ArticleKind::Direct, "direct", "opération en régie, sans bénéficiaire"},
    {ArticleKind::Transfer, "transfer", "avenant de transfert d'une subvention"},
    {ArticleKind::AmountChange, "amount_change", "avenant modifiant le montant d'une subvention"},
    {ArticleKind::Extension, "extension",
     "avenant de prorogation de la période d'éligibilité des dépenses"},
});

struct Article {
  ArticleId id;
  int position = 0;  // 1-based, as printed ("Article 2")
  ArticleKind kind = ArticleKind::Direct;
  std::string title;
  BudgetLineId line;
  Money amount;
  std::optional<SchemeId> scheme;                     // scheme_awards
  std::vector<ApplicationId> applications;            // scheme_awards
  std::optional<PartyId> party;                       // tranche: beneficiary; transfer: transferee
  std::optional<Money> planned_total;                 // tranche
  std::optional<Rate> tranche_rate;                   // tranche
  std::optional<ApplicationId> transfer_application;  // transfer, amount_change, extension
  std::optional<Date> new_end;                        // extension

  // Refuses what the article's kind requires and lacks (field paths under `prefix`).
  Status validate(const std::string& prefix) const;
};

enum class ReportState { Draft, Adopted };
std::string_view to_string(ReportState s);  // "draft", "adopted"
std::string_view french(ReportState s);     // "en préparation", "adopté"
inline constexpr auto kReportStateNames = name_table<ReportState>({
    {ReportState::Draft, "draft", "en préparation"},
    {ReportState::Adopted, "adopted", "adopté"},
});

struct Report {
  ReportId id;
  AuthorityId authority;
  SessionId session;
  std::string number;  // "CP 2023-040"
  std::string title;   // "Attractivité et aménagement économique"
  ReportState state = ReportState::Draft;
  std::optional<Date> adopted_on;
  std::vector<Article> articles;

  // "CP 2023-040": two to four capital letters, a space, a year, a dash, a number.
  static bool is_valid_number(std::string_view number);
  Status validate() const;
};

// Everything a vote refers to, loaded by the use case.
struct VoteInputs {
  std::map<ApplicationId, Application> applications;
  std::map<SchemeId, AidScheme> schemes;
  std::map<BudgetLineId, BudgetLine> lines;
  std::map<BudgetLineId, LineBalances> balances;
  std::map<PartyId, Party> parties;
  std::map<ApplicationId, Money> paid;            // what was paid on each awarded dossier
  std::map<ApplicationId, Money> committed;       // what is committed for it (agreement signed)
  std::map<ApplicationId, Date> eligibility_end;  // current end (agreement, else project end)
  std::map<ApplicationId, BudgetLineId> allocation_lines;  // where each award is allocated
};

struct Posting {  // one allocation to post
  ArticleId article;
  int article_position = 0;
  BudgetLineId line;
  Money amount;
  std::optional<ApplicationId> application;
  std::optional<PartyId> party;
  std::string label;
};

struct TransferDecision {
  ArticleId article;
  ApplicationId application;
  PartyId from, to;
  Money amount;  // the unpaid balance transferred
};

struct AmendmentDecision {
  ArticleId article;
  ApplicationId application;
  ArticleKind kind = ArticleKind::AmountChange;
  Money old_amount, new_amount;          // amount_change
  std::optional<Date> old_end, new_end;  // extension
  // amount_change, on the article's line: an increase is allocated (in `allocations`) and, if
  // the award was committed, committed too; a decrease is decommitted as needed, then released.
  BudgetLineId line;
  Money commit, decommit, release;
};

struct VotePlan {
  std::vector<Posting> allocations;
  std::vector<Application> awarded;  // the dossiers as they are after the vote
  std::vector<TransferDecision> transfers;
  std::vector<AmendmentDecision> amendments;
  std::map<BudgetLineId, LineBalances> balances_after;
};

// REQUIRES: report.state == Draft, `session` is the report's session. Refusal codes:
// "report.empty", "report.sum_mismatch", "report.tranche_mismatch", "report.application_state",
// "report.application_scheme", "report.duplicate_application", "report.section_mismatch",
// "report.transfer_amount", "report.transfer_same_party", the ledger's "ledger.*" codes and the
// workflow's, each with field "articles[N]…" and a message starting "Article N : ".
Result<VotePlan> plan_vote(const Report& report, const Session& session, const VoteInputs& in);

}  // namespace octroi
