// One read transaction per request (app/context.h, ReadScope): the reads of a scope share one
// transaction; a write ends it, so that what follows sees the write; a read that throws ends it.
// Over the API, a GET answered with a token or a session cookie opens exactly one read
// transaction (the caller's lookup and the page's queries together), counted by a store that
// passes everything through.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>

#include "app/ports/parties.h"
#include "integration/http_support.h"

namespace octroi_test {
namespace {

using octroi::ReadScope;
using octroi::Transaction;
using octroi::TxMode;

// The demo store, counting the read transactions opened on it.
class CountingStore final : public octroi::sql::SqlStore {
 public:
  explicit CountingStore(octroi::sql::SqlStore& inner) : inner_(inner) {}
  std::unique_ptr<Transaction> begin(TxMode mode) override {
    if (mode == TxMode::Read) ++reads;
    return inner_.begin(mode);
  }
  void write(const octroi::WriteWork& work) override { inner_.write(work); }
  int schema_version() override { return inner_.schema_version(); }
  octroi::Hasher& hasher() override { return inner_.hasher(); }
  std::unique_ptr<octroi::sql::Connection> connect() override { return inner_.connect(); }
  const std::string& locator() const override { return inner_.locator(); }

  std::atomic<int> reads{0};

 private:
  octroi::sql::SqlStore& inner_;
};

class ReadScopeTest : public HttpTest {};

TEST_F(ReadScopeTest, ReadsShareOneTransactionUntilAWrite) {
  CountingStore counting(*store_);
  ReadScope scope(counting);
  auto count = [&] {
    return octroi::run_read(
        counting, [&](Transaction& tx) { return tx.parties().list_parties(idf_).size(); });
  };
  const auto before = count();
  EXPECT_EQ(count(), before);
  EXPECT_EQ(scope.opened(), 1);
  EXPECT_EQ(counting.reads, 1);
  auto added = octroi::run_write(counting, [&](Transaction& tx) {
    octroi::PartyInput in;
    in.legal_name = "Association lue après écriture";
    return octroi::register_party(tx, context(), in);
  });
  ASSERT_TRUE(added.ok()) << added.refusal().describe();
  // The write ended the shared transaction: the next read is a new snapshot that sees it.
  EXPECT_EQ(count(), before + 1);
  EXPECT_EQ(scope.opened(), 2);
}

TEST_F(ReadScopeTest, AReadThatThrowsEndsTheSharedTransaction) {
  CountingStore counting(*store_);
  ReadScope scope(counting);
  EXPECT_THROW(octroi::run_read(
                   counting, [](Transaction&) -> int { throw std::runtime_error("read failed"); }),
               std::runtime_error);
  EXPECT_EQ(octroi::run_read(counting, [](Transaction&) { return 1; }), 1);
  EXPECT_EQ(scope.opened(), 2);
}

TEST_F(ReadScopeTest, WithoutAScopeEachReadHasItsOwnTransaction) {
  CountingStore counting(*store_);
  octroi::run_read(counting, [](Transaction&) { return 0; });
  octroi::run_read(counting, [](Transaction&) { return 0; });
  EXPECT_EQ(counting.reads, 2);
  EXPECT_EQ(ReadScope::current(counting), nullptr);
}

TEST_F(ReadScopeTest, AnApiGetOpensOneReadTransactionWithATokenOrASession) {
  CountingStore counting(*store_);
  octroi::http::Api api(counting, clock_m_, passwords_, tokens_, options());
  const Auth reader = bearer(octroi::Role::Reader);
  counting.reads = 0;
  auto r = api.handle(get("/api/v1/applications/EX070158", reader));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(counting.reads, 1);

  load_accounts();
  auto opened = api.handle(
      send_json("POST", "/api/v1/session", {}, credentials("chef", password_of("chef"))));
  ASSERT_EQ(opened.status, 201) << opened.body;
  const Auth session = session_of(opened);
  counting.reads = 0;
  r = api.handle(get("/api/v1/applications/EX070158", session));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(counting.reads, 1);
}

}  // namespace
}  // namespace octroi_test
