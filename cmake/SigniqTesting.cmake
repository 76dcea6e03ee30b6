# signiq_add_test(NAME <name> SOURCES <files...> LIBS <targets...> LABELS <unit|integration|gui|perf> [ENV k=v...] [TIMEOUT s])
#
# Builds one Qt Test executable and registers it with CTest. Every test runs with
# QT_QPA_PLATFORM=offscreen and a fixed LANG so results never depend on the machine.
set(SIGNIQ_SHARED_DIR "${PROJECT_SOURCE_DIR}/../shared" CACHE PATH "Read-only shared folder with models/ and testdata/")
set(SIGNIQ_TEST_MODELS_DIR "${SIGNIQ_SHARED_DIR}/models" CACHE PATH "Model mirror used by tests")
set(SIGNIQ_TESTDATA_DIR "${SIGNIQ_SHARED_DIR}/testdata" CACHE PATH "Test images used by tests")
set(SIGNIQ_SAMPLE_VIDEO "/usr/share/doc/opencv-doc/examples/data/vtest.avi" CACHE FILEPATH "Sample video (Debian opencv-doc)")

function(signiq_add_test)
    cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS;ENV" ${ARGN})
    if(NOT T_NAME OR NOT T_SOURCES OR NOT T_LABELS)
        message(FATAL_ERROR "signiq_add_test needs NAME, SOURCES and LABELS")
    endif()
    set(allowed unit integration gui perf)
    foreach(label IN LISTS T_LABELS)
        if(NOT label IN_LIST allowed)
            message(FATAL_ERROR "signiq_add_test(${T_NAME}): unknown label '${label}' (use ${allowed})")
        endif()
    endforeach()
    add_executable(${T_NAME} ${T_SOURCES})
    target_link_libraries(${T_NAME} PRIVATE signiq_options Qt6::Test ${T_LIBS})
    target_compile_definitions(${T_NAME} PRIVATE
        SIGNIQ_TEST_MODELS_DIR="${SIGNIQ_TEST_MODELS_DIR}"
        SIGNIQ_TESTDATA_DIR="${SIGNIQ_TESTDATA_DIR}"
        SIGNIQ_SAMPLE_VIDEO="${SIGNIQ_SAMPLE_VIDEO}"
        SIGNIQ_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        SIGNIQ_BINARY_DIR="${PROJECT_BINARY_DIR}")
    add_test(NAME ${T_NAME} COMMAND ${T_NAME})
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 300)
    endif()
    set_tests_properties(${T_NAME} PROPERTIES
        LABELS "${T_LABELS}"
        TIMEOUT ${T_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;LANG=C.UTF-8;LC_ALL=C.UTF-8;${T_ENV}")
endfunction()
