#include "adapters/opendata/text_decoding.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <stdexcept>

#include "app/scdl_import.h"
#include "domain/text.h"

namespace octroi::opendata {

std::size_t ByteSource::read(char* buf, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    const std::size_t k = read_some(buf + got, n - got);
    if (k == 0) break;
    got += k;
  }
  for (std::size_t i = 0; i < got; ++i) {
    fingerprint_ ^= static_cast<unsigned char>(buf[i]);
    fingerprint_ *= 1099511628211ull;
  }
  return got;
}

void ByteSource::rewind() {
  restart();
  fingerprint_ = 14695981039346656037ull;
}

std::size_t MemoryBytes::read_some(char* buf, std::size_t n) {
  const std::size_t k = std::min(n, bytes_.size() - at_);
  std::copy_n(bytes_.data() + at_, k, buf);
  at_ += k;
  return k;
}

FileBytes::FileBytes(const std::string& path) : f_(std::fopen(path.c_str(), "rb")) {}

FileBytes::~FileBytes() {
  if (f_) std::fclose(f_);
}

std::size_t FileBytes::read_some(char* buf, std::size_t n) {
  const std::size_t k = std::fread(buf, 1, n, f_);
  if (k == 0 && std::ferror(f_))
    throw ImportInterrupted("le fichier n'a pas pu être lu jusqu'au bout.");
  return k;
}

void FileBytes::restart() {
  if (std::fseek(f_, 0, SEEK_SET) != 0)
    throw ImportInterrupted("le fichier n'a pas pu être relu depuis son début.");
}

namespace {

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

// The length a UTF-8 sequence starting with `c` announces, 0 if `c` starts none.
std::size_t announced(unsigned char c) {
  return c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
}

// The length of the valid UTF-8 sequence at `i`, 0 if there is none.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const std::size_t len = announced(static_cast<unsigned char>(s[i]));
  if (len == 0 || i + len > s.size()) return 0;
  return text::is_valid_utf8(s.substr(i, len)) ? len : 0;
}

// Five bytes mean nothing in Windows-1252.
bool undefined_in_1252(unsigned char c) {
  return c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D;
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

// What reading the bytes as UTF-8 found: the first byte that is not UTF-8, the first character
// of several bytes French text holds, the first byte Windows-1252 does not define; each with its
// line.
struct Utf8Scan {
  std::uint64_t line = 1;
  std::optional<std::pair<std::uint64_t, unsigned char>> first_bad;
  std::optional<std::pair<std::uint64_t, std::string>> first_multibyte;
  std::optional<std::pair<std::uint64_t, unsigned char>> first_undefined;

  // Scans `s`; returns how many bytes it consumed: all of them when `last`, else all but the
  // start of a sequence the piece cuts.
  std::size_t scan(std::string_view s, bool last) {
    std::size_t i = 0;
    while (i < s.size()) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c < 0x80) {
        line += c == '\n';
        ++i;
        continue;
      }
      const std::size_t want = announced(c);
      if (want > 1 && i + want > s.size() && !last) break;  // carried to the next piece
      const std::size_t len = utf8_sequence(s, i);
      if (len == 0) {
        if (!first_bad) first_bad = {{line, c}};
        if (!first_undefined && undefined_in_1252(c)) first_undefined = {{line, c}};
        ++i;
        continue;
      }
      if (!first_multibyte && plausible(s.substr(i, len)))
        first_multibyte = {{line, std::string(s.substr(i, len))}};
      for (std::size_t k = i; k < i + len; ++k)
        if (!first_undefined && undefined_in_1252(static_cast<unsigned char>(s[k])))
          first_undefined = {{line, static_cast<unsigned char>(s[k])}};
      i += len;
    }
    return i;
  }
};

}  // namespace

Result<TextEncoding> find_encoding(ByteSource& src, const std::string& source) {
  const std::string file = "« " + source + " », ";
  src.rewind();
  const std::size_t size = src.piece_size();
  std::string piece(size, '\0');
  std::size_t n = src.read(piece.data(), size);
  std::size_t skip = 0;
  if (const char* utf16 = utf16_of(std::string_view(piece.data(), n), skip)) {
    std::uint64_t total = n;
    while (n == size)
      total += (n = src.read(piece.data(), size));
    if ((total - skip) % 2 != 0)
      return refuse(
          "import.truncated", "file",
          file + "en " + std::string(utf16) + ", a un nombre impair d'octets : il a été coupé.");
    return TextEncoding{std::string(utf16) + (skip ? " (BOM)" : ""), utf16, skip};
  }
  // A BOM says UTF-8, but some exports put one before Windows-1252 text: the bytes decide.
  const bool bom = n >= 3 && std::string_view(piece.data(), 3) == "\xEF\xBB\xBF";
  Utf8Scan scan;
  std::string carry;
  std::size_t from = bom ? 3 : 0;
  for (;;) {
    const bool last = n < size;
    std::string_view s(piece.data() + from, n - from);
    if (!carry.empty()) {
      carry.append(s);
      s = carry;
    }
    const std::size_t used = scan.scan(s, last);
    std::string rest(s.substr(used));
    carry = std::move(rest);
    if (last) break;
    n = src.read(piece.data(), size);
    from = 0;
  }
  if (!scan.first_bad) return TextEncoding{bom ? "UTF-8 (BOM)" : "UTF-8", nullptr, bom ? 3u : 0u};
  // Not UTF-8 throughout. If some of it is (a character of several bytes), the file mixes two
  // encodings: read as either, part of it would be garbled.
  if (scan.first_multibyte)
    return refuse("import.encoding_mixed", "file",
                  file + "ligne " + std::to_string(scan.first_bad->first) + " : l'octet " +
                      hex_byte(scan.first_bad->second) +
                      " n'est pas de l'UTF-8, alors que le fichier en contient (« " +
                      scan.first_multibyte->second + " » ligne " +
                      std::to_string(scan.first_multibyte->first) +
                      ") : il mêle deux encodages ; réenregistrez-le en UTF-8.");
  if (scan.first_undefined)
    return refuse("import.encoding_invalid", "file",
                  file + "ligne " + std::to_string(scan.first_undefined->first) + " : l'octet " +
                      hex_byte(scan.first_undefined->second) +
                      " n'est ni de l'UTF-8 ni du Windows-1252 : réenregistrez le fichier en "
                      "UTF-8.");
  return TextEncoding{bom ? "Windows-1252 (précédé d'un BOM UTF-8)" : "Windows-1252",
                      "WINDOWS-1252", bom ? 3u : 0u};
}

TextDecoder::TextDecoder(const TextEncoding& e, const std::string& source)
    : e_(e), source_(source) {
  if (!e_.iconv_from) return;
  iconv_t cd = iconv_open("UTF-8", e_.iconv_from);
  if (cd == reinterpret_cast<iconv_t>(-1))
    throw std::runtime_error(std::string("iconv: no ") + e_.iconv_from);
  cd_ = cd;
}

TextDecoder::~TextDecoder() {
  if (cd_) iconv_close(static_cast<iconv_t>(cd_));
}

Status TextDecoder::feed(std::string_view bytes, bool last, std::string& out) {
  // The byte-order mark is not text.
  const std::uint64_t start = consumed_;
  consumed_ += bytes.size();
  if (start < e_.skip) bytes.remove_prefix(std::min<std::uint64_t>(e_.skip - start, bytes.size()));
  const std::size_t before = out.size();
  if (!cd_) {
    out.append(bytes);
  } else {
    std::string in = std::move(carry_);
    carry_.clear();
    in.append(bytes);
    out.resize(before + in.size() * 3 + 16);
    char* inp = in.data();
    std::size_t in_left = in.size();
    char* o = out.data() + before;
    std::size_t out_left = out.size() - before;
    const auto cd = static_cast<iconv_t>(cd_);
    if (iconv(cd, &inp, &in_left, &o, &out_left) == static_cast<std::size_t>(-1)) {
      const int err = errno;
      out.resize(out.size() - out_left);
      if (err == EINVAL && !last) {
        carry_.assign(inp, in_left);  // a character cut by the end of the piece
      } else if (err == EILSEQ || err == EINVAL) {
        if (std::string_view(e_.iconv_from).substr(0, 6) != "UTF-16")
          throw std::runtime_error("iconv refused text find_encoding accepted");
        const std::uint64_t at = consumed_ - in_left;
        const auto lines =
            lines_ + static_cast<std::uint64_t>(std::count(out.begin() + before, out.end(), '\n'));
        return refuse("import.encoding_invalid", "file",
                      "« " + source_ + " », en " + std::string(e_.iconv_from) +
                          ", est invalide à la ligne " + std::to_string(lines) + " (octet " +
                          std::to_string(at) + ").");
      } else {
        throw std::runtime_error("iconv failed");
      }
    } else {
      out.resize(out.size() - out_left);
    }
  }
  lines_ += static_cast<std::uint64_t>(std::count(out.begin() + before, out.end(), '\n'));
  return done();
}

}  // namespace octroi::opendata
