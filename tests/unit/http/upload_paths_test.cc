// Which POSTs may carry a file (server.h: upload_paths): patterns whose `{name}` segment matches
// one non-empty segment, and nothing else.
#include <gtest/gtest.h>

#include "adapters/http/server.h"

using octroi::http::is_upload_path;

TEST(UploadPaths, APatternMatchesOneSegmentPerName) {
  const std::vector<std::string> paths = {"/imports", "/portail/dossiers/{number}/fichiers"};
  EXPECT_TRUE(is_upload_path(paths, "/imports"));
  EXPECT_TRUE(is_upload_path(paths, "/portail/dossiers/EX000001/fichiers"));
  EXPECT_FALSE(is_upload_path(paths, "/portail/dossiers//fichiers"));
  EXPECT_FALSE(is_upload_path(paths, "/portail/dossiers/EX000001/fichiers/1"));
  EXPECT_FALSE(is_upload_path(paths, "/portail/dossiers/a/b/fichiers"));
  EXPECT_FALSE(is_upload_path(paths, "/imports/"));
  EXPECT_FALSE(is_upload_path(paths, "/portail/dossiers/EX000001"));
  EXPECT_FALSE(is_upload_path(paths, "/dossiers/EX000001/fichiers"));
  // The defaults: the imports and the portal's files, not its other forms.
  const octroi::http::ServerOptions o;
  EXPECT_TRUE(is_upload_path(o.upload_paths, "/api/v1/portal/applications/EX000001/files"));
  EXPECT_TRUE(is_upload_path(o.upload_paths, "/portail/dossiers/EX000001/messages"));
  EXPECT_FALSE(is_upload_path(o.upload_paths, "/portail/dossiers/EX000001"));
}
