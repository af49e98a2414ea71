// ReadScope (app/context.h): this thread's shared read transaction.
#include "app/context.h"

namespace octroi {

namespace {
thread_local ReadScope* t_scope = nullptr;
}  // namespace

ReadScope::ReadScope(Store& store) : store_(store), previous_(t_scope) {
  t_scope = this;
}

ReadScope::~ReadScope() {
  t_scope = previous_;
}

ReadScope* ReadScope::current(const Store& store) {
  for (ReadScope* s = t_scope; s; s = s->previous_)
    if (&s->store_ == &store) return s;
  return nullptr;
}

Transaction& ReadScope::tx() {
  if (!tx_) {
    tx_ = store_.begin(TxMode::Read);
    ++opened_;
  }
  return *tx_;
}

void ReadScope::end() {
  tx_.reset();
}

void end_shared_read(const Store& store) {
  if (ReadScope* s = ReadScope::current(store)) s->end();
}

}  // namespace octroi
