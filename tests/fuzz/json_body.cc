// The JSON body reader of the API (adapters/http/api/support.h, parse_body) on a plan's spec:
// nested objects in a list, texts, flags, positions.
#include "adapters/http/api/support.h"
#include "fuzz/fuzz.h"

namespace {

using octroi::http::api::BodySpec;
using octroi::http::api::Field;
using octroi::http::api::Required;

const BodySpec kChange{{"op", Field::Text, Required::Yes}, {"side", Field::Text},
                       {"line", Field::Position},         {"label", Field::Text},
                       {"amount", Field::Text},           {"eligible", Field::Flag},
                       {"texts", Field::Texts}};
const BodySpec kPlan{{"changes", Field::Objects, Required::Yes, &kChange, 1, 200},
                     {"reason", Field::Text}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  octroi::http::HttpRequest r;
  r.method = "PATCH";
  r.path = "/api/v1/applications/EX1/plan";
  r.headers["content-type"] = "application/json";
  r.body = std::string(fuzz_bytes(data, size));
  auto body = octroi::http::api::parse_body(r, kPlan);
  if (!body.ok()) {
    OCTROI_FUZZ_CHECK(!body.refusal().problems.empty());
    return 0;
  }
  // An accepted body reads as its spec says, whatever it held.
  for (const auto& change : body->objects("changes")) {
    static_cast<void>(change.text("op"));
    static_cast<void>(change.text("label"));
    static_cast<void>(change.position("line"));
    static_cast<void>(change.flag_if_present("eligible"));
    static_cast<void>(change.texts("texts"));
  }
  static_cast<void>(body->text("reason"));
  return 0;
}
