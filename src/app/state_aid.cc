// State aid: the regime of a dossier, the de minimis checks, the single undertaking's links and
// the aid declared as granted by others.
#include <algorithm>
#include <cstdio>
#include <map>

#include "app/audit_json.h"
#include "app/award_support.h"
#include "app/input.h"
#include "app/ports/applications.h"
#include "app/ports/awards.h"
#include "app/ports/ledger.h"
#include "app/ports/parties.h"
#include "app/ports/schemes.h"
#include "app/posting.h"
#include "app/use_cases.h"
#include "core/french.h"
#include "domain/text.h"

namespace octroi {

using award_detail::load;

// ---- state aid ----------------------------------------------------------------------------------

AidRegime aid_regime_of(const Application& app, const AidScheme& scheme) {
  return app.award ? app.aid_regime : scheme.aid_regime;
}

Result<StateAidCheckRecord> check_state_aid(Transaction& tx, const Context& ctx,
                                            const std::string& number, const std::string& stage,
                                            std::optional<Date> grant_date, bool record) {
  auto l = load(tx, ctx.authority, number);
  if (!l.ok()) return l.refusal();
  const Application& app = l->app;
  if (auto s = check_instructing_service(ctx, l->scheme); !s.ok()) return s.refusal();
  const AidRegime regime = aid_regime_of(app, l->scheme);
  if (!is_de_minimis(regime))
    return refuse("stateaid.not_de_minimis", "number",
                  "Le dossier " + app.number + " ne relève pas d'un régime de minimis (" +
                      std::string(french(regime)) + ").");
  StateAidStage parsed_stage{};
  if (!parse_state_aid_stage(stage, parsed_stage))
    return refuse("stateaid.stage", "stage",
                  "Étape inconnue « " + stage + " » : instruction ou vote.");
  Money amount;
  Date granted_on = grant_date.value_or(ctx.clock->today());
  if (app.award) {
    amount = app.award->amount;
    granted_on = app.award->date;
  } else if (app.proposed_award) {
    amount = *app.proposed_award;
  } else {
    auto computed = app.compute_award(l->scheme);
    if (!computed.ok()) return computed.refusal();
    amount = computed->amount;
  }
  std::vector<AidRecord> aids;
  for (auto& a : tx.awards().de_minimis_aids(ctx.authority))
    if (a.application != app.id.value) aids.push_back(std::move(a));  // not the dossier itself
  auto check = check_de_minimis(regime, app.party, amount, granted_on, aids,
                                tx.awards().party_links(ctx.authority));
  if (!check.ok()) return check.refusal();
  StateAidCheckRecord rec{app.id,      parsed_stage,   regime,      granted_on, amount,
                          check->used, check->ceiling, check->room, check->ok};
  if (!record) return rec;
  tx.awards().insert_state_aid_check(ctx.authority, rec);
  record_audit(tx, ctx,
               {.action = "stateaid.check",
                .entity = "application",
                .key = app.number,
                .after = "{\"stage\":" + audit_json::quote(stage) +
                         ",\"regime\":" + audit_json::quote(std::string(to_string(regime))) +
                         ",\"amount\":" + audit_json::quote(amount.to_decimal_string()) +
                         ",\"used\":" + audit_json::quote(check->used.to_decimal_string()) +
                         ",\"ceiling\":" + audit_json::quote(check->ceiling.to_decimal_string()) +
                         ",\"ok\":" + (check->ok ? "true" : "false") + "}"});
  return rec;
}

Result<Done> link_parties(Transaction& tx, const Context& ctx, const std::string& controlling,
                          const std::string& controlled) {
  auto party = [&](const std::string& text_id, const char* field) -> std::optional<PartyId> {
    long long v = 0;
    char extra = 0;
    if (std::sscanf(text_id.c_str(), "%lld%c", &v, &extra) != 1 || v <= 0) return std::nullopt;
    if (!tx.parties().get_party(ctx.authority, PartyId{v})) return std::nullopt;
    (void)field;
    return PartyId{v};
  };
  auto a = party(controlling, "controlling");
  auto b = party(controlled, "controlled");
  InputProblems pb;
  if (!a) pb.add({"party.unknown", "controlling", "Aucun tiers n° « " + controlling + " »."});
  if (!b) pb.add({"party.unknown", "controlled", "Aucun tiers n° « " + controlled + " »."});
  if (!pb.empty()) return pb.refusal();
  if (*a == *b)
    return refuse("party.link_self", "controlled", "Un tiers ne peut se contrôler lui-même.");
  if (!tx.awards().insert_party_link(ctx.authority, *a, *b)) return done();  // already recorded
  record_audit(tx, ctx,
               {.action = "party.link",
                .entity = "party",
                .key = controlling,
                .after = "{\"controls\":" + audit_json::quote(controlled) + "}"});
  return done();
}

Result<Done> declare_aid(Transaction& tx, const Context& ctx, const DeclaredAidInput& in) {
  InputProblems pb;
  long long id = 0;
  char extra = 0;
  if (std::sscanf(in.party.c_str(), "%lld%c", &id, &extra) != 1 || id <= 0 ||
      !tx.parties().get_party(ctx.authority, PartyId{id}))
    pb.add({"party.unknown", "party", "Aucun tiers n° « " + in.party + " »."});
  AidRegime regime{};
  if (!parse_aid_regime(text::trim(in.regime), regime))
    pb.add({"stateaid.regime", "regime",
            "Régime inconnu « " + in.regime +
                " » : de_minimis_1407_2013, de_minimis_2023_2831, sieg_360_2012 ou "
                "gber_651_2014."});
  auto amount = pb.money(in.amount, "amount");
  if (amount && !amount->is_positive())
    pb.add({"stateaid.amount", "amount", "Le montant de l'aide déclarée est positif."});
  auto granted = pb.date(in.granted_on, "granted_on");
  if (auto p = text::check_required(in.grantor, "grantor", "L'organisme qui a accordé l'aide", 200))
    pb.add(*p);
  if (!pb.empty()) return pb.refusal();
  tx.awards().insert_third_party_aid(
      ctx.authority, {PartyId{id}, *amount, *granted, regime, text::trim(in.grantor)});
  record_audit(tx, ctx,
               {.action = "stateaid.declare",
                .entity = "party",
                .key = in.party,
                .after = "{\"amount\":" + audit_json::quote(amount->to_decimal_string()) +
                         ",\"grantor\":" + audit_json::quote(text::trim(in.grantor)) + "}"});
  return done();
}

}  // namespace octroi
