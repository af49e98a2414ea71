#include "app/audit_json.h"
#include "app/use_cases.h"

namespace octroi {

Result<Authority> create_authority(Transaction& tx, const std::string& actor, Clock& clock,
                                   const AuthorityInput& in) {
  Authority a{AuthorityId{}, in.code, in.name, in.siret, in.address, in.executive};
  if (auto r = a.validate(); !r.ok()) return r.refusal();
  if (tx.find_authority(a.code))
    return refuse("authority.exists", "code",
                  "Une collectivité de code « " + a.code + " » existe déjà.");
  a.id = tx.insert_authority(a);
  record_audit(tx, a.id, clock.now_iso(), actor, "authority.create", "authority", a.code, "",
               audit_json::of(a));
  return a;
}

Result<Authority> authority_by_code(Transaction& tx, const std::string& code) {
  auto a = tx.find_authority(code);
  if (!a)
    return refuse("authority.unknown", "authority",
                  "Aucune collectivité de code « " + code +
                      " » (lancez « octroi demo » ou "
                      "créez-la).");
  return *a;
}

}  // namespace octroi
