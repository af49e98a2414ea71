// .xls (BIFF, Excel 97-2003) through libfreexl, which opens a file by its path: the bytes go to a
// private temporary file, removed at once. Numbers are IEEE doubles in the file: each is written
// as the shortest decimal that reads back to the same double (what Excel shows at full
// precision), then made plain.
#include <fcntl.h>
#include <freexl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
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

// The child's side: reads the file with libfreexl and writes what it finds to `fd`:
// 'E', a length and a French reason; or 'O', the number of sheets, the first one's name, then
// each cell (row, column, kind, length, value) and a row 0xFFFFFFFF to end.
class Writer {
 public:
  explicit Writer(int fd) : fd_(fd) {}
  void u32(std::uint32_t v) {
    buf_.append(reinterpret_cast<const char*>(&v), sizeof v);
    flush_if_full();
  }
  void bytes(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    buf_.append(s);
    flush_if_full();
  }
  void byte(char c) { buf_ += c; }
  void flush() {
    std::size_t at = 0;
    while (at < buf_.size()) {
      const ssize_t n = ::write(fd_, buf_.data() + at, buf_.size() - at);
      if (n <= 0) ::_exit(3);  // the parent stopped reading
      at += static_cast<std::size_t>(n);
    }
    buf_.clear();
  }

 private:
  void flush_if_full() {
    if (buf_.size() >= 64 * 1024) flush();
  }
  int fd_;
  std::string buf_;
};

[[noreturn]] void child_reads(const std::string& path, int fd) {
  ::signal(SIGPIPE, SIG_IGN);
  // Bounded: CPU always; memory when no sanitizer maps its shadow (which a limit would break).
  rlimit cpu{30, 30};
  ::setrlimit(RLIMIT_CPU, &cpu);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__has_feature)
  // 1 GiB more than the address space the fork inherited (the server's threads and mappings).
  long pages = 0;
  if (std::FILE* statm = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(statm, "%ld", &pages) != 1) pages = 0;
    std::fclose(statm);
  }
  const rlim_t size =
      static_cast<rlim_t>(pages) * static_cast<rlim_t>(::sysconf(_SC_PAGESIZE)) + (rlim_t{1} << 30);
  rlimit memory{size, size};
  ::setrlimit(RLIMIT_AS, &memory);
#endif
  Writer w(fd);
  const auto fail = [&](const std::string& why) {
    w.byte('E');
    w.bytes(why);
    w.flush();
    ::_exit(0);
  };
  Handle x;
  if (freexl_open(path.c_str(), &x.h) != FREEXL_OK)
    fail("ce n'est pas un classeur Excel 97-2003, ou il est endommagé");
  unsigned int info = 0;
  if (freexl_get_info(x.h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
      info == FREEXL_BIFF_OBFUSCATED)
    fail("il est protégé par un mot de passe");
  unsigned int sheets = 0;
  if (freexl_get_info(x.h, FREEXL_BIFF_SHEET_COUNT, &sheets) != FREEXL_OK || sheets == 0)
    fail("il n'a aucune feuille");
  const char* name = nullptr;
  if (freexl_select_active_worksheet(x.h, 0) != FREEXL_OK ||
      freexl_get_worksheet_name(x.h, 0, &name) != FREEXL_OK)
    fail("sa première feuille ne se lit pas");
  unsigned int rows = 0;
  unsigned short columns = 0;
  if (freexl_worksheet_dimensions(x.h, &rows, &columns) != FREEXL_OK)
    fail("sa première feuille ne se lit pas");
  w.byte('O');
  w.u32(sheets);
  w.bytes(name ? name : "");
  for (unsigned int r = 0; r < rows; ++r)
    for (unsigned short c = 0; c < columns; ++c) {
      FreeXL_CellValue v;
      if (freexl_get_cell_value(x.h, r, c, &v) != FREEXL_OK)
        fail("la cellule de la ligne " + std::to_string(r + 1) + ", colonne " +
             std::to_string(c + 1) + " ne se lit pas");
      const auto cell = cell_of(v);
      if (!cell)
        fail("la ligne " + std::to_string(r + 1) + ", colonne " + std::to_string(c + 1) +
             " ne tient pas un nombre");
      if (cell->kind == Cell::Kind::Empty) continue;
      w.u32(r + 1);
      w.u32(c);
      w.byte(static_cast<char>(cell->kind));
      w.bytes(cell->value);
    }
  w.u32(0xFFFFFFFFu);
  w.flush();
  ::_exit(0);
}

// The parent's side: reads the child's messages from `fd` within the limits and a deadline.
class Reader {
 public:
  Reader(int fd, std::chrono::steady_clock::time_point deadline) : fd_(fd), deadline_(deadline) {}
  bool u32(std::uint32_t& v) { return take(reinterpret_cast<char*>(&v), sizeof v); }
  bool byte(char& c) { return take(&c, 1); }
  bool bytes(std::string& s, std::size_t max) {
    std::uint32_t n = 0;
    if (!u32(n) || n > max) return false;
    s.resize(n);
    return take(s.data(), n);
  }
  bool timed_out() const { return timed_out_; }

 private:
  bool take(char* out, std::size_t n) {
    while (n > 0) {
      if (at_ == buf_.size()) {
        if (!fill()) return false;
        continue;
      }
      const std::size_t k = std::min(n, buf_.size() - at_);
      std::memcpy(out, buf_.data() + at_, k);
      at_ += k;
      out += k;
      n -= k;
    }
    return true;
  }
  bool fill() {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline_ - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) {
      timed_out_ = true;
      return false;
    }
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::min<long long>(left, 60'000))) <= 0) {
      timed_out_ = true;
      return false;
    }
    buf_.resize(64 * 1024);
    const ssize_t n = ::read(fd_, buf_.data(), buf_.size());
    if (n <= 0) return false;
    buf_.resize(static_cast<std::size_t>(n));
    at_ = 0;
    return true;
  }
  int fd_;
  std::chrono::steady_clock::time_point deadline_;
  std::string buf_;
  std::size_t at_ = 0;
  bool timed_out_ = false;
};

}  // namespace

// libfreexl runs in a child process (fork): a damaged or hostile file can crash it, exhaust its
// memory or its time (the fuzzer found a stack overflow inside libfreexl 1.0.6 on a mutated
// file), and the importer, or the server running it, only sees a refusal.
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
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
    return refuse("workbook.unreadable", "file", "Impossible de lancer le lecteur de classeurs.");
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return refuse("workbook.unreadable", "file", "Impossible de lancer le lecteur de classeurs.");
  }
  if (child == 0) {
    ::close(pipe_fds[0]);
    child_reads(file.path, pipe_fds[1]);
  }
  ::close(pipe_fds[1]);
  struct Reaped {
    pid_t pid;
    int fd;
    int status = 0;
    bool done = false;
    void end(bool kill_it) {
      if (done) return;
      if (kill_it) ::kill(pid, SIGKILL);
      ::close(fd);
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      done = true;
    }
    ~Reaped() { end(true); }
  } reaped{child, pipe_fds[0]};
  Reader in(pipe_fds[0], std::chrono::steady_clock::now() + std::chrono::seconds(60));
  const Refusal failed = damaged(
      "son lecteur (libfreexl) a échoué sur ce fichier : il est "
      "endommagé, ou n'est pas un classeur Excel 97-2003");
  char status = 0;
  if (!in.byte(status)) {
    reaped.end(true);
    return in.timed_out() ? damaged("sa lecture a pris plus d'une minute") : failed;
  }
  if (status == 'E') {
    std::string why;
    if (!in.bytes(why, 4096)) return failed;
    return damaged(why);
  }
  std::uint32_t sheets = 0;
  std::string name;
  if (status != 'O' || !in.u32(sheets) || !in.bytes(name, 4096)) return failed;
  SheetBuilder out(limits, kWhat);
  for (;;) {
    std::uint32_t row = 0, column = 0;
    char kind = 0;
    std::string value;
    if (!in.u32(row))
      return in.timed_out() ? damaged("sa lecture a pris plus d'une minute") : failed;
    if (row == 0xFFFFFFFFu) break;
    if (!in.u32(column) || !in.byte(kind) || !in.bytes(value, limits.max_text_bytes) ||
        kind < static_cast<char>(Cell::Kind::Text) || kind > static_cast<char>(Cell::Kind::Error))
      return failed;
    if (auto bad = out.put(row, column, Cell{static_cast<Cell::Kind>(kind), std::move(value)}))
      return *bad;  // the child is killed as `reaped` goes
  }
  reaped.end(false);
  if (!WIFEXITED(reaped.status) || WEXITSTATUS(reaped.status) != 0) return failed;
  Sheet read = out.finish(name);
  read.sheets_in_workbook = static_cast<int>(sheets);
  return read;
}

}  // namespace octroi::workbook
