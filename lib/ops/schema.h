// A validator for the subset of JSON Schema that ops/schema.json uses: type, properties, required,
// additionalProperties (false or a schema), items, enum, anyOf, minItems, pattern and local
// "$ref": "#/$defs/...". Errors name the JSON pointer of the offending value.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ivyc::ops {

// Appends a message per violation (for anyOf, the branch that got furthest); true when valid.
auto validate_schema(const nlohmann::json& instance, const nlohmann::json& schema,
                     std::vector<std::string>& errors) -> bool;

}  // namespace ivyc::ops
