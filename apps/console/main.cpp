#include "ConsoleApplication.h"

// Composition lives in ConsoleApplication (apps/console/widgets); see docs/console.md.
int main(int argc, char *argv[])
{
    return signiq::console::ConsoleApplication::run(argc, argv);
}
