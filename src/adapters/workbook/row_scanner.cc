#include "adapters/workbook/row_scanner.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace octroi::workbook {
namespace {

// A tag, comment or section still open beyond this many bytes is refused: the scanner would
// look through it again at every piece.
constexpr std::size_t kMaxOpen = std::size_t{4} << 20;
// Rows are parsed by runs of about this many bytes.
constexpr std::size_t kRun = std::size_t{256} << 10;

// Whether the part must be converted whole first: UTF-16 (by its BOM or its zero bytes), or an
// XML declaration naming another encoding than UTF-8.
bool foreign_encoding(std::string_view start) {
  if (start.substr(0, 2) == "\xFF\xFE" || start.substr(0, 2) == "\xFE\xFF") return true;
  if (start.size() >= 2 && (start[0] == '\0' || start[1] == '\0')) return true;
  if (start.substr(0, 3) == "\xEF\xBB\xBF") start.remove_prefix(3);
  if (start.substr(0, 5) != "<?xml") return false;
  const std::size_t end = start.find("?>");
  const std::string_view decl = start.substr(0, end);
  const std::size_t at = decl.find("encoding");
  if (at == std::string_view::npos) return false;
  const std::size_t q = decl.find_first_of("\"'", at);
  if (q == std::string_view::npos) return false;
  const std::size_t q_end = decl.find(decl[q], q + 1);
  std::string name(decl.substr(q + 1, q_end == std::string_view::npos ? 0 : q_end - q - 1));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name != "utf-8" && name != "utf8";
}

struct StringWriter : pugi::xml_writer {
  std::string out;
  void write(const void* data, std::size_t size) override {
    out.append(static_cast<const char*>(data), size);
  }
};

}  // namespace

RowScanner::RowScanner(RowScan scan, Rows on_rows)
    : scan_(std::move(scan)), on_rows_(std::move(on_rows)) {}

Refusal RowScanner::damaged(const std::string& why) const {
  return refuse("workbook.unreadable", "file",
                "Le " + scan_.what + " est endommagé : " + why + ".");
}

std::optional<Refusal> RowScanner::feed(std::string_view piece) {
  if (!started_) {
    started_ = true;
    whole_ = foreign_encoding(piece.substr(0, 4096));
  }
  if (whole_) {
    held_.append(piece);
    return std::nullopt;
  }
  text_.append(piece);
  return scan();
}

std::optional<Refusal> RowScanner::finish() {
  if (whole_) {  // converted by pugixml, then scanned as UTF-8
    whole_ = false;
    pugi::xml_document doc;
    if (auto bad = xml::parse(doc, held_, scan_.what, scan_.part)) return bad;
    held_.clear();
    StringWriter w;
    doc.save(w, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
    text_ = std::move(w.out);
    pos_ = 0;
    if (auto bad = scan()) return bad;
  }
  if (state_ == State::Before) return damaged(scan_.missing);
  if (state_ != State::After) return damaged("sa feuille s'arrête au milieu de ses lignes");
  return run();
}

const std::string& RowScanner::container_attribute(const char* local) const {
  attribute_ = xml::attr(container_tag_.first_child(), local);
  return attribute_;
}

std::optional<Refusal> RowScanner::scan() {
  for (;;) {
    const auto tag = next_tag();
    if (!tag) break;
    pos_ = tag->end;
    if (tag->skip) continue;
    if (auto bad = step(*tag)) return bad;
  }
  if (pos_ < text_.size() && text_.size() - pos_ > kMaxOpen)
    return damaged("une balise, un commentaire ou une section de plus de 4 Mio");
  // What has been read is dropped, except the row being read.
  const std::size_t keep = state_ == State::Row ? row_start_ : pos_;
  text_.erase(0, keep);
  pos_ -= keep;
  if (state_ == State::Row) row_start_ = 0;
  return std::nullopt;
}

std::optional<RowScanner::Tag> RowScanner::next_tag() {
  const std::size_t lt = text_.find('<', pos_);
  if (lt == std::string::npos) {
    pos_ = text_.size();  // no tag begins in what was read
    return std::nullopt;
  }
  pos_ = lt;
  Tag t;
  t.start = lt;
  const std::string_view rest = std::string_view(text_).substr(lt);
  for (const auto& [open, close] : {std::pair<std::string_view, std::string_view>{"<!--", "-->"},
                                    {"<![CDATA[", "]]>"},
                                    {"<?", "?>"},
                                    {"<!", ">"}}) {
    if (rest.substr(0, open.size()) != open) {
      if (rest.size() < open.size() && open.substr(0, rest.size()) == rest) return std::nullopt;
      continue;
    }
    const std::size_t end = text_.find(close, lt + open.size());
    if (end == std::string::npos) return std::nullopt;
    t.end = end + close.size();
    t.skip = true;
    return t;
  }
  // A tag ends at the first '>' outside its quoted attribute values.
  char quote = 0;
  std::size_t gt = std::string::npos;
  for (std::size_t i = lt + 1; i < text_.size(); ++i) {
    const char c = text_[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      gt = i;
      break;
    }
  }
  if (gt == std::string::npos) return std::nullopt;
  t.end = gt + 1;
  t.closing = text_[lt + 1] == '/';
  t.empty = !t.closing && text_[gt - 1] == '/';
  const std::size_t name_at = lt + (t.closing ? 2 : 1);
  const std::size_t name_end = text_.find_first_of(" \t\r\n/>", name_at);
  const std::string name = text_.substr(name_at, name_end - name_at);
  t.local = xml::local_name(name.c_str());
  return t;
}

std::optional<Refusal> RowScanner::step(const Tag& t) {
  const bool transparent = std::find(scan_.transparent.begin(), scan_.transparent.end(), t.local) !=
                           scan_.transparent.end();
  switch (state_) {
    case State::Before:
      if (t.local == scan_.container && !t.closing) {
        containers_ = 1;
        std::string tag = text_.substr(t.start, t.end - t.start);
        if (!t.empty) tag.insert(tag.size() - 1, "/");
        container_tag_.load_buffer(tag.data(), tag.size());
        state_ = t.empty ? State::After : State::In;
      }
      return std::nullopt;
    case State::In:
      if (t.local == scan_.container && t.closing) {
        state_ = State::After;
        return run();
      }
      if (transparent) return std::nullopt;
      if (t.local == scan_.row && !t.closing) {
        row_start_ = t.start;
        if (t.empty) return add_row(t.end);
        state_ = State::Row;
        row_depth_ = 1;
        return std::nullopt;
      }
      if (!t.closing && !t.empty) {  // another child of the container: skipped whole
        state_ = State::Other;
        depth_ = 1;
      }
      return std::nullopt;
    case State::Row:
      if (t.local == scan_.row && !t.closing && !t.empty) ++row_depth_;
      if (t.local == scan_.row && t.closing && --row_depth_ == 0) {
        state_ = State::In;
        return add_row(t.end);
      }
      return std::nullopt;
    case State::Other:
      if (t.closing)
        --depth_;
      else if (!t.empty)
        ++depth_;
      if (depth_ == 0) state_ = State::In;
      return std::nullopt;
    case State::After:
      if (t.local == scan_.container) {
        if (!t.closing && after_depth_ == 0) ++containers_;
        if (!t.closing && !t.empty) ++after_depth_;
        if (t.closing && after_depth_ > 0) --after_depth_;
      }
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<Refusal> RowScanner::add_row(std::size_t end) {
  rows_.append(text_, row_start_, end - row_start_);
  if (rows_.size() >= kRun) return run();
  return std::nullopt;
}

std::optional<Refusal> RowScanner::run() {
  if (rows_.empty()) return std::nullopt;
  std::string xml = "<d>";
  xml += rows_;
  xml += "</d>";
  rows_.clear();
  pugi::xml_document doc;
  if (auto bad = xml::parse(doc, xml, scan_.what, scan_.part)) return bad;
  return on_rows_(doc.child("d"));
}

}  // namespace octroi::workbook
