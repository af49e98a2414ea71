// No acknowledged write is lost (issue 15): `octroi serve` under a write load from several
// clients (each creating parties through the API), killed with SIGKILL in the middle of it.
// Every party whose creation was answered 201 must be in the database afterwards, and the
// database must be whole (its audit chain verifies). On SQLite the writes are group-committed
// (one writer thread, answers after the commit); on PostgreSQL each is its own transaction.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "integration/http_support.h"
#include "integration/process_support.h"

namespace octroi_test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class WriteCrash : public HttpTest {};

TEST_F(WriteCrash, KillMinusNineDuringAWriteLoadLosesNoAcknowledgedWrite) {
  const std::string token = serve_token(octroi::Role::Administrator, "charge");
  ServeProcess server(db_);
  ASSERT_TRUE(server.ready());
  constexpr int kClients = 6;
  std::mutex mu;
  std::set<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::atomic<int> answers{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < kClients; ++t)
    clients.emplace_back([&, t] {
      auto c = server.client();
      c.set_read_timeout(5);
      for (int i = 0; !stop; ++i) {
        const std::string name =
            "Association durable " + std::to_string(t) + "-" + std::to_string(i);
        auto r = c.Post("/api/v1/parties", {{"Authorization", "Bearer " + token}},
                        json{{"legal_name", name}}.dump(), "application/json");
        if (!r) return;  // the server is gone
        if (r->status == 201) {
          std::lock_guard<std::mutex> lock(mu);
          acknowledged.insert(name);
        }
        ++answers;
      }
    });
  // Kill it once it has answered some hundreds of writes, while the clients keep writing.
  for (int i = 0; i < 3000 && answers < 400; ++i)
    std::this_thread::sleep_for(5ms);
  ASSERT_EQ(kill(server.child().pid(), SIGKILL), 0);
  stop = true;
  for (auto& c : clients)
    c.join();
  ASSERT_GE(acknowledged.size(), 50u) << "too few writes before the kill to show anything";

  // Every acknowledged party is there.
  std::set<std::string> stored;
  for (const auto& row : query(db_, "SELECT legal_name FROM parties"))
    stored.insert(row.at(0));
  std::vector<std::string> lost;
  for (const auto& name : acknowledged)
    if (!stored.count(name)) lost.push_back(name);
  EXPECT_TRUE(lost.empty()) << lost.size() << " acknowledged writes lost, first: " << lost.front();
  // And the database is whole: it opens, and the audit chain verifies.
  auto reopened = octroi::stores::open(db_, octroi::stores::OpenMode::Existing);
  const auto audit = octroi::run_read(*reopened, [&](octroi::Transaction& tx) {
    return octroi::verify_audit(tx, idf_, reopened->hasher());
  });
  EXPECT_TRUE(audit.problems.empty());
  EXPECT_GE(audit.entries, static_cast<std::int64_t>(acknowledged.size()));
}

}  // namespace
}  // namespace octroi_test
