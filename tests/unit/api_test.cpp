// lib/api: the tables a conversion loads.
#include "catch.h"
#include "ivyc/api/convert.h"

TEST_CASE("a conversion's built-in tables: the canonical ops, the frontend and its target's backend only") {
  std::vector<std::string> errors;
  auto jax = ivyc::api::embedded_tables_for("jax", &errors);
  REQUIRE(jax);
  CHECK(errors.empty());
  CHECK(jax->frontend("torch") != nullptr);
  CHECK(jax->backend("jax") != nullptr);
  CHECK(jax->backend("numpy") == nullptr);
  CHECK(jax->backend("tensorflow") == nullptr);
  CHECK(!jax->canonical.empty());
  // Loaded once per target.
  CHECK(ivyc::api::embedded_tables_for("jax") == jax);
  auto tf = ivyc::api::embedded_tables_for("tensorflow");
  REQUIRE(tf);
  CHECK(tf->backend("tensorflow") != nullptr);
  CHECK(tf->backend("jax") == nullptr);
  // The source itself: no backend.
  auto torch = ivyc::api::embedded_tables_for("torch");
  REQUIRE(torch);
  CHECK(torch->backend("jax") == nullptr);
  // All of them, for `ivyc ops` and the Python extension.
  auto all = ivyc::api::embedded_tables();
  REQUIRE(all);
  CHECK(all->backend("numpy") != nullptr);
  CHECK(all->backend("jax") != nullptr);
}
