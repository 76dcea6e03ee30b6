# One INTERFACE target that carries the project-wide compile settings.
# Every library, executable, test and benchmark links it.
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
set(CMAKE_AUTOMOC ON)

find_program(SIGNIQ_CCACHE ccache)
if(SIGNIQ_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${SIGNIQ_CCACHE}")
endif()

add_library(signiq_options INTERFACE)
target_compile_features(signiq_options INTERFACE cxx_std_20)
target_compile_definitions(signiq_options INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_NO_FOREACH
    SIGNIQ_VERSION="${PROJECT_VERSION}")
target_compile_options(signiq_options INTERFACE
    -Wall -Wextra -Wold-style-cast -Wnon-virtual-dtor -Woverloaded-virtual)
if(SIGNIQ_WARNINGS_AS_ERRORS)
    target_compile_options(signiq_options INTERFACE -Werror)
endif()
if(SIGNIQ_ASAN)
    target_compile_options(signiq_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
    target_link_options(signiq_options INTERFACE -fsanitize=address,undefined)
    target_compile_definitions(signiq_options INTERFACE SIGNIQ_SANITIZED_BUILD)
endif()
