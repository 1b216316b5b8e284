#include "schema.h"

#include <map>
#include <regex>

namespace ivyc::ops {
namespace {

using nlohmann::json;

class Validator {
 public:
  explicit Validator(const json& root) : root_(root) {}

  // Validates `v` at `ptr`; appends errors; returns whether valid.
  auto check(const json& v, const json& s, const std::string& ptr, std::vector<std::string>& out) -> bool {
    if (s.contains("$ref")) {
      const std::string ref = s["$ref"].get<std::string>();
      const std::string prefix = "#/$defs/";
      if (ref.rfind(prefix, 0) != 0 || !root_["$defs"].contains(ref.substr(prefix.size()))) {
        out.push_back("schema: unknown $ref " + ref);
        return false;
      }
      return check(v, root_["$defs"][ref.substr(prefix.size())], ptr, out);
    }
    if (s.contains("anyOf")) {
      std::vector<std::string> best;
      bool first = true;
      for (const auto& branch : s["anyOf"]) {
        std::vector<std::string> errs;
        if (check(v, branch, ptr, errs)) return true;
        // Prefer the branch whose type matched (its errors are deeper and more useful).
        bool type_error = !errs.empty() && errs[0].find("expected ") != std::string::npos &&
                          errs[0].rfind(display(ptr) + ": expected ", 0) == 0;
        if (first || (!type_error && best_is_type_error_)) {
          best = errs;
          best_is_type_error_ = type_error;
          first = false;
        }
      }
      best_is_type_error_ = false;
      out.insert(out.end(), best.begin(), best.end());
      return false;
    }
    if (s.contains("type") && !type_ok(v, s["type"].get<std::string>())) {
      out.push_back(display(ptr) + ": expected " + s["type"].get<std::string>());
      return false;
    }
    bool ok = true;
    if (s.contains("enum")) {
      bool found = false;
      for (const auto& e : s["enum"]) found = found || e == v;
      if (!found) {
        out.push_back(display(ptr) + ": " + v.dump() + " is not one of " + s["enum"].dump());
        ok = false;
      }
    }
    if (s.contains("pattern") && v.is_string()) {
      const std::string& pattern = s["pattern"].get_ref<const std::string&>();
      auto cached = regexes_.find(pattern);
      if (cached == regexes_.end()) cached = regexes_.emplace(pattern, std::regex(pattern)).first;
      if (!std::regex_search(v.get<std::string>(), cached->second)) {
        out.push_back(display(ptr) + ": " + v.dump() + " does not match " + s["pattern"].get<std::string>());
        ok = false;
      }
    }
    if (v.is_array()) {
      if (s.contains("minItems") && v.size() < s["minItems"].get<size_t>()) {
        out.push_back(display(ptr) + ": needs at least " + s["minItems"].dump() + " items");
        ok = false;
      }
      if (s.contains("items")) {
        for (size_t i = 0; i < v.size(); ++i) ok = check(v[i], s["items"], ptr + "/" + std::to_string(i), out) && ok;
      }
    }
    if (v.is_object()) {
      if (s.contains("required")) {
        for (const auto& r : s["required"]) {
          if (!v.contains(r.get<std::string>())) {
            out.push_back(display(ptr) + ": missing required key \"" + r.get<std::string>() + "\"");
            ok = false;
          }
        }
      }
      for (const auto& [key, value] : v.items()) {
        const std::string child = ptr + "/" + key;
        if (s.contains("properties") && s["properties"].contains(key)) {
          ok = check(value, s["properties"][key], child, out) && ok;
        } else if (s.contains("additionalProperties")) {
          const json& ap = s["additionalProperties"];
          if (ap.is_boolean()) {
            if (!ap.get<bool>()) {
              out.push_back(display(ptr) + ": unknown key \"" + key + "\"");
              ok = false;
            }
          } else {
            ok = check(value, ap, child, out) && ok;
          }
        }
      }
    }
    return ok;
  }

 private:
  static auto display(const std::string& ptr) -> std::string { return ptr.empty() ? "/" : ptr; }
  static auto type_ok(const json& v, const std::string& t) -> bool {
    if (t == "object") return v.is_object();
    if (t == "array") return v.is_array();
    if (t == "string") return v.is_string();
    if (t == "number") return v.is_number();
    if (t == "integer") return v.is_number_integer();
    if (t == "boolean") return v.is_boolean();
    if (t == "null") return v.is_null();
    return false;
  }

  const json& root_;
  bool best_is_type_error_ = false;
  std::map<std::string, std::regex> regexes_;  // compiled once per pattern
};

}  // namespace

auto validate_schema(const json& instance, const json& schema, std::vector<std::string>& errors) -> bool {
  Validator v(schema);
  return v.check(instance, schema, "", errors);
}

}  // namespace ivyc::ops
