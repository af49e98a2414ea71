// State aid: the regime of each award and the de minimis cumulation check.
//
//   de minimis 1407/2013 (as amended by 2020/972): 200 000 € per single undertaking over the
//     current fiscal year and the two previous ones (calendar years here);
//   de minimis 2023/2831, for aid granted from 1 January 2024: 300 000 € over any rolling period
//     of three years (the grant date and the three years before it).
// A single undertaking (entreprise unique) groups parties linked by control: SCIC Casaco and the
// SCI it controls count as one. Aid from other grantors, declared by the beneficiary, counts too.
// The grant date is the date of the deliberation.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/enum_names.h"
#include "core/money.h"
#include "core/result.h"
#include "domain/ids.h"

namespace octroi {

enum class AidRegime {
  None,           // not state aid (communes' public-service projects, …)
  DeMinimis1407,  // Regulation (EU) 1407/2013
  DeMinimis2831,  // Regulation (EU) 2023/2831
  Sieg360,        // SIEG de minimis 360/2012
  Gber,           // GBER 651/2014 (an article of it)
};
std::string_view to_string(AidRegime r);  // "none", "de_minimis_1407_2013", "de_minimis_2023_2831",
                                          // "sieg_360_2012", "gber_651_2014"
std::string_view french(AidRegime r);
bool parse_aid_regime(std::string_view s, AidRegime& out);
inline constexpr auto kAidRegimeNames = name_table<AidRegime>({
    {AidRegime::None, "none", "hors aide d'État"},
    {AidRegime::DeMinimis1407, "de_minimis_1407_2013", "de minimis, règlement (UE) n° 1407/2013"},
    {AidRegime::DeMinimis2831, "de_minimis_2023_2831", "de minimis, règlement (UE) 2023/2831"},
    {AidRegime::Sieg360, "sieg_360_2012", "de minimis SIEG, règlement (UE) n° 360/2012"},
    {AidRegime::Gber, "gber_651_2014",
     "exemption par catégorie, règlement (UE) n° 651/2014 (RGEC)"},
});

// When a de minimis check is made: when the instructor proposes the dossier, or at the vote.
enum class StateAidStage { Instruction, Vote };
std::string_view to_string(StateAidStage s);  // "instruction", "vote"
std::string_view french(StateAidStage s);     // "instruction", "vote"
bool parse_state_aid_stage(std::string_view s, StateAidStage& out);
inline constexpr auto kStateAidStageNames = name_table<StateAidStage>({
    {StateAidStage::Instruction, "instruction", "instruction"},
    {StateAidStage::Vote, "vote", "vote"},
});
// DeMinimis1407 or DeMinimis2831: the regimes whose cumulation check_de_minimis checks.
bool is_de_minimis(AidRegime r);

struct AidRecord {
  PartyId party;
  Money amount;
  Date granted_on;
  AidRegime regime = AidRegime::DeMinimis1407;
  std::string source;            // "CP 2022-285", or the other grantor's name
  std::int64_t application = 0;  // octroi's dossier the aid was awarded on; 0 for others' aid
};

struct DeMinimisCheck {
  Money ceiling;
  Money used;  // de minimis aid already granted to the single undertaking in the window
  Money room;  // ceiling − used (never negative)
  Date window_start;
  Date window_end;
  bool ok = true;           // used + amount ≤ ceiling
  std::string explanation;  // French
};

// The parties of the single undertaking `party` belongs to, given control links (a, b): "a
// controls b" — links are followed in both directions.
std::set<std::int64_t> single_undertaking(PartyId party,
                                          const std::vector<std::pair<PartyId, PartyId>>& links);

// Checks a new de minimis award of `amount` to `party` granted on `granted_on` under `regime`
// (DeMinimis1407 or DeMinimis2831; REQUIRES one of them), against `aids` (any parties: those
// outside the single undertaking or outside the window are ignored; both de minimis regulations
// count toward each other's ceiling). Refuses ("stateaid.regime_date") 2023/2831 for a grant
// before 2024-01-01.
Result<DeMinimisCheck> check_de_minimis(AidRegime regime, PartyId party, Money amount,
                                        const Date& granted_on, const std::vector<AidRecord>& aids,
                                        const std::vector<std::pair<PartyId, PartyId>>& links);

}  // namespace octroi
