// Loading the op tables for a command: the embedded ones, or a directory (--ops DIR).
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "ivyc/api/convert.h"
#include "ivyc/ops/tables.h"

namespace ivyc::driver {

// `target`: only that backend of the built-in tables (a conversion's); empty: all of them.
inline auto load_tables_for(const std::string& dir, const std::string& target = "") -> std::shared_ptr<const ops::Tables> {
  std::vector<ops::TableFile> files;
  if (!dir.empty()) {
    std::string err;
    if (!ops::read_table_dir(dir, files, err)) {
      std::fprintf(stderr, "ivyc: error: %s\n", err.c_str());
      return nullptr;
    }
    // A directory without its own schema is validated by the built-in one.
    bool has_schema = false;
    for (const auto& f : files) has_schema = has_schema || f.path == "schema.json";
    if (!has_schema) {
      for (const auto& f : ops::embedded_table_files()) {
        if (f.path == "schema.json") files.push_back(f);
      }
    }
  }
  std::vector<std::string> errors;
  // The built-in tables: loaded once per process, by the library the Python extension uses too.
  auto tables = !dir.empty()     ? ops::load_tables(files, errors)
                : target.empty() ? api::embedded_tables(&errors)
                                 : api::embedded_tables_for(target, &errors);
  if (!tables) {
    for (const auto& e : errors) std::fprintf(stderr, "ops/%s\n", e.c_str());
    std::fprintf(stderr, "ivyc: error: the op tables are invalid (%zu errors)\n", errors.size());
  }
  return tables;
}

}  // namespace ivyc::driver
