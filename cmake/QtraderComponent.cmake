include(GNUInstallDirs)  # CMAKE_INSTALL_INCLUDEDIR, used below

# qtrader_component(NAME DIR [PUBLIC deps...] [PRIVATE deps...])
# One library (static unless BUILD_SHARED_LIBS) from every .cpp under DIR (a folder of engine/src).
#
# A component's headers are reachable as "<folder>/x.hpp" only by itself and
# by the targets that link it: each component publishes an include root
# holding one link, <build>/include-roots/<folder>/<folder> -> its sources.
# A component that includes the header of a folder it does not depend on
# fails to compile ("No such file or directory"), so the dependency graph
# below is the architecture, enforced by the build.
function(qtrader_component name dir)
  cmake_parse_arguments(ARG "" "" "PUBLIC;PRIVATE" ${ARGN})
  get_filename_component(_folder ${dir} NAME)
  file(GLOB_RECURSE _srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/*.cpp)
  set(_root ${CMAKE_BINARY_DIR}/include-roots/${_folder})
  file(MAKE_DIRECTORY ${_root})
  file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR}/${dir} ${_root}/${_folder} SYMBOLIC)
  add_library(${name} ${_srcs})
  # No <target>_EXPORTS definition when shared: nothing reads it, and without
  # it a shared build compiles the very objects of a static (PIC) one, which
  # ccache then already holds.
  set_target_properties(${name} PROPERTIES DEFINE_SYMBOL "")
  # Installed, the public headers are <prefix>/include/qtrader/*.hpp; the
  # folders' own headers are not installed (cmake/QtraderInstall.cmake).
  target_include_directories(${name} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/engine/include>
                                            $<BUILD_INTERFACE:${_root}>
                                            $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC} PRIVATE ${ARG_PRIVATE})
  qtrader_exported(${name})
endfunction()

# qtrader_exported(TARGET): TARGET is installed and exported as
# qtrader::<TARGET without its qtrader_ prefix> (qtrader_lua -> qtrader::lua).
function(qtrader_exported name)
  string(REGEX REPLACE "^qtrader_" "" _short ${name})
  set_target_properties(${name} PROPERTIES EXPORT_NAME ${_short} OUTPUT_NAME ${name})
  add_library(qtrader::${_short} ALIAS ${name})
  set_property(GLOBAL APPEND PROPERTY QTRADER_EXPORTED_TARGETS ${name})
endfunction()
