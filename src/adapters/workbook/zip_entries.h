// Internal to adapters/workbook: the entries of a zip archive (.xlsx, .ods) read with libzip,
// within a budget of inflated bytes shared by every entry read (a small archive that inflates to
// gigabytes is refused, never inflated).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace octroi::workbook {

class ZipEntries {
 public:
  // "workbook.unreadable" when `bytes` is not a zip archive. `bytes` must outlive this object.
  static Result<std::unique_ptr<ZipEntries>> open(std::string_view bytes, std::size_t budget,
                                                  const std::string& what);
  ~ZipEntries();
  ZipEntries(const ZipEntries&) = delete;
  ZipEntries& operator=(const ZipEntries&) = delete;

  // The entry `name` inflated; nullopt when the archive has no such entry. Refused:
  // "workbook.too_large" past the budget, "workbook.unreadable" for a damaged entry.
  Result<std::optional<std::string>> read(const std::string& name);
  // The same a piece at a time (at most 64 KiB each), each handed to `piece` as it inflates;
  // false when the archive has no such entry. `piece` may refuse, which stops the reading.
  using Piece = std::function<std::optional<Refusal>(std::string_view)>;
  Result<bool> read_in_pieces(const std::string& name, const Piece& piece);

 private:
  ZipEntries() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace octroi::workbook
