// Amounts and dates as typed (core/money.h, core/date.h) and the free-text rule (domain/text.h).
#include "core/date.h"
#include "core/french.h"
#include "core/money.h"
#include "domain/text.h"
#include "fuzz/fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz_bytes(data, size);
  if (auto m = octroi::Money::parse(text, "amount"); m.ok()) {
    // What is read prints and reads back to the cent.
    auto again = octroi::Money::parse(m->to_decimal_string(), "amount");
    OCTROI_FUZZ_CHECK(again.ok() && *again == *m);
    static_cast<void>(octroi::fr::euros(*m));
  }
  if (auto d = octroi::Date::parse(text, "date"); d.ok()) {
    auto again = octroi::Date::parse(d->iso(), "date");
    OCTROI_FUZZ_CHECK(again.ok() && *again == *d);
    static_cast<void>(octroi::fr::date_long(*d));
  }
  if (octroi::text::is_valid_utf8(text)) {
    static_cast<void>(octroi::text::forbidden_character(text, octroi::text::Lines::One));
    static_cast<void>(octroi::text::search_words(text));
    OCTROI_FUZZ_CHECK(octroi::text::length(text) <= text.size());
  }
  return 0;
}
