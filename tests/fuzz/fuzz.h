// The fuzz targets (issue 16, docs/FUZZING.md): each file defines LLVMFuzzerTestOneInput for one
// parser of untrusted input, and checks what must hold whatever the bytes (a refusal is fine; a
// crash, a leak, undefined behaviour or a broken invariant is a finding). Built twice: with
// libFuzzer by `make fuzz` (clang-14), and with replay_main.cc by the ordinary builds, which
// replay every file of tests/fuzz/corpus/<target>/ in `make test` (release and ASan/UBSan).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

// Stops the run when an invariant is broken, naming it (libFuzzer keeps the input as a crash).
#define OCTROI_FUZZ_CHECK(cond)                                                   \
  do {                                                                            \
    if (!(cond)) {                                                                \
      std::fprintf(stderr, "fuzz invariant broken: %s (%s:%d)\n", #cond, __FILE__, \
                   __LINE__);                                                     \
      std::abort();                                                               \
    }                                                                             \
  } while (0)

inline std::string_view fuzz_bytes(const std::uint8_t* data, std::size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
