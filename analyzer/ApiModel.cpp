#include "ApiModel.h"

#include "ModelLoader.h"

#include "llvm/Support/ErrorHandling.h"

namespace chanlint {

/// The text of models/*.json, generated into the build (models/Embed.cmake),
/// so that no binary needs a path to find them.
struct EmbeddedModel {
  const char *Source;
  const char *Text;
};
extern const EmbeddedModel EmbeddedModels[];
extern const unsigned NumEmbeddedModels;

const OnClosed *ChannelTypeModel::onClosed(const std::string &Method) const {
  for (const ClosedBehaviour &B : OnClosedCalls)
    if (B.Method == Method)
      return &B.Does;
  return nullptr;
}

std::string fillTemplate(const std::string &Template,
                         std::initializer_list<std::pair<const char *, std::string>> Values) {
  std::string Out;
  for (size_t I = 0; I < Template.size();) {
    bool Replaced = false;
    for (const auto &[Name, Value] : Values) {
      std::string Placeholder = std::string("{") + Name + "}";
      if (Template.compare(I, Placeholder.size(), Placeholder) == 0) {
        Out += Value;
        I += Placeholder.size();
        Replaced = true;
        break;
      }
    }
    if (!Replaced)
      Out += Template[I++];
  }
  return Out;
}

const std::vector<ApiModel> &builtinModels() {
  static const std::vector<ApiModel> Models = [] {
    std::vector<ApiModel> Out;
    for (unsigned I = 0; I < NumEmbeddedModels; ++I) {
      auto M = parseModel(EmbeddedModels[I].Text, EmbeddedModels[I].Source);
      if (!M) // a defect of the build, caught by the unit tests
        llvm::report_fatal_error(llvm::Twine("chanlint: built-in model: ") +
                                 llvm::toString(M.takeError()));
      Out.push_back(std::move(*M));
    }
    return Out;
  }();
  return Models;
}

} // namespace chanlint
