#include "AtomicFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <climits>
#include <unistd.h>

namespace chanlint::driver {

namespace fs = llvm::sys::fs;

llvm::Expected<std::string> followSymlinks(llvm::StringRef Path) {
  std::string Current = Path.str();
  // The kernel's own limit on links in one lookup: beyond it, a loop.
  for (int Links = 0; Links < 40; ++Links) {
    fs::file_status Status;
    if (fs::status(Current, Status, /*Follow=*/false) ||
        Status.type() != fs::file_type::symlink_file)
      return Current;
    // LLVM has no readlink; POSIX's is what it would wrap.
    char Buffer[PATH_MAX];
    ssize_t Length = ::readlink(Current.c_str(), Buffer, sizeof(Buffer));
    if (Length < 0) {
      std::error_code EC(errno, std::generic_category());
      return llvm::createStringError(EC, "cannot read the symlink %s: %s", Current.c_str(),
                                     EC.message().c_str());
    }
    llvm::StringRef Target(Buffer, static_cast<size_t>(Length));
    if (llvm::sys::path::is_absolute(Target)) {
      Current = Target.str();
    } else { // relative to the directory holding the link
      llvm::SmallString<256> Joined(llvm::sys::path::parent_path(Current));
      llvm::sys::path::append(Joined, Target);
      Current = Joined.str().str();
    }
  }
  return llvm::createStringError(std::make_error_code(std::errc::too_many_symbolic_link_levels),
                                 "too many levels of symbolic links in %s",
                                 Path.str().c_str());
}

llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::StringRef Contents) {
  // Renaming over a symlink would replace the link: replace its target.
  auto Target = followSymlinks(Path);
  if (!Target)
    return Target.takeError();
  // Same directory as the target: rename() does not cross file systems.
  llvm::SmallString<256> Model(*Target);
  Model += ".chanlint-%%%%%%%%.tmp";
  int FD = -1;
  llvm::SmallString<256> Temp;
  if (std::error_code EC = fs::createUniqueFile(Model, FD, Temp))
    return llvm::createStringError(EC, "cannot create a temporary file next to %s: %s",
                                   Target->c_str(), EC.message().c_str());
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Contents;
    OS.flush();
    if (OS.has_error()) {
      std::error_code EC = OS.error();
      OS.clear_error();
      fs::remove(Temp);
      return llvm::createStringError(EC, "cannot write %s: %s", Temp.c_str(),
                                     EC.message().c_str());
    }
  }
  // createUniqueFile makes the file private (0600); the target's own
  // permissions, or a new file's usual ones, are what readers expect.
  if (auto Perms = fs::getPermissions(*Target))
    (void)fs::setPermissions(Temp, *Perms);
  else
    (void)fs::setPermissions(Temp, static_cast<fs::perms>(0666 & ~fs::getUmask()));
  if (std::error_code EC = fs::rename(Temp, *Target)) {
    fs::remove(Temp);
    return llvm::createStringError(EC, "cannot replace %s: %s", Target->c_str(),
                                   EC.message().c_str());
  }
  return llvm::Error::success();
}

} // namespace chanlint::driver
