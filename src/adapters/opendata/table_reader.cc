#include "adapters/opendata/table_reader.h"

#include <csv.h>
#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <optional>
#include <stdexcept>

#include "app/import_columns.h"
#include "domain/text.h"

namespace octroi::opendata {
namespace {

struct Collector {
  ImportTable* table = nullptr;
  std::vector<std::string> current;
  bool header_done = false;
  int line = 1;         // the physical line the parser has reached
  int record_line = 1;  // the line where the current record started
};

void on_field(void* s, std::size_t len, void* data) {
  auto* c = static_cast<Collector*>(data);
  c->current.emplace_back(s ? static_cast<const char*>(s) : "", s ? len : 0);
}

void on_record(int, void* data) {
  auto* c = static_cast<Collector*>(data);
  if (!c->header_done) {
    c->table->header_line = c->record_line;
    c->table->header = std::move(c->current);
    c->header_done = true;
  } else {
    c->table->rows.push_back(std::move(c->current));
    c->table->lines.push_back(c->record_line);
  }
  c->current.clear();
}

// The separator the first line uses: the most frequent of ';', ',' and tab outside quotes.
char first_line_delimiter(std::string_view text) {
  std::array<int, 3> counts{};
  bool quoted = false;
  for (const char ch : text) {
    if (ch == '"') quoted = !quoted;
    if (quoted) continue;
    if (ch == '\n' || ch == '\r') break;
    if (ch == ';') ++counts[0];
    if (ch == ',') ++counts[1];
    if (ch == '\t') ++counts[2];
  }
  if (counts[0] > counts[1] && counts[0] >= counts[2]) return ';';
  if (counts[2] > counts[1]) return '\t';
  return ',';
}

// How many column names the table knows one line names, split on `d` outside quotes.
int known_names(std::string_view line, char d) {
  int known = 0;
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    const char ch = i < line.size() ? line[i] : d;
    if (ch == '"') {
      quoted = !quoted;
    } else if (ch == d && !quoted) {
      known += column_named(cell).has_value();
      cell.clear();
    } else {
      cell += ch;
    }
  }
  return known;
}

// The separator: the one that splits one of the first lines (a title may come before the
// header) into the most column names the import knows; when none names any, the first line's.
char delimiter_of(std::string_view text) {
  char best = '\0';
  int best_known = 0;
  for (const char d : {';', ',', '\t'}) {
    std::size_t at = 0;
    for (std::size_t n = 0; n < kHeaderSearchRows && at < text.size(); ++n) {
      std::size_t end = text.find('\n', at);
      if (end == std::string_view::npos) end = text.size();
      const int known = known_names(text.substr(at, end - at), d);
      if (known > best_known) {
        best = d;
        best_known = known;
      }
      at = end + 1;
    }
  }
  return best_known >= 2 ? best : first_line_delimiter(text);
}

}  // namespace

namespace {

// The line (1-based) of byte `at` of `bytes`.
int line_of(std::string_view bytes, std::size_t at) {
  return 1 +
         static_cast<int>(std::count(bytes.begin(), bytes.begin() + static_cast<long>(at), '\n'));
}

std::string hex_byte(unsigned char b) {
  static const char* digits = "0123456789ABCDEF";
  return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

// Whether a valid UTF-8 sequence of several bytes is a character French text holds (Latin
// letters, punctuation, €): Windows-1252 bytes fall into other, rare sequences by chance
// ("é\xA0»", E9 A0 BB, is valid UTF-8 for a CJK character).
bool plausible(std::string_view seq) {  // REQUIRES: one valid sequence of 2 to 4 bytes
  const auto b = [&](std::size_t k) {
    return static_cast<char32_t>(static_cast<unsigned char>(seq[k]));
  };
  const char32_t cp = seq.size() == 2 ? ((b(0) & 0x1F) << 6) | (b(1) & 0x3F)
                      : seq.size() == 3
                          ? ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F)
                          : 0x10000;
  return (cp >= 0xA0 && cp <= 0x24F) || (cp >= 0x2000 && cp <= 0x206F) || cp == 0x20AC ||
         cp == 0x2122;
}

// The length of the valid UTF-8 sequence at `i`, 0 if there is none.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t len = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xE  ? 3
                          : (c >> 3) == 0x1E ? 4
                                             : 0;
  if (len == 0 || i + len > s.size()) return 0;
  return text::is_valid_utf8(s.substr(i, len)) ? len : 0;
}

// Converts with iconv; the offset of the first byte iconv cannot convert, if any.
std::string convert(std::string_view bytes, const char* from, std::optional<std::size_t>& bad) {
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1))
    throw std::runtime_error(std::string("iconv: no ") + from);
  std::string out;
  out.resize(bytes.size() * 3 + 16);
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  char* o = out.data();
  std::size_t out_left = out.size();
  if (iconv(cd, &in, &in_left, &o, &out_left) == static_cast<std::size_t>(-1)) {
    if (errno != EILSEQ && errno != EINVAL) {
      iconv_close(cd);
      throw std::runtime_error("iconv failed");
    }
    bad = bytes.size() - in_left;
  }
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

// UTF-16 by its BOM, or by its zero bytes: "UTF-16LE", "UTF-16BE", or nullptr.
const char* utf16_of(std::string_view b, std::size_t& skip) {
  skip = 0;
  if (b.size() >= 2 && b.substr(0, 2) == "\xFF\xFE") {
    skip = 2;
    return "UTF-16LE";
  }
  if (b.size() >= 2 && b.substr(0, 2) == "\xFE\xFF") {
    skip = 2;
    return "UTF-16BE";
  }
  // Text of Latin letters in UTF-16 has a zero in every other byte.
  const std::size_t n = std::min<std::size_t>(b.size() & ~std::size_t{1}, 256);
  if (n < 4) return nullptr;
  std::size_t even = 0, odd = 0;
  for (std::size_t i = 0; i < n; ++i)
    (i % 2 ? odd : even) += b[i] == '\0';
  if (odd * 10 >= n / 2 * 8 && even * 10 < n / 2) return "UTF-16LE";
  if (even * 10 >= n / 2 * 8 && odd * 10 < n / 2) return "UTF-16BE";
  return nullptr;
}

// Every line of data has as many fields as the header has columns: a line with fewer was cut
// (or split by a line break outside quotes), one with more is shifted. Empty fields beyond the
// header (separators left at the end of a line) are dropped, being nothing. Blank lines are not
// lines of data. The problems name their lines (the first 20).
std::optional<Refusal> check_field_counts(ImportTable& t, const std::string& text,
                                          const std::string& source) {
  const std::size_t columns = t.header.size();
  if (columns == 0) return std::nullopt;
  const bool ends_with_newline = !text.empty() && (text.back() == '\n' || text.back() == '\r');
  std::vector<Problem> problems;
  std::size_t more = 0;
  const auto empty = [](const std::string& f) { return text::trim(f).empty(); };
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    auto& row = t.rows[i];
    if (std::all_of(row.begin(), row.end(), empty)) continue;
    if (row.size() == columns) continue;
    if (row.size() > columns &&
        std::all_of(row.begin() + static_cast<long>(columns), row.end(), empty)) {
      row.resize(columns);
      continue;
    }
    const std::string where = "« " + source + " », ligne " + std::to_string(t.lines[i]) + " : ";
    const std::string counted = std::to_string(row.size()) + " champ(s) pour " +
                                std::to_string(columns) + " colonnes dans l'en-tête";
    Problem p;
    if (i + 1 == t.rows.size() && !ends_with_newline && row.size() < columns)
      p = {"import.truncated", "file",
           where + "le fichier se termine sur une ligne incomplète (" + counted +
               ") : il a été coupé."};
    else
      p = {"import.field_count", "file", where + counted + " : la ligne est coupée ou décalée."};
    if (problems.size() < 20)
      problems.push_back(std::move(p));
    else
      ++more;
  }
  if (problems.empty()) return std::nullopt;
  if (more)
    problems.push_back({"import.field_count", "file",
                        "… et " + std::to_string(more) + " autre(s) ligne(s) de même."});
  return Refusal(std::move(problems));
}

}  // namespace

Result<std::string> decode_text(std::string_view bytes, const std::string& source,
                                std::string& encoding) {
  const std::string file = "« " + source + " », ";
  std::size_t skip = 0;
  if (const char* utf16 = utf16_of(bytes, skip)) {
    encoding = std::string(utf16) + (skip ? " (BOM)" : "");
    const std::string_view body = bytes.substr(skip);
    if (body.size() % 2 != 0)
      return refuse(
          "import.truncated", "file",
          file + "en " + std::string(utf16) + ", a un nombre impair d'octets : il a été coupé.");
    std::optional<std::size_t> bad;
    std::string out = convert(body, utf16, bad);
    if (bad)
      return refuse("import.encoding_invalid", "file",
                    file + "en " + std::string(utf16) + ", est invalide à la ligne " +
                        std::to_string(line_of(out, out.size())) + " (octet " +
                        std::to_string(*bad + skip) + ").");
    return out;
  }
  // A BOM says UTF-8, but some exports put one before Windows-1252 text: the bytes decide.
  const bool bom = bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF";
  if (bom) bytes.remove_prefix(3);
  if (text::is_valid_utf8(bytes)) {
    encoding = bom ? "UTF-8 (BOM)" : "UTF-8";
    return std::string(bytes);
  }
  // Not UTF-8 throughout. If some of it is (a character of several bytes), the file mixes two
  // encodings: read as either, part of it would be garbled.
  std::optional<std::size_t> first_bad, first_multibyte;
  for (std::size_t i = 0; i < bytes.size();) {
    const std::size_t len = utf8_sequence(bytes, i);
    if (len == 0) {
      if (!first_bad) first_bad = i;
      ++i;
    } else {
      if (len > 1 && !first_multibyte && plausible(bytes.substr(i, len))) first_multibyte = i;
      i += len;
    }
    if (first_bad && first_multibyte) break;
  }
  if (first_multibyte) {
    const std::size_t m = *first_multibyte;
    return refuse("import.encoding_mixed", "file",
                  file + "ligne " + std::to_string(line_of(bytes, *first_bad)) + " : l'octet " +
                      hex_byte(static_cast<unsigned char>(bytes[*first_bad])) +
                      " n'est pas de l'UTF-8, alors que le fichier en contient (« " +
                      std::string(bytes.substr(m, utf8_sequence(bytes, m))) + " » ligne " +
                      std::to_string(line_of(bytes, m)) +
                      ") : il mêle deux encodages ; réenregistrez-le en UTF-8.");
  }
  encoding = bom ? "Windows-1252 (précédé d'un BOM UTF-8)" : "Windows-1252";
  // Five bytes mean nothing in Windows-1252: such a file is in another encoding.
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D)
      return refuse("import.encoding_invalid", "file",
                    file + "ligne " + std::to_string(line_of(bytes, i)) + " : l'octet " +
                        hex_byte(c) +
                        " n'est ni de l'UTF-8 ni du Windows-1252 : réenregistrez le fichier en "
                        "UTF-8.");
  }
  std::optional<std::size_t> bad;
  std::string out = convert(bytes, "WINDOWS-1252", bad);
  if (bad) throw std::runtime_error("iconv refused Windows-1252 text it should read");
  return out;
}

Result<ImportTable> read_table(std::string_view bytes, const std::string& source) {
  ImportTable table;
  table.source = source;
  auto decoded = decode_text(bytes, source, table.encoding);
  if (!decoded.ok()) return decoded.refusal();
  std::string text = std::move(decoded).value();
  if (const auto nul = text.find('\0'); nul != std::string::npos)
    return refuse("import.nul", "file",
                  "« " + source + " », ligne " + std::to_string(line_of(text, nul)) +
                      " : un caractère nul (0x00), qu'aucun texte ne contient : le fichier est "
                      "endommagé ou n'est pas un tableau de texte.");
  // Lines ended by a lone CR (Excel for Mac's "CSV (Macintosh)"): read as LF.
  if (text.find('\n') == std::string::npos && text.find('\r') != std::string::npos)
    std::replace(text.begin(), text.end(), '\r', '\n');
  table.delimiter = delimiter_of(text);
  csv_parser parser;
  if (csv_init(&parser, CSV_APPEND_NULL) != 0) throw std::runtime_error("libcsv: init");
  csv_set_delim(&parser, static_cast<unsigned char>(table.delimiter));
  Collector c;
  c.table = &table;
  // Fed line by line, so that each record knows the line where it starts.
  std::size_t at = 0;
  bool in_record = false;
  while (at < text.size()) {
    const std::size_t nl = text.find('\n', at);
    const std::size_t end = nl == std::string::npos ? text.size() : nl + 1;
    const std::size_t before = table.rows.size() + (c.header_done ? 1 : 0);
    if (!in_record) c.record_line = c.line;
    if (csv_parse(&parser, text.data() + at, end - at, on_field, on_record, &c) != end - at) {
      const std::string why = csv_strerror(csv_error(&parser));
      csv_free(&parser);
      return refuse("import.csv", "file",
                    "Le fichier « " + source + " » n'est pas un CSV lisible à la ligne " +
                        std::to_string(c.line) + " : " + why + ".");
    }
    // Still inside a record (a quoted field spans lines) when the parser has begun a row that
    // this line did not end; a blank line begins nothing.
    static_cast<void>(before);
    in_record = parser.pstate != 0 || !c.current.empty();
    ++c.line;
    at = end;
  }
  // A quoted field still open at the end: a quote was never closed (libcsv's strict mode would
  // also refuse the sloppy quotes real files have in the middle of fields).
  const bool quote_open = parser.pstate == 2 && parser.quoted;
  if (quote_open || csv_fini(&parser, on_field, on_record, &c) != 0) {
    csv_free(&parser);
    return refuse(
        "import.csv", "file",
        "Le fichier « " + source + " » se termine au milieu d'un champ entre guillemets.");
  }
  csv_free(&parser);
  settle_header(table);  // after a title or notes, when the file has some
  if (auto bad = check_field_counts(table, text, source)) return *bad;
  return table;
}

}  // namespace octroi::opendata
