// The portal's settings (app/portal.h), in a header of their own: the server's options hold them.
#pragma once

#include <cstdint>
#include <string>

namespace octroi {

struct PortalSettings {
  // The portal's address as applicants reach it, for the links of the e-mails
  // ("https://subventions.example.fr"); the path /portail/… follows.
  // "" when unknown (the command line): the e-mails then name the portal without a link.
  std::string base_url;
  std::int64_t verify_seconds = 48 * 3600;  // a verification link
  std::int64_t reset_seconds = 3600;        // a password reset link
  std::int64_t invitation_seconds = 14 * 24 * 3600;
  int codes_per_hour = 5;  // e-mails of one kind to one account within an hour, at most
};

}  // namespace octroi
