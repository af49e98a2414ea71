// Rendering of use-case results for the terminal (French text); the JSON renderings (amounts as
// strings) live in adapters/json, shared with the HTTP API.
#pragma once

#include <string>
#include <vector>

#include "adapters/json/render_json.h"
#include "adapters/store/copy.h"
#include "app/use_cases.h"

namespace octroi::cli {

// The JSON renderings are shared with the HTTP API (adapters/json).
using namespace octroi::json;  // NOLINT(google-build-using-namespace)

std::string text_application(const ApplicationView& v);
std::string text_application_list(const std::vector<ApplicationView>& list);
std::string text_scheme(const AidScheme& s);
std::string text_party(const Party& p);
std::string text_refusal(const Refusal& r);
// The plan's award before and after an edit.
std::string text_award_change(const ApplicationView& before, const ApplicationView& after);

std::string text_budget(const std::vector<BudgetLineView>& lines);
std::string text_journal(const BudgetLine& line, const std::vector<LedgerEntry>& entries);
std::string text_ledger_verification(const LedgerVerification& v);
std::string text_report(const ReportView& v);
std::string text_reports(const std::vector<Report>& list);
std::string text_adoption(const AdoptionResult& r, const std::vector<BudgetLineView>& lines);
std::string text_audit_verification(const AuditVerification& v);
std::string text_copy_report(const stores::CopyReport& r);


std::string text_award(const AwardView& v);
std::string text_payment(const PaymentResult& r);
std::string text_lapse(const std::vector<LapseSweepItem>& items, bool dry_run);
std::string text_state_aid_check(const StateAidCheckRecord& r);


}  // namespace octroi::cli
