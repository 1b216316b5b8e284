// One include for Catch2 v2 (Debian 12) and v3 (Debian 13).
#pragma once
#if defined(IVYC_CATCH3)
#include <catch2/catch_test_macros.hpp>
#else
#include <catch2/catch.hpp>
#endif
