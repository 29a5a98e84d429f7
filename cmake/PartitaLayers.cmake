# Layer targets whose include paths expose only the folders they may depend on.
#
# Every header is included by its path from the repository root ("engine/protocol/x.h").
# Instead of putting the root on the include path (which would let any file reach any
# layer), each target gets a private "shadow" root under the build tree that holds a
# symlink to its own folder only. Dependencies add their shadow roots through the usual
# PUBLIC usage requirements, so a file can include exactly the folders of its own target
# and of the targets it links, and a wrong include between layers fails to build.
#
# partita_add_layer(<target> <folder> SOURCES ... [DEPS <partita targets>] [LIBS <other libs>])
function(partita_add_layer target folder)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LIBS;PUBLIC_LIBS" ${ARGN})
  add_library(${target} STATIC ${ARG_SOURCES})
  set(shadow ${CMAKE_BINARY_DIR}/layers/${target})
  get_filename_component(parent ${shadow}/${folder} DIRECTORY)
  file(MAKE_DIRECTORY ${parent})
  if(NOT EXISTS ${shadow}/${folder})
    file(CREATE_LINK ${CMAKE_SOURCE_DIR}/${folder} ${shadow}/${folder} SYMBOLIC)
  endif()
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${shadow}>)
  target_link_libraries(${target} PUBLIC ${ARG_DEPS} ${ARG_PUBLIC_LIBS} PRIVATE ${ARG_LIBS})
  # Sources resolve quoted includes from their own directory first; forbid that shortcut
  # for sibling layers by not adding the source dir itself to the include path.
  set_target_properties(${target} PROPERTIES INCLUDE_CURRENT_DIR OFF)
endfunction()
