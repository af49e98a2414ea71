#include "app/mail.h"

#include <algorithm>

#include "app/context.h"

namespace octroi {
namespace {
constexpr std::int64_t kMailLeaseSeconds = 300;  // longer than any SMTP exchange (timeouts)
}  // namespace

void queue_mail(Transaction& tx, AuthorityId a, Instant now, const std::string& to,
                const std::string& subject, const std::string& body) {
  MailRecord m;
  m.authority = a;
  m.recipient = to;
  m.subject = subject;
  m.body = body;
  m.created_at = now;
  m.next_attempt_at = now;
  tx.portal().insert_mail(m);
}

std::int64_t mail_retry_seconds(int attempts) {
  std::int64_t s = 60;
  for (int i = 1; i < attempts && s < 3600; ++i)
    s *= 2;
  return std::min<std::int64_t>(s, 3600);
}

MailRun deliver_due_mail(Store& store, Clock& clock, MailSender& sender, int limit) {
  std::vector<MailRecord> due;
  {
    auto tx = store.begin(TxMode::Read);
    due = tx->portal().due_mail(clock.now(), limit);
  }
  MailRun run;
  for (const auto& m : due) {
    // Another process on the same database may be sending: whoever claims it sends it.
    bool claimed = false;
    const Instant at = clock.now();
    store.write([&](Transaction& tx) {
      claimed = tx.portal().claim_mail(m.authority, m.id, at, at.plus_seconds(kMailLeaseSeconds));
      return true;
    });
    if (!claimed) continue;
    const auto error = sender.send(m);
    const Instant now = clock.now();
    store.write([&](Transaction& tx) {
      if (error)
        tx.portal().mark_mail_failed(m.authority, m.id, *error,
                                     now.plus_seconds(mail_retry_seconds(m.attempts + 1)));
      else
        tx.portal().mark_mail_sent(m.authority, m.id, now);
      return true;
    });
    ++(error ? run.failed : run.sent);
  }
  return run;
}

}  // namespace octroi
