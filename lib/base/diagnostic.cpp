#include "ivyc/base/diagnostic.h"

namespace ivyc {

auto diagnostic_kind_name(DiagnosticKind kind) -> std::string_view {
  switch (kind) {
#define IVYC_DIAG(id, severity) \
  case DiagnosticKind::id:      \
    return #id;
#include "ivyc/base/diagnostic_kinds.def"
#undef IVYC_DIAG
  }
  return "unknown";
}

auto diagnostic_kind_severity(DiagnosticKind kind) -> Severity {
  switch (kind) {
#define IVYC_DIAG(id, severity) \
  case DiagnosticKind::id:      \
    return Severity::severity;
#include "ivyc/base/diagnostic_kinds.def"
#undef IVYC_DIAG
  }
  return Severity::Error;
}

}  // namespace ivyc
