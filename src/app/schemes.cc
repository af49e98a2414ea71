#include <cstdio>

#include "app/audit_json.h"
#include "app/input.h"
#include "app/ports/schemes.h"
#include "app/use_cases.h"
#include "domain/text.h"

namespace octroi {
namespace {

Result<AidScheme> build_scheme(const SchemeInput& in, AuthorityId authority) {
  InputProblems pb;
  AidScheme s;
  s.authority = authority;
  s.number = in.number;
  s.name = in.name;
  s.framework_deliberation = in.framework_deliberation;
  s.budget_imputation = in.budget_imputation;
  s.budget_action = in.budget_action;
  if (!parse_budget_section(in.section, s.section))
    pb.add({"scheme.section", "section",
            "Section budgétaire inconnue « " + in.section +
                " » : « fonctionnement » ou « investissement »."});
  s.opens_on = pb.optional_date(in.opens_on, "opens_on");
  s.closes_on = pb.optional_date(in.closes_on, "closes_on");
  auto& r = s.rule;
  const auto& ri = in.rule;
  if (!parse_award_kind(ri.kind, r.kind))
    pb.add(
        {"rule.kind", "rule.kind",
         "Type de calcul inconnu « " + ri.kind + " » : « rate » (taux) ou « fixed » (forfait)."});
  if (r.kind == AwardKind::Rate) {
    if (auto rate = pb.take(Rate::parse_percent(ri.rate_percent, "rule.rate"))) r.rate = *rate;
  }
  if (!parse_rounding(ri.rate_rounding, r.rate_rounding))
    pb.add({"rule.rounding", "rule.rate_rounding",
            "Arrondi inconnu « " + ri.rate_rounding + " » : down, up, half_up ou half_even."});
  if (!parse_rounding(ri.step_rounding, r.step_rounding))
    pb.add({"rule.rounding", "rule.step_rounding",
            "Arrondi inconnu « " + ri.step_rounding + " » : down, up, half_up ou half_even."});
  if (!parse_base_requirement(ri.base, r.base))
    pb.add({"rule.base", "rule.base",
            "Base inconnue « " + ri.base + " » : by_vat_recovery, ht ou ttc."});
  r.step = pb.optional_money(ri.step, "rule.step");
  r.cap = pb.optional_money(ri.cap, "rule.cap");
  r.fixed_amount = pb.optional_money(ri.fixed_amount, "rule.fixed_amount");
  r.not_above_request = ri.not_above_request;
  s.model_agreement = text::trim(in.model_agreement);
  s.service = text::trim(in.service);
  if (text::length(s.service) > 200)
    pb.add({"scheme.service", "service", "Le nom du service dépasse 200 caractères."});
  auto optional_rate = [&](const std::string& value,
                           const std::string& field) -> std::optional<Rate> {
    if (text::trim(value).empty()) return std::nullopt;
    return pb.take(Rate::parse_percent(value, field));
  };
  s.payment_rules.advance_max = optional_rate(in.advance_max, "payment_rules.advance_max");
  s.payment_rules.interim_max = optional_rate(in.interim_max, "payment_rules.interim_max");
  if (auto t = optional_rate(in.balance_tolerance, "payment_rules.balance_tolerance"))
    s.payment_rules.balance_tolerance = *t;
  auto years = [&](const std::string& value, const std::string& field) -> std::optional<int> {
    const std::string t = text::trim(value);
    if (t.empty()) return std::nullopt;
    int v = 0;
    if (std::sscanf(t.c_str(), "%d", &v) != 1 || std::to_string(v) != t || v < 1 || v > 30) {
      pb.add({"scheme.years", field,
              "Une durée en années entre 1 et 30 est attendue (« " + t + " »)."});
      return std::nullopt;
    }
    return v;
  };
  s.lapse_rules.first_request_years =
      years(in.lapse_first_request_years, "lapse_rules.first_request_years");
  s.lapse_rules.balance_years = years(in.lapse_balance_years, "lapse_rules.balance_years");
  s.obligation_years = years(in.obligation_years, "obligation_years");
  if (!parse_aid_regime(text::trim(in.aid_regime), s.aid_regime))
    pb.add({"scheme.aid_regime", "aid_regime",
            "Régime d'aide inconnu « " + in.aid_regime +
                " » : none, de_minimis_1407_2013, de_minimis_2023_2831, sieg_360_2012 ou "
                "gber_651_2014."});
  if (!pb.empty()) return pb.refusal();
  if (auto v = s.validate(); !v.ok()) return v.refusal();
  return s;
}

}  // namespace

Result<AidScheme> scheme_by_number(Transaction& tx, AuthorityId a, const std::string& number) {
  auto s = tx.schemes().find_scheme(a, number);
  if (!s)
    return refuse("scheme.unknown", "scheme",
                  "Aucun dispositif n° « " + number + " » pour cette collectivité.");
  return *s;
}

SchemeInput scheme_input_of(const AidScheme& s) {
  auto money = [](const std::optional<Money>& m) {
    return m ? m->to_decimal_string() : std::string();
  };
  SchemeInput in;
  in.number = s.number;
  in.name = s.name;
  in.framework_deliberation = s.framework_deliberation;
  in.section = std::string(to_string(s.section));
  in.budget_imputation = s.budget_imputation;
  in.budget_action = s.budget_action;
  in.opens_on = s.opens_on ? s.opens_on->iso() : "";
  in.closes_on = s.closes_on ? s.closes_on->iso() : "";
  const auto& r = s.rule;
  in.rule.kind = std::string(to_string(r.kind));
  in.rule.rate_percent = r.kind == AwardKind::Rate ? r.rate.to_percent_string() : "";
  in.rule.rate_rounding = std::string(to_string(r.rate_rounding));
  in.rule.base = std::string(to_string(r.base));
  in.rule.step = money(r.step);
  in.rule.step_rounding = std::string(to_string(r.step_rounding));
  in.rule.cap = money(r.cap);
  in.rule.not_above_request = r.not_above_request;
  in.rule.fixed_amount = money(r.fixed_amount);
  auto percent = [](const std::optional<Rate>& rate) {
    return rate ? rate->to_percent_string() : std::string();
  };
  auto years = [](const std::optional<int>& y) { return y ? std::to_string(*y) : std::string(); };
  in.model_agreement = s.model_agreement;
  in.service = s.service;
  in.advance_max = percent(s.payment_rules.advance_max);
  in.interim_max = percent(s.payment_rules.interim_max);
  in.balance_tolerance = s.payment_rules.balance_tolerance.to_percent_string();
  in.lapse_first_request_years = years(s.lapse_rules.first_request_years);
  in.lapse_balance_years = years(s.lapse_rules.balance_years);
  in.obligation_years = years(s.obligation_years);
  in.aid_regime = std::string(to_string(s.aid_regime));
  return in;
}

Result<AidScheme> create_scheme(Transaction& tx, const Context& ctx, const SchemeInput& in) {
  auto built = build_scheme(in, ctx.authority);
  if (!built.ok()) return built;
  AidScheme s = std::move(built).value();
  if (tx.schemes().find_scheme(ctx.authority, s.number))
    return refuse("scheme.exists", "number", "Le dispositif n° " + s.number + " existe déjà.");
  s.id = tx.schemes().insert_scheme(s);
  record_audit(
      tx, ctx,
      {.action = "scheme.create", .entity = "scheme", .key = s.number, .after = audit_json::of(s)});
  return s;
}

Result<AidScheme> edit_scheme(Transaction& tx, const Context& ctx, const std::string& number,
                              const SchemeInput& in) {
  auto existing = scheme_by_number(tx, ctx.authority, number);
  if (!existing.ok()) return existing;
  auto built = build_scheme(in, ctx.authority);
  if (!built.ok()) return built;
  AidScheme s = std::move(built).value();
  if (s.number != existing->number)
    return refuse("scheme.number_change", "number",
                  "Le numéro d'un dispositif ne peut pas être modifié.");
  s.id = existing->id;
  tx.schemes().update_scheme(s);
  record_audit(tx, ctx,
               {.action = "scheme.edit",
                .entity = "scheme",
                .key = s.number,
                .before = audit_json::of(existing.value()),
                .after = audit_json::of(s)});
  return s;
}

}  // namespace octroi
