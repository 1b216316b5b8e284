// The --report JSON.
#include <nlohmann/json.hpp>

#include "ivyc/emit/emit.h"

namespace ivyc::emit {

auto report_json(const std::vector<FileReport>& files, std::string_view from, std::string_view to) -> std::string {
  nlohmann::ordered_json root;
  root["from"] = from;
  root["to"] = to;
  int total_converted = 0, total_unsupported = 0;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& f : files) {
    nlohmann::ordered_json jf;
    jf["path"] = f.path;
    if (!f.output_path.empty()) jf["output"] = f.output_path;
    int converted = 0, unsupported = 0, assumed = 0;
    nlohmann::ordered_json sites = nlohmann::ordered_json::array();
    for (const auto& x : f.findings) {
      nlohmann::ordered_json js;
      auto b = f.source->line_column(x.begin);
      auto e = f.source->line_column(x.end);
      js["line"] = b.line;
      js["col"] = b.column + 1;
      js["end_line"] = e.line;
      js["end_col"] = e.column + 1;
      js["api"] = x.api;
      switch (x.status) {
        case rewrite::Status::Converted:
          js["status"] = "converted";
          ++converted;
          break;
        case rewrite::Status::Assumed:
          js["status"] = "converted";
          js["note"] = x.reason;
          ++converted;
          ++assumed;
          break;
        case rewrite::Status::Unsupported:
          js["status"] = "unsupported";
          js["reason"] = x.reason;
          ++unsupported;
          break;
      }
      sites.push_back(std::move(js));
    }
    jf["converted"] = converted;
    jf["unsupported"] = unsupported;
    jf["assumed_tensor"] = assumed;
    jf["rate"] = converted + unsupported == 0 ? 1.0 : static_cast<double>(converted) / (converted + unsupported);
    jf["sites"] = std::move(sites);
    total_converted += converted;
    total_unsupported += unsupported;
    list.push_back(std::move(jf));
  }
  root["files"] = std::move(list);
  root["converted"] = total_converted;
  root["unsupported"] = total_unsupported;
  root["rate"] = total_converted + total_unsupported == 0
                     ? 1.0
                     : static_cast<double>(total_converted) / (total_converted + total_unsupported);
  return root.dump(2) + "\n";
}

}  // namespace ivyc::emit
