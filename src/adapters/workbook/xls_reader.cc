// .xls (BIFF, Excel 97-2003) through libfreexl, which opens a file by its path: the bytes go to a
// private temporary file, removed at once. Numbers are IEEE doubles in the file: each is written
// as the shortest decimal that reads back to the same double (what Excel shows at full
// precision), then made plain.
#include <freexl.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <filesystem>

#include "adapters/workbook/readers.h"
#include "adapters/workbook/sheet_builder.h"

namespace octroi::workbook {
namespace {

const std::string kWhat = "classeur .xls";

Refusal damaged(const std::string& why) {
  return refuse("workbook.unreadable", "file", "Le " + kWhat + " est illisible : " + why + ".");
}

// The bytes in a file of our own, deleted with this object.
struct TempFile {
  std::string path;
  ~TempFile() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

struct Handle {
  const void* h = nullptr;
  ~Handle() {
    if (h) freexl_close(h);
  }
};

std::optional<Cell> cell_of(const FreeXL_CellValue& v) {
  switch (v.type) {
    case FREEXL_CELL_INT:
      return Cell{Cell::Kind::Number, std::to_string(v.value.int_value)};
    case FREEXL_CELL_DOUBLE: {
      char buf[64];
      const auto r = std::to_chars(buf, buf + sizeof buf, v.value.double_value);
      if (r.ec != std::errc()) return std::nullopt;
      const auto plain =
          plain_decimal(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
      if (!plain) return std::nullopt;  // an infinity or a NaN
      return Cell{Cell::Kind::Number, round_significant(*plain)};
    }
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
      if (!v.value.text_value || !*v.value.text_value) return Cell{};
      return Cell{Cell::Kind::Text, v.value.text_value};
    case FREEXL_CELL_DATE:
      return Cell{Cell::Kind::Date, std::string(v.value.text_value).substr(0, 10)};
    case FREEXL_CELL_DATETIME: {
      const std::string t = v.value.text_value;
      if (t.size() < 19 || t.compare(11, 8, "00:00:00") == 0)
        return Cell{Cell::Kind::Date, t.substr(0, 10)};
      return Cell{Cell::Kind::DateTime, t.substr(0, 10) + "T" + t.substr(11, 8)};
    }
    case FREEXL_CELL_TIME:
      return Cell{Cell::Kind::Time, std::string(v.value.text_value).substr(0, 8)};
    default:
      return Cell{};
  }
}

}  // namespace

Result<Sheet> read_xls(std::string_view bytes, const Limits& limits) {
  TempFile file;
  {
    std::string pattern = (std::filesystem::temp_directory_path() / "octroi-xls-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0)
      return refuse("workbook.unreadable", "file", "Impossible de créer un fichier temporaire.");
    file.path = pattern;
    std::size_t written = 0;
    while (written < bytes.size()) {
      const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
      if (n <= 0) break;
      written += static_cast<std::size_t>(n);
    }
    ::close(fd);
    if (written != bytes.size())
      return refuse("workbook.unreadable", "file", "Impossible d'écrire le fichier temporaire.");
  }
  Handle x;
  if (freexl_open(file.path.c_str(), &x.h) != FREEXL_OK)
    return damaged("ce n'est pas un classeur Excel 97-2003, ou il est endommagé");
  unsigned int info = 0;
  if (freexl_get_info(x.h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
      info == FREEXL_BIFF_OBFUSCATED)
    return damaged("il est protégé par un mot de passe");
  if (freexl_get_info(x.h, FREEXL_BIFF_SHEET_COUNT, &info) != FREEXL_OK || info == 0)
    return damaged("il n'a aucune feuille");
  const char* name = nullptr;
  if (freexl_select_active_worksheet(x.h, 0) != FREEXL_OK ||
      freexl_get_worksheet_name(x.h, 0, &name) != FREEXL_OK)
    return damaged("sa première feuille ne se lit pas");
  unsigned int rows = 0;
  unsigned short columns = 0;
  if (freexl_worksheet_dimensions(x.h, &rows, &columns) != FREEXL_OK)
    return damaged("sa première feuille ne se lit pas");
  SheetBuilder out(limits, kWhat);
  for (unsigned int r = 0; r < rows; ++r)
    for (unsigned short c = 0; c < columns; ++c) {
      FreeXL_CellValue v;
      if (freexl_get_cell_value(x.h, r, c, &v) != FREEXL_OK)
        return damaged("la cellule de la ligne " + std::to_string(r + 1) + ", colonne " +
                       std::to_string(c + 1) + " ne se lit pas");
      auto cell = cell_of(v);
      if (!cell)
        return damaged("la ligne " + std::to_string(r + 1) + ", colonne " + std::to_string(c + 1) +
                       " ne tient pas un nombre");
      if (auto bad = out.put(static_cast<long long>(r) + 1, c, std::move(*cell))) return *bad;
    }
  Sheet read = out.finish(name ? name : "");
  read.sheets_in_workbook = static_cast<int>(info);
  return read;
}

}  // namespace octroi::workbook
