# Every third-party dependency is found here, once.
set(SIGNIQ_QT_COMPONENTS Core Network Sql Concurrent Multimedia WebSockets)
if(SIGNIQ_BUILD_TESTS)
    list(APPEND SIGNIQ_QT_COMPONENTS Test)
endif()
find_package(Qt6 6.4 REQUIRED COMPONENTS ${SIGNIQ_QT_COMPONENTS})
if(SIGNIQ_BUILD_CONSOLE)
    find_package(Qt6 6.4 REQUIRED COMPONENTS Gui Widgets Charts LinguistTools)
    if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
        find_package(Qt6 6.4 REQUIRED COMPONENTS DBus) # is a keychain service on the session bus?
    endif()
    # The console keeps device API keys in the OS keychain (Debian: qtkeychain-qt6-dev).
    find_package(Qt6Keychain REQUIRED)
endif()

find_package(OpenCV 4.6 REQUIRED COMPONENTS core imgproc imgcodecs videoio dnn objdetect)
find_package(OpenSSL 3.0 REQUIRED)

# SQLCipher: linked directly into every executable that opens an encrypted database
# (libsqlcipher and the system libsqlite3 export the same symbols; see docs/storage.md).
find_package(PkgConfig REQUIRED)
pkg_check_modules(SQLCIPHER REQUIRED IMPORTED_TARGET sqlcipher)
