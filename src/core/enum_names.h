// Parsing an enum from its stable name: the inverse of the enum's to_string(), found by ADL.
#pragma once

#include <initializer_list>
#include <string_view>

namespace octroi {

template <class E, class Values>
bool parse_enum_name(std::string_view text, const Values& values, E& out) {
  for (E v : values) {
    if (to_string(v) == text) {
      out = v;
      return true;
    }
  }
  return false;
}

template <class E>
bool parse_enum_name(std::string_view text, std::initializer_list<E> values, E& out) {
  return parse_enum_name<E, std::initializer_list<E>>(text, values, out);
}

}  // namespace octroi
