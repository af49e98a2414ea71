#include "domain/stateaid/de_minimis.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "unit/domain/cp_2023_040.h"

namespace octroi {
namespace {

using cp2023040::cents;
using cp2023040::euros;

#define NNBSP "\u202f"
#define NBSP "\u00a0"

const PartyId kCasaco{1};  // SAS SCIC Casaco
const PartyId kSci{2};     // SCI 6 avenue JJ, controlled by Casaco
const PartyId kOther{3};

using Links = std::vector<std::pair<PartyId, PartyId>>;

const Links kCasacoControlsSci = {{kCasaco, kSci}};

// CP 2022-285 of 7 July 2022: 78 400 € to Casaco under 1407/2013.
AidRecord casaco_award() {
  return {kCasaco, euros(78'400), Date(2022, 7, 7), AidRegime::DeMinimis1407, "CP 2022-285"};
}

DeMinimisCheck check_ok(AidRegime regime, PartyId party, Money amount, const Date& on,
                        const std::vector<AidRecord>& aids, const Links& links) {
  auto r = check_de_minimis(regime, party, amount, on, aids, links);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.refusal().describe());
  return r.ok() ? r.value() : DeMinimisCheck{};
}

TEST(DeMinimis1407, CasacoAndItsSciAreOneUndertaking) {
  const auto c = check_ok(AidRegime::DeMinimis1407, kSci, euros(150'000), Date(2023, 3, 15),
                          {casaco_award()}, kCasacoControlsSci);
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.used, euros(78'400));
  EXPECT_EQ(c.room, euros(121'600));
  EXPECT_EQ(c.ceiling, euros(200'000));
  EXPECT_EQ(c.window_start.iso(), "2021-01-01");
  EXPECT_EQ(c.window_end.iso(), "2023-12-31");
  EXPECT_EQ(c.explanation,
            "Règlement (UE) n° 1407/2013 (de minimis) : aides de minimis reçues par l'entreprise "
            "unique du 1er janvier 2021 au 31 décembre 2023 : 78" NNBSP "400,00" NBSP
            "€ ; plafond 200" NNBSP "000,00" NBSP "€ ; marge disponible 121" NNBSP "600,00" NBSP
            "€. Aide envisagée 150" NNBSP "000,00" NBSP "€ : plafond dépassé de 28" NNBSP
            "400,00" NBSP "€.");
}

TEST(DeMinimis1407, Table) {
  struct Case {
    const char* name;
    PartyId party;
    Money amount;
    Date on;
    std::vector<AidRecord> aids;
    Links links;
    Money used;
    bool ok;
  };
  const Case cases[] = {
      {"exactly the room",
       kSci,
       euros(121'600),
       Date(2023, 3, 15),
       {casaco_award()},
       kCasacoControlsSci,
       euros(78'400),
       true},
      {"one cent above the room",
       kSci,
       cents(121'600'01),
       Date(2023, 3, 15),
       {casaco_award()},
       kCasacoControlsSci,
       euros(78'400),
       false},
      {"link read backwards",
       kCasaco,
       euros(150'000),
       Date(2023, 3, 15),
       {{kSci, euros(78'400), Date(2022, 7, 7), AidRegime::DeMinimis1407, "CP 2022-285"}},
       kCasacoControlsSci,
       euros(78'400),
       false},
      {"same party unlinked",
       kSci,
       euros(150'000),
       Date(2023, 3, 15),
       {casaco_award()},
       {},
       Money(),
       true},
      {"aid of 2019 is outside the 2023 window",
       kCasaco,
       euros(150'000),
       Date(2023, 3, 15),
       {{kCasaco, euros(190'000), Date(2020, 12, 31), AidRegime::DeMinimis1407, "other"},
        {kCasaco, euros(190'000), Date(2019, 6, 1), AidRegime::DeMinimis1407, "other"}},
       {},
       Money(),
       true},
      {"first day of the window counts",
       kCasaco,
       euros(150'000),
       Date(2023, 3, 15),
       {{kCasaco, euros(60'000), Date(2021, 1, 1), AidRegime::DeMinimis1407, "other"}},
       {},
       euros(60'000),
       false},
      {"2831 aid counts toward 1407",
       kCasaco,
       euros(100'000),
       Date(2023, 3, 15),
       {{kCasaco, euros(100'000), Date(2023, 2, 1), AidRegime::DeMinimis2831, "other"}},
       {},
       euros(100'000),
       true},
      {"SIEG, GBER and non-aid ignored",
       kCasaco,
       euros(200'000),
       Date(2023, 3, 15),
       {{kCasaco, euros(500'000), Date(2022, 1, 1), AidRegime::Sieg360, "other"},
        {kCasaco, euros(500'000), Date(2022, 1, 1), AidRegime::Gber, "other"},
        {kCasaco, euros(500'000), Date(2022, 1, 1), AidRegime::None, "other"}},
       {},
       Money(),
       true},
      {"other undertaking ignored",
       kCasaco,
       euros(200'000),
       Date(2023, 3, 15),
       {{kOther, euros(100'000), Date(2022, 1, 1), AidRegime::DeMinimis1407, "other"}},
       kCasacoControlsSci,
       Money(),
       true},
  };
  for (const auto& c : cases) {
    const auto r = check_ok(AidRegime::DeMinimis1407, c.party, c.amount, c.on, c.aids, c.links);
    EXPECT_EQ(r.used, c.used) << c.name;
    EXPECT_EQ(r.ok, c.ok) << c.name;
  }
}

TEST(DeMinimis2831, RollingThreeYears) {
  const std::vector<AidRecord> aids = {
      {kCasaco, euros(100'000), Date(2022, 3, 2), AidRegime::DeMinimis1407, "in"},
      {kCasaco, euros(100'000), Date(2022, 3, 1), AidRegime::DeMinimis1407, "out"},
      {kCasaco, euros(100'000), Date(2025, 3, 2), AidRegime::DeMinimis2831, "after"},
  };
  const auto c =
      check_ok(AidRegime::DeMinimis2831, kCasaco, euros(200'000), Date(2025, 3, 1), aids, {});
  EXPECT_EQ(c.window_start.iso(), "2022-03-02");
  EXPECT_EQ(c.window_end.iso(), "2025-03-01");
  EXPECT_EQ(c.used, euros(100'000));
  EXPECT_EQ(c.ceiling, euros(300'000));
  EXPECT_EQ(c.room, euros(200'000));
  EXPECT_TRUE(c.ok);

  const auto over =
      check_ok(AidRegime::DeMinimis2831, kCasaco, cents(200'000'01), Date(2025, 3, 1), aids, {});
  EXPECT_FALSE(over.ok);
}

TEST(DeMinimis2831, RoomNeverNegative) {
  const std::vector<AidRecord> aids = {
      {kCasaco, euros(350'000), Date(2024, 6, 1), AidRegime::DeMinimis2831, "over"},
  };
  const auto c = check_ok(AidRegime::DeMinimis2831, kCasaco, euros(1), Date(2025, 3, 1), aids, {});
  EXPECT_EQ(c.room, Money());
  EXPECT_FALSE(c.ok);
}

TEST(DeMinimis2831, NotBefore2024) {
  auto r =
      check_de_minimis(AidRegime::DeMinimis2831, kCasaco, euros(1), Date(2023, 12, 31), {}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal().first().code, "stateaid.regime_date");
  EXPECT_TRUE(
      check_de_minimis(AidRegime::DeMinimis2831, kCasaco, euros(1), Date(2024, 1, 1), {}, {}).ok());
}

TEST(DeMinimisSingleUndertaking, Components) {
  const PartyId a{10}, b{11}, c{12}, d{13};
  const std::set<std::int64_t> abc = {10, 11, 12};
  EXPECT_EQ(single_undertaking(a, {{a, b}, {b, c}}), abc);
  EXPECT_EQ(single_undertaking(c, {{a, b}, {b, c}}), abc);
  EXPECT_EQ(single_undertaking(b, {{b, c}, {a, b}}), abc);
  EXPECT_EQ(single_undertaking(a, {{a, b}, {b, c}, {c, a}}), abc);  // a cycle
  EXPECT_EQ(single_undertaking(d, {{a, b}, {b, c}}), std::set<std::int64_t>{13});
  EXPECT_EQ(single_undertaking(a, {}), std::set<std::int64_t>{10});
}

TEST(DeMinimis1407, ChainOfLinksCounts) {
  const PartyId a{10}, b{11}, c{12};
  const std::vector<AidRecord> aids = {
      {a, euros(120'000), Date(2022, 1, 1), AidRegime::DeMinimis1407, "a"},
  };
  const auto r = check_ok(AidRegime::DeMinimis1407, c, euros(100'000), Date(2023, 1, 1), aids,
                          {{a, b}, {b, c}});
  EXPECT_EQ(r.used, euros(120'000));
  EXPECT_FALSE(r.ok);
}

TEST(DeMinimisRegimeNames, RoundTrip) {
  for (AidRegime r : {AidRegime::None, AidRegime::DeMinimis1407, AidRegime::DeMinimis2831,
                      AidRegime::Sieg360, AidRegime::Gber}) {
    AidRegime back = AidRegime::None;
    ASSERT_TRUE(parse_aid_regime(to_string(r), back)) << to_string(r);
    EXPECT_EQ(back, r);
    EXPECT_FALSE(french(r).empty());
  }
  EXPECT_EQ(to_string(AidRegime::DeMinimis2831), "de_minimis_2023_2831");
  AidRegime out;
  EXPECT_FALSE(parse_aid_regime("de_minimis", out));
}

}  // namespace
}  // namespace octroi
