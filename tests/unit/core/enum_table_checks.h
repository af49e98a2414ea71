// Checks every name table must pass (core/enum_names.h), shared by the core, domain and app
// tests: each enumerator has exactly one row, codes are unique and non-empty, labels are
// non-empty, and parse(code(e)) == e. `expected` lists every enumerator with the code the
// database, the CLI and the API already write, so that a renamed code fails here.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/enum_names.h"

namespace octroi::enum_checks {

template <class E, std::size_t N>
void expect_well_formed(const NameTable<E, N>& table,
                        const std::vector<std::pair<E, std::string_view>>& expected) {
  EXPECT_EQ(table.size(), expected.size()) << "one row per enumerator";
  std::set<std::string_view> codes;
  for (const auto& [e, code] : expected) {
    SCOPED_TRACE(std::string(code));
    EXPECT_EQ(table.count(e), 1u) << "each enumerator is present exactly once";
    EXPECT_EQ(table.code(e), code);
    EXPECT_EQ(table.count_code(code), 1u) << "codes are unique";
    EXPECT_FALSE(table.label(e).empty());
    ASSERT_TRUE(table.parse(code).has_value());
    EXPECT_EQ(*table.parse(code), e);
    codes.insert(code);
  }
  EXPECT_EQ(codes.size(), expected.size()) << "codes are unique";
  for (const auto& row : table.rows())
    EXPECT_EQ(table.parse(row.code), row.value) << row.code;
  EXPECT_FALSE(table.parse("").has_value());
  EXPECT_FALSE(table.parse("?").has_value());
}

// The enum's own functions read its table.
template <class E, std::size_t N, class ToString, class Parse>
void expect_functions_read(const NameTable<E, N>& table, ToString to_string_fn, Parse parse_fn) {
  for (const auto& row : table.rows()) {
    EXPECT_EQ(to_string_fn(row.value), row.code);
    E out = table.rows()[0].value == row.value ? table.rows()[N - 1].value : table.rows()[0].value;
    EXPECT_TRUE(parse_fn(row.code, out)) << row.code;
    EXPECT_EQ(out, row.value) << row.code;
  }
  E untouched = table.rows()[0].value;
  EXPECT_FALSE(parse_fn("no such code", untouched));
  EXPECT_EQ(untouched, table.rows()[0].value);
}

}  // namespace octroi::enum_checks
