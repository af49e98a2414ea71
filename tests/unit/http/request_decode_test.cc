// What the transport decodes before the router (adapters/http/request_decode.h): percent
// sequences, query strings and forms, header parameters, multipart bodies, and the refusal of
// a multipart body that is not whole.
#include "adapters/http/request_decode.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace octroi::http {
namespace {

using Fields = std::map<std::string, std::string>;

TEST(PercentDecode, DecodesSequencesAndKeepsBrokenOnes) {
  EXPECT_EQ(percent_decode("/api/v1/applications/EX%30%37", false), "/api/v1/applications/EX07");
  EXPECT_EQ(percent_decode("Cr%C3%A9teil", false), "Créteil");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");  // a path keeps its '+'
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("100%", true), "100%");
  EXPECT_EQ(percent_decode("%4", true), "%4");
  EXPECT_EQ(percent_decode("%zz%41", true), "%zzA");
  EXPECT_EQ(percent_decode("%FF", false), "\xff");  // not UTF-8: the API refuses it by name
}

TEST(ParseQuery, SplitsDecodesAndKeepsTheFirstOfARepeatedName) {
  Fields q;
  parse_query("limit=2&q=Cr%C3%A9teil+centre&flag&&limit=9&=x", q);
  EXPECT_EQ(q, (Fields{{"limit", "2"}, {"q", "Créteil centre"}, {"flag", ""}, {"", "x"}}));
  Fields empty;
  parse_query("", empty);
  EXPECT_TRUE(empty.empty());
}

TEST(HeaderParameter, ReadsQuotedAndBareValues) {
  EXPECT_EQ(header_parameter("multipart/form-data; boundary=----x1", "boundary"), "----x1");
  EXPECT_EQ(header_parameter("multipart/form-data; BOUNDARY=\"a;b\"", "boundary"), "a;b");
  EXPECT_EQ(header_parameter(R"(form-data; name="file"; filename="modèle; v2.fodt")", "filename"),
            "modèle; v2.fodt");
  EXPECT_EQ(header_parameter(R"(form-data; name="f")", "filename"), "");
  EXPECT_EQ(header_parameter("form-data", "name"), "");
}

const std::string kType = "multipart/form-data; boundary=XyZ";

TEST(ParseMultipart, FieldsAndFilesOfAWholeBody) {
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\nConvention type\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.fodt\"\r\n"
      "Content-Type: application/vnd.oasis.opendocument.text-flat-xml\r\n\r\n<office/>\r\n--x\r\n"
      "--XyZ--\r\n";
  Fields fields, files;
  ASSERT_TRUE(parse_multipart(kType, body, fields, files));
  EXPECT_EQ(fields, (Fields{{"label", "Convention type"}, {"file.filename", "m.fodt"}}));
  EXPECT_EQ(files, (Fields{{"file", "<office/>\r\n--x"}}));
}

TEST(ParseMultipart, ABodyThatIsNotWholeIsRefused) {
  Fields fields, files;
  const std::string part = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n";
  EXPECT_FALSE(parse_multipart(kType, part, fields, files)) << "no closing delimiter";
  EXPECT_FALSE(parse_multipart("multipart/form-data", part + "--XyZ--", fields, files))
      << "no boundary";
  EXPECT_FALSE(parse_multipart(kType, "--XyZ\r\nContent-Disposition: form-data\r\n\r\n1\r\n--XyZ--",
                               fields, files))
      << "a part without a name";
  EXPECT_FALSE(parse_multipart(kType, "no delimiter at all", fields, files));
  EXPECT_TRUE(parse_multipart(kType, part + "--XyZ--", fields, files));
  EXPECT_EQ(fields.at("a"), "1");
}

}  // namespace
}  // namespace octroi::http
