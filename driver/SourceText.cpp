#include "SourceText.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>

namespace chanlint::driver {

SourceText::SourceText(std::string C) : Content(std::move(C)) {
  LineStarts.push_back(0);
  for (unsigned I = 0, E = Content.size(); I != E; ++I)
    if (Content[I] == '\n')
      LineStarts.push_back(I + 1);
}

unsigned utf16Length(llvm::StringRef Bytes) {
  unsigned Units = 0;
  for (size_t I = 0; I < Bytes.size();) {
    auto C = static_cast<unsigned char>(Bytes[I]);
    // Lead byte: its sequence length. Four-byte sequences are outside the
    // BMP and take a surrogate pair.
    unsigned Len = C < 0x80 ? 1 : (C >> 5) == 0x6 ? 2 : (C >> 4) == 0xE ? 3 : (C >> 3) == 0x1E ? 4 : 1;
    if (I + Len > Bytes.size())
      Len = 1;
    Units += Len == 4 ? 2 : 1;
    I += Len;
  }
  return Units;
}

Position SourceText::position(unsigned Offset) const {
  Offset = std::min<unsigned>(Offset, Content.size());
  auto It = std::upper_bound(LineStarts.begin(), LineStarts.end(), Offset);
  unsigned LineIndex = (It - LineStarts.begin()) - 1;
  unsigned Start = LineStarts[LineIndex];
  Position P;
  P.Offset = Offset;
  P.Line = LineIndex + 1;
  P.Column = Offset - Start + 1;
  P.Utf16Column = utf16Length(llvm::StringRef(Content).slice(Start, Offset)) + 1;
  return P;
}

llvm::StringRef SourceText::lineText(unsigned Line) const {
  if (Line == 0 || Line > LineStarts.size())
    return "";
  unsigned Start = LineStarts[Line - 1];
  unsigned End = Line < LineStarts.size() ? LineStarts[Line] : Content.size();
  llvm::StringRef L = llvm::StringRef(Content).slice(Start, End);
  L.consume_back("\n");
  L.consume_back("\r");
  return L;
}

unsigned SourceText::tokenEnd(unsigned Offset) const {
  auto IsWord = [](char C) { return llvm::isAlnum(C) || C == '_'; };
  unsigned End = Offset;
  while (End < Content.size() && IsWord(Content[End]))
    ++End;
  if (End == Offset && Offset < Content.size() && Content[Offset] != '\n')
    ++End;
  return End;
}

SourceFiles::SourceFiles(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS)
    : FS(std::move(FS)) {}

const SourceText *SourceFiles::get(llvm::StringRef Path) {
  auto It = Files.find(Path);
  if (It != Files.end())
    return It->second.get();
  std::unique_ptr<SourceText> &Slot = Files[Path];
  if (auto Buffer = FS->getBufferForFile(Path, /*FileSize=*/-1,
                                         /*RequiresNullTerminator=*/false))
    Slot = std::make_unique<SourceText>((*Buffer)->getBuffer().str());
  return Slot.get();
}

std::string normalizePath(llvm::StringRef Path, llvm::StringRef Base) {
  llvm::SmallString<256> P;
  if (llvm::sys::path::is_absolute(Path)) {
    P = Path;
  } else if (!Base.empty()) {
    P = Base;
    llvm::sys::path::append(P, Path);
  } else {
    P = Path;
    llvm::sys::fs::make_absolute(P);
  }
  if (!llvm::sys::path::is_absolute(P))
    llvm::sys::fs::make_absolute(P);
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

} // namespace chanlint::driver
