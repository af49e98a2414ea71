// The name tables of app/: roles, actions, document kinds, import outcomes. (They live in the
// integration binary, the first that links app/; they use no store.)
#include <gtest/gtest.h>

#include "app/documents.h"
#include "app/permissions.h"
#include "app/scdl_import.h"
#include "unit/core/enum_table_checks.h"

namespace octroi {
namespace {

using enum_checks::expect_well_formed;

TEST(AppEnumNames, Role) {
  expect_well_formed(kRoleNames, {{Role::Administrator, "administrator"},
                                  {Role::Instructor, "instructor"},
                                  {Role::Approver, "approver"},
                                  {Role::Clerk, "clerk"},
                                  {Role::Finance, "finance"},
                                  {Role::Reader, "reader"},
                                  {Role::Applicant, "applicant"}});
  for (const auto& row : kRoleNames.rows()) {
    EXPECT_EQ(to_string(row.value), row.code);
    EXPECT_EQ(role_label(row.value), row.label);
    // The applicant's role is never parsed: no agent account or token may be given it.
    if (row.value == Role::Applicant)
      EXPECT_FALSE(parse_role(row.code).has_value());
    else
      EXPECT_EQ(parse_role(row.code), row.value);
  }
  EXPECT_EQ(role_label(Role::Clerk), "secrétariat des assemblées");
  EXPECT_FALSE(parse_role("root").has_value());
  EXPECT_EQ(all_roles().size() + 1, kRoleNames.size());  // every role but the applicant's
  EXPECT_EQ(every_role().size(), kRoleNames.size());
}

TEST(AppEnumNames, Action) {
  expect_well_formed(kActionNames, {{Action::Read, "read"},
                                    {Action::EditDossier, "edit_dossier"},
                                    {Action::MoveDossier, "move_dossier"},
                                    {Action::ManageReports, "manage_reports"},
                                    {Action::ManageBudget, "manage_budget"},
                                    {Action::ManagePayments, "manage_payments"},
                                    {Action::ManageSchemes, "manage_schemes"},
                                    {Action::ManageParties, "manage_parties"},
                                    {Action::ManageUsers, "manage_users"},
                                    {Action::ReadAudit, "read_audit"},
                                    {Action::Apply, "apply"}});
  for (const auto& row : kActionNames.rows())
    EXPECT_EQ(to_string(row.value), row.code);
  EXPECT_EQ(all_actions().size(), kActionNames.size());
}

TEST(AppEnumNames, DocumentKind) {
  expect_well_formed(kDocumentKindNames, {{DocumentKind::Report, "rapport"},
                                          {DocumentKind::Deliberation, "deliberation"},
                                          {DocumentKind::ProjectSheet, "fiche_projet"},
                                          {DocumentKind::Agreement, "convention"},
                                          {DocumentKind::TransferAmendment, "avenant_transfert"},
                                          {DocumentKind::Notification, "notification"}});
  for (const auto& row : kDocumentKindNames.rows()) {
    EXPECT_EQ(template_name(row.value), row.code);
    EXPECT_EQ(french(row.value), row.label);
    EXPECT_EQ(parse_template_name(row.code), row.value);
  }
  EXPECT_EQ(all_document_kinds().size(), kDocumentKindNames.size());
  EXPECT_EQ(french(DocumentKind::Report), "rapport (exposé des motifs)");
}

TEST(AppEnumNames, LineOutcome) {
  expect_well_formed(kLineOutcomeNames,
                     {{LineOutcome::Accepted, "accepted"},
                      {LineOutcome::AcceptedWithWarnings, "accepted_with_warnings"},
                      {LineOutcome::Rejected, "rejected"},
                      {LineOutcome::AlreadyImported, "already_imported"},
                      {LineOutcome::Duplicate, "duplicate"}});
  for (const auto& row : kLineOutcomeNames.rows())
    EXPECT_EQ(french(row.value), row.label);
  EXPECT_EQ(french(LineOutcome::AlreadyImported), "déjà importée");
  EXPECT_EQ(french(LineOutcome::Duplicate), "en double dans le fichier");
}

}  // namespace
}  // namespace octroi
