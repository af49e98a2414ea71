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

const std::array<Grant, 7>& grants() {
  static const std::array<Grant, 7> table = {{
      {Administrator,
       {Read, EditDossier, MoveDossier, ManageReports, ManageBudget, ManagePayments, ManageSchemes,
        ManageParties, ManageUsers, ReadAudit}},
      {Instructor, {Read, EditDossier, MoveDossier, ManageParties}},
      {Approver, {Read, MoveDossier, ReadAudit}},
      {Clerk, {Read, ManageReports, ReadAudit}},
      {Finance, {Read, ManageBudget, ManagePayments, ReadAudit}},
      {Reader, {Read}},
      {Applicant, {Apply}},
  }};
  return table;
}

}  // namespace

const std::vector<Role>& all_roles() {
  static const std::vector<Role> roles = [] {
    std::vector<Role> v;
    for (const auto& r : kRoleNames.rows())
      if (r.value != Role::Applicant) v.push_back(r.value);
    return v;
  }();
  return roles;
}

const std::vector<Role>& every_role() {
  static const std::vector<Role> roles = [] {
    std::vector<Role> v;
    for (const auto& r : kRoleNames.rows())
      v.push_back(r.value);
    return v;
  }();
  return roles;
}

const std::vector<Action>& all_actions() {
  static const std::vector<Action> actions = [] {
    std::vector<Action> v;
    for (const auto& r : kActionNames.rows())
      v.push_back(r.value);
    return v;
  }();
  return actions;
}

std::string_view to_string(Role r) {
  return kRoleNames.code(r);
}

std::string_view role_label(Role r) {
  return kRoleNames.label(r);
}

std::string_view to_string(Action a) {
  return kActionNames.code(a);
}

std::optional<Role> parse_role(std::string_view s) {
  const auto r = kRoleNames.parse(s);
  if (r == Role::Applicant) return std::nullopt;
  return r;
}

bool permits(Role r, Action a) {
  for (const auto& g : grants())
    if (g.role == r)
      for (Action granted : g.actions)
        if (granted == a) return true;
  return false;
}

}  // namespace octroi
