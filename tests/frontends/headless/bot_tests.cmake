# bot_tests: the pipe protocol's lines, and alphammo-bot run as users run it against the real
# server started in the test process (plus the Python and C++ example bots).
if(TARGET alphammo-bot AND TARGET headless_bot)
  if(NOT TARGET cpp_bot)
    add_subdirectory(${CMAKE_SOURCE_DIR}/examples/bots/cpp_bot
                     ${CMAKE_BINARY_DIR}/examples/bots/cpp_bot)
  endif()
  add_executable(bot_tests
    ${CMAKE_SOURCE_DIR}/tests/main.cpp
    ${CMAKE_CURRENT_LIST_DIR}/bot_pipe_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/bot_cli_test.cpp
  )
  target_include_directories(bot_tests PRIVATE ${CMAKE_SOURCE_DIR}/tests/netserver)
  target_link_libraries(bot_tests PRIVATE headless_bot alphammo::netserver_net
                        alphammo::content_files doctest::doctest alphammo_warnings)
  target_compile_definitions(bot_tests PRIVATE
    ALPHAMMO_BOT="$<TARGET_FILE:alphammo-bot>"
    ALPHAMMO_CPP_BOT="$<TARGET_FILE:cpp_bot>"
    ALPHAMMO_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  add_dependencies(bot_tests alphammo-bot cpp_bot)
  doctest_discover_tests(bot_tests TEST_PREFIX "headless.")
endif()
