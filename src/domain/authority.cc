#include "domain/authority.h"

#include "core/identifiers.h"
#include "domain/text.h"

namespace octroi {

Status Authority::validate() {
  std::vector<Problem> problems;
  code = text::trim(code);
  name = text::trim(name);
  if (code.empty() || code.size() > 32 || !text::is_slug(code))
    problems.push_back({"authority.code", "code",
                        "Le code de la collectivité est obligatoire : lettres minuscules, chiffres "
                        "et tirets, 32 caractères au plus."});
  if (auto p = text::check_required(name, "name", "Le nom de la collectivité", 200))
    problems.push_back(*p);
  if (!siret.empty()) {
    auto s = ids::siret(siret, "siret");
    if (s.ok()) {
      siret = s.value();
    } else {
      for (const auto& p : s.refusal().problems)
        problems.push_back(p);
    }
  }
  if (!problems.empty()) return Refusal(std::move(problems));
  return done();
}

}  // namespace octroi
