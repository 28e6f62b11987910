# netserver_accounts: accounts and characters as asynchronous requests. One database thread owns
# the Store and runs its jobs in submission order; a small pool hashes and verifies passwords.
# Plain std::thread (no Asio), so it needs neither Boost nor OpenSSL.
add_library(netserver_accounts STATIC src/accounts.cpp)
add_library(alphammo::netserver_accounts ALIAS netserver_accounts)
target_include_directories(netserver_accounts PUBLIC
  $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>)
target_link_libraries(netserver_accounts
  PUBLIC alphammo::netserver_store alphammo::protocol Threads::Threads
  PRIVATE spdlog::spdlog $<BUILD_INTERFACE:alphammo_warnings>)
set_target_properties(netserver_accounts PROPERTIES
  OUTPUT_NAME alphammo_netserver_accounts POSITION_INDEPENDENT_CODE ON)
