#pragma once
#include "ivyc/ops/template.h"
