// The financing plans and award rules of CP 2023-040 (tests/fixtures/cp-2023-040.md), typed
// line by line from the reference, for the domain tests. Every figure here is copied from the
// reference, never computed by the code under test.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "core/money.h"
#include "core/rate.h"
#include "domain/application/financing_plan.h"
#include "domain/scheme/award_rule.h"

namespace octroi {

// GoogleTest printer, so that a failed comparison shows "8000.00" rather than raw bytes.
inline void PrintTo(Money m, std::ostream* os) {
  *os << m.to_decimal_string();
}

}  // namespace octroi

namespace octroi::cp2023040 {

inline Money cents(std::int64_t c) {
  return Money::from_cents(c);
}
inline Money euros(std::int64_t e) {
  return Money::from_euros(e);
}

// EX070162 — Commune des Clayes-sous-Bois (TTC).
inline FinancingPlan plan_ex070162() {
  FinancingPlan p;
  p.expenses = {
      {"Communication", cents(10'580'00), true},
      {"Accompagnement / formation à la solution", cents(4'200'00), true},
  };
  p.resources = {
      {"Autofinancement", cents(7'780'00), ResourceKind::SelfFunding, ""},
      {"Région", cents(7'000'00), ResourceKind::Authority, "sollicité"},
  };
  return p;
}

// EX070158 — Commune de Montfermeil (TTC); the fourth expense is not eligible.
inline FinancingPlan plan_ex070158() {
  FinancingPlan p;
  p.expenses = {
      {"Abonnement sur 12 mois (pour commerces)", cents(10'117'08), true},
      {"Frais de formation liés à l'acquisition de la solution", cents(2'200'20), true},
      {"Frais de formation collective à distance en faveur des commerces", cents(4'400'40), true},
      {"Développement solution pour autres cibles", cents(2'882'32), false},
  };
  p.resources = {
      {"Autofinancement", cents(8'600'00), ResourceKind::SelfFunding, ""},
      {"Région", cents(8'000'00), ResourceKind::Authority, "sollicité"},
      {"ANCT", cents(3'000'00), ResourceKind::OtherPublic, ""},
  };
  return p;
}

// EX069984 — Commune du Perreux-sur-Marne (TTC).
inline FinancingPlan plan_ex069984() {
  FinancingPlan p;
  p.expenses = {
      {"Abonnement annuel plateforme", cents(17'280'00), true},
  };
  p.resources = {
      {"Autofinancement", cents(9'280'00), ResourceKind::SelfFunding, ""},
      {"Région", cents(8'000'00), ResourceKind::Authority, "sollicité"},
  };
  return p;
}

// EX065392 — tiers-lieu Casaco (HT, VAT recovered); the last expense is not eligible.
inline FinancingPlan plan_ex065392() {
  FinancingPlan p;
  p.expenses = {
      {"Travaux d'aménagement", cents(131'500'00), true},
      {"Mobilier et équipement", cents(39'500'00), true},
      {"Frais d'étude", cents(25'000'00), true},
      {"Autres dépenses non éligibles (gros œuvre, bureau de contrôle)", cents(4'000'00), false},
  };
  p.resources = {
      {"Région", cents(78'400'00), ResourceKind::Authority, "sollicité"},
      {"Fonds propres", cents(7'600'00), ResourceKind::SelfFunding, ""},
      {"Emprunt bancaire", cents(100'000'00), ResourceKind::Loan, "attribué"},
      {"Financement participatif", cents(4'000'00), ResourceKind::Private, "sollicité"},
      {"Autres recettes (participation d'une autre entreprise)", cents(10'000'00),
       ResourceKind::Private, ""},
  };
  return p;
}

// Chèque numérique volet 2, reading 1: min(request, 50 % of the base, 8 000 €).
inline AwardRule reading1() {
  AwardRule r;
  r.kind = AwardKind::Rate;
  r.rate = Rate::percent(50);
  r.cap = euros(8'000);
  r.not_above_request = true;
  return r;
}

// Chèque numérique volet 2, reading 2: 50 % of the base rounded down to the thousand, capped at
// 8 000 €, no request limit.
inline AwardRule reading2() {
  AwardRule r;
  r.kind = AwardKind::Rate;
  r.rate = Rate::percent(50);
  r.step = euros(1'000);
  r.step_rounding = Rounding::Down;
  r.cap = euros(8'000);
  r.not_above_request = false;
  return r;
}

// Chèque numérique volet 1: 150 € per full 300 € HT, at most 1 500 €.
inline AwardRule volet1() {
  AwardRule r;
  r.kind = AwardKind::Rate;
  r.rate = Rate::percent(50);
  r.base = BaseRequirement::ExclTax;
  r.step = euros(150);
  r.step_rounding = Rounding::Down;
  r.cap = euros(1'500);
  return r;
}

// Lieux d'innovation – projets d'investissement (Casaco): 40 % of the HT base.
inline AwardRule casaco() {
  AwardRule r;
  r.kind = AwardKind::Rate;
  r.rate = Rate::percent(40);
  return r;
}

}  // namespace octroi::cp2023040
