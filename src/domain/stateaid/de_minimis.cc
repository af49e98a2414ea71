#include "domain/stateaid/de_minimis.h"

#include <deque>
#include <map>

#include "core/french.h"

namespace octroi {

std::string_view to_string(AidRegime r) {
  return kAidRegimeNames.code(r);
}

std::string_view french(AidRegime r) {
  return kAidRegimeNames.label(r);
}

bool parse_aid_regime(std::string_view s, AidRegime& out) {
  return kAidRegimeNames.parse(s, out);
}

std::string_view to_string(StateAidStage s) {
  return kStateAidStageNames.code(s);
}

std::string_view french(StateAidStage s) {
  return kStateAidStageNames.label(s);
}

bool parse_state_aid_stage(std::string_view s, StateAidStage& out) {
  return kStateAidStageNames.parse(s, out);
}

std::set<std::int64_t> single_undertaking(PartyId party,
                                          const std::vector<std::pair<PartyId, PartyId>>& links) {
  std::map<std::int64_t, std::vector<std::int64_t>> neighbours;
  for (const auto& [a, b] : links) {
    neighbours[a.value].push_back(b.value);
    neighbours[b.value].push_back(a.value);
  }
  std::set<std::int64_t> seen{party.value};
  std::deque<std::int64_t> queue{party.value};
  while (!queue.empty()) {
    const std::int64_t p = queue.front();
    queue.pop_front();
    const auto it = neighbours.find(p);
    if (it == neighbours.end()) continue;
    for (std::int64_t q : it->second)
      if (seen.insert(q).second) queue.push_back(q);
  }
  return seen;
}

bool is_de_minimis(AidRegime r) {
  return r == AidRegime::DeMinimis1407 || r == AidRegime::DeMinimis2831;
}

Result<DeMinimisCheck> check_de_minimis(AidRegime regime, PartyId party, Money amount,
                                        const Date& granted_on, const std::vector<AidRecord>& aids,
                                        const std::vector<std::pair<PartyId, PartyId>>& links) {
  OCTROI_CHECK(is_de_minimis(regime), "a de minimis check is made under a de minimis regulation");
  const Date start_2831(2024, 1, 1);
  if (regime == AidRegime::DeMinimis2831 && granted_on < start_2831)
    return refuse("stateaid.regime_date", "granted_on",
                  "Le règlement (UE) 2023/2831 ne s'applique qu'aux aides octroyées à compter du " +
                      fr::date_long(start_2831) + " ; l'aide octroyée le " +
                      fr::date_long(granted_on) + " relève du règlement (UE) n° 1407/2013.");

  DeMinimisCheck c;
  std::string regulation;
  if (regime == AidRegime::DeMinimis1407) {
    // The current fiscal year and the two previous ones (calendar years).
    c.window_start = Date(granted_on.year() - 2, 1, 1);
    c.window_end = Date(granted_on.year(), 12, 31);
    c.ceiling = Money::from_euros(200'000);
    regulation = "Règlement (UE) n° 1407/2013 (de minimis)";
  } else {
    // Any rolling period of three years: the grant date and the three years before it.
    c.window_start = granted_on.add_years(-3).add_days(1);
    c.window_end = granted_on;
    c.ceiling = Money::from_euros(300'000);
    regulation = "Règlement (UE) 2023/2831 (de minimis)";
  }

  const std::set<std::int64_t> undertaking = single_undertaking(party, links);
  for (const AidRecord& a : aids) {
    if (!is_de_minimis(a.regime)) continue;
    if (undertaking.count(a.party.value) == 0) continue;
    if (a.granted_on < c.window_start || c.window_end < a.granted_on) continue;
    c.used += a.amount;
  }
  c.room = max(Money(), c.ceiling - c.used);
  c.ok = c.used + amount <= c.ceiling;

  c.explanation = regulation + " : aides de minimis reçues par l'entreprise unique du " +
                  fr::date_long(c.window_start) + " au " + fr::date_long(c.window_end) + " : " +
                  fr::euros(c.used) + " ; plafond " + fr::euros(c.ceiling) +
                  " ; marge disponible " + fr::euros(c.room) + ". Aide envisagée " +
                  fr::euros(amount) + " : ";
  if (c.ok)
    c.explanation += "dans le plafond.";
  else
    c.explanation += "plafond dépassé de " + fr::euros(c.used + amount - c.ceiling) + ".";
  return c;
}

}  // namespace octroi
