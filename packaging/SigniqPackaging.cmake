# Debian packages: one per component (signiq-edge, signiq-hub, signiq-console), built with CPack's
# DEB generator (scripts/package.sh; docs/operations.md). Included from the top-level CMakeLists.txt
# after apps/, whose install() rules name these components.
#
# Depends = dpkg-shlibdeps over the installed binaries + the packages of what is loaded at run time
# (dlopen'ed Qt plugins, programs called by the commands), which shlibdeps cannot see.

set(_pkg "${CMAKE_CURRENT_LIST_DIR}")
# cpack installs only what is built (scripts/package.sh builds the three programs), not the tests.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
include(GNUInstallDirs)

# --- files outside the binaries --------------------------------------------------------------------
# systemd units (Debian 12 has merged /usr: /usr/lib/systemd/system is /lib/systemd/system).
install(FILES "${_pkg}/systemd/signiq-edge@.service" DESTINATION lib/systemd/system COMPONENT signiq-edge)
install(FILES "${_pkg}/systemd/signiq-hub.service" DESTINATION lib/systemd/system COMPONENT signiq-hub)
# Configuration: conffiles (dpkg keeps the admin's edits on upgrade).
install(FILES "${_pkg}/config/edge.env" DESTINATION /etc/signiq COMPONENT signiq-edge)
install(FILES "${_pkg}/config/hub.env" DESTINATION /etc/signiq COMPONENT signiq-hub)
install(FILES "${PROJECT_SOURCE_DIR}/resources/zones/vtest.json" DESTINATION share/doc/signiq-edge/examples RENAME zones.json
        COMPONENT signiq-edge)

# Documentation (the units' Documentation= points here) and the licence as Debian's copyright file.
foreach(component signiq-edge signiq-hub signiq-console)
    install(FILES "${PROJECT_SOURCE_DIR}/docs/operations.md" "${PROJECT_SOURCE_DIR}/docs/licences.md"
            DESTINATION share/doc/${component} COMPONENT ${component})
    install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION share/doc/${component} RENAME copyright COMPONENT ${component})
endforeach()

# Desktop entry, AppStream metainfo, icons (PNGs rendered from the SVG at build time).
if(SIGNIQ_BUILD_CONSOLE)
    install(FILES "${_pkg}/desktop/org.signiq.Console.desktop" DESTINATION share/applications COMPONENT signiq-console)
    # The release entry carries the project version.
    configure_file("${_pkg}/desktop/org.signiq.Console.metainfo.xml" "${PROJECT_BINARY_DIR}/packaging/org.signiq.Console.metainfo.xml" @ONLY)
    install(FILES "${PROJECT_BINARY_DIR}/packaging/org.signiq.Console.metainfo.xml" DESTINATION share/metainfo
            COMPONENT signiq-console)
    install(FILES "${_pkg}/desktop/org.signiq.Console.svg" DESTINATION share/icons/hicolor/scalable/apps
            COMPONENT signiq-console)
    find_program(SIGNIQ_RSVG_CONVERT rsvg-convert)
    if(SIGNIQ_RSVG_CONVERT)
        set(_pngs)
        foreach(size 16 32 48 64 128 256)
            set(_png "${PROJECT_BINARY_DIR}/packaging/icons/${size}x${size}/org.signiq.Console.png")
            add_custom_command(OUTPUT "${_png}"
                COMMAND ${CMAKE_COMMAND} -E make_directory "${PROJECT_BINARY_DIR}/packaging/icons/${size}x${size}"
                COMMAND "${SIGNIQ_RSVG_CONVERT}" -w ${size} -h ${size} -o "${_png}" "${_pkg}/desktop/org.signiq.Console.svg"
                DEPENDS "${_pkg}/desktop/org.signiq.Console.svg"
                COMMENT "Rendering the console icon at ${size}x${size}")
            list(APPEND _pngs "${_png}")
            install(FILES "${_png}" DESTINATION share/icons/hicolor/${size}x${size}/apps COMPONENT signiq-console)
        endforeach()
        add_custom_target(signiq_console_icons ALL DEPENDS ${_pngs})
    else()
        message(STATUS "rsvg-convert not found (Debian librsvg2-bin): the console package gets the SVG icon only")
    endif()
endif()

# --- CPack ---------------------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME signiq)
set(CPACK_PACKAGE_VENDOR "Signiq")
set(CPACK_PACKAGE_CONTACT "Signiq maintainers <packaging@signiq.org>")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL signiq-edge signiq-hub)
if(SIGNIQ_BUILD_CONSOLE)
    list(APPEND CPACK_COMPONENTS_ALL signiq-console)
endif()

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING IGNORE) # one package per component
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # signiq-edge_0.1.0-1_amd64.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://signiq.org")
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)

# The maintainer scripts are templates (@PACKAGE_VERSION@ etc.) made executable here.
function(_signiq_maintainer_scripts component)
    set(out "${PROJECT_BINARY_DIR}/packaging/debian/${component}")
    file(MAKE_DIRECTORY "${out}")
    set(extra)
    foreach(script postinst prerm postrm conffiles)
        set(in "${_pkg}/debian/${component}.${script}")
        if(EXISTS "${in}")
            if(script STREQUAL conffiles)
                configure_file("${in}" "${out}/${script}" @ONLY FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
            else()
                configure_file("${in}" "${out}/${script}" @ONLY
                               FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
            endif()
            list(APPEND extra "${out}/${script}")
        endif()
    endforeach()
    string(TOUPPER "${component}" C)
    set(CPACK_DEBIAN_${C}_PACKAGE_CONTROL_EXTRA "${extra}" PARENT_SCOPE)
    set(CPACK_DEBIAN_${C}_PACKAGE_CONTROL_STRICT_PERMISSION ON PARENT_SCOPE)
endfunction()

set(CPACK_COMPONENT_SIGNIQ-EDGE_DESCRIPTION "Signiq edge runtime: camera to anonymous, encrypted audience windows
 signiq-edge runs next to a digital-signage screen, turns video into anonymous, aggregate
 per-zone audience windows in an AES-256 encrypted database and throws every frame away within
 milliseconds. One systemd instance per camera (signiq-edge@CAMERA.service). Model files are not
 in this package: install them with `signiq-edge models install` (docs/operations.md).")
set(CPACK_DEBIAN_SIGNIQ-EDGE_PACKAGE_NAME signiq-edge)
# TLS backend of Qt Network (plugins/tls, dlopen'ed): libqt6network6. SQLite driver for the
# console-free storage paths: the SQLCipher driver is linked in, nothing to dlopen.
set(CPACK_DEBIAN_SIGNIQ-EDGE_PACKAGE_DEPENDS "adduser, libqt6network6 (>= 6.4)")
set(CPACK_DEBIAN_SIGNIQ-EDGE_PACKAGE_RECOMMENDS "systemd")
_signiq_maintainer_scripts(signiq-edge)

set(CPACK_COMPONENT_SIGNIQ-HUB_DESCRIPTION "Signiq hub: multi-organisation API and ingest on PostgreSQL
 signiq-hub serves the /v1 API over TLS 1.3, ingests audience windows from edges and keeps them in
 PostgreSQL with row-level security per organisation (signiq-hub.service). Set up the roles,
 the database and the schema with `sudo signiq-hub setup-db` (docs/operations.md).")
set(CPACK_DEBIAN_SIGNIQ-HUB_PACKAGE_NAME signiq-hub)
# QPSQL is a dlopen'ed Qt SQL plugin; pg_dump/pg_restore/psql for backup/restore.
set(CPACK_DEBIAN_SIGNIQ-HUB_PACKAGE_DEPENDS "adduser, libqt6sql6-psql (>= 6.4), libqt6network6 (>= 6.4), postgresql-client")
set(CPACK_DEBIAN_SIGNIQ-HUB_PACKAGE_RECOMMENDS "systemd")
set(CPACK_DEBIAN_SIGNIQ-HUB_PACKAGE_SUGGESTS "postgresql (>= 15)")
_signiq_maintainer_scripts(signiq-hub)

set(CPACK_COMPONENT_SIGNIQ-CONSOLE_DESCRIPTION "Signiq console: desktop app for installers and operators
 Zones and calibration over a live anonymised overlay, dashboards, API keys and the audit log,
 against a Signiq hub or straight against an edge on the LAN.")
set(CPACK_DEBIAN_SIGNIQ-CONSOLE_PACKAGE_NAME signiq-console)
set(CPACK_DEBIAN_SIGNIQ-CONSOLE_PACKAGE_SECTION x11)
# Platform plugins (xcb in libqt6gui6, the others in qt6-qpa-plugins / qt6-wayland), TLS backend.
set(CPACK_DEBIAN_SIGNIQ-CONSOLE_PACKAGE_DEPENDS "libqt6gui6 (>= 6.4), libqt6network6 (>= 6.4), qt6-qpa-plugins")
set(CPACK_DEBIAN_SIGNIQ-CONSOLE_PACKAGE_RECOMMENDS "qt6-wayland, gnome-keyring | kwalletmanager")
_signiq_maintainer_scripts(signiq-console)

include(CPack)

# --- checks --------------------------------------------------------------------------------------
if(SIGNIQ_BUILD_TESTS)
    add_test(NAME packaging_systemd_exposure
             COMMAND "${_pkg}/tests/unit-exposure.sh" 2.0 "${_pkg}/systemd/signiq-edge@.service" "${_pkg}/systemd/signiq-hub.service")
    set_tests_properties(packaging_systemd_exposure PROPERTIES LABELS unit TIMEOUT 60)
    if(SIGNIQ_BUILD_CONSOLE)
        add_test(NAME packaging_appstream_metainfo
                 COMMAND "${_pkg}/tests/metainfo-valid.sh" "${PROJECT_BINARY_DIR}/packaging/org.signiq.Console.metainfo.xml"
                         "${_pkg}/desktop/org.signiq.Console.desktop")
        set_tests_properties(packaging_appstream_metainfo PROPERTIES LABELS unit TIMEOUT 60)
    endif()
endif()
