#include "adapters/mail/smtp_sender.h"

#include <curl/curl.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>

namespace octroi::mail {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string base64(const std::string& in) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], k[v & 63]};
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += {k[v >> 18], k[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const unsigned v =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], '='};
  }
  return out;
}

// No line break may reach a header: a value holding one would add headers of its own.
bool header_safe(const std::string& s) {
  return s.find_first_of("\r\n") == std::string::npos;
}

std::string rfc5322_date(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
                tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct MimeDeleter {
  void operator()(curl_mime* m) const { curl_mime_free(m); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

std::string bare_address(const std::string& from) {
  const auto open = from.rfind('<'), close = from.rfind('>');
  if (open != std::string::npos && close != std::string::npos && close > open)
    return from.substr(open + 1, close - open - 1);
  return from;
}

std::string encoded_header(const std::string& utf8) {
  bool plain = true;
  for (unsigned char c : utf8)
    plain = plain && c >= 32 && c < 127 && c != '=' && c != '?';
  if (plain) return utf8;
  // Encoded words of at most 45 bytes (60 characters of base64), cut between characters.
  std::string out;
  std::size_t at = 0;
  while (at < utf8.size()) {
    std::size_t end = std::min(utf8.size(), at + 45);
    while (end < utf8.size() && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80)
      --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(utf8.substr(at, end - at)) + "?=";
    at = end;
  }
  return out;
}

SmtpSender::SmtpSender(SmtpOptions options) : options_(std::move(options)) {
  global_init();
}

std::optional<std::string> SmtpSender::send(const MailRecord& m) {
  if (!header_safe(m.recipient) || !header_safe(m.subject) || !header_safe(options_.from))
    return "line break in a header";
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return "curl_easy_init failed";
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, options_.connect_timeout_seconds);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, options_.timeout_seconds);
  if (options_.require_tls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!options_.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, options_.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
  }
  const std::string from = "<" + bare_address(options_.from) + ">";
  const std::string to = "<" + m.recipient + ">";
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  std::unique_ptr<curl_slist, ListDeleter> rcpt(curl_slist_append(nullptr, to.c_str()));
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());

  curl_slist* h = nullptr;
  h = curl_slist_append(h, ("Date: " + rfc5322_date(std::time(nullptr))).c_str());
  h = curl_slist_append(h, ("From: " + options_.from).c_str());
  h = curl_slist_append(h, ("To: " + to).c_str());
  h = curl_slist_append(h, ("Subject: " + encoded_header(m.subject)).c_str());
  h = curl_slist_append(
      h, ("Message-ID: <octroi-" + std::to_string(m.id) + "-" +
          std::to_string(m.created_at.seconds()) + "@" +
          bare_address(options_.from).substr(bare_address(options_.from).find('@') + 1) + ">")
             .c_str());
  std::unique_ptr<curl_slist, ListDeleter> headers(h);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());

  std::unique_ptr<curl_mime, MimeDeleter> mime(curl_mime_init(c));
  curl_mimepart* part = curl_mime_addpart(mime.get());
  curl_mime_data(part, m.body.data(), m.body.size());
  curl_mime_type(part, "text/plain; charset=UTF-8");
  curl_mime_encoder(part, "base64");
  curl_easy_setopt(c, CURLOPT_MIMEPOST, mime.get());

  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) return std::string("SMTP: ") + curl_easy_strerror(rc);
  return std::nullopt;
}

}  // namespace octroi::mail
