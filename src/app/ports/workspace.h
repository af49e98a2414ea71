// The instruction workspace: who instructs each dossier, who follows it, and the searches each
// account saved (migration 0018).
// Part of the Transaction port (app/ports.h): reached as tx.workspace(); the same thread-safety
// and failure contract (StoreError) as every port of a transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/instant.h"
#include "domain/ids.h"

namespace octroi {

struct AssignmentRecord {
  ApplicationId application;
  std::int64_t user_id = 0;
  Instant at;
  std::string by;  // the actor who assigned it
};

struct SavedFilterRecord {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string name;   // "Mes chèques numériques à instruire"
  std::string query;  // "state=under_instruction&scheme=00001176"
  Instant created_at;
};

// An expert opinion (avis) asked of another service about a dossier, and its answer once given.
struct OpinionRecord {
  std::int64_t id = 0;
  ApplicationId application;
  std::string service;  // the service asked: "Service de l'innovation"
  std::string question;
  std::string requested_by;
  Instant requested_at;
  std::string opinion;  // "" until answered; "favorable" | "reserved" | "unfavorable"
  std::string answer;
  std::string answered_by;
  std::optional<Instant> answered_at;
};

// A row of a dossier's approval chain (migration 0021): the request that opens a round (level 0,
// by the instructor), then each level's visa or its return to instruction.
struct VisaRecord {
  std::int64_t id = 0;
  ApplicationId application;
  int round = 0;
  int level = 0;
  std::string decision;  // "requested" | "approved" | "returned"
  std::string actor;
  std::optional<std::int64_t> user_id;  // the account behind the actor (none: the command line)
  Date on;
  Instant at;
  std::string comment;  // a return's reason, a visa's remark
};

class WorkspacePort {
 public:
  virtual ~WorkspacePort() = default;

  virtual std::optional<AssignmentRecord> assignment_of(AuthorityId a, ApplicationId id) = 0;
  // Replaces the dossier's assignment (none when `r` is empty).
  virtual void set_assignment(AuthorityId a, ApplicationId id,
                              const std::optional<AssignmentRecord>& r) = 0;
  // The dossiers assigned to the account.
  virtual std::vector<ApplicationId> assigned_to(AuthorityId a, std::int64_t user_id) = 0;
  virtual bool follows(AuthorityId a, ApplicationId id, std::int64_t user_id) = 0;
  virtual void set_follow(AuthorityId a, ApplicationId id, std::int64_t user_id, bool on,
                          Instant at) = 0;
  // The opinions asked about a dossier, oldest first; one by its id.
  virtual std::vector<OpinionRecord> opinions_of(AuthorityId a, ApplicationId id) = 0;
  virtual std::optional<OpinionRecord> get_opinion(AuthorityId a, std::int64_t id) = 0;
  virtual std::int64_t insert_opinion(AuthorityId a, const OpinionRecord& o) = 0;
  // Records the answer of an opinion not answered yet; false when it already was.
  virtual bool answer_opinion(AuthorityId a, const OpinionRecord& o) = 0;
  // The service asked by each opinion not answered yet (one entry per opinion).
  virtual std::vector<std::string> services_asked(AuthorityId a) = 0;
  // The rows of a dossier's approval chain, round after round, level after level.
  virtual std::vector<VisaRecord> visas_of(AuthorityId a, ApplicationId id) = 0;
  virtual void insert_visa(AuthorityId a, const VisaRecord& v) = 0;
  // The account's saved searches, by name.
  virtual std::vector<SavedFilterRecord> saved_filters(AuthorityId a, std::int64_t user_id) = 0;
  virtual std::int64_t insert_saved_filter(AuthorityId a, const SavedFilterRecord& f) = 0;
  // False when the account has no such saved search.
  virtual bool delete_saved_filter(AuthorityId a, std::int64_t user_id, std::int64_t id) = 0;
};

}  // namespace octroi
