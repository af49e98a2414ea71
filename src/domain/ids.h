// Strong identifier types: an ApplicationId is not a PartyId, even though both are int64 rows.
#pragma once

#include <compare>
#include <cstdint>

namespace octroi {

template <class Tag>
struct Id {
  std::int64_t value = 0;
  bool valid() const { return value > 0; }
  friend auto operator<=>(const Id&, const Id&) = default;
};

using AuthorityId = Id<struct AuthorityTag>;
using SchemeId = Id<struct SchemeTag>;
using PartyId = Id<struct PartyTag>;
using ApplicationId = Id<struct ApplicationTag>;
using BudgetLineId = Id<struct BudgetLineTag>;
using LedgerEntryId = Id<struct LedgerEntryTag>;
using SessionId = Id<struct SessionTag>;
using ReportId = Id<struct ReportTag>;
using ArticleId = Id<struct ArticleTag>;

}  // namespace octroi
