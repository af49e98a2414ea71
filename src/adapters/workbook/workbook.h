// Workbooks read natively by typed cell value (issue 17): .xlsx and .ods (libzip + pugixml) and
// .xls (libfreexl), for the imports. A cell gives its value as the workbook stores it, never as
// it is displayed: an amount formatted "#,##0" keeps its cents, a date formatted "mm/dd/yyyy" or
// with Excel's built-in short date is a date, a SIRET typed as a number has no ".0". Rows keep
// the numbers the spreadsheet shows, whatever line breaks their cells hold.
//
// libzip, pugixml and libfreexl are used by this adapter's readers only (the documents adapter
// has its own use of libzip and pugixml, for writing). Everything read is bounded: the archive's
// entries once inflated, the cells, the columns and the rows.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace octroi::workbook {

// A cell's value, in a canonical text form that does not depend on its display:
//   Text      as typed (paragraphs joined by "\n");
//   Number    an exact decimal without exponent: "1234567.5", "-0.25", "21860194600000";
//   Date      "2017-12-06";
//   DateTime  "2017-12-06T10:30:00" (a date with a time of day other than midnight);
//   Time      "10:30:00";
//   Boolean   "true" or "false";
//   Error     the error as the workbook stores it ("#N/A", "#DIV/0!").
struct Cell {
  enum class Kind { Empty, Text, Number, Date, DateTime, Time, Boolean, Error };
  Kind kind = Kind::Empty;
  std::string value;
};

// A row with at least one cell that is not empty. `number` is the row's number as the
// spreadsheet shows it (1 for the first row); `cells[i]` is column i (A = 0), up to the last
// cell that is not empty.
struct Row {
  int number = 0;
  std::vector<Cell> cells;
};

struct Sheet {
  std::string name;            // as its tab shows it
  std::vector<Row> rows;       // in order, the empty rows left out
  int sheets_in_workbook = 1;  // this one and the others (not read)
};

// What is done with each row of a sheet read a row at a time; a refusal stops the reading.
using RowFn = std::function<std::optional<Refusal>(Row&&)>;

// The defaults bound the work and memory of one read. An .xlsx sheet and an .ods content.xml
// are parsed a run of rows at a time as they inflate, and their rows can be handed on one at a
// time (for_each_row); an .xls is read by libfreexl whole.
struct Limits {
  std::size_t max_inflated_bytes = 128u * 1024 * 1024;  // every entry read, once inflated
  std::size_t max_cells = 30'000'000;  // cells held, the empty ones inside a row counted
  std::size_t max_text_bytes = 256u * 1024 * 1024;  // the values held, all cells together
  std::size_t max_columns = 16'384;                 // Excel's limit (XFD)
  std::size_t max_rows = 1'048'576;                 // Excel's limit
};

enum class Format { Xlsx, Ods, Xls };
// By the name's extension, in any case; nullopt for anything else.
std::optional<Format> format_of_name(const std::string& name);
std::string_view extension(Format f);  // ".xlsx", ".ods", ".xls"

// The first sheet of the workbook held in `bytes`. Refusals (field "file"): "workbook.unreadable"
// (not a workbook of that format, or a damaged one, with what is wrong), "workbook.too_large"
// (beyond `limits`, saying which).
Result<Sheet> read_first_sheet(std::string_view bytes, Format format, const Limits& limits = {});

// The same, each row handed to `each` as soon as it is read and not kept (an .xlsx or .ods sheet
// is never held; an .xls is read whole, then handed on): the Sheet returned has no rows.
Result<Sheet> for_each_row(std::string_view bytes, Format format, const RowFn& each,
                           const Limits& limits = {});

// ---- the values' canonical forms (pure; also for the tests) ----------------------------------

// `plain` (an exact decimal) rounded half away from zero to `digits` significant digits: what a
// spreadsheet computes with (15 digits; "1234.5600000000002" is 1234.56).
std::string round_significant(const std::string& plain, int digits = 15);

// A number as written in a workbook ("1234567.5", "2.18601946E+13", "-1E-3", ".5") as an exact
// decimal without exponent ("1234567.5", "21860194600000", "-0.001", "0.5"); nullopt if it is
// not a decimal number.
std::optional<std::string> plain_decimal(std::string_view number);

// A spreadsheet serial date ("43075", "43075.5") as a Date or DateTime cell, in the 1900 system
// (serial 1 is 1900-01-01; Excel's 1900-02-29, serial 60, does not exist) or the 1904 one
// (serial 0 is 1904-01-01); nullopt for a serial that is no day (negative, 60 in 1900, past
// 9999-12-31).
std::optional<Cell> serial_date(std::string_view serial, bool epoch_1904);
// The time of day of a serial's fraction ("0.4375" -> "10:30:00"), to the nearest second.
std::optional<Cell> serial_time(std::string_view serial);

// What an .xlsx number format displays: a number, a date (or date and time), or a time of day.
enum class Shown { Number, Date, Time };
// `builtin_id` is the format's numFmtId; `code` its formatCode when the workbook defines it ("" for
// a built-in one).
Shown shown_as(int builtin_id, std::string_view code);
// The width of a format that pads whole numbers with zeros ("00000" for a postal code,
// fourteen zeros for a SIRET: what the sheet shows is the identifier, 01234 and not 1234), 0
// for any other format.
int zero_padding(std::string_view code);
// An .xlsx string with its escapes read (ECMA-376's ST_Xstring): "_x000D_" is a carriage
// return, "_x005F_" an underscore, a pair of surrogates one character; anything else, such as a
// lone surrogate or "_x00zz_", stays as written.
std::string unescape_xstring(std::string_view s);
// `plain` (a canonical number) padded to `width` digits when it is a whole number with fewer;
// else unchanged.
std::string padded_integer(const std::string& plain, int width);

}  // namespace octroi::workbook
