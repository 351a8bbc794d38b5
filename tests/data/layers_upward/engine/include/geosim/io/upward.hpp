#pragma once
// An io header that reaches up into tabletop: refused.
#include "geosim/tabletop/session.hpp"
