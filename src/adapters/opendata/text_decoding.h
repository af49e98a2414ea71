// A text file's encoding, found by reading its bytes once, and its UTF-8 text a piece at a time
// (iconv): what lets table_reader check and read a file of any size without holding it. Used by
// adapters/opendata only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "core/result.h"

namespace octroi::opendata {

// The size of the pieces a file is read in.
inline constexpr std::size_t kPiece = std::size_t{1} << 20;

// A file's bytes, a piece at a time, from the start again when asked. `fingerprint` is a
// checksum (FNV-1a) of the bytes read since the last rewind: two readings of a file that did
// not change give the same.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Fills `buf` with up to `n` bytes; fewer only at the end of the file.
  std::size_t read(char* buf, std::size_t n);
  void rewind();
  std::uint64_t fingerprint() const { return fingerprint_; }
  // The size of the pieces worth reading: kPiece, or less for bytes known to be fewer.
  virtual std::size_t piece_size() const { return kPiece; }

 protected:
  virtual std::size_t read_some(char* buf, std::size_t n) = 0;  // 0 at the end
  virtual void restart() = 0;

 private:
  std::uint64_t fingerprint_ = 14695981039346656037ull;
};

class MemoryBytes final : public ByteSource {
 public:
  explicit MemoryBytes(std::string_view bytes) : bytes_(bytes) {}
  std::size_t piece_size() const override { return std::min(kPiece, bytes_.size() + 1); }

 protected:
  std::size_t read_some(char* buf, std::size_t n) override;
  void restart() override { at_ = 0; }

 private:
  std::string_view bytes_;
  std::size_t at_ = 0;
};

class FileBytes final : public ByteSource {
 public:
  explicit FileBytes(const std::string& path);
  ~FileBytes() override;
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;
  bool ok() const { return f_ != nullptr; }

 protected:
  std::size_t read_some(char* buf, std::size_t n) override;
  void restart() override;

 private:
  std::FILE* f_ = nullptr;
};

// How a file's bytes are read.
struct TextEncoding {
  std::string name;                  // "UTF-8", "UTF-8 (BOM)", "Windows-1252", "UTF-16LE (BOM)"…
  const char* iconv_from = nullptr;  // nullptr: UTF-8 as it is
  std::size_t skip = 0;              // the bytes of a byte-order mark, not text
};

// Reads `src` once from its start: its encoding, or the refusals decode_text documents
// (table_reader.h), each naming its line.
Result<TextEncoding> find_encoding(ByteSource& src, const std::string& source);

// The UTF-8 text of a file's bytes, given a piece at a time from its start.
class TextDecoder {
 public:
  TextDecoder(const TextEncoding& e, const std::string& source);
  ~TextDecoder();
  TextDecoder(const TextDecoder&) = delete;
  TextDecoder& operator=(const TextDecoder&) = delete;
  // Appends the text of the next piece (`last` for the final one) to `out`. Refused: bytes the
  // encoding does not define ("import.encoding_invalid", naming the line; UTF-16 only:
  // find_encoding has checked the others).
  Status feed(std::string_view bytes, bool last, std::string& out);

 private:
  TextEncoding e_;
  std::string source_;
  void* cd_ = nullptr;  // iconv_t
  std::string carry_;   // the start of a character cut by the end of a piece
  std::uint64_t consumed_ = 0;
  std::uint64_t lines_ = 1;  // the line the text reached
};

}  // namespace octroi::opendata
