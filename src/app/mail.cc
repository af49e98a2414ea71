#include "app/mail.h"

#include <algorithm>
#include <vector>

#include "app/context.h"

namespace octroi {
namespace {
constexpr std::int64_t kMailLeaseSeconds = 300;  // longer than any SMTP exchange (timeouts)

// One e-mail gathering a recipient's digest: each e-mail's subject, then its text.
MailRecord digest_of(const std::vector<MailRecord>& mails) {
  MailRecord d = mails.front();
  d.subject = mails.size() == 1 ? "Portail des aides : " + mails.front().subject
                                : "Portail des aides : " + std::to_string(mails.size()) +
                                      " nouvelles de vos dossiers";
  d.body = "Bonjour,\n\nVoici les nouvelles de vos dossiers depuis le dernier résumé.\n";
  for (const auto& m : mails) {
    std::string text = m.body;
    if (text.rfind("Bonjour,\n\n", 0) == 0) text = text.substr(10);
    d.body += "\n— " + m.subject + "\n\n" + text;
  }
  d.body +=
      "\nVous recevez un résumé par jour : vous pouvez demander un courriel par nouvelle "
      "depuis votre espace.\n";
  return d;
}
}  // namespace

void queue_mail(Transaction& tx, AuthorityId a, Instant now, const std::string& to,
                const std::string& subject, const std::string& body, bool digest) {
  MailRecord m;
  m.authority = a;
  m.recipient = to;
  m.subject = subject;
  m.body = body;
  m.created_at = now;
  m.next_attempt_at = now;
  m.digest = digest;
  if (digest) {
    // Due with the digest already waiting, else a day from now.
    const auto waiting = tx.portal().pending_digest(a, to);
    m.next_attempt_at =
        waiting.empty() ? now.plus_seconds(kDigestSeconds) : waiting.front().next_attempt_at;
  }
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
  for (const auto& first : due) {
    // Another process on the same database may be sending: whoever claims it sends it. A
    // digest's e-mails are claimed together (they are due together), and sent as one.
    std::vector<MailRecord> claimed;
    const Instant at = clock.now();
    store.write([&](Transaction& tx) {
      const auto group = first.digest ? tx.portal().pending_digest(first.authority, first.recipient)
                                      : std::vector<MailRecord>{first};
      for (const auto& m : group)
        if (tx.portal().claim_mail(m.authority, m.id, at, at.plus_seconds(kMailLeaseSeconds)))
          claimed.push_back(m);
      return true;
    });
    if (claimed.empty()) continue;
    const MailRecord m =
        claimed.size() == 1 && !first.digest ? claimed.front() : digest_of(claimed);
    const auto error = sender.send(m);
    const Instant now = clock.now();
    store.write([&](Transaction& tx) {
      for (const auto& c : claimed)
        if (error)
          tx.portal().mark_mail_failed(c.authority, c.id, *error,
                                       now.plus_seconds(mail_retry_seconds(c.attempts + 1)));
        else
          tx.portal().mark_mail_sent(c.authority, c.id, now);
      return true;
    });
    ++(error ? run.failed : run.sent);
  }
  return run;
}

}  // namespace octroi
