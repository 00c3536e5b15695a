#include "Utf16Text.h"

#include <algorithm>

namespace chanlint::lsp {

namespace {

/// Bytes of the UTF-8 sequence that starts with Lead, as
/// driver::utf16Length counts them.
std::size_t sequenceLength(unsigned char Lead) {
  if (Lead < 0x80)
    return 1;
  if ((Lead >> 5) == 0x6)
    return 2;
  if ((Lead >> 4) == 0xE)
    return 3;
  if ((Lead >> 3) == 0x1E)
    return 4;
  return 1;
}

} // namespace

std::size_t byteOffset(std::string_view Text, LspPosition P) {
  std::size_t LineStart = 0;
  for (unsigned Line = 0; Line < P.Line; ++Line) {
    std::size_t NewLine = Text.find('\n', LineStart);
    if (NewLine == std::string_view::npos)
      return Text.size();
    LineStart = NewLine + 1;
  }
  std::size_t LineEnd = Text.find('\n', LineStart);
  if (LineEnd == std::string_view::npos)
    LineEnd = Text.size();
  // The end of a "\r\n" line is before its '\r': inserting there must
  // not split the line break.
  if (LineEnd > LineStart && Text[LineEnd - 1] == '\r')
    --LineEnd;

  std::size_t Offset = LineStart;
  unsigned Units = 0;
  while (Offset < LineEnd && Units < P.Character) {
    std::size_t Length = sequenceLength(static_cast<unsigned char>(Text[Offset]));
    if (Offset + Length > Text.size())
      Length = 1;
    unsigned CharacterUnits = Length == 4 ? 2 : 1;
    if (Units + CharacterUnits > P.Character)
      break; // inside a surrogate pair
    Units += CharacterUnits;
    Offset += Length;
  }
  return std::min(Offset, LineEnd);
}

void applyChange(std::string &Text, const std::optional<LspRange> &Range,
                 std::string_view NewText) {
  if (!Range) {
    Text.assign(NewText);
    return;
  }
  std::size_t Begin = byteOffset(Text, Range->Start);
  std::size_t End = byteOffset(Text, Range->End);
  if (End < Begin)
    std::swap(Begin, End);
  Text.replace(Begin, End - Begin, NewText);
}

} // namespace chanlint::lsp
