#include "adapters/mail/mail_loop.h"

#include <chrono>
#include <ostream>

namespace octroi::mail {

MailLoop::MailLoop(Store& store, Clock& clock, MailSender& sender, int every_ms, std::ostream* log)
    : store_(store), clock_(clock), sender_(sender), every_ms_(every_ms), log_(log) {}

MailLoop::~MailLoop() {
  stop();
}

void MailLoop::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { run(); });
}

void MailLoop::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void MailLoop::run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    try {
      const MailRun r = deliver_due_mail(store_, clock_, sender_);
      if (r.failed > 0 && log_)
        *log_ << "{\"mail\":\"failed\",\"count\":" << r.failed << "}" << std::endl;
    } catch (const std::exception& e) {
      // The database unavailable a moment: the next round tries again.
      if (log_) *log_ << "{\"mail\":\"error\"}" << std::endl;
    }
    lock.lock();
    cv_.wait_for(lock, std::chrono::milliseconds(every_ms_), [this] { return stopping_; });
  }
}

}  // namespace octroi::mail
