# Installing and packaging qtrader (docs/install.md):
#   bin/qtrader                    the command
#   include/qtrader/               the public headers (+ qtrader/version.hpp)
#   lib/libqtrader_*.a             one library per service folder (shared with BUILD_SHARED_LIBS)
#   lib/cmake/qtrader/             qtraderConfig.cmake: find_package(qtrader) -> qtrader::core, qtrader::lua
#   lib/pkgconfig/qtrader.pc       pkg-config --cflags --libs qtrader
#   share/qtrader/                 the data folder: strategies, scripts, config, data, docs
#   share/bash-completion/completions/qtrader
# and `cpack -G DEB` makes a .deb of the same tree.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The build folder is laid out like an install for the data folder too:
# <build>/share/qtrader is the source tree, so every program built here finds
# the built-in scripts the way an installed one does (qtrader/data_home.hpp).
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/share)
file(CREATE_LINK ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/share/qtrader SYMBOLIC)

# qtrader_lua is defined in bindings/; its include folder is made relocatable here.
target_include_directories(qtrader_lua INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
get_target_property(_lua_includes qtrader_lua INTERFACE_INCLUDE_DIRECTORIES)
list(TRANSFORM _lua_includes REPLACE "^(${PROJECT_SOURCE_DIR}/.*)$" "$<BUILD_INTERFACE:\\1>")
set_target_properties(qtrader_lua PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${_lua_includes}")
qtrader_exported(qtrader_lua)

get_property(_targets GLOBAL PROPERTY QTRADER_EXPORTED_TARGETS)
# Shared (BUILD_SHARED_LIBS), the installed programs find the libraries
# relative to themselves ($ORIGIN), so a moved or copied tree keeps working:
# bin/qtrader looks in ../lib, each library beside itself (a RUNPATH serves
# only its own object's needs, not those of the libraries it loads), and the
# Python module in the lib/ its site folder is under.
if(BUILD_SHARED_LIBS)
  file(RELATIVE_PATH _bin_to_lib ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR})
  set_target_properties(qtrader PROPERTIES INSTALL_RPATH "$ORIGIN/${_bin_to_lib}")
  # SONAME libqtrader_<folder>.so.<major>.<minor>: before 1.0 a minor version may break the ABI.
  set_target_properties(${_targets} PROPERTIES INSTALL_RPATH "$ORIGIN" VERSION ${PROJECT_VERSION}
                        SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
  if(TARGET _qtrader)
    file(RELATIVE_PATH _python_to_lib ${CMAKE_INSTALL_PREFIX}/${QTRADER_PYTHON_INSTALL_DIR}/qtrader
         ${CMAKE_INSTALL_FULL_LIBDIR})
    set_target_properties(_qtrader PROPERTIES INSTALL_RPATH "$ORIGIN/${_python_to_lib}")
  endif()
endif()
install(TARGETS qtrader ${_targets}
        EXPORT qtraderTargets
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/engine/include/qtrader ${PROJECT_SOURCE_DIR}/bindings/include/qtrader
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
install(FILES ${QTRADER_GENERATED_DIR}/include/qtrader/version.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/qtrader)
# qtrader/lua/script_registry.hpp includes these two of the library folder.
install(FILES ${PROJECT_SOURCE_DIR}/engine/src/library/manifest.hpp ${PROJECT_SOURCE_DIR}/engine/src/library/semver.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/qtrader/internal/library)

set(_share ${CMAKE_INSTALL_DATADIR}/qtrader)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/strategies ${PROJECT_SOURCE_DIR}/scripts ${PROJECT_SOURCE_DIR}/config
                  ${PROJECT_SOURCE_DIR}/contracts
        DESTINATION ${_share})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/data/sample DESTINATION ${_share}/data)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/data/calendars DESTINATION ${_share}/data FILES_MATCHING PATTERN "*.csv")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${_share}/docs)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${_share})
# The FIX 4.4 dictionary compiled into qtrader_fix is QuickFIX's: its notice goes along.
install(FILES ${PROJECT_SOURCE_DIR}/engine/src/fix/spec/QUICKFIX_LICENSE DESTINATION ${_share}/licenses)
foreach(_f LICENSE CHANGELOG.md)
  if(EXISTS ${PROJECT_SOURCE_DIR}/${_f})
    install(FILES ${PROJECT_SOURCE_DIR}/${_f} DESTINATION ${_share})
  endif()
endforeach()

# Bash completion, generated from the command's own definition at build time.
set(_completion ${PROJECT_BINARY_DIR}/completions/qtrader)
add_custom_command(OUTPUT ${_completion}
                   COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/completions
                   COMMAND qtrader __complete-bash > ${_completion}
                   DEPENDS qtrader VERBATIM COMMENT "Bash completion of qtrader")
add_custom_target(qtrader_completion ALL DEPENDS ${_completion})
install(FILES ${_completion} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)

# find_package(qtrader): the targets, and find_dependency for what they link.
set(_cmakedir ${CMAKE_INSTALL_LIBDIR}/cmake/qtrader)
install(EXPORT qtraderTargets NAMESPACE qtrader:: DESTINATION ${_cmakedir})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/qtraderConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/qtraderConfig.cmake INSTALL_DESTINATION ${_cmakedir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/qtraderConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)  # 0.x: a minor version may break
install(FILES ${PROJECT_BINARY_DIR}/qtraderConfig.cmake ${PROJECT_BINARY_DIR}/qtraderConfigVersion.cmake
        DESTINATION ${_cmakedir})

# qtrader.pc: the libraries in link order (a static library before those it
# uses); its prefix is relative to the file, so a moved tree still works.
file(RELATIVE_PATH QTRADER_PC_PREFIX "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
set(QTRADER_PC_LIBS "")
foreach(_lib sweep testkit engine report metrics results store risk strategy execution portfolio
             signals indicators data lua optimize library config base)
  string(APPEND QTRADER_PC_LIBS " -lqtrader_${_lib}")
endforeach()
configure_file(${CMAKE_CURRENT_LIST_DIR}/qtrader.pc.in ${PROJECT_BINARY_DIR}/qtrader.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/qtrader.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# cpack -G DEB (from the build folder): Depends from the binary's shared
# libraries (dpkg-shlibdeps), plus the time-zone database date-tz reads.
set(CPACK_PACKAGE_NAME qtrader)
set(CPACK_PACKAGE_VENDOR "qtrader")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Event-driven backtesting engine with strategies in sandboxed LuaJIT")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "qtrader maintainers")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)  # debug info stays in the build folder
set(CPACK_DEBIAN_PACKAGE_DEPENDS "tzdata")
# What building against the installed headers and libraries needs (find_package / pkg-config).
set(CPACK_DEBIAN_PACKAGE_SUGGESTS
    "pkg-config, libluajit-5.1-dev, libyaml-cpp-dev, libsqlitecpp-dev, libsqlite3-dev, libspdlog-dev, libfmt-dev, nlohmann-json3-dev, libhowardhinnant-date-dev, libfast-float-dev, libxxhash-dev, zlib1g-dev")
if(EXISTS ${PROJECT_SOURCE_DIR}/LICENSE)
  set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
endif()
include(CPack)
