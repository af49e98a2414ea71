// One name table per enum: each enumerator with its stable code (what the database, the CLI,
// the API and the audit trail write: "under_instruction") and its French label (what users
// read: "en instruction").
//
//   inline constexpr auto kRoundingNames = name_table<Rounding>({
//       {Rounding::Down, "down", "à l'inférieur"},
//       ...
//   });
//   std::string_view to_string(Rounding r) { return kRoundingNames.code(r); }
//
// The enum's to_string / french / parse_* functions read its table, so a name is written once.
// A table lists each enumerator exactly once, with unique codes (checked by each enum's unit
// test); asking for the name of a value missing from the table is a programmer error
// (OCTROI_CHECK). Pure, constexpr; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "core/result.h"

namespace octroi {

template <class E>
struct EnumName {
  E value;
  std::string_view code;   // stable, machine-readable: "under_instruction"
  std::string_view label;  // French, for users: "en instruction"
};

template <class E, std::size_t N>
class NameTable {
 public:
  constexpr explicit NameTable(const std::array<EnumName<E>, N>& rows) : rows_(rows) {}

  constexpr const std::array<EnumName<E>, N>& rows() const { return rows_; }
  constexpr std::size_t size() const { return N; }

  constexpr std::string_view code(E e) const { return row(e).code; }
  constexpr std::string_view label(E e) const { return row(e).label; }

  // The enumerator whose code is `code` (exact, case-sensitive), or nullopt.
  constexpr std::optional<E> parse(std::string_view code) const {
    for (const auto& r : rows_)
      if (r.code == code) return r.value;
    return std::nullopt;
  }
  // The enumerator whose French label is `label` (exact), or nullopt.
  constexpr std::optional<E> parse_label(std::string_view label) const {
    for (const auto& r : rows_)
      if (r.label == label) return r.value;
    return std::nullopt;
  }
  // The bool-and-out-parameter form the parse_* functions have.
  constexpr bool parse(std::string_view code, E& out) const {
    const auto e = parse(code);
    if (e) out = *e;
    return e.has_value();
  }

  // How many rows name `e` (1 in a well-formed table) and `code` (at most 1): for the tests.
  constexpr std::size_t count(E e) const {
    std::size_t n = 0;
    for (const auto& r : rows_)
      n += r.value == e ? 1 : 0;
    return n;
  }
  constexpr std::size_t count_code(std::string_view code) const {
    std::size_t n = 0;
    for (const auto& r : rows_)
      n += r.code == code ? 1 : 0;
    return n;
  }

 private:
  constexpr const EnumName<E>& row(E e) const {
    for (const auto& r : rows_)
      if (r.value == e) return r;
    OCTROI_CHECK(false, "every enumerator has a row in its name table");
    return rows_[0];
  }

  std::array<EnumName<E>, N> rows_;
};

// name_table<E>({{value, code, label}, ...}): the row count is deduced.
template <class E, std::size_t N>
constexpr NameTable<E, N> name_table(const EnumName<E> (&rows)[N]) {
  std::array<EnumName<E>, N> a{};
  for (std::size_t i = 0; i < N; ++i)
    a[i] = rows[i];
  return NameTable<E, N>(a);
}

}  // namespace octroi
