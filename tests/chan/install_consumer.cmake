# ctest script: install the chan package into a scratch prefix, then
# configure, build and run projects that find it with find_package(chan):
# tests/chan/consumer and examples/pipeline.
#   -DBUILD_DIR -DWORK_DIR -DCONSUMER_DIR -DEXAMPLE_DIR -DCXX_COMPILER -DGENERATOR
cmake_minimum_required(VERSION 3.25)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(JOIN " " cmd ${ARGN})
    message(FATAL_ERROR "failed (${rc}): ${cmd}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")
run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --component chan --prefix "${prefix}")

foreach(header chan.hpp channel.hpp select.hpp context.hpp time.hpp testing.hpp detail/chan_state.hpp)
  if(NOT EXISTS "${prefix}/include/chan/${header}")
    message(FATAL_ERROR "not installed: include/chan/${header}")
  endif()
endforeach()

foreach(project consumer example)
  if(project STREQUAL "consumer")
    set(source "${CONSUMER_DIR}")
    set(binary chan_consumer)
    set(args)
  else()
    set(source "${EXAMPLE_DIR}")
    set(binary chan_example_pipeline)
    set(args 20000)
  endif()
  set(build "${WORK_DIR}/${project}")
  run(${CMAKE_COMMAND} -S "${source}" -B "${build}" -G "${GENERATOR}"
      "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" "-DCMAKE_PREFIX_PATH=${prefix}"
      -DCMAKE_BUILD_TYPE=Release)
  run(${CMAKE_COMMAND} --build "${build}")
  run("${build}/${binary}" ${args})
  message(STATUS "${binary}: ${last_output}")
endforeach()
