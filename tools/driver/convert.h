// The conversion and table commands of the driver (convert.cpp, ops_command.cpp).
#pragma once

namespace ivyc::driver {

auto convert_main(int argc, char** argv) -> int;
auto ops_main(int argc, char** argv) -> int;

}  // namespace ivyc::driver
