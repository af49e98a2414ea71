#include "adapters/sql/tables.h"

#include <algorithm>

namespace octroi::sql {

const std::vector<TableInfo>& registered_tables() {
  static const std::vector<TableInfo> tables = {
      {"authorities", "id", "id"},
      {"aid_schemes", "authority_id", "id"},
      {"parties", "authority_id", "id"},
      {"applications", "authority_id", "id"},
      {"plan_lines", "authority_id", "id"},
      {"application_events", "authority_id", "id"},
      {"audit_log", "authority_id", "seq"},
      {"budget_lines", "authority_id", "id"},
      {"committee_sessions", "authority_id", "id"},
      {"reports", "authority_id", "id"},
      {"report_articles", "authority_id", "id"},
      {"report_article_applications", "authority_id", ""},
      {"ledger_entries", "authority_id", "id"},
      {"application_beneficiaries", "authority_id", "id"},
      {"agreements", "authority_id", "id"},
      {"amendments", "authority_id", "id"},
      {"payments", "authority_id", "id"},
      {"payment_expense_lines", "authority_id", ""},
      {"clawbacks", "authority_id", "id"},
      {"party_links", "authority_id", ""},
      {"third_party_aids", "authority_id", "id"},
      {"state_aid_checks", "authority_id", "id"},
      {"award_conditions", "authority_id", "id"},
      {"outcome_reports", "authority_id", "id"},
      {"users", "authority_id", "id"},
      {"login_sessions", "authority_id", ""},
      {"api_tokens", "authority_id", "id"},
      {"idempotency_keys", "authority_id", ""},
      {"application_notes", "authority_id", "id"},
      {"document_templates", "authority_id", "id"},
      {"imported_awards", "authority_id", "id"},
      {"imported_applications", "authority_id", ""},
      {"party_establishments", "authority_id", "id"},
      {"application_assignments", "authority_id", ""},
      {"application_follows", "authority_id", ""},
      {"saved_filters", "authority_id", "id"},
      {"application_opinions", "authority_id", "id"},
      {"scheme_approval_levels", "authority_id", "id"},
      {"application_visas", "authority_id", "id"},
      {"applicant_accounts", "authority_id", "id"},
      {"applicant_sessions", "authority_id", ""},
      {"applicant_codes", "authority_id", ""},
      {"applicant_memberships", "authority_id", ""},
      {"applicant_invitations", "authority_id", "id"},
      {"portal_dossiers", "authority_id", ""},
      {"application_receipts", "authority_id", ""},
      {"outgoing_mail", "authority_id", "id"},
      {"scheme_portal_settings", "authority_id", ""},
      {"application_messages", "authority_id", "id"},
      {"stored_files", "authority_id", ""},
      {"application_files", "authority_id", "id"},
      {"agreement_signatures", "authority_id", "id"},
      {"payment_claims", "authority_id", "id"},
      {"payment_claim_lines", "authority_id", ""},
  };
  return tables;
}

const std::vector<ExcludedTable>& excluded_tables() {
  static const std::vector<ExcludedTable> excluded = {
      {"jobs",
       "a server's work in progress and its result files (documents already audited when "
       "generated): transient, not an authority's records; the target starts with none"},
      {"schema_migrations",
       "the schema's own history (migrate.cc): each store records the migrations it applied"},
      {"application_search",
       "the full-text index of the dossiers, derived data: the target's triggers rebuild it"},
      {"copy_in_progress",
       "a row while db copy writes the target (migration 0021), inside its one transaction: "
       "never committed, nothing to copy"},
      {"login_failures",
       "the login throttle's counts (migration 0009): per login or address, of no authority, "
       "meaningless after fifteen minutes; a copied authority starts with none"},
      // SQLite's FTS5 keeps the index of application_search in shadow tables of its own.
      {"application_search_data", "FTS5 shadow table of application_search (derived data)"},
      {"application_search_idx", "FTS5 shadow table of application_search (derived data)"},
      {"application_search_content", "FTS5 shadow table of application_search (derived data)"},
      {"application_search_docsize", "FTS5 shadow table of application_search (derived data)"},
      {"application_search_config", "FTS5 shadow table of application_search (derived data)"},
  };
  return excluded;
}

bool is_excluded_table(const std::string& name) {
  const auto& ex = excluded_tables();
  return std::any_of(ex.begin(), ex.end(), [&](const ExcludedTable& e) { return name == e.name; });
}

std::vector<std::string> schema_tables(Connection& c) {
  auto st = c.prepare(c.dialect() == Dialect::Postgres
                          ? "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                            "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
                          : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                            "LIKE 'sqlite_%' ORDER BY name");
  std::vector<std::string> out;
  while (st.step())
    out.push_back(st.text(0));
  return out;
}

}  // namespace octroi::sql
