// The authority's services: listed from what names them, renamed everywhere (app/services.h).
#include "app/services.h"

#include <map>

#include "app/audit_chain.h"
#include "app/audit_json.h"
#include "app/input.h"
#include "app/ports/accounts.h"
#include "app/ports/schemes.h"
#include "app/ports/workspace.h"
#include "domain/text.h"

namespace octroi {

std::vector<ServiceView> list_services(Transaction& tx, AuthorityId a, Instant now) {
  std::map<std::string, ServiceView> by_name;
  const auto of = [&](const std::string& name) -> ServiceView& {
    ServiceView& v = by_name[name];
    v.name = name;
    return v;
  };
  for (const auto& s : tx.schemes().list_schemes(a))
    if (!s.service.empty()) ++of(s.service).schemes;
  for (const auto& u : tx.accounts().list_users(a))
    if (!u.service.empty()) {
      ServiceView& v = of(u.service);
      if (u.active && u.role == "instructor") ++v.instructors;
    }
  for (const auto& t : tx.accounts().list_api_tokens(a))
    if (!t.service.empty()) {
      ServiceView& v = of(t.service);
      if (!t.revoked_at && now < t.expires_at) ++v.tokens;
    }
  for (const auto& name : tx.workspace().services_asked(a))
    ++of(name).opinions;
  std::vector<ServiceView> out;
  for (auto& [name, v] : by_name)
    out.push_back(std::move(v));
  return out;
}

Result<ServiceView> rename_service(Transaction& tx, const Context& ctx, const std::string& from,
                                   const std::string& to) {
  const std::string old_name = text::trim(from), new_name = text::trim(to);
  const Instant now = ctx.clock->now();
  const auto services = list_services(tx, ctx.authority, now);
  const auto named = [&](const std::string& n) {
    for (const auto& s : services)
      if (s.name == n) return true;
    return false;
  };
  InputProblems pb;
  if (!named(old_name))
    pb.add({"service.unknown", "from",
            "Aucun dispositif, compte, jeton ou avis en attente ne porte le service « " + old_name +
                " »."});
  if (auto p = text::check_required(new_name, "to", "Le nouveau nom du service", 200))
    pb.add(*p);
  else if (new_name != old_name && named(new_name))
    pb.add({"service.exists", "to",
            "Le service « " + new_name +
                " » existe déjà : un changement de nom ne fusionne pas deux services."});
  if (!pb.empty()) return pb.refusal();
  ServiceView after;
  after.name = new_name;
  if (new_name == old_name) {
    for (const auto& s : services)
      if (s.name == old_name) after = s;
    return after;
  }
  for (auto s : tx.schemes().list_schemes(ctx.authority))
    if (s.service == old_name) {
      s.service = new_name;
      tx.schemes().update_scheme(s);
    }
  tx.accounts().rename_service_of_accounts(ctx.authority, old_name, new_name);
  record_audit(tx, ctx,
               {.action = "service.rename",
                .entity = "service",
                .key = new_name,
                .before = "{\"service\":" + audit_json::quote(old_name) + "}",
                .after = "{\"service\":" + audit_json::quote(new_name) + "}"});
  for (const auto& s : list_services(tx, ctx.authority, now))
    if (s.name == new_name) after = s;
  return after;
}

}  // namespace octroi
