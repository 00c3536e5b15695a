#include "Utf16Text.h"

#include <gtest/gtest.h>

using namespace chanlint::lsp;

namespace {

// "é" is 2 bytes and 1 UTF-16 unit, "€" 3 bytes and 1 unit, "😀" 4 bytes
// and 2 units (a surrogate pair).
const std::string Text = "ab\n"
                         "é€😀x\n"
                         "last";

TEST(Utf16Text, AsciiPositions) {
  EXPECT_EQ(byteOffset(Text, {0, 0}), 0u);
  EXPECT_EQ(byteOffset(Text, {0, 2}), 2u);
  EXPECT_EQ(byteOffset(Text, {2, 4}), Text.size());
}

TEST(Utf16Text, MultiByteCharactersCountInUtf16Units) {
  std::size_t Line1 = 3;
  EXPECT_EQ(byteOffset(Text, {1, 1}), Line1 + 2);     // after é
  EXPECT_EQ(byteOffset(Text, {1, 2}), Line1 + 5);     // after €
  EXPECT_EQ(byteOffset(Text, {1, 4}), Line1 + 9);     // after 😀
  EXPECT_EQ(byteOffset(Text, {1, 5}), Line1 + 10);    // after x
}

TEST(Utf16Text, InsideASurrogatePairMovesToTheCharacterStart) {
  EXPECT_EQ(byteOffset(Text, {1, 3}), 3u + 5);
}

TEST(Utf16Text, PastTheEndOfALineClampsToTheLineEnd) {
  EXPECT_EQ(byteOffset(Text, {0, 99}), 2u);
  EXPECT_EQ(byteOffset(Text, {1, 99}), 3u + 10);
}

TEST(Utf16Text, PastTheLastLineClampsToTheTextEnd) {
  EXPECT_EQ(byteOffset(Text, {7, 0}), Text.size());
}

TEST(Utf16Text, CrLfLineEndsBeforeTheCarriageReturn) {
  std::string Crlf = "ab\r\ncd";
  EXPECT_EQ(byteOffset(Crlf, {0, 99}), 2u);
  EXPECT_EQ(byteOffset(Crlf, {1, 1}), 5u);
}

TEST(Utf16Text, IncrementalChangesApplyInOrder) {
  std::string T = Text;
  applyChange(T, LspRange{{1, 2}, {1, 4}}, "[]");  // replace 😀
  EXPECT_EQ(T, "ab\né€[]x\nlast");
  applyChange(T, LspRange{{0, 2}, {1, 0}}, "");    // join the first two lines
  EXPECT_EQ(T, "abé€[]x\nlast");
  applyChange(T, LspRange{{1, 4}, {1, 4}}, "!\n"); // insert at the very end
  EXPECT_EQ(T, "abé€[]x\nlast!\n");
}

TEST(Utf16Text, ChangeWithoutARangeReplacesEverything) {
  std::string T = Text;
  applyChange(T, std::nullopt, "new");
  EXPECT_EQ(T, "new");
}

TEST(Utf16Text, InvalidUtf8CountsOneUnitPerByte) {
  std::string Bad = "\xff\xfe" "a";
  EXPECT_EQ(byteOffset(Bad, {0, 2}), 2u);
  // A lead byte cut off by the end of the text.
  std::string Cut = "a\xf0";
  EXPECT_EQ(byteOffset(Cut, {0, 2}), 2u);
}

} // namespace
