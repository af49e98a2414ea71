// Document templates adopted by an authority (append-only versions).
// Part of the Transaction port (app/ports.h): reached as tx.templates(); the same thread-safety
// and failure contract (StoreError) as every port of a transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/instant.h"
#include "domain/ids.h"

namespace octroi {

// One version of a document template an authority adopted (document_templates): a flat ODT
// (.fodt) with the act that adopted it and the dates it applies to. Append-only.
struct TemplateRecord {
  std::int64_t id = 0;
  AuthorityId authority;
  std::string name;        // "convention", "deliberation"… (DocumentKind's template name)
  int version = 0;         // 1, 2, 3… per authority and name; 0 is octroi's built-in template
  std::string adopted_by;  // "CP 2022-111"
  Date applies_from;
  std::optional<Date> applies_until;
  std::string content;  // the .fodt XML
  std::string sha256;   // of content
  std::string uploaded_by;
  Instant uploaded_at;
  std::string note;
};

class TemplatesPort {
 public:
  virtual ~TemplatesPort() = default;

  virtual std::int64_t insert_template(const TemplateRecord& t) = 0;
  // The versions of `name` ("" for every name), by name then version; `with_content` false leaves
  // content empty (listings).
  virtual std::vector<TemplateRecord> list_templates(AuthorityId a, const std::string& name,
                                                     bool with_content) = 0;
};

}  // namespace octroi
