// geosim: the program (apps/cli_main.cpp), every command in this one process.
#include "cli_common.hpp"

int main(int argc, char** argv) { return geosim::cli::run_geosim(argc, argv, nullptr); }
