#include "domain/agreement/agreement.h"

#include "core/french.h"
#include "domain/text.h"

namespace octroi {

Status Agreement::validate() const {
  std::vector<Problem> problems;
  if (eligibility_end < eligibility_start)
    problems.push_back({"agreement.eligibility", "eligibility_end",
                        "La fin de la période d'éligibilité des dépenses (" +
                            fr::date_long(eligibility_end) + ") précède son début (" +
                            fr::date_long(eligibility_start) + ")."});
  if (auto p = text::check_optional(model_deliberation, "model_deliberation",
                                    "La délibération du modèle de convention", 100))
    problems.push_back(*p);
  if (!problems.empty()) return Refusal(std::move(problems));
  return done();
}

bool parse_signatory(std::string_view s, Signatory& out) {
  if (s == "beneficiaire") s = "beneficiary";
  if (s == "collectivite") s = "authority";
  if (kSignatoryNames.parse(s, out)) return true;
  const auto by_label = kSignatoryNames.parse_label(s);
  if (by_label) out = *by_label;
  return by_label.has_value();
}

std::string_view to_string(Signatory s) {
  return kSignatoryNames.code(s);
}

Status sign(Agreement& a, Signatory who, const Date& on, const Date& award_date) {
  auto& slot =
      who == Signatory::Beneficiary ? a.signed_by_beneficiary_on : a.signed_by_authority_on;
  const std::string party = who == Signatory::Beneficiary ? "le bénéficiaire" : "la collectivité";
  if (slot)
    return refuse(
        "agreement.already_signed", "signatory",
        "La convention a déjà été signée par " + party + " le " + fr::date_long(*slot) + ".");
  if (on < award_date)
    return refuse("agreement.date", "on",
                  "Une convention ne peut être signée (" + fr::date_long(on) +
                      ") avant l'attribution de la subvention (" + fr::date_long(award_date) +
                      ").");
  slot = on;
  return done();
}

}  // namespace octroi
