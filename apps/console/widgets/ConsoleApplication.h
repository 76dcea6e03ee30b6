#pragma once

namespace signiq::console {

// Composition of the console: parses the command line, builds services, view models and pages,
// and runs the event loop. Options:
//   --demo              in-memory devices with synthetic data (clearly labelled in the UI)
//   --screenshot DIR    implies --demo; loads every page, saves DIR/console-<page>.png, exits
class ConsoleApplication {
public:
    static int run(int argc, char *argv[]);
};

} // namespace signiq::console
