// Internal to adapters/workbook: a sheet assembled cell by cell within the limits, whatever the
// reader. Empty cells are not stored; a row holds its cells up to its last one that is not empty.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "adapters/workbook/workbook.h"

namespace octroi::workbook {

class SheetBuilder {
 public:
  SheetBuilder(const Limits& limits, std::string what) : limits_(limits), what_(std::move(what)) {}
  // Rows handed to `each` as soon as they are whole (a later row begins, or the sheet ends),
  // not kept: the sheet finish() returns has no rows.
  SheetBuilder(const Limits& limits, std::string what, RowFn each)
      : limits_(limits), what_(std::move(what)), each_(std::move(each)) {}

  // Puts `cell` at row `row` (1-based, not before the last row put) and column `column`
  // (0-based). The refusal when a limit is passed or the rows go backwards.
  std::optional<Refusal> put(long long row, long long column, Cell cell) {
    if (cell.kind == Cell::Kind::Empty) return std::nullopt;
    if (row < 1 || row > static_cast<long long>(limits_.max_rows))
      return too_large("plus de " + std::to_string(limits_.max_rows) + " lignes");
    if (column < 0 || column >= static_cast<long long>(limits_.max_columns))
      return too_large("plus de " + std::to_string(limits_.max_columns) + " colonnes");
    text_bytes_ += cell.value.size();
    if (text_bytes_ > limits_.max_text_bytes)
      return too_large("plus de " + std::to_string(limits_.max_text_bytes / (1024 * 1024)) +
                       " Mio de valeurs");
    // The row being built, else the last one handed on.
    const long long current = sheet_.rows.empty() ? last_number_ : sheet_.rows.back().number;
    if (row < current || (row == current && sheet_.rows.empty())) return backwards(row, current);
    if (sheet_.rows.empty() || current < row) {
      if (auto bad = hand_on()) return bad;
      sheet_.rows.push_back(Row{static_cast<int>(row), {}});
    }
    auto& cells = sheet_.rows.back().cells;
    const auto at = static_cast<std::size_t>(column);
    // Every slot a row holds counts, the empty ones before its last cell too.
    const std::size_t grow = cells.size() <= at ? at + 1 - cells.size() : 0;
    cells_ += grow;
    if (cells_ > limits_.max_cells)
      return too_large("plus de " + std::to_string(limits_.max_cells) + " cellules");
    if (grow) cells.resize(at + 1);
    cells[at] = std::move(cell);
    return std::nullopt;
  }

  Sheet finish(std::string name) {
    sheet_.name = std::move(name);
    return std::move(sheet_);
  }
  // With `each`: hands on the last row; the refusal `each` gave, if any.
  std::optional<Refusal> flush() { return hand_on(); }

 private:
  // The row being built handed on, when rows are (the rows are then never more than one).
  std::optional<Refusal> hand_on() {
    if (!each_ || sheet_.rows.empty()) return std::nullopt;
    Row done = std::move(sheet_.rows.back());
    sheet_.rows.clear();
    last_number_ = done.number;
    return each_(std::move(done));
  }

  Refusal too_large(const std::string& why) const {
    return refuse("workbook.too_large", "file",
                  "Le " + what_ + " a " + why + " : au-delà de ce qu'octroi lit.");
  }

  Refusal backwards(long long row, long long after) const {
    return refuse("workbook.unreadable", "file",
                  "Le " + what_ + " est endommagé : ses lignes ne se suivent pas (ligne " +
                      std::to_string(row) + " après la ligne " + std::to_string(after) + ").");
  }

  Limits limits_;
  std::string what_;
  RowFn each_;
  long long last_number_ = 0;
  std::size_t cells_ = 0, text_bytes_ = 0;
  Sheet sheet_;
};

}  // namespace octroi::workbook
