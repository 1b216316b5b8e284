// `ivyc ops [--from torch] [--to T] [--json] [--check] [--ops DIR]`: which APIs each target
// supports, from the tables alone; --check validates the tables and exits 1 when they are invalid.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "convert.h"
#include "tables.h"

namespace ivyc::driver {

namespace {

// "supported", "partial: ..." (some variants unsupported) or "unsupported: reason".
auto support(const ops::Tables& t, const ops::FrontendEntry& e, const std::string& target) -> std::string {
  if (!e.unsupported.empty()) return "unsupported: " + e.unsupported;
  std::string op = e.op;
  if (!e.inplace.empty()) return "supported";
  const ops::Backend* b = t.backend(target);
  if (b == nullptr) return "unsupported: no backend " + target;
  auto it = b->ops.find(op);
  if (it == b->ops.end()) return "unsupported: no " + target + " mapping for " + op;
  int good = 0, bad = 0;
  std::string reason;
  for (const auto& v : it->second) {
    if (v.unsupported.empty()) {
      ++good;
    } else {
      ++bad;
      reason = v.unsupported;
    }
  }
  if (good == 0) return "unsupported: " + reason;
  if (bad > 0) return "partial: " + reason;
  return "supported";
}

}  // namespace

auto ops_main(int argc, char** argv) -> int {
  CLI::App app{"ivyc ops: the APIs the op tables map, per target"};
  std::string from = "torch", ops_dir;
  std::vector<std::string> to;
  bool json = false, check = false;
  app.add_option("--from", from, "The source framework")->check(CLI::IsMember({"torch"}));
  app.add_option("--to", to, "Target frameworks (default: all)")->check(CLI::IsMember({"jax", "numpy", "tensorflow"}));
  app.add_flag("--json", json, "Print JSON");
  app.add_flag("--check", check, "Validate the tables only");
  app.add_option("--ops", ops_dir, "Read the op tables from this directory instead of the built-in ones");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  auto tables = load_tables_for(ops_dir);
  if (!tables) return check ? 1 : 2;
  const ops::Frontend* fe = tables->frontend(from);
  if (check) {
    size_t n = fe ? fe->functions.size() + fe->methods.size() + fe->attributes.size() : 0;
    std::printf("ops: valid: %zu canonical ops, %zu %s entries, backends:", tables->canonical.size(), n, from.c_str());
    for (const auto& [name, b] : tables->backends) std::printf(" %s (%zu ops)", name.c_str(), b.ops.size());
    std::printf("\n");
    return 0;
  }
  if (to.empty()) to = {"jax", "numpy", "tensorflow"};
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  auto add = [&](const std::string& api, const std::vector<ops::FrontendEntry>& list) {
    nlohmann::ordered_json row;
    for (const auto& t : to) {
      std::string best;
      for (const auto& e : list) {
        std::string s = support(*tables, e, t);
        if (best.empty() || s == "supported" || (s.starts_with("partial") && !best.starts_with("supported"))) best = s;
      }
      row[t] = best;
    }
    out[api] = row;
  };
  if (fe) {
    for (const auto& [k, list] : fe->functions) add(k, list);
    for (const auto& [k, list] : fe->methods) add("Tensor." + k, list);
    for (const auto& [k, e] : fe->attributes) add("Tensor." + k, {e});
  }
  if (json) {
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("%-48s", "api");
  for (const auto& t : to) std::printf(" %-12s", t.c_str());
  std::printf("\n");
  std::map<std::string, int> counts;
  for (const auto& [api, row] : out.items()) {
    std::printf("%-48s", api.c_str());
    for (const auto& t : to) {
      std::string s = row[t].get<std::string>();
      std::string shown = s == "supported" ? "yes" : s.starts_with("partial") ? "partial" : "no";
      if (s == "supported" || s.starts_with("partial")) ++counts[t];
      std::printf(" %-12s", shown.c_str());
    }
    std::printf("\n");
  }
  std::printf("%zu APIs;", out.size());
  for (const auto& t : to) std::printf(" %s: %d", t.c_str(), counts[t]);
  std::printf("\n");
  return 0;
}

}  // namespace ivyc::driver
