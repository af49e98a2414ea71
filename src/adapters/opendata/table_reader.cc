#include "adapters/opendata/table_reader.h"

#include <csv.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <stdexcept>

#include "adapters/opendata/text_decoding.h"
#include "app/import_columns.h"
#include "domain/text.h"

namespace octroi::opendata {
namespace {

// A record (all its fields, and a field libcsv is still reading) is at most 1 MiB: a line of a
// subsidy file is a few hundred bytes; a file that is not a table must not fill the memory.
constexpr std::size_t kMaxRecordBytes = std::size_t{1} << 20;

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

// How the text is cut: decided on its first piece.
struct Layout {
  bool decided = false;
  char delimiter = ',';
  bool lone_cr = false;  // lines ended by a lone CR (Excel for Mac's "CSV (Macintosh)")
};

using RecordFn = std::function<void(std::vector<std::string>&, int)>;

// Lines ended by a lone CR: each CR not followed by LF becomes LF (a CRLF stays, should the
// file use both). A CR that ends a piece waits for the next one (`held`).
void bare_cr_to_lf(std::string& text, bool& held, bool last) {
  if (held) text.insert(text.begin(), '\r');
  held = false;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      out += text[i];
    } else if (i + 1 < text.size()) {
      out += text[i + 1] == '\n' ? '\r' : '\n';
    } else if (last) {
      out += '\n';
    } else {
      held = true;
    }
  }
  text = std::move(out);
}

struct Records {
  std::vector<std::string> current;
  std::size_t bytes = 0;  // of the fields of `current`
  int record_line = 1;    // the line where the current record started
  int too_long = 0;       // the line of the first record beyond kMaxRecordBytes
  const RecordFn* on_record = nullptr;
};

// Each field costs its bytes and a string's own size: a line of a million empty fields is as
// long as a field of 32 MiB.
void on_field(void* s, std::size_t len, void* data) {
  auto* r = static_cast<Records*>(data);
  if (r->too_long) return;  // refused at the end of this feed: nothing more is kept
  r->current.emplace_back(s ? static_cast<const char*>(s) : "", s ? len : 0);
  r->bytes += (s ? len : 0) + sizeof(std::string);
  if (r->bytes > kMaxRecordBytes) r->too_long = r->record_line;
}

void on_record(int, void* data) {
  auto* r = static_cast<Records*>(data);
  if (r->too_long) {  // refused after this feed: the record is not handed on
    r->current.clear();
    r->bytes = 0;
    return;
  }
  (*r->on_record)(r->current, r->record_line);
  r->current.clear();
  r->bytes = 0;
}

// Reads the text of `src` (in `enc`) record by record, each handed to `f` with the line where it
// starts (the header among them). Refuses, naming the line: text the encoding does not define
// (UTF-16), a NUL, a record beyond 1 MiB, what libcsv cannot read, a quote never closed.
Status parse_records(ByteSource& src, const TextEncoding& enc, const std::string& source,
                     Layout& layout, const RecordFn& f, bool& ends_with_newline) {
  src.rewind();
  TextDecoder decoder(enc, source);
  csv_parser parser;
  if (csv_init(&parser, CSV_APPEND_NULL) != 0) throw std::runtime_error("libcsv: init");
  const std::unique_ptr<csv_parser, void (*)(csv_parser*)> freed(&parser, csv_free);
  Records records;
  records.on_record = &f;
  const std::size_t size = src.piece_size();
  std::string piece(size, '\0'), text, pending;
  bool held_cr = false;  // a CR that ended the last piece: a line end or the start of a CRLF
  int line = 1;
  bool in_record = false, at_line_start = true;
  const auto where = [&](int l) {
    return "« " + source + " », ligne " + std::to_string(l) + " : ";
  };
  // Feeds a line, or the part of one that has no end yet, so that each record knows its line.
  const auto feed = [&](std::string_view s) -> Status {
    if (at_line_start && !in_record) records.record_line = line;
    if (csv_parse(&parser, s.data(), s.size(), on_field, on_record, &records) != s.size())
      return refuse("import.csv", "file",
                    "Le fichier « " + source + " » n'est pas un CSV lisible à la ligne " +
                        std::to_string(line) + " : " + csv_strerror(csv_error(&parser)) + ".");
    if (!records.too_long && records.bytes + parser.entry_pos > kMaxRecordBytes)
      records.too_long = records.record_line;
    if (records.too_long)
      return refuse("import.line_too_long", "file",
                    where(records.too_long) +
                        "un enregistrement de plus de 1 Mio : ce n'est pas une ligne d'un "
                        "fichier de subventions.");
    at_line_start = !s.empty() && s.back() == '\n';
    if (at_line_start) {
      // Still inside a record (a quoted field spans lines) when the parser has begun a row
      // that this line did not end; a blank line begins nothing.
      in_record = parser.pstate != 0 || !records.current.empty();
      ++line;
    }
    return done();
  };
  for (bool last = false; !last;) {
    const std::size_t n = src.read(piece.data(), size);
    last = n < size;
    text.clear();
    if (auto d = decoder.feed(std::string_view(piece.data(), n), last, text); !d.ok())
      return d.refusal();
    if (!layout.decided && (!text.empty() || last)) {
      layout.lone_cr = text.find('\n') == std::string::npos && text.find('\r') != std::string::npos;
      layout.decided = true;
      if (layout.lone_cr) bare_cr_to_lf(text, held_cr, last);
      layout.delimiter = delimiter_of(text);
    } else if (layout.lone_cr) {
      bare_cr_to_lf(text, held_cr, last);
    }
    if (const auto nul = text.find('\0'); nul != std::string::npos)
      return refuse(
          "import.nul", "file",
          where(line + static_cast<int>(std::count(pending.begin(), pending.end(), '\n') +
                                        std::count(text.begin(), text.begin() + nul, '\n'))) +
              "un caractère nul (0x00), qu'aucun texte ne contient : le fichier est "
              "endommagé ou n'est pas un tableau de texte.");
    if (!text.empty()) ends_with_newline = text.back() == '\n' || text.back() == '\r';
    csv_set_delim(&parser, static_cast<unsigned char>(layout.delimiter));
    pending += text;
    std::size_t at = 0;
    for (std::size_t nl; (nl = pending.find('\n', at)) != std::string::npos; at = nl + 1)
      if (auto fed = feed(std::string_view(pending).substr(at, nl + 1 - at)); !fed.ok())
        return fed.refusal();
    pending.erase(0, at);
    if (pending.size() >= kPiece || (last && !pending.empty())) {  // a line without its end yet
      if (auto fed = feed(pending); !fed.ok()) return fed.refusal();
      pending.clear();
    }
  }
  // A quoted field still open at the end: a quote was never closed (libcsv's strict mode would
  // also refuse the sloppy quotes real files have in the middle of fields).
  const bool quote_open = parser.pstate == 2 && parser.quoted;
  if (quote_open || csv_fini(&parser, on_field, on_record, &records) != 0)
    return refuse(
        "import.csv", "file",
        "Le fichier « " + source + " » se termine au milieu d'un champ entre guillemets.");
  return done();
}

// Every line of data has as many fields as the header has columns: a line with fewer was cut
// (or split by a line break outside quotes), one with more is shifted. Empty fields beyond the
// header (separators left at the end of a line) are nothing. Blank lines are not lines of data.
// The problems name their lines (the first 20). Counted a row at a time: whether a short row is
// the file's last (cut) is known at the next one.
class FieldCounts {
 public:
  FieldCounts(std::size_t columns, std::string source)
      : columns_(columns), source_(std::move(source)) {}

  void row(const std::vector<std::string>& row, int line) {
    flush(false);
    if (columns_ == 0 || row.size() == columns_ || std::all_of(row.begin(), row.end(), empty))
      return;
    if (row.size() > columns_ &&
        std::all_of(row.begin() + static_cast<long>(columns_), row.end(), empty))
      return;
    pending_ = {{line, row.size()}};
  }

  std::optional<Refusal> finish(bool ends_with_newline) {
    flush(!ends_with_newline);
    if (problems_.empty()) return std::nullopt;
    if (more_)
      problems_.push_back({"import.field_count", "file",
                           "… et " + std::to_string(more_) + " autre(s) ligne(s) de même."});
    return Refusal(std::move(problems_));
  }

 private:
  static bool empty(const std::string& f) { return text::trim(f).empty(); }

  // The short or long row seen last, now that it is known whether the file ends with it.
  void flush(bool last_and_unended) {
    if (!pending_) return;
    const auto [line, size] = *pending_;
    pending_.reset();
    const std::string where = "« " + source_ + " », ligne " + std::to_string(line) + " : ";
    const std::string counted = std::to_string(size) + " champ(s) pour " +
                                std::to_string(columns_) + " colonnes dans l'en-tête";
    Problem p;
    if (last_and_unended && size < columns_)
      p = {"import.truncated", "file",
           where + "le fichier se termine sur une ligne incomplète (" + counted +
               ") : il a été coupé."};
    else
      p = {"import.field_count", "file", where + counted + " : la ligne est coupée ou décalée."};
    if (problems_.size() < 20)
      problems_.push_back(std::move(p));
    else
      ++more_;
  }

  std::size_t columns_;
  std::string source_;
  std::optional<std::pair<int, std::size_t>> pending_;
  std::vector<Problem> problems_;
  std::size_t more_ = 0;
};

ImportInterrupted changed(const std::string& source) {
  return ImportInterrupted("le fichier « " + source +
                           " » a changé pendant sa lecture : réessayez quand il ne change plus.");
}

// A table file as the first reading found it: enough to read its rows again.
struct CheckedTable {
  ImportTable head;  // without rows
  TextEncoding encoding;
  Layout layout;
  std::size_t header_record = 0;  // the header's rank among the records
  std::uint64_t fingerprint = 0;  // of the bytes, as find_encoding and the check read them
};

// The first reading: the whole file checked (decode_text's checks, then parse_records's, then
// the field counts), its header found among the first records (find_header_row: below a title
// or notes), its rows counted; none kept.
Result<CheckedTable> check_table(ByteSource& src, const std::string& source) {
  CheckedTable t;
  auto enc = find_encoding(src, source);
  if (!enc.ok()) return enc.refusal();
  t.encoding = enc.value();
  t.head.source = source;
  t.head.encoding = t.encoding.name;
  std::vector<std::vector<std::string>> first;
  std::vector<int> first_lines;
  std::optional<FieldCounts> counts;
  std::size_t rows = 0;
  const auto settle = [&] {
    const std::size_t h = find_header_row(first);
    t.header_record = h;
    t.head.header = first[h];
    t.head.header_line = first_lines[h];
    counts.emplace(t.head.header.size(), source);
    for (std::size_t k = h + 1; k < first.size(); ++k) {
      counts->row(first[k], first_lines[k]);
      ++rows;
    }
    first.clear();
  };
  const RecordFn each = [&](std::vector<std::string>& fields, int line) {
    if (!counts) {
      first.push_back(std::move(fields));
      first_lines.push_back(line);
      if (first.size() == kHeaderSearchRows) settle();
      return;
    }
    counts->row(fields, line);
    ++rows;
  };
  bool ends_with_newline = false;
  const std::uint64_t encoded = src.fingerprint();  // what find_encoding read
  if (auto p = parse_records(src, t.encoding, source, t.layout, each, ends_with_newline); !p.ok())
    return p.refusal();
  if (src.fingerprint() != encoded) throw changed(source);
  if (!counts && !first.empty()) settle();
  if (counts)
    if (auto bad = counts->finish(ends_with_newline)) return *bad;
  t.head.delimiter = t.layout.delimiter;
  t.head.row_count = rows;
  t.fingerprint = src.fingerprint();
  return t;
}

// The second reading: each row after the header, its empty fields beyond the header dropped,
// handed to `f` with its line. The file must be the one check_table read: else the reading stops
// (an exception: what was done with the rows is rolled back).
void each_row(ByteSource& src, const CheckedTable& t, const RecordFn& f) {
  Layout layout = t.layout;
  const std::size_t columns = t.head.header.size();
  std::size_t record = 0;
  const RecordFn each = [&](std::vector<std::string>& fields, int line) {
    if (record++ <= t.header_record) return;
    if (fields.size() > columns &&
        std::all_of(fields.begin() + static_cast<long>(columns), fields.end(),
                    [](const std::string& v) { return text::trim(v).empty(); }))
      fields.resize(columns);
    f(fields, line);
  };
  bool ends_with_newline = false;
  const auto read = parse_records(src, t.encoding, t.head.source, layout, each, ends_with_newline);
  if (!read.ok() || src.fingerprint() != t.fingerprint) throw changed(t.head.source);
}

}  // namespace

Result<std::string> decode_text(std::string_view bytes, const std::string& source,
                                std::string& encoding) {
  MemoryBytes src(bytes);
  auto enc = find_encoding(src, source);
  if (!enc.ok()) return enc.refusal();
  encoding = enc->name;
  TextDecoder decoder(enc.value(), source);
  std::string out;
  if (auto d = decoder.feed(bytes, true, out); !d.ok()) return d.refusal();
  return out;
}

Result<ImportTable> read_table(std::string_view bytes, const std::string& source) {
  MemoryBytes src(bytes);
  auto checked = check_table(src, source);
  if (!checked.ok()) return checked.refusal();
  ImportTable table = checked->head;
  table.rows.reserve(table.row_count);
  each_row(src, checked.value(), [&](std::vector<std::string>& row, int line) {
    table.rows.push_back(std::move(row));
    table.lines.push_back(line);
  });
  return table;
}

Result<ImportTable> open_table(const std::string& path, const std::string& source) {
  auto src = std::make_shared<FileBytes>(path);
  if (!src->ok()) throw ImportInterrupted("le fichier « " + source + " » ne peut pas être ouvert.");
  auto checked = check_table(*src, source);
  if (!checked.ok()) return checked.refusal();
  ImportTable table = checked->head;
  auto t = std::make_shared<CheckedTable>(std::move(checked).value());
  table.stream_rows = [src, t](const ImportTable::RowFn& f) {
    each_row(*src, *t, [&](std::vector<std::string>& row, int line) { f(row, line); });
  };
  return table;
}

}  // namespace octroi::opendata
