#include "cli/cli.h"

int main(int argc, char** argv) { return rumi::cli::run_cli(argc, argv); }
