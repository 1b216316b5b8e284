// STUB: to be replaced.
#include "ivyc/parse/literals.h"

namespace ivyc::parse {

auto decode_string_body(std::string_view body, StringFlags flags, std::string& out)
    -> std::optional<LiteralError> {
  out.assign(body);
  return std::nullopt;
}

auto parse_number(std::string_view text) -> std::optional<Constant> {
  return Constant{ConstantKind::Int, 0, std::string(text)};
}

auto constant_repr(const Constant& c) -> std::string { return c.text; }

}  // namespace ivyc::parse
