#include "OutputTarget.h"

#include "AtomicFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace chanlint::driver {

namespace fs = llvm::sys::fs;

namespace {

llvm::Error cannotWrite(llvm::StringRef Path, const llvm::Twine &Why) {
  return llvm::createStringError("cannot write %s: %s", Path.str().c_str(),
                                 Why.str().c_str());
}

bool isStandardOutput(const fs::file_status &Target) {
  fs::file_status Stdout;
  return !fs::status(/*FD=*/1, Stdout) && fs::equivalent(Target, Stdout);
}

const char *typeName(fs::file_type T) {
  switch (T) {
  case fs::file_type::block_file:
    return "a block device";
  case fs::file_type::socket_file:
    return "a socket";
  default:
    return "not a regular file";
  }
}

/// A file to be created or replaced by rename: its directory must take a
/// new file, and an existing file must be writable itself.
llvm::Error checkReplaceable(llvm::StringRef Given, llvm::StringRef File, bool Exists) {
  llvm::StringRef Parent = llvm::sys::path::parent_path(File);
  std::string Dir = Parent.empty() ? "." : Parent.str();
  if (!fs::exists(Dir))
    return cannotWrite(Given, "no such directory " + Dir);
  if (!fs::is_directory(Dir))
    return cannotWrite(Given, Dir + " is not a directory");
  if (Exists && fs::access(File, fs::AccessMode::Write))
    return cannotWrite(Given, "permission denied");
  if (fs::access(Dir, fs::AccessMode::Write))
    return cannotWrite(Given, "permission denied to create files in " + Dir);
  return llvm::Error::success();
}

} // namespace

llvm::Expected<OutputTarget> OutputTarget::check(llvm::StringRef Path) {
  if (Path.empty())
    return llvm::createStringError("an output file name is empty");
  if (Path == "-")
    return OutputTarget(Kind::Stdout, Path.str(), "");

  // What the kernel finds at the path (it follows /proc/self/fd links,
  // which readlink cannot: they read "pipe:[1234]").
  fs::file_status Status;
  std::error_code EC = fs::status(Path, Status, /*Follow=*/true);
  if (!EC) {
    if (isStandardOutput(Status))
      return OutputTarget(Kind::Stdout, Path.str(), "");
    switch (Status.type()) {
    case fs::file_type::directory_file:
      return cannotWrite(Path, "it is a directory");
    case fs::file_type::character_file:
    case fs::file_type::fifo_file:
      if (fs::access(Path, fs::AccessMode::Write))
        return cannotWrite(Path, "permission denied");
      return OutputTarget(Kind::Stream, Path.str(), Path.str());
    case fs::file_type::regular_file:
      break;
    default:
      return cannotWrite(Path, llvm::Twine("it is ") + typeName(Status.type()));
    }
  } else if (EC != std::errc::no_such_file_or_directory) {
    return cannotWrite(Path, EC.message());
  }

  // A regular file, or none yet (perhaps behind a dangling symlink).
  auto File = followSymlinks(Path);
  if (!File)
    return File.takeError();
  if (llvm::Error E = checkReplaceable(Path, *File, /*Exists=*/!EC))
    return std::move(E);
  return OutputTarget(Kind::File, Path.str(), *File);
}

llvm::Error OutputTarget::write(llvm::StringRef Contents) const {
  switch (Where) {
  case Kind::File:
    return writeFileAtomically(Resolved, Contents);
  case Kind::Stdout: {
    llvm::raw_fd_ostream &OS = llvm::outs();
    OS << Contents;
    OS.flush();
    if (OS.has_error()) {
      std::error_code EC = OS.error();
      OS.clear_error();
      return cannotWrite("standard output", EC.message());
    }
    return llvm::Error::success();
  }
  case Kind::Stream: {
    // Opening a FIFO waits for its reader, as a shell's `>` does.
    std::error_code EC;
    llvm::raw_fd_ostream OS(Resolved, EC, fs::OF_None);
    if (EC)
      return cannotWrite(Given, EC.message());
    OS << Contents;
    OS.close();
    if (OS.has_error()) {
      EC = OS.error();
      OS.clear_error();
      return cannotWrite(Given, EC.message());
    }
    return llvm::Error::success();
  }
  }
  return llvm::Error::success();
}

} // namespace chanlint::driver
