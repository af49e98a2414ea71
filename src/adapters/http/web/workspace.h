// The instruction workspace on the pages (web/workspace.cc): internal to the back office.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "adapters/http/web/pages.h"
#include "app/workspace.h"

namespace octroi::http::pages {

// The account acting on a page, as the workspace's use cases know it.
Caller caller_of(const Principal& who);
// The search's viewer (its "me" and "service"), from the session, never from the request.
void set_viewer(ApplicationSearch& in, const Principal& who);
// The list's filters as a query string (without the page nor the order).
std::string list_filters(const ApplicationSearch& in);
// Who instructs each dossier of `list` (display names by dossier number; none when nobody).
std::map<std::string, std::string> assignees_of(WebContext& w, const Principal& who,
                                                const std::vector<ApplicationView>& list);
// The queues, the bulk form (when `listed`: some dossier is listed) and the saved searches of
// the dossier list.
void add_workspace_list(mstch::map& ctx, WebContext& w, const ApplicationSearch& in,
                        const Principal& who, bool listed);
// A dossier's assignment and follow button on its page.
void add_workspace_dossier(mstch::map& ctx, WebContext& w, const ApplicationView& v,
                           const Principal& who, bool in_service);

}  // namespace octroi::http::pages
