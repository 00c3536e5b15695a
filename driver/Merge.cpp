#include "Merge.h"

#include "llvm/Support/MemoryBuffer.h"

#include <map>
#include <set>
#include <tuple>

using nlohmann::json;

namespace chanlint::driver {

namespace {

std::string str(const json &J, const char *Key) {
  return J.is_object() && J.contains(Key) && J[Key].is_string() ? J[Key].get<std::string>()
                                                                 : "";
}

const json *firstPhysicalLocation(const json &Result) {
  if (!Result.contains("locations") || !Result["locations"].is_array() ||
      Result["locations"].empty())
    return nullptr;
  const json &L = Result["locations"][0];
  if (!L.is_object() || !L.contains("physicalLocation"))
    return nullptr;
  return &L["physicalLocation"];
}

/// Sort key and identity of a result: place, rule, message, fingerprints.
using ResultKey = std::tuple<std::string, long, long, std::string, std::string, std::string>;

ResultKey keyOf(const json &R) {
  std::string Uri;
  long Line = 0, Column = 0;
  if (const json *P = firstPhysicalLocation(R)) {
    if (P->contains("artifactLocation"))
      Uri = str((*P)["artifactLocation"], "uri");
    if (P->contains("region")) {
      Line = (*P)["region"].value("startLine", 0L);
      Column = (*P)["region"].value("startColumn", 0L);
    }
  }
  std::string Message = R.contains("message") ? str(R["message"], "text") : "";
  std::string Prints = R.contains("partialFingerprints") ? R["partialFingerprints"].dump() : "";
  return {Uri, Line, Column, str(R, "ruleId"), Message, Prints};
}

json mergeChanlintRuns(const std::vector<const json *> &Runs) {
  json Merged = *Runs.front();
  json &Rules = Merged["tool"]["driver"]["rules"];
  if (!Rules.is_array())
    Rules = json::array();
  std::map<std::string, size_t> RuleIndex;
  for (size_t I = 0; I < Rules.size(); ++I)
    RuleIndex[str(Rules[I], "id")] = I;

  std::map<ResultKey, json> Results;
  json Invocations = json::array();
  for (const json *Run : Runs) {
    const json &Driver = (*Run)["tool"]["driver"];
    if (Driver.contains("rules") && Driver["rules"].is_array())
      for (const json &Rule : Driver["rules"])
        if (!RuleIndex.count(str(Rule, "id"))) {
          RuleIndex[str(Rule, "id")] = Rules.size();
          Rules.push_back(Rule);
        }
    if (Run->contains("invocations") && (*Run)["invocations"].is_array())
      for (const json &Inv : (*Run)["invocations"])
        Invocations.push_back(Inv);
    if (Run->contains("results") && (*Run)["results"].is_array())
      for (json Result : (*Run)["results"]) {
        // ruleIndex points into the run's own rules: re-point it.
        std::string Id = str(Result, "ruleId");
        if (RuleIndex.count(Id))
          Result["ruleIndex"] = RuleIndex[Id];
        Results.emplace(keyOf(Result), std::move(Result));
      }
  }
  json Out = json::array();
  for (auto &[Key, Result] : Results)
    Out.push_back(std::move(Result));
  Merged["results"] = std::move(Out);
  Merged["invocations"] = std::move(Invocations);
  return Merged;
}

} // namespace

llvm::Expected<json> mergeSarifLogs(llvm::ArrayRef<json> Logs) {
  if (Logs.empty())
    return llvm::createStringError("merge: no input logs");
  std::vector<const json *> Chanlint;
  json Others = json::array();
  for (const json &Log : Logs) {
    if (!Log.is_object() || str(Log, "version") != "2.1.0" || !Log.contains("runs") ||
        !Log["runs"].is_array())
      return llvm::createStringError("merge: input is not a SARIF 2.1.0 log");
    for (const json &Run : Log["runs"]) {
      if (!Run.is_object() || !Run.contains("tool") || !Run["tool"].contains("driver"))
        return llvm::createStringError("merge: a run has no tool.driver");
      if (str(Run["tool"]["driver"], "name") == "chanlint")
        Chanlint.push_back(&Run);
      else
        Others.push_back(Run);
    }
  }
  json Runs = json::array();
  if (!Chanlint.empty())
    Runs.push_back(mergeChanlintRuns(Chanlint));
  for (json &R : Others)
    Runs.push_back(std::move(R));
  json Out = {{"version", "2.1.0"}, {"runs", std::move(Runs)}};
  Out["$schema"] = Logs.front().value("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  return Out;
}

llvm::Expected<json> mergeSarifFiles(llvm::ArrayRef<std::string> Paths) {
  std::vector<json> Logs;
  for (const std::string &P : Paths) {
    auto Buffer = llvm::MemoryBuffer::getFileOrSTDIN(P);
    if (!Buffer)
      return llvm::createStringError("merge: cannot read %s: %s", P.c_str(),
                                     Buffer.getError().message().c_str());
    json Log = json::parse((*Buffer)->getBuffer().begin(), (*Buffer)->getBuffer().end(),
                           nullptr, /*allow_exceptions=*/false);
    if (Log.is_discarded())
      return llvm::createStringError("merge: %s is not valid JSON", P.c_str());
    Logs.push_back(std::move(Log));
  }
  try {
    return mergeSarifLogs(Logs);
  } catch (const json::exception &E) {
    return llvm::createStringError("merge: malformed SARIF: %s", E.what());
  }
}

} // namespace chanlint::driver
