// E-mails (issue 19): the outbox and its delivery. An act that causes an e-mail writes it to the
// outbox (queue_mail) in its own transaction, so that no e-mail leaves for an act rolled back and
// none is lost for an act kept; deliver_due_mail then sends what is due through a MailSender (SMTP
// by libcurl: adapters/mail), each e-mail outside any transaction, and records the outcome. A
// failure is retried later (1 minute, doubling, at most an hour apart); a sent e-mail is never sent
// again by this process.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/ports.h"
#include "app/ports/portal.h"
#include "core/instant.h"
#include "domain/ids.h"

namespace octroi {

class MailSender {
 public:
  virtual ~MailSender() = default;
  // Sends one e-mail; the reason of a failure, or nullopt once the server accepted it.
  virtual std::optional<std::string> send(const MailRecord& m) = 0;
};

// Writes an e-mail to the outbox, due now. `body` is plain text (UTF-8); the subject one line.
// With `digest` (the recipient asked for one), it waits for the recipient's daily digest: due when
// the digest's first e-mail is, a day after that one was written.
void queue_mail(Transaction& tx, AuthorityId a, Instant now, const std::string& to,
                const std::string& subject, const std::string& body, bool digest = false);
inline constexpr std::int64_t kDigestSeconds = 24 * 3600;

struct MailRun {
  int sent = 0;
  int failed = 0;
};
// Sends the e-mails due (at most `limit`), oldest first; a recipient's digest goes as one e-mail
// gathering all its e-mails waiting.
MailRun deliver_due_mail(Store& store, Clock& clock, MailSender& sender, int limit = 100);

// The delay before the next attempt after `attempts` failures.
std::int64_t mail_retry_seconds(int attempts);

}  // namespace octroi
