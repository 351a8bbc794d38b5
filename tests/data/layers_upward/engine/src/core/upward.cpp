// A core source that reaches up: check_layers.cmake must refuse it.
#include "geosim/report/report.hpp"
#include <yaml-cpp/yaml.h>
