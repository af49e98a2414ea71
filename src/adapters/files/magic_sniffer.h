// The type of a file as its bytes show it (issue 19): libmagic, the database of the `file`
// command. The only code that includes <magic.h>.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "app/files.h"

namespace octroi::files {

class MagicSniffer final : public TypeSniffer {
 public:
  // Opens libmagic and loads its default database ($MAGIC, or /etc/magic and
  // /usr/share/misc/magic.mgc: Debian's libmagic-mgc); throws std::runtime_error when either
  // fails: a start-up error, not one of each file.
  MagicSniffer();
  ~MagicSniffer() override;
  MagicSniffer(const MagicSniffer&) = delete;
  MagicSniffer& operator=(const MagicSniffer&) = delete;

  // The MIME type alone ("application/pdf", never a "; charset=" part), as libmagic says it:
  // "application/x-empty" for no bytes, "application/octet-stream" when libmagic fails.
  std::string mime_of(std::string_view bytes) override;

 private:
  struct Handle;
  // One libmagic handle for all calls, behind a mutex: a handle is not safe to use from two
  // threads at once (its result is a buffer of the handle, overwritten by the next call).
  // Loading a handle per call would cost about as much as sniffing a small file and could fail
  // in the middle of a run; one call takes about 1 ms for a small file and at most about 35 ms
  // for a 32 MiB one (libmagic reads no more than its bytes_max, 7 MiB), little next to the
  // upload it belongs to, so serialising them is the simpler choice.
  std::mutex mutex_;
  std::unique_ptr<Handle> handle_;
};

}  // namespace octroi::files
