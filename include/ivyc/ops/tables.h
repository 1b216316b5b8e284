// The op tables (docs/op_tables.md): canonical ops, the torch frontend and one backend per target,
// loaded from JSON files (embedded in the binary at build time, or read from a directory),
// validated against ops/schema.json and cross-checked. Immutable after loading.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ivyc::ops {

// The kind of value an op returns (docs/op_tables.md, "returns").
enum class ReturnKind : uint8_t { Tensor, Tensors, Named, Int, Float, Bool, Shape, DType, Device, None, Other, Layer };

struct Param {
  std::string name;
  std::optional<std::string> default_text;  // Python source; nullopt: required
};

struct CanonicalOp {
  std::string name;
  std::vector<Param> params;
  ReturnKind returns = ReturnKind::Tensor;
  std::vector<std::string> fields;  // Named: the field names
  std::string doc;
  auto param_index(std::string_view name) const -> int;
};

enum class ParamKind : uint8_t { PositionalOnly, PositionalOrKeyword, VarPositional, KeywordOnly, VarKeyword };

struct SigParam {
  std::string name;
  std::optional<std::string> default_text;
  ParamKind kind;
};

struct Signature {
  std::vector<SigParam> params;
  std::string text;
};

// Parses "input, dim=None, *, keepdim=False" (a `self` first parameter included for methods).
auto parse_signature(std::string_view text, std::string& error) -> std::optional<Signature>;

struct ArgMap {
  std::string to;                                     // the canonical parameter
  std::vector<std::pair<std::string, std::string>> map;  // source literal -> canonical text
  bool has_map = false;
};

// A condition on canonical arguments: parameter -> absent|present|none|int|sequence|tensor|scalar|=TEXT.
using When = std::vector<std::pair<std::string, std::string>>;

struct FrontendEntry {
  std::string key;  // the API path, method name or attribute name
  std::string op;
  std::vector<Signature> sigs;
  std::map<std::string, ArgMap> args;  // source parameter -> canonical
  std::vector<std::string> drop;
  std::map<std::string, std::string> refuse;
  std::vector<std::pair<std::string, std::string>> set;
  When when;
  std::string inplace;      // methods: the method this is the in-place form of
  std::string unsupported;  // non-empty: known, and not convertible, for this reason
  std::optional<std::string> returns;  // overrides the op's result kind
  bool has_samples = false;
};

struct Frontend {
  std::map<std::string, std::vector<FrontendEntry>, std::less<>> functions;
  std::map<std::string, std::vector<FrontendEntry>, std::less<>> methods;
  std::map<std::string, FrontendEntry, std::less<>> attributes;
  std::map<std::string, std::string, std::less<>> constants;  // API path -> canonical constant

  // The entries a tensor method `name` converts with, or null: its own entries; for an in-place
  // alias (`{"inplace": "add"}`), the entries it names; for `name_` without an entry of its own,
  // those of `name`. `inplace` says whether the method updates its receiver.
  auto find_method(std::string_view name, bool& inplace) const -> const std::vector<FrontendEntry>*;
};

struct TemplateScan;

struct Variant {
  When when;
  std::string template_text;
  std::string unsupported;
  std::shared_ptr<const TemplateScan> scan;  // template_text split once at load (null if invalid)
};

// A class or function the output defines itself (docs/modules.md, "definitions"): a layer the
// target lacks, or the weight loader.
struct Definition {
  std::vector<std::string> imports;  // identifiers of the backend's `imports` that `source` uses
  std::string source;                // Python source, lines joined with '\n', ending with '\n'
};

struct Backend {
  std::string name;
  std::map<std::string, std::string, std::less<>> imports;  // identifier -> import statement
  std::map<std::string, Definition, std::less<>> definitions;
  // Layer op -> torch attribute -> template over `{layer}` (`self.fc.weight` -> `{layer}.kernel[...].T`).
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> layer_attributes;
  std::map<std::string, std::vector<Variant>, std::less<>> ops;
  std::map<std::string, std::string, std::less<>> constants;
};

struct Tables {
  std::map<std::string, CanonicalOp, std::less<>> canonical;
  std::map<std::string, Frontend, std::less<>> frontends;  // "torch"
  std::map<std::string, Backend, std::less<>> backends;    // "jax", "numpy", "tensorflow"
  auto op(std::string_view name) const -> const CanonicalOp*;
  auto backend(std::string_view name) const -> const Backend*;
  auto frontend(std::string_view name) const -> const Frontend*;
  // The result kind of an entry (its `returns`, else its op's), and Named fields.
  auto result_kind(const FrontendEntry& e, std::vector<std::string>* fields = nullptr) const -> ReturnKind;
};

struct TableFile {
  std::string path;  // relative to ops/: "schema.json", "torch/math.json", ...
  std::string text;
};

// The tables built into this binary (ops/ at build time).
auto embedded_table_files() -> std::span<const TableFile>;
// Reads every *.json under `dir` (sorted by path); false with `error` set when it cannot.
auto read_table_dir(const std::string& dir, std::vector<TableFile>& files, std::string& error) -> bool;

// Validates and loads; on failure returns null and fills `errors` ("torch/math.json: ...").
auto load_tables(std::span<const TableFile> files, std::vector<std::string>& errors)
    -> std::shared_ptr<const Tables>;

auto parse_return_kind(std::string_view text, std::vector<std::string>* fields) -> ReturnKind;

}  // namespace ivyc::ops
