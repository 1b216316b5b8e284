// Diagnostics are data: a kind from the registry, a severity, a byte range in the (UTF-8) source
// buffer and a lowercase message. Rendering as `file:line:col: severity: message` plus the source
// line and a caret happens in one place (render_diagnostic), never at the emitting site.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ivyc {

enum class Severity : uint8_t { Note, Warning, Error };

enum class DiagnosticKind : uint16_t {
#define IVYC_DIAG(id, severity) id,
#include "ivyc/base/diagnostic_kinds.def"
#undef IVYC_DIAG
};

auto diagnostic_kind_name(DiagnosticKind kind) -> std::string_view;
auto diagnostic_kind_severity(DiagnosticKind kind) -> Severity;

struct Diagnostic {
  DiagnosticKind kind;
  // Byte offsets into the UTF-8 text of the SourceBuffer; begin == end for a point.
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string message;
};

}  // namespace ivyc
