#include "domain/payment/payment.h"

#include <utility>

#include "core/french.h"
#include "core/rounding.h"

namespace octroi {

std::string_view to_string(PaymentKind k) {
  return kPaymentKindNames.code(k);
}

std::string_view french(PaymentKind k) {
  return kPaymentKindNames.label(k);
}

bool parse_payment_kind(std::string_view s, PaymentKind& out) {
  return kPaymentKindNames.parse(s, out);
}

Status PaymentRules::validate(const std::string& prefix) const {
  std::vector<Problem> problems;
  const Rate hundred = Rate::percent(100);
  if (advance_max && hundred < *advance_max)
    problems.push_back({"payment_rules.advance_max", prefix + ".advance_max",
                        "Le plafond de l'avance ne peut dépasser 100 % de l'aide."});
  if (interim_max && hundred < *interim_max)
    problems.push_back({"payment_rules.interim_max", prefix + ".interim_max",
                        "Le plafond des versements cumulés (avance et acomptes) ne peut dépasser "
                        "100 % de l'aide."});
  if (hundred < balance_tolerance)
    problems.push_back({"payment_rules.balance_tolerance", prefix + ".balance_tolerance",
                        "La tolérance sur les dépenses réalisées ne peut dépasser 100 %."});
  if (advance_max && interim_max && *interim_max < *advance_max)
    problems.push_back({"payment_rules.advance_above_interim", prefix + ".advance_max",
                        "Le plafond de l'avance (" + fr::percent_short(*advance_max) +
                            ") ne peut dépasser celui des versements cumulés (" +
                            fr::percent_short(*interim_max) + ")."});
  if (!problems.empty()) return Refusal(std::move(problems));
  return done();
}

namespace {

// What the realised eligible spending earns of the award (see payment.h), with the line that
// explains it.
struct Earned {
  Money amount;
  bool pro_rata = false;
  std::string line;
};

Earned earned_by(const PaymentRules& rules, const PaymentSituation& s, Money realised) {
  OCTROI_CHECK(s.eligible_base.is_positive(), "the eligible base of an award is positive");
  OCTROI_CHECK(!s.award.is_negative(), "an award is not negative");
  const std::string head = "Dépenses éligibles réalisées " + fr::euros(realised) +
                           " sur une base de " + fr::euros(s.eligible_base) + " : ";
  const Money tolerated = s.eligible_base.apply(rules.balance_tolerance, Rounding::Down);
  const Money threshold = s.eligible_base - tolerated;
  Earned e;
  if (realised >= threshold) {
    e.amount = s.award;
    e.line = head + "aide due en totalité, " + fr::euros(s.award);
    if (realised < s.eligible_base)
      e.line += " (écart toléré de " + fr::percent_short(rules.balance_tolerance) +
                ", soit des dépenses d'au moins " + fr::euros(threshold) + ")";
    return e;
  }
  const Int128 num = static_cast<Int128>(s.award.cents()) * realised.cents();
  const std::int64_t exact_check = divide_rounded(num, s.eligible_base.cents(), Rounding::Up);
  const Money pro = Money::from_cents(divide_rounded(num, s.eligible_base.cents(), Rounding::Down));
  e.amount = min(pro, s.award);
  e.pro_rata = true;
  e.line = head + "aide due " + fr::euros(s.award) + " × " + fr::amount(realised) + " / " +
           fr::amount(s.eligible_base) + " = " + fr::euros(e.amount);
  if (exact_check != pro.cents()) e.line += " (arrondi au centime inférieur)";
  return e;
}

Refusal refuse_realised() {
  return refuse("payment.realised", "realised_eligible",
                "Le montant des dépenses éligibles réalisées est obligatoire pour un acompte ou "
                "le solde, et ne peut être négatif.");
}

Result<PaymentDecision> decide_advance(const PaymentRules& rules, const PaymentSituation& s,
                                       Money requested) {
  if (!rules.advance_max)
    return refuse("payment.advance_not_allowed", "kind", "Le dispositif ne prévoit pas d'avance.");
  if (s.paid.is_positive())
    return refuse("payment.advance_ceiling", "kind",
                  "Une avance ne peut être versée qu'en premier, avant tout autre versement : " +
                      fr::euros(s.paid) + " ont déjà été versés sur cette aide.");
  const Money ceiling = s.award.apply(*rules.advance_max, Rounding::Down);
  const std::string ceiling_text = fr::percent_short(*rules.advance_max) + " de l'aide de " +
                                   fr::euros(s.award) + ", soit " + fr::euros(ceiling);
  if (requested > ceiling)
    return refuse("payment.advance_ceiling", "requested",
                  "L'avance demandée (" + fr::euros(requested) +
                      ") dépasse son plafond : " + ceiling_text + ".");
  PaymentDecision d;
  d.payable = requested;
  d.explanation.push_back("Avance demandée : " + fr::euros(requested));
  d.explanation.push_back("Plafond de l'avance : " + ceiling_text);
  d.explanation.push_back("Avance à verser : " + fr::euros(requested));
  return d;
}

Result<PaymentDecision> decide_interim(const PaymentRules& rules, const PaymentSituation& s,
                                       Money requested, std::optional<Money> realised) {
  if (!rules.interim_max)
    return refuse("payment.interim_not_allowed", "kind", "Le dispositif ne prévoit pas d'acompte.");
  if (!realised || realised->is_negative()) return refuse_realised();
  const Earned e = earned_by(rules, s, *realised);
  const Money ceiling = s.award.apply(*rules.interim_max, Rounding::Down);
  const Money cap = min(ceiling, e.amount);
  const std::string cap_text = "plafond des versements cumulés (avance et acomptes) : " +
                               fr::percent_short(*rules.interim_max) + " de l'aide de " +
                               fr::euros(s.award) + ", soit " + fr::euros(ceiling);
  if (s.paid >= cap)
    return refuse("payment.nothing_due", "requested",
                  "Aucun acompte n'est dû : " + fr::euros(s.paid) +
                      " ont déjà été versés, pour une aide acquise de " + fr::euros(e.amount) +
                      " au vu des dépenses réalisées (" + cap_text + ").");
  const Money room = cap - s.paid;
  if (s.paid + requested > cap)
    return refuse("payment.interim_ceiling", "requested",
                  "L'acompte demandé (" + fr::euros(requested) +
                      ") dépasse ce qui peut encore être versé : " + fr::euros(room) +
                      " au plus (déjà versé " + fr::euros(s.paid) + ", aide acquise " +
                      fr::euros(e.amount) + ", " + cap_text + ").");
  PaymentDecision d;
  d.payable = requested;
  d.earned = e.amount;
  d.pro_rata = e.pro_rata;
  d.explanation.push_back(e.line);
  d.explanation.push_back("Plafond des versements cumulés (avance et acomptes) : " +
                          fr::percent_short(*rules.interim_max) + " de l'aide de " +
                          fr::euros(s.award) + ", soit " + fr::euros(ceiling));
  d.explanation.push_back("Déjà versé : " + fr::euros(s.paid));
  d.explanation.push_back("Acompte à verser : " + fr::euros(requested));
  return d;
}

// A balance is accepted even when nothing is due and nothing is to recover (earned == paid):
// a zero balance still settles the dossier.
Result<PaymentDecision> decide_balance(const PaymentRules& rules, const PaymentSituation& s,
                                       std::optional<Money> realised) {
  if (!realised || realised->is_negative()) return refuse_realised();
  const Earned e = earned_by(rules, s, *realised);
  PaymentDecision d;
  d.earned = e.amount;
  d.pro_rata = e.pro_rata;
  d.payable = max(Money(), e.amount - s.paid);
  d.overpaid = max(Money(), s.paid - e.amount);
  d.explanation.push_back(e.line);
  d.explanation.push_back("Déjà versé : " + fr::euros(s.paid));
  d.explanation.push_back("Solde à verser : " + fr::euros(d.payable));
  if (d.overpaid.is_positive())
    d.explanation.push_back("Trop-perçu à reverser : " + fr::euros(d.overpaid));
  else if (d.payable.is_zero())
    d.explanation.push_back("Rien n'est dû ni à reverser : le solde nul solde le dossier.");
  return d;
}

}  // namespace

Result<PaymentDecision> decide_payment(const PaymentRules& rules, const PaymentSituation& s,
                                       PaymentKind kind, Money requested,
                                       std::optional<Money> realised_eligible) {
  if (s.balance_paid)
    return refuse("payment.settled", "kind",
                  "Le solde de cette aide a déjà été versé : le dossier est soldé, aucun "
                  "versement n'est plus possible.");
  if (kind != PaymentKind::Balance && !requested.is_positive())
    return refuse(
        "payment.amount", "requested",
        "Le montant demandé pour un" + std::string(kind == PaymentKind::Advance ? "e" : "") + " " +
            std::string(french(kind)) + " doit être positif (" + fr::euros(requested) + ").");
  switch (kind) {
    case PaymentKind::Advance:
      return decide_advance(rules, s, requested);
    case PaymentKind::Interim:
      return decide_interim(rules, s, requested, realised_eligible);
    case PaymentKind::Balance:
      return decide_balance(rules, s, realised_eligible);
  }
  OCTROI_CHECK(false, "a payment kind is advance, interim or balance");
  return refuse("payment.kind", "kind", "Type de versement inconnu.");
}

Money clawback_pro_rata(Money paid, int years_total, int years_remaining) {
  OCTROI_CHECK(years_total > 0, "an obligation lasts at least one year");
  OCTROI_CHECK(years_remaining >= 0 && years_remaining <= years_total,
               "the years remaining are within the obligation");
  return Money::from_cents(divide_rounded(static_cast<Int128>(paid.cents()) * years_remaining,
                                          years_total, Rounding::HalfUp));
}

int years_remaining(const Date& start, int years_total, const Date& on) {
  OCTROI_CHECK(years_total >= 0, "an obligation does not last a negative number of years");
  int elapsed = 0;
  // Each anniversary is computed from `start` itself, so that 29 February does not drift to 28.
  while (elapsed < years_total && start.add_years(elapsed + 1) <= on)
    ++elapsed;
  return years_total - elapsed;
}

}  // namespace octroi
