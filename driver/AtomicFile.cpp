#include "AtomicFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace chanlint::driver {

llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::StringRef Contents) {
  // Same directory as the target: rename() does not cross file systems.
  llvm::SmallString<256> Model(Path);
  Model += ".chanlint-%%%%%%%%.tmp";
  int FD = -1;
  llvm::SmallString<256> Temp;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(Model, FD, Temp))
    return llvm::createStringError(EC, "cannot create a temporary file next to %s: %s",
                                   Path.str().c_str(), EC.message().c_str());
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Contents;
    OS.flush();
    if (OS.has_error()) {
      std::error_code EC = OS.error();
      OS.clear_error();
      llvm::sys::fs::remove(Temp);
      return llvm::createStringError(EC, "cannot write %s: %s", Temp.c_str(),
                                     EC.message().c_str());
    }
  }
  if (auto Perms = llvm::sys::fs::getPermissions(Path))
    (void)llvm::sys::fs::setPermissions(Temp, *Perms);
  if (std::error_code EC = llvm::sys::fs::rename(Temp, Path)) {
    llvm::sys::fs::remove(Temp);
    return llvm::createStringError(EC, "cannot replace %s: %s", Path.str().c_str(),
                                   EC.message().c_str());
  }
  return llvm::Error::success();
}

} // namespace chanlint::driver
