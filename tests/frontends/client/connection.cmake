# client_net_tests: Connection, Session and the bots against the real server started in this
# process (tests/netserver/test_server.hpp: TLS on 127.0.0.1, an ephemeral port, a self-signed
# certificate).
add_executable(client_net_tests
  ${CMAKE_SOURCE_DIR}/tests/main.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/address_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/connection_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/bot_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/mirror_server_test.cpp
)
target_include_directories(client_net_tests PRIVATE ${CMAKE_SOURCE_DIR}/tests/netserver)
target_link_libraries(client_net_tests PRIVATE alphammo::client_net alphammo::netserver_net
                      alphammo::content_files doctest::doctest alphammo_warnings)
doctest_discover_tests(client_net_tests TEST_PREFIX "client.")

