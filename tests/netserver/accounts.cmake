# accounts_tests: AccountService on a real SQLite file (cheap Argon2id parameters, a fake clock).
add_executable(accounts_tests
  ${CMAKE_SOURCE_DIR}/tests/main.cpp
  accounts_test.cpp
)
target_link_libraries(accounts_tests PRIVATE alphammo::netserver_accounts doctest::doctest
                      alphammo_warnings)
doctest_discover_tests(accounts_tests TEST_PREFIX "netserver.")
