// JSON renderings of use-case results, shared by the CLI (--json) and the HTTP API: one shape
// for each result wherever it is read. Amounts are decimal strings ("7000.00"), dates ISO.
// nlohmann/json is included by render_json.cc only: this header stays light.
#pragma once

#include <string>
#include <vector>

#include "adapters/store/copy.h"
#include "app/ports/accounts.h"
#include "app/scdl_import.h"
#include "app/use_cases.h"

namespace octroi::json {

std::string json_budget(const std::vector<BudgetLineView>& lines);
std::string json_journal(const std::vector<LedgerEntry>& entries);
std::string json_ledger_verification(const LedgerVerification& v);
std::string json_report(const ReportView& v);
std::string json_audit_verification(const AuditVerification& v);
std::string json_copy_report(const stores::CopyReport& r);
std::string json_award(const AwardView& v);
std::string json_lapse(const std::vector<LapseSweepItem>& items, bool dry_run);
std::string json_state_aid_check(const StateAidCheckRecord& r);
std::string json_application(const ApplicationView& v);
std::string json_application_list(const std::vector<ApplicationView>& list);
std::string json_scheme(const AidScheme& s);
std::string json_schemes(const std::vector<AidScheme>& list);
std::string json_party(const Party& p, const std::vector<Problem>& warnings);
std::string json_parties(const std::vector<Party>& list);
std::string json_refusal(const Refusal& r);
std::string json_audit(const std::vector<AuditEntry>& list);
std::string json_authority(const Authority& a);
std::string json_sessions(const std::vector<Session>& list);
std::string json_party_view(const PartyView& v);
std::string json_line(const BudgetLine& line, const LineBalances& b);
std::string json_awards(const AwardsOverview& overview);
std::string json_tokens(const std::vector<ApiTokenRecord>& list);
// The accounts, never their password hashes.
std::string json_users(const std::vector<UserRecord>& list);
// An import's report as JSON lines: the file, then one object per line, then the counts; each on
// one line of text ending with "\n".
std::string json_import_lines(const ImportReport& r, bool problems_only);
// The same a piece at a time, for a report written as the import goes: the file, one line, the
// counts.
std::string json_import_head(const ImportReport& r);
std::string json_import_line(const LineReport& l);
std::string json_import_tail(const ImportReport& r);

}  // namespace octroi::json
