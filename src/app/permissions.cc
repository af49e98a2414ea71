#include "app/permissions.h"

#include <array>

namespace octroi {
namespace {

using enum Action;
using enum Role;

struct Grant {
  Role role;
  std::vector<Action> actions;
};

const std::array<Grant, 6>& grants() {
  static const std::array<Grant, 6> table = {{
      {Administrator,
       {Read, EditDossier, MoveDossier, ManageReports, ManageBudget, ManagePayments, ManageSchemes,
        ManageParties, ManageUsers, ReadAudit}},
      {Instructor, {Read, EditDossier, MoveDossier, ManageParties}},
      {Approver, {Read, MoveDossier, ReadAudit}},
      {Clerk, {Read, ManageReports, ReadAudit}},
      {Finance, {Read, ManageBudget, ManagePayments, ReadAudit}},
      {Reader, {Read}},
  }};
  return table;
}

}  // namespace

const std::vector<Role>& all_roles() {
  static const std::vector<Role> roles = {Administrator, Instructor, Approver,
                                          Clerk,         Finance,    Reader};
  return roles;
}

const std::vector<Action>& all_actions() {
  static const std::vector<Action> actions = {
      Read,           EditDossier,   MoveDossier,   ManageReports, ManageBudget,
      ManagePayments, ManageSchemes, ManageParties, ManageUsers,   ReadAudit};
  return actions;
}

std::string_view to_string(Role r) {
  switch (r) {
    case Administrator:
      return "administrator";
    case Instructor:
      return "instructor";
    case Approver:
      return "approver";
    case Clerk:
      return "clerk";
    case Finance:
      return "finance";
    case Reader:
      return "reader";
  }
  return "reader";
}

std::string_view role_label(Role r) {
  switch (r) {
    case Administrator:
      return "administrateur";
    case Instructor:
      return "instructeur";
    case Approver:
      return "chef de service";
    case Clerk:
      return "secrétariat des assemblées";
    case Finance:
      return "finances";
    case Reader:
      return "lecteur";
  }
  return "lecteur";
}

std::string_view to_string(Action a) {
  switch (a) {
    case Read:
      return "read";
    case EditDossier:
      return "edit_dossier";
    case MoveDossier:
      return "move_dossier";
    case ManageReports:
      return "manage_reports";
    case ManageBudget:
      return "manage_budget";
    case ManagePayments:
      return "manage_payments";
    case ManageSchemes:
      return "manage_schemes";
    case ManageParties:
      return "manage_parties";
    case ManageUsers:
      return "manage_users";
    case ReadAudit:
      return "read_audit";
  }
  return "read";
}

std::optional<Role> parse_role(std::string_view s) {
  for (Role r : all_roles())
    if (to_string(r) == s) return r;
  return std::nullopt;
}

bool permits(Role r, Action a) {
  for (const auto& g : grants())
    if (g.role == r)
      for (Action granted : g.actions)
        if (granted == a) return true;
  return false;
}

}  // namespace octroi
