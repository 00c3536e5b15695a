#include "Protocol.h"

namespace chanlint::lsp {

json toJson(const LspPosition &P) { return {{"line", P.Line}, {"character", P.Character}}; }

json toJson(const LspRange &R) { return {{"start", toJson(R.Start)}, {"end", toJson(R.End)}}; }

LspPosition positionFromJson(const json &J) {
  // .at() and get<unsigned>() throw on a missing member or a wrong type;
  // a negative number is not a position either.
  const json &Line = J.at("line");
  const json &Character = J.at("character");
  if (!Line.is_number_unsigned() || !Character.is_number_unsigned())
    throw json::type_error::create(302, "position: line and character must be "
                                        "non-negative integers", &J);
  return {Line.get<unsigned>(), Character.get<unsigned>()};
}

LspRange rangeFromJson(const json &J) {
  LspRange R{positionFromJson(J.at("start")), positionFromJson(J.at("end"))};
  if (R.End < R.Start)
    std::swap(R.Start, R.End);
  return R;
}

} // namespace chanlint::lsp
