#include "CompileCommandResolver.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace chanlint::lsp;

namespace {

/// A project in a fresh temporary directory, removed at the end.
struct DatabaseSearch : ::testing::Test {
  llvm::SmallString<128> Root;

  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("chanlint-resolver", Root));
    // Resolve symlinks (/tmp may be one): the resolver's paths are real.
    llvm::SmallString<128> Real;
    ASSERT_FALSE(llvm::sys::fs::real_path(Root, Real));
    Root = Real;
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Root); }

  std::string path(llvm::StringRef Relative) const {
    llvm::SmallString<256> P(Root);
    llvm::sys::path::append(P, Relative);
    return std::string(P);
  }
  std::string write(llvm::StringRef Relative, llvm::StringRef Text) const {
    std::string P = path(Relative);
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(P));
    std::error_code EC;
    llvm::raw_fd_ostream OS(P, EC);
    EXPECT_FALSE(EC) << P;
    OS << Text;
    return P;
  }
  /// A compile_commands.json as CMake writes it: the build directory, a
  /// command line, the source by absolute path.
  std::string cmakeDatabase(llvm::StringRef Relative, llvm::StringRef Source) const {
    std::string Build = llvm::sys::path::parent_path(path(Relative)).str();
    return write(Relative, "[{\"directory\": \"" + Build + "\", \"command\": \"/usr/bin/c++ "
                               "-std=c++20 -DFROM_CMAKE -o x.o -c " + path(Source) +
                               "\", \"file\": \"" + path(Source) + "\"}]\n");
  }
};

TEST_F(DatabaseSearch, ADirectoryOffersItsDatabaseItsBuildDatabaseThenItsFlags) {
  EXPECT_EQ(compilationDatabaseIn(Root), "");
  std::string Flags = write("compile_flags.txt", "-std=c++20\n");
  EXPECT_EQ(compilationDatabaseIn(Root), Flags);
  std::string Build = cmakeDatabase("build/compile_commands.json", "src/a.cpp");
  EXPECT_EQ(compilationDatabaseIn(Root), Build);
  std::string Top = cmakeDatabase("compile_commands.json", "src/a.cpp");
  EXPECT_EQ(compilationDatabaseIn(Root), Top);
  // Other build directories are not guessed at.
  llvm::sys::fs::remove(Top);
  llvm::sys::fs::remove(Build);
  llvm::sys::fs::remove(Flags);
  cmakeDatabase("out/compile_commands.json", "src/a.cpp");
  EXPECT_EQ(compilationDatabaseIn(Root), "");
}

TEST_F(DatabaseSearch, TheNearestDirectoryWins) {
  std::string Source = write("src/net/a.cpp", "int a;\n");
  EXPECT_EQ(findCompilationDatabase(Source), "");
  std::string Build = cmakeDatabase("build/compile_commands.json", "src/net/a.cpp");
  EXPECT_EQ(findCompilationDatabase(Source), Build);
  std::string Near = write("src/compile_flags.txt", "-std=c++17\n");
  EXPECT_EQ(findCompilationDatabase(Source), Near);
}

TEST_F(DatabaseSearch, APlainCMakeBuildFolderGivesTheFileItsCommand) {
  std::string Source = write("src/a.cpp", "int a;\n");
  std::string Build = cmakeDatabase("build/compile_commands.json", "src/a.cpp");
  std::vector<std::string> Warnings;
  CompileCommandResolver Resolver({}, [&](const std::string &W) { Warnings.push_back(W); });
  CompileCommandResolver::Choice C = Resolver.resolve(Source);
  ASSERT_TRUE(C.Runner) << C.Error;
  EXPECT_EQ(C.Source, Build);
  auto Commands = C.Runner->database().getCompileCommands(Source);
  ASSERT_EQ(Commands.size(), 1u);
  EXPECT_EQ(Commands.front().Directory, path("build"));
  EXPECT_NE(llvm::find(Commands.front().CommandLine, "-DFROM_CMAKE"),
            Commands.front().CommandLine.end());
  // A header next to it borrows the source's command, as in clangd.
  std::string Header = write("src/a.h", "int b;\n");
  C = Resolver.resolve(Header);
  ASSERT_TRUE(C.Runner) << C.Error;
  EXPECT_EQ(C.Source, Build + " (interpolated)");
  EXPECT_TRUE(Warnings.empty());
}

} // namespace
