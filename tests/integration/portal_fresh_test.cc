// A fresh authority opens its portal from `octroi init` (issue 19), not only the demonstration:
// its scheme is published from the command line, the catalogue shows it, an applicant applies.
#include <gtest/gtest.h>

#include "adapters/crypto/sodium_passwords.h"
#include "adapters/http/api.h"
#include "adapters/store/open_store.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

std::string describe(const ProcessResult& r) {
  return "exit " + std::to_string(r.status) + "\n" + r.out + r.err;
}

TEST(PortalFresh, AnAuthorityMadeByInitPublishesASchemeAndReceivesAnApplication) {
  TempDir dir;
  TestDatabase database(dir.path());
  const std::string db = database.locator();
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"init", "--db", db},
           {"authority", "create", "--code", "d93", "--name", "Département de la Seine-Saint-Denis",
            "--db", db},
           {"scheme", "create", "--number", "4200", "--name", "Aide aux clubs sportifs", "--rate",
            "40", "--cap", "5000", "--service", "Service des sports", "--db", db},
           {"scheme", "portal", "4200", "--publish", "--eligibility",
            "Associations sportives affiliées à une fédération", "--document", "Statuts",
            "--document", "Budget prévisionnel", "--contact", "sports@exemple.fr", "--db", db}}) {
    const auto r = run_octroi(args);
    ASSERT_EQ(r.status, 0) << args[0] << " " << args[1] << ": " << describe(r);
  }
  // Refused without a side: neither --publish nor --unpublish.
  EXPECT_NE(run_octroi({"scheme", "portal", "4200", "--db", db}).status, 0);
  auto store = octroi::stores::open(db, octroi::stores::OpenMode::Existing);
  FixedClock clock;
  octroi::crypto::SodiumPasswordHasher passwords;
  octroi::crypto::SodiumTokenSource tokens;
  octroi::http::Api api(*store, clock, passwords, tokens);
  octroi::http::HttpRequest r;
  r.method = "GET";
  r.path = "/portail";
  r.remote_addr = "127.0.0.1";
  auto out = api.handle(r);
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_NE(out.body.find("Les aides de Département de la Seine-Saint-Denis"), std::string::npos);
  EXPECT_NE(out.body.find("Aide aux clubs sportifs"), std::string::npos);
  r.path = "/portail/dispositifs/4200";
  out = api.handle(r);
  EXPECT_NE(out.body.find("Budget prévisionnel"), std::string::npos);
  EXPECT_NE(out.body.find("Associations sportives affiliées"), std::string::npos);
  // Withdrawn: out of the catalogue.
  ASSERT_EQ(run_octroi({"scheme", "portal", "4200", "--unpublish", "--db", db}).status, 0);
  r.path = "/portail";
  EXPECT_EQ(api.handle(r).body.find("Aide aux clubs sportifs"), std::string::npos);
}

}  // namespace
}  // namespace octroi_test
