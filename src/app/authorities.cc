#include "app/ports/authorities.h"
#include "app/audit_json.h"
#include "app/use_cases.h"

namespace octroi {

Result<Authority> create_authority(Transaction& tx, const std::string& actor, Clock& clock,
                                   const AuthorityInput& in) {
  Authority a{AuthorityId{}, in.code, in.name, in.siret, in.address, in.executive};
  if (auto r = a.validate(); !r.ok()) return r.refusal();
  if (tx.authorities().find_authority(a.code))
    return refuse("authority.exists", "code",
                  "Une collectivité de code « " + a.code + " » existe déjà.");
  a.id = tx.authorities().insert_authority(a);
  record_audit(tx, Context{.authority = a.id, .actor = actor, .clock = &clock},
               {.action = "authority.create",
                .entity = "authority",
                .key = a.code,
                .after = audit_json::of(a)});
  return a;
}

Result<Authority> edit_authority(Transaction& tx, const Context& ctx, const AuthorityInput& in) {
  std::optional<Authority> found;
  for (auto& au : tx.authorities().list_authorities())
    if (au.id == ctx.authority) found = au;
  OCTROI_CHECK(found.has_value(), "the context's authority exists");
  const Authority before = *found;
  Authority a = before;
  if (!in.name.empty()) a.name = in.name;
  if (!in.siret.empty()) a.siret = in.siret;
  if (!in.address.empty()) a.address = in.address;
  if (!in.executive.empty()) a.executive = in.executive;
  if (auto r = a.validate(); !r.ok()) return r.refusal();
  tx.authorities().update_authority(a);
  Context in_it = ctx;
  in_it.authority = a.id;
  record_audit(tx, in_it,
               {.action = "authority.edit",
                .entity = "authority",
                .key = a.code,
                .before = audit_json::of(before),
                .after = audit_json::of(a)});
  return a;
}

Result<Authority> authority_by_code(Transaction& tx, const std::string& code) {
  auto a = tx.authorities().find_authority(code);
  if (!a)
    return refuse("authority.unknown", "authority",
                  "Aucune collectivité de code « " + code +
                      " » : créez-la avec « octroi authority create ».");
  return *a;
}

}  // namespace octroi
