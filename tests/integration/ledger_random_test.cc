// The ledger under a seeded random walk (TigerBeetle's VOPR in miniature): thousands of votes,
// allocations and releases on three budget lines, each through its use case in its own write
// transaction, against a model of the expected balances kept by the test. After every operation
// the use case's verdict, the stored balances and the journal/audit lengths must agree with the
// model, and the ledger's invariants must hold.
//
// Replay a failure with OCTROI_SEED=<seed printed in the failure>: the same seed draws the same
// operations in every build (the sanitized build just stops after 3 000 of them, not 4 000).
// Without OCTROI_SEED, a fixed seed runs, then one drawn from the clock.
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>

#include "app/ports/ledger.h"
#include "integration/robustness_support.h"
#include "integration/test_support.h"

namespace octroi_test {
namespace {

using octroi::Context;
using octroi::LineBalances;
using octroi::Money;
using octroi::MovementInput;
using octroi::Transaction;
using robust::RawDb;

#if defined(__SANITIZE_ADDRESS__)
constexpr int kOps = 3000;
#else
constexpr int kOps = 4000;
#endif
constexpr std::uint64_t kDefaultSeed = 0x6f6374726f69ULL;  // "octroi"

// SplitMix64: tiny, and the same sequence on every platform and standard library.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool percent(int p) { return between(0, 99) < p; }

 private:
  std::uint64_t s_;
};

// What the test expects of a line (committed and paid stay 0: no commitment use case here).
struct ModelLine {
  std::int64_t ae = 0, cp = 0, allocated = 0;  // cents

  LineBalances balances() const {
    LineBalances b;
    b.ae_voted = Money::from_cents(ae);
    b.cp_voted = Money::from_cents(cp);
    b.allocated = Money::from_cents(allocated);
    return b;
  }
};

enum class OpKind { VoteAe, VoteCp, VoteBoth, Allocate, Release };

struct Op {
  OpKind kind = OpKind::Allocate;
  std::size_t line = 0;
  std::int64_t amount = 0;     // AE vote, allocation, release
  std::int64_t cp_amount = 0;  // CP vote
};

std::string describe(const Op& op) {
  static const char* names[] = {"vote AE", "vote CP", "vote AE+CP", "allocate", "release"};
  std::string out =
      std::string(names[static_cast<int>(op.kind)]) + " line#" + std::to_string(op.line);
  if (op.kind != OpKind::VoteCp) out += " amount=" + std::to_string(op.amount) + "c";
  if (op.kind == OpKind::VoteCp || op.kind == OpKind::VoteBoth)
    out += " cp=" + std::to_string(op.cp_amount) + "c";
  return out;
}

// The model's verdict: the refusal code the ledger must give ("" when it must accept), the
// balances afterwards, and how many journal entries the operation posts.
struct Expected {
  std::string refusal;
  ModelLine after;
  std::int64_t entries = 0;
};

Expected expect(const ModelLine& before, const Op& op) {
  ModelLine m = before;
  std::int64_t entries = 0;
  // A vote of zero is no vote: the use case asks for an amount (budget.vote_empty).
  auto vote_ae = [&](std::int64_t a) -> std::string {
    if (a == 0) return "budget.vote_empty";
    if (m.ae + a < m.allocated) return "ledger.vote_below_allocated";
    m.ae += a;
    ++entries;
    return "";
  };
  auto vote_cp = [&](std::int64_t a) -> std::string {
    if (a == 0) return "budget.vote_empty";
    if (m.cp + a < 0) return "ledger.vote_below_paid";  // paid is 0
    m.cp += a;
    ++entries;
    return "";
  };
  std::string refusal;
  switch (op.kind) {
    case OpKind::VoteAe:
      refusal = vote_ae(op.amount);
      break;
    case OpKind::VoteCp:
      refusal = vote_cp(op.cp_amount);
      break;
    case OpKind::VoteBoth:
      // A zero amount of one kind is left out; both zero is no vote at all.
      if (op.amount == 0 && op.cp_amount == 0) {
        refusal = "budget.vote_empty";
      } else {
        if (op.amount != 0) refusal = vote_ae(op.amount);
        if (refusal.empty() && op.cp_amount != 0) refusal = vote_cp(op.cp_amount);
      }
      break;
    case OpKind::Allocate:
      if (op.amount <= 0) {
        refusal = "ledger.amount";
      } else if (m.allocated + op.amount > m.ae) {
        refusal = "ledger.insufficient_ae";
      } else {
        m.allocated += op.amount;
        ++entries;
      }
      break;
    case OpKind::Release:
      if (op.amount <= 0) {
        refusal = "ledger.amount";
      } else if (op.amount > m.allocated) {  // committed is 0
        refusal = "ledger.release_exceeds_allocated";
      } else {
        m.allocated -= op.amount;
        ++entries;
      }
      break;
  }
  if (!refusal.empty()) return {refusal, before, 0};  // all or nothing: a vote AE+CP too
  return {"", m, entries};
}

// A vote amount: mostly positive, sometimes a reduction (about half of which go below what is
// already allocated or spent), rarely zero.
std::int64_t vote_amount(Rng& rng, std::int64_t reducible) {
  if (rng.percent(4)) return 0;
  if (rng.percent(25)) return -rng.between(1, reducible * 2 + 100);
  return rng.between(1, 500'000'00);
}

// An allocation or a release: mostly within `room`, sometimes just at or past the edge, or
// beyond it, rarely not positive.
std::int64_t movement_amount(Rng& rng, std::int64_t room) {
  if (rng.percent(3)) return -rng.between(0, 1000);
  if (room > 0 && rng.percent(5)) return room;  // exactly what is left: accepted
  if (rng.percent(4)) return room + 1;          // one cent too much: refused
  return rng.between(1, room + room / 4 + 1000);
}

Op draw(Rng& rng, const std::array<ModelLine, 3>& model) {
  Op op;
  op.line = static_cast<std::size_t>(rng.between(0, 2));
  const ModelLine& m = model[op.line];
  const std::int64_t r = rng.between(0, 99);
  if (r < 22) {
    op.kind = OpKind::VoteAe;
    op.amount = vote_amount(rng, m.ae - m.allocated);
  } else if (r < 32) {
    op.kind = OpKind::VoteCp;
    op.cp_amount = vote_amount(rng, m.cp);
  } else if (r < 42) {
    op.kind = OpKind::VoteBoth;
    op.amount = vote_amount(rng, m.ae - m.allocated);
    op.cp_amount = vote_amount(rng, m.cp);
  } else if (r < 75) {
    op.kind = OpKind::Allocate;
    op.amount = movement_amount(rng, m.ae - m.allocated);
  } else {
    op.kind = OpKind::Release;
    op.amount = movement_amount(rng, m.allocated);
  }
  return op;
}

std::string money_text(std::int64_t cents) {
  return Money::from_cents(cents).to_decimal_string();
}

void run_random_walk(std::uint64_t seed, int ops) {
  SCOPED_TRACE("seed=" + std::to_string(seed) +
               " (replay with OCTROI_SEED=" + std::to_string(seed) + ")");
  std::cout << "[ ledger random walk ] seed=" << seed << " ops=" << ops << std::endl;
  TempDir dir;
  FixedClock clock;
  const TestDatabase database(dir.path(), "random");
  const std::string db = database.locator();
  auto store = octroi::stores::open(db, octroi::stores::OpenMode::Create);
  const octroi::AuthorityId authority = robust::create_test_authority(*store, clock, "rnd");
  const Context ctx{authority, "test:random", &clock};
  std::vector<octroi::BudgetLine> lines;
  for (const auto& in : robust::three_lines())
    lines.push_back(robust::create_line(*store, ctx, in));
  ASSERT_EQ(lines.size(), 3u);

  RawDb raw(db);
  auto ledger_count = [&] { return raw.scalar("SELECT count(*) FROM ledger_entries"); };
  auto audit_count = [&] { return raw.scalar("SELECT count(*) FROM audit_log"); };
  std::int64_t entries = ledger_count();
  std::int64_t audits = audit_count();
  ASSERT_EQ(entries, 0);

  Rng rng(seed);
  std::array<ModelLine, 3> model{};
  int accepted = 0;
  for (int i = 0; i < ops; ++i) {
    const Op op = draw(rng, model);
    SCOPED_TRACE("operation " + std::to_string(i) + ": " + describe(op));
    const Expected want = expect(model[op.line], op);
    MovementInput in;
    in.line = lines[op.line].key();
    in.reference = "DM " + std::to_string(i);
    in.label = "Mouvement aléatoire " + std::to_string(i);
    octroi::Result<LineBalances> got = octroi::refuse("test.none", "", "not run");
    try {
      got = octroi::run_write(*store, [&](Transaction& tx) {
        switch (op.kind) {
          case OpKind::VoteAe:
            in.ae = money_text(op.amount);
            return octroi::vote_budget(tx, ctx, in);
          case OpKind::VoteCp:
            in.cp = money_text(op.cp_amount);
            return octroi::vote_budget(tx, ctx, in);
          case OpKind::VoteBoth:
            in.ae = money_text(op.amount);
            in.cp = money_text(op.cp_amount);
            return octroi::vote_budget(tx, ctx, in);
          case OpKind::Allocate:
            in.amount = money_text(op.amount);
            return octroi::allocate_budget(tx, ctx, in);
          case OpKind::Release:
            in.amount = money_text(op.amount);
            return octroi::release_budget(tx, ctx, in);
        }
        return octroi::Result<LineBalances>(octroi::refuse("test.kind", "", "?"));
      });
    } catch (const std::exception& e) {
      FAIL() << "the use case threw (expected "
             << (want.refusal.empty() ? "acceptance" : want.refusal) << "): " << e.what();
    }

    // The verdict (the walk stops at the first divergence: that is the case to replay).
    if (want.refusal.empty()) {
      ASSERT_TRUE(got.ok()) << "refused, the model accepts: " << robust::codes(got.refusal());
      ASSERT_EQ(robust::text(got.value()), robust::text(want.after.balances()))
          << "balances returned by the use case";
      ++accepted;
    } else {
      ASSERT_FALSE(got.ok()) << "accepted, the model expects " << want.refusal;
      ASSERT_EQ(got.refusal().problems.size(), 1u) << robust::codes(got.refusal());
      const auto& p = got.refusal().first();
      ASSERT_TRUE(p.code.rfind("ledger.", 0) == 0 || p.code == "budget.vote_empty")
          << robust::codes(got.refusal());
      ASSERT_EQ(p.code, want.refusal) << robust::codes(got.refusal());
      ASSERT_FALSE(p.message.empty());
      // Every refusal but a non-positive amount (checked before the line is looked at) names
      // the line.
      if (p.code != "ledger.amount" && p.code != "budget.vote_empty") {
        ASSERT_NE(p.message.find(lines[op.line].key()), std::string::npos)
            << "the refusal names the line: " << p.message;
      }
    }
    model[op.line] = want.after;

    // What is stored: every line's balances equal the model and keep the invariants.
    std::array<LineBalances, 3> stored;
    try {
      stored = octroi::run_read(*store, [&](Transaction& tx) {
        std::array<LineBalances, 3> out;
        for (std::size_t k = 0; k < lines.size(); ++k)
          out[k] = tx.ledger().line_balances(authority, lines[k].id);
        return out;
      });
    } catch (const std::exception& e) {
      FAIL() << "reading the balances threw: " << e.what();
    }
    for (std::size_t k = 0; k < lines.size(); ++k) {
      ASSERT_EQ(robust::text(stored[k]), robust::text(model[k].balances()))
          << "stored balances of " << lines[k].key();
      const auto broken = stored[k].check();
      ASSERT_FALSE(broken.has_value()) << lines[k].key() << ": " << *broken;
    }
    // The journal and the audit trail grew by exactly what was posted (nothing on a refusal).
    entries += want.entries;
    audits += want.entries;  // one audit line per posted movement
    ASSERT_EQ(ledger_count(), entries) << "journal length";
    ASSERT_EQ(audit_count(), audits) << "audit trail length";
  }
  std::cout << "[ ledger random walk ] " << accepted << " accepted, " << ops - accepted
            << " refused; " << entries << " journal entries" << std::endl;
  // Both outcomes were exercised enough to mean something.
  EXPECT_GT(accepted, ops / 5);
  EXPECT_GT(ops - accepted, ops / 10);

  const auto ledger = octroi::run_read(
      *store, [&](Transaction& tx) { return octroi::verify_ledger(tx, authority); });
  EXPECT_EQ(ledger.lines, 3);
  EXPECT_EQ(ledger.entries, entries);
  for (const auto& d : ledger.differences)
    ADD_FAILURE() << "verify_ledger: " << d.line.key() << ": " << d.what;
  const auto audit = octroi::run_read(*store, [&](Transaction& tx) {
    return octroi::verify_audit(tx, authority, store->hasher());
  });
  EXPECT_EQ(audit.entries, audits);
  for (const auto& p : audit.problems)
    ADD_FAILURE() << "verify_audit: n° " << p.authority_seq << ": " << p.what;
}

TEST(LedgerRandom, ModelAgreesAfterEveryOperation) {
  if (const char* env = std::getenv("OCTROI_SEED"); env && *env) {
    run_random_walk(std::strtoull(env, nullptr, 0), kOps);
    return;
  }
  run_random_walk(kDefaultSeed, kOps);
  if (HasFatalFailure()) return;
  const auto now =
      static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  run_random_walk(now ^ (static_cast<std::uint64_t>(getpid()) << 32), kOps);
}

}  // namespace
}  // namespace octroi_test
