#include "ModelFiles.h"

#include "ModelLoader.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <mutex>

namespace chanlint {

namespace {

/// A user file's last parse, reused while its text is unchanged: every
/// check of every TU asks for the same files.
struct ParsedFile {
  std::string Text;
  std::shared_ptr<const ApiModel> Model;
  uint64_t Hash = 0;
};

std::mutex ParsedMutex;
llvm::StringMap<ParsedFile> &parsedFiles() {
  static llvm::StringMap<ParsedFile> Files;
  return Files;
}

llvm::Expected<ParsedFile> loadFile(const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return llvm::createStringError("cannot read model file %s: %s", Path.c_str(),
                                   Buffer.getError().message().c_str());
  llvm::StringRef Text = (*Buffer)->getBuffer();
  std::lock_guard<std::mutex> Lock(ParsedMutex);
  ParsedFile &Cached = parsedFiles()[Path];
  if (!Cached.Model || Cached.Text != Text) {
    auto Parsed = parseModel(Text, Path);
    if (!Parsed)
      return Parsed.takeError();
    Cached.Text = Text.str();
    Cached.Model = std::make_shared<const ApiModel>(std::move(*Parsed));
    Cached.Hash = llvm::xxh3_64bits(Text);
  }
  return ParsedFile{"", Cached.Model, Cached.Hash};
}

} // namespace

ModelSet ModelSet::builtin() {
  static const ModelSet Builtin = [] {
    ModelSet S;
    for (const ApiModel &M : builtinModels()) {
      S.Models.push_back(std::shared_ptr<const ApiModel>(&M, [](const ApiModel *) {}));
      S.Fingerprint += M.Name + ";";
    }
    return S;
  }();
  return Builtin;
}

llvm::Expected<ModelSet> ModelSet::withFiles(llvm::ArrayRef<std::string> Paths) {
  ModelSet S = builtin();
  for (const std::string &P : Paths) {
    llvm::SmallString<256> Abs(P);
    llvm::sys::fs::make_absolute(Abs);
    llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
    auto M = loadFile(Abs.str().str());
    if (!M)
      return M.takeError();
    S.Models.push_back(M->Model);
    // The content, not the name: an edited model invalidates, a moved one not.
    S.Fingerprint += M->Model->Name + "@" + llvm::utohexstr(M->Hash) + ";";
  }
  return S;
}

llvm::Expected<ModelSet> modelsNamedBy(llvm::StringRef OptionValue, llvm::StringRef File) {
  if (OptionValue.trim().empty())
    return ModelSet::builtin();
  return ModelSet::withFiles(modelPaths(OptionValue, modelBaseDirectory(File)));
}

std::vector<std::string> modelPaths(llvm::StringRef OptionValue, llvm::StringRef BaseDir) {
  std::vector<std::string> Out;
  llvm::SmallVector<llvm::StringRef> Parts;
  OptionValue.split(Parts, ';', -1, false);
  for (llvm::StringRef Part : Parts) {
    llvm::SmallVector<llvm::StringRef> Items;
    Part.split(Items, ',', -1, false);
    for (llvm::StringRef Item : Items) {
      Item = Item.trim();
      if (Item.empty())
        continue;
      llvm::SmallString<256> Path(Item);
      if (llvm::sys::path::is_relative(Path) && !BaseDir.empty()) {
        Path = BaseDir;
        llvm::sys::path::append(Path, Item);
      }
      Out.push_back(Path.str().str());
    }
  }
  return Out;
}

std::string modelBaseDirectory(llvm::StringRef File) {
  llvm::SmallString<256> Dir(File);
  llvm::sys::fs::make_absolute(Dir);
  for (Dir = llvm::sys::path::parent_path(Dir); !Dir.empty();
       Dir = llvm::sys::path::parent_path(Dir)) {
    llvm::SmallString<256> Config(Dir);
    llvm::sys::path::append(Config, ".clang-tidy");
    auto Buffer = llvm::MemoryBuffer::getFile(Config, /*IsText=*/true);
    if (Buffer && (*Buffer)->getBuffer().contains(ModelFilesOption))
      return Dir.str().str();
  }
  llvm::SmallString<256> Cwd;
  if (llvm::sys::fs::current_path(Cwd))
    return "";
  return Cwd.str().str();
}

} // namespace chanlint
