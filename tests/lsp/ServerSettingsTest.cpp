#include "ServerSettings.h"

#include <gtest/gtest.h>

using namespace chanlint::lsp;

namespace {

TEST(ServerSettings, OptionsOverrideTheDefaults) {
  ServerSettings Defaults;
  Defaults.CompilationDatabasePath = "build";
  std::vector<std::string> Warnings;
  ServerSettings S = applyInitializationOptions(
      Defaults, json::parse(R"({"compilationDatabasePath":"out","fallbackFlags":["-Iinc"],
                                "debounceMs":20,"checks":"-*,chan-receiver-close"})"),
      Warnings);
  EXPECT_TRUE(Warnings.empty());
  EXPECT_EQ(S.CompilationDatabasePath, "out");
  EXPECT_EQ(S.FallbackFlags, std::vector<std::string>{"-Iinc"});
  EXPECT_EQ(S.Debounce.count(), 20);
  EXPECT_EQ(S.Checks, "-*,chan-receiver-close");
}

TEST(ServerSettings, NoOptionsKeepTheDefaults) {
  std::vector<std::string> Warnings;
  ServerSettings S = applyInitializationOptions({}, nullptr, Warnings);
  EXPECT_EQ(S.Debounce.count(), 300);
  EXPECT_TRUE(Warnings.empty());
}

TEST(ServerSettings, WrongTypesAreIgnoredWithAWarning) {
  std::vector<std::string> Warnings;
  ServerSettings S = applyInitializationOptions(
      {}, json::parse(R"({"compilationDatabasePath":3,"fallbackFlags":["-I",4],
                          "debounceMs":-5,"checks":["chan-*"]})"),
      Warnings);
  EXPECT_EQ(Warnings.size(), 4u);
  EXPECT_EQ(S.Debounce.count(), 300);
  EXPECT_TRUE(S.FallbackFlags.empty());

  Warnings.clear();
  applyInitializationOptions({}, json::parse(R"("text")"), Warnings);
  EXPECT_EQ(Warnings.size(), 1u);
}

} // namespace
