# qtrader_component(NAME DIR [DEPS ...])
# One static library from every .cpp under DIR.
function(qtrader_component name dir)
  file(GLOB_RECURSE _srcs CONFIGURE_DEPENDS ${dir}/*.cpp)
  add_library(${name} STATIC ${_srcs})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/engine/include
                                     PRIVATE ${PROJECT_SOURCE_DIR}/engine/src)
  if(ARGN)
    target_link_libraries(${name} PUBLIC ${ARGN})
  endif()
endfunction()
