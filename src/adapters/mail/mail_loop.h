// Sends the outbox's e-mails in the background (octroi serve --smtp): one thread that delivers
// what is due every `every_ms`, until stopped. Failures stay in the outbox (retried later) and are
// logged, one JSON line each.
#pragma once

#include <condition_variable>
#include <iosfwd>
#include <mutex>
#include <thread>

#include "app/mail.h"
#include "app/ports.h"

namespace octroi::mail {

class MailLoop {
 public:
  MailLoop(Store& store, Clock& clock, MailSender& sender, int every_ms, std::ostream* log);
  ~MailLoop();  // stops
  void start();
  void stop();
  MailLoop(const MailLoop&) = delete;
  MailLoop& operator=(const MailLoop&) = delete;

 private:
  void run();
  Store& store_;
  Clock& clock_;
  MailSender& sender_;
  int every_ms_;
  std::ostream* log_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace octroi::mail
