#include "Uri.h"

#include <gtest/gtest.h>

using namespace chanlint::lsp;

namespace {

TEST(Uri, PlainPath) {
  EXPECT_EQ(pathFromFileUri("file:///src/a.cpp"), "/src/a.cpp");
  EXPECT_EQ(fileUriFromPath("/src/a.cpp"), "file:///src/a.cpp");
}

TEST(Uri, PercentEncodingRoundTrips) {
  std::string Path = "/src/with space/caf\xc3\xa9+#.cpp";
  std::string Uri = fileUriFromPath(Path);
  EXPECT_EQ(Uri, "file:///src/with%20space/caf%C3%A9%2B%23.cpp");
  EXPECT_EQ(pathFromFileUri(Uri), Path);
  EXPECT_EQ(pathFromFileUri("file:///src/caf%c3%a9.cpp"), "/src/caf\xc3\xa9.cpp");
}

TEST(Uri, LocalhostAuthorityAndQueryOrFragment) {
  EXPECT_EQ(pathFromFileUri("file://localhost/a.cpp"), "/a.cpp");
  EXPECT_EQ(pathFromFileUri("FILE:///a.cpp#L3"), "/a.cpp");
}

TEST(Uri, NotALocalFile) {
  EXPECT_EQ(pathFromFileUri("untitled:Untitled-1"), std::nullopt);
  EXPECT_EQ(pathFromFileUri("https://example.com/a.cpp"), std::nullopt);
  EXPECT_EQ(pathFromFileUri("file://otherhost/a.cpp"), std::nullopt);
  EXPECT_EQ(pathFromFileUri("file://"), std::nullopt);
}

TEST(Uri, MalformedEscapes) {
  EXPECT_EQ(pathFromFileUri("file:///a%2"), std::nullopt);
  EXPECT_EQ(pathFromFileUri("file:///a%zz"), std::nullopt);
  EXPECT_EQ(pathFromFileUri("file:///a%00b"), std::nullopt);
}

} // namespace
