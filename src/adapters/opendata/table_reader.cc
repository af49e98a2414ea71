#include "adapters/opendata/table_reader.h"

#include <csv.h>
#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <stdexcept>

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
    c->table->header = std::move(c->current);
    c->header_done = true;
  } else {
    c->table->rows.push_back(std::move(c->current));
    c->table->lines.push_back(c->record_line);
  }
  c->current.clear();
}

// The separator the header uses: the most frequent of ';', ',' and tab outside quotes.
char delimiter_of(std::string_view text) {
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

}  // namespace

std::string to_utf8(std::string_view bytes, std::string& encoding) {
  // A BOM says UTF-8, but some exports put one before Windows-1252 text: the bytes decide.
  const bool bom = bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF";
  if (bom) bytes.remove_prefix(3);
  if (text::is_valid_utf8(bytes)) {
    encoding = bom ? "UTF-8 (BOM)" : "UTF-8";
    return std::string(bytes);
  }
  encoding = bom ? "Windows-1252 (précédé d'un BOM UTF-8)" : "Windows-1252";
  iconv_t cd = iconv_open("UTF-8", "WINDOWS-1252");
  if (cd == reinterpret_cast<iconv_t>(-1)) throw std::runtime_error("iconv: no WINDOWS-1252");
  std::string out;
  out.resize(bytes.size() * 3 + 16);
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  char* o = out.data();
  std::size_t out_left = out.size();
  while (in_left > 0) {
    if (iconv(cd, &in, &in_left, &o, &out_left) == static_cast<std::size_t>(-1)) {
      if (errno == EILSEQ || errno == EINVAL) {  // 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined
        const char* replacement = "\xEF\xBF\xBD";
        for (int i = 0; i < 3 && out_left > 0; ++i, --out_left)
          *o++ = replacement[i];
        ++in;
        --in_left;
      } else {
        iconv_close(cd);
        throw std::runtime_error("iconv failed");
      }
    }
  }
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

Result<ImportTable> read_table(std::string_view bytes, const std::string& source) {
  ImportTable table;
  table.source = source;
  std::string text = to_utf8(bytes, table.encoding);
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
  return table;
}

}  // namespace octroi::opendata
