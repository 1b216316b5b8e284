#include "catch.h"
#include "ivyc/parse/tree.h"

using namespace ivyc::parse;

TEST_CASE("field layout follows the ASDL order", "[tree]") {
  STATIC_REQUIRE(field_index(NodeKind::Call, "func") == 0);
  STATIC_REQUIRE(field_index(NodeKind::Call, "keywords") == 2);
  STATIC_REQUIRE(field_index(NodeKind::FunctionDef, "type_params") == 6);
  const auto& info = node_kind_info(NodeKind::FunctionDef);
  REQUIRE(info.name == "FunctionDef");
  REQUIRE(info.fields.size() == 7);
  REQUIRE(info.fields[6].type == FieldType::List312);
}

TEST_CASE("singletons are shared and lists are stored", "[tree]") {
  Tree tree;
  REQUIRE(tree.singleton(NodeKind::Load) != kNone);
  REQUIRE(tree.singleton(NodeKind::Load) != tree.singleton(NodeKind::Store));
  REQUIRE(tree.singleton(NodeKind::Name) == kNone);
  auto id = tree.intern("x");
  REQUIRE(tree.intern("x") == id);
  NodeId name = tree.add_node(NodeKind::Name, 0, 1, {id, tree.singleton(NodeKind::Load)});
  uint32_t items[] = {name, name};
  ListId l = tree.add_list(items);
  REQUIRE(tree.list(l).size() == 2);
  REQUIRE(tree.list(tree.empty_list()).empty());
  REQUIRE(tree.string(tree.slot(name, field_index(NodeKind::Name, "id"))) == "x");
}
