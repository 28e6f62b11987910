# client_tests: WorldMirror against hand-made messages (every delta type, the errors, the logs'
# bounds), through JSON text, and against a real World fed to an omniscient viewer.
add_executable(client_tests
  ${CMAKE_SOURCE_DIR}/tests/main.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/world_mirror_test.cpp
)
target_link_libraries(client_tests PRIVATE alphammo::client_core alphammo_scenarios
                      doctest::doctest alphammo_warnings)
doctest_discover_tests(client_tests TEST_PREFIX "client.")
