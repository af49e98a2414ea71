// The virus scanner of the files (issue 19): ClamAV's daemon, clamd, over its INSTREAM command
// (the bytes are streamed to it, so clamd needs no access to our files), on a Unix socket or
// TCP. One connection per scan, so one scanner serves every thread; every wait (connection,
// sending, clamd's answer) is bounded by one deadline for the whole scan, and whatever goes wrong
// is a Failed verdict, never an exception.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "app/files.h"

namespace octroi::files {

class ClamdScanner final : public FileScanner {
 public:
  // `address`: the path of clamd's Unix socket (it starts with '/': "/run/clamav/clamd.ctl") or
  // "host:port" ("127.0.0.1:3310", "clamav:3310", "[::1]:3310"). `timeout_ms` bounds a whole
  // scan. Throws std::invalid_argument when the address is neither or the timeout is not
  // positive (a start-up error). A host name is resolved at each scan, by the system's resolver,
  // whose own timeouts (resolv.conf) bound that step rather than `timeout_ms`.
  explicit ClamdScanner(std::string address, long timeout_ms = 30000);

  // Clean, Infected (detail: the signature's name) or Failed (detail: why, in a few words). A
  // file larger than clamd's StreamMaxLength (100 MiB unless configured: it must stay above
  // kMaxFileBytes) is Failed: clamd answers "INSTREAM size limit exceeded".
  ScanVerdict scan(std::string_view bytes) override;
  std::string name() const override { return "clamd"; }

 private:
  std::string address_;
  std::string unix_path_;    // a Unix socket, or
  std::string host_, port_;  // a TCP address
  std::chrono::milliseconds timeout_;
};

// What clamd's reply to INSTREAM says (the text before its '\0'): "stream: OK" is Clean,
// "stream: <name> FOUND" Infected, "<message> ERROR" and anything else Failed.
ScanVerdict clamd_verdict(std::string_view reply);

}  // namespace octroi::files
