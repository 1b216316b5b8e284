// The PRNG rule for JAX: JAX has no global random state, so a function that draws random numbers
// takes a key. Each function of the file that calls a random op (directly, or through another
// function of the file that does) gets a keyword-only parameter `key`; before each statement that
// draws, `key, subkey = jax.random.split(key)` makes a fresh subkey for it, so loops draw new
// numbers each iteration; calls of such functions pass `key=subkey`. Random ops outside a function,
// or in a lambda or comprehension, are reported (no statement there can split the key).
#include <algorithm>
#include <map>

#include "rewriter.h"

namespace ivyc::rewrite {

void Rewriter::rule_random_keys() {
  // Consumers: random sites, then calls of functions of this file that need a key.
  std::map<NodeId, std::vector<NodeId>> consumers;  // def -> call nodes needing a subkey
  std::set<NodeId> keyed_defs;
  std::set<NodeId> seen;
  auto enclosing_def = [&](NodeId node) -> NodeId {
    sema::ScopeId s = model_.scope_at(node);
    if (s == kNone) return kNone;
    const auto& sc = model_.scope(s);
    if (sc.kind != sema::ScopeKind::Function) return kNone;
    return sc.node;
  };
  std::vector<NodeId> pending;
  for (const auto& site : map_.sites) {
    if (needs_key(site)) {
      random_sites_.insert(site.node);
      pending.push_back(site.node);
    }
  }
  // Functions of this file by symbol.
  std::map<sema::SymbolId, NodeId> def_of;
  for (NodeId id = 0; id < tree_.size(); ++id) {
    NodeKind k = tree_.kind(id);
    if (k != NodeKind::FunctionDef && k != NodeKind::AsyncFunctionDef) continue;
    sema::SymbolId s = model_.symbol_at(id);
    if (s != kNone && model_.bindings_of(s).size() == 1) def_of[s] = id;
  }
  while (!pending.empty()) {
    NodeId call = pending.back();
    pending.pop_back();
    if (!seen.insert(call).second) continue;
    NodeId def = enclosing_def(call);
    if (def == kNone) continue;  // no key: render_op reports it
    // A module's __init__ (jax) draws from its nnx.Rngs, its other methods from the one it keeps.
    if (std::string k = rngs_defs_.count(def) ? "rngs()" : method_key(def); !k.empty()) {
      if (random_sites_.count(call)) {
        key_text_[call] = k;
      } else {
        add_call_argument(call, "key=" + k);
      }
      continue;
    }
    consumers[def].push_back(call);
    if (keyed_defs.insert(def).second) {
      // Every call of this def in the file now needs a key too.
      sema::SymbolId s = model_.symbol_at(def);
      for (NodeId id = 0; id < tree_.size(); ++id) {
        if (tree_.kind(id) != NodeKind::Call) continue;
        NodeId f = tree_.slot(id, FIELD(Call, "func"));
        if (tree_.kind(f) != NodeKind::Name) continue;
        auto r = model_.resolve(f);
        if (r.symbol != kNone && r.symbol == s) pending.push_back(id);
      }
    }
  }
  std::string_view src = source_.text();
  for (NodeId def : keyed_defs) {
    sema::ScopeId scope = model_.scope_of(def);
    auto taken = [&](const std::string& n) { return model_.find_symbol(scope, n) != kNone; };
    std::string key = "key";
    for (int i = 1; taken(key); ++i) key = "key" + std::to_string(i);
    add_parameter(def, key, true);
    // A split before each statement that consumes keys.
    std::map<NodeId, std::vector<NodeId>> by_stmt;
    for (NodeId c : consumers[def]) {
      // Not inside a lambda or comprehension of the def.
      if (model_.scope_at(c) != scope) continue;
      by_stmt[statement_of(c)].push_back(c);
    }
    for (auto& [stmt, calls] : by_stmt) {
      std::string indent;
      if (stmt == kNone || !indent_of(stmt, indent) || src.substr(tree_.node(stmt).begin).starts_with("elif")) continue;
      std::sort(calls.begin(), calls.end(), [&](NodeId a, NodeId b) { return tree_.node(a).begin < tree_.node(b).begin; });
      std::vector<std::string> names;
      for (size_t i = 0; i < calls.size(); ++i) {
        std::string base = calls.size() == 1 ? "subkey" : "subkey" + std::to_string(i + 1);
        std::string n = base;
        for (int j = 1; taken(n); ++j) n = base + "_" + std::to_string(j);
        names.push_back(n);
      }
      std::string lhs = key;
      for (const auto& n : names) lhs += ", " + n;
      std::string rhs = "jax.random.split(" + key + (calls.size() == 1 ? "" : ", " + std::to_string(calls.size() + 1)) + ")";
      edits_.insert(tree_.node(stmt).begin, lhs + " = " + rhs + newline_ + indent);
      for (size_t i = 0; i < calls.size(); ++i) {
        NodeId c = calls[i];
        if (random_sites_.count(c)) {
          key_text_[c] = names[i];
        } else {
          // A call of a keyed function of this file: pass the subkey.
          add_call_argument(c, "key=" + names[i]);
        }
      }
    }
  }
}

}  // namespace ivyc::rewrite
