// The login throttle in the database (issue 15, item 5; migration 0009): LoginThrottle counts
// failures in login_failures through the accounts port, so that several servers on one database
// count the same failures. Its rules (five failures within fifteen minutes lock a key for fifteen
// minutes), the window that starts again, the sweep that keeps the table bounded, keys that are
// not plain text, and failures counted at once from two stores (two processes) on the store
// under test.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "adapters/sql/tables.h"
#include "app/accounts.h"
#include "app/ports/accounts.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

using octroi::LoginFailureRecord;
using octroi::LoginThrottle;
using octroi::Transaction;

constexpr std::int64_t kT = 1674205200;  // 2023-01-20T09:00:00Z

class LoginThrottleStore : public DemoDatabaseTest {
 protected:
  std::optional<LoginFailureRecord> entry(const std::string& key) {
    return octroi::run_read(*store_,
                            [&](Transaction& tx) { return tx.accounts().find_login_failure(key); });
  }
  std::int64_t rows() { return count_rows(db_, "login_failures"); }
};

TEST_F(LoginThrottleStore, FiveFailuresLockTheKeyForFifteenMinutesThenItCountsAgain) {
  LoginThrottle throttle(*store_);
  for (int i = 1; i <= 4; ++i) {
    throttle.failed("login:lea", kT + i);
    EXPECT_EQ(throttle.wait_seconds("login:lea", kT + i), 0) << "failure " << i;
  }
  auto e = entry("login:lea");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->failures, 4);
  EXPECT_EQ(e->first_at, kT + 1);
  EXPECT_EQ(e->locked_until, 0);
  throttle.failed("login:lea", kT + 10);
  EXPECT_EQ(throttle.wait_seconds("login:lea", kT + 10), 900);
  EXPECT_EQ(throttle.wait_seconds("login:lea", kT + 909), 1);
  EXPECT_EQ(throttle.wait_seconds("login:lea", kT + 910), 0);
  EXPECT_EQ(throttle.wait_seconds("login:other", kT + 10), 0);
  e = entry("login:lea");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->failures, 0);  // counting starts again after the lockout
  EXPECT_EQ(e->locked_until, kT + 910);
  // After the lockout, one failure is one failure of a new window, not a new lockout.
  throttle.failed("login:lea", kT + 910);
  EXPECT_EQ(throttle.wait_seconds("login:lea", kT + 910), 0);
  e = entry("login:lea");
  EXPECT_EQ(e->failures, 1);
  EXPECT_EQ(e->first_at, kT + 910);
  // A success forgets the key.
  throttle.succeeded("login:lea");
  EXPECT_FALSE(entry("login:lea").has_value());
}

TEST_F(LoginThrottleStore, TheWindowStartsAgainAfterFifteenMinutes) {
  LoginThrottle throttle(*store_);
  for (int i = 0; i < 4; ++i)
    throttle.failed("addr:192.0.2.1", kT);
  // 901 s after the first failure, the window is over: this failure opens a new one.
  throttle.failed("addr:192.0.2.1", kT + 901);
  EXPECT_EQ(throttle.wait_seconds("addr:192.0.2.1", kT + 901), 0);
  EXPECT_EQ(entry("addr:192.0.2.1")->failures, 1);
  for (int i = 0; i < 3; ++i)
    throttle.failed("addr:192.0.2.1", kT + 902);
  EXPECT_EQ(throttle.wait_seconds("addr:192.0.2.1", kT + 902), 0);
  throttle.failed("addr:192.0.2.1", kT + 903);
  EXPECT_EQ(throttle.wait_seconds("addr:192.0.2.1", kT + 903), 900);
  // An attempt from the locked address is refused (and not counted); from another, it goes on.
  EXPECT_EQ(throttle.begin_login("lea", "192.0.2.1", kT + 903), 900);
  EXPECT_EQ(throttle.begin_login("lea", "192.0.2.2", kT + 903), 0);
}

TEST_F(LoginThrottleStore, ThePairLocksTheLoginDelaysTheAddressCountsAndASuccessClears) {
  LoginThrottle throttle(*store_, 2, 60, 30);  // the address: 2 × 6 = 12 attempts
  const std::string pair = LoginThrottle::pair_key("lea", "192.0.2.7");
  ASSERT_EQ(throttle.begin_login("lea", "192.0.2.7", kT), 0);
  // Counted before the password is checked: the pair and the address, not yet the login.
  EXPECT_EQ(entry(pair)->failures, 1);
  EXPECT_EQ(entry("addr:192.0.2.7")->failures, 1);
  EXPECT_FALSE(entry("login:lea").has_value());
  throttle.end_login(false, "lea", "192.0.2.7", kT);
  EXPECT_EQ(entry("login:lea")->failures, 1);
  ASSERT_EQ(throttle.begin_login("lea", "192.0.2.7", kT + 1), 0);
  throttle.end_login(false, "lea", "192.0.2.7", kT + 1);
  EXPECT_EQ(throttle.wait_seconds(pair, kT + 1), 30);  // the pair: locked
  EXPECT_EQ(throttle.begin_login("lea", "192.0.2.7", kT + 2), 29);
  // The login: a delay of 1 s after two failures, then 2, 4… (at most 60 s), never a lockout.
  EXPECT_EQ(throttle.wait_seconds("login:lea", kT + 1), 1);
  EXPECT_EQ(throttle.begin_login("lea", "192.0.2.8", kT + 1), 1);
  ASSERT_EQ(throttle.begin_login("lea", "192.0.2.8", kT + 2), 0);
  throttle.end_login(false, "lea", "192.0.2.8", kT + 2);
  EXPECT_EQ(throttle.wait_seconds("login:lea", kT + 2), 2);
  // A success from the owner's address clears the pair and the login, and gives back the
  // address's attempt (its failure stays counted).
  ASSERT_EQ(throttle.begin_login("lea", "192.0.2.9", kT + 4), 0);
  EXPECT_EQ(entry("addr:192.0.2.9")->failures, 1);
  throttle.end_login(true, "lea", "192.0.2.9", kT + 4);
  EXPECT_FALSE(entry("login:lea").has_value());
  EXPECT_FALSE(entry(LoginThrottle::pair_key("lea", "192.0.2.9")).has_value());
  EXPECT_EQ(entry("addr:192.0.2.9")->failures, 0);
  EXPECT_EQ(entry("addr:192.0.2.7")->failures, 2);
  // The address: twelve attempts, whatever the logins, lock it.
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(throttle.begin_login("user" + std::to_string(i), "192.0.2.7", kT + 5), 0) << i;
    throttle.end_login(false, "user" + std::to_string(i), "192.0.2.7", kT + 5);
  }
  EXPECT_EQ(throttle.begin_login("autre", "192.0.2.7", kT + 5), 30);
  // ...and the pair counted for that refused attempt is given back.
  EXPECT_EQ(entry(LoginThrottle::pair_key("autre", "192.0.2.7"))->failures, 0);
  // An address one attempt short of its limit whose last attempt is a success (the guesser's
  // own account): the success reaches the limit, and giving its attempt back lifts nothing.
  for (int i = 0; i < 11; ++i) {
    ASSERT_EQ(throttle.begin_login("u" + std::to_string(i), "192.0.2.66", kT + 6), 0) << i;
    throttle.end_login(false, "u" + std::to_string(i), "192.0.2.66", kT + 6);
  }
  ASSERT_EQ(throttle.begin_login("mine", "192.0.2.66", kT + 6), 0);
  throttle.end_login(true, "mine", "192.0.2.66", kT + 6);
  EXPECT_EQ(throttle.begin_login("u99", "192.0.2.66", kT + 7), 29);
  EXPECT_EQ(LoginThrottle::password_key(42), "password:42");
}

// The table is bounded: counting a failure sweeps (at most once a minute) the entries whose
// window and lockout are both over, and keeps those still locked or still counting.
TEST_F(LoginThrottleStore, CountingAFailureSweepsWhatMeansNothingAnyMore) {
  LoginThrottle throttle(*store_, 5, 100, 1000);
  for (int i = 0; i < 5; ++i)
    throttle.failed("login:locked", kT);  // the first one sweeps (nothing to sweep)
  throttle.failed("login:stale", kT);
  throttle.failed("login:recent", kT + 50);  // less than a minute since the sweep: none
  EXPECT_EQ(rows(), 3);
  throttle.failed("login:new", kT + 70);  // sweeps; no window is over yet
  EXPECT_EQ(rows(), 4);
  throttle.failed("login:newer", kT + 150);  // sweeps "stale": window over, never locked
  EXPECT_EQ(rows(), 4);
  EXPECT_FALSE(entry("login:stale").has_value());
  EXPECT_TRUE(entry("login:locked").has_value());  // its window is over, not its lockout
  EXPECT_EQ(throttle.wait_seconds("login:locked", kT + 150), 850);
  throttle.failed("login:last", kT + 1000);  // "locked" is unlocked now: all but this one go
  EXPECT_EQ(rows(), 1);
  EXPECT_TRUE(entry("login:last").has_value());
}

// Whatever a client types as a login is counted; what is not short printable ASCII is stored as
// a digest (the key column holds at most 200 characters, and PostgreSQL's text no NUL).
TEST_F(LoginThrottleStore, KeysThatAreNotPlainTextAreStoredAsADigest) {
  EXPECT_EQ(LoginThrottle::stored_key("login:lea.lectrice"), "login:lea.lectrice");
  EXPECT_EQ(LoginThrottle::stored_key("addr:::1"), "addr:::1");
  const std::vector<std::string> odd = {"login:" + std::string(500, 'a'),
                                        std::string("login:a\0b", 9),
                                        "login:Léa",
                                        "~forged",
                                        "login:tab\there",
                                        ""};
  for (const auto& key : odd) {
    const std::string stored = LoginThrottle::stored_key(key);
    EXPECT_EQ(stored.size(), 17u) << stored;
    EXPECT_EQ(stored[0], '~');
  }
  EXPECT_NE(LoginThrottle::stored_key(odd[0]), LoginThrottle::stored_key(odd[1]));
  LoginThrottle throttle(*store_);
  const std::string with_nul("a\0b", 3);
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(throttle.begin_login(with_nul, "127.0.0.1", kT), 0);
    throttle.end_login(false, with_nul, "127.0.0.1", kT);
  }
  EXPECT_EQ(throttle.begin_login(with_nul, "127.0.0.1", kT + 2), 898);
  EXPECT_EQ(throttle.begin_login("a", "127.0.0.1", kT + 2), 0);
  EXPECT_TRUE(entry(LoginThrottle::stored_key("login:" + with_nul)).has_value());
  EXPECT_TRUE(
      entry(LoginThrottle::stored_key(LoginThrottle::pair_key(with_nul, "127.0.0.1"))).has_value());
}

// Two stores on one database, as two `octroi serve` processes are: failures counted at once
// from both, on one key, are all counted (one upsert each), and the lockout falls exactly at
// the limit.
TEST_F(LoginThrottleStore, FailuresCountedAtOnceFromTwoStoresAreAllCounted) {
  auto second = octroi::stores::open(db_, octroi::stores::OpenMode::Existing);
  LoginThrottle first_throttle(*store_, 1000), second_throttle(*second, 1000);
  constexpr int kThreads = 4, kEach = 15;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      LoginThrottle& throttle = t % 2 ? second_throttle : first_throttle;
      for (int i = 0; i < kEach; ++i)
        throttle.failed("login:shared", kT);
    });
  for (auto& t : threads)
    t.join();
  ASSERT_TRUE(entry("login:shared").has_value());
  EXPECT_EQ(entry("login:shared")->failures, kThreads * kEach);

  LoginThrottle a(*store_, 8), b(*second, 8);
  threads.clear();
  for (int t = 0; t < 2; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 4; ++i)
        (t ? b : a).failed("addr:198.51.100.1", kT);
    });
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(a.wait_seconds("addr:198.51.100.1", kT), 900);
  EXPECT_EQ(b.wait_seconds("addr:198.51.100.1", kT), 900);
  EXPECT_EQ(entry("addr:198.51.100.1")->failures, 0);
}

// The table holds no authority's data: the registry excludes it, with its reason, so that
// db copy leaves it out.
TEST_F(LoginThrottleStore, TheTableIsADeliberateExclusionOfTheRegistry) {
  EXPECT_TRUE(octroi::sql::is_excluded_table("login_failures"));
  LoginThrottle throttle(*store_);
  throttle.failed("login:lea", kT);
  const auto stored =
      query(db_, "SELECT key, failures, first_at, locked_until FROM login_failures");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0], (std::vector<std::string>{"login:lea", "1", std::to_string(kT), "0"}));
}

}  // namespace
}  // namespace octroi_test
