// The one row mapping helper of the SQL ports: values cross sql::Statement as 64-bit integers,
// text or NULL, and these turn them into octroi's types and back, the same way in every file.
//
//   Row     reads the columns of the current row in order (`Row r(st); x.id = r.id<…>();
//           x.name = r.text(); …`): a mapping names what it reads, not each column's index.
//   Params  binds a statement's parameters in order (`Params(st).add(a).add(x.on)…`), typed:
//           ids as their value, Money as cents, Date as 'YYYY-MM-DD', Instant as
//           'YYYY-MM-DDTHH:MM:SSZ' (text, so that both stores hold and order them alike),
//           optionals as NULL.
//
// A value the database holds but octroi cannot read back (a malformed date, an unknown enum
// name) is a corrupt database: StoreError.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "adapters/sql/connection.h"
#include "core/date.h"
#include "core/instant.h"
#include "core/money.h"
#include "core/rate.h"
#include "domain/ids.h"

namespace octroi::sql {

inline Date date_of(const std::string& s) {
  auto r = Date::parse(s, "db");
  if (!r.ok()) throw StoreError("corrupt date in database: " + s);
  return r.value();
}

inline Instant instant_of(const std::string& s) {
  auto r = Instant::parse(s);
  if (!r) throw StoreError("corrupt timestamp in database: " + s);
  return *r;
}

inline std::optional<std::string> iso(const std::optional<Date>& d) {
  if (!d) return std::nullopt;
  return d->iso();
}

inline std::optional<Date> opt_date(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  return date_of(*s);
}

inline std::optional<std::int64_t> opt_int(const std::optional<int>& v) {
  if (!v) return std::nullopt;
  return *v;
}

inline std::optional<int> int_of(const std::optional<std::int64_t>& v) {
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
}

inline std::optional<std::int64_t> cents(const std::optional<Money>& m) {
  if (!m) return std::nullopt;
  return m->cents();
}

inline std::optional<Money> money(const std::optional<std::int64_t>& c) {
  if (!c) return std::nullopt;
  return Money::from_cents(*c);
}

template <class T>
std::optional<std::int64_t> id_of(const std::optional<T>& id) {
  if (!id) return std::nullopt;
  return id->value;
}

// An enum stored by name: parse(text, out) -> bool, as the domain's parse_* functions.
template <class E, class F>
E parse_or_throw(const std::string& s, F parse, const char* what) {
  E e{};
  if (!parse(s, e)) throw StoreError(std::string("corrupt ") + what + " in database: " + s);
  return e;
}

class Row {
 public:
  explicit Row(const Statement& st, int first = 0) : st_(st), col_(first) {}

  std::int64_t int64() { return st_.int64(col_++); }
  int integer() { return static_cast<int>(st_.int64(col_++)); }
  bool flag() { return st_.int64(col_++) != 0; }
  std::string text() { return st_.text(col_++); }
  Money money() { return Money::from_cents(int64()); }
  Date date() { return date_of(text()); }
  Instant instant() { return instant_of(text()); }
  template <class IdT>
  IdT id() {
    return IdT{int64()};
  }
  template <class E, class F>
  E parsed(F parse, const char* what) {
    return parse_or_throw<E>(text(), parse, what);
  }

  bool is_null() const { return st_.is_null(col_); }
  std::optional<std::int64_t> opt_int64() { return st_.opt_int64(col_++); }
  std::optional<int> opt_integer() {
    if (auto v = opt_int64()) return static_cast<int>(*v);
    return std::nullopt;
  }
  std::optional<std::string> opt_text() { return st_.opt_text(col_++); }
  std::optional<Money> opt_money() {
    if (auto v = opt_int64()) return Money::from_cents(*v);
    return std::nullopt;
  }
  std::optional<Date> opt_date() {
    if (auto v = opt_text()) return date_of(*v);
    return std::nullopt;
  }
  std::optional<Instant> opt_instant() {
    if (auto v = opt_text()) return instant_of(*v);
    return std::nullopt;
  }
  template <class IdT>
  std::optional<IdT> opt_id() {
    if (auto v = opt_int64()) return IdT{*v};
    return std::nullopt;
  }
  // A rate stored as numerator and denominator (two columns); NULL if either is.
  std::optional<Rate> opt_rate() {
    auto n = opt_int64();
    auto d = opt_int64();
    if (!n || !d) return std::nullopt;
    return Rate::ratio(*n, *d);
  }
  Rate rate() {
    const std::int64_t n = int64();
    return Rate::ratio(n, int64());
  }
  Row& skip(int n = 1) {
    col_ += n;
    return *this;
  }

 private:
  const Statement& st_;
  int col_;
};

class Params {
 public:
  // Binds `st`, from parameter `first` on.
  explicit Params(Statement& st, int first = 1) : st_(&st), i_(first) {}
  // Owns a statement just prepared: Params(c.prepare("…")).add(…).run().
  explicit Params(Statement&& st) : owned_(std::move(st)), st_(&*owned_), i_(1) {}
  Params(const Params&) = delete;
  Params& operator=(const Params&) = delete;

  Params& add(std::int64_t v) {
    st_->bind(i_++, v);
    return *this;
  }
  Params& add(int v) { return add(static_cast<std::int64_t>(v)); }
  Params& add(bool v) { return add(static_cast<std::int64_t>(v ? 1 : 0)); }
  Params& add(const std::string& v) {
    st_->bind(i_++, v);
    return *this;
  }
  Params& add(const char* v) { return add(std::string(v)); }
  Params& add(std::string_view v) { return add(std::string(v)); }
  Params& add(const Money& m) { return add(m.cents()); }
  Params& add(const Date& d) { return add(d.iso()); }
  Params& add(const Instant& t) { return add(t.iso()); }
  template <class Tag>
  Params& add(const Id<Tag>& id) {
    return add(id.value);
  }
  Params& null() {
    st_->bind_null(i_++);
    return *this;
  }
  template <class T>
  Params& add(const std::optional<T>& v) {
    return v ? add(*v) : null();
  }
  // A rate as numerator and denominator (two parameters).
  Params& add(const Rate& r) { return add(r.numerator()).add(r.denominator()); }
  Params& add(const std::optional<Rate>& r) { return r ? add(*r) : null().null(); }

  Statement& statement() { return *st_; }
  bool step() { return st_->step(); }
  void run() { st_->run(); }
  void run_later(std::int64_t expected_changes = -1) { st_->run_later(expected_changes); }
  std::int64_t run_returning_id() { return st_->run_returning_id(); }

 private:
  std::optional<Statement> owned_;
  Statement* st_;
  int i_;
};

}  // namespace octroi::sql
