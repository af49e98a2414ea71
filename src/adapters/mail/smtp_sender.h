// The portal's e-mails over SMTP (issue 19): the only code that includes libcurl. One connection
// per e-mail, every wait bounded (connection, whole exchange); TLS (smtps:// or STARTTLS) as the
// URL and `tls` say; the message is UTF-8 text, its body in base64 (libcurl's MIME encoder), its
// subject an RFC 2047 encoded word.
#pragma once

#include <optional>
#include <string>

#include "app/mail.h"

namespace octroi::mail {

struct SmtpOptions {
  std::string url;             // "smtp://127.0.0.1:2525", "smtps://smtp.example.fr:465"
  std::string from;            // "Portail des aides <aides@example.fr>" or "aides@example.fr"
  std::string user, password;  // empty: no authentication
  bool require_tls = false;    // STARTTLS required (smtp://); smtps:// is always TLS
  long connect_timeout_seconds = 10;
  long timeout_seconds = 60;
};

class SmtpSender final : public MailSender {
 public:
  explicit SmtpSender(SmtpOptions options);
  std::optional<std::string> send(const MailRecord& m) override;

 private:
  SmtpOptions options_;
};

// The address inside "Name <address>", or the text itself.
std::string bare_address(const std::string& from);
// A header value of UTF-8 text as RFC 2047 encoded words ("=?UTF-8?B?…?="), folded; ASCII text
// without special characters as it is.
std::string encoded_header(const std::string& utf8);

}  // namespace octroi::mail
