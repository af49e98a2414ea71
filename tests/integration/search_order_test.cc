// Issue 18, finding 6: a list of dossiers has its total, its pages and its order. At the use case
// (count_search_applications, the sort of search_applications) and on the /dossiers page (the
// caption "59 dossier(s) — page 1 sur 2", numbered pages, headers that sort), after the reference
// demonstration, on both stores.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "integration/web_page_support.h"

namespace octroi_test {
namespace {

using Numbers = std::vector<std::string>;

class SearchOrderTest : public WebPageTest {
 protected:
  Numbers numbers(const octroi::ApplicationSearch& s) { return found_numbers(s); }
  octroi::Result<std::int64_t> total(const octroi::ApplicationSearch& s) {
    return octroi::run_read(*store_, [&](octroi::Transaction& tx) {
      return octroi::count_search_applications(tx, idf_, s);
    });
  }
  static octroi::ApplicationSearch sorted(const std::string& sort, const std::string& order) {
    octroi::ApplicationSearch s;
    s.sort = sort;
    s.order = order;
    return s;
  }
};

TEST_F(SearchOrderTest, TheDossiersAreSortedByTheColumnAskedWithTheNumberBreakingTies) {
  EXPECT_EQ(numbers(sorted("", "")), (Numbers{"EX065392", "EX069984", "EX070158", "EX070162"}));
  EXPECT_EQ(numbers(sorted("number", "desc")),
            (Numbers{"EX070162", "EX070158", "EX069984", "EX065392"}));
  // Commune de Montfermeil < Commune des Clayes-sous-Bois < Commune du Perreux < SAS SCIC Casaco.
  EXPECT_EQ(numbers(sorted("beneficiary", "asc")),
            (Numbers{"EX070158", "EX070162", "EX069984", "EX065392"}));
  EXPECT_EQ(numbers(sorted("beneficiary", "desc")),
            (Numbers{"EX065392", "EX069984", "EX070162", "EX070158"}));
  // Awarded 78 400 €, then the amounts proposed: 8 000 € twice (by number), 7 000 €.
  EXPECT_EQ(numbers(sorted("amount", "desc")),
            (Numbers{"EX065392", "EX069984", "EX070158", "EX070162"}));
  EXPECT_EQ(numbers(sorted("amount", "asc")),
            (Numbers{"EX070162", "EX069984", "EX070158", "EX065392"}));
}

TEST_F(SearchOrderTest, TheTotalIgnoresThePageAndFollowsTheFilters) {
  octroi::ApplicationSearch s;
  s.limit = 2;
  s.offset = 2;
  EXPECT_EQ(numbers(s).size(), 2u);
  ASSERT_TRUE(total(s).ok());
  EXPECT_EQ(total(s).value(), 4);
  s.state = "proposed";
  EXPECT_EQ(total(s).value(), 3);
  s.text = "montfermeil";
  EXPECT_EQ(total(s).value(), 1);
}

TEST_F(SearchOrderTest, AnUnknownSortOrOrderIsRefusedByName) {
  auto bad = octroi::run_read(*store_, [&](octroi::Transaction& tx) {
    return octroi::search_applications(tx, idf_, sorted("size", "up"));
  });
  ASSERT_FALSE(bad.ok());
  ASSERT_EQ(bad.refusal().problems.size(), 2u);
  EXPECT_EQ(bad.refusal().problems[0].code, "search.sort");
  EXPECT_EQ(bad.refusal().problems[0].field, "sort");
  EXPECT_EQ(bad.refusal().problems[1].code, "search.order");
  EXPECT_FALSE(total(sorted("size", "")).ok());
}

TEST_F(SearchOrderTest, ThePageSaysItsTotalItsPagesAndSortsByItsHeaders) {
  add_users({{"lecteur", "reader"}});
  api_ = std::make_unique<octroi::http::Api>(*store_, clock_, passwords_, tokens_);
  // 55 more drafts: 59 dossiers, two pages of 50.
  auto made = write(
      [&](octroi::Transaction& tx, const octroi::Context& ctx) -> octroi::Result<octroi::Done> {
        for (int i = 0; i < 55; ++i) {
          octroi::ApplicationInput in;
          in.scheme_number = "00001176";
          in.party_id = party_id("Commune de Montfermeil");
          in.title = "Projet " + std::to_string(i);
          in.start = "2023-03-01";
          in.end = "2023-12-31";
          in.reference_year = "2023";
          if (auto r = octroi::create_application(tx, ctx, in); !r.ok()) return r.refusal();
        }
        return octroi::done();
      });
  ASSERT_TRUE(made.ok()) << made.refusal().describe();
  const std::string s = login("lecteur");
  auto page = get("/dossiers", s);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("59 dossier(s) — page 1 sur 2"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("<strong aria-current=\"page\">1</strong>"), std::string::npos);
  EXPECT_NE(page.body.find("aria-label=\"Page 2\""), std::string::npos);
  page = get("/dossiers?page=2", s);
  EXPECT_NE(page.body.find("59 dossier(s) — page 2 sur 2"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("Page suivante"), std::string::npos);
  // The number column sorts ascending by default; its header link reverses it.
  page = get("/dossiers", s);
  EXPECT_NE(page.body.find("aria-sort=\"ascending\""), std::string::npos);
  EXPECT_NE(page.body.find("sort=number&amp;order=desc"), std::string::npos) << page.body;
  page = get("/dossiers?sort=number&order=desc", s);
  EXPECT_NE(page.body.find("aria-sort=\"descending\""), std::string::npos);
  // The newest dossier first: the last one created.
  const auto first_row = page.body.find("<th scope=\"row\">");
  ASSERT_NE(first_row, std::string::npos);
  const auto last = numbers(sorted("number", "desc")).front();
  EXPECT_NE(page.body.substr(first_row, 80).find(last), std::string::npos);
  // A bad order: refused at the page with its message.
  page = get("/dossiers?sort=size", s);
  EXPECT_EQ(page.status, 422);
  EXPECT_NE(page.body.find("data-code=\"search.sort\""), std::string::npos);
}

}  // namespace
}  // namespace octroi_test
