# client_net: the TLS WebSocket connection, the session flow (login, characters, entering the
# world, reconnection) and the C++ bot API with its built-in behaviours. Asio and Beast come
# compiled from netserver_asio (never compiled here).
find_package(spdlog REQUIRED)

add_library(client_net STATIC
  src/error.cpp
  src/address.cpp
  src/name_lookup.cpp
  src/connection.cpp
  src/session.cpp
  src/blocking_session.cpp
  src/bot_runner.cpp
  src/behaviours.cpp
)
add_library(alphammo::client_net ALIAS client_net)
target_include_directories(client_net
  PUBLIC $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>)
target_link_libraries(client_net
  PUBLIC alphammo::client_core netserver_asio
  PRIVATE spdlog::spdlog $<BUILD_INTERFACE:alphammo_warnings>)
set_target_properties(client_net PROPERTIES OUTPUT_NAME alphammo_client_net
                      POSITION_INDEPENDENT_CODE ON)
