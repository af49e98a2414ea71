// Private notes on a dossier.
// Part of the Transaction port (app/ports.h): reached as tx.notes(); the same thread-safety
// and failure contract (StoreError) as every port of a transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/instant.h"
#include "domain/ids.h"

namespace octroi {

// A private note on a dossier, for the instructors (never published).
struct NoteRecord {
  std::int64_t id = 0;
  ApplicationId application;
  std::string author;  // login
  Instant at;
  std::string text;
};

class NotesPort {
 public:
  virtual ~NotesPort() = default;

  virtual std::int64_t insert_note(AuthorityId a, const NoteRecord& n) = 0;
  virtual std::vector<NoteRecord> notes_of(AuthorityId a, ApplicationId id) = 0;
};

}  // namespace octroi
