// Loading the op tables: JSON -> schema validation -> structs -> cross-checks.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "ivyc/ops/tables.h"
#include "schema.h"
#include "template_scan.h"

namespace ivyc::ops {

using nlohmann::json;

auto CanonicalOp::param_index(std::string_view n) const -> int {
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].name == n) return static_cast<int>(i);
  }
  return -1;
}

auto Frontend::find_method(std::string_view name, bool& inplace) const -> const std::vector<FrontendEntry>* {
  inplace = false;
  auto it = methods.find(name);
  if (it != methods.end()) {
    const auto& list = it->second;
    if (list.size() == 1 && !list[0].inplace.empty()) {
      inplace = true;
      // An alias names its base; an entry with its own op (`fill_`) is its own base.
      if (list[0].op.empty()) {
        auto base = methods.find(list[0].inplace);
        return base == methods.end() ? nullptr : &base->second;
      }
    }
    return &list;
  }
  if (name.size() > 1 && name.ends_with("_") && !name.starts_with("_")) {
    auto base = methods.find(name.substr(0, name.size() - 1));
    if (base != methods.end()) {
      inplace = true;
      return &base->second;
    }
  }
  return nullptr;
}

auto Tables::op(std::string_view name) const -> const CanonicalOp* {
  auto it = canonical.find(name);
  return it == canonical.end() ? nullptr : &it->second;
}
auto Tables::backend(std::string_view name) const -> const Backend* {
  auto it = backends.find(name);
  return it == backends.end() ? nullptr : &it->second;
}
auto Tables::frontend(std::string_view name) const -> const Frontend* {
  auto it = frontends.find(name);
  return it == frontends.end() ? nullptr : &it->second;
}

auto parse_return_kind(std::string_view text, std::vector<std::string>* fields) -> ReturnKind {
  if (text.starts_with("named:")) {
    if (fields) {
      fields->clear();
      std::string_view rest = text.substr(6);
      while (!rest.empty()) {
        size_t comma = rest.find(',');
        fields->emplace_back(rest.substr(0, comma));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    }
    return ReturnKind::Named;
  }
  if (text == "tensors") return ReturnKind::Tensors;
  if (text == "int") return ReturnKind::Int;
  if (text == "float") return ReturnKind::Float;
  if (text == "bool") return ReturnKind::Bool;
  if (text == "shape") return ReturnKind::Shape;
  if (text == "dtype") return ReturnKind::DType;
  if (text == "device") return ReturnKind::Device;
  if (text == "none") return ReturnKind::None;
  if (text == "other") return ReturnKind::Other;
  if (text == "layer") return ReturnKind::Layer;
  return ReturnKind::Tensor;
}

auto Tables::result_kind(const FrontendEntry& e, std::vector<std::string>* fields) const -> ReturnKind {
  if (e.returns) return parse_return_kind(*e.returns, fields);
  if (const CanonicalOp* o = op(e.op)) {
    if (fields) *fields = o->fields;
    return o->returns;
  }
  return ReturnKind::Other;
}

namespace {

class Loader {
 public:
  Loader(std::vector<std::string>& errors) : errors_(errors), tables_(std::make_shared<Tables>()) {}

  auto run(std::span<const TableFile> files) -> std::shared_ptr<const Tables> {
    const TableFile* schema_file = nullptr;
    for (const auto& f : files) {
      if (f.path == "schema.json") schema_file = &f;
    }
    if (schema_file == nullptr) {
      errors_.push_back("schema.json: missing");
      return nullptr;
    }
    json schema;
    if (!parse_json(*schema_file, schema)) return nullptr;
    // Canonical ops first: the others refer to them.
    std::vector<const TableFile*> ordered;
    for (const auto& f : files) {
      if (f.path.starts_with("canonical/")) ordered.push_back(&f);
    }
    for (const auto& f : files) {
      if (f.path != "schema.json" && !f.path.starts_with("canonical/")) ordered.push_back(&f);
    }
    for (const TableFile* f : ordered) {
      json doc;
      if (!parse_json(*f, doc)) continue;
      size_t slash = f->path.find('/');
      if (slash == std::string::npos) {
        errors_.push_back(f->path + ": a table file belongs in ops/<framework>/ or ops/canonical/");
        continue;
      }
      std::string dir = f->path.substr(0, slash);
      std::string def = dir == "canonical" ? "canonical_file" : dir == "torch" ? "frontend_file" : "backend_file";
      json sub = schema;
      sub.erase("anyOf");
      sub["$ref"] = "#/$defs/" + def;
      std::vector<std::string> errs;
      if (!validate_schema(doc, sub, errs)) {
        for (auto& e : errs) errors_.push_back(f->path + ": " + e);
        continue;
      }
      file_ = f->path;
      if (dir == "canonical") {
        load_canonical(doc);
      } else if (dir == "torch") {
        load_frontend(doc, tables_->frontends["torch"]);
      } else {
        Backend& b = tables_->backends[dir];
        b.name = dir;
        load_backend(doc, b);
      }
    }
    cross_check();
    if (!errors_.empty()) return nullptr;
    return tables_;
  }

 private:
  auto parse_json(const TableFile& f, json& out) -> bool {
    try {
      out = json::parse(f.text);
      return true;
    } catch (const json::parse_error& e) {
      errors_.push_back(f.path + ": not valid JSON: " + e.what());
      return false;
    }
  }

  void error(const std::string& where, const std::string& what) { errors_.push_back(file_ + ": " + where + ": " + what); }

  void load_canonical(const json& doc) {
    for (const auto& [name, o] : doc["ops"].items()) {
      if (tables_->canonical.count(name)) {
        error("ops/" + name, "defined twice (also in " + origin_[name] + ")");
        continue;
      }
      origin_[name] = file_;
      CanonicalOp op;
      op.name = name;
      for (const auto& p : o["params"]) {
        std::string text = p.get<std::string>();
        size_t eq = text.find('=');
        Param param{text.substr(0, eq), std::nullopt};
        if (eq != std::string::npos) param.default_text = text.substr(eq + 1);
        op.params.push_back(param);
      }
      if (o.contains("returns")) op.returns = parse_return_kind(o["returns"].get<std::string>(), &op.fields);
      op.doc = o["doc"].get<std::string>();
      tables_->canonical.emplace(name, std::move(op));
    }
  }

  auto load_entry(const std::string& where, const std::string& key, const json& e) -> FrontendEntry {
    FrontendEntry fe;
    fe.key = key;
    fe.op = e.value("op", "");
    if (e.contains("sig")) {
      std::vector<std::string> texts;
      if (e["sig"].is_string()) {
        texts.push_back(e["sig"].get<std::string>());
      } else {
        for (const auto& s : e["sig"]) texts.push_back(s.get<std::string>());
      }
      for (const auto& t : texts) {
        std::string err;
        auto sig = parse_signature(t, err);
        if (!sig) {
          error(where, "sig \"" + t + "\": " + err);
        } else {
          fe.sigs.push_back(std::move(*sig));
        }
      }
    }
    if (e.contains("args")) {
      for (const auto& [src, a] : e["args"].items()) {
        ArgMap m;
        if (a.is_string()) {
          m.to = a.get<std::string>();
        } else {
          m.to = a["to"].get<std::string>();
          if (a.contains("map")) {
            m.has_map = true;
            for (const auto& [k, v] : a["map"].items()) m.map.emplace_back(k, v.get<std::string>());
          }
        }
        fe.args[src] = m;
      }
    }
    if (e.contains("drop")) {
      for (const auto& d : e["drop"]) fe.drop.push_back(d.get<std::string>());
    }
    if (e.contains("refuse")) {
      for (const auto& [k, v] : e["refuse"].items()) fe.refuse[k] = v.get<std::string>();
    }
    if (e.contains("set")) {
      for (const auto& [k, v] : e["set"].items()) fe.set.emplace_back(k, v.get<std::string>());
    }
    if (e.contains("when")) {
      for (const auto& [k, v] : e["when"].items()) fe.when.emplace_back(k, v.get<std::string>());
    }
    fe.inplace = e.value("inplace", "");
    fe.unsupported = e.value("unsupported", "");
    if (e.contains("returns")) fe.returns = e["returns"].get<std::string>();
    fe.has_samples = e.contains("samples") && !e["samples"].empty();
    if (fe.op.empty() && fe.inplace.empty() && fe.unsupported.empty()) {
      error(where, "needs \"op\", \"inplace\" or \"unsupported\"");
    }
    return fe;
  }

  void load_entries(const json& section, const std::string& section_name,
                    std::map<std::string, std::vector<FrontendEntry>, std::less<>>& into) {
    for (const auto& [key, e] : section.items()) {
      std::string where = section_name + "/" + key;
      if (into.count(key)) {
        error(where, "defined twice (also in " + origin_[where] + ")");
        continue;
      }
      origin_[where] = file_;
      std::vector<FrontendEntry> list;
      if (e.is_array()) {
        for (const auto& item : e) list.push_back(load_entry(where, key, item));
      } else {
        list.push_back(load_entry(where, key, e));
      }
      into.emplace(key, std::move(list));
      entry_files_[where] = file_;
    }
  }

  void load_frontend(const json& doc, Frontend& fe) {
    load_entries(doc["functions"], "functions", fe.functions);
    if (doc.contains("methods")) load_entries(doc["methods"], "methods", fe.methods);
    if (doc.contains("attributes")) {
      for (const auto& [key, e] : doc["attributes"].items()) {
        std::string where = "attributes/" + key;
        if (fe.attributes.count(key)) {
          error(where, "defined twice (also in " + origin_[where] + ")");
          continue;
        }
        origin_[where] = file_;
        entry_files_[where] = file_;
        fe.attributes.emplace(key, load_entry(where, key, e));
      }
    }
    if (doc.contains("constants")) {
      for (const auto& [key, v] : doc["constants"].items()) {
        std::string where = "constants/" + key;
        if (fe.constants.count(key)) {
          error(where, "defined twice (also in " + origin_[where] + ")");
          continue;
        }
        origin_[where] = file_;
        fe.constants.emplace(key, v.get<std::string>());
      }
    }
  }

  void load_backend(const json& doc, Backend& b) {
    if (doc.contains("imports")) {
      for (const auto& [k, v] : doc["imports"].items()) {
        auto it = b.imports.find(k);
        if (it != b.imports.end() && it->second != v.get<std::string>()) {
          error("imports/" + k, "bound to a different import in another file");
        }
        b.imports[k] = v.get<std::string>();
      }
    }
    for (const auto& [name, e] : doc["ops"].items()) {
      std::string where = b.name + "/ops/" + name;
      if (b.ops.count(name)) {
        error("ops/" + name, "defined twice (also in " + origin_[where] + ")");
        continue;
      }
      origin_[where] = file_;
      entry_files_[where] = file_;
      std::vector<Variant> variants;
      auto add = [&](const json& v) {
        Variant var;
        if (v.is_string()) {
          var.template_text = v.get<std::string>();
        } else {
          var.template_text = v.value("template", "");
          var.unsupported = v.value("unsupported", "");
          if (v.contains("when")) {
            for (const auto& [k, c] : v["when"].items()) var.when.emplace_back(k, c.get<std::string>());
          }
          if (var.template_text.empty() == var.unsupported.empty()) {
            error("ops/" + name, "a variant needs exactly one of \"template\" and \"unsupported\"");
          }
        }
        if (!var.template_text.empty()) {
          std::string err;
          if (auto scan = scan_template(var.template_text, err)) var.scan = std::make_shared<const TemplateScan>(std::move(*scan));
        }
        variants.push_back(std::move(var));
      };
      if (e.is_array()) {
        for (const auto& v : e) add(v);
      } else {
        add(e);
      }
      b.ops.emplace(name, std::move(variants));
    }
    if (doc.contains("definitions")) {
      for (const auto& [k, v] : doc["definitions"].items()) {
        if (b.definitions.count(k)) error("definitions/" + k, "defined twice");
        Definition d;
        for (const auto& i : v["imports"]) d.imports.push_back(i.get<std::string>());
        for (const auto& line : v["source"]) d.source += line.get<std::string>() + "\n";
        b.definitions.emplace(k, std::move(d));
      }
    }
    if (doc.contains("layer_attributes")) {
      for (const auto& [k, v] : doc["layer_attributes"].items()) {
        if (b.layer_attributes.count(k)) error("layer_attributes/" + k, "defined twice");
        auto& m = b.layer_attributes[k];
        for (const auto& [a, t] : v.items()) m.emplace(a, t.get<std::string>());
      }
    }
    if (doc.contains("constants")) {
      for (const auto& [k, v] : doc["constants"].items()) {
        if (b.constants.count(k)) error("constants/" + k, "defined twice");
        b.constants[k] = v.get<std::string>();
      }
    }
  }

  void check_entry(const std::string& where, const FrontendEntry& e, bool method, bool attribute = false) {
    file_ = entry_files_[where];
    if (!e.unsupported.empty() || (method && !e.inplace.empty() && e.op.empty())) return;
    if (!method && !e.inplace.empty()) {
      // A function's `inplace` names the parameter it updates.
      for (const auto& sig : e.sigs) {
        bool found = false;
        for (const auto& p : sig.params) found = found || p.name == e.inplace;
        if (!found) error(where, "inplace names \"" + e.inplace + "\", not a parameter of its sig");
      }
    }
    const CanonicalOp* op = tables_->op(e.op);
    if (op == nullptr) {
      error(where, "unknown canonical op \"" + e.op + "\"");
      return;
    }
    std::set<std::string> covered;
    for (const auto& [src, m] : e.args) {
      covered.insert(src);
      if (op->param_index(m.to) < 0) error(where, "args: \"" + src + "\" maps to \"" + m.to + "\", not a parameter of " + e.op);
    }
    for (const auto& d : e.drop) covered.insert(d);
    for (const auto& [r, _] : e.refuse) covered.insert(r);
    for (const auto& [k, _] : e.set) {
      if (op->param_index(k) < 0) error(where, "set: \"" + k + "\" is not a parameter of " + e.op);
    }
    for (const auto& sig : e.sigs) {
      if (method && (sig.params.empty() || sig.params[0].name != "self")) {
        error(where, "a method's sig starts with self");
      }
      for (const auto& p : sig.params) {
        if (!covered.count(p.name)) error(where, "parameter \"" + p.name + "\" of sig is not in args, drop or refuse");
      }
    }
    // Every required canonical parameter must be reachable.
    for (const auto& p : op->params) {
      if (p.default_text) continue;
      if (attribute && &p == &op->params[0]) continue;  // the tensor itself
      bool fed = std::any_of(e.args.begin(), e.args.end(), [&](const auto& kv) { return kv.second.to == p.name; }) ||
                 std::any_of(e.set.begin(), e.set.end(), [&](const auto& kv) { return kv.first == p.name; });
      if (!fed) error(where, "required parameter \"" + p.name + "\" of " + e.op + " gets no argument");
    }
  }

  void cross_check() {
    if (const Frontend* fe = tables_->frontend("torch")) {
      for (const auto& [key, list] : fe->functions) {
        for (const auto& e : list) check_entry("functions/" + key, e, false);
      }
      for (const auto& [key, list] : fe->methods) {
        for (const auto& e : list) {
          check_entry("methods/" + key, e, true);
          if (!e.inplace.empty() && !fe->methods.count(e.inplace)) {
            file_ = entry_files_["methods/" + key];
            error("methods/" + key, "inplace names no method \"" + e.inplace + "\"");
          }
        }
      }
      for (const auto& [key, e] : fe->attributes) check_entry("attributes/" + key, e, false, true);
    }
    for (const auto& [bname, b] : tables_->backends) {
      for (const auto& [name, variants] : b.ops) {
        std::string where = bname + "/ops/" + name;
        file_ = entry_files_[where];
        const CanonicalOp* op = tables_->op(name);
        if (op == nullptr) {
          error("ops/" + name, "not a canonical op");
          continue;
        }
        for (const auto& v : variants) {
          for (const auto& [k, _] : v.when) {
            if (op->param_index(k) < 0) error("ops/" + name, "when: \"" + k + "\" is not a parameter of " + name);
          }
          if (v.template_text.empty()) continue;
          std::string err;
          auto scan = scan_template(v.template_text, err);
          if (!scan) {
            error("ops/" + name, "template: " + err);
            continue;
          }
          for (const auto& p : scan->placeholders) {
            if (p != "key" && p != "rngs" && op->param_index(p) < 0) {
              error("ops/" + name, "template names \"{" + p + "}\", not a parameter of " + name);
            }
          }
          for (const auto& r : scan->roots) {
            if (!b.imports.count(r) && !b.definitions.count(r)) {
              error("ops/" + name, "template uses \"" + r + "\", which no entry of \"imports\" or \"definitions\" binds");
            }
          }
        }
      }
      for (const auto& [name, d] : b.definitions) {
        for (const auto& i : d.imports) {
          if (!b.imports.count(i)) errors_.push_back(bname + ": definitions/" + name + ": imports \"" + i + "\", which no entry of \"imports\" binds");
        }
      }
      for (const auto& [name, attrs] : b.layer_attributes) {
        const CanonicalOp* op = tables_->op(name);
        if (op == nullptr || op->returns != ReturnKind::Layer) {
          errors_.push_back(bname + ": layer_attributes/" + name + ": not a canonical layer op");
        }
        for (const auto& [a, t] : attrs) {
          std::string err;
          auto scan = scan_template(t, err);
          if (!scan) {
            errors_.push_back(bname + ": layer_attributes/" + name + "/" + a + ": " + err);
            continue;
          }
          for (const auto& p : scan->placeholders) {
            if (p != "layer") errors_.push_back(bname + ": layer_attributes/" + name + "/" + a + ": only {layer} may be named");
          }
          for (const auto& r : scan->roots) {
            if (!b.imports.count(r) && !b.definitions.count(r)) {
              errors_.push_back(bname + ": layer_attributes/" + name + "/" + a + ": uses \"" + r + "\", which nothing binds");
            }
          }
        }
      }
      for (const auto& [k, text] : b.constants) {
        std::string err;
        auto scan = scan_template(text, err);
        if (!scan) continue;
        for (const auto& r : scan->roots) {
          if (!b.imports.count(r)) errors_.push_back(bname + ": constants/" + k + ": uses \"" + r + "\", which no import binds");
        }
      }
    }
  }

  std::vector<std::string>& errors_;
  std::shared_ptr<Tables> tables_;
  std::string file_;
  std::map<std::string, std::string> origin_;
  std::map<std::string, std::string> entry_files_;
};

}  // namespace

auto read_table_dir(const std::string& dir, std::vector<TableFile>& files, std::string& error) -> bool {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    error = dir + ": not a directory";
    return false;
  }
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (!it->is_regular_file() || it->path().extension() != ".json") continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    files.push_back({fs::relative(it->path(), dir).generic_string(), ss.str()});
  }
  if (ec) {
    error = dir + ": " + ec.message();
    return false;
  }
  std::sort(files.begin(), files.end(), [](const TableFile& a, const TableFile& b) { return a.path < b.path; });
  return true;
}

auto load_tables(std::span<const TableFile> files, std::vector<std::string>& errors) -> std::shared_ptr<const Tables> {
  Loader loader(errors);
  return loader.run(files);
}

}  // namespace ivyc::ops
